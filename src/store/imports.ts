import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { importSessions } from '../../db/schema.js';
import type { Db, Tx } from './db.js';
import { sealIf, type InboxSeal } from './dedupe.js';

type Q = Db | Tx;

/** A ledger sent in chat, from its preview to its confirmation (or cancellation) and result. */
export type ImportSession = typeof importSessions.$inferSelect;
export type ImportStatus = 'preview' | 'refused' | 'cancelled' | 'applying' | 'applied' | 'failed';

export async function createImportSession(
  q: Q,
  s: { personId: number; fileName: string; fileKey: string; messageId: string; status: ImportStatus; summary: unknown },
): Promise<ImportSession> {
  const [row] = await q.insert(importSessions).values(s).returning();
  return row!;
}

/**
 * Takes a session of this person from 'preview' to `to`, once: a double click or a second admin finds it
 * already taken (undefined).
 */
export async function claimImportSession(q: Q, id: number, personId: number, to: ImportStatus): Promise<ImportSession | undefined> {
  const [row] = await q
    .update(importSessions)
    .set({ status: to })
    .where(and(eq(importSessions.id, id), eq(importSessions.personId, personId), eq(importSessions.status, 'preview')))
    .returning();
  return row;
}

export async function importSessionById(q: Q, id: number): Promise<ImportSession | undefined> {
  return (await q.select().from(importSessions).where(eq(importSessions.id, id)))[0];
}

export async function setImportStatus(q: Q, id: number, status: ImportStatus): Promise<void> {
  await q.update(importSessions).set({ status }).where(eq(importSessions.id, id));
}

const leaseFor = (ms: number) => sql`now() + ${`${Math.max(1, Math.round(ms))} milliseconds`}::interval`;

/**
 * 确认导入: takes a session of this person from 'preview' to 'applying', once, holding it for `leaseMs` (the
 * database's clock) and remembering the card the result replaces, so the work can be resumed after a crash.
 */
export async function startApplying(
  q: Q,
  id: number,
  personId: number,
  cardMessageId: string | undefined,
  leaseMs: number,
): Promise<ImportSession | undefined> {
  const [row] = await q
    .update(importSessions)
    .set({ status: 'applying', cardMessageId: cardMessageId ?? null, leaseUntil: leaseFor(leaseMs) })
    .where(and(eq(importSessions.id, id), eq(importSessions.personId, personId), eq(importSessions.status, 'preview')))
    .returning();
  return row;
}

/**
 * `startApplying` with the 确认导入 callback's inbox record sealed in the same statement (issue 14): the session
 * moves to 'applying' and the event is marked done with `seal.response`, both or neither. True when this call took
 * the session; false (nothing written, nothing sealed) when it was not this person's preview any more.
 */
export async function startApplyingSealed(
  q: Q,
  id: number,
  personId: number,
  cardMessageId: string | undefined,
  leaseMs: number,
  seal: InboxSeal,
): Promise<boolean> {
  const res = await q.execute(sql`
    with s as (
      update import_sessions set status = 'applying', card_message_id = ${cardMessageId ?? null}::text, lease_until = ${leaseFor(leaseMs)}
       where id = ${id}::int and person_id = ${personId}::int and status = 'preview'
      returning id
    ), d as (
      ${sealIf(seal, 's')}
    )
    select id from s`);
  const rows = Array.isArray(res) ? res : ((res as { rows?: unknown[] }).rows ?? []);
  return rows.length > 0;
}

/** Extends the hold of a session still being applied. */
export async function renewImportLease(q: Q, id: number, leaseMs: number): Promise<void> {
  await q
    .update(importSessions)
    .set({ leaseUntil: leaseFor(leaseMs) })
    .where(and(eq(importSessions.id, id), eq(importSessions.status, 'applying')));
}

/**
 * Sessions left 'applying' by a process that died (their lease lapsed, or they are from before leases), taken
 * over for `leaseMs`: each is returned to exactly one caller.
 */
export async function takeOverStaleApplying(q: Q, leaseMs: number): Promise<ImportSession[]> {
  return q
    .update(importSessions)
    .set({ leaseUntil: leaseFor(leaseMs) })
    .where(and(eq(importSessions.status, 'applying'), or(isNull(importSessions.leaseUntil), lt(importSessions.leaseUntil, sql`now()`))))
    .returning();
}

/** The session's final status; its lease is let go. */
export async function finishImportSession(q: Q, id: number, status: 'applied' | 'failed'): Promise<void> {
  await q.update(importSessions).set({ status, leaseUntil: null }).where(eq(importSessions.id, id));
}
