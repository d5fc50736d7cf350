// Card callbacks under load: autocannon posts signed, encrypted `card.action.trigger` report submissions to the
// bot's /lark/events at 50, 200 and 500 requests/s for 20 s each (PostgreSQL), and the same traffic to the floor
// route of the same process (signature check, decryption, one INSERT in its own transaction, same-size JSON).
//
// The server runs in a child process (bench/lib/callback-server.ts) so the load generator does not share its event
// loop. Every request is a new event id and a different project (15,000 projects, 5,000 owners), so submissions do
// not queue on one project row. autocannon paces each connection to its share of the rate and sends that share back
// to back at the start of each second; to keep the arrivals from coming as one burst per second, the load is split
// over 10 autocannon instances started 100 ms apart.

import autocannon, { type Instance } from 'autocannon';
import { sql } from 'drizzle-orm';
import { EMULATOR_CREDENTIALS } from '../src/config.js';
import { migrate, openDb } from '../src/store/db.js';
import {
  createPgDatabase,
  dropPgDatabase,
  nextMessage,
  OffsetClock,
  percentile,
  ratio,
  runTs,
  sleep,
  type Bench,
  type Row,
} from './lib/common.js';
import { cardActionBody, type SignedBody } from './lib/lark-body.js';
import { ownerOpenId, seedScale } from './lib/seed.js';

const RATES = (process.env.BENCH_CALLBACK_RATES ?? '50,200,500').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_CALLBACK_SECONDS ?? 20);
const SLICES = 10;
/** Server sizes measured, in order: 1 is one process; N > 1 a node:cluster of N workers on one port (WEB_CONCURRENCY). */
const WORKERS = (process.env.BENCH_CALLBACK_WORKERS ?? '1,2').split(',').map(Number);
const WARMUP = { rate: 100, seconds: 5 };
/** A phase is stopped this long after its last request was due. */
const GRACE_MS = 5000;
const OWNERS = 5_000;
const AT = '2026-11-13T10:00:00+08:00';
const BOT_PERIOD = '2026-11';
const FLOOR_PERIOD = '2026-10';
const FORM = { progress: '完成第二轮洽谈，对方已提交投资意向', fund_amount: '0.5亿' };

interface PhaseResult {
  target: 'bot' | 'floor';
  rate: number;
  sent: number;
  ok: number;
  /** not answered within the phase (cut off, transport errors, timeouts), non-2xx, and 200s that are not a success (the bot's error toast) */
  errors: number;
  non2xx: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
  achievedRps: number;
}

/** Runs `bodies` against `path` at `rate` requests/s, spread over SLICES staggered autocannon instances. */
async function phase(base: string, path: string, target: 'bot' | 'floor', rate: number, bodies: SignedBody[]): Promise<PhaseResult> {
  const latencies: number[] = [];
  let next = 0;
  let ok = 0;
  let bad = 0;
  let non2xx = 0;
  const perSlice = rate / SLICES;
  const connections = Math.max(1, Math.ceil(perSlice / 5));
  const t0 = performance.now();
  let lastAt = t0;
  const runs: Promise<void>[] = [];
  // A server that cannot keep up would stretch the phase without end: it is cut off, and what was not sent by
  // then counts as an error.
  const instances: Instance[] = [];
  let cutOff = false;
  const cut = setTimeout(
    () => {
      cutOff = true;
      for (const i of instances) i.stop();
    },
    (bodies.length / rate) * 1000 + GRACE_MS,
  );
  for (let s = 0; s < SLICES; s++) {
    const amount = Math.round((bodies.length * (s + 1)) / SLICES) - Math.round((bodies.length * s) / SLICES);
    runs.push(
      (async () => {
        await sleep((s * 1000) / SLICES);
        if (cutOff) return;
        await new Promise<void>((resolve, reject) => {
          const inst = autocannon(
            {
              url: base,
              connections: Math.min(connections, amount),
              overallRate: Math.max(1, Math.round(perSlice)),
              amount,
              timeout: 10,
              ignoreCoordinatedOmission: true,
              requests: [
                {
                  method: 'POST',
                  path,
                  setupRequest: (req) => {
                    const b = bodies[next++ % bodies.length]!;
                    return { ...req, method: 'POST', path, headers: b.headers, body: b.body };
                  },
                  onResponse: (status, body) => {
                    if (status === 200 && (target === 'floor' || body.includes('"type":"success"'))) ok++;
                    else bad++;
                  },
                },
              ],
            },
            (err) => (err ? reject(err) : resolve()),
          );
          instances.push(inst);
          inst.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
            latencies.push(ms);
            lastAt = performance.now();
            if (status < 200 || status > 299) non2xx++;
          });
        });
      })(),
    );
  }
  await Promise.all(runs);
  clearTimeout(cut);
  latencies.sort((a, b) => a - b);
  const seconds = (lastAt - t0) / 1000;
  const unanswered = bodies.length - latencies.length;
  if (cutOff) await sleep(3000); // let the server finish what it had in hand before the next phase
  return {
    target,
    rate,
    sent: bodies.length,
    ok,
    errors: unanswered + bad,
    non2xx,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? null,
    achievedRps: latencies.length / Math.max(seconds, 1e-3),
  };
}

