/**
 * GET /metrics: the counts move as events arrive (received, duplicate, refused), as replies go out to Lark (ok,
 * 429, 5xx) and as jobs run; the outbox figures are read at scrape time; the endpoint wants its bearer token when
 * one is configured; a label never takes a value an attacker chooses.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/index.js';
import { FixedClock } from '../../src/clock.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { allJobs } from '../../src/jobs/index.js';
import { runJob } from '../../src/jobs/runner.js';
import { silentLogger } from '../../src/log.js';
import { instrumentHandlers } from '../../src/ops/instrument.js';
import { createPrometheusMetrics } from '../../src/ops/prometheus.js';
import { enqueue } from '../../src/store/outbox.js';
import { startTestBot, type TestBot } from '../helpers/bot.js';
import { useTestDb } from '../helpers/db.js';
import { get, samples, value } from './scrape.js';

const OFFICER = 'ou_demo_wu_lei';
const AT = '2026-11-13T09:00:00+08:00';
const TOKEN = 'scrape-token-0123456789abcdef';

describe('/metrics', { timeout: 60_000 }, () => {
  const t = useTestDb();
  const clock = new FixedClock(AT);
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ db: t.db, clock, env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await bot?.close();
  });
  beforeEach(async () => {
    bot.emulator.reset();
    bot.emulator.faults.clear();
    clock.set(AT);
    await seedDemo(t.db, AT.slice(0, 10));
  });

  /** `null`: no Authorization header at all. */
  const scrape = async (auth: string | null = `Bearer ${TOKEN}`) => get(`${bot.url}/metrics`, auth === null ? {} : { authorization: auth });
  const metrics = async () => {
    const res = await scrape();
    expect(res.status).toBe(200);
    return res.text();
  };

  describe('works', () => {
    it('answers in the Prometheus text format, every metric described', async () => {
      const res = await scrape();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      for (const name of [
        'zhaoshang_events_received_total',
        'zhaoshang_events_refused_total',
        'zhaoshang_events_duplicate_total',
        'zhaoshang_handler_failures_total',
        'zhaoshang_reply_latency_seconds',
        'zhaoshang_lark_requests_total',
        'zhaoshang_job_runs_total',
        'zhaoshang_outbox_pending',
        'zhaoshang_outbox_oldest_pending_age_seconds',
        'zhaoshang_outbox_failed',
      ]) {
        expect(text).toContain(`# HELP ${name} `);
        expect(text).toContain(`# TYPE ${name} `);
      }
      expect(() => samples(text)).not.toThrow();
    });

    it('counts an event received, its reply latency and the send, then the redelivery as a duplicate', async () => {
      const before = await metrics();
      expect((await bot.emulator.sendText(OFFICER, '帮助')).status).toBe(200);
      await bot.settle();
      const after = await metrics();
      const moved = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
      expect(moved('zhaoshang_events_received_total', { kind: 'message' })).toBe(1);
      expect(moved('zhaoshang_reply_latency_seconds_count', { kind: 'message' })).toBe(1);
      expect(moved('zhaoshang_reply_latency_seconds_bucket', { kind: 'message', le: '+Inf' })).toBe(1);
      expect(moved('zhaoshang_lark_requests_total', { call: 'send', result: 'ok' })).toBe(1);
      expect(moved('zhaoshang_events_duplicate_total', {})).toBe(0);
      expect(moved('zhaoshang_handler_failures_total', {})).toBe(0);

      await bot.emulator.redeliver(bot.emulator.events.at(-1)!.event_id);
      await bot.settle();
      const again = await metrics();
      expect(
        value(again, 'zhaoshang_events_received_total', { kind: 'message' }) -
          value(after, 'zhaoshang_events_received_total', { kind: 'message' }),
      ).toBe(1);
      expect(
        value(again, 'zhaoshang_events_duplicate_total', { key: 'event' }) -
          value(after, 'zhaoshang_events_duplicate_total', { key: 'event' }),
      ).toBe(1);
      expect(value(again, 'zhaoshang_reply_latency_seconds_count', { kind: 'message' })).toBe(
        value(after, 'zhaoshang_reply_latency_seconds_count', { kind: 'message' }),
      );
      expect(bot.emulator.messages({ openId: OFFICER })).toHaveLength(1);
    });

    it('counts the sends Lark throttled (429) and the ones its servers failed (5xx) beside the ones that went', async () => {
      const before = await metrics();
      bot.emulator.faults.fail({ status: 429, count: 1, resetSeconds: 1, pathPrefix: '/open-apis/im/v1/messages' });
      await bot.emulator.sendText(OFFICER, '帮助');
      await bot.settle();
      bot.emulator.faults.fail({ status: 503, count: 1, pathPrefix: '/open-apis/im/v1/messages' });
      await bot.emulator.sendText(OFFICER, '帮助');
      await bot.settle();
      const after = await metrics();
      const moved = (result: string) =>
        value(after, 'zhaoshang_lark_requests_total', { call: 'send', result }) -
        value(before, 'zhaoshang_lark_requests_total', { call: 'send', result });
      expect(moved('429')).toBe(1);
      expect(moved('5xx')).toBe(1);
      expect(moved('ok')).toBe(2);
      expect(bot.emulator.messages({ openId: OFFICER })).toHaveLength(2);
    });

    it('counts job runs by job and outcome', async () => {
      const reminders = allJobs().find((j) => j.name === 'reminders')!;
      const before = await metrics();
      expect((await runJob(bot.runtime.deps, reminders, clock.now())).status).toBe('done');
      expect((await runJob(bot.runtime.deps, reminders, clock.now())).status).toBe('already_done');
      const after = await metrics();
      const moved = (outcome: string) =>
        value(after, 'zhaoshang_job_runs_total', { job: 'reminders', outcome }) -
        value(before, 'zhaoshang_job_runs_total', { job: 'reminders', outcome });
      expect(moved('done')).toBe(1);
      expect(moved('already_done')).toBe(1);
      expect(moved('failed')).toBe(0);
    });

    it('reads the outbox at scrape time: pending rows and the age of the oldest, back to 0 once sent', async () => {
      for (const i of [1, 2, 3]) {
        await enqueue(t.db, {
          idemKey: `metrics-test:${i}`,
          op: 'create',
          receiveIdType: 'open_id',
          receiveId: OFFICER,
          msgType: 'text',
          content: { text: `第${i}条` },
        });
      }
      await t.db.execute(
        sql`update outbox set created_at = now() - interval '90 seconds', next_attempt_at = now() - interval '90 seconds' where idem_key = 'metrics-test:1'`,
      );
      const waiting = await metrics();
      expect(value(waiting, 'zhaoshang_outbox_pending')).toBe(3);
      expect(value(waiting, 'zhaoshang_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(90);
      expect(value(waiting, 'zhaoshang_outbox_oldest_pending_age_seconds')).toBeLessThan(300);
      await bot.settle();
      const drained = await metrics();
      expect(value(drained, 'zhaoshang_outbox_pending')).toBe(0);
      expect(value(drained, 'zhaoshang_outbox_oldest_pending_age_seconds')).toBe(0);
    });

    it('counts a handler that throws, and times only the ones that answer', async () => {
      const m = createPrometheusMetrics({ db: t.db, logger: silentLogger });
      const boom = new Error('boom');
      const handlers = instrumentHandlers(
        {
          onMessage: () => Promise.reject(boom),
          onCardAction: async () => ({}),
          onBotAdded: async () => {},
          onMenu: async () => {},
          onFailed: async () => {},
        },
        m,
      );
      await expect(handlers.onMessage({} as never)).rejects.toBe(boom);
      await handlers.onCardAction({} as never, () => {});
      const text = (await m.render()).body;
      expect(value(text, 'zhaoshang_handler_failures_total', { kind: 'message' })).toBe(1);
      expect(value(text, 'zhaoshang_reply_latency_seconds_count', { kind: 'message' })).toBe(0);
      expect(value(text, 'zhaoshang_reply_latency_seconds_count', { kind: 'card_action' })).toBe(1);
    });

    it('keeps each bot its own registry: two bots in one process count apart', async () => {
      const other = await startTestBot({ db: t.db, clock });
      try {
        const mine = value(await metrics(), 'zhaoshang_events_received_total');
        await other.emulator.sendText(OFFICER, '帮助');
        await other.settle();
        expect(value(await (await get(`${other.url}/metrics`)).text(), 'zhaoshang_events_received_total')).toBe(1);
        expect(value(await metrics(), 'zhaoshang_events_received_total')).toBe(mine);
      } finally {
        await other.close();
      }
    });
  });

  describe('refused', () => {
    it('answers 401 without the bearer token, or with another one, when METRICS_TOKEN is set', async () => {
      for (const auth of [null, '', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN]) {
        const res = await scrape(auth);
        expect(res.status, String(auth)).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(await res.text()).not.toContain('zhaoshang_');
      }
    });

    it('counts a forged webhook as refused, never as received', async () => {
      const before = await metrics();
      const res = await bot.emulator
        .sendText(OFFICER, '帮助')
        .then(() =>
          bot.emulator.deliverRaw(
            { event_type: 'im.message.receive_v1', event: { sender: { sender_id: { open_id: OFFICER } } } },
            { badSignature: true },
          ),
        );
      expect(res.status).toBe(401);
      await bot.settle();
      const after = await metrics();
      expect(
        value(after, 'zhaoshang_events_refused_total', { status: '401' }) -
          value(before, 'zhaoshang_events_refused_total', { status: '401' }),
      ).toBe(1);
      // the genuine 帮助 before it, only
      expect(value(after, 'zhaoshang_events_received_total') - value(before, 'zhaoshang_events_received_total')).toBe(1);
    });

    it('refuses a METRICS_TOKEN too short or with spaces at start-up, naming the variable only', () => {
      for (const bad of ['short', 'with spaces in the middle of it', 'x'.repeat(257)]) {
        expect(() => loadConfig({ METRICS_TOKEN: bad })).toThrow(ConfigError);
        try {
          loadConfig({ METRICS_TOKEN: bad });
        } catch (err) {
          expect((err as Error).message).toMatch(/^invalid configuration: METRICS_TOKEN: /);
          expect((err as Error).message).not.toContain(bad);
        }
      }
      expect(loadConfig({ METRICS_TOKEN: TOKEN }).metricsToken).toBe(TOKEN);
      expect(loadConfig({}).metricsToken).toBeUndefined();
    });
  });

  describe('attacked', () => {
    it('puts a signed event of a made-up type under kind="other", never its type as a label', async () => {
      const evil = 'x"} 1\nzhaoshang_job_runs_total{job="fake",outcome="done"} 99';
      const res = await bot.emulator.deliverRaw({ event_type: evil, event: {} });
      expect(res.status).toBe(200);
      const text = await metrics();
      expect(value(text, 'zhaoshang_events_received_total', { kind: 'other' })).toBeGreaterThanOrEqual(1);
      expect(text).not.toContain('fake');
      expect(() => samples(text)).not.toThrow();
    });

    it('does not leak the token through a timing-unsafe or prefix comparison: a longer token with the right prefix is refused', async () => {
      expect((await scrape(`Bearer ${TOKEN}${TOKEN}`)).status).toBe(401);
      expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(200);
    });
  });
});
