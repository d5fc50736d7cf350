import { and, asc, eq, gt, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { doneCte } from './dedupe.js';
import { outbox } from '../../db/schema.js';
import type { Db, Tx } from './db.js';

/*
 * The outbox: what the bot wants to say to Lark, written in the same transaction as the state change that
 * caused it, and sent afterwards by the outbox sender (src/lark/outbox-sender.ts), outside any transaction.
 *
 * A row is `pending` until sent (`sent`, with Lark's message id) or given up (`failed`, with the reason).
 * While a sender works on a row it holds a lease (`lease_until`); a sender that dies leaves the lease to
 * expire and another picks the row up. `attempts` counts claims, so a row that crashes its sender every
 * time still runs out of attempts.
 */

/** 'image': an image's bytes uploaded, then sent as a card showing it (img element); see outbox-sender. */
export type OutboxOp = 'create' | 'reply' | 'patch' | 'file' | 'image';
export type OutboxReceiveIdType = 'open_id' | 'user_id' | 'union_id' | 'email' | 'chat_id';
export type OutboxRow = typeof outbox.$inferSelect;

/** Prefix of `targetMessageId` naming another outbox row by idem key: the message id is resolved at send time. */
export const IDEM_REF = 'idem:';

export interface OutboxMessage {
  /** names the cause (e.g. 'reply:<message_id>', 'remind:<job>:<period>:<person>'): enqueued twice, sent once */
  idemKey: string;
  op: OutboxOp;
  /** create, file: who gets it. reply: optionally `chat_id` + the chat of the replied message (rate limits per chat). */
  receiveIdType?: OutboxReceiveIdType;
  receiveId?: string;
  /** reply, patch: the Lark message id acted on, or `idem:<key>` of a message this outbox sent (or will send) */
  targetMessageId?: string;
  /** Lark msg_type: text, post, interactive, file… */
  msgType: string;
  /**
   * Lark's content object (JSON-encoded when sent). For `file`: `{ fileName, fileType?, base64 }`; the sender
   * uploads it and sends a file message.
   */
  content: unknown;
  /** not before this instant (default: now, by the database clock) */
  notBefore?: Date;
}

function check(m: OutboxMessage): void {
  if (!m.idemKey) throw new Error('outbox: idemKey is required');
  if ((m.op === 'create' || m.op === 'file' || m.op === 'image') && (!m.receiveId || !m.receiveIdType)) {
    throw new Error(`outbox: ${m.op} needs receiveIdType and receiveId (${m.idemKey})`);
  }
  if ((m.op === 'reply' || m.op === 'patch') && !m.targetMessageId) {
    throw new Error(`outbox: ${m.op} needs targetMessageId (${m.idemKey})`);
  }
  if (m.content === undefined || m.content === null) throw new Error(`outbox: content is required (${m.idemKey})`);
}

/**
 * Adds a message to send; meant to run inside the transaction of the change that causes it. Returns true when
 * the row is new, false when a message with this idem key was already enqueued (it is then left as it was).
 */
export async function enqueue(tx: Db | Tx, m: OutboxMessage, seal?: string): Promise<boolean> {
  check(m);
  const insert = tx
    .insert(outbox)
    .values({
      idemKey: m.idemKey,
      op: m.op,
      receiveIdType: m.receiveIdType ?? null,
      receiveId: m.receiveId ?? null,
      targetMessageId: m.targetMessageId ?? null,
      msgType: m.msgType,
      content: m.content,
      ...(m.notBefore ? { nextAttemptAt: m.notBefore } : {}),
    })
    .onConflictDoNothing({ target: outbox.idemKey })
    .returning({ id: outbox.id });
  if (seal === undefined) return (await insert).length > 0;
  // The message queued and the event that caused it marked done, in one statement (`seal`: its inbox key).
  const queued = tx.$with('queued').as(insert);
  const rows = await tx.with(queued, doneCte(tx, seal)).select({ id: queued.id }).from(queued);
  return rows.length > 0;
}

/**
 * Claims up to `limit` due rows (pending, next_attempt_at ≤ now, no live lease) for `leaseMs`, oldest first.
 * A short transaction: SELECT … FOR UPDATE SKIP LOCKED, so concurrent senders on PostgreSQL claim disjoint
 * rows without waiting on each other (PGlite runs one transaction at a time), then the lease is written.
 *
 * Two statements on purpose: as one `UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` the
 * sub-select may be re-run per row while the update proceeds, skip the rows this very statement just
 * updated, and so claim more than `limit`.
 */
export async function claimBatch(db: Db, opts: { limit: number; leaseMs: number; now: Date }): Promise<OutboxRow[]> {
  const { limit, leaseMs, now } = opts;
  const claimable = and(
    eq(outbox.status, 'pending'),
    // Due by our clock, or enqueued to go at once (next_attempt_at left at its default, the insert time):
    // the database's now() and an injected clock need not agree.
    or(lte(outbox.nextAttemptAt, now), and(eq(outbox.attempts, 0), lte(outbox.nextAttemptAt, outbox.createdAt))),
    or(isNull(outbox.leaseUntil), lte(outbox.leaseUntil, now)),
  );
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(claimable)
      .orderBy(asc(outbox.id))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    const rows = await tx
      .update(outbox)
      .set({ leaseUntil: new Date(now.getTime() + leaseMs), attempts: sql`${outbox.attempts} + 1` })
      .where(
        inArray(
          outbox.id,
          due.map((r) => r.id),
        ),
      )
      .returning();
    return rows.sort((a, b) => a.id - b.id);
  });
}

