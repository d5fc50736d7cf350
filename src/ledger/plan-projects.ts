// Planning the work sheets: projects (with what a signed or landed project must record), their fund entries, and the
// units' yearly targets. Each function checks its sheet's rows against the file and the snapshot, records problems in
// the context, and plans the writes.

import { t } from '../text.js';
import { checkTransition, transitionKind, type TransitionIssue } from '../domain/stages.js';
import { stageLabel, transitionIssueText } from '../words.js';
import { dbPersonKey, type FundState, type ProjectState, type TargetState } from '../store/ledger-ops.js';
import { sheetLabel, type EvidenceKind } from './columns.js';
import type { LedgerRow, LedgerSheet } from './read.js';
import type { RowTypes } from './row-schemas.js';
import { differs, type PlanContext } from './plan-context.js';
import { readRegion, regionByCode } from '../domain/regions.js';

/**
 * The investor's region code (src/domain/regions.ts): the code column when given (an unknown code is a row error);
 * else the free text read against the code list, and a warning naming the text when it matches nothing (the text
 * is kept as written, the code left empty: such a project's money is not counted as 市外 until a code is given).
 */
function regionCodeOf(
  ctx: PlanContext,
  sheet: LedgerSheet<RowTypes['projects']>,
  row: LedgerRow<RowTypes['projects']>,
  d: RowTypes['projects'],
  current: ProjectState | null,
): string | null {
  if (d.investorRegionCode !== null) {
    const r = regionByCode(d.investorRegionCode);
    if (!r) ctx.err(sheet, row, 'investorRegionCode', t('ledger.err.unknown_region_code', { value: d.investorRegionCode }));
    return r?.code ?? current?.investorRegionCode ?? null;
  }
  if (d.investorRegion === null) return current?.investorRegionCode ?? null;
  const r = readRegion(d.investorRegion);
  if (!r) ctx.warnings.push({ sheet: sheet.name, row: row.row, message: t('ledger.warn.region_unknown', { value: d.investorRegion }) });
  return r?.code ?? null;
}

// Projects

