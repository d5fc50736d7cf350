/*
 * The domain's codes and values in words. src/domain/ decides and returns codes (a stage id, an amount in fen, an
 * error code); this module is the one place that turns them into the Chinese of prompts/ — labels, formatted
 * amounts and dates, and the messages for refused input. Features and jobs import words from here, never from
 * the domain.
 */
import type { TemplateKey } from '../prompts/index.js';
import { t } from './text.js';
import { FEN_PER_WAN, FEN_PER_YI, scaled, type AmountError, type AmountErrorCode } from './domain/amount.js';
import {
  assertDate,
  isoWeekday,
  periodParts,
  yearOf,
  type CalendarDate,
  type CalendarWarning,
  type DateParseError,
  type HalfYear,
  type Period,
  type Quarter,
} from './domain/calendar.js';
import type { ProgressKind } from './domain/progress.js';
import type { Channel, ProjectType } from './domain/classification.js';
import type { StageId, TransitionField, TransitionIssue, TransitionKind } from './domain/stages.js';
import type { TargetMetric, TargetStatus } from './domain/targets.js';

// ---------------------------------------------------------------------------------------------------------------
// Stages and transitions

const STAGE_LABEL_KEYS = {
  planning: 'stage.planning',
  negotiating: 'stage.negotiating',
  intent: 'stage.intent',
  signed: 'stage.signed',
  landed: 'stage.landed',
  dropped: 'stage.dropped',
  transferred: 'stage.transferred',
} as const satisfies Record<StageId, TemplateKey>;

/** The Chinese name: 谋划 洽谈 意向 签约 落地 终止 转移. */
export function stageLabel(stage: StageId): string {
  return t(STAGE_LABEL_KEYS[stage]);
}

const FIELD_LABEL_KEYS = {
  reason: 'stage.field.reason',
  contractFen: 'stage.field.contract_amount',
  signedOn: 'stage.field.signed_on',
  landedOn: 'stage.field.landed_on',
  transferTo: 'stage.field.transfer_to',
} as const satisfies Record<TransitionField, TemplateKey>;

/** The label of a form field ("合同引资额", "签约日期", …). */
export function transitionFieldLabel(field: TransitionField): string {
  return t(FIELD_LABEL_KEYS[field]);
}

const REASON_KEYS = {
  backward: 'stage.reason_required_backward',
  offline: 'stage.reason_required_offline',
  reactivation: 'stage.reason_required_reactivation',
} as const satisfies Record<Exclude<TransitionKind, 'forward'>, TemplateKey>;