interface Series {
  workers: number;
  results: PhaseResult[];
  sizes?: { botBytes: number; floorBytes: number };
}

/** One series of phases (warm-up, then each rate, floor and bot) against a server of `workers` processes. */
async function series(ctx: Parameters<Bench>[0], workers: number): Promise<Series> {
  const projects = RATES.reduce((a, r) => a + r * SECONDS, 0) + WARMUP.rate * WARMUP.seconds;
  // One warm-up project per worker (each worker submits one in process before it is ready).
  const warmupProjects = Array.from({ length: workers }, (_, i) => projects + 1 + i);
  const url = await createPgDatabase(ctx.pgUrl, `callbacks_w${workers}`);
  const clock = new OffsetClock(AT);
  const results: PhaseResult[] = [];
  let sizes: { botBytes: number; floorBytes: number } | undefined;
  let server: ReturnType<typeof runTs> | undefined;
  try {
    await migrate(url);
    const h = await openDb(url, { max: 2 });
    try {
      await seedScale(h.db, {
        projects: warmupProjects.at(-1)!,
        owners: OWNERS,
        periods: [BOT_PERIOD],
        currentShare: 0,
        funds: 0,
        problems: 0,
        trips: 0,
        today: AT.slice(0, 10),
      });
    } finally {
      await h.close();
    }
    server = runTs('bench/lib/callback-server.ts', {
      BENCH_DB_URL: url,
      BENCH_CLOCK_OFFSET_MS: String(clock.offsetMs),
      BENCH_WARMUP_PROJECTS: warmupProjects.join(','),
      BENCH_WARMUP_OWNERS: warmupProjects.map((p) => ownerOpenId(1 + ((p - 1) % OWNERS))).join(','),
      BENCH_WORKERS: String(workers),
    });
    const ready = await nextMessage<{ type: string; port: number; botBytes: number; floorBytes: number }>(
      server.child,
      (m) => m.type === 'ready',
      60_000,
    );
    sizes = ready;
    const base = `http://127.0.0.1:${ready.port}`;
    ctx.log(
      `  ${workers === 1 ? 'one process' : `cluster of ${workers} workers`} up on ${base}; answers: bot ${ready.botBytes} B, floor ${ready.floorBytes} B`,
    );

    const cursor = { bot: 0, floor: 0 };
    const make = (target: 'bot' | 'floor', n: number): SignedBody[] => {
      const ts = Math.floor(clock.now().getTime() / 1000);
      const out: SignedBody[] = [];
      for (let i = 0; i < n; i++) {
        const p = 1 + cursor[target]++;
        out.push(
          cardActionBody(EMULATOR_CREDENTIALS, {
            eventId: `bench-${target}-${p}-${process.pid}`,
            operatorOpenId: ownerOpenId(1 + ((p - 1) % OWNERS)),
            value: { a: 'report_submit', p, period: target === 'bot' ? BOT_PERIOD : FLOOR_PERIOD, ids: [] },
            formValue: FORM,
            timestamp: ts,
          }),
        );
      }
      return out;
    };

    // Warm-up, not measured: JIT, the pool's connections, PostgreSQL's caches.
    for (const target of ['floor', 'bot'] as const) {
      await phase(
        base,
        target === 'bot' ? '/lark/events' : '/bench/floor',
        target,
        WARMUP.rate,
        make(target, WARMUP.rate * WARMUP.seconds),
      );
    }
    const warmups = { bot: cursor.bot, floor: cursor.floor };
    await sleep(1000);

    for (const rate of RATES) {
      for (const target of ['floor', 'bot'] as const) {
        const bodies = make(target, rate * SECONDS);
        const r = await phase(base, target === 'bot' ? '/lark/events' : '/bench/floor', target, rate, bodies);
        results.push(r);
        ctx.log(
          `  ${workers === 1 ? 'single ' : `cluster${workers}`} ${target.padEnd(5)} @ ${String(rate).padStart(3)}/s: p50 ${r.p50?.toFixed(1)} ms, p99 ${r.p99?.toFixed(1)} ms, max ${r.max?.toFixed(0)} ms, ` +
            `${r.ok}/${r.sent} ok, ${r.errors} errors (${r.non2xx} non-2xx), ${r.achievedRps.toFixed(0)} req/s achieved`,
        );
        await sleep(2000);
      }
    }

    // Every success is a row: the bot's reports (plus the warm-up) and the floor's.
    const h2 = await openDb(url, { max: 1 });
    try {
      // Only the measured phases' projects (the warm-ups came first, and one at 100/s may not all have been answered).
      const measured = async (period: string, after: number, upTo: number) => {
        const res = await h2.db.execute(
          sql`select count(*)::int as n from reports where period = ${period} and project_id > ${after} and project_id <= ${upTo}`,
        );
        return Number((res as unknown as { n: number }[])[0]?.n ?? 0);
      };
      const botOk = results.filter((r) => r.target === 'bot').reduce((a, r) => a + r.ok, 0);
      const floorOk = results.filter((r) => r.target === 'floor').reduce((a, r) => a + r.ok, 0);
      const botRows = await measured(BOT_PERIOD, warmups.bot, cursor.bot);
      const floorRows = await measured(FLOOR_PERIOD, warmups.floor, cursor.floor);
      ctx.log(`  rows written: bot ${botRows} for ${botOk} successes, floor ${floorRows} for ${floorOk}`);
      // A request cut off at the end of a phase may still have been written: rows ≥ successes.
      if (botRows < botOk || floorRows < floorOk) ctx.log('  WARNING: fewer rows than successes');
    } finally {
      await h2.close();
    }
  } catch (err) {
    if (server) ctx.log(`  server output:\n${server.output().slice(-3000)}`);
    throw err;
  } finally {
    if (server) {
      if (server.child.connected) server.child.send({ type: 'stop' });
      await Promise.race([server.exited, sleep(15_000)]);
      await server.stop(1000);
    }
    await dropPgDatabase(ctx.pgUrl, url);
  }

  return { workers, results, sizes };
}

