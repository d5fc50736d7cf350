/**
 * The inbox (store/dedupe.ts): an event is seen and stored in one statement, held under a lease stamped with the
 * database's clock, and resumed only once its lease lapsed and its work is unfinished.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { schema } from '../../src/store/db.js';
import { admit, markDone, MAX_ATTEMPTS, nextLapseMs, renewLease, unfinishedEvents } from '../../src/store/dedupe.js';
import { useTestDb } from '../helpers/db.js';

const ev = (id: string) => ({ kind: 'im.message.receive_v1', payload: { schema: '2.0', header: { event_id: id }, event: { n: 1 } } });
const lapse = (db: ReturnType<typeof useTestDb>['db'], key: string) =>
  db.execute(sql`update processed_events set lease_until = now() - interval '1 second' where key = ${key}`);

describe('inbox: what works', () => {
  const t = useTestDb();

  it('stores the event with its payload in the step that makes it seen, and keeps it unfinished until done', async () => {
    expect(await admit(t.db, 'event:e1', ev('e1'), 60_000)).toEqual({ state: 'new' });
    const [row] = await t.db.select().from(schema.processedEvents);
    expect(row).toMatchObject({ key: 'event:e1', kind: 'im.message.receive_v1', doneAt: null, attempts: 1 });
    expect(row!.payload).toEqual(ev('e1').payload);
    expect(row!.leaseUntil!.getTime()).toBeGreaterThan(Date.now() + 30_000);
    // held: neither a redelivery nor the sweep takes it; the redelivery learns when the lease lapses
    const held = await admit(t.db, 'event:e1', ev('e1'), 60_000);
    expect(held).toEqual({ state: 'held', lapsesInMs: expect.any(Number) });
    expect(held.state === 'held' && held.lapsesInMs).toBeGreaterThan(30_000);
    expect(held.state === 'held' && held.lapsesInMs).toBeLessThanOrEqual(60_000);
    expect(await nextLapseMs(t.db)).toBeGreaterThan(30_000);
    expect(await unfinishedEvents(t.db)).toEqual([]);
    await markDone(t.db, 'event:e1');
    expect(await nextLapseMs(t.db)).toBeNull();
    await lapse(t.db, 'event:e1');
    expect(await unfinishedEvents(t.db)).toEqual([]);
    expect(await admit(t.db, 'event:e1', ev('e1'), 60_000)).toEqual({ state: 'seen' });
  });

  it('resumes an unfinished event whose lease lapsed: by a redelivery or by the sweep, once', async () => {
    await admit(t.db, 'event:e2', ev('e2'), 60_000);
    await lapse(t.db, 'event:e2');
    expect((await unfinishedEvents(t.db)).map((r) => r.key)).toEqual(['event:e2']);
    const both = await Promise.all([admit(t.db, 'event:e2', ev('e2'), 60_000), admit(t.db, 'event:e2', ev('e2'), 60_000)]);
    expect(both.filter((a) => a.state === 'resumed')).toEqual([{ state: 'resumed', attempts: 2 }]);
    expect(await unfinishedEvents(t.db)).toEqual([]);
  });

  it('tells when the first held lease lapses (0 once one has), for the start-up sweep to look again then', async () => {
    await t.db.execute(sql`delete from processed_events`);
    expect(await nextLapseMs(t.db)).toBeNull();
    await admit(t.db, 'event:n1', ev('n1'), 60_000);
    await admit(t.db, 'event:n2', ev('n2'), 5_000);
    const ms = await nextLapseMs(t.db);
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThanOrEqual(5_000);
    await lapse(t.db, 'event:n2');
    expect(await nextLapseMs(t.db)).toBe(0);
    // a card callback (no payload) is never resumed, so it is never waited for
    await t.db.execute(sql`delete from processed_events`);
    await admit(t.db, 'event:c9', undefined, 5_000);
    expect(await nextLapseMs(t.db)).toBeNull();
  });

  it('replays a card callback’s stored answer', async () => {
    await admit(t.db, 'event:c1', undefined, 60_000);
    await markDone(t.db, 'event:c1', { toast: { type: 'success', content: '已提交' } });
    expect(await admit(t.db, 'event:c1', undefined, 60_000)).toEqual({
      state: 'seen',
      response: { toast: { type: 'success', content: '已提交' } },
    });
  });

  it('renews a lease while the work goes on', async () => {
    await admit(t.db, 'event:r1', ev('r1'), 200);
    await renewLease(t.db, 'event:r1', 60_000);
    await new Promise((r) => setTimeout(r, 300));
    expect((await admit(t.db, 'event:r1', ev('r1'), 60_000)).state).toBe('held');
  });
});

describe('inbox: what is refused', () => {
  const t = useTestDb();

  it('gives up on an event after MAX_ATTEMPTS crashed attempts', async () => {
    await admit(t.db, 'event:x', ev('x'), 60_000);
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      await lapse(t.db, 'event:x');
      expect((await admit(t.db, 'event:x', ev('x'), 60_000)).state).toBe('resumed');
    }
    await lapse(t.db, 'event:x');
    expect(await admit(t.db, 'event:x', ev('x'), 60_000)).toEqual({ state: 'seen' });
    expect(await unfinishedEvents(t.db)).toEqual([]);
  });

  it('never resumes a row from before the inbox (no payload)', async () => {
    await t.db.insert(schema.processedEvents).values({ key: 'event:old' });
    expect(await unfinishedEvents(t.db)).toEqual([]);
    expect(await admit(t.db, 'event:old', ev('old'), 60_000)).toEqual({ state: 'seen' });
  });
});
