import { z } from 'zod';
import { needsConfirmation, parseAmount, type AmountResult } from '../domain/amount.js';
import { addDays, parseDate } from '../domain/calendar.js';
import { checkTransition, parseStage, isStageId, type StageId } from '../domain/stages.js';
import { progressKinds, type ProgressKind } from '../domain/progress.js';
import { isEvidenceKind, isProblemCategory } from '../domain/reporting.js';
import { readDate } from '../domain/dates.js';
import { problemDueInRange } from '../domain/problems.js';
import { CHANNELS, isChannel, isProjectType, normaliseChannels, type Channel } from '../domain/classification.js';
import { t } from '../text.js';
import type { ReportInput } from '../store/reports.js';
import type { Project } from '../store/projects.js';
import { amountErrorText, amountInput, formatAmount, transitionIssueText } from '../words.js';

/*
 * The report form: what Lark sends as form_value, validated with zod for shape and the domain for meaning.
 * The result is either a ReportInput ready to write, or an error per field; the raw values always travel
 * back with the errors so the card can show them again exactly as typed.
 */

export const FIELDS = [
  'stage',
  'stage_reason',
  'contract_amount',
  'signed_on',
  'landed_on',
  'agreed_start',
  'agreed_investment',
  'agreed_investment_by',
  'transfer_to',
  'agreed_output',
  'agreed_tax',
  'agreed_results_by',
  'reported_output',
  'reported_tax',
  'progress',
  'substantive',
  'substantive_note',
  'fund_amount',
  'fund_date',
  'fund_evidence',
  'problem_category',
  'problem_text',
  'problem_unit',
  'problem_due',
  'next_step',
  'next_step_due',
  // The project's type and source channels (issue 16): on the form so an edit keeps them and can change them.
  'project_type',
  'channels',
] as const;
export type Field = (typeof FIELDS)[number];
export type FormValues = Partial<Record<Field, string>>;
export type FieldErrors = Partial<Record<Field | 'form', string>>;

/** The form's one question about substantive progress; stage advances and funds are read from their own fields. */
export const SUBSTANTIVE_CHOICES = ['none', 'agreement', 'decision_maker_visit', 'land_milestone', 'approval_milestone'] as const;

/** Free text fields hold up to this many characters; the card shows the limit (Lark's input max_length). */
const MAX_TEXT = 1000;
/** Short fields (amounts, dates, choices, names) hold up to this many. */
const MAX_SHORT = 100;
const LONG_FIELDS: ReadonlySet<Field> = new Set(['stage_reason', 'progress', 'substantive_note', 'problem_text', 'next_step']);

/**
 * Each field's length limit. Five long fields of 1000 characters (3 bytes each in UTF-8) and twelve short ones
 * keep the echo of a refused form, with the card around it, under Lark's 30 KB.
 */
export function fieldLimit(f: Field): number {
  return LONG_FIELDS.has(f) ? MAX_TEXT : MAX_SHORT;
}

/** A money field as the form reads it: with its unit always (a bare "5000" is asked about, issue 17). */
const money = (s: string): AmountResult => parseAmount(s, { requireUnit: true });

/** The money fields; an amount under 1万元 in one of them is asked about once (`confirmKey`) before it is taken. */
type MoneyField = 'contract_amount' | 'agreed_investment' | 'fund_amount';
export const confirmKey = (f: MoneyField, fen: number): string => `${f}=${fen}`;

/** Signing and landing dates are plausible from here to one year after today. */
const EARLIEST_DATE = '2000-01-01';

type RawIssue = 'too_long' | 'not_text';
/** What reading the raw form_value found wrong with a field's shape, kept beside the values it produced. */
const rawIssues = new WeakMap<FormValues, Partial<Record<Field, RawIssue>>>();

/**
 * Lark sends strings for inputs, selects and date pickers ("2026-11-05 +0800"). A number, an array or an object
 * where text belongs is an error for that field, never coerced; a value over its limit is cut for the echo (with
 * a note) and refused.
 */
