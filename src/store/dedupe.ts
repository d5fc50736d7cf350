import { eq, lt } from 'drizzle-orm';
import { processedEvents } from '../../db/schema.js';
import type { Db, Tx } from './db.js';

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
