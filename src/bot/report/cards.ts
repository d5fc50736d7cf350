import {
  button,
  card,
  columns,
  datePicker,
  form,
  hr,
  input,
  md,
  note,
  select,
  submitButton,
  type Card,
  type Element,
} from '../../lark/cards.js';
import { allowedTargets, type StageId } from '../../domain/stages.js';
import { type ProgressKind } from '../../domain/progress.js';
import { t } from '../../text.js';
import type { Project } from '../../store/projects.js';
import type { Report } from '../../store/reports.js';
import { EVIDENCE_KINDS, PROBLEM_CATEGORIES, SUBSTANTIVE_CHOICES, type FieldErrors, type FormValues } from './form.js';
import { formatAmount, dateLabel, periodLabel, progressKindLabel, stageLabel } from '../../words.js';

/** A project as the cards show it. */
export interface ProjectRow {
  project: Project;
  hostName: string;
  status: 'missing' | 'done' | 'no_change';
  late?: boolean;
}

const errorLine = (text: string | undefined): Element[] => (text ? [md(`<font color='red'>${text}</font>`)] : []);

function projectRow(r: ProjectRow, period: string, ids: number[]): Element {
  const info = md(
    t('report.project_line', { name: r.project.name, code: r.project.code, stage: stageLabel(r.project.stage), host: r.hostName }),
  );
  const value = { p: r.project.id, period, ids };
  const right: Element[] =
    r.status === 'missing'
      ? [
          button(t('report.button_fill'), { a: 'report_open', ...value }, { type: 'primary' }),
          button(t('report.button_no_change'), { a: 'report_nochange', ...value }),
        ]
      : [
          md((r.status === 'no_change' ? t('report.status_no_change') : t('report.status_done')) + (r.late ? t('report.status_late') : '')),
          button(t('report.button_edit'), { a: 'report_open', ...value }),
        ];
  return columns([
    { elements: [info], weight: 3 },
    { elements: right, weight: 2 },
  ]);
}

/**
 * Projects per reminder card. Each button carries the ids of its card's projects (so "返回列表" can redraw the
 * card), which grows with the square of the count: 15 keeps a card far under Lark's 30 KB.
 */
export const PROJECTS_PER_CARD = 15;

export function chunks<T>(xs: T[], n = PROJECTS_PER_CARD): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out.length > 0 ? out : [[]];
}

/** The reminder: the recipient's projects missing this period's report, each with 填报 / 本月无变化. */
export function reminderCard(opts: {
  recipientName: string;
  ownerName?: string;
  period: string;
  deadline: string;
  rows: ProjectRow[];
  lastCall?: boolean;
}): Card {
  const ids = opts.rows.map((r) => r.project.id);
  const missing = opts.rows.filter((r) => r.status === 'missing').length;
  const intro =
    missing === 0
      ? t('report.reminder_all_done', { period: periodLabel(opts.period) })
      : opts.ownerName
        ? t('report.reminder_intro_delegate', {
            name: opts.recipientName,
            owner: opts.ownerName,
            count: missing,
            period: periodLabel(opts.period),
            deadline: dateLabel(opts.deadline),
          })
        : t('report.reminder_intro', {
            name: opts.recipientName,
            count: missing,
            period: periodLabel(opts.period),
            deadline: dateLabel(opts.deadline),
          });
  const elements: Element[] = [md(intro)];
  if (opts.lastCall && missing > 0) elements.push(md(t('report.reminder_last_call')));
  for (const r of opts.rows) {
    elements.push(hr(), projectRow(r, opts.period, ids));
  }
  return card({
    title: t('report.reminder_title', { period: periodLabel(opts.period) }),
    template: missing === 0 ? 'green' : opts.lastCall ? 'orange' : 'blue',
    elements,
  });
}

