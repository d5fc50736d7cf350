// What the per-sheet planners (plan-directory.ts, plan-projects.ts) share while they check a workbook against itself
// and the database: the problems found, the counts, the writes planned, the snapshot, and the references resolved.

import { t } from '../text.js';
import { emptyOps, sameValue, type LedgerOps } from '../store/ledger-ops.js';
import type { LedgerSnapshot } from '../store/ledger-snapshot.js';
import { COLUMNS, columnLabel, SHEET_IDS, type ColumnDef, type SheetId } from './columns.js';
import type { LedgerError, LedgerRow, LedgerSheet, LedgerWarning, LedgerWorkbook } from './read.js';
import { normalizeCode } from './cells.js';
import { References } from './references.js';
import type { SheetCounts } from './plan-types.js';

export type Outcome = 'add' | 'change' | 'same' | null;

/** Whether a desired state differs from the current one in any field. */
export function differs<S extends object>(desired: S, current: S): boolean {
  return (Object.keys(desired) as (keyof S)[]).some((k) => !sameValue(desired[k], current[k]));
}

export class PlanContext {
  readonly errors: LedgerError[];
  readonly warnings: LedgerWarning[];
  readonly counts: Partial<Record<SheetId, SheetCounts>> = {};
  readonly ops: LedgerOps = emptyOps();
  readonly refs = new References();

  // Keys present in the file, valid rows or not: a reference to a rejected row is not reported a second time.
  readonly fileUnitCodes = new Set<string>();
  readonly fileProjectCodes = new Set<string>();
  readonly fileChainNames = new Set<string>();

  constructor(
    readonly wb: LedgerWorkbook,
    readonly db: LedgerSnapshot,
  ) {
    this.errors = [...wb.errors];
    this.warnings = [...wb.warnings];
    for (const id of SHEET_IDS) if (wb.sheets[id]) this.counts[id] = { add: 0, change: 0, same: 0 };
    const rows = SHEET_IDS.reduce((n, id) => n + (wb.sheets[id]?.rows.length ?? 0), 0);
    if (rows === 0 && this.errors.length === 0) {
      this.errors.push({ sheet: '', row: 0, column: '', value: '', reason: t('ledger.err.empty') });
    }
    for (const r of wb.sheets.units?.rows ?? []) if (r.raw.code) this.fileUnitCodes.add(normalizeCode(r.raw.code));
    for (const r of wb.sheets.projects?.rows ?? []) if (r.raw.code) this.fileProjectCodes.add(normalizeCode(r.raw.code));
    for (const r of wb.sheets.chains?.rows ?? []) if (r.raw.name) this.fileChainNames.add(r.raw.name.trim());
  }

  err<T>(sheet: LedgerSheet<T>, row: LedgerRow<T>, field: keyof T & string, reason: string, value?: string): void {
    const def = (COLUMNS[sheet.id] as readonly ColumnDef[]).find((c) => c.field === field);
    this.errors.push({
      sheet: sheet.name,
      row: row.row,
      column: sheet.headers[field] ?? (def ? columnLabel(def) : field),
      value: value ?? row.raw[field] ?? '',
      reason,
    });
  }

  /** Runs a row's checks and counts it when none failed. */
  row<T>(sheet: LedgerSheet<T>, fn: (row: LedgerRow<T> & { data: T }) => Outcome): void {
    const counts = this.counts[sheet.id]!;
    for (const row of sheet.rows) {
      if (row.data === null) continue;
      const before = this.errors.length;
      const outcome = fn(row as LedgerRow<T> & { data: T });
      if (outcome && this.errors.length === before) counts[outcome]++;
    }
  }

  unitExists(code: string): boolean {
    return this.fileUnitCodes.has(code) || this.db.unitsByCode.has(code);
  }

  unitCodeOf(id: number | null): string | null {
    return id === null ? null : (this.db.unitsById.get(id)?.code ?? null);
  }

  chainNameOf(id: number | null): string | null {
    return id === null ? null : (this.db.chainsById.get(id)?.name ?? null);
  }

  /** Reports a key seen twice in a sheet; returns true for the first occurrence. */
  firstOccurrence<T>(
    seen: Map<string, number>,
    sheet: LedgerSheet<T>,
    row: LedgerRow<T>,
    key: string,
    field: keyof T & string,
    label: string,
  ): boolean {
    const first = seen.get(key);
    if (first !== undefined) {
      this.err(sheet, row, field, t('ledger.err.duplicate', { row: first, key: label }));
      return false;
    }
    seen.set(key, row.row);
    return true;
  }
}
