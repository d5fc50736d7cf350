/**
 * src/worker.ts's handlers called directly in Node (no workerd), to pin down what `wrangler dev` cannot show:
 * without BOT_NOW a Cron Trigger runs the jobs whose own cron matches `controller.scheduledTime` in
 * BOT_TIMEZONE, as of that instant. Needs PostgreSQL, like worker.test.ts.
 */
import { serve, type ServerType } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/index.js';
import { jobRuns } from '../../db/schema.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { demoDirectory } from '../../db/seed/directory.js';
import { migrate, openDb, type DbHandle } from '../../src/store/db.js';
import worker, { workerConfig, type WorkerExecutionContext } from '../../src/worker.js';
import { ConfigError } from '../../src/config.js';
import { createDatabase, dropDatabase, pgReachable } from './harness.js';

const PG_BASE = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const IN_CI = process.env.CI === 'true';
const pgUp = await pgReachable(PG_BASE);
if (!pgUp && !IN_CI) {
  console.warn(
    `test/workers/scheduled.test.ts skipped: PostgreSQL at ${new URL(PG_BASE).host} is not reachable (set TEST_DATABASE_URL; with CI=true this fails)`,
  );
}

const APP = { appId: 'cli_sched_test', appSecret: 's', encryptKey: 'ek', verificationToken: 'vt' };

describe('workerConfig', () => {
  const base = {
    HYPERDRIVE: { connectionString: 'postgres://u:p@h/db' },
    LARK_APP_ID: 'a',
    LARK_APP_SECRET: 'b',
    LARK_ENCRYPT_KEY: 'c',
    LARK_VERIFICATION_TOKEN: 'd',
  };
  it('is webhook mode by default and refuses any other', () => {
    expect(workerConfig(base).lark.mode).toBe('webhook');
    expect(() => workerConfig({ ...base, LARK_MODE: 'ws' })).toThrow(/webhook mode only/);
  });
  it('names what is missing, never a value', () => {
    expect(() => workerConfig({ ...base, HYPERDRIVE: undefined })).toThrow(ConfigError);
    expect(() => workerConfig({ ...base, LARK_ENCRYPT_KEY: undefined })).toThrow(/LARK_ENCRYPT_KEY/);
  });
});

describe.skipIf(!pgUp && !IN_CI)('the scheduled handler, in Node', () => {
  let dbUrl: string | undefined;
  let handle: DbHandle | undefined;
  let emulator: Emulator;
  let server: ServerType | undefined;
  let env: Record<string, unknown>;

  beforeAll(async () => {
    if (!pgUp) throw new Error(`PostgreSQL at ${new URL(PG_BASE).host} is not reachable, and CI=true: this test never skips in CI`);
    dbUrl = await createDatabase(PG_BASE, 'zb_sched');
    await migrate(dbUrl);
    handle = await openDb(dbUrl, { max: 2 });
    await seedDemo(handle.db, '2026-11-19');
    emulator = createEmulator({
      ...APP,
      botWebhookUrl: 'http://127.0.0.1:9/unused',
      directory: demoDirectory(),
      limits: { enforce: true },
    });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: (req) => emulator.app.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const a = server.address();
    env = {
      HYPERDRIVE: { connectionString: dbUrl },
      LARK_APP_ID: APP.appId,
      LARK_APP_SECRET: APP.appSecret,
      LARK_ENCRYPT_KEY: APP.encryptKey,
      LARK_VERIFICATION_TOKEN: APP.verificationToken,
      LARK_DOMAIN: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`,
      BOT_TIMEZONE: 'Asia/Shanghai',
      LOG_LEVEL: 'silent',
    };
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await handle?.close();
    if (dbUrl) await dropDatabase(PG_BASE, dbUrl);
  });

  async function trigger(cron: string, at: string): Promise<void> {
    const pending: Promise<unknown>[] = [];
    const ctx: WorkerExecutionContext = { waitUntil: (p) => void pending.push(p), passThroughOnException: () => {}, props: {} };
    await worker.scheduled({ cron, scheduledTime: Date.parse(at), noRetry: () => {} }, env, ctx);
    await Promise.all(pending);
  }

  const runs = async () => (await handle!.db.select().from(jobRuns)).map((r) => `${r.job} ${r.periodKey} ${r.status}`).sort();

  it('runs nothing at a trigger minute no job is scheduled for, nor on the outbox sweep', async () => {
    await trigger('0 1,2 * * *', '2026-11-19T03:00:00+08:00');
    await trigger('*/5 * * * *', '2026-11-19T09:00:00+08:00');
    expect(await runs()).toEqual([]);
  });

  it('runs the 09:00 jobs as of scheduledTime: the last reminder round the day before the deadline', async () => {
    await trigger('0 1,2 * * *', '2026-11-19T09:00:00+08:00');
    expect(await runs()).toContain('reminders 2026-11:r1 done');
    expect((await runs()).some((r) => r.startsWith('overdue ') || r.startsWith('ageing '))).toBe(false);
    const [run] = await handle!.db.select().from(jobRuns).where(eq(jobRuns.job, 'reminders'));
    const sent = (run!.detail as { sent: number }).sent;
    expect(sent).toBeGreaterThan(0);
    // drained within the same invocation
    expect(emulator.messages({ from: 'bot' }).filter((m) => JSON.stringify(m.content).includes('填报提醒'))).toHaveLength(sent);
  });

  it('answers GET /healthz through the same app', async () => {
    const pending: Promise<unknown>[] = [];
    const ctx: WorkerExecutionContext = { waitUntil: (p) => void pending.push(p), passThroughOnException: () => {}, props: {} };
    const res = await worker.fetch(new Request('http://worker/healthz'), env, ctx);
    await Promise.all(pending);
    expect(res.status).toBe(200);
  });
});
