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

/*
 * The admission reads who caused the event in its own statement (issue 18): the router no longer asks. What it
 * reads must be exactly what the router's own read gave: the active person with that open_id, or nobody.
 */
describe('inbox: the admission reads who knocked', () => {
  const t = useTestDb();
  const person = async (name: string, openId: string | null, active = true) =>
    (await t.db.insert(schema.people).values({ name, openId, active }).returning())[0]!;

  it('works: the active person with the open_id and the calendar stamp, on a first delivery and on a duplicate', async () => {
    const me = await person('王五', 'ou_adm_me');
    await t.db.insert(schema.settings).values({ key: 'calendar_version', value: 7 });
    const first = await admit(t.db, 'event:a1', undefined, 60_000, 'ou_adm_me');
    expect(first.state).toBe('new');
    expect(first.actor?.person).toMatchObject({ id: me.id, name: '王五', openId: 'ou_adm_me', active: true });
    expect(first.actor?.calendarVersion).toBe(7);
    // the row is the whole person, typed as the table's own select gives it (a Date, the role array)
    const [direct] = await t.db
      .select()
      .from(schema.people)
      .where(sql`id = ${me.id}`);
    expect(first.actor?.person).toEqual(direct);
    // a duplicate is still told who it is (the event is not handled again, but nothing hangs on the read)
    const again = await admit(t.db, 'event:a1', undefined, 60_000, 'ou_adm_me');
    expect(again.state).toBe('seen');
    expect(again.actor?.person.id).toBe(me.id);
    // without an open_id nothing is read: the answer is the admission alone
    expect(await admit(t.db, 'event:a2', undefined, 60_000)).toEqual({ state: 'new' });
  });

  it('refused: an unknown open_id, a deactivated person and an empty open_id read as nobody, and the event is still admitted', async () => {
    await person('离职者', 'ou_adm_gone', false);
    await person('无飞书', null);
    for (const [key, openId] of [
      ['event:r1', 'ou_adm_nobody'],
      ['event:r2', 'ou_adm_gone'],
      ['event:r3', ''],
    ] as const) {
      const a = await admit(t.db, key, undefined, 60_000, openId);
      expect(a).toEqual({ state: 'new', actor: null });
    }
    expect((await t.db.select().from(schema.processedEvents)).map((r) => r.key).sort()).toEqual(['event:r1', 'event:r2', 'event:r3']);
  });

  it('attacker: an open_id written as SQL is a value, and never names someone else', async () => {
    await person('王五', 'ou_adm_victim');
    for (const openId of ["ou_x' or '1'='1", 'ou_adm_victim%', "ou_adm_victim' --", 'OU_ADM_VICTIM', ' ou_adm_victim']) {
      const a = await admit(t.db, `event:x:${openId}`, undefined, 60_000, openId);
      expect(a.state).toBe('new');
      expect(a.actor).toBeNull();
    }
    expect(await t.db.select().from(schema.people)).toHaveLength(1);
  });
});
