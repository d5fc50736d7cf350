/**
 * A restarted sender counts what the outbox sent in the last minute against Lark's send windows, so it does not
 * meet a 429 for what the dead process spent. The limiter's part runs on virtual time; the sender's part reads
 * real outbox rows from the database.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { FixedClock } from '../../src/clock.js';
import { DEFAULT_LIMITS, sendRules, SlidingWindowLimiter, type LarkLimits } from '../../src/lark/client.js';
import { createOutboxSender } from '../../src/lark/outbox-sender.js';
import { silentLogger } from '../../src/log.js';
import { schema } from '../../src/store/db.js';
import { enqueue } from '../../src/store/outbox.js';
import { useTestDb } from '../helpers/db.js';

const limits: LarkLimits = { ...DEFAULT_LIMITS, marginMs: 0 };

function virtual(startMs: number) {
  let now = startMs;
  const timers: { at: number; resolve: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ at: now + ms, resolve })),
    async run() {
      for (;;) {
        await new Promise((r) => setImmediate(r));
        if (timers.length === 0) return;
        timers.sort((a, b) => a.at - b.at);
        const t = timers.shift()!;
        now = Math.max(now, t.at);
        t.resolve();
      }
    },
  };
}

/** When the limiter grants a send to `chat`, on virtual time. */
async function grantedAt(vt: ReturnType<typeof virtual>, limiter: SlidingWindowLimiter, chat: string): Promise<number> {
  let at = -1;
  const p = limiter.acquire(sendRules(limits, chat)).then(() => (at = vt.now()));
  await vt.run();
  await p;
  return at;
}

describe('SlidingWindowLimiter.seed', () => {
  it('makes a new limiter wait for grants an earlier process made in the same minute', async () => {
    const vt = virtual(1_000_000);
    const limiter = new SlidingWindowLimiter(vt);
    // The dead process sent 1000 messages between 40 s and 30 s ago: the minute window is full.
    for (let i = 0; i < 1000; i++) limiter.seed(sendRules(limits, `oc_${i}`), vt.now() - 40_000 + i * 10);
    // The first seeded grant leaves the window 20 s from now; not before.
    expect((await grantedAt(vt, limiter, 'oc_new')) - 1_000_000).toBe(20_000);
  });

  it('ignores grants older than the window and grants in the future', async () => {
    const vt = virtual(1_000_000);
    const limiter = new SlidingWindowLimiter(vt);
    for (let i = 0; i < 1000; i++) limiter.seed(sendRules(limits, `oc_${i}`), vt.now() - 61_000);
    for (let i = 0; i < 1000; i++) limiter.seed(sendRules(limits, `oc_${i}`), vt.now() + 5_000);
    expect(await grantedAt(vt, limiter, 'oc_new')).toBe(1_000_000);
  });

  it('keeps per-chat order: a seeded grant to a chat paces the next send to it', async () => {
    const vt = virtual(1_000_000);
    const limiter = new SlidingWindowLimiter(vt);
    for (let i = 0; i < 5; i++) limiter.seed(sendRules(limits, 'oc_busy'), vt.now() - 100 + i);
    expect(await grantedAt(vt, limiter, 'oc_busy')).toBeGreaterThan(1_000_000);
  });
});

describe('outbox sender start', () => {
  const t = useTestDb();
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0)) await s();
  });

  /** What a sender starting on `clock` counts against Lark's windows (its seedSends); it sends nothing. */
  async function seedsAtStart(clock: FixedClock): Promise<{ ageMs: number; to: string }[]> {
    const seen: { ageMs: number; to: string }[] = [];
    const refuse = () => Promise.reject(new Error('nothing is sent here'));
    const sender = createOutboxSender({
      db: t.db,
      clock,
      logger: silentLogger,
      pollMs: 10_000,
      lark: {
        sendMessage: refuse,
        replyMessage: refuse,
        patchMessage: refuse,
        uploadFile: refuse,
        seedSends: (s) => seen.push(...s),
      },
    });
    sender.start();
    stops.push(() => sender.stop());
    for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    return seen;
  }

  it('counts the last minute’s sends from the outbox, with their age and chat, before it sends anything', async () => {
    const clock = new FixedClock('2026-11-13T09:00:00+08:00');
    const now = clock.now().getTime();
    await t.db.transaction(async (tx) => {
      await enqueue(tx, {
        idemKey: 'a',
        op: 'create',
        receiveIdType: 'chat_id',
        receiveId: 'oc_a',
        msgType: 'text',
        content: { text: 'a' },
      });
      await enqueue(tx, { idemKey: 'b', op: 'reply', targetMessageId: 'om_x', msgType: 'text', content: { text: 'b' } });
      await enqueue(tx, {
        idemKey: 'old',
        op: 'create',
        receiveIdType: 'open_id',
        receiveId: 'ou_old',
        msgType: 'text',
        content: { text: 'o' },
      });
      await enqueue(tx, { idemKey: 'patch', op: 'patch', targetMessageId: 'om_y', msgType: 'interactive', content: {} });
    });
    const sentAt = (key: string, ms: number) =>
      t.db
        .update(schema.outbox)
        .set({ status: 'sent', sentAt: new Date(now - ms) })
        .where(eq(schema.outbox.idemKey, key));
    await sentAt('a', 10_000);
    await sentAt('b', 20_000);
    await sentAt('old', 120_000);
    await sentAt('patch', 5_000);

    const seen = await seedsAtStart(clock);
    expect(seen.sort((x, y) => x.ageMs - y.ageMs)).toEqual([
      { ageMs: 10_000, to: 'oc_a' },
      { ageMs: 20_000, to: 'msg:om_x' },
    ]);
  });

  it('counts rows another sender claimed and did not mark (it may have sent them) as sent just now; not lapsed or other claims', async () => {
    const clock = new FixedClock('2026-11-13T09:00:00+08:00');
    const now = clock.now().getTime();
    const row = (idemKey: string, receiveId: string) =>
      enqueue(t.db, { idemKey, op: 'create', receiveIdType: 'open_id', receiveId, msgType: 'text', content: { text: idemKey } });
    await row('held', 'ou_held');
    await row('lapsed', 'ou_lapsed');
    await row('free', 'ou_free');
    const lease = (key: string, ms: number) =>
      t.db
        .update(schema.outbox)
        .set({ attempts: 1, leaseUntil: new Date(now + ms) })
        .where(eq(schema.outbox.idemKey, key));
    await lease('held', 30_000); // claimed by the dead sender 30 s ago under a 60-s lease
    await lease('lapsed', -1_000);

    const seen = await seedsAtStart(clock);
    expect(seen).toEqual([{ ageMs: 0, to: 'ou_held' }]);
  });
});