const Raw = z.record(z.string(), z.unknown()).transform((o) => {
  const out: FormValues = {};
  const issues: Partial<Record<Field, RawIssue>> = {};
  for (const f of FIELDS) {
    let v = o[f];
    if (v === undefined || v === null) continue;
    // The channels come from a multi-select: an array of option values, kept as one comma-joined string.
    if (f === 'channels' && Array.isArray(v) && v.length <= CHANNELS.length && v.every((x) => typeof x === 'string')) v = v.join(',');
    if (typeof v !== 'string') {
      issues[f] = 'not_text';
      continue;
    }
    const text = v.trim();
    const limit = fieldLimit(f);
    if ([...text].length > limit) {
      out[f] = [...text].slice(0, limit).join('') + t('report.cut_note');
      issues[f] = 'too_long';
    } else out[f] = text;
  }
  rawIssues.set(out, issues);
  return out;
});

export function readFormValues(formValue: unknown): FormValues {
  const r = Raw.safeParse(formValue ?? {});
  return r.success ? r.data : {};
}

/** "2026-11-05 +0800" (date picker) or anything parseDate understands → 'YYYY-MM-DD'. */
function dateOf(v: string): { ok: true; date: string } | { ok: false } {
  const picker = /^(\d{4}-\d{2}-\d{2})(\s|$)/.exec(v);
  const r = parseDate(picker ? picker[1]! : v);
  return r.ok ? { ok: true, date: r.date } : { ok: false };
}

export interface ValidateContext {
  project: Project;
  period: string;
  reporterId: number;
  today: string;
  /** The instant of the submission. */
  at: Date;
  late: boolean;
  /** Resolves a unit name typed by the officer; undefined when none matches. */
  unitByName: (name: string) => number | undefined;
  /** Resolves an external organisation (市供电公司) within the project's line, when no unit matched. */
  orgByName?: (name: string) => number | undefined;
  /** 001 三.四: a move to 签约 needs a recorded evaluation first (rule on and none recorded). */
  evaluationMissing?: boolean;
  /** The content of the period's report when this submission is an edit of it (its latest revision). */
  previous?: unknown;
  /** Small amounts the officer was asked about and submitted again (confirmKey): taken as written. */
  confirmed?: readonly string[];
}

/** The parts of a stored report content (store/reports contentOf) an edit keeps. */
type Stored = Partial<Pick<ReportInput, 'stage' | 'fund' | 'problem' | 'agreed' | 'substantive'>> & { noChange?: boolean };

/** What an edit kept from the revision before without changing it: the host side may resubmit those. */
export interface Carried {
  stage: boolean;
  fund: boolean;
}