/** The user-facing message for a transition issue, to show next to its field (or above the form). */
export function transitionIssueText(issue: TransitionIssue): string {
  switch (issue.code) {
    case 'same_stage':
      return t('stage.same_stage', { stage: stageLabel(issue.stage) });
    case 'not_allowed':
      return t('stage.not_allowed', { from: stageLabel(issue.from), to: stageLabel(issue.to) });
    case 'reason_required':
      return t(REASON_KEYS[issue.kind], { from: stageLabel(issue.from), to: stageLabel(issue.to) });
    case 'required':
      return t('stage.field_required', { stage: stageLabel(issue.to), field: transitionFieldLabel(issue.field) });
    case 'not_positive':
      return t('stage.contract_not_positive');
    case 'invalid_date':
      return t('stage.invalid_date', { field: transitionFieldLabel(issue.field), input: issue.input });
    case 'date_in_future':
      return t('stage.date_in_future', { field: transitionFieldLabel(issue.field), date: issue.date, today: issue.today });
    case 'landed_before_signed':
      return t('stage.landed_before_signed', { landedOn: issue.landedOn, signedOn: issue.signedOn });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Amounts

const AMOUNT_ERROR_KEYS = {
  empty: 'amount.empty',
  negative: 'amount.negative',
  range: 'amount.range',
  approximate: 'amount.approximate',
  too_precise: 'amount.too_precise',
  unknown_unit: 'amount.unknown_unit',
  too_large: 'amount.too_large',
  chinese_numerals: 'amount.chinese_numerals',
  invalid: 'amount.invalid',
  no_unit: 'amount.no_unit',
} as const satisfies Record<AmountErrorCode, TemplateKey>;

/** Echoed input, cut short so a pasted paragraph does not flood the card. */
function echo(input: string): string {
  const chars = [...input];
  return chars.length > 40 ? chars.slice(0, 40).join('') + '…' : input;
}

/** The user-facing message for an amount error. */
export function amountErrorText(err: AmountError): string {
  switch (err.code) {
    case 'empty':
      return t(AMOUNT_ERROR_KEYS.empty);
    case 'approximate':
      return t(AMOUNT_ERROR_KEYS.approximate, { input: echo(err.input), word: err.word });
    case 'unknown_unit':
      return t(AMOUNT_ERROR_KEYS.unknown_unit, { input: echo(err.input), unit: err.unit });
    case 'no_unit':
      // One line, the same for every field (issue 17): the number stays in the field as typed.
      return t(AMOUNT_ERROR_KEYS.no_unit);
    default:
      return t(AMOUNT_ERROR_KEYS[err.code], { input: echo(err.input) });
  }
}

/**
 * An amount's digits as officers write them: no thousands commas ("8000万元", as the ledgers and the forms have
 * it; issue 17), up to 2 decimals, trimmed, rounded half up.
 */
const digits = (fen: number, scaleExp: number): string => scaled(fen, scaleExp).replace(/,/g, '');

/** "5000万元", "12.35万元". */
export function formatWan(fen: number): string {
  return t('amount.format_wan', { value: digits(fen, 6) });
}

/** "3.2亿元", "663.02亿元". */
export function formatYi(fen: number): string {
  return t('amount.format_yi', { value: digits(fen, 10) });
}

/** "500元", "1234.5元". */
export function formatYuan(fen: number): string {
  return t('amount.format_yuan', { value: digits(fen, 2) });
}

/**
 * The one formatter of money for display: 亿元 from 1亿 up (by absolute value), 万元 down to 1万元, 元 below (so
 * 0.0001万 reads "100元", never "0万元"); a nil figure (none, or zero) reads "—" (issue 17). A sentence that
 * says "无" passes `nil: 'none'`.
 */
export function formatAmount(fen: number | null | undefined, opts: { nil?: 'dash' | 'none' } = {}): string {
  if (fen === null || fen === undefined || fen === 0) return opts.nil === 'none' ? t('common.none') : t('amount.nil');
  if (Math.abs(fen) >= FEN_PER_YI) return formatYi(fen);
  return Math.abs(fen) >= FEN_PER_WAN ? formatWan(fen) : formatYuan(fen);
}

/**
 * An amount written back into a form field so that reading it again gives the same fen (an edit prefilled from a
 * report): whole 万 as "5000万", anything finer in 元 ("100元", "12.5元"). No thousands commas, no rounding.
 */
export function amountInput(fen: number): string {
  if (fen % FEN_PER_WAN === 0) return t('amount.input_wan', { value: String(fen / FEN_PER_WAN) });
  return t('amount.input_yuan', { value: digits(fen, 2) });
}

// ---------------------------------------------------------------------------------------------------------------
// Dates and periods

export function dateErrorText(err: DateParseError): string {
  return err.code === 'empty' ? t('calendar.date_empty') : t('calendar.date_invalid', { input: err.input });
}

export function dateLabel(date: CalendarDate): string {
  assertDate(date);
  return t('calendar.date_label', { year: yearOf(date), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) });
}

/** '12月21日': a day of the current year as reminders say it. */
export function monthDayLabel(date: CalendarDate): string {
  assertDate(date);
  return t('calendar.month_day', { month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) });
}

/** '周一' … '周日'. */
export function weekdayLabel(date: CalendarDate): string {
  return t('calendar.weekday', { name: [...t('calendar.weekday_names')][isoWeekday(date) - 1]! });
}

export function periodLabel(period: Period): string {
  const { year, month } = periodParts(period);
  return t('calendar.period_label', { year, month });
}

export function quarterLabel(year: number, quarter: Quarter): string {
  return t('calendar.quarter_label', { year, quarter });
}

export function halfYearLabel(year: number, half: HalfYear): string {
  return half === 1 ? t('calendar.half_year_first', { year }) : t('calendar.half_year_second', { year });
}

export function calendarWarningText(w: CalendarWarning): string {
  return t('calendar.unknown_year', { year: w.year });
}

// ---------------------------------------------------------------------------------------------------------------
// Substantive progress