export const callbacks: Bench = async (ctx) => {
  const all: Series[] = [];
  for (const workers of WORKERS) all.push(await series(ctx, workers));

  // Single process and cluster side by side, as the README's table wants them.
  const single = all.find((x) => x.workers === 1);
  if (all.length > 1) {
    ctx.log('  p99 (floor) by rate:');
    for (const rate of RATES) {
      const cell = (x: Series) => {
        const bot = x.results.find((r) => r.target === 'bot' && r.rate === rate);
        const floor = x.results.find((r) => r.target === 'floor' && r.rate === rate);
        return `${x.workers === 1 ? 'single' : `cluster of ${x.workers}`} ${bot?.p99?.toFixed(1)} ms (${floor?.p99?.toFixed(1)} ms), ${bot?.achievedRps.toFixed(0)} req/s, ${bot?.errors} errors`;
      };
      ctx.log(`    ${String(rate).padStart(3)}/s: ${all.map(cell).join(' | ')}`);
    }
  }

  const rows: Row[] = [];
  for (const x of all) {
    const { workers, results, sizes } = x;
    const label = workers === 1 ? 'PostgreSQL' : `PostgreSQL, cluster of ${workers} workers`;
    for (const rate of RATES) {
      const bot = results.find((r) => r.target === 'bot' && r.rate === rate)!;
      const floor = results.find((r) => r.target === 'floor' && r.rate === rate)!;
      const singleBot = single?.results.find((r) => r.target === 'bot' && r.rate === rate);
      const note =
        `p50 ${bot.p50?.toFixed(1)} ms vs floor ${floor.p50?.toFixed(1)} ms; max ${bot.max?.toFixed(0)} ms; ` +
        `${bot.ok}/${bot.sent} ok, ${bot.errors} errors, ${bot.non2xx} non-2xx; ${bot.achievedRps.toFixed(0)} req/s achieved (floor ${floor.achievedRps.toFixed(0)}); ` +
        `answers ${sizes?.botBytes ?? 0} B / ${sizes?.floorBytes ?? 0} B` +
        (workers > 1 && singleBot ? `; one process at this rate: p99 ${singleBot.p99?.toFixed(1)} ms` : '');
      const r = ratio(bot.p99, floor.p99);
      const clean = bot.errors === 0 && bot.achievedRps >= rate * 0.95;
      let target: string | undefined;
      let ok: boolean | null = null;
      if (rate === 200) {
        target = '≤ 1.5× floor';
        ok = clean && r !== null && r <= 1.5;
      } else if (rate === 500) {
        target = '< 300 ms';
        ok = clean && bot.p99 !== null && bot.p99 < 300;
      }
      rows.push({
        bench: 'callbacks',
        case: `p99 at ${rate} req/s for ${SECONDS} s (${label})`,
        value: bot.p99,
        unit: 'ms',
        floor: floor.p99,
        floorLabel:
          rate === RATES[0]
            ? workers === 1
              ? 'same process: signature + decrypt + one INSERT in a transaction, same-size JSON'
              : `the floor route on the same ${workers} workers (same signature + decrypt + one INSERT)`
            : undefined,
        ratio: r,
        target,
        ok,
        note,
      });
    }
  }
  return rows;
};