/** The form for one project's report; `values` and `errors` come back when a submission was refused. */
export function reportFormCard(opts: {
  project: Project;
  period: string;
  deadline: string;
  values?: FormValues;
  errors?: FieldErrors;
  /** Where "返回列表" goes: the ids listed on the reminder this form was opened from. */
  ids?: number[];
}): Card {
  const p = opts.project;
  const v = opts.values ?? {};
  const e = opts.errors ?? {};
  const errorCount = Object.keys(e).length;
  const stageOptions = [
    { text: t('report.field_stage_keep', { stage: stageLabel(p.stage) }), value: 'keep' },
    ...allowedTargets(p.stage).map((s: StageId) => ({ text: stageLabel(s), value: s })),
  ];
  const fields: Element[] = [
    md(`**${t('report.field_stage')}**`),
    select({ name: 'stage', placeholder: t('report.field_stage'), options: stageOptions, value: v.stage || 'keep' }),
    ...errorLine(e.stage),
    input({ name: 'stage_reason', label: t('report.field_stage_reason'), value: v.stage_reason }),
    ...errorLine(e.stage_reason),
    input({ name: 'contract_amount', label: t('report.field_contract_amount'), value: v.contract_amount }),
    ...errorLine(e.contract_amount),
    md(t('report.field_signed_on')),
    datePicker({ name: 'signed_on', placeholder: t('report.field_signed_on'), value: v.signed_on?.slice(0, 10) }),
    ...errorLine(e.signed_on),
    md(t('report.field_landed_on')),
    datePicker({ name: 'landed_on', placeholder: t('report.field_landed_on'), value: v.landed_on?.slice(0, 10) }),
    ...errorLine(e.landed_on),
    input({ name: 'transfer_to', label: t('report.field_transfer_to'), value: v.transfer_to }),
    ...errorLine(e.transfer_to),
    hr(),
    input({
      name: 'progress',
      label: t('report.field_progress'),
      placeholder: t('report.field_progress_placeholder'),
      value: v.progress,
      multiline: true,
      required: false,
    }),
    ...errorLine(e.progress),
    md(`**${t('report.field_substantive')}**`),
    select({
      name: 'substantive',
      placeholder: t('report.field_substantive'),
      value: v.substantive || 'none',
      options: SUBSTANTIVE_CHOICES.map((c) => ({
        value: c,
        text:
          c === 'none'
            ? t('report.substantive_none')
            : c === 'agreement'
              ? t('report.substantive_agreement')
              : progressKindLabel(c as ProgressKind),
      })),
    }),
    input({ name: 'substantive_note', label: t('report.field_substantive_note'), value: v.substantive_note }),
    hr(),
    md(t('report.section_funds')),
    input({ name: 'fund_amount', label: t('report.field_fund_amount'), value: v.fund_amount }),
    ...errorLine(e.fund_amount),
    md(t('report.field_fund_date')),
    datePicker({ name: 'fund_date', placeholder: t('report.field_fund_date'), value: v.fund_date?.slice(0, 10) }),
    ...errorLine(e.fund_date),
    select({
      name: 'fund_evidence',
      placeholder: t('report.field_fund_evidence'),
      value: v.fund_evidence,
      options: EVIDENCE_KINDS.map((k) => ({ value: k, text: t(`report.evidence.${k}`) })),
    }),
    hr(),
    md(t('report.section_problem')),
    select({
      name: 'problem_category',
      placeholder: t('report.field_problem_category'),
      value: v.problem_category,
      options: PROBLEM_CATEGORIES.map((k) => ({ value: k, text: t(`report.problem.${k}`) })),
    }),
    ...errorLine(e.problem_category),
    input({ name: 'problem_text', label: t('report.field_problem_text'), value: v.problem_text }),
    ...errorLine(e.problem_text),
    input({ name: 'problem_unit', label: t('report.field_problem_unit'), value: v.problem_unit }),
    ...errorLine(e.problem_unit),
    hr(),
    md(t('report.section_next')),
    input({ name: 'next_step', label: t('report.field_next_step'), value: v.next_step }),
    md(t('report.field_next_step_due')),
    datePicker({ name: 'next_step_due', placeholder: t('report.field_next_step_due'), value: v.next_step_due?.slice(0, 10) }),
    ...errorLine(e.next_step_due),
    submitButton(t('report.submit'), { a: 'report_submit', p: p.id, period: opts.period, ids: opts.ids ?? [] }),
  ];
  const elements: Element[] = [
    md(
      t('report.form_intro', {
        code: p.code,
        stage: stageLabel(p.stage),
        period: periodLabel(opts.period),
        deadline: dateLabel(opts.deadline),
      }),
    ),
  ];
  if (errorCount > 0) elements.push(md(`<font color='red'>${t('report.form_errors', { count: errorCount })}</font>`));
  elements.push(form('report_form', fields));
  return card({
    title: t('report.form_title', { name: p.name }),
    template: errorCount > 0 ? 'red' : 'wathet',
    elements,
  });
}

export function receiptCard(opts: {
  project: Project;
  report: Report;
  period: string;
  deadline: string;
  editable: boolean;
  time: string;
  stageChange?: { from: StageId; to: StageId } | null;
  fund?: { amountFen: number; date: string } | null;
  problem?: { category: string; description: string } | null;
  remaining: number;
  ids: number[];
}): Card {
  const r = opts.report;
  const lines: string[] = [
    t('report.receipt_body', {
      period: periodLabel(opts.period),
      time: opts.time,
      late: r.late ? t('report.receipt_late') : '',
      deadline_note: opts.editable
        ? t('report.receipt_deadline_note', { deadline: dateLabel(opts.deadline) })
        : t('report.receipt_closed_note'),
    }),
  ];
  if (opts.stageChange)
    lines.push(t('report.receipt_stage', { from: stageLabel(opts.stageChange.from), to: stageLabel(opts.stageChange.to) }));
  if (r.noChange) lines.push(t('report.status_no_change'));
  if (r.progress) lines.push(t('report.receipt_progress', { text: r.progress }));
  if (r.substantive.length > 0)
    lines.push(t('report.receipt_substantive', { kinds: r.substantive.map((k) => progressKindLabel(k as ProgressKind)).join('、') }));
  if (opts.fund) lines.push(t('report.receipt_fund', { amount: formatAmount(opts.fund.amountFen), date: opts.fund.date }));
  if (opts.problem)
    lines.push(
      t('report.receipt_problem', { category: t(`report.problem.${opts.problem.category}` as never), text: opts.problem.description }),
    );
  const elements: Element[] = [md(lines.join('\n'))];
  if (opts.remaining > 0) elements.push(note(t('report.receipt_remaining', { count: opts.remaining })));
  const buttons: Element[] = [];
  if (opts.editable)
    buttons.push(button(t('report.button_edit'), { a: 'report_open', p: opts.project.id, period: opts.period, ids: opts.ids }));
  if (opts.ids.length > 0)
    buttons.push(button(t('report.button_back'), { a: 'report_list', period: opts.period, ids: opts.ids }, { type: 'primary' }));
  if (buttons.length > 0) elements.push(columns(buttons.map((b) => ({ elements: [b] }))));
  return card({ title: t('report.receipt_title', { name: opts.project.name }), template: 'green', elements });
}
