// The shapes an import plan and its result take, shared by the planner (import.ts) and what words them
// (preview.ts), so that neither depends on the other.

import type { LedgerOps } from '../store/ledger-ops.js';
import type { SheetId } from './columns.js';
import type { Actor } from '../domain/permissions.js';
import type { Remit } from '../domain/remit.js';
import type { LedgerError, LedgerWarning, LedgerWorkbook } from './read.js';

export interface SheetCounts {
  add: number;
  change: number;
  same: number;
}

/**
 * Whose import it is. The operator (the CLI, run on the server) may import anything; an admin in chat only rows
 * about units, people, chains, groups and projects inside their remit, and grants no role above their own (issue 13:
 * "Ledger import by chat or CLI is scoped to the importer").
 */
export type ImportScope = 'operator' | { actor: Actor & { unitId: number | null }; remit: Remit };

export interface ImportPlan {
  fileName: string;
  /** Whose import it is; applyImport checks the file again under the same scope. */
  scope: ImportScope;
  workbook: LedgerWorkbook;
  /** Every problem; when not empty, applyImport refuses and nothing is written. */
  errors: LedgerError[];
  warnings: LedgerWarning[];
  /** Per sheet present in the file: records to add, to change, already the same. */
  counts: Partial<Record<SheetId, SheetCounts>>;
  /** The writes, in key space (internal to the import; recomputed by applyImport inside its transaction). */
  ops: LedgerOps;
}

export interface ApplyOptions {
  /** Calendar day used for stage dates of projects created or moved ('YYYY-MM-DD'); default the day of `now` in Asia/Shanghai. */
  today?: string;
  /** The caller's clock reading, written to updated, verified and bound times; default the database's transaction time. */
  now?: Date;
  /** The person importing (audit_log.actor_id, stage_history.by_person_id, chat_groups.bound_by). */
  actorId?: number | null;
}

export interface ApplyResult {
  counts: Partial<Record<SheetId, SheetCounts>>;
  added: number;
  changed: number;
  same: number;
  /** 提级报备 notices queued with the import (the caller wakes the outbox sender when > 0). */
  escalated: number;
}
