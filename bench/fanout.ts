// Fan-out: the monthly reminder for 3,000 owners, sent by the real entry (`src/main.ts` in webhook mode, on
// PostgreSQL) to the emulator — which runs here, in the parent, with Lark's limits enforced (50/s and 1000/min per
// app, 5/s per chat; HTTP 429 past them). Then the same with the sender SIGKILLed at ~50 % and a new one started:
// its leases expire and the rest go out once (Lark's uuid de-duplication covers a send whose mark was lost).
//
// The floor of the send rate is Lark's own limit: 1000/min, so the result is a share of it.

import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { EMULATOR_CREDENTIALS } from '../src/config.js';
import { createCalendar } from '../src/domain/calendar.js';
import { createEmulator, type Emulator } from '../src/emulator/index.js';
import { reminders } from '../src/jobs/reminders.js';
import { runJob } from '../src/jobs/runner.js';
import { silentLogger } from '../src/log.js';
import { migrate, openDb, type DbHandle } from '../src/store/db.js';
import {
  createPgDatabase,
  dropPgDatabase,
  freePort,
  MB,
  OffsetClock,
  rssOf,
  runTs,
  sleep,
  waitFor200,
  type Bench,
  type BenchContext,
  type NodeProcess,
  type Row,
} from './lib/common.js';
import { ownerOpenId, seedScale } from './lib/seed.js';

const OWNERS = Number(process.env.BENCH_FANOUT_OWNERS ?? 3_000);
/** Which runs: `clean`, `kill` or both (default); `BENCH_FANOUT_CASES=kill` re-checks the restarted sender alone. */
const CASES = new Set((process.env.BENCH_FANOUT_CASES ?? 'clean,kill').split(',').map((c) => c.trim()));
const AT = '2026-11-13T09:00:00+08:00';
const LIMITS = { appPerSecond: 50, appPerMinute: 1000, perChatPerSecond: 5 };
const TIMEOUT_MS = 8 * 60_000;
const SEND_PATH = '/open-apis/im/v1/messages';

interface FanoutStats {
  expected: number;
  delivered: number;
  recipients: number;
  duplicates: number;
  lost: number;
  /** send calls answered 200 that created no message (Lark's uuid de-duplication of a re-send) */
  dedupedResends: number;
  throttled: number;
  /** mean and lowest count of new messages in the 60-s windows starting each second, as a share of 1000 */
  sustainedMean: number | null;
  sustainedMin: number | null;
  /** highest count of accepted sends in any 1 s / 60 s window, and to one chat in any 1 s */
  maxPerSecond: number;
  maxPerMinute: number;
  maxPerChatSecond: number;
  /** first to last message */
  seconds: number;
}

