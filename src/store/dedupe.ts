import { and, eq, gte, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { people, processedEvents, settings } from '../../db/schema.js';
import type { Person } from './directory.js';
import type { Db, Tx } from './db.js';
import { preparedOn } from './db-core.js';

/**
 * Durable de-duplication of Lark deliveries. Lark redelivers an event it thinks unanswered (15 s, 5 min,
 * 1 h, 6 h) and may deliver twice anyway; keys are 'event:<event_id>' and 'message:<message_id>'.
 */

/** Keys are kept at least this long: well past Lark's last redelivery. */
export const DEDUPE_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export const eventKey = (eventId: string) => `event:${eventId}`;
export const messageKey = (messageId: string) => `message:${messageId}`;

/** True the first time `key` is seen, false on every later call (across processes and restarts). */
export async function firstSeen(db: Db | Tx, key: string, at?: Date): Promise<boolean> {
  const rows = await db
    .insert(processedEvents)
    .values(at ? { key, receivedAt: at } : { key })
    .onConflictDoNothing({ target: processedEvents.key })
    .returning({ key: processedEvents.key });
  return rows.length > 0;
}

/** Forgets a key, so a delivery whose handling failed gets another chance when Lark redelivers it. */
export async function forget(db: Db | Tx, key: string): Promise<void> {
  await db.delete(processedEvents).where(eq(processedEvents.key, key));
}

/**
 * Deletes keys received before `before`, but never one younger than DEDUPE_RETENTION_MS (relative to `now`):
 * a cutoff too recent is clamped, not obeyed. Returns how many keys went.
 */
export async function purgeOlderThan(db: Db | Tx, before: Date, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(Math.min(before.getTime(), now.getTime() - DEDUPE_RETENTION_MS));
  const rows = await db.delete(processedEvents).where(lt(processedEvents.receivedAt, cutoff)).returning({ key: processedEvents.key });
  return rows.length;
}

/*
 * The inbox. An event whose work runs after Lark's answer is stored with its payload in the same statement that
 * makes it seen, and marked done only once its work (its replies' outbox rows included) is committed. Whoever
 * handles it holds a lease stamped with the database's clock (not the injected one); a crashed handler's lease
 * lapses and the event is taken over, by Lark's redelivery or by the sweep, at most MAX_ATTEMPTS times.
 */

/** An event that keeps failing by crashing its process is not started again after this many attempts. */
export const MAX_ATTEMPTS = 5;

export type Admission =
  /** first delivery: handle it */
  | { state: 'new' }
  /** seen, unfinished, its lease lapsed: taken over, handle it again (the work is idempotent by its keys) */
  | { state: 'resumed'; attempts: number }
  /**
   * seen, unfinished, and its lease not yet lapsed: another handler holds it — or held it and died, in which case
   * the lease lapses in `lapsesInMs` and the event can be taken over then (a restart inside a dead handler's lease
   * meets this: the redelivery must not be dropped for good)
   */
  | { state: 'held'; lapsesInMs: number }
  /** seen and finished, or given up on, or never stored to be resumed */
  | { state: 'seen'; response?: unknown };

/** Who knocked, read by the admission that let their event in (the router asks nothing more). */
export interface KnownActor {
  person: Person;
  /** The calendar's version stamp (settings 'calendar_version'), 0 when never set. */
  calendarVersion: number;
}

/**
 * Makes `key` seen and, in the same statement, stores the event (`kind`, `payload`) and takes a lease of
 * `leaseMs` on it. A redelivery of an unfinished event whose lease lapsed takes it over instead of being dropped.
 *
 * With `actorOpenId`, the same statement also reads who caused the event (the active person with that open_id, or
 * null) and the calendar's version stamp, as `actor` on the admission (issue 18: one round trip fewer on every
 * event; the router asked for them in a statement of its own right after this one). With `alsoKey` (a message's
 * `message:<id>`), it also makes that key seen, and `alsoNew` says whether this delivery was the first with it.
 */
export async function admit(
  db: Db | Tx,
  key: string,
  event: { kind: string; payload: unknown } | undefined,
  leaseMs: number,
  actorOpenId?: string,
  alsoKey?: string,
): Promise<Admission & { actor?: KnownActor | null; alsoNew?: boolean }> {
  const [row] = await preparedAdmission(db, event !== undefined).execute({
    key,
    alsoKey: alsoKey ?? null,
    leaseMs: `${Math.max(1, Math.round(leaseMs))} milliseconds`,
    // null matches nobody (`open_id = null` is never true): without an open_id the admission reads no one
    openId: actorOpenId ?? null,
    ...(event ? { kind: event.kind, payload: event.payload } : {}),
  });
  const attempts = row?.attempts == null ? null : Number(row.attempts);
  const actor: KnownActor | null | undefined =
    actorOpenId === undefined
      ? undefined
      : row?.person
        ? { person: row.person, calendarVersion: typeof row.version === 'number' ? row.version : 0 }
        : null;
  const known = { ...(actor === undefined ? {} : { actor }), ...(alsoKey === undefined ? {} : { alsoNew: row?.alsoNew === true }) };
  if (attempts !== null) return attempts <= 1 ? { state: 'new', ...known } : { state: 'resumed', attempts, ...known };
  const [seen] = await db
    .select({
      response: processedEvents.response,
      // milliseconds until the lease lapses, by the database's clock; null when nothing can take the event over
      lapsesInMs: sql<number | null>`case when ${resumableLater()}
        then greatest(0, ceil(extract(epoch from (${processedEvents.leaseUntil} - now())) * 1000))::float8 end`,
    })
    .from(processedEvents)
    .where(eq(processedEvents.key, key));
  if (seen?.lapsesInMs != null) return { state: 'held', lapsesInMs: Number(seen.lapsesInMs), ...known };
  return seen?.response != null ? { state: 'seen', response: seen.response, ...known } : { state: 'seen', ...known };
}

/**
 * The admission that also reads who knocked, as a drizzle prepared query (issue 18): the insert runs as a
 * data-modifying CTE whether or not a person matches, and one row always comes back. Its SQL is built once per
 * database handle (a prepared query belongs to the session it was made on) instead of on every event, and on
 * PostgreSQL it runs as a named statement. Two shapes: with the event's payload stored (work done after the
 * answer), and without (a card callback, answered in its response), whose payload stays SQL NULL.
 */
function buildAdmission(q: Db | Tx, stored: boolean) {
  const lease = sql`now() + ${sql.placeholder('leaseMs')}::interval`;
  const key = sql.placeholder('key');
  const insert = q
    .insert(processedEvents)
    .values(
      stored
        ? { key, kind: sql.placeholder('kind'), payload: sql.placeholder('payload'), leaseUntil: lease, attempts: 1 }
        : { key, leaseUntil: lease, attempts: 1 },
    )
    .onConflictDoUpdate({
      target: processedEvents.key,
      set: { leaseUntil: lease, attempts: sql`${processedEvents.attempts} + 1` },
      setWhere: sql`${processedEvents.doneAt} is null and ${processedEvents.leaseUntil} is not null
        and ${processedEvents.leaseUntil} < now() and ${processedEvents.attempts} < ${MAX_ATTEMPTS}`,
    })
    .returning({ attempts: processedEvents.attempts });
  const adm = q.$with('adm').as(insert);
  // A message is also seen under its message_id (Lark may deliver one message under two event ids): that key is
  // inserted in the same statement, and `alsoNew` says whether this delivery was the first to bring it.
  const also = q.$with('also', { key: processedEvents.key }).as(
    sql`insert into ${processedEvents} (${sql.identifier('key')})
        select k from (select ${sql.placeholder('alsoKey')}::text as k) as x where k is not null
        on conflict (${sql.identifier('key')}) do nothing returning ${sql.identifier('key')}`,
  );
  return q
    .with(adm, also)
    .select({
      attempts: sql<number | null>`(select ${sql.identifier('attempts')} from ${adm})`,
      alsoNew: sql<boolean>`exists (select 1 from ${also})`,
      person: people,
      version: sql<unknown>`(select ${settings.value} from ${settings} where ${settings.key} = 'calendar_version')`,
    })
    .from(sql`(select 1) as one`)
    .leftJoin(people, and(eq(people.openId, sql.placeholder('openId')), eq(people.active, true)))
    .prepare(stored ? 'admit_stored' : 'admit_callback');
}

const storedAdmissions = new WeakMap<object, ReturnType<typeof buildAdmission>>();
const callbackAdmissions = new WeakMap<object, ReturnType<typeof buildAdmission>>();

const preparedAdmission = (q: Db | Tx, stored: boolean) =>
  stored
    ? preparedOn(storedAdmissions, q, (h) => buildAdmission(h, true))
    : preparedOn(callbackAdmissions, q, (h) => buildAdmission(h, false));

/**
 * Milliseconds until the first lease of an unfinished, resumable event lapses (0 when one already has), or null
 * when no event is held: a sweep that found events still held looks again then, not only at its next interval.
 */
export async function nextLapseMs(db: Db | Tx): Promise<number | null> {
  const [row] = await db
    .select({
      // (greatest() would ignore the null of no rows at all)
      ms: sql<number | null>`ceil(extract(epoch from (min(${processedEvents.leaseUntil}) - now())) * 1000)::float8`,
    })
    .from(processedEvents)
    .where(resumableLater());
  return row?.ms == null ? null : Math.max(0, Number(row.ms));
}

/** An event stored to be resumed, unfinished, under a lease and below MAX_ATTEMPTS: taken over once its lease lapses. */
function resumableLater() {
  return and(
    isNull(processedEvents.doneAt),
    isNotNull(processedEvents.payload),
    isNotNull(processedEvents.leaseUntil),
    lt(processedEvents.attempts, MAX_ATTEMPTS),
  )!;
}

/** Extends the lease of an event still being handled (the handler renews it while it works). */
export async function renewLease(db: Db | Tx, key: string, leaseMs: number): Promise<void> {
  await db
    .update(processedEvents)
    .set({ leaseUntil: sql`now() + ${`${Math.max(1, Math.round(leaseMs))} milliseconds`}::interval` })
    .where(and(eq(processedEvents.key, key), isNull(processedEvents.doneAt)));
}

/**
 * A card callback's inbox record, handed by the dispatcher to the handler and on to the service that changes state
 * (issue 14, 18). A service marks it done (`markDone(tx, key, answer)`) in the statement or transaction of its change,
 * with the very answer the callback returns, and sets `sealed` once that committed: the dispatcher then leaves the
 * record alone. A redelivered click replays that answer, never finding the change made but the callback unanswered.
 * Refusals change nothing and leave it unsealed: the dispatcher marks them done with their answer.
 */
export interface CardInbox {
  readonly key: string;
  sealed: boolean;
}

/**
 * A message event's inbox record, handed by the dispatcher to the handler: the seam that queues the handler's
 * replies marks it done in the statement (or transaction) that queues them and sets `sealed`; the dispatcher then
 * leaves it alone (issue 18: one round trip fewer per chat answer, and the replies and the event's end commit
 * together, so a crash between them no longer has the message handled again).
 */
export interface MessageInbox {
  readonly key: string;
  sealed: boolean;
}

/** The CTE that marks the event `key` done, for a statement whose main work is something else (`with … select`). */
export function doneCte(q: Db | Tx, key: string) {
  return q.$with('sealed').as(markingDone(q, key).returning({ key: processedEvents.key }));
}

/**
 * The inbox record a card callback's state change commits with, when the change is one statement (issue 14, 18):
 * the event is marked done, with the answer replayed to a duplicate delivery, in that same statement.
 */
export interface InboxSeal {
  key: string;
  response: unknown;
}

/**
 * The part of a single-statement change that seals its callback (`with …, d as (<this>) select …`): the record is
 * marked done with `seal.response` only when the statement's CTE named `written` returned a row, so a change that
 * wrote nothing (taken by a concurrent click) seals nothing and the caller answers as it would otherwise.
 */
export function sealIf(seal: InboxSeal, written: string): SQL {
  if (!/^[a-z_][a-z0-9_]*$/.test(written)) throw new Error(`sealIf: ${written} is not a CTE name`);
  return sql`update processed_events set done_at = now(), lease_until = null, response = ${JSON.stringify(seal.response)}::jsonb
       where key = ${seal.key}::text and exists (select 1 from ${sql.raw(written)})`;
}

/** Marks the event's work committed; a card callback's answer is kept to replay to a duplicate. */
export async function markDone(db: Db | Tx, key: string, response?: unknown): Promise<void> {
  await markingDone(db, key, response);
}

/** The update that marks an event done (its lease dropped, a callback's answer kept): run alone, or as a CTE. */
function markingDone(q: Db | Tx, key: string, response?: unknown) {
  return q
    .update(processedEvents)
    .set({ doneAt: sql`now()`, leaseUntil: null, ...(response !== undefined ? { response } : {}) })
    .where(eq(processedEvents.key, key));
}

/** Stored events whose work is unfinished and whose last lease has lapsed, oldest first: `resumable` ones below
 * MAX_ATTEMPTS, or the `exhausted` ones at it. */
function lapsed(which: 'resumable' | 'exhausted') {
  return and(
    isNull(processedEvents.doneAt),
    isNotNull(processedEvents.payload),
    lt(processedEvents.leaseUntil, sql`now()`),
    which === 'resumable' ? lt(processedEvents.attempts, MAX_ATTEMPTS) : gte(processedEvents.attempts, MAX_ATTEMPTS),
  );
}

/** Events stored to be resumed whose work is unfinished and whose lease has lapsed (oldest first). */
export async function unfinishedEvents(db: Db | Tx, limit = 100): Promise<{ key: string; kind: string | null; payload: unknown }[]> {
  return db
    .select({ key: processedEvents.key, kind: processedEvents.kind, payload: processedEvents.payload })
    .from(processedEvents)
    .where(lapsed('resumable'))
    .orderBy(processedEvents.receivedAt)
    .limit(limit);
}

/**
 * Events given up on: still unfinished after MAX_ATTEMPTS starts (each ended by a crash) and the last lease
 * lapsed. The sweep answers each with the failure reply and marks it done, so the person hears something.
 */
export async function exhaustedEvents(db: Db | Tx, limit = 100): Promise<{ key: string; payload: unknown }[]> {
  return db
    .select({ key: processedEvents.key, payload: processedEvents.payload })
    .from(processedEvents)
    .where(lapsed('exhausted'))
    .orderBy(processedEvents.receivedAt)
    .limit(limit);
}
