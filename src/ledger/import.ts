// Ledger import: check the whole workbook against itself and the database (planImport), then write it in one
// transaction (applyImport). The steps: read (read.ts) → validate and plan per sheet (plan-directory.ts,
// plan-projects.ts, sharing plan-context.ts) → write (store/ledger-write.ts).
//
// Records are matched by their keys, never by row position: unit code, person mobile (or name + unit when there is
// no mobile), chain name, project code, chat id, target unit + year, fund entry project + date + amount. A matched
// record is updated where the file says something different (an empty cell leaves the field as it is); nothing is
// ever deleted. Every write is recorded in audit_log with the changed columns before and after.

import type { Db, Tx } from '../store/db.js';
import { loadLedgerSnapshot } from '../store/ledger-snapshot.js';
import { lockLedgerImport, refreshLedgerStatistics, transactionTime, writeLedger } from '../store/ledger-write.js';
import { t } from '../text.js';
import { escalateIfDue } from '../report/escalate.js';
import { enqueueAll } from '../store/messages.js';
import { projectIdsByCodes } from '../store/projects.js';
import { dateInZone, DEFAULT_TIME_ZONE } from '../domain/calendar.js';
import { normalizeCode } from './cells.js';
import { readWorkbook, type LedgerError, type LedgerSource, type LedgerWorkbook, type ReadOptions } from './read.js';
import { PlanContext } from './plan-context.js';
import { planChains, planGroups, planPeople, planUnits } from './plan-directory.js';
import { planFunds, planProjects, planTargets } from './plan-projects.js';
import { planEvaluations, planOrgs, planProblems } from './plan-problems.js';
import { loadRules } from '../store/rules.js';
import type { ApplyOptions, ApplyResult, ImportPlan, ImportScope } from './plan-types.js';

export type { ApplyOptions, ApplyResult, ImportPlan, ImportScope, SheetCounts } from './plan-types.js';

type Q = Db | Tx;

/** Thrown by applyImport when the plan (or the database, re-checked inside the transaction) has errors. */
export class LedgerImportRejected extends Error {
  constructor(readonly errors: LedgerError[]) {
    super(t('ledger.rejected', { count: errors.length }));
    this.name = 'LedgerImportRejected';
  }
}

/** The project codes a file names: the database is read for those only, not for all projects. */
function namedProjects(wb: LedgerWorkbook) {
  const projectCodes = new Set<string>();
  for (const r of wb.sheets.projects?.rows ?? []) if (r.raw.code) projectCodes.add(normalizeCode(r.raw.code));
  const codesOf = (rows: { raw: { projectCode?: string } }[] | undefined) => {
    const out = new Set<string>();
    for (const r of rows ?? []) if (r.raw.projectCode) out.add(normalizeCode(r.raw.projectCode));
    return out;
  };
  return {
    projectCodes,
    fundProjectCodes: codesOf(wb.sheets.funds?.rows),
    evaluationProjectCodes: codesOf(wb.sheets.evaluations?.rows),
    problemProjectCodes: codesOf(wb.sheets.problems?.rows),
  };
}

/** Every sheet in dependency order: people refer to units, chains to people, projects to all three. */
async function analyse(q: Q, wb: LedgerWorkbook, scope: ImportScope): Promise<PlanContext> {
  const ctx = new PlanContext(wb, await loadLedgerSnapshot(q, namedProjects(wb)), scope, await loadRules(q));
  planUnits(ctx);
  planPeople(ctx);
  planChains(ctx);
  planOrgs(ctx);
  planProjects(ctx);
  planFunds(ctx);
  planEvaluations(ctx);
  planProblems(ctx);
  planGroups(ctx);
  planTargets(ctx);
  return ctx;
}

/**
 * Checks the whole workbook against itself and the database, within `scope` (the operator's, or an admin's remit:
 * every row outside it is an error), and says what an import would do. Writes nothing.
 */
export async function planImport(db: Q, workbook: LedgerWorkbook, scope: ImportScope): Promise<ImportPlan> {
  const a = await analyse(db, workbook, scope);
  return { fileName: workbook.fileName, scope, workbook, errors: a.errors, warnings: a.warnings, counts: a.counts, ops: a.ops };
}

/** Reads a file (path or bytes) and plans its import within `scope`. */
export async function planImportFile(db: Q, source: LedgerSource, scope: ImportScope, opts: ReadOptions = {}): Promise<ImportPlan> {
  return planImport(db, await readWorkbook(source, opts), scope);
}

/**
 * Writes a clean plan in one transaction. The plan is checked again inside the transaction against the database as
 * it is now (the preview may be minutes old); any error and nothing is written (LedgerImportRejected).
 */
export async function applyImport(db: Db, plan: ImportPlan, opts: ApplyOptions = {}): Promise<ApplyResult> {
  if (plan.errors.length > 0) throw new LedgerImportRejected(plan.errors);
  return db.transaction(async (tx) => {
    await lockLedgerImport(tx);
    const a = await analyse(tx, plan.workbook, plan.scope);
    if (a.errors.length > 0) throw new LedgerImportRejected(a.errors);
    // A caller without a clock of its own (a test, the bench) gets the database's: one reading for the whole import.
    const now = opts.now ?? (await transactionTime(tx));
    await writeLedger(tx, a.db, a.ops, {
      actorId: opts.actorId ?? null,
      today: opts.today ?? dateInZone(now, DEFAULT_TIME_ZONE),
      now,
      historyReason: t('ledger.history_reason'),
    });
    if ((a.counts.projects?.add ?? 0) + (a.counts.funds?.add ?? 0) >= 1000) await refreshLedgerStatistics(tx);
    // 提级报备 on this path too (001 三.三): a project the file makes signed or landed at ≥ the threshold (new, moved,
    // or its contract amount raised) is filed one level up, once, with the import.
    const today = opts.today ?? dateInZone(now, DEFAULT_TIME_ZONE);
    // Only the projects the file leaves signed or landed can be due: a large import stays one small query.
    const candidates = a.ops.projects.filter((op) => op.state.stage === 'signed' || op.state.stage === 'landed');
    const touched = await projectIdsByCodes(tx, [...new Set(candidates.map((op) => op.code))]);
    const escalated = await enqueueAll(tx, await escalateIfDue(tx, touched, today));
    let added = 0;
    let changed = 0;
    let unchanged = 0;
    for (const c of Object.values(a.counts)) {
      added += c.add;
      changed += c.change;
      unchanged += c.same;
    }
    return { counts: a.counts, added, changed, same: unchanged, escalated };
  });
}

// The preview and result texts live in preview.ts; re-exported so callers keep one import.
export * from './preview.js';
