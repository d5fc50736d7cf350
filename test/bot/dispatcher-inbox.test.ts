/**
 * The dispatcher over the inbox (real database, the router's seam replaced by recording handlers): a handler's
 * failure is logged with the event id and answered; a duplicate card callback gets the first answer replayed;
 * a stored event left unfinished is resumed by the sweep once its lease lapsed; a NUL byte is stored cleaned.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createDispatcher, type Defer, type Handlers } from '../../src/bot/dispatcher.js';
import { FixedClock } from '../../src/clock.js';
import { createCalendar } from '../../src/domain/calendar.js';
import type { Envelope } from '../../src/lark/events.js';
import { schema } from '../../src/store/db.js';
import { admit, markDone, MAX_ATTEMPTS } from '../../src/store/dedupe.js';
import { enqueue } from '../../src/store/outbox.js';
import type { Deps } from '../../src/context.js';
import { useTestDb } from '../helpers/db.js';

const text = (id: string, body: string): Envelope => ({
  schema: '2.0',
  header: { event_id: id, event_type: 'im.message.receive_v1' },
  event: {
    sender: { sender_id: { open_id: 'ou_wei' } },
    message: {
      message_id: `om_${id}`,
      chat_id: 'oc_p2p_wei',
      chat_type: 'p2p',
      message_type: 'text',
      content: JSON.stringify({ text: body }),
    },
  },
});
const click = (id: string): Envelope => ({
  schema: '2.0',
  header: { event_id: id, event_type: 'card.action.trigger' },
  event: { operator: { open_id: 'ou_wei' }, action: { value: { a: 'x' } }, context: { open_message_id: 'om_card' } },
});

function harness(db: Deps['db'], behave: { fail?: boolean; gate?: Promise<void>; sealThenFail?: boolean } = {}) {
  const seen: string[] = [];
  const failed: { kind: string; ref: string }[] = [];
  let clicks = 0;
  const handlers: Handlers = {
    async onMessage(m) {
      seen.push(m.text);
      if (behave.gate) await behave.gate;
      if (behave.fail) throw new Error('boom');
    },
    async onCardAction(_ev, _defer, inbox) {
      clicks++;
      if (behave.sealThenFail) {
        // the action's change committed with its record sealed; something after it throws
        await markDone(db, inbox!.key, { toast: { type: 'success', content: '已核实' } });
        inbox!.sealed = true;
        throw new Error('after the commit');
      }
      if (behave.fail) throw new Error('boom');
      return { toast: { type: 'success', content: `第${clicks}次` } };
    },
    async onBotAdded() {},
    async onMenu() {},
    async onFailed(ev, ref) {
      failed.push({ kind: ev.kind, ref });
    },
  };
  const errors: unknown[] = [];
  const deps: Deps = {
    db,
    clock: new FixedClock('2026-11-20T02:00:00Z'),
    logger: { ...silentLike(errors) } as unknown as Deps['logger'],
    calendar: createCalendar({ timeZone: 'Asia/Shanghai' }),
    notifyOutbox: () => {},
  };
  const tasks: Promise<unknown>[] = [];
  const defer: Defer = (_label, fn) => void tasks.push(fn());
  const receive = createDispatcher(deps, handlers, { leaseMs: 200 });
  return { receive, defer, seen, failed, errors, settle: () => Promise.race([Promise.all(tasks), wait(500)]), clicks: () => clicks };
}

/** A logger that keeps what was logged at error level (object and message). */
function silentLike(errors: unknown[]) {
  const noop = () => {};
  const self = {
    info: noop,
    warn: noop,
    debug: noop,
    trace: noop,
    fatal: noop,
    error: (obj: unknown, msg?: string) => errors.push({ obj, msg }),
    child: () => self,
  };
  return self;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('dispatcher over the inbox', () => {
  const t = useTestDb();

  it('answers a failed handler with the short apology, logs it with the event id, and does not retry it', async () => {
    const h = harness(t.db, { fail: true });
    await h.receive(text('ev_f', '推进 风电 签约'), h.defer);
    await h.settle();
    expect(h.failed).toEqual([{ kind: 'message', ref: expect.any(String) }]);
    expect(h.errors).toContainEqual({ obj: expect.objectContaining({ eventId: 'ev_f' }), msg: 'handling an event failed' });
    const [row] = await t.db
      .select()
      .from(schema.processedEvents)
      .where(sql`key = 'event:ev_f'`);
    expect(row!.doneAt).not.toBeNull();
  });

  it('keeps a card action’s sealed record when what fails comes after its commit: a redelivery replays, not redoes', async () => {
    const h = harness(t.db, { sealThenFail: true });
    const first = await h.receive(click('ev_s'), h.defer);
    expect(first).toMatchObject({ toast: { type: 'error' } });
    const again = await h.receive(click('ev_s'), h.defer);
    expect(again).toEqual({ toast: { type: 'success', content: '已核实' } });
    expect(h.clicks()).toBe(1);
  });

  it('replays the first answer to a duplicate card callback, without running the action again', async () => {
    const h = harness(t.db);
    const first = await h.receive(click('ev_c'), h.defer);
    const again = await h.receive(click('ev_c'), h.defer);
    expect(first).toEqual({ toast: { type: 'success', content: '第1次' } });
    expect(again).toEqual(first);
    expect(h.clicks()).toBe(1);
  });

  it('resumes a message whose handler died (lease lapsed) from the sweep, once', async () => {
    // A killed process left the event admitted (seen, stored) and unfinished; nothing renews its lease.
    expect(await admit(t.db, 'event:ev_r', { kind: 'im.message.receive_v1', payload: text('ev_r', '我的项目') }, 60_000)).toEqual({
      state: 'new',
    });
    await t.db.execute(sql`update processed_events set lease_until = now() - interval '1 second' where key = 'event:ev_r'`);
    const next = harness(t.db);
    expect(await next.receive.sweep(next.defer)).toBe(1);
    await next.settle();
    expect(next.seen).toEqual(['我的项目']);
    expect(await next.receive.sweep(next.defer)).toBe(0);
  });

  it('takes over a redelivered message still held by a dead handler once its lease lapses, not dropping it', async () => {
    // A killed process admitted the event with a 400-ms lease and died; a fresh process (no sweep running) gets
    // Lark's redelivery while that lease still holds.
    await admit(t.db, 'event:ev_h', { kind: 'im.message.receive_v1', payload: text('ev_h', '我的项目') }, 400);
    const next = harness(t.db);
    expect(await next.receive(text('ev_h', '我的项目'), next.defer)).toBeUndefined();
    expect(next.seen).toEqual([]); // held: not handled at once
    // a second redelivery meanwhile queues no second look
    await next.receive(text('ev_h', '我的项目'), next.defer);
    for (let i = 0; i < 40 && next.seen.length === 0; i++) await wait(100);
    await wait(300);
    expect(next.seen).toEqual(['我的项目']);
    const [row] = await t.db
      .select()
      .from(schema.processedEvents)
      .where(sql`key = 'event:ev_h'`);
    expect(row).toMatchObject({ attempts: 2 });
    expect(row!.doneAt).not.toBeNull();
  });

  it('leaves a message held by a live handler alone: its renewed lease outlasts the redelivery’s look', async () => {
    let release!: () => void;
    const live = harness(t.db, { gate: new Promise<void>((r) => (release = r)) });
    await live.receive(text('ev_l', '导出'), live.defer);
    await wait(50);
    expect(live.seen).toEqual(['导出']); // working, renewing its 200-ms lease every 50 ms
    const other = harness(t.db);
    await other.receive(text('ev_l', '导出'), other.defer);
    await wait(700); // past the first lease and the look: the live handler renewed it
    expect(other.seen).toEqual([]);
    release();
    await live.settle();
    const [row] = await t.db
      .select()
      .from(schema.processedEvents)
      .where(sql`key = 'event:ev_l'`);
    expect(row).toMatchObject({ attempts: 1 });
    expect(row!.doneAt).not.toBeNull();
  });

  it('answers a message whose process died at every attempt with the apology, once, and never runs it again', async () => {
    // Five starts, each ended by a crash (MAX_ATTEMPTS), the last lease lapsed: no more attempts.
    await admit(t.db, 'event:ev_x', { kind: 'im.message.receive_v1', payload: text('ev_x', '导出') }, 60_000);
    await t.db.execute(
      sql`update processed_events set attempts = ${MAX_ATTEMPTS}, lease_until = now() - interval '1 second' where key = 'event:ev_x'`,
    );
    const next = harness(t.db);
    await next.receive.sweep(next.defer);
    await next.settle();
    expect(next.seen).toEqual([]);
    expect(next.failed).toEqual([{ kind: 'message', ref: expect.any(String) }]);
    const [row] = await t.db
      .select()
      .from(schema.processedEvents)
      .where(sql`key = 'event:ev_x'`);
    expect(row!.doneAt).not.toBeNull();
    // the next sweep finds nothing; one still held by a live attempt is left alone
    await next.receive.sweep(next.defer);
    expect(next.failed).toHaveLength(1);
    await admit(t.db, 'event:ev_y', { kind: 'im.message.receive_v1', payload: text('ev_y', '导出') }, 60_000);
    await t.db.execute(sql`update processed_events set attempts = ${MAX_ATTEMPTS} where key = 'event:ev_y'`);
    await next.receive.sweep(next.defer);
    expect(next.failed).toHaveLength(1);
  });

  it('gives up on a message whose last attempt died after its reply was queued without apologising as well', async () => {
    await admit(t.db, 'event:ev_q', { kind: 'im.message.receive_v1', payload: text('ev_q', '导出') }, 60_000);
    await t.db.execute(
      sql`update processed_events set attempts = ${MAX_ATTEMPTS}, lease_until = now() - interval '1 second' where key = 'event:ev_q'`,
    );
    // the fifth attempt queued its reply to om_ev_q, then its process died before marking the event done
    await enqueue(t.db, {
      idemKey: 'reply:om_ev_q',
      op: 'reply',
      targetMessageId: 'om_ev_q',
      msgType: 'text',
      content: { text: '已导出' },
    });
    // another message's reply does not count for this one
    await admit(t.db, 'event:ev_o', { kind: 'im.message.receive_v1', payload: text('ev_o', '导出') }, 60_000);
    await t.db.execute(
      sql`update processed_events set attempts = ${MAX_ATTEMPTS}, lease_until = now() - interval '1 second' where key = 'event:ev_o'`,
    );
    const next = harness(t.db);
    await next.receive.sweep(next.defer);
    expect(next.failed).toHaveLength(1); // ev_o only
    const rows = await t.db
      .select()
      .from(schema.processedEvents)
      .where(sql`key in ('event:ev_q', 'event:ev_o')`);
    expect(rows.every((r) => r.doneAt !== null)).toBe(true);
  });

  it('stores an event holding a NUL byte cleaned (PostgreSQL refuses U+0000 in jsonb), and handles it', async () => {
    const h = harness(t.db);
    const env = text('ev_nul', '东丰\u0000进展');
    // a raw NUL in a field of the envelope itself (the text's is escaped inside its JSON string)
    env.event = { ...env.event, extra: 'a\u0000b' };
    await h.receive(env, h.defer);
    await h.settle();
    expect(h.seen).toEqual(['东丰进展']);
    const [row] = await t.db
      .select()
      .from(schema.processedEvents)
      .where(sql`key = 'event:ev_nul'`);
    expect((row!.payload as { event: { extra: string } }).event.extra).toBe('ab');
  });
});