export function planProjects(ctx: PlanContext): void {
  const sheet = ctx.wb.sheets.projects;
  if (!sheet) return;
  const seen = new Map<string, number>();
  const entity = sheetLabel('projects');
  ctx.row(sheet, (row) => {
    const d = row.data;
    if (!ctx.firstOccurrence(seen, sheet, row, d.code, 'code', d.code)) return null;
    const e = ctx.db.projects.get(d.code);
    const current: ProjectState | null = e
      ? {
          name: e.name,
          investor: e.investor,
          investorRegion: e.investorRegion,
          investorRegionCode: e.investorRegionCode,
          originOffice: e.originOffice,
          projectType: e.projectType,
          channels: e.channels,
          chain: ctx.chainKeyById(e.chainId),
          stage: e.stage,
          firstTalkUnitCode: ctx.unitCodeOf(e.firstTalkUnitId),
          hostUnitCode: ctx.unitCodeOf(e.hostUnitId),
          owner: e.ownerId === null ? null : dbPersonKey(e.ownerId),
          plannedFen: e.plannedInvestmentFen,
          contractFen: e.contractAmountFen,
          signedOn: e.signedOn,
          startedOn: e.startedOn,
          landedOn: e.landedOn,
          lastProgressOn: e.lastProgressOn,
          transferredTo: e.transferredTo,
          note: e.note,
          agreedStartOn: e.startPlannedOn,
          agreedInvestmentFen: e.agreedInvestmentFen,
          agreedInvestmentBy: e.agreedInvestmentBy,
          agreedOutputFen: e.agreedOutputFen,
          agreedTaxFen: e.agreedTaxFen,
          agreedResultsBy: e.agreedResultsBy,
          teamLead: e.teamLeadId === null ? null : dbPersonKey(e.teamLeadId),
        }
      : null;

    // An admin's file: projects of the database they may change (first-talk unit inside their remit, or their
    // own), placed in units inside it. A code outside is refused without saying whose it is.
    if (e && !ctx.mayChangeProject(e)) {
      ctx.err(sheet, row, 'code', t('ledger.err.project_outside', { value: d.code }));
      return null;
    }
    for (const f of ['firstTalkUnitCode', 'hostUnitCode'] as const) {
      const code = d[f];
      if (code !== null && code !== current?.[f] && !ctx.inside(code))
        ctx.err(sheet, row, f, t('ledger.err.unit_outside', { value: code }));
    }
    for (const f of ['name', 'stage', 'firstTalkUnitCode', 'hostUnitCode'] as const) {
      if (d[f] === null && current === null) ctx.err(sheet, row, f, t('ledger.err.required_for_new', { entity }));
    }
    for (const f of ['firstTalkUnitCode', 'hostUnitCode'] as const) {
      const code = d[f];
      if (code !== null && !ctx.unitExists(code)) ctx.err(sheet, row, f, t('ledger.err.unknown_unit', { value: code }));
    }
    const firstTalkUnitCode = d.firstTalkUnitCode ?? current?.firstTalkUnitCode ?? null;
    const hostUnitCode = d.hostUnitCode ?? current?.hostUnitCode ?? null;
    let chain = current?.chain ?? null;
    if (d.chain !== null) {
      // Chains are per government: the chain of that name nearest the project (its county's, its city's, the
      // province's); the operator's file may also name the only chain of that name anywhere.
      const governments = [...new Set([...ctx.governmentsOf(firstTalkUnitCode), ...ctx.governmentsOf(hostUnitCode)])];
      chain = ctx.refs.chain(d.chain, governments, !ctx.scoped);
      if (chain === null) ctx.err(sheet, row, 'chain', t('ledger.err.unknown_chain', { value: d.chain }));
    }
    let owner = current?.owner ?? null;
    if (d.owner !== null) {
      const r = ctx.refs.person(d.owner, [firstTalkUnitCode, hostUnitCode]);
      if ('reason' in r) ctx.err(sheet, row, 'owner', r.reason);
      else owner = r.pkey;
    }
    // The service team lead (包保专班负责人): a person of the first-talk unit's government (domain/problems
    // teamLeadInPlace), as the 专班 command requires.
    let teamLead = current?.teamLead ?? null;
    if (d.teamLead !== null) {
      const r = ctx.refs.person(d.teamLead, [firstTalkUnitCode, hostUnitCode]);
      if ('reason' in r) ctx.err(sheet, row, 'teamLead', r.reason);
      else {
        const government = ctx.governmentsOf(firstTalkUnitCode)[0];
        const unit = ctx.refs.unitOfPerson(r.pkey);
        const inPlace = government !== undefined && unit !== null && ctx.ancestry(unit).some((u) => u.code === government);
        if (!inPlace) ctx.err(sheet, row, 'teamLead', t('ledger.err.team_lead_outside', { value: d.teamLead }));
        else teamLead = r.pkey;
      }
    }
    const investorRegionCode = regionCodeOf(ctx, sheet, row, d, current);
    const name = d.name ?? current?.name;
    const stage = d.stage ?? current?.stage;
    if (name === undefined || stage === undefined) return null;
    const state: ProjectState = {
      name,
      investor: d.investor ?? current?.investor ?? null,
      investorRegion: d.investorRegion ?? current?.investorRegion ?? null,
      investorRegionCode,
      originOffice: d.originOffice ?? current?.originOffice ?? null,
      projectType: d.projectType ?? current?.projectType ?? 'other',
      channels: d.channels ?? current?.channels ?? [],
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
      agreedStartOn: d.agreedStartOn ?? current?.agreedStartOn ?? null,
      agreedInvestmentFen: d.agreedInvestmentFen ?? current?.agreedInvestmentFen ?? null,
      agreedInvestmentBy: d.agreedInvestmentBy ?? current?.agreedInvestmentBy ?? null,
      agreedOutputFen: d.agreedOutputFen ?? current?.agreedOutputFen ?? null,
      agreedTaxFen: d.agreedTaxFen ?? current?.agreedTaxFen ?? null,
      agreedResultsBy: d.agreedResultsBy ?? current?.agreedResultsBy ?? null,
      teamLead,
    };
    ctx.plannedProjects.set(d.code, { firstTalkUnitCode, hostUnitCode });

    // Agreed terms come with their dates (001 三.四: a letter is due when the date passes with the term unmet).
    if (state.agreedInvestmentFen !== null && state.agreedInvestmentBy === null) {
      ctx.err(sheet, row, 'agreedInvestmentBy', t('ledger.err.agreed_investment_by'));
    }
    if ((state.agreedOutputFen !== null || state.agreedTaxFen !== null) && state.agreedResultsBy === null) {
      ctx.err(sheet, row, 'agreedResultsBy', t('ledger.err.agreed_results_by'));
    }
    // What a signed or landed project must record (domain/stages): contract amount, signing date, landing date.
    if (stage === 'signed' || stage === 'landed') {
      const check = checkTransition('planning', stage, {
        contractFen: state.contractFen,
        signedOn: state.signedOn,
        landedOn: state.landedOn,
      });
      if (!check.ok) for (const issue of check.issues) stageIssue(ctx, sheet, row, issue);
    }
    if (current && current.stage !== stage) {
      const kind = transitionKind(current.stage, stage);
      if (kind === 'backward' || kind === 'reactivation') {
        ctx.warnings.push({
          sheet: sheet.name,
          row: row.row,
          message: t('ledger.warn.stage_backward', { from: stageLabel(current.stage), to: stageLabel(stage) }),
        });
      }
    }

    if (!e) {
      ctx.ops.projects.push({ op: 'add', code: d.code, state });
      return 'add';
    }
    if (!differs(state, current!)) return 'same';
    ctx.ops.projects.push({ op: 'change', code: d.code, state, existing: e });
    return 'change';
  });
}

