// Ledger import: check the whole workbook against itself and the database (planImport), then write it in one
// transaction (applyImport).
//
// Records are matched by their keys, never by row position: unit code, person mobile (or name + unit when there is
// no mobile), chain name, project code, chat id, target unit + year, fund entry project + date + amount. A matched
// record is updated where the file says something different (an empty cell leaves the field as it is); nothing is
// ever deleted. Every write is recorded in audit_log with the changed columns before and after.
//
// References are resolved in "key space" (unit codes, chain names, person keys) so that a row may point at a record
// that only exists further down the same file; the writer turns keys into ids as it inserts, in dependency order.

import { eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../store/db.js';
import { upsertUnit } from '../store/directory.js';
import { auditLog, chains, chatGroups, fundEntries, people, projects, targets, units } from '../../db/schema.js';
import { t } from '../text.js';
import { checkTransition, transitionKind, type TransitionIssue } from '../domain/stages.js';
import { dateInZone, DEFAULT_TIME_ZONE } from '../domain/calendar.js';
import { COLUMNS, columnLabel, normalizeName, sheetLabel, SHEET_IDS, bindingKinds, type ColumnDef, type SheetId } from './columns.js';
import type { EvidenceKind, FundStatus } from './columns.js';
import {
  normalizeCode,
  normalizeMobile,
  readWorkbook,
  type LedgerError,
  type LedgerRow,
  type LedgerSheet,
  type LedgerSource,
  type LedgerWarning,
  type LedgerWorkbook,
  type ReadOptions,
  type RowTypes,
} from './read.js';
import { stageLabel, transitionIssueText } from '../words.js';
import {
  emptyOps,
  type ApplyOptions,
  type ApplyResult,
  type ChainState,
  type FundState,
  type GroupState,
  type ImportPlan,
  type PersonState,
  type ProjectState,
  type SheetCounts,
  type TargetState,
  type UnitState,
} from './plan-types.js';

export type { ApplyOptions, ApplyResult, ImportPlan, SheetCounts } from './plan-types.js';

type Q = Db | Tx;
type Unit = typeof units.$inferSelect;
type Person = typeof people.$inferSelect;
type Chain = typeof chains.$inferSelect;
type ChatGroup = typeof chatGroups.$inferSelect;
type Target = typeof targets.$inferSelect;
type Project = typeof projects.$inferSelect;
type FundEntry = typeof fundEntries.$inferSelect;

/** Thrown by applyImport when the plan (or the database, re-checked inside the transaction) has errors. */
export class LedgerImportRejected extends Error {
  constructor(readonly errors: LedgerError[]) {
    super(t('ledger.rejected', { count: errors.length }));
    this.name = 'LedgerImportRejected';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The database as far as the file touches it

interface Snapshot {
  unitsByCode: Map<string, Unit>;
  unitsById: Map<number, Unit>;
  people: Person[];
  chainsByName: Map<string, Chain>;
  chainsById: Map<number, Chain>;
  groups: Map<string, ChatGroup>;
  targets: Map<string, Target>;
  projects: Map<string, Project>;
  funds: Map<number, FundEntry[]>;
}

const BATCH = 5000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function loadSnapshot(q: Q, wb: LedgerWorkbook): Promise<Snapshot> {
  const [u, p, c, g, tg] = await Promise.all([
    q.select().from(units),
    q.select().from(people),
    q.select().from(chains),
    q.select().from(chatGroups),
    q.select().from(targets),
  ]);
  const codes = new Set<string>();
  for (const r of wb.sheets.projects?.rows ?? []) if (r.raw.code) codes.add(normalizeCode(r.raw.code));
  const fundCodes = new Set<string>();
  for (const r of wb.sheets.funds?.rows ?? []) if (r.raw.projectCode) fundCodes.add(normalizeCode(r.raw.projectCode));
  for (const code of fundCodes) codes.add(code);
  const projectMap = new Map<string, Project>();
  for (const batch of chunks([...codes], BATCH)) {
    // One JSON parameter rather than thousands of bound ones (see WRITE_BATCH).
    const match = sql`${projects.code} in (select jsonb_array_elements_text(${JSON.stringify(batch)}::jsonb))`;
    for (const row of await q.select().from(projects).where(match)) projectMap.set(row.code, row);
  }
  const fundMap = new Map<number, FundEntry[]>();
  const fundProjectIds = [...fundCodes].map((code) => projectMap.get(code)?.id).filter((id): id is number => id !== undefined);
  for (const batch of chunks(fundProjectIds, BATCH)) {
    for (const row of await q.select().from(fundEntries).where(inArray(fundEntries.projectId, batch))) {
      const list = fundMap.get(row.projectId) ?? [];
      list.push(row);
      fundMap.set(row.projectId, list);
    }
  }
  return {
    unitsByCode: new Map(u.map((x) => [x.code, x])),
    unitsById: new Map(u.map((x) => [x.id, x])),
    people: p,
    chainsByName: new Map(c.map((x) => [x.name, x])),
    chainsById: new Map(c.map((x) => [x.id, x])),
    groups: new Map(g.map((x) => [x.chatId, x])),
    targets: new Map(tg.map((x) => [`${x.unitId}:${x.year}`, x])),
    projects: projectMap,
    funds: fundMap,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Analysis

const PERSON_KEY_DB = (id: number) => `#${id}`;

interface PersonEntry {
  pkey: string;
  name: string;
  mobile: string | null;
  unitCode: string | null;
  /** Inactive people are found by mobile, never by name. */
  byName: boolean;
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

function differs<S extends object>(desired: S, current: S): boolean {
  return (Object.keys(desired) as (keyof S)[]).some((k) => !same(desired[k], current[k]));
}

/** A chain name as compared for references: 新能源, 新能源链 and 新能源产业链 are one. */
function chainKey(s: string): string {
  return normalizeName(s).replace(/(?:产业链|链)$/, '');
}

class Analysis {
  readonly errors: LedgerError[];
  readonly warnings: LedgerWarning[];
  readonly counts: Partial<Record<SheetId, SheetCounts>> = {};
  readonly ops = emptyOps();

  // Keys present in the file, valid rows or not: a reference to a rejected row is not reported a second time.
  private fileUnitCodes = new Set<string>();
  private fileProjectCodes = new Set<string>();
  private fileChainNames = new Set<string>();
  private persons = new Map<string, PersonEntry>();
  private chainIndex = new Map<string, string>();

  constructor(
    private readonly wb: LedgerWorkbook,
    readonly db: Snapshot,
  ) {
    this.errors = [...wb.errors];
    this.warnings = [...wb.warnings];
  }

  run(): void {
    for (const id of SHEET_IDS) if (this.wb.sheets[id]) this.counts[id] = { add: 0, change: 0, same: 0 };
    const rows = SHEET_IDS.reduce((n, id) => n + (this.wb.sheets[id]?.rows.length ?? 0), 0);
    if (rows === 0 && this.errors.length === 0) {
      this.errors.push({ sheet: '', row: 0, column: '', value: '', reason: t('ledger.err.empty') });
    }
    this.collectKeys();
    this.units();
    this.people();
    this.chains();
    this.projects();
    this.funds();
    this.groups();
    this.targets();
  }

  // --- helpers

  private err<T>(sheet: LedgerSheet<T>, row: LedgerRow<T>, field: keyof T & string, reason: string, value?: string): void {
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
  private row<T>(sheet: LedgerSheet<T>, fn: (row: LedgerRow<T> & { data: T }) => 'add' | 'change' | 'same' | null): void {
    const counts = this.counts[sheet.id]!;
    for (const row of sheet.rows) {
      if (row.data === null) continue;
      const before = this.errors.length;
      const outcome = fn(row as LedgerRow<T> & { data: T });
      if (outcome && this.errors.length === before) counts[outcome]++;
    }
  }

  private unitExists(code: string): boolean {
    return this.fileUnitCodes.has(code) || this.db.unitsByCode.has(code);
  }

  private unitCodeOf(id: number | null): string | null {
    return id === null ? null : (this.db.unitsById.get(id)?.code ?? null);
  }

  private chainNameOf(id: number | null): string | null {
    return id === null ? null : (this.db.chainsById.get(id)?.name ?? null);
  }

  private collectKeys(): void {
    for (const r of this.wb.sheets.units?.rows ?? []) if (r.raw.code) this.fileUnitCodes.add(normalizeCode(r.raw.code));
    for (const r of this.wb.sheets.projects?.rows ?? []) if (r.raw.code) this.fileProjectCodes.add(normalizeCode(r.raw.code));
    for (const r of this.wb.sheets.chains?.rows ?? []) if (r.raw.name) this.fileChainNames.add(r.raw.name.trim());
  }

  /** Reports a key seen twice in a sheet; returns true for the first occurrence. */
  private firstOccurrence<T>(
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

  // --- 单位

  private units(): void {
    const sheet = this.wb.sheets.units;
    if (!sheet) return;
    const seen = new Map<string, number>();
    const desired = new Map<string, { row: LedgerRow<RowTypes['units']>; state: UnitState; existing?: Unit }>();
    const entity = sheetLabel('units');
    this.row(sheet, (row) => {
      const d = row.data;
      if (!this.firstOccurrence(seen, sheet, row, d.code, 'code', d.code)) return null;
      const existing = this.db.unitsByCode.get(d.code);
      const name = d.name ?? existing?.name ?? null;
      const kind = d.kind ?? existing?.kind ?? null;
      const parentCode = d.parentCode ?? (existing ? this.unitCodeOf(existing.parentId) : null);
      if (name === null) this.err(sheet, row, 'name', t('ledger.err.required_for_new', { entity }));
      if (kind === null) this.err(sheet, row, 'kind', t('ledger.err.required_for_new', { entity }));
      if (parentCode === d.code) {
        this.err(sheet, row, 'parentCode', t('ledger.err.self_parent'));
        return null;
      }
      if (parentCode !== null && !this.unitExists(parentCode))
        this.err(sheet, row, 'parentCode', t('ledger.err.unknown_unit', { value: parentCode }));
      if (name === null || kind === null) return null;
      desired.set(d.code, { row, state: { name, kind, parentCode }, existing });
      return null; // counted below, once cycles are known
    });

    // Cycles through the file's new parents and the database's unchanged ones.
    const parentOf = (code: string): string | null =>
      desired.get(code)?.state.parentCode ?? (desired.has(code) ? null : this.unitCodeOf(this.db.unitsByCode.get(code)?.parentId ?? null));
    const cyclic = new Set<string>();
    for (const code of desired.keys()) {
      const path = [code];
      let cur = parentOf(code);
      for (let steps = 0; cur !== null && steps <= desired.size + this.db.unitsByCode.size; steps++) {
        path.push(cur);
        if (cur === code) {
          cyclic.add(code);
          this.err(sheet, desired.get(code)!.row, 'parentCode', t('ledger.err.parent_cycle', { path: path.join(' → ') }));
          break;
        }
        cur = parentOf(cur);
      }
    }

    // Parents before children, so that every parent has its id (and path) when the child is written.
    const ordered: string[] = [];
    const placed = new Set<string>();
    const place = (code: string, depth: number) => {
      if (placed.has(code) || !desired.has(code) || cyclic.has(code) || depth > desired.size) return;
      const parent = desired.get(code)!.state.parentCode;
      if (parent !== null) place(parent, depth + 1);
      placed.add(code);
      ordered.push(code);
    };
    for (const code of desired.keys()) place(code, 0);

    const counts = this.counts.units!;
    const rowsWithErrors = new Set(this.errors.filter((e) => e.sheet === sheet.name).map((e) => e.row));
    for (const code of ordered) {
      const { row, state, existing } = desired.get(code)!;
      if (rowsWithErrors.has(row.row)) continue;
      if (!existing) {
        counts.add++;
        this.ops.units.push({ op: 'add', code, state });
      } else if (differs(state, { name: existing.name, kind: existing.kind, parentCode: this.unitCodeOf(existing.parentId) })) {
        counts.change++;
        this.ops.units.push({ op: 'change', code, state, existing });
      } else counts.same++;
    }
  }

  // --- 人员

  private people(): void {
    for (const p of this.db.people) {
      this.persons.set(PERSON_KEY_DB(p.id), {
        pkey: PERSON_KEY_DB(p.id),
        name: p.name,
        mobile: p.mobile,
        unitCode: this.unitCodeOf(p.unitId),
        byName: p.active,
      });
    }
    const sheet = this.wb.sheets.people;
    if (!sheet) return;
    const byMobile = new Map(this.db.people.filter((p) => p.mobile).map((p) => [p.mobile!, p]));
    const byOpenId = new Map(this.db.people.filter((p) => p.openId).map((p) => [p.openId!, p]));
    const seenPerson = new Map<string, number>();
    const seenOpenId = new Map<string, number>();
    this.row(sheet, (row) => {
      const d = row.data;
      if (!this.unitExists(d.unitCode)) this.err(sheet, row, 'unitCode', t('ledger.err.unknown_unit', { value: d.unitCode }));
      let existing: Person | undefined = d.mobile ? byMobile.get(d.mobile) : undefined;
      if (!existing) {
        const unit = this.db.unitsByCode.get(d.unitCode);
        const namesakes = unit
          ? this.db.people.filter((p) => p.name === d.name && p.unitId === unit.id && (d.mobile === null || p.mobile === null))
          : [];
        if (namesakes.length > 1) {
          this.err(sheet, row, 'name', t('ledger.err.ambiguous_person_in_unit', { value: d.name, count: namesakes.length }));
          return null;
        }
        existing = namesakes[0];
      }
      const pkey = existing ? PERSON_KEY_DB(existing.id) : `f:${row.row}`;
      const identity = existing ? pkey : d.mobile ? `m:${d.mobile}` : `n:${d.name}|${d.unitCode}`;
      const first = seenPerson.get(identity);
      if (first !== undefined) {
        this.err(sheet, row, d.mobile ? 'mobile' : 'name', t('ledger.err.same_person_twice', { row: first, name: d.name }));
        return null;
      }
      seenPerson.set(identity, row.row);
      if (d.openId) {
        const owner = byOpenId.get(d.openId);
        if (owner && owner.id !== existing?.id) this.err(sheet, row, 'openId', t('ledger.err.open_id_taken', { name: owner.name }));
        else this.firstOccurrence(seenOpenId, sheet, row, d.openId, 'openId', d.openId);
      }
      const state: PersonState = {
        name: d.name,
        unitCode: d.unitCode,
        roles: d.roles ?? (existing ? [...existing.roles].sort() : []),
        title: d.title ?? existing?.title ?? null,
        mobile: d.mobile ?? existing?.mobile ?? null,
        email: d.email ?? existing?.email ?? null,
        openId: d.openId ?? existing?.openId ?? null,
      };
      this.persons.set(pkey, {
        pkey,
        name: state.name,
        mobile: state.mobile,
        unitCode: state.unitCode,
        byName: existing ? existing.active : true,
      });
      if (!existing) {
        this.ops.people.push({ op: 'add', pkey, state });
        return 'add';
      }
      const current: PersonState = {
        name: existing.name,
        unitCode: this.unitCodeOf(existing.unitId) ?? '',
        roles: [...existing.roles].sort(),
        title: existing.title,
        mobile: existing.mobile,
        email: existing.email,
        openId: existing.openId,
      };
      if (!differs(state, current)) return 'same';
      this.ops.people.push({ op: 'change', pkey, state, existing });
      return 'change';
    });
  }

  private personIndex: { byMobile: Map<string, PersonEntry>; byName: Map<string, PersonEntry[]> } | null = null;
  private personCache = new Map<string, { pkey: string } | { reason: string }>();

  /**
   * A person named in a cell: by mobile (anywhere in the text), or by name; a name shared by several people is
   * narrowed to those in `preferUnits` (the project's units, the chain's lead unit) before it is called ambiguous.
   * Thousands of projects name the same few owners, so answers are cached by text and units.
   */
  private person(text: string, preferUnits: (string | null)[]): { pkey: string } | { reason: string } {
    const key = `${text}\u0000${preferUnits.join('\u0000')}`;
    let hit = this.personCache.get(key);
    if (!hit) {
      hit = this.resolvePerson(text, preferUnits);
      this.personCache.set(key, hit);
    }
    return hit;
  }

  private resolvePerson(text: string, preferUnits: (string | null)[]): { pkey: string } | { reason: string } {
    if (!this.personIndex) {
      // Built on first use: the people sheet has been read by then and the entries no longer change.
      const byMobile = new Map<string, PersonEntry>();
      const byName = new Map<string, PersonEntry[]>();
      for (const p of this.persons.values()) {
        if (p.mobile) byMobile.set(p.mobile, p);
        if (!p.byName) continue;
        const n = p.name.replace(/\s+/g, '');
        byName.set(n, [...(byName.get(n) ?? []), p]);
      }
      this.personIndex = { byMobile, byName };
    }
    const s = text.trim();
    const mobile = normalizeMobile(s) ?? /(?<!\d)1\d{10}(?!\d)/.exec(s)?.[0] ?? null;
    if (mobile) {
      const hit = this.personIndex.byMobile.get(mobile);
      return hit ? { pkey: hit.pkey } : { reason: t('ledger.err.unknown_person', { value: s }) };
    }
    const candidates = this.personIndex.byName.get(s.replace(/\s+/g, '')) ?? [];
    if (candidates.length === 1) return { pkey: candidates[0]!.pkey };
    if (candidates.length === 0) return { reason: t('ledger.err.unknown_person', { value: s }) };
    const near = candidates.filter((p) => p.unitCode !== null && preferUnits.includes(p.unitCode));
    if (near.length === 1) return { pkey: near[0]!.pkey };
    return { reason: t('ledger.err.ambiguous_person', { value: s, count: candidates.length }) };
  }

  // --- 产业链

  private chains(): void {
    for (const c of this.db.chainsByName.values()) {
      this.chainIndex.set(chainKey(c.name), c.name);
    }
    for (const c of this.db.chainsByName.values()) {
      for (const a of c.aliases) if (!this.chainIndex.has(chainKey(a))) this.chainIndex.set(chainKey(a), c.name);
    }
    const sheet = this.wb.sheets.chains;
    if (!sheet) return;
    for (const name of this.fileChainNames) this.chainIndex.set(chainKey(name), name);
    const seen = new Map<string, number>();
    this.row(sheet, (row) => {
      const d = row.data;
      if (!this.firstOccurrence(seen, sheet, row, d.name, 'name', d.name)) return null;
      for (const a of d.aliases ?? []) if (!this.chainIndex.has(chainKey(a))) this.chainIndex.set(chainKey(a), d.name);
      const existing = this.db.chainsByName.get(d.name);
      const leadUnitCode = d.leadUnitCode ?? (existing ? this.unitCodeOf(existing.leadUnitId) : null);
      if (d.leadUnitCode && !this.unitExists(d.leadUnitCode))
        this.err(sheet, row, 'leadUnitCode', t('ledger.err.unknown_unit', { value: d.leadUnitCode }));
      const ref = (field: 'leader' | 'secretary', current: number | null): string | null => {
        const text = d[field];
        if (text === null) return current === null ? null : PERSON_KEY_DB(current);
        const r = this.person(text, [leadUnitCode]);
        if ('reason' in r) {
          this.err(sheet, row, field, r.reason);
          return null;
        }
        return r.pkey;
      };
      const state: ChainState = {
        aliases: d.aliases ?? existing?.aliases ?? [],
        leader: ref('leader', existing?.leaderId ?? null),
        secretary: ref('secretary', existing?.secretaryId ?? null),
        leadUnitCode,
      };
      if (!existing) {
        this.ops.chains.push({ op: 'add', name: d.name, state });
        return 'add';
      }
      const current: ChainState = {
        aliases: existing.aliases,
        leader: existing.leaderId === null ? null : PERSON_KEY_DB(existing.leaderId),
        secretary: existing.secretaryId === null ? null : PERSON_KEY_DB(existing.secretaryId),
        leadUnitCode: this.unitCodeOf(existing.leadUnitId),
      };
      if (!differs(state, current)) return 'same';
      this.ops.chains.push({ op: 'change', name: d.name, state, existing });
      return 'change';
    });
  }

  private resolveChain(text: string): string | null {
    return this.chainIndex.get(chainKey(text)) ?? null;
  }

  // --- 项目

  private projects(): void {
    const sheet = this.wb.sheets.projects;
    if (!sheet) return;
    const seen = new Map<string, number>();
    const entity = sheetLabel('projects');
    this.row(sheet, (row) => {
      const d = row.data;
      if (!this.firstOccurrence(seen, sheet, row, d.code, 'code', d.code)) return null;
      const e = this.db.projects.get(d.code);
      const current: ProjectState | null = e
        ? {
            name: e.name,
            investor: e.investor,
            investorRegion: e.investorRegion,
            originOffice: e.originOffice,
            chain: this.chainNameOf(e.chainId),
            stage: e.stage,
            firstTalkUnitCode: this.unitCodeOf(e.firstTalkUnitId),
            hostUnitCode: this.unitCodeOf(e.hostUnitId),
            owner: e.ownerId === null ? null : PERSON_KEY_DB(e.ownerId),
            plannedFen: e.plannedInvestmentFen,
            contractFen: e.contractAmountFen,
            signedOn: e.signedOn,
            startedOn: e.startedOn,
            landedOn: e.landedOn,
            lastProgressOn: e.lastProgressOn,
            transferredTo: e.transferredTo,
            note: e.note,
          }
        : null;

      for (const f of ['name', 'stage', 'firstTalkUnitCode', 'hostUnitCode'] as const) {
        if (d[f] === null && current === null) this.err(sheet, row, f, t('ledger.err.required_for_new', { entity }));
      }
      for (const f of ['firstTalkUnitCode', 'hostUnitCode'] as const) {
        const code = d[f];
        if (code !== null && !this.unitExists(code)) this.err(sheet, row, f, t('ledger.err.unknown_unit', { value: code }));
      }
      let chain = current?.chain ?? null;
      if (d.chain !== null) {
        chain = this.resolveChain(d.chain);
        if (chain === null) this.err(sheet, row, 'chain', t('ledger.err.unknown_chain', { value: d.chain }));
      }
      const firstTalkUnitCode = d.firstTalkUnitCode ?? current?.firstTalkUnitCode ?? null;
      const hostUnitCode = d.hostUnitCode ?? current?.hostUnitCode ?? null;
      let owner = current?.owner ?? null;
      if (d.owner !== null) {
        const r = this.person(d.owner, [firstTalkUnitCode, hostUnitCode]);
        if ('reason' in r) this.err(sheet, row, 'owner', r.reason);
        else owner = r.pkey;
      }
      const name = d.name ?? current?.name;
      const stage = d.stage ?? current?.stage;
      if (name === undefined || stage === undefined) return null;
      const state: ProjectState = {
        name,
        investor: d.investor ?? current?.investor ?? null,
        investorRegion: d.investorRegion ?? current?.investorRegion ?? null,
        originOffice: d.originOffice ?? current?.originOffice ?? null,
        chain,
        stage,
        firstTalkUnitCode,
        hostUnitCode,
        owner,
        plannedFen: d.plannedFen ?? current?.plannedFen ?? null,
        contractFen: d.contractFen ?? current?.contractFen ?? null,
        signedOn: d.signedOn ?? current?.signedOn ?? null,
        startedOn: d.startedOn ?? current?.startedOn ?? null,
        landedOn: d.landedOn ?? current?.landedOn ?? null,
        lastProgressOn: d.lastProgressOn ?? current?.lastProgressOn ?? null,
        transferredTo: d.transferredTo ?? current?.transferredTo ?? null,
        note: d.note ?? current?.note ?? null,
      };

      // What a signed or landed project must record (domain/stages): contract amount, signing date, landing date.
      if (stage === 'signed' || stage === 'landed') {
        const check = checkTransition('planning', stage, {
          contractFen: state.contractFen,
          signedOn: state.signedOn,
          landedOn: state.landedOn,
        });
        if (!check.ok) for (const issue of check.issues) this.stageIssue(sheet, row, issue);
      }
      if (current && current.stage !== stage) {
        const kind = transitionKind(current.stage, stage);
        if (kind === 'backward' || kind === 'reactivation') {
          this.warnings.push({
            sheet: sheet.name,
            row: row.row,
            message: t('ledger.warn.stage_backward', { from: stageLabel(current.stage), to: stageLabel(stage) }),
          });
        }
      }

      if (!e) {
        this.ops.projects.push({ op: 'add', code: d.code, state });
        return 'add';
      }
      if (!differs(state, current!)) return 'same';
      this.ops.projects.push({ op: 'change', code: d.code, state, existing: e });
      return 'change';
    });
  }

  private stageIssue(sheet: LedgerSheet<RowTypes['projects']>, row: LedgerRow<RowTypes['projects']>, issue: TransitionIssue): void {
    const fieldOf: Record<string, keyof RowTypes['projects'] & string> = {
      contractFen: 'contractFen',
      signedOn: 'signedOn',
      landedOn: 'landedOn',
      transferTo: 'transferredTo',
      reason: 'stage',
    };
    const text = transitionIssueText(issue);
    const field = 'field' in issue ? fieldOf[issue.field]! : 'stage';
    this.err(sheet, row, field, text);
  }

  // --- 到位资金

  private funds(): void {
    const sheet = this.wb.sheets.funds;
    if (!sheet) return;
    const seen = new Map<string, number>();
    this.row(sheet, (row) => {
      const d = row.data;
      const project = this.db.projects.get(d.projectCode);
      if (!project && !this.fileProjectCodes.has(d.projectCode)) {
        this.err(sheet, row, 'projectCode', t('ledger.err.unknown_project', { value: d.projectCode }));
        return null;
      }
      const key = `${d.projectCode}|${d.date}|${d.fen}`;
      if (!this.firstOccurrence(seen, sheet, row, key, 'fen', `${d.projectCode} ${d.date} ${row.raw.fen ?? ''}`)) return null;
      const existing = project ? this.db.funds.get(project.id)?.find((f) => f.entryDate === d.date && f.amountFen === d.fen) : undefined;
      const state: FundState = {
        evidenceKind: d.evidenceKind ?? existing?.evidenceKind ?? ('other' satisfies EvidenceKind),
        status: d.status ?? existing?.status ?? 'reported',
      };
      const base = { projectCode: d.projectCode, date: d.date, fen: d.fen, state };
      if (!existing) {
        this.ops.funds.push({ op: 'add', ...base });
        return 'add';
      }
      if (!differs(state, { evidenceKind: existing.evidenceKind, status: existing.status })) return 'same';
      this.ops.funds.push({ op: 'change', ...base, existing });
      return 'change';
    });
  }

  // --- 群聊

  private groups(): void {
    const sheet = this.wb.sheets.groups;
    if (!sheet) return;
    const seen = new Map<string, number>();
    this.row(sheet, (row) => {
      const d = row.data;
      if (!this.firstOccurrence(seen, sheet, row, d.chatId, 'chatId', d.chatId)) return null;
      const existing = this.db.groups.get(d.chatId);
      const current: GroupState | null = existing
        ? {
            name: existing.name,
            bindingKind: existing.bindingKind,
            unitCode: this.unitCodeOf(existing.unitId),
            chainName: this.chainNameOf(existing.chainId),
          }
        : null;
      let binding: Pick<GroupState, 'bindingKind' | 'unitCode' | 'chainName'> = current ?? {
        bindingKind: null,
        unitCode: null,
        chainName: null,
      };
      if (d.bindingKind === null && d.target !== null) {
        this.err(sheet, row, 'bindingKind', t('ledger.err.target_without_kind'));
      } else if (d.bindingKind !== null) {
        const kind = d.bindingKind;
        if (kind === 'chain') {
          const chain = d.target === null ? null : this.resolveChain(d.target);
          if (d.target === null)
            this.err(
              sheet,
              row,
              'target',
              t('ledger.err.target_required', { kind: bindingKinds.label(kind), what: t('ledger.err.what_chain_name') }),
            );
          else if (chain === null) this.err(sheet, row, 'target', t('ledger.err.unknown_chain', { value: d.target }));
          binding = { bindingKind: kind, unitCode: null, chainName: chain };
        } else {
          const code = d.target === null ? null : normalizeCode(d.target);
          if (code === null && kind !== 'centre') {
            this.err(
              sheet,
              row,
              'target',
              t('ledger.err.target_required', { kind: bindingKinds.label(kind), what: t('ledger.err.what_unit_code') }),
            );
          } else if (code !== null && !this.unitExists(code)) this.err(sheet, row, 'target', t('ledger.err.unknown_unit', { value: code }));
          binding = { bindingKind: kind, unitCode: code, chainName: null };
        }
      }
      const state: GroupState = { name: d.name ?? current?.name ?? '', ...binding };
      if (!existing) {
        this.ops.groups.push({ op: 'add', chatId: d.chatId, state });
        return 'add';
      }
      if (!differs(state, current!)) return 'same';
      this.ops.groups.push({ op: 'change', chatId: d.chatId, state, existing });
      return 'change';
    });
  }

  // --- 目标

  private targets(): void {
    const sheet = this.wb.sheets.targets;
    if (!sheet) return;
    const seen = new Map<string, number>();
    const entity = sheetLabel('targets');
    this.row(sheet, (row) => {
      const d = row.data;
      if (!this.unitExists(d.unitCode)) {
        this.err(sheet, row, 'unitCode', t('ledger.err.unknown_unit', { value: d.unitCode }));
        return null;
      }
      if (!this.firstOccurrence(seen, sheet, row, `${d.unitCode}|${d.year}`, 'year', `${d.unitCode} ${d.year}`)) return null;
      const unit = this.db.unitsByCode.get(d.unitCode);
      const existing = unit ? this.db.targets.get(`${unit.id}:${d.year}`) : undefined;
      for (const f of ['trips', 'signedBig', 'landed'] as const) {
        if (d[f] === null && !existing) this.err(sheet, row, f, t('ledger.err.required_for_new', { entity }));
      }
      const trips = d.trips ?? existing?.trips;
      const signedBig = d.signedBig ?? existing?.signedBig;
      const landed = d.landed ?? existing?.landed;
      if (trips === undefined || signedBig === undefined || landed === undefined) return null;
      const state: TargetState = { trips, signedBig, landed };
      const base = { unitCode: d.unitCode, year: d.year, state };
      if (!existing) {
        this.ops.targets.push({ op: 'add', ...base });
        return 'add';
      }
      if (!differs(state, { trips: existing.trips, signedBig: existing.signedBig, landed: existing.landed })) return 'same';
      this.ops.targets.push({ op: 'change', ...base, existing });
      return 'change';
    });
  }
}

async function analyse(q: Q, wb: LedgerWorkbook): Promise<Analysis> {
  const a = new Analysis(wb, await loadSnapshot(q, wb));
  a.run();
  return a;
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/**
 * Checks the whole workbook against itself and the database and says what an import would do. Writes nothing.
 */
export async function planImport(db: Q, workbook: LedgerWorkbook): Promise<ImportPlan> {
  const a = await analyse(db, workbook);
  return { fileName: workbook.fileName, workbook, errors: a.errors, warnings: a.warnings, counts: a.counts, ops: a.ops };
}

/** Reads a file (path or bytes) and plans its import. */
export async function planImportFile(db: Q, source: LedgerSource, opts: ReadOptions = {}): Promise<ImportPlan> {
  return planImport(db, await readWorkbook(source, opts));
}

/** Any constant: it only has to be the same for every instance, so two confirmed imports run one after the other. */
const IMPORT_LOCK_KEY = 7_310_042_006;

/**
 * Writes a clean plan in one transaction. The plan is checked again inside the transaction against the database as
 * it is now (the preview may be minutes old); any error and nothing is written (LedgerImportRejected).
 */
export async function applyImport(db: Db, plan: ImportPlan, opts: ApplyOptions = {}): Promise<ApplyResult> {
  if (plan.errors.length > 0) throw new LedgerImportRejected(plan.errors);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`);
    const a = await analyse(tx, plan.workbook);
    if (a.errors.length > 0) throw new LedgerImportRejected(a.errors);
    await write(tx, a, opts);
    // A big first import leaves the planner's statistics saying the tables are empty; the next query by code would
    // scan. ANALYZE is allowed in a transaction and takes a sample, so it is cheap next to the import itself.
    if ((a.counts.projects?.add ?? 0) + (a.counts.funds?.add ?? 0) >= 1000)
      await tx.execute(sql`analyze projects, fund_entries, audit_log, stage_history`);
    let added = 0;
    let changed = 0;
    let unchanged = 0;
    for (const c of Object.values(a.counts)) {
      added += c.add;
      changed += c.change;
      unchanged += c.same;
    }
    return { counts: a.counts, added, changed, same: unchanged };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

/**
 * Rows per bulk statement. Bulk rows travel as one JSON parameter expanded by jsonb_to_recordset: on PGlite that is
 * about four times faster than a multi-row VALUES with thousands of bound parameters (which also overflows PGlite's
 * message buffer beyond ~1,000 rows of projects), and on PostgreSQL it is one round trip per batch.
 */
const WRITE_BATCH = 2000;

type AuditRow = typeof auditLog.$inferInsert;

/** Column name → SQL type, for jsonb_to_recordset's column definition list. Names and types are ours, never input. */
type ColumnTypes = Record<string, string>;

function rowsOf(res: unknown): Record<string, unknown>[] {
  return Array.isArray(res) ? (res as Record<string, unknown>[]) : ((res as { rows?: Record<string, unknown>[] }).rows ?? []);
}

/** insert into table (cols) select cols from jsonb_to_recordset($rows) … returning … */
async function bulkInsert(
  tx: Tx,
  table: string,
  types: ColumnTypes,
  rows: Record<string, unknown>[],
  returning?: string,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const names = Object.keys(types);
  const list = names.map((n) => `"${n}"`).join(', ');
  const defs = names.map((n) => `"${n}" ${types[n]}`).join(', ');
  for (const batch of chunks(rows, WRITE_BATCH)) {
    const res = await tx.execute(
      sql`insert into ${sql.raw(`"${table}"`)} (${sql.raw(list)}) select ${sql.raw(list)} from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(${sql.raw(defs)})${sql.raw(returning ? ` returning ${returning}` : '')}`,
    );
    if (returning) out.push(...rowsOf(res));
  }
  return out;
}

const AUDIT_COLUMNS: ColumnTypes = {
  actor_id: 'integer',
  action: 'text',
  entity: 'text',
  entity_id: 'text',
  before: 'jsonb',
  after: 'jsonb',
};

async function insertAudit(tx: Tx, rows: AuditRow[]): Promise<void> {
  await bulkInsert(
    tx,
    'audit_log',
    AUDIT_COLUMNS,
    rows.map((r) => ({ actor_id: r.actorId, action: r.action, entity: r.entity, entity_id: r.entityId, before: r.before, after: r.after })),
  );
}

const PROJECT_COLUMNS: ColumnTypes = {
  name: 'text',
  investor: 'text',
  investor_region: 'text',
  origin_office: 'text',
  chain_id: 'integer',
  stage: 'stage',
  first_talk_unit_id: 'integer',
  host_unit_id: 'integer',
  owner_id: 'integer',
  planned_investment_fen: 'bigint',
  contract_amount_fen: 'bigint',
  stage_entered_on: 'date',
  signed_on: 'date',
  started_on: 'date',
  landed_on: 'date',
  last_progress_on: 'date',
  transferred_to: 'text',
  note: 'text',
};

/** Project values (camelCase, as audited) → columns (snake_case). */
function projectColumns(v: Record<string, unknown>): Record<string, unknown> {
  return {
    code: v.code,
    name: v.name,
    investor: v.investor,
    investor_region: v.investorRegion,
    origin_office: v.originOffice,
    chain_id: v.chainId,
    stage: v.stage,
    first_talk_unit_id: v.firstTalkUnitId,
    host_unit_id: v.hostUnitId,
    owner_id: v.ownerId,
    planned_investment_fen: v.plannedInvestmentFen,
    contract_amount_fen: v.contractAmountFen,
    stage_entered_on: v.stageEnteredOn ?? null,
    signed_on: v.signedOn,
    started_on: v.startedOn,
    landed_on: v.landedOn,
    last_progress_on: v.lastProgressOn,
    transferred_to: v.transferredTo,
    note: v.note,
  };
}

/** update projects from jsonb_to_recordset: every column set; stage_entered_on only where given (the stage moved). */
async function bulkUpdateProjects(tx: Tx, rows: Record<string, unknown>[]): Promise<void> {
  const types: ColumnTypes = { id: 'integer', ...PROJECT_COLUMNS };
  const defs = Object.entries(types)
    .map(([n, ty]) => `"${n}" ${ty}`)
    .join(', ');
  const sets = Object.keys(PROJECT_COLUMNS)
    .map((n) => (n === 'stage_entered_on' ? `"${n}" = coalesce(x."${n}", p."${n}")` : `"${n}" = x."${n}"`))
    .join(', ');
  for (const batch of chunks(rows, WRITE_BATCH)) {
    await tx.execute(
      sql`update projects p set ${sql.raw(sets)}, updated_at = now() from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(${sql.raw(defs)}) where p.id = x.id`,
    );
  }
}

function changedColumns<T extends Record<string, unknown>>(before: T, after: Partial<T>): { before: Partial<T>; after: Partial<T> } | null {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  let any = false;
  for (const k of Object.keys(after) as (keyof T)[]) {
    if (!same(before[k], after[k])) {
      b[k] = before[k];
      a[k] = after[k];
      any = true;
    }
  }
  return any ? { before: b, after: a } : null;
}

async function write(tx: Tx, a: Analysis, opts: ApplyOptions): Promise<void> {
  const snapshot = a.db;
  const actorId = opts.actorId ?? null;
  const today = opts.today ?? dateInZone(new Date(), DEFAULT_TIME_ZONE);
  const now = new Date();
  const ops = a.ops;
  const audit: AuditRow[] = [];
  const log = (action: 'create' | 'update', entity: string, id: number, before: unknown, after: unknown) =>
    audit.push({ actorId, action: `ledger.import.${action}`, entity, entityId: String(id), before: before ?? null, after });

  // Units, parents first.
  const unitIds = new Map<string, number>([...snapshot.unitsByCode].map(([code, u]) => [code, u.id]));
  const unitId = (code: string | null): number | null => (code === null ? null : unitIds.get(code)!);
  for (const op of ops.units) {
    const values = { code: op.code, name: op.state.name, kind: op.state.kind, parentId: unitId(op.state.parentCode) };
    const row = await upsertUnit(tx, values);
    unitIds.set(op.code, row.id);
    if (op.existing) {
      const diff = changedColumns(
        { name: op.existing.name, kind: op.existing.kind, parentId: op.existing.parentId } as Record<string, unknown>,
        { name: values.name, kind: values.kind, parentId: values.parentId },
      );
      if (diff) log('update', 'unit', row.id, diff.before, diff.after);
    } else log('create', 'unit', row.id, null, values);
  }

  // People.
  const personIds = new Map<string, number>(snapshot.people.map((p) => [PERSON_KEY_DB(p.id), p.id]));
  const personId = (pkey: string | null): number | null => (pkey === null ? null : personIds.get(pkey)!);
  for (const op of ops.people) {
    const s = op.state;
    const values = {
      name: s.name,
      unitId: unitId(s.unitCode),
      roles: s.roles,
      title: s.title,
      mobile: s.mobile,
      email: s.email,
      openId: s.openId,
    };
    if (op.existing) {
      const e = op.existing;
      await tx
        .update(people)
        .set({ ...values, updatedAt: now })
        .where(eq(people.id, e.id));
      const diff = changedColumns({ ...e, roles: [...e.roles].sort() } as Record<string, unknown>, values);
      if (diff) log('update', 'person', e.id, diff.before, diff.after);
    } else {
      const [row] = await tx.insert(people).values(values).returning({ id: people.id });
      personIds.set(op.pkey, row!.id);
      log('create', 'person', row!.id, null, values);
    }
  }

  // Chains.
  const chainIds = new Map<string, number>([...snapshot.chainsByName].map(([name, c]) => [name, c.id]));
  const chainId = (name: string | null): number | null => (name === null ? null : chainIds.get(name)!);
  for (const op of ops.chains) {
    const s = op.state;
    const values = {
      aliases: s.aliases,
      leaderId: personId(s.leader),
      secretaryId: personId(s.secretary),
      leadUnitId: unitId(s.leadUnitCode),
    };
    if (op.existing) {
      await tx.update(chains).set(values).where(eq(chains.id, op.existing.id));
      const diff = changedColumns(op.existing as Record<string, unknown>, values);
      if (diff) log('update', 'chain', op.existing.id, diff.before, diff.after);
    } else {
      const [row] = await tx
        .insert(chains)
        .values({ name: op.name, ...values })
        .returning({ id: chains.id });
      chainIds.set(op.name, row!.id);
      log('create', 'chain', row!.id, null, { name: op.name, ...values });
    }
  }

  // Projects, the big sheet: inserted and updated in bulk; stage moves recorded in stage_history.
  const projectIds = new Map<string, number>([...snapshot.projects].map(([code, p]) => [code, p.id]));
  const reason = t('ledger.history_reason');
  const projectValues = (s: ProjectState) => ({
    name: s.name,
    investor: s.investor,
    investorRegion: s.investorRegion,
    originOffice: s.originOffice,
    chainId: chainId(s.chain),
    stage: s.stage,
    firstTalkUnitId: unitId(s.firstTalkUnitCode),
    hostUnitId: unitId(s.hostUnitCode),
    ownerId: personId(s.owner),
    plannedInvestmentFen: s.plannedFen,
    contractAmountFen: s.contractFen,
    signedOn: s.signedOn,
    startedOn: s.startedOn,
    landedOn: s.landedOn,
    lastProgressOn: s.lastProgressOn,
    transferredTo: s.transferredTo,
    note: s.note,
  });
  /** The day a project entered its stage, when the file says it: signed on the signing day, landed on the landing day. */
  const enteredOn = (s: ProjectState) => (s.stage === 'signed' ? s.signedOn : s.stage === 'landed' ? s.landedOn : null) ?? today;
  const history: Record<string, unknown>[] = [];

  const added = ops.projects
    .filter((o) => o.op === 'add')
    .map((op) => ({ code: op.code, ...projectValues(op.state), stageEnteredOn: enteredOn(op.state) }));
  const byCode = new Map(added.map((r) => [r.code, r]));
  const inserted = await bulkInsert(tx, 'projects', { code: 'text', ...PROJECT_COLUMNS }, added.map(projectColumns), 'id, code');
  for (const r of inserted) {
    const id = Number(r.id);
    const values = byCode.get(String(r.code))!;
    projectIds.set(values.code, id);
    log('create', 'project', id, null, values);
    history.push({
      project_id: id,
      from_stage: null,
      to_stage: values.stage,
      reason,
      changed_on: values.stageEnteredOn,
      by_person_id: actorId,
    });
  }
  const updated: Record<string, unknown>[] = [];
  for (const op of ops.projects) {
    if (op.op !== 'change') continue;
    const e = op.existing!;
    const values: ReturnType<typeof projectValues> & { stageEnteredOn?: string } = projectValues(op.state);
    if (values.stage !== e.stage) {
      values.stageEnteredOn = enteredOn(op.state);
      history.push({
        project_id: e.id,
        from_stage: e.stage,
        to_stage: values.stage,
        reason,
        changed_on: values.stageEnteredOn,
        by_person_id: actorId,
      });
    }
    updated.push({ id: e.id, ...projectColumns(values) });
    const diff = changedColumns(e as Record<string, unknown>, values);
    if (diff) log('update', 'project', e.id, diff.before, diff.after);
  }
  await bulkUpdateProjects(tx, updated);
  await bulkInsert(
    tx,
    'stage_history',
    { project_id: 'integer', from_stage: 'stage', to_stage: 'stage', reason: 'text', changed_on: 'date', by_person_id: 'integer' },
    history,
  );

  // Fund entries.
  const verified = (status: FundStatus) =>
    status === 'verified' ? { verifiedById: actorId, verifiedAt: now } : { verifiedById: null, verifiedAt: null };
  const newFunds = ops.funds
    .filter((o) => o.op === 'add')
    .map((op) => ({
      projectId: projectIds.get(op.projectCode)!,
      entryDate: op.date,
      amountFen: op.fen,
      evidenceKind: op.state.evidenceKind,
      status: op.state.status,
      reportedById: actorId,
      ...verified(op.state.status),
    }));
  const fundKey = (projectId: unknown, date: unknown, fen: unknown) => `${projectId}|${date}|${fen}`;
  const fundsByKey = new Map(newFunds.map((f) => [fundKey(f.projectId, f.entryDate, f.amountFen), f]));
  const insertedFunds = await bulkInsert(
    tx,
    'fund_entries',
    {
      project_id: 'integer',
      entry_date: 'date',
      amount_fen: 'bigint',
      evidence_kind: 'text',
      status: 'fund_status',
      reported_by_id: 'integer',
      verified_by_id: 'integer',
      verified_at: 'timestamptz',
    },
    newFunds.map((f) => ({
      project_id: f.projectId,
      entry_date: f.entryDate,
      amount_fen: f.amountFen,
      evidence_kind: f.evidenceKind,
      status: f.status,
      reported_by_id: f.reportedById,
      verified_by_id: f.verifiedById,
      verified_at: f.verifiedAt,
    })),
    "id, project_id, to_char(entry_date, 'YYYY-MM-DD') as entry_date, amount_fen::text as amount_fen",
  );
  for (const r of insertedFunds) {
    const { verifiedAt: _at, ...values } = fundsByKey.get(fundKey(r.project_id, r.entry_date, r.amount_fen))!;
    log('create', 'fund_entry', Number(r.id), null, values);
  }
  for (const op of ops.funds) {
    if (op.op !== 'change') continue;
    const e = op.existing!;
    const values = { evidenceKind: op.state.evidenceKind, status: op.state.status };
    const statusMoved = values.status !== e.status;
    await tx
      .update(fundEntries)
      .set({ ...values, ...(statusMoved ? verified(values.status) : {}) })
      .where(eq(fundEntries.id, e.id));
    const diff = changedColumns(e as Record<string, unknown>, values);
    if (diff) log('update', 'fund_entry', e.id, diff.before, diff.after);
  }

  // Group chats.
  for (const op of ops.groups) {
    const s = op.state;
    const values = { name: s.name, bindingKind: s.bindingKind, unitId: unitId(s.unitCode), chainId: chainId(s.chainName) };
    const e = op.existing;
    const rebound = !e || e.bindingKind !== values.bindingKind || e.unitId !== values.unitId || e.chainId !== values.chainId;
    const bound = rebound && values.bindingKind !== null ? { boundBy: actorId, boundAt: now } : {};
    if (e) {
      await tx
        .update(chatGroups)
        .set({ ...values, ...bound })
        .where(eq(chatGroups.id, e.id));
      const diff = changedColumns(e as Record<string, unknown>, values);
      if (diff) log('update', 'chat_group', e.id, diff.before, diff.after);
    } else {
      const [row] = await tx
        .insert(chatGroups)
        .values({ chatId: op.chatId, ...values, ...bound })
        .returning({ id: chatGroups.id });
      log('create', 'chat_group', row!.id, null, { chatId: op.chatId, ...values });
    }
  }

  // Targets.
  for (const op of ops.targets) {
    const values = { trips: op.state.trips, signedBig: op.state.signedBig, landed: op.state.landed };
    if (op.existing) {
      await tx.update(targets).set(values).where(eq(targets.id, op.existing.id));
      const diff = changedColumns(op.existing as Record<string, unknown>, values);
      if (diff) log('update', 'target', op.existing.id, diff.before, diff.after);
    } else {
      const row = { unitId: unitId(op.unitCode)!, year: op.year, ...values };
      const [ins] = await tx.insert(targets).values(row).returning({ id: targets.id });
      log('create', 'target', ins!.id, null, row);
    }
  }

  await insertAudit(tx, audit);
}

// The preview and result texts live in preview.ts; re-exported so callers keep one import.
export * from './preview.js';
