// What the per-sheet planners (plan-directory.ts, plan-projects.ts) share while they check a workbook against itself
// and the database: the problems found, the counts, the writes planned, the snapshot, and the references resolved.

import { t } from '../text.js';
import { chainKeyOf, emptyOps, sameValue, type LedgerOps } from '../store/ledger-ops.js';
import type { LedgerSnapshot } from '../store/ledger-snapshot.js';
import { COLUMNS, columnLabel, SHEET_IDS, type ColumnDef, type SheetId } from './columns.js';
import type { LedgerError, LedgerRow, LedgerSheet, LedgerWarning, LedgerWorkbook } from './read.js';
import { normalizeCode } from './cells.js';
import { References } from './references.js';
import type { ImportScope, SheetCounts } from './plan-types.js';
import { GOVERNMENT_KINDS, mayChange, unitInRemit, type ProjectPlace } from '../domain/remit.js';
import type { Person } from '../store/directory.js';
import { DEFAULT_RULES, type Rules } from '../domain/rules.js';

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
  /** The units as the file places them (kind and parent), once planUnits has read its sheet. */
  readonly fileUnits = new Map<string, { kind: string; parentCode: string | null }>();
  private peopleById: Map<number, Person> | null = null;

  constructor(
    readonly wb: LedgerWorkbook,
    readonly db: LedgerSnapshot,
    readonly scope: ImportScope = 'operator',
    /** The rules settings (a new problem's default due date by category). */
    readonly rules: Rules = DEFAULT_RULES,
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

  /** External organisations known to the plan (the database's and the file's): government code → names. */
  private readonly orgNames = new Map<string, Set<string>>();
  private orgKeysById: Map<number, string> | null = null;

  addOrg(governmentCode: string, name: string): void {
    const names = this.orgNames.get(governmentCode) ?? new Set<string>();
    names.add(name);
    this.orgNames.set(governmentCode, names);
  }

  hasOrg(governmentCode: string, name: string): boolean {
    return this.orgNames.get(governmentCode)?.has(name) ?? false;
  }

  /** An external organisation of the database as a plan names it (orgKeyOf). */
  orgKeyById(id: number | null): string | null {
    if (id === null) return null;
    this.orgKeysById ??= new Map([...this.db.orgsByKey].map(([key, o]) => [o.id, key]));
    return this.orgKeysById.get(id) ?? null;
  }

  /** A project's place as the plan sees it: the file's row when it has one (planned), else the database's. */
  readonly plannedProjects = new Map<string, { firstTalkUnitCode: string | null; hostUnitCode: string | null }>();

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

  /** A chain of the database as a plan names it (chainKeyOf: its government's code and its name). */
  chainKeyById(id: number | null): string | null {
    const c = id === null ? undefined : this.db.chainsById.get(id);
    return c ? chainKeyOf(this.unitCodeOf(c.governmentUnitId), c.name) : null;
  }

  /** The governments of the importer's own unit, nearest first (none for the operator). */
  importerGovernments(): string[] {
    if (this.scope === 'operator' || this.scope.actor.unitId === null) return [];
    return this.governmentsOf(this.unitCodeOf(this.scope.actor.unitId));
  }

  /** Where a project of the database lies, as domain/remit sees it. */
  placeOf(p: { hostUnitId: number | null; firstTalkUnitId: number | null; chainId: number | null; ownerId: number | null }): ProjectPlace {
    const path = (id: number | null) => (id === null ? null : (this.db.unitsById.get(id)?.path ?? null));
    return { hostPath: path(p.hostUnitId), firstTalkPath: path(p.firstTalkUnitId), chainId: p.chainId, ownerId: p.ownerId };
  }

  /** Whether the importer may change a project of the database (its owner side or its first-talk unit's). */
  mayChangeProject(p: Parameters<PlanContext['placeOf']>[0]): boolean {
    return this.scope === 'operator' || mayChange(this.scope.remit, this.placeOf(p));
  }

  /** Whether the import is an admin's, limited to their remit (not the operator's). */
  get scoped(): boolean {
    return this.scope !== 'operator';
  }

  /**
   * A unit and its ancestors, itself first: placed as the file places it (a new unit, or a moved one), else as the
   * database has it. Unknown codes end the walk.
   */
  ancestry(code: string): { code: string; kind: string | null; path: string | null }[] {
    const out: { code: string; kind: string | null; path: string | null }[] = [];
    const seen = new Set<string>();
    let cur: string | null = code;
    while (cur !== null && !seen.has(cur)) {
      seen.add(cur);
      const file = this.fileUnits.get(cur);
      const db = this.db.unitsByCode.get(cur);
      if (!file && !db) break;
      out.push({ code: cur, kind: file?.kind ?? db?.kind ?? null, path: db?.path ?? null });
      cur = file ? file.parentCode : this.unitCodeOf(db!.parentId);
    }
    return out;
  }

  /** The governments a unit lies in, nearest first (a department stands for the government it hangs under). */
  governmentsOf(code: string | null): string[] {
    if (code === null) return [];
    return this.ancestry(code)
      .filter((u) => (GOVERNMENT_KINDS as readonly (string | null)[]).includes(u.kind))
      .map((u) => u.code);
  }

  /**
   * Whether a unit lies inside the importer's remit: the path of the unit, or for a unit new in the file of its
   * nearest ancestor in the database. Always for the operator; a code known nowhere is reported as unknown instead.
   */
  inside(code: string | null): boolean {
    if (this.scope === 'operator' || code === null) return true;
    if (!this.unitExists(code)) return true;
    const path = this.ancestry(code).find((u) => u.path !== null)?.path ?? null;
    return unitInRemit(this.scope.remit, path);
  }

  /** A person already in the database, by id. */
  personById(id: number): Person | undefined {
    this.peopleById ??= new Map(this.db.people.map((p) => [p.id, p]));
    return this.peopleById.get(id);
  }

  /** Whether a person (a plan key) lies inside the remit: people new in the file are checked on the 人员 sheet. */
  personInside(pkey: string | null): boolean {
    if (pkey === null || !pkey.startsWith('#')) return true;
    const p = this.personById(Number(pkey.slice(1)));
    return !p || this.inside(this.unitCodeOf(p.unitId));
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