/** Highest number of instants in any half-open window of `ms` (times ascending). */
function maxInWindow(times: number[], ms: number): number {
  let best = 0;
  let i = 0;
  for (let j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= ms) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

function stats(emu: Emulator, expected: string[]): FanoutStats {
  const sends = emu.calls.filter((c) => c.method === 'POST' && c.path === SEND_PATH);
  const accepted = sends
    .filter((c) => c.status === 200)
    .map((c) => c.at)
    .sort((a, b) => a - b);
  const msgs = emu.messages().filter((m) => m.chat_type === 'p2p');
  const created = msgs.map((m) => m.created_at).sort((a, b) => a - b);
  const perRecipient = new Map<string, number>();
  for (const m of msgs) perRecipient.set(m.open_id!, (perRecipient.get(m.open_id!) ?? 0) + 1);
  let lost = 0;
  for (const id of expected) if (!perRecipient.has(id)) lost++;
  const perChat = new Map<string, number[]>();
  for (const c of sends) {
    if (c.status !== 200) continue;
    const k = c.receiveId ?? '';
    const list = perChat.get(k);
    if (list) list.push(c.at);
    else perChat.set(k, [c.at]);
  }
  // Sustained rate: new messages in each 60-s window that fits between the first and the last message.
  const first = created[0] ?? 0;
  const last = created.at(-1) ?? 0;
  const counts: number[] = [];
  for (let s = first; s + 60_000 <= last + 1000; s += 1000) {
    counts.push(created.filter((t) => t >= s && t < s + 60_000).length);
  }
  return {
    expected: expected.length,
    delivered: msgs.length,
    recipients: perRecipient.size,
    duplicates: msgs.length - perRecipient.size,
    lost,
    dedupedResends: accepted.length - msgs.length,
    throttled: sends.filter((c) => c.status === 429).length,
    sustainedMean: counts.length > 0 ? counts.reduce((a, n) => a + n, 0) / counts.length / LIMITS.appPerMinute : null,
    sustainedMin: counts.length > 0 ? Math.min(...counts) / LIMITS.appPerMinute : null,
    maxPerSecond: maxInWindow(accepted, 1000),
    maxPerMinute: maxInWindow(accepted, 60_000),
    maxPerChatSecond: Math.max(
      0,
      ...[...perChat.values()].map((ts) =>
        maxInWindow(
          ts.sort((a, b) => a - b),
          1000,
        ),
      ),
    ),
    seconds: (last - first) / 1000,
  };
}

async function startEmulator(): Promise<{ emu: Emulator; url: string; close: () => Promise<void> }> {
  const users = Array.from({ length: OWNERS }, (_, k) => ({ open_id: ownerOpenId(k + 1), name: `责任人${k + 1}` }));
  const emu = createEmulator({
    ...EMULATOR_CREDENTIALS,
    botWebhookUrl: 'http://127.0.0.1:9/not-used',
    directory: { users, chats: [] },
    limits: { enforce: true, ...LIMITS },
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: emu.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const a = server.address();
  const url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  return { emu, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The real entry, sending only: webhook mode against the emulator, no scheduler, no demo data. */
async function startSender(dbUrl: string, larkUrl: string): Promise<{ proc: NodeProcess; startMs: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const proc = runTs('src/main.ts', {
    DATABASE_URL: dbUrl,
    PORT: String(port),
    LARK_MODE: 'webhook',
    LARK_APP_ID: EMULATOR_CREDENTIALS.appId,
    LARK_APP_SECRET: EMULATOR_CREDENTIALS.appSecret,
    LARK_ENCRYPT_KEY: EMULATOR_CREDENTIALS.encryptKey,
    LARK_VERIFICATION_TOKEN: EMULATOR_CREDENTIALS.verificationToken,
    LARK_DOMAIN: larkUrl,
    SCHEDULER: 'off',
    SEED_DEMO: 'no',
    LOG_LEVEL: 'warn',
  });
  const at = await waitFor200(`http://127.0.0.1:${port}/healthz`, { timeoutMs: 60_000, exited: proc.exited });
  return { proc, startMs: at - t0 };
}

async function prepare(ctx: BenchContext, label: string): Promise<{ url: string; handle: DbHandle }> {
  const url = await createPgDatabase(ctx.pgUrl, label);
  await migrate(url);
  const handle = await openDb(url, { max: 2 });
  await seedScale(handle.db, {
    projects: OWNERS * 4,
    owners: OWNERS,
    periods: ['2026-11'],
    currentShare: 0,
    funds: 0,
    problems: 0,
    trips: 0,
    today: AT.slice(0, 10),
  });
  return { url, handle };
}

/** Enqueues the reminder round (one card per owner) as the scheduler would at 09:00 five workdays before the deadline. */
async function enqueueReminders(handle: DbHandle): Promise<number> {
  const deps = {
    db: handle.db,
    clock: new OffsetClock(AT),
    logger: silentLogger,
    calendar: createCalendar({ timeZone: 'Asia/Shanghai' }),
    notifyOutbox: () => {},
  };
  const out = await runJob(deps, reminders, new Date(AT));
  if (out.status !== 'done') throw new Error(`reminders did not run: ${JSON.stringify(out)}`);
  return out.result.sent;
}

/** Who the outbox holds a reminder for (owners whose projects are all dropped or transferred get none). */
async function recipients(handle: DbHandle): Promise<string[]> {
  const r = await handle.db.execute(sql`select distinct receive_id as id from outbox`);
  return (r as unknown as { id: string }[]).map((x) => x.id);
}

async function pending(handle: DbHandle): Promise<number> {
  const r = await handle.db.execute(sql`select count(*)::int as n from outbox where status = 'pending'`);
  return Number((r as unknown as { n: number }[])[0]?.n ?? 0);
}

/** Rows claimed more than once: taken over after the dead sender's lease expired (or retried). */
async function reclaimed(handle: DbHandle): Promise<number> {
  const r = await handle.db.execute(sql`select count(*)::int as n from outbox where attempts > 1`);
  return Number((r as unknown as { n: number }[])[0]?.n ?? 0);
}

async function failed(handle: DbHandle): Promise<number> {
  const r = await handle.db.execute(sql`select count(*)::int as n from outbox where status = 'failed'`);
  return Number((r as unknown as { n: number }[])[0]?.n ?? 0);
}

/** Waits until every owner has a message and nothing is pending; samples the sender's RSS meanwhile. */
async function waitDelivered(
  emu: Emulator,
  handle: DbHandle,
  expected: number,
  sender: () => NodeProcess,
  opts: { onProgress?: (delivered: number) => Promise<void> | void } = {},
): Promise<{ peakRss: number }> {
  const deadline = Date.now() + TIMEOUT_MS;
  let peakRss = 0;
  let checks = 0;
  for (;;) {
    const rss = rssOf(sender().pid);
    if (rss) peakRss = Math.max(peakRss, rss);
    const delivered = new Set(emu.messages().map((m) => m.open_id)).size;
    await opts.onProgress?.(delivered);
    if (delivered >= expected && ++checks % 4 === 0 && (await pending(handle)) === 0) return { peakRss };
    if (Date.now() > deadline) throw new Error(`fan-out: ${delivered} of ${expected} delivered after ${TIMEOUT_MS / 1000} s`);
    await sleep(250);
  }
}

function rowsOf(label: string, s: FanoutStats, extra: string): Row[] {
  const clean = label === 'clean';
  const name = clean ? '' : ' (sender killed at ~50 %, restarted)';
  return [
    {
      bench: 'fanout',
      case: `${OWNERS} reminders: sustained send rate${name}`,
      value: s.sustainedMean === null ? null : s.sustainedMean * 100,
      unit: '% of 1000/min',
      floor: 100,
      floorLabel: clean ? "Lark's limit, 1000 sends/min per app" : undefined,
      ratio: s.sustainedMean,
      target: '≥ 95 %',
      ok: s.sustainedMean !== null && s.sustainedMean >= 0.95,
      note:
        `lowest 60-s window ${s.sustainedMin === null ? '—' : (s.sustainedMin * 100).toFixed(1)} %; ${s.delivered} messages in ${s.seconds.toFixed(0)} s; ` +
        `highest ${s.maxPerSecond}/s (limit 50), ${s.maxPerMinute}/min (limit 1000), ${s.maxPerChatSecond}/s to one chat (limit 5)${extra}`,
    },
    {
      bench: 'fanout',
      case: `429s met${name}`,
      value: s.throttled,
      unit: '',
      target: '0',
      ok: s.throttled === 0,
      note: clean
        ? undefined
        : "the new process counts the outbox's sends of the last minute (the dead one's) against Lark's windows before it sends",
    },
    {
      bench: 'fanout',
      case: `duplicates / losses${name}`,
      value: s.duplicates + s.lost,
      unit: '',
      target: '0 / 0',
      ok: s.duplicates === 0 && s.lost === 0,
      note: `${s.duplicates} duplicate(s), ${s.lost} lost, ${s.recipients} of ${s.expected} owners with a reminder reached; ${s.dedupedResends} re-send(s) absorbed by Lark's uuid de-duplication`,
    },
  ];
}

export const fanout: Bench = async (ctx) => {
  const rows: Row[] = [];

  // 1. Clean run; the sender's RSS idle and during the fan-out.
  if (CASES.has('clean')) {
    const { url, handle } = await prepare(ctx, 'fanout');
    const lark = await startEmulator();
    let sender: NodeProcess | undefined;
    try {
      const s = await startSender(url, lark.url);
      sender = s.proc;
      await sleep(2000);
      const idleRss = rssOf(sender.pid) ?? 0;
      const n = await enqueueReminders(handle);
      ctx.log(
        `  clean: ${n} reminders enqueued; sender (main.ts) up in ${s.startMs.toFixed(0)} ms, idle RSS ${(idleRss / MB).toFixed(0)} MB`,
      );
      const t0 = performance.now();
      const expected = await recipients(handle);
      let logged = 0;
      const { peakRss } = await waitDelivered(lark.emu, handle, expected.length, () => sender!, {
        onProgress: (d) => {
          if (d >= logged + 500) {
            logged = d - (d % 500);
            ctx.log(`    ${d} delivered after ${((performance.now() - t0) / 1000).toFixed(0)} s`);
          }
        },
      });
      const st = stats(lark.emu, expected);
      const bad = await failed(handle);
      ctx.log(`  clean: ${JSON.stringify(st)}; failed rows ${bad}`);
      rows.push(...rowsOf('clean', st, bad > 0 ? `; ${bad} outbox rows failed` : ''));
      rows.push({
        bench: 'footprint',
        case: 'RSS during the fan-out (main.ts, PostgreSQL, peak)',
        value: peakRss / MB,
        unit: 'MB',
        floor: idleRss / MB,
        floorLabel: 'the same process idle before the fan-out',
        ratio: idleRss ? peakRss / idleRss : null,
        target: '≤ 200 MB',
        ok: peakRss / MB <= 200,
        note: `sampled every 250 ms while ${OWNERS} cards went out`,
      });
    } finally {
      await sender?.stop();
      await lark.close();
      await handle.close();
      await dropPgDatabase(ctx.pgUrl, url);
    }
  }

  // 2. The sender is SIGKILLed at ~50 % and a new one started.
  if (CASES.has('kill')) {
    const { url, handle } = await prepare(ctx, 'fanout_kill');
    const lark = await startEmulator();
    let sender: NodeProcess | undefined;
    try {
      sender = (await startSender(url, lark.url)).proc;
      const n = await enqueueReminders(handle);
      ctx.log(`  kill: ${n} reminders enqueued`);
      let killedAt: number | null = null;
      let killedAtMs = 0;
      let restartMs = 0;
      const expected = await recipients(handle);
      await waitDelivered(lark.emu, handle, expected.length, () => sender!, {
        onProgress: async (d) => {
          if (killedAt === null && d >= expected.length / 2) {
            sender!.child.kill('SIGKILL');
            killedAtMs = Date.now();
            await sender!.exited;
            killedAt = d;
            ctx.log(`    SIGKILL at ${d} delivered; starting a new sender`);
            const s = await startSender(url, lark.url);
            sender = s.proc;
            restartMs = s.startMs;
          }
        },
      });
      const st = stats(lark.emu, expected);
      const bad = await failed(handle);
      ctx.log(`  kill: ${JSON.stringify(st)}; failed rows ${bad}`);
      // When each 429 came, in seconds from the kill: before it (the dead sender) or after (the new one).
      const throttledAt = lark.emu.calls
        .filter((c) => c.method === 'POST' && c.path === SEND_PATH && c.status === 429)
        .map((c) => ((c.at - killedAtMs) / 1000).toFixed(1));
      if (throttledAt.length > 0)
        ctx.log(`  kill: 429s at ${throttledAt.join(', ')} s from the kill (new sender up at +${(restartMs / 1000).toFixed(1)} s)`);
      const again = await reclaimed(handle);
      rows.push(
        ...rowsOf(
          'kill',
          st,
          `; killed at ${killedAt} delivered, new sender up in ${restartMs.toFixed(0)} ms; ${again} row(s) claimed again after the dead sender's lease expired${bad > 0 ? `; ${bad} outbox rows failed` : ''}`,
        ),
      );
    } finally {
      await sender?.stop();
      await lark.close();
      await handle.close();
      await dropPgDatabase(ctx.pgUrl, url);
    }
  }
  return rows;
};