function stageIssue(
  ctx: PlanContext,
  sheet: LedgerSheet<RowTypes['projects']>,
  row: LedgerRow<RowTypes['projects']>,
  issue: TransitionIssue,
): void {
  const fieldOf: Record<string, keyof RowTypes['projects'] & string> = {
    contractFen: 'contractFen',
    signedOn: 'signedOn',
    landedOn: 'landedOn',
    transferTo: 'transferredTo',
    reason: 'stage',
  };
  const text = transitionIssueText(issue);
  const field = 'field' in issue ? fieldOf[issue.field]! : 'stage';
  ctx.err(sheet, row, field, text);
}

// Fund entries

export function planFunds(ctx: PlanContext): void {
  const sheet = ctx.wb.sheets.funds;
  if (!sheet) return;
  const seen = new Map<string, number>();
  ctx.row(sheet, (row) => {
    const d = row.data;
    const project = ctx.db.projects.get(d.projectCode);
    if (!project && !ctx.fileProjectCodes.has(d.projectCode)) {
      ctx.err(sheet, row, 'projectCode', t('ledger.err.unknown_project', { value: d.projectCode }));
      return null;
    }
    if (project && !ctx.mayChangeProject(project)) {
      ctx.err(sheet, row, 'projectCode', t('ledger.err.project_outside', { value: d.projectCode }));
      return null;
    }
    const key = `${d.projectCode}|${d.date}|${d.fen}`;
    if (!ctx.firstOccurrence(seen, sheet, row, key, 'fen', `${d.projectCode} ${d.date} ${row.raw.fen ?? ''}`)) return null;
    const existing = project ? ctx.db.funds.get(project.id)?.find((f) => f.entryDate === d.date && f.amountFen === d.fen) : undefined;
    const state: FundState = {
      evidenceKind: d.evidenceKind ?? existing?.evidenceKind ?? ('other' satisfies EvidenceKind),
      status: d.status ?? existing?.status ?? 'reported',
    };
    // Money counts once a checker, not its reporter, has verified it (002: 到位资金 as 认定; the 核查 card, with its
    // separation of duties). An admin's ledger may carry the status it was exported with, but not change it: a new
    // entry comes in as reported, and verifying or rejecting happens on the card. The operator's import (the CLI,
    // loading an office's historical ledger) may set it.
    if (ctx.scoped && state.status !== (existing?.status ?? 'reported')) {
      ctx.err(sheet, row, 'status', t('ledger.err.fund_status_by_check', { value: row.raw.status ?? '' }));
      return null;
    }
    const base = { projectCode: d.projectCode, date: d.date, fen: d.fen, state };
    if (!existing) {
      ctx.ops.funds.push({ op: 'add', ...base });
      return 'add';
    }
    if (!differs(state, { evidenceKind: existing.evidenceKind, status: existing.status })) return 'same';
    ctx.ops.funds.push({ op: 'change', ...base, existing });
    return 'change';
  });
}

// Targets

export function planTargets(ctx: PlanContext): void {
  const sheet = ctx.wb.sheets.targets;
  if (!sheet) return;
  const seen = new Map<string, number>();
  const entity = sheetLabel('targets');
  ctx.row(sheet, (row) => {
    const d = row.data;
    if (!ctx.unitExists(d.unitCode)) {
      ctx.err(sheet, row, 'unitCode', t('ledger.err.unknown_unit', { value: d.unitCode }));
      return null;
    }
    if (!ctx.inside(d.unitCode)) {
      ctx.err(sheet, row, 'unitCode', t('ledger.err.unit_outside', { value: d.unitCode }));
      return null;
    }
    if (!ctx.firstOccurrence(seen, sheet, row, `${d.unitCode}|${d.year}`, 'year', `${d.unitCode} ${d.year}`)) return null;
    const unit = ctx.db.unitsByCode.get(d.unitCode);
    const existing = unit ? ctx.db.targets.get(`${unit.id}:${d.year}`) : undefined;
    for (const f of ['trips', 'signedBig', 'landed'] as const) {
      if (d[f] === null && !existing) ctx.err(sheet, row, f, t('ledger.err.required_for_new', { entity }));
    }
    const trips = d.trips ?? existing?.trips;
    const signedBig = d.signedBig ?? existing?.signedBig;
    const landed = d.landed ?? existing?.landed;
    if (trips === undefined || signedBig === undefined || landed === undefined) return null;
    const state: TargetState = { trips, signedBig, landed };
    const base = { unitCode: d.unitCode, year: d.year, state };
    if (!existing) {
      ctx.ops.targets.push({ op: 'add', ...base });
      return 'add';
    }
    if (!differs(state, { trips: existing.trips, signedBig: existing.signedBig, landed: existing.landed })) return 'same';
    ctx.ops.targets.push({ op: 'change', ...base, existing });
    return 'change';
  });
}
