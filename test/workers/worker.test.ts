/**
 * The Workers entry, for real: `wrangler dev --local --test-scheduled` runs src/worker.ts in workerd, with the
 * Hyperdrive binding on a fresh PostgreSQL database (migrated and seeded from Node) and LARK_DOMAIN on the
 * emulator, which serves the fake Open API on a loopback port and delivers signed, encrypted webhooks to the
 * worker's /lark/events.
 *
 * Needs PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test): skipped with a message
 * when it is unreachable, except with CI=true, where that is a failure.
 */
import { serve, type ServerType } from '@hono/node-server';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/index.js';
import { jobRuns, outbox } from '../../db/schema.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { demoDirectory } from '../../db/seed/directory.js';
import { migrate, openDb, type DbHandle } from '../../src/store/db.js';
import { createDatabase, dropDatabase, eventually, pgReachable, startWranglerDev, type WranglerDev } from './harness.js';

const PG_BASE = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const IN_CI = process.env.CI === 'true';
const pgUp = await pgReachable(PG_BASE);
if (!pgUp && !IN_CI) {
  console.warn(
    `test/workers/worker.test.ts skipped: PostgreSQL at ${new URL(PG_BASE).host} is not reachable (set TEST_DATABASE_URL; with CI=true this fails)`,
  );
}

// A fake app: these are the emulator's credentials, handed to the worker as vars.
const APP = {
  appId: 'cli_worker_test',
  appSecret: 'worker-test-secret',
  encryptKey: 'worker-test-encrypt-key',
  verificationToken: 'worker-test-verification-token',
};
/**
 * Friday 2026-11-13, 09:00 in Asia/Shanghai: 5 workdays before the 20th, the first reminder round. wrangler's
 * /__scheduled cannot pass a time, so the worker gets it as BOT_NOW (its testing override, see src/worker.ts)
 * and the emulator signs its webhooks as of the same instant.
 */
const REMINDER_DAY = '2026-11-13';
const BOT_NOW = '2026-11-13T09:00:00+08:00';
const OFFICER = 'ou_demo_wu_lei';

describe.skipIf(!pgUp && !IN_CI)('the Workers entry under wrangler dev', () => {
  let dbUrl: string | undefined;
  let handle: DbHandle | undefined;
  let emulator: Emulator;
  let larkServer: ServerType | undefined;
  let worker: WranglerDev | undefined;

  beforeAll(async () => {
    if (!pgUp) throw new Error(`PostgreSQL at ${new URL(PG_BASE).host} is not reachable, and CI=true: this test never skips in CI`);
    dbUrl = await createDatabase(PG_BASE, 'zb_worker');
    await migrate(dbUrl);
    handle = await openDb(dbUrl, { max: 2 });
    await seedDemo(handle.db, REMINDER_DAY);

    let workerUrl = '';
    const began = Date.now();
    emulator = createEmulator({
      ...APP,
      now: () => Date.parse(BOT_NOW) + (Date.now() - began),
      botWebhookUrl: () => `${workerUrl}/lark/events`,
      directory: demoDirectory(),
      limits: { enforce: true },
    });
    larkServer = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: (req) => emulator.app.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const a = larkServer.address();
    const larkUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;

    worker = await startWranglerDev({
      hyperdriveUrl: dbUrl,
      vars: {
        LARK_APP_ID: APP.appId,
        LARK_APP_SECRET: APP.appSecret,
        LARK_ENCRYPT_KEY: APP.encryptKey,
        LARK_VERIFICATION_TOKEN: APP.verificationToken,
        LARK_DOMAIN: larkUrl,
        BOT_NOW,
        LOG_LEVEL: process.env.TEST_LOG ?? 'warn',
      },
      timeoutMs: 60_000,
    });
    workerUrl = worker.url;
  }, 90_000);

  afterAll(async () => {
    await worker?.stop();
    await new Promise<void>((resolve) => (larkServer ? larkServer.close(() => resolve()) : resolve()));
    await handle?.close();
    if (dbUrl) await dropDatabase(PG_BASE, dbUrl);
  }, 30_000);

  const explain = () => `\n--- wrangler dev output ---\n${worker?.output() ?? ''}`;

  it('answers GET /healthz with 200 once the database answers through Hyperdrive', async () => {
    const res = await fetch(`${worker!.url}/healthz`);
    expect(res.status, explain()).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, checks: { database: { ok: true }, outbox: { ok: true, pending: 0 } } });
  });

  it('refuses an unsigned webhook', async () => {
    const res = await fetch(`${worker!.url}/lark/events`, {
      method: 'POST',
      body: '{"encrypt":"x"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it('answers a signed im.message.receive_v1 (帮助) with its reply in the fake Lark', async () => {
    const res = await emulator.sendText(OFFICER, '帮助');
    expect(res.status, explain()).toBe(200);
    const reply = await eventually('the reply to 帮助', () => emulator.messages({ openId: OFFICER, from: 'bot' })[0]).catch(
      (err: Error) => {
        throw new Error(err.message + explain());
      },
    );
    expect(JSON.stringify(reply.content)).toContain('我的项目');
    expect(emulator.warnings).toEqual([]);
  });

  it('runs the monthly reminder on its Cron Trigger and the cards reach the fake Lark once', async () => {
    const db = handle!.db;
    const cards = () => emulator.messages({ from: 'bot' }).filter((m) => m.msg_type === 'interactive');
    // The trigger wrangler.toml lists for 09:00 Beijing time (01:00 UTC), on a reminder day.
    const trigger = `${worker!.url}/__scheduled?cron=${encodeURIComponent('0 1,2 * * *')}`;
    const res = await fetch(trigger);
    expect(res.status, explain()).toBe(200);

    const run = await eventually('the reminders run', async () => {
      const [r] = await db
        .select()
        .from(jobRuns)
        .where(and(eq(jobRuns.job, 'reminders'), eq(jobRuns.periodKey, '2026-11:r5')));
      return r?.status === 'done' ? r : undefined;
    }).catch((err: Error) => {
      throw new Error(err.message + explain());
    });
    const sent = (run.detail as { sent: number }).sent;
    expect(sent).toBeGreaterThan(3);
    const reminderRows = async () => (await db.select().from(outbox)).filter((r) => r.idemKey.startsWith('reminders:2026-11:r5:'));
    await eventually('the reminder cards to leave the outbox', async () =>
      (await reminderRows()).every((r) => r.status === 'sent') ? true : undefined,
    );
    const rows = await reminderRows();
    expect(rows).toHaveLength(sent);
    // Each owner's reminder is one card in the fake Lark (an away owner's goes to the delegate, as a card of its
    // own; other jobs due that morning send theirs too).
    expect(new Set(rows.map((r) => r.larkMessageId)).size).toBe(sent);
    const delivered = rows.map((r) => emulator.message(r.larkMessageId!));
    expect(
      delivered.every((m) => m?.msg_type === 'interactive' && JSON.stringify(m.content).includes('填报提醒')),
      explain(),
    ).toBe(true);
    const total = cards().length;

    // The same trigger again (a retry, a second isolate): the runner's claim makes it a no-op.
    expect((await fetch(trigger)).status).toBe(200);
    // The outbox sweep trigger runs no job, it only drains.
    expect((await fetch(`${worker!.url}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`)).status).toBe(200);
    expect(await reminderRows()).toHaveLength(sent);
    expect(cards().length).toBe(total);
    expect(emulator.warnings).toEqual([]);
  });

  it('fetched the tenant token once for all of it: the cache lives as long as the isolate', () => {
    expect(emulator.tokenFetches()).toBe(1);
  });
});
