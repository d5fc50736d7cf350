import { and, eq } from 'drizzle-orm';
import { importSessions } from '../../db/schema.js';
import type { Db, Tx } from './db.js';

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