export function validateReport(
  values: FormValues,
  ctx: ValidateContext,
): { ok: true; input: ReportInput; carried: Carried } | { ok: false; errors: FieldErrors; confirm: string[] } {
  const errors: FieldErrors = {};
  // Amounts under 1万元 asked about: submitting the same amount again confirms it.
  const confirm: string[] = [];
  const small = (f: MoneyField, fen: number): boolean => {
    if (!needsConfirmation(fen) || ctx.confirmed?.includes(confirmKey(f, fen))) return false;
    confirm.push(confirmKey(f, fen));
    errors[f] ??= t('amount.small', { amount: formatAmount(fen) });
    return true;
  };
  const v = values;
  const prev = (ctx.previous ?? {}) as Stored;
  // An edit of a report that moved the project: the form shows the move as made (its stage is the project's
  // now), and keeping it keeps the move in the new revision, with the amounts and dates the form says.
  const keptMove = prev.stage && prev.stage.to === ctx.project.stage && v.stage === ctx.project.stage ? prev.stage : null;
  const issues = rawIssues.get(values) ?? {};
  for (const f of FIELDS) {
    if (issues[f] === 'not_text') errors[f] = t('report.err_not_text');
    else if (issues[f] === 'too_long' || [...(v[f] ?? '')].length > fieldLimit(f)) {
      errors[f] = t('report.err_too_long', { max: fieldLimit(f) });
    }
  }

  if (!v.progress) errors.progress ??= t('report.err_progress_required');

  // Stage: empty or 'keep' means no change.
  let stage: ReportInput['stage'] = null;
  let stageTo: StageId | null = null;
  if (v.stage && v.stage !== 'keep' && v.stage !== ctx.project.stage) {
    stageTo = isStageId(v.stage) ? v.stage : parseStage(v.stage);
    if (!stageTo) errors.stage = t('report.err_bad_stage', { input: v.stage });
    // 转移 only by an offer and the first-talk unit's consent (000 三(一): 经首谈地同意后，可由其他地区重新洽谈).
    else if (stageTo === 'transferred' && ctx.project.stage !== 'transferred') {
      errors.stage = t('transfer.by_offer_only');
      stageTo = null;
    }
  }
  let contractFen: number | null = null;
  if (v.contract_amount) {
    const a = money(v.contract_amount);
    if (!a.ok) errors.contract_amount = amountErrorText(a);
    // "0.01元" is usually a slip of the unit: below 1万元 is asked about, and taken when submitted again.
    else if (!small('contract_amount', a.fen)) contractFen = a.fen;
  }
  const latest = addDays(ctx.today, 365);
  const dateField = (f: 'signed_on' | 'landed_on'): string | null => {
    if (!v[f]) return null;
    const d = dateOf(v[f]!);
    if (d.ok && (d.date < EARLIEST_DATE || d.date > latest)) {
      errors[f] ??= t('report.err_date_range', { input: d.date, from: EARLIEST_DATE, to: latest });
    }
    return d.ok ? d.date : v[f]!;
  };
  if (keptMove && !errors.contract_amount) {
    stage = {
      ...keptMove,
      reason: v.stage_reason || keptMove.reason || null,
      contractFen: contractFen ?? keptMove.contractFen ?? null,
      signedOn: dateField('signed_on') ?? keptMove.signedOn ?? null,
      landedOn: dateField('landed_on') ?? keptMove.landedOn ?? null,
      transferTo: v.transfer_to || keptMove.transferTo || null,
    };
  }
  if (stageTo) {
    const check = checkTransition(ctx.project.stage, stageTo, {
      reason: v.stage_reason,
      contractFen,
      signedOn: dateField('signed_on'),
      landedOn: dateField('landed_on'),
      transferTo: v.transfer_to,
      existing: { contractFen: ctx.project.contractAmountFen, signedOn: ctx.project.signedOn, landedOn: ctx.project.landedOn },
      today: ctx.today,
    });
    if (!check.ok) {
      const fieldOf: Record<string, Field> = {
        reason: 'stage_reason',
        contractFen: 'contract_amount',
        signedOn: 'signed_on',
        landedOn: 'landed_on',
        transferTo: 'transfer_to',
      };
      for (const issue of check.issues) {
        const field: Field = 'field' in issue ? fieldOf[issue.field]! : 'stage';
        errors[field] ??= transitionIssueText(issue);
      }
    } else {
      stage = {
        from: ctx.project.stage,
        to: stageTo,
        reason: v.stage_reason || null,
        contractFen,
        signedOn: dateField('signed_on'),
        landedOn: dateField('landed_on'),
        transferTo: v.transfer_to || null,
      };
    }
  }

  // 001 三.四 "事前综合评估": the move to 签约 waits for the project's evaluation; everything typed comes back.
  const signingNow = stageTo === 'signed' || (stageTo === 'landed' && ['planning', 'negotiating', 'intent'].includes(ctx.project.stage));
  if (signingNow && ctx.evaluationMissing && !errors.stage) {
    errors.stage = t('report.err_evaluation_missing', { code: ctx.project.code });
  }

  // Agreed terms (001 三.四), taken with a move to 签约 or on a signed project: start date, investment by a date.
  let agreed: ReportInput['agreed'] = null;
  if (v.agreed_start || v.agreed_investment || v.agreed_investment_by || v.agreed_output || v.agreed_tax || v.agreed_results_by) {
    const a: NonNullable<ReportInput['agreed']> = {};
    if (v.agreed_start) {
      const d = dateOf(v.agreed_start);
      if (d.ok) a.startOn = d.date;
      else errors.agreed_start = t('report.err_agreed_date', { input: v.agreed_start });
    }
    if (v.agreed_investment) {
      const amount = money(v.agreed_investment);
      if (!amount.ok) errors.agreed_investment = amountErrorText(amount);
      else if (!small('agreed_investment', amount.fen)) a.investmentFen = amount.fen;
      if (!v.agreed_investment_by) errors.agreed_investment_by = t('report.err_agreed_investment_by');
    }
    if (v.agreed_investment_by) {
      const d = dateOf(v.agreed_investment_by);
      if (d.ok) a.investmentBy = d.date;
      else errors.agreed_investment_by = t('report.err_agreed_date', { input: v.agreed_investment_by });
    }
    // Agreed results (未按约定达效), optional, as the contract states them: yearly output and tax, due by a date.
    for (const [f, key] of [
      ['agreed_output', 'outputFen'],
      ['agreed_tax', 'taxFen'],
    ] as const) {
      if (!v[f]) continue;
      const amount = parseAmount(v[f]!);
      if (amount.ok) a[key] = amount.fen;
      else errors[f] = amountErrorText(amount);
      if (!v.agreed_results_by) errors.agreed_results_by = t('report.err_agreed_results_by');
    }
    if (v.agreed_results_by) {
      const d = dateOf(v.agreed_results_by);
      if (d.ok) a.resultsBy = d.date;
      else errors.agreed_results_by = t('report.err_agreed_date', { input: v.agreed_results_by });
    }
    const signedAfter = (stageTo ?? ctx.project.stage) === 'signed' || (stageTo ?? ctx.project.stage) === 'landed';
    if (signedAfter) agreed = a;
  }

  // The yearly output and tax the project reached (报送的年产值、年税收), held against the agreed ones.
  let results: ReportInput['results'] = null;
  if (v.reported_output || v.reported_tax) {
    const r: NonNullable<ReportInput['results']> = {};
    for (const [f, key] of [
      ['reported_output', 'outputFen'],
      ['reported_tax', 'taxFen'],
    ] as const) {
      if (!v[f]) continue;
      const amount = parseAmount(v[f]!);
      if (amount.ok) r[key] = amount.fen;
      else errors[f] = amountErrorText(amount);
    }
    results = r;
  }

  let fund: ReportInput['fund'] = null;
  if (v.fund_amount) {
    const a = money(v.fund_amount);
    let date = ctx.today;
    if (v.fund_date) {
      const d = dateOf(v.fund_date);
      if (!d.ok) errors.fund_date = t('report.err_fund_date', { input: v.fund_date });
      else if (d.date > ctx.today) errors.fund_date = t('report.err_fund_future', { today: ctx.today });
      else date = d.date;
    }
    if (!a.ok) errors.fund_amount = amountErrorText(a);
    else if (a.fen <= 0) errors.fund_amount = t('report.err_fund_zero');
    else if (!small('fund_amount', a.fen)) {
      const evidence = isEvidenceKind(v.fund_evidence) ? v.fund_evidence : 'other';
      fund = { amountFen: a.fen, date, evidenceKind: evidence };
    }
  }

  let problem: ReportInput['problem'] = null;
  if (v.problem_text || v.problem_category) {
    const category = isProblemCategory(v.problem_category) ? v.problem_category : null;
    if (!category) errors.problem_category = t('report.err_problem_category');
    if (!v.problem_text) errors.problem_text = t('report.err_problem_text');
    let unitId: number | null = null;
    let orgId: number | null = null;
    if (v.problem_unit) {
      // A unit of the project's line first, else an external organisation of it (市供电公司, 001 三.六).
      const id = ctx.unitByName(v.problem_unit);
      const org = id === undefined ? ctx.orgByName?.(v.problem_unit) : undefined;
      if (id !== undefined) unitId = id;
      else if (org !== undefined) orgId = org;
      else errors.problem_unit = t('report.err_unknown_unit', { name: v.problem_unit });
    }
    let dueOn: string | null = null;
    if (v.problem_due) {
      // 限时推进 (001 三.六): the due date may be set when the problem is raised; else the category's default.
      const d = readDate(v.problem_due.replace(/^(\d{4}-\d{2}-\d{2})\s.*$/, '$1'), ctx.today, 'future');
      const range = d.ok ? problemDueInRange(d.date, ctx.today) : null;
      if (!d.ok) errors.problem_due = t('report.err_problem_due', { input: v.problem_due });
      else if (range !== 'ok') errors.problem_due = t('report.err_problem_due_range', { input: d.date, today: ctx.today });
      else dueOn = d.date;
    }
    if (category && v.problem_text) {
      problem = { category, description: v.problem_text, mustActUnitId: unitId, mustActOrgId: orgId, dueOn };
    }
  }

  // Project type and channels: codes of the lists only (a forged value is refused); written only when they change.
  let classification: ReportInput['classification'] = null;
  if (v.project_type !== undefined || v.channels !== undefined) {
    const type = v.project_type ? v.project_type : ctx.project.projectType;
    if (!isProjectType(type)) errors.project_type = t('report.err_bad_choice');
    let channels: Channel[] = ctx.project.channels;
    if (v.channels !== undefined) {
      const parts = v.channels.split(',').filter(Boolean);
      if (!parts.every(isChannel)) errors.channels = t('report.err_bad_choice');
      else channels = normaliseChannels(parts);
    }
    const same = type === ctx.project.projectType && channels.join(',') === normaliseChannels(ctx.project.channels).join(',');
    if (isProjectType(type) && !errors.channels && !same) classification = { type, channels };
  }

  let nextStepDue: string | null = null;
  if (v.next_step_due) {
    const d = dateOf(v.next_step_due);
    if (!d.ok) errors.next_step_due = t('report.err_next_due', { input: v.next_step_due });
    else nextStepDue = d.date;
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors, confirm };

  const choice = v.substantive ?? 'none';
  const substantive: ProgressKind[] = progressKinds({
    stageFrom: keptMove ? (keptMove.from ?? null) : ctx.project.stage,
    stageTo: stage?.to ?? null,
    agreementSigned: choice === 'agreement',
    fundsArrivedFen: fund?.amountFen ?? null,
    decisionMakerVisit: choice === 'decision_maker_visit',
    landMilestone: choice === 'land_milestone',
    approvalMilestone: choice === 'approval_milestone',
  });
  // A kept move of an older revision without its `from`: its kinds (stage advance, signed) come from that revision.
  if (keptMove && !keptMove.from) {
    for (const k of prev.substantive ?? []) if ((k === 'stage_advance' || k === 'signed') && !substantive.includes(k)) substantive.push(k);
  }
  const sameFund = !!fund && !!prev.fund && canonicalFund(fund) === canonicalFund(prev.fund);
  return {
    ok: true,
    carried: { stage: !!keptMove, fund: sameFund },
    input: {
      projectId: ctx.project.id,
      period: ctx.period,
      reporterId: ctx.reporterId,
      noChange: false,
      progress: v.progress ?? null,
      substantive,
      substantiveNote: v.substantive_note || null,
      nextStep: v.next_step || null,
      nextStepDue,
      stage,
      // A signed (or landed) project's contract amount changed without a move (a supplementary agreement): kept,
      // so a raise past the 提级报备 threshold is filed like a signing at it.
      contractFen:
        (!stage || keptMove) &&
        contractFen !== null &&
        (ctx.project.stage === 'signed' || ctx.project.stage === 'landed') &&
        contractFen !== ctx.project.contractAmountFen
          ? contractFen
          : null,
      agreed,
      results,
      fund,
      problem,
      classification,
      today: ctx.today,
      at: ctx.at,
      late: ctx.late,
      fingerprint: fingerprint(values),
    },
  };
}

