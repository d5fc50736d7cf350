import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { schema } from '../../src/store/db.js';
import {
  claimBatch,
  enqueue,
  findByIdemKey,
  larkMessageIdFor,
  markFailed,
  markRetry,
  markSent,
  nextDueAt,
  release,
} from '../../src/store/outbox.js';
import { useTestDb } from '../helpers/db.js';

const text = (t: string) => ({ text: t });

describe('outbox store', () => {
  const t = useTestDb();

  it('enqueues a cause once: the second enqueue of an idem key is a no-op', async () => {
    const m = { idemKey: 'reply:om_1', op: 'reply' as const, targetMessageId: 'om_1', msgType: 'text', content: text('收到') };
    expect(await t.db.transaction((tx) => enqueue(tx, m))).toBe(true);
    expect(await t.db.transaction((tx) => enqueue(tx, { ...m, content: text('又收到') }))).toBe(false);
    const rows = await t.db.select().from(schema.outbox);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.content).toEqual(text('收到'));
    expect(rows[0]!.status).toBe('pending');
  });

  it('is written by the transaction that enqueues it, and vanishes with its rollback', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await enqueue(tx, {
          idemKey: 'k1',
          op: 'create',
          receiveIdType: 'chat_id',
          receiveId: 'oc_1',
          msgType: 'text',
          content: text('a'),
        });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await t.db.select().from(schema.outbox)).toHaveLength(0);
  });

  it('refuses rows that could never be sent', async () => {
    await expect(enqueue(t.db, { idemKey: 'x', op: 'create', msgType: 'text', content: text('a') })).rejects.toThrow(/receiveId/);
    await expect(enqueue(t.db, { idemKey: 'y', op: 'patch', msgType: 'interactive', content: {} })).rejects.toThrow(/targetMessageId/);
  });

  it('claims due rows oldest first with a lease, counting the attempt; a leased row is not claimed again', async () => {
    // in the future of the database clock, so `notBefore` is not taken for "at once" (see claimBatch)
    const now = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_600_000);
    for (let i = 1; i <= 5; i++) {
      await enqueue(t.db, {
        idemKey: `k${i}`,
        op: 'create',
        receiveIdType: 'open_id',
        receiveId: `ou_${i}`,
        msgType: 'text',
        content: text(`${i}`),
        notBefore: now,
      });
    }
    await enqueue(t.db, {
      idemKey: 'later',
      op: 'create',
      receiveIdType: 'open_id',
      receiveId: 'ou_9',
      msgType: 'text',
      content: text('later'),
      notBefore: new Date(now.getTime() + 45_000),
    });

    const first = await claimBatch(t.db, { limit: 3, leaseMs: 30_000, now });
    expect(first.map((r) => r.idemKey)).toEqual(['k1', 'k2', 'k3']);
    expect(first.every((r) => r.attempts === 1 && r.leaseUntil?.getTime() === now.getTime() + 30_000)).toBe(true);

    const second = await claimBatch(t.db, { limit: 10, leaseMs: 30_000, now });
    expect(second.map((r) => r.idemKey)).toEqual(['k4', 'k5']);
    expect(await claimBatch(t.db, { limit: 10, leaseMs: 30_000, now })).toEqual([]);

    // after the lease runs out (a crashed sender), the rows come back, attempts counted again
    const after = new Date(now.getTime() + 30_000);
    const again = await claimBatch(t.db, { limit: 10, leaseMs: 30_000, now: after });
    expect(again.map((r) => r.idemKey)).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
    expect(again.every((r) => r.attempts === 2)).toBe(true);

    // the not-yet-due row is due 45 s later (the others are leased until 60 s)
    const later = await claimBatch(t.db, { limit: 10, leaseMs: 30_000, now: new Date(now.getTime() + 45_000) });
    expect(later.map((r) => r.idemKey)).toEqual(['later']);
  });

  it('treats a row enqueued to go at once as due even when the sender’s clock is behind the database’s', async () => {
    await enqueue(t.db, {
      idemKey: 'now',
      op: 'create',
      receiveIdType: 'chat_id',
      receiveId: 'oc_1',
      msgType: 'text',
      content: text('now'),
    });
    const past = new Date('2020-01-01T00:00:00Z');
    expect((await claimBatch(t.db, { limit: 5, leaseMs: 1000, now: past })).map((r) => r.idemKey)).toEqual(['now']);
  });

  it('marks sent, retry and failed; a late retry or failure does not undo a send', async () => {
    const now = new Date('2026-03-02T08:00:00Z');
    for (const k of ['a', 'b', 'c']) {
      await enqueue(t.db, {
        idemKey: k,
        op: 'create',
        receiveIdType: 'chat_id',
        receiveId: 'oc_1',
        msgType: 'text',
        content: text(k),
        notBefore: now,
      });
    }
    const [a, b, c] = await claimBatch(t.db, { limit: 10, leaseMs: 30_000, now });
    await markSent(t.db, a!.id, 'om_a', now);
    await markRetry(t.db, b!.id, 'HTTP 503', new Date(now.getTime() + 5000));
    await markFailed(t.db, c!.id, 'code 230002: Bot/User can NOT be out of the chat.');

    expect(await larkMessageIdFor(t.db, 'a')).toBe('om_a');
    expect(await larkMessageIdFor(t.db, 'b')).toBeNull();
    const rb = await findByIdemKey(t.db, 'b');
    expect(rb).toMatchObject({ status: 'pending', lastError: 'HTTP 503', leaseUntil: null, attempts: 1 });
    expect(rb!.nextAttemptAt.getTime()).toBe(now.getTime() + 5000);
    expect(await findByIdemKey(t.db, 'c')).toMatchObject({
      status: 'failed',
      lastError: 'code 230002: Bot/User can NOT be out of the chat.',
    });

    // another sender's late failure report must not reopen a sent row
    await markRetry(t.db, a!.id, 'late', now);
    await markFailed(t.db, a!.id, 'late');
    expect(await findByIdemKey(t.db, 'a')).toMatchObject({ status: 'sent', larkMessageId: 'om_a', lastError: null });

    expect((await nextDueAt(t.db))?.getTime()).toBe(now.getTime() + 5000);
  });

  it('release hands rows back without counting the claim', async () => {
    const now = new Date('2026-03-02T08:00:00Z');
    await enqueue(t.db, {
      idemKey: 'r',
      op: 'create',
      receiveIdType: 'chat_id',
      receiveId: 'oc_1',
      msgType: 'text',
      content: text('r'),
      notBefore: now,
    });
    const [r] = await claimBatch(t.db, { limit: 1, leaseMs: 30_000, now });
    await release(t.db, [r!.id]);
    const [again] = await claimBatch(t.db, { limit: 1, leaseMs: 30_000, now });
    expect(again!.attempts).toBe(1);
  });

  it('nextDueAt is null when nothing is pending', async () => {
    expect(await nextDueAt(t.db)).toBeNull();
    await enqueue(t.db, { idemKey: 's', op: 'create', receiveIdType: 'chat_id', receiveId: 'oc_1', msgType: 'text', content: text('s') });
    await t.db.update(schema.outbox).set({ status: 'sent' }).where(eq(schema.outbox.idemKey, 's'));
    expect(await nextDueAt(t.db)).toBeNull();
  });
});