const PROGRESS_LABEL_KEYS = {
  stage_advance: 'progress.kind.stage_advance',
  signed: 'progress.kind.signed',
  funds_arrived: 'progress.kind.funds_arrived',
  decision_maker_visit: 'progress.kind.decision_maker_visit',
  land_milestone: 'progress.kind.land_milestone',
  approval_milestone: 'progress.kind.approval_milestone',
} as const satisfies Record<ProgressKind, TemplateKey>;

export function progressKindLabel(kind: ProgressKind): string {
  return t(PROGRESS_LABEL_KEYS[kind]);
}

/** "洽谈阶段已200天无实质性进展" */
export function stalledText(stage: StageId, days: number): string {
  return t('progress.stalled', { stage: stageLabel(stage), days });
}

// ---------------------------------------------------------------------------------------------------------------
// Targets

const METRIC_LABEL_KEYS = {
  outbound_trips: 'targets.metric.outbound_trips',
  signed_industrial_projects: 'targets.metric.signed_industrial_projects',
  landed_projects: 'targets.metric.landed_projects',
} as const satisfies Record<TargetMetric, TemplateKey>;

export function targetMetricLabel(metric: TargetMetric): string {
  return t(METRIC_LABEL_KEYS[metric]);
}

const STATUS_LABEL_KEYS = {
  red: 'targets.status.red',
  amber: 'targets.status.amber',
  green: 'targets.status.green',
} as const satisfies Record<TargetStatus, TemplateKey>;

/** 红 / 黄 / 绿 */
export function targetStatusLabel(status: TargetStatus): string {
  return t(STATUS_LABEL_KEYS[status]);
}

// ---------------------------------------------------------------------------------------------------------------
// Funds arrived (到位资金): the recognition rule and the headline figure (seed 002)

/** The rule as the seeds write it: '市外1000万元以上' (nothing for a rule without origin and minimum). */
export function fundsRuleLabel(rule: { origin: 'outside_city' | 'outside_province' | 'any'; minInvestmentFen: number }): string {
  const min = rule.minInvestmentFen > 0 ? t('funds.min_wan', { value: scaled(rule.minInvestmentFen, 6).replace(/,/g, '') }) : '';
  return `${rule.origin === 'any' ? '' : t(`funds.origin.${rule.origin}`)}${min}`;
}

/** The rule as a funds line names it: "市外、1000万元以上项目，已核实" (every verified entry: "全部项目，已核实"). */
export function fundsRuleLine(rule: { origin: 'outside_city' | 'outside_province' | 'any'; minInvestmentFen: number }): string {
  const parts: string[] = [];
  if (rule.origin !== 'any') parts.push(t(`funds.origin.${rule.origin}`));
  if (rule.minInvestmentFen > 0) parts.push(t('funds.min_wan', { value: scaled(rule.minInvestmentFen, 6).replace(/,/g, '') }));
  return parts.length > 0 ? t('funds.rule_line', { rule: parts.join(t('funds.rule_separator')) }) : t('funds.rule_line_all');
}

/** "市外1000万元以上有资金到位的项目337个，实现到位资金218.82亿元" (002's form; the amount in 亿元 as 002 writes it). */
export function fundsHeadline(f: {
  projects: number;
  amountFen: number;
  rule: { origin: 'outside_city' | 'outside_province' | 'any'; minInvestmentFen: number };
}): string {
  return t('funds.headline', { rule: fundsRuleLabel(f.rule), count: f.projects, amount: formatYi(f.amountFen) });
}

/** A 履约提醒函's reason (the missed term, 001 三.四), as the lists and summaries say it; an unknown code as is. */
export function letterReasonLabel(reason: string): string {
  switch (reason) {
    case 'start_overdue':
      return t('jobs.letter_reason.start_overdue');
    case 'investment_short':
      return t('jobs.letter_reason.investment_short');
    case 'output_short':
      return t('jobs.letter_reason.output_short');
    case 'tax_short':
      return t('jobs.letter_reason.tax_short');
    default:
      return reason;
  }
}

// Project types and source channels (domain/classification): the ledger's words, so the form, the cards and the
// workbook say the same.

export function projectTypeLabel(type: ProjectType): string {
  return t(`ledger.project_type.${type}`);
}

export function channelLabel(channel: Channel): string {
  return t(`ledger.channel.${channel}`);
}
