// Planning the sheets of issue 16: external organisations (外部单位), evaluations before signing (项目评估) and problems
// with their due dates and the party that must act (困难问题). Each checks its rows against the file and the snapshot
// within the importer's remit, records problems in the context, and plans the writes.

import { t } from '../text.js';
import { GOVERNMENT_KINDS } from '../domain/remit.js';
import { problemDueOn } from '../domain/problems.js';
import { orgKeyOf, type EvaluationState, type OrgState, type ProblemState, type Project } from '../store/ledger-ops.js';
import { sheetLabel } from './columns.js';
import type { LedgerRow, LedgerSheet } from './read.js';
import { differs, type PlanContext } from './plan-context.js';

// External organisations

export function planOrgs(ctx: PlanContext): void {
  for (const o of ctx.db.orgsByKey.values()) ctx.addOrg(ctx.unitCodeOf(o.governmentUnitId) ?? '', o.name);
  const sheet = ctx.wb.sheets.orgs;
  if (!sheet) return;
  const seen = new Map<string, number>();
  ctx.row(sheet, (row) => {
    const d = row.data;
    if (!ctx.unitExists(d.governmentCode)) {
      ctx.err(sheet, row, 'governmentCode', t('ledger.err.unknown_unit', { value: d.governmentCode }));
      return null;
    }
    const kind = ctx.ancestry(d.governmentCode)[0]?.kind ?? null;
    if (!(GOVERNMENT_KINDS as readonly (string | null)[]).includes(kind)) {
      ctx.err(sheet, row, 'governmentCode', t('ledger.err.org_not_government', { value: d.governmentCode }));
      return null;
    }
    if (!ctx.inside(d.governmentCode)) {
      ctx.err(sheet, row, 'governmentCode', t('ledger.err.unit_outside', { value: d.governmentCode }));
      return null;
    }
    const key = orgKeyOf(d.governmentCode, d.name);
    if (!ctx.firstOccurrence(seen, sheet, row, key, 'name', `${d.governmentCode} ${d.name}`)) return null;
    ctx.addOrg(d.governmentCode, d.name);
    const existing = ctx.db.orgsByKey.get(key);
    const state: OrgState = {
      kind: d.kind ?? existing?.kind ?? 'other',
      contactName: d.contactName ?? existing?.contactName ?? null,
      contactOpenId: d.contactOpenId ?? existing?.contactOpenId ?? null,
    };
    const base = { name: d.name, governmentCode: d.governmentCode, state };
    if (!existing) {
      ctx.ops.orgs.push({ op: 'add', ...base });
      return 'add';
    }
    const current: OrgState = { kind: existing.kind, contactName: existing.contactName, contactOpenId: existing.contactOpenId };
    if (!differs(state, current)) return 'same';
    ctx.ops.orgs.push({ op: 'change', ...base, existing });
    return 'change';
  });
}

/**
 * The project a row of a project's sub-sheet names, checked as the fund sheet checks it: known (in the database or
 * planned by the file), and changeable by the importer. Undefined (with the error recorded, or none when the
 * project's own row was rejected) when the row cannot go on.
 */
function projectOf<T extends { projectCode: string }>(
  ctx: PlanContext,
  sheet: LedgerSheet<T>,
  row: LedgerRow<T> & { data: T },
): { project: Project | undefined; firstTalkUnitCode: string | null; hostUnitCode: string | null } | undefined {
  const code = row.data.projectCode;
  const project = ctx.db.projects.get(code);
  if (!project && !ctx.fileProjectCodes.has(code)) {
    ctx.err(sheet, row, 'projectCode' as keyof T & string, t('ledger.err.unknown_project', { value: code }));
    return undefined;
  }
  if (project && !ctx.mayChangeProject(project)) {
    ctx.err(sheet, row, 'projectCode' as keyof T & string, t('ledger.err.project_outside', { value: code }));
    return undefined;
  }
  const planned = ctx.plannedProjects.get(code);
  if (planned) return { project, ...planned };
  if (!project) return undefined;
  return { project, firstTalkUnitCode: ctx.unitCodeOf(project.firstTalkUnitId), hostUnitCode: ctx.unitCodeOf(project.hostUnitId) };
}

// Evaluations before signing

export function planEvaluations(ctx: PlanContext): void {
  const sheet = ctx.wb.sheets.evaluations;
  if (!sheet) return;
  const seen = new Map<string, number>();
  const entity = sheetLabel('evaluations');
  ctx.row(sheet, (row) => {
    const d = row.data;
    const place = projectOf(ctx, sheet, row);
    if (!place) return null;
    if (!ctx.firstOccurrence(seen, sheet, row, `${d.projectCode}|${d.date}`, 'date', `${d.projectCode} ${d.date}`)) return null;
    const existing = place.project ? ctx.db.evaluations.get(place.project.id)?.find((e) => e.evaluatedOn === d.date) : undefined;
    const conclusion = d.conclusion ?? existing?.conclusion;
    if (conclusion === undefined) {
      ctx.err(sheet, row, 'conclusion', t('ledger.err.required_for_new', { entity }));
      return null;
    }
    const state: EvaluationState = { conclusion, note: d.note ?? existing?.note ?? null };
    const base = { projectCode: d.projectCode, date: d.date, state };
    if (!existing) {
      ctx.ops.evaluations.push({ op: 'add', ...base });
      return 'add';
    }
    if (!differs(state, { conclusion: existing.conclusion, note: existing.note })) return 'same';
    ctx.ops.evaluations.push({ op: 'change', ...base, existing });
    return 'change';
  });
}