/** Sent: remembers Lark's message id. Wins over everything (a late success after a lease expiry included). */
export async function markSent(db: Db | Tx, id: number, larkMessageId: string, at: Date = new Date()): Promise<void> {
  await db.update(outbox).set({ status: 'sent', larkMessageId, sentAt: at, leaseUntil: null, lastError: null }).where(eq(outbox.id, id));
}

/** Not sent this time: try again at `nextAttemptAt`. Ignored if the row was meanwhile sent by another sender. */
export async function markRetry(db: Db | Tx, id: number, error: string, nextAttemptAt: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ lastError: error.slice(0, 2000), nextAttemptAt, leaseUntil: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'pending')));
}

/** Given up: kept with the reason (never deleted), for operators and `job` output. */
export async function markFailed(db: Db | Tx, id: number, reason: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'failed', lastError: reason.slice(0, 2000), leaseUntil: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'pending')));
}

/**
 * Hands claimed rows back without counting the claim as an attempt (a sender stopping in order, or a row that
 * must wait for another: `notBefore`).
 */
export async function release(db: Db | Tx, ids: number[], notBefore?: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(outbox)
    .set({
      leaseUntil: null,
      attempts: sql`greatest(${outbox.attempts} - 1, 0)`,
      ...(notBefore ? { nextAttemptAt: notBefore } : {}),
    })
    .where(and(inArray(outbox.id, ids), eq(outbox.status, 'pending')));
}

/** The Lark message id a sent outbox message got (later features patch the cards they sent). */
export async function larkMessageIdFor(db: Db | Tx, idemKey: string): Promise<string | null> {
  const [row] = await db
    .select({ larkMessageId: outbox.larkMessageId })
    .from(outbox)
    .where(and(eq(outbox.idemKey, idemKey), eq(outbox.status, 'sent')))
    .limit(1);
  return row?.larkMessageId ?? null;
}

/** One row by idem key (status, attempts, last error…), or null. */
export async function findByIdemKey(db: Db | Tx, idemKey: string): Promise<OutboxRow | null> {
  const [row] = await db.select().from(outbox).where(eq(outbox.idemKey, idemKey)).limit(1);
  return row ?? null;
}