/** The raw values in a stable order: two submissions of the same form have the same fingerprint. */
export function fingerprint(values: FormValues): string {
  return FIELDS.map((f) => `${f}=${values[f] ?? ''}`).join('\u0001');
}

const canonicalFund = (f: { amountFen: number; date: string; evidenceKind?: string }): string =>
  `${f.amountFen}|${f.date}|${f.evidenceKind ?? ''}`;

/** The form's one substantive choice that a report's kinds came from (a signing implied by its move is not chosen). */
function choiceOf(kinds: readonly string[], movedToSigned: boolean): (typeof SUBSTANTIVE_CHOICES)[number] | undefined {
  for (const c of ['decision_maker_visit', 'land_milestone', 'approval_milestone'] as const) if (kinds.includes(c)) return c;
  if (kinds.includes('signed') && !movedToSigned) return 'agreement';
  return undefined;
}

/**
 * The form's values from a report's stored content (its latest revision), so "修改" starts from everything that
 * was sent (issue 17): the stage move (shown as made: the project's stage is its target now), the substantive
 * choice, the funds, the problem with the unit asked to act (`problemUnitName`), the next step and its date, the
 * agreed terms. Amounts are written back with their unit, as the reader takes them.
 */
export function formValuesOf(content: unknown, problemUnitName: string | null = null): FormValues {
  const c = (content ?? {}) as Partial<ReportInput>;
  if ((c as { noChange?: boolean }).noChange) return {};
  const s = c.stage ?? null;
  const out: FormValues = {
    stage: s?.to,
    stage_reason: s?.reason ?? undefined,
    contract_amount: s?.contractFen ? amountInput(s.contractFen) : c.contractFen ? amountInput(c.contractFen) : undefined,
    signed_on: s?.signedOn ?? undefined,
    landed_on: s?.landedOn ?? undefined,
    transfer_to: s?.transferTo ?? undefined,
    agreed_start: c.agreed?.startOn,
    agreed_investment: c.agreed?.investmentFen ? amountInput(c.agreed.investmentFen) : undefined,
    agreed_investment_by: c.agreed?.investmentBy,
    progress: c.progress ?? undefined,
    substantive: choiceOf(c.substantive ?? [], s?.to === 'signed' || s?.to === 'landed'),
    substantive_note: c.substantiveNote ?? undefined,
    next_step: c.nextStep ?? undefined,
    next_step_due: c.nextStepDue ?? undefined,
    fund_amount: c.fund ? amountInput(c.fund.amountFen) : undefined,
    fund_date: c.fund?.date,
    fund_evidence: c.fund?.evidenceKind,
    problem_category: c.problem?.category,
    problem_text: c.problem?.description,
    problem_due: c.problem?.dueOn ?? undefined,
    problem_unit: c.problem?.mustActUnitId ? (problemUnitName ?? undefined) : undefined,
  };
  for (const k of Object.keys(out) as Field[]) if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * A unit as an officer types it: the exact name or code, else the one unit whose name contains the text
 * ("自然资源局"); undefined when none or several match.
 */
export function unitNamed(list: readonly { id: number; name: string; code: string }[], name: string): number | undefined {
  const n = name.trim();
  const exact = list.find((r) => r.name === n || r.code === n);
  if (exact) return exact.id;
  const partial = list.filter((r) => r.name.includes(n));
  return partial.length === 1 ? partial[0]!.id : undefined;
}
