/**
 * GET /healthz: 200 while the database answers, the outbox moves and the long connection is open; 503 with the
 * part that is not, in a JSON body that names each part. A stuck outbox (a pending row older than the threshold)
 * turns it 503, and it comes back to 200 once the outbox drains.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { checkHealth } from '../../src/ops/health.js';
import { openDb } from '../../src/store/db.js';
import { enqueue } from '../../src/store/outbox.js';
import { startTestBot, type TestBot } from '../helpers/bot.js';
import { useTestDb } from '../helpers/db.js';
import { startWsTestBot, type WsTestBot } from '../helpers/ws-bot.js';
import { get } from './scrape.js';

const OFFICER = 'ou_demo_wu_lei';
const AT = '2026-11-13T09:00:00+08:00';

interface HealthBody {
  ok: boolean;
  checks: Record<string, { ok: boolean; [k: string]: unknown }>;
}

async function health(url: string): Promise<{ status: number; body: HealthBody }> {
  const res = await get(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as HealthBody };
}

describe('/healthz', { timeout: 60_000 }, () => {
  const t = useTestDb();
  const clock = new FixedClock(AT);
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ db: t.db, clock });
  });
  afterAll(async () => {
    await bot?.close();
  });
  beforeEach(() => bot.emulator.reset());

  /** A message waiting in the outbox, enqueued `ageSeconds` ago by the database's clock. */
  async function pendingRow(key: string, ageSeconds: number) {
    await enqueue(t.db, {
      idemKey: key,
      op: 'create',
      receiveIdType: 'open_id',
      receiveId: OFFICER,
      msgType: 'text',
      content: { text: key },
    });
    await t.db.execute(
      sql`update outbox set created_at = now() - make_interval(secs => ${ageSeconds}), next_attempt_at = now() - make_interval(secs => ${ageSeconds}) where idem_key = ${key}`,
    );
  }

  describe('works', () => {
    it('answers 200 with each part: the database, and an empty outbox', async () => {
      const { status, body } = await health(bot.url);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        ok: true,
        checks: { database: { ok: true }, outbox: { ok: true, pending: 0, oldestPendingAgeSeconds: 0, maxAgeSeconds: 600 } },
      });
      expect(body.checks.longConnection).toBeUndefined(); // webhook delivery: no long connection to report
    });

    it('stays 200 while young rows wait (a fan-out under way is not a stuck outbox)', async () => {
      await pendingRow('young:1', 30);
      await pendingRow('young:2', 0);
      const { status, body } = await health(bot.url);
      expect(status).toBe(200);
      expect(body.checks.outbox).toMatchObject({ ok: true, pending: 2 });
      expect(body.checks.outbox!.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(30);
    });

    it('turns 503 when a row has waited past the threshold, and back to 200 once the outbox drains', async () => {
      await pendingRow('stuck:1', 15 * 60);
      await pendingRow('stuck:2', 5);
      const stuck = await health(bot.url);
      expect(stuck.status).toBe(503);
      expect(stuck.body.ok).toBe(false);
      expect(stuck.body.checks.database!.ok).toBe(true);
      expect(stuck.body.checks.outbox).toMatchObject({ ok: false, pending: 2, maxAgeSeconds: 600 });
      expect(stuck.body.checks.outbox!.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(15 * 60);

      await bot.settle();
      expect(bot.emulator.messages({ openId: OFFICER })).toHaveLength(2);
      const drained = await health(bot.url);
      expect(drained.status).toBe(200);
      expect(drained.body.checks.outbox).toMatchObject({ ok: true, pending: 0, oldestPendingAgeSeconds: 0 });
    });

    it('takes its threshold from HEALTH_OUTBOX_MAX_AGE_SECONDS', async () => {
      const strict = await startTestBot({ db: t.db, clock, env: { HEALTH_OUTBOX_MAX_AGE_SECONDS: '60' } });
      try {
        await pendingRow('strict:1', 90);
        expect((await health(strict.url)).status).toBe(503);
        expect((await health(bot.url)).status).toBe(200);
      } finally {
        await strict.close();
      }
    });

    it('does not count a row given up (failed): it will never go, and /metrics reports it', async () => {
      await pendingRow('given-up:1', 3600);
      await t.db.execute(sql`update outbox set status = 'failed' where idem_key = 'given-up:1'`);
      expect((await health(bot.url)).status).toBe(200);
    });
  });

  describe('refused', () => {
    it('reports a database that does not answer, and the outbox as unknown', async () => {
      const handle = await openDb('memory://');
      await handle.close();
      const h = await checkHealth({ db: handle.db, logger: silentLogger, outboxMaxAgeSeconds: 600 });
      expect(h.ok).toBe(false);
      expect(h.checks.database).toEqual({ ok: false, error: 'the database does not answer' });
      expect(h.checks.outbox.ok).toBe(false);
    });

    it('refuses a threshold out of range at start-up', () => {
      for (const bad of ['0', '5', '-1', 'ten', '1.5', '100000']) {
        expect(() => loadConfig({ HEALTH_OUTBOX_MAX_AGE_SECONDS: bad }), bad).toThrow(ConfigError);
      }
      expect(loadConfig({}).healthOutboxMaxAgeSeconds).toBe(600);
    });
  });
});

describe('/healthz with the long connection', { timeout: 60_000 }, () => {
  const t = useTestDb();
  const clock = new FixedClock(AT);
  let bot: WsTestBot;

  beforeAll(async () => {
    bot = await startWsTestBot({ db: t.db, clock });
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('reports the connection open, notices a drop and the reconnection, and turns 503 once it is closed', async () => {
    const open = await health(bot.url);
    expect(open.status).toBe(200);
    expect(open.body.checks.longConnection).toMatchObject({ ok: true, state: 'open' });

    const transport = bot.transports[0]!;
    const before = transport.state();
    expect(bot.emulator.longConnection!.drop()).toBe(1);
    // open → reconnecting → open: the state is open again, since a later moment
    await expect
      .poll(() => transport.state().state === 'open' && transport.state().sinceMs > before.sinceMs, { timeout: 15_000 })
      .toBe(true);
    expect((await health(bot.url)).status).toBe(200);

    transport.stop();
    const closed = await health(bot.url);
    expect(closed.status).toBe(503);
    expect(closed.body.ok).toBe(false);
    expect(closed.body.checks.longConnection).toMatchObject({ ok: false, state: 'closed' });
    expect(closed.body.checks.database!.ok).toBe(true);
  });
});