/**
 * Whether a reply to the message `messageId` is queued or sent, other than the failure apology (keyed `failed:`):
 * the inbox's give-up path asks it, so a handler killed after its reply was queued is not also apologised for.
 * A rare path (an event whose five attempts all died): no index of its own.
 */
export async function hasReplyTo(db: Db | Tx, messageId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.targetMessageId, messageId), sql`${outbox.idemKey} not like 'failed:%'`))
    .limit(1);
  return row !== undefined;
}

/** When the next pending row becomes claimable (its due time, or its lease expiry), or null when none is pending. */
export async function nextDueAt(db: Db | Tx): Promise<Date | null> {
  const [row] = await db
    .select({
      at: sql<Date | string | null>`min(greatest(${outbox.nextAttemptAt}, coalesce(${outbox.leaseUntil}, ${outbox.nextAttemptAt})))`,
    })
    .from(outbox)
    .where(eq(outbox.status, 'pending'));
  const at = row?.at;
  return at === null || at === undefined ? null : new Date(at);
}

/**
 * Messages sent since `since` (create, reply, file): what a restarted sender counts against Lark's send windows,
 * so it does not spend again what the process before it spent in the last minute.
 */
export async function recentSends(db: Db, since: Date): Promise<{ sentAt: Date; to: string }[]> {
  const rows = await db
    .select({ sentAt: outbox.sentAt, receiveId: outbox.receiveId, target: outbox.targetMessageId })
    .from(outbox)
    .where(and(eq(outbox.status, 'sent'), gte(outbox.sentAt, since), inArray(outbox.op, ['create', 'reply', 'file', 'image'])));
  return rows.map((r) => ({
    sentAt: r.sentAt!,
    // A reply counts against its chat when the row knows it, else (as the client does) against the message.
    to: r.receiveId ?? `msg:${r.target ?? ''}`,
  }));
}

/**
 * Messages claimed by a sender and not marked (held under a lease that has not lapsed): a sender killed while
 * sending them may have reached Lark with some, so a new sender counts them as sent (see the sender's start).
 */
export async function heldSends(db: Db, now: Date): Promise<{ to: string }[]> {
  const rows = await db
    .select({ receiveId: outbox.receiveId, target: outbox.targetMessageId })
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), gt(outbox.leaseUntil, now), inArray(outbox.op, ['create', 'reply', 'file', 'image'])));
  return rows.map((r) => ({ to: r.receiveId ?? `msg:${r.target ?? ''}` }));
}

/** Deletes sent rows created before `before` (housekeeping); failed and pending rows stay. Returns how many went. */
export async function purgeSentBefore(db: Db | Tx, before: Date): Promise<number> {
  const rows = await db
    .delete(outbox)
    .where(and(eq(outbox.status, 'sent'), lt(outbox.createdAt, before)))
    .returning({ id: outbox.id });
  return rows.length;
}

/**
 * What waits in the outbox, for /metrics and /healthz: pending rows, the age of the oldest one, and rows given
 * up. The age is measured on the database's clock, which also stamped `created_at` (an injected test clock need
 * not agree with it).
 */
export async function outboxBacklog(db: Db): Promise<{ pending: number; oldestPendingAgeSeconds: number; failed: number }> {
  const [row] = await db
    .select({
      pending: sql<number | string>`count(*) filter (where ${outbox.status} = 'pending')`,
      failed: sql<number | string>`count(*) filter (where ${outbox.status} = 'failed')`,
      age: sql<number | string | null>`extract(epoch from (now() - min(${outbox.createdAt}) filter (where ${outbox.status} = 'pending')))`,
    })
    .from(outbox)
    .where(inArray(outbox.status, ['pending', 'failed']));
  return {
    pending: Number(row?.pending ?? 0),
    failed: Number(row?.failed ?? 0),
    oldestPendingAgeSeconds: Math.max(0, Number(row?.age ?? 0)),
  };
}
