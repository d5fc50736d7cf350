import { auditLog } from '../../db/schema.js';
import type { Db, Tx } from './db.js';

/** One audit record: who did what to which entity, with the changed values before and after. */
export interface AuditEntry {
  /** When it happened, from the caller's clock; the database's own time when absent. */
  at?: Date;
  actorId: number | null;
  /** e.g. 'bind', 'report.submit', 'stage.move', 'letter.close' */
  action: string;
  entity: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
}

/** Writes audit rows inside the caller's transaction, so the record commits with the change it describes. */
export async function audit(tx: Db | Tx, entries: AuditEntry | readonly AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? (entries as readonly AuditEntry[]) : [entries as AuditEntry];
  if (list.length === 0) return;
  await tx.insert(auditLog).values(
    list.map((e) => ({
      ...(e.at ? { at: e.at } : {}),
      actorId: e.actorId,
      action: e.action,
      entity: e.entity,
      entityId: String(e.entityId),
      before: e.before ?? null,
      after: e.after ?? null,
    })),
  );
}