// Problems

/**
 * Whether a unit may be the one that must act on a project's problem (domain/permissions unitMayAct, on the codes
 * as the file places them): inside the project's government, or a unit of a government above it.
 */
function unitMayActOn(ctx: PlanContext, unitCode: string, projectUnitCode: string | null): boolean {
  const government = ctx.governmentsOf(projectUnitCode)[0];
  if (government === undefined) return false;
  if (ctx.ancestry(unitCode).some((u) => u.code === government)) return true;
  const its = ctx.governmentsOf(unitCode)[0];
  return its !== undefined && ctx.governmentsOf(government).includes(its);
}

export function planProblems(ctx: PlanContext): void {
  const sheet = ctx.wb.sheets.problems;
  if (!sheet) return;
  const seen = new Map<string, number>();
  const entity = sheetLabel('problems');
  ctx.row(sheet, (row) => {
    const d = row.data;
    const place = projectOf(ctx, sheet, row);
    if (!place) return null;
    const key = `${d.projectCode}|${d.description}`;
    if (!ctx.firstOccurrence(seen, sheet, row, key, 'description', `${d.projectCode} ${d.description}`)) return null;
    const existing = place.project ? ctx.db.problems.get(place.project.id)?.find((p) => p.description === d.description) : undefined;
    const category = d.category ?? existing?.category;
    if (category === undefined) ctx.err(sheet, row, 'category', t('ledger.err.required_for_new', { entity }));

    // Who must act: a unit (inside the project's government or above it) or an external organisation of the
    // project's government or one above it (domain/problems orgMayAct), never both.
    const projectUnit = place.hostUnitCode ?? place.firstTalkUnitCode;
    let mustActUnitCode = existing ? ctx.unitCodeOf(existing.mustActUnitId) : null;
    let mustActOrg = existing ? ctx.orgKeyById(existing.mustActOrgId) : null;
    if (d.mustActUnitCode !== null && d.mustActOrg !== null) ctx.err(sheet, row, 'mustActOrg', t('ledger.err.unit_and_org'));
    else if (d.mustActUnitCode !== null) {
      if (!ctx.unitExists(d.mustActUnitCode))
        ctx.err(sheet, row, 'mustActUnitCode', t('ledger.err.unknown_unit', { value: d.mustActUnitCode }));
      else if (!unitMayActOn(ctx, d.mustActUnitCode, projectUnit))
        ctx.err(sheet, row, 'mustActUnitCode', t('ledger.err.unit_may_not_act', { value: d.mustActUnitCode }));
      mustActUnitCode = d.mustActUnitCode;
      mustActOrg = null;
    } else if (d.mustActOrg !== null) {
      const government = ctx.governmentsOf(projectUnit).find((g) => ctx.hasOrg(g, d.mustActOrg!));
      if (government === undefined) ctx.err(sheet, row, 'mustActOrg', t('ledger.err.unknown_org', { value: d.mustActOrg }));
      else mustActOrg = orgKeyOf(government, d.mustActOrg);
      mustActUnitCode = null;
    }

    const raisedOn = d.raisedOn ?? existing?.raisedOn ?? null;
    const dueOn = d.dueOn ?? existing?.dueOn ?? (raisedOn !== null && category ? problemDueOn(category, raisedOn, ctx.rules) : null);
    if (raisedOn !== null && dueOn !== null && dueOn < raisedOn) ctx.err(sheet, row, 'dueOn', t('ledger.err.due_before_raised'));
    const open =
      d.status !== null ? d.status === 'open' : d.resolvedOn !== null || d.resolution !== null ? false : (existing?.open ?? true);
    const resolvedOn = open ? null : (d.resolvedOn ?? existing?.resolvedOn ?? null);
    const resolution = open ? null : (d.resolution ?? existing?.resolution ?? null);
    if (!open && (resolvedOn === null || resolution === null)) {
      ctx.err(sheet, row, resolvedOn === null ? 'resolvedOn' : 'resolution', t('ledger.err.closed_needs'));
    }
    if (category === undefined) return null;
    const state: ProblemState = { category, raisedOn: raisedOn ?? '', dueOn, mustActUnitCode, mustActOrg, open, resolvedOn, resolution };
    const base = { projectCode: d.projectCode, description: d.description, state };
    if (!existing) {
      // A new problem without a day: raised on the day of the import, due after its category's days (the writer).
      ctx.ops.problems.push({ op: 'add', ...base, dueDays: ctx.rules.problemDueDays[category] ?? ctx.rules.problemDueDays.other ?? 30 });
      return 'add';
    }
    const current: ProblemState = {
      category: existing.category,
      raisedOn: existing.raisedOn,
      dueOn: existing.dueOn,
      mustActUnitCode: ctx.unitCodeOf(existing.mustActUnitId),
      mustActOrg: ctx.orgKeyById(existing.mustActOrgId),
      open: existing.open,
      resolvedOn: existing.resolvedOn,
      resolution: existing.resolution,
    };
    if (!differs(state, current)) return 'same';
    ctx.ops.problems.push({ op: 'change', ...base, existing });
    return 'change';
  });
}
