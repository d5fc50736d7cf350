import {
  button,
  card,
  columns,
  datePicker,
  form,
  hr,
  input,
  md,
  multiSelect,
  note,
  panel,
  select,
  submitButton,
  type Card,
  type Element,
} from '../lark/cards.js';
import { allowedTargets, type StageId } from '../domain/stages.js';
import { type ProgressKind } from '../domain/progress.js';
import { EVIDENCE_KINDS, PROBLEM_CATEGORIES, type EvidenceKind, type ProblemCategory } from '../domain/reporting.js';
import type { TemplateKey } from '../../prompts/index.js';
import { t } from '../text.js';
import type { Project } from '../store/projects.js';
import type { Report } from '../store/reports.js';
import { fieldLimit, SUBSTANTIVE_CHOICES, type FieldErrors, type FormValues } from './form.js';
import { REPORT_ACTIONS, actionValue } from './actions.js';
import {
  channelLabel,
  formatAmount,
  dateLabel,
  monthDayLabel,
  periodLabel,
  progressKindLabel,
  projectTypeLabel,
  stageLabel,
  weekdayLabel,
} from '../words.js';
import { CHANNELS, PROJECT_TYPES, isChannel, isProjectType } from '../domain/classification.js';
import type { DeadlineDistance } from '../domain/calendar.js';

const EVIDENCE_LABEL = {
  bank_statement: 'report.evidence.bank_statement',
  capital_verification: 'report.evidence.capital_verification',
  invoice: 'report.evidence.invoice',
  other: 'report.evidence.other',
} as const satisfies Record<EvidenceKind, TemplateKey>;

const PROBLEM_LABEL = {
  land: 'report.problem.land',
  plant: 'report.problem.plant',
  funds: 'report.problem.funds',
  energy: 'report.problem.energy',
  approval: 'report.problem.approval',
  talent: 'report.problem.talent',
  other: 'report.problem.other',
} as const satisfies Record<ProblemCategory, TemplateKey>;

/** Several names in one line, with the list separator of prompts/. */
const joined = (xs: string[]): string => xs.join(t('report.list_separator'));

/** A project as the cards show it. */
export interface ProjectRow {
  project: Project;
  hostName: string;
  status: 'missing' | 'done' | 'no_change';
  late?: boolean;
}

const errorLine = (text: string | undefined): Element[] => (text ? [md(`<font color='red'>${text}</font>`)] : []);

/** The form's fields that belong to a stage move, folded while the stage stays. */
const STAGE_FIELDS = [
  'stage_reason',
  'contract_amount',
  'signed_on',
  'landed_on',
  'agreed_start',
  'agreed_investment',
  'agreed_investment_by',
  'agreed_output',
  'agreed_tax',
  'agreed_results_by',
  'reported_output',
  'reported_tax',
] as const;

/**
 * A date field labelled as a text field is (Lark's date picker has no label of its own): the label above it, and
 * inside it a prompt to pick a day rather than the label again (issue 17).
 */
function dateField(name: string, label: TemplateKey, value: string | undefined, error: string | undefined): Element[] {
  return [md(t(label)), datePicker({ name, placeholder: t('report.date_pick'), value: value?.slice(0, 10) }), ...errorLine(error)];
}

function projectRow(r: ProjectRow, period: string, ids: number[], mine?: boolean): Element {
  const info = md(
    t('report.project_line', { name: r.project.name, code: r.project.code, stage: stageLabel(r.project.stage), host: r.hostName }),
  );
  const value = { p: r.project.id, period, ids, ...(mine ? { mine } : {}) };
  const right: Element[] =
    r.status === 'missing'
      ? [
          button(t('report.button_fill'), actionValue(REPORT_ACTIONS.open, value), { type: 'primary' }),
          button(t('report.button_no_change'), actionValue(REPORT_ACTIONS.noChange, value)),
        ]
      : [
          md((r.status === 'no_change' ? t('report.status_no_change') : t('report.status_done')) + (r.late ? t('report.status_late') : '')),
          button(t('report.button_edit'), actionValue(REPORT_ACTIONS.open, value)),
        ];
  return columns([
    { elements: [info], weight: 3 },
    { elements: right, weight: 2 },
  ]);
}

/**
 * A late project on the overdue warning, with a 填报 button that opens last period's form (a late report, marked
 * late; open until the current period's deadline).
 */
export function lateRow(project: Project, period: string): Element {
  return columns([
    { elements: [md(t('report.late_line', { name: project.name, code: project.code }))], weight: 3 },
    {
      elements: [button(t('report.button_fill'), actionValue(REPORT_ACTIONS.open, { p: project.id, period }), { type: 'primary' })],
      weight: 2,
    },
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

/**
 * A list of projects with this period's status, each with 填报 / 本月无变化 while missing and 修改 once reported.
 * As a reminder it greets the recipient (the owner, or the delegate standing in for `ownerName`); as "我的项目"
 * (`mine`) it is titled so, and the first card of the list opens with the person's counts.
 */
export function projectListCard(opts: {
  recipientName: string;
  ownerName?: string;
  period: string;
  deadline: string;
  rows: ProjectRow[];
  lastCall?: boolean;
  /** How far the deadline is (domain/calendar deadlineDistance), for the last call's line. */
  due?: DeadlineDistance;
  mine?: { counts?: { total: number; done: number } };
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
  const elements: Element[] = [];
  // 我的项目 counts every listed project; a reminder lists only the missing ones. One intro, never both (issue 17).
  const counts = opts.mine ? (opts.mine.counts ?? { total: opts.rows.length, done: opts.rows.length - missing }) : undefined;
  if (counts) {
    elements.push(
      md(
        t('report.mine_intro', {
          total: counts.total,
          done: counts.done,
          missing: counts.total - counts.done,
          deadline: dateLabel(opts.deadline),
        }),
      ),
    );
  }
  if (!counts) elements.push(md(intro));
  if (opts.lastCall && missing > 0 && opts.due && opts.due.kind !== 'past') {
    const vars = { date: monthDayLabel(opts.deadline), weekday: weekdayLabel(opts.deadline) };
    elements.push(
      md(
        opts.due.kind === 'later'
          ? t('report.reminder_due.later', { ...vars, workdays: opts.due.workdays })
          : t(opts.due.kind === 'today' ? 'report.reminder_due.today' : 'report.reminder_due.tomorrow', vars),
      ),
    );
  }
  for (const r of opts.rows) {
    elements.push(hr(), projectRow(r, opts.period, ids, !!opts.mine));
  }
  return card({
    title: opts.mine
      ? t('report.mine_title', { period: periodLabel(opts.period) })
      : t('report.reminder_title', { period: periodLabel(opts.period) }),
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
  /** A line above the form saying why it was sent (a stage move that needs more than the command said). */
  notice?: string;
  /** The period is reported already (src/report/edit.ts): said at the top; submitting saves a new version. */
  edit?: { noChange: boolean; revision: number };
  /** Small amounts asked about: the submit button carries them, so submitting again confirms them. */
  confirm?: string[];
  /** Opened from 我的项目: "返回列表" goes back to it. */
  mine?: boolean;
}): Card {
  const p = opts.project;
  const v = opts.values ?? {};
  const e = opts.errors ?? {};
  const errorCount = Object.keys(e).length;
  const stageOptions = [
    { text: t('report.field_stage_keep', { stage: stageLabel(p.stage) }), value: 'keep' },
    // 转移 is not picked here: it is a hand-over offered by a mechanism office and consented by the first-talk unit
    // (000 三(一); src/admin/transfer.ts).
    ...allowedTargets(p.stage)
      .filter((s) => s !== 'transferred')
      .map((s: StageId) => ({ text: stageLabel(s), value: s })),
  ];
  // An edit of the report that made this move: the move shows as made and is kept unless another is chosen.
  if (v.stage === p.stage) stageOptions.unshift({ text: t('report.field_stage_moved', { stage: stageLabel(p.stage) }), value: p.stage });
  // The fields of a stage move (dates, amounts, the contract's terms) fold away while the stage stays: the form is
  // one phone screen shorter (issue 17). They are open when a move is chosen, filled in, or refused.
  const stageFields: Element[] = [
    input({ name: 'stage_reason', label: t('report.field_stage_reason'), value: v.stage_reason }),
    ...errorLine(e.stage_reason),
    input({
      name: 'contract_amount',
      label: t('report.field_contract_amount'),
      value: v.contract_amount,
      maxLength: fieldLimit('contract_amount'),
    }),
    ...errorLine(e.contract_amount),
    ...dateField('signed_on', 'report.field_signed_on', v.signed_on, e.signed_on),
    ...dateField('landed_on', 'report.field_landed_on', v.landed_on, e.landed_on),
    // The contract's agreed terms (001 三.四 履约提醒函 rests on them), entered at signing.
    ...dateField('agreed_start', 'report.field_agreed_start', v.agreed_start, e.agreed_start),
    input({ name: 'agreed_investment', label: t('report.field_agreed_investment'), value: v.agreed_investment }),
    ...errorLine(e.agreed_investment),
    ...dateField('agreed_investment_by', 'report.field_agreed_investment_by', v.agreed_investment_by, e.agreed_investment_by),
    // Agreed results (未按约定达效), optional, as the contract states them; and the figures the project reached.
    input({ name: 'agreed_output', label: t('report.field_agreed_output'), value: v.agreed_output }),
    ...errorLine(e.agreed_output),
    input({ name: 'agreed_tax', label: t('report.field_agreed_tax'), value: v.agreed_tax }),
    ...errorLine(e.agreed_tax),
    ...dateField('agreed_results_by', 'report.field_agreed_results_by', v.agreed_results_by, e.agreed_results_by),
    input({ name: 'reported_output', label: t('report.field_reported_output'), value: v.reported_output }),
    ...errorLine(e.reported_output),
    input({ name: 'reported_tax', label: t('report.field_reported_tax'), value: v.reported_tax }),
    ...errorLine(e.reported_tax),
  ];
  const moving = !!v.stage && v.stage !== 'keep';
  const open = moving || STAGE_FIELDS.some((k) => !!v[k] || !!e[k]) || !!e.stage;
  const fields: Element[] = [
    md(`**${t('report.field_stage')}**`),
    select({ name: 'stage', placeholder: t('report.field_stage'), options: stageOptions, value: v.stage || 'keep' }),
    ...errorLine(e.stage),
    panel(t('report.stage_fields_panel'), stageFields, { expanded: open }),
    // The project's type and source channels (issue 16), as the project has them unless the form says otherwise.
    select({
      name: 'project_type',
      placeholder: t('report.field_type'),
      value: v.project_type !== undefined && isProjectType(v.project_type) ? v.project_type : p.projectType,
      options: PROJECT_TYPES.map((x) => ({ text: projectTypeLabel(x), value: x })),
    }),
    ...errorLine(e.project_type),
    multiSelect({
      name: 'channels',
      placeholder: t('report.field_channel'),
      values: v.channels !== undefined ? v.channels.split(',').filter(isChannel) : p.channels,
      options: CHANNELS.map((x) => ({ text: channelLabel(x), value: x })),
    }),
    ...errorLine(e.channels),
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
    input({ name: 'fund_amount', label: t('report.field_fund_amount'), value: v.fund_amount, maxLength: fieldLimit('fund_amount') }),
    ...errorLine(e.fund_amount),
    ...dateField('fund_date', 'report.field_fund_date', v.fund_date, e.fund_date),
    select({
      name: 'fund_evidence',
      placeholder: t('report.field_fund_evidence'),
      value: v.fund_evidence,
      options: EVIDENCE_KINDS.map((k) => ({ value: k, text: t(EVIDENCE_LABEL[k]) })),
    }),
    hr(),
    md(t('report.section_problem')),
    select({
      name: 'problem_category',
      placeholder: t('report.field_problem_category'),
      value: v.problem_category,
      options: PROBLEM_CATEGORIES.map((k) => ({ value: k, text: t(PROBLEM_LABEL[k]) })),
    }),
    ...errorLine(e.problem_category),
    input({ name: 'problem_text', label: t('report.field_problem_text'), value: v.problem_text }),
    ...errorLine(e.problem_text),
    input({ name: 'problem_unit', label: t('report.field_problem_unit'), value: v.problem_unit, maxLength: fieldLimit('problem_unit') }),
    ...errorLine(e.problem_unit),
    ...dateField('problem_due', 'report.field_problem_due', v.problem_due, e.problem_due),
    hr(),
    md(t('report.section_next')),
    input({ name: 'next_step', label: t('report.field_next_step'), value: v.next_step }),
    ...dateField('next_step_due', 'report.field_next_step_due', v.next_step_due, e.next_step_due),
    submitButton(
      t('report.submit'),
      actionValue(REPORT_ACTIONS.submit, {
        p: p.id,
        period: opts.period,
        ids: opts.ids ?? [],
        ...(opts.confirm && opts.confirm.length > 0 ? { small: opts.confirm } : {}),
        ...(opts.mine ? { mine: true } : {}),
      }),
    ),
  ];
  const elements: Element[] = [];
  if (opts.edit) {
    elements.push(
      md(
        opts.edit.noChange
          ? t('report.form_edit_no_change', { period: periodLabel(opts.period) })
          : t('report.form_edit_notice', { period: periodLabel(opts.period), revision: opts.edit.revision }),
      ),
    );
  }
  if (opts.notice) elements.push(md(opts.notice));
  elements.push(
    md(
      t('report.form_intro', {
        code: p.code,
        stage: stageLabel(p.stage),
        period: periodLabel(opts.period),
        deadline: dateLabel(opts.deadline),
      }),
    ),
  );
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
  problem?: { category: ProblemCategory; description: string } | null;
  remaining: number;
  ids: number[];
  mine?: boolean;
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
    lines.push(t('report.receipt_substantive', { kinds: joined(r.substantive.map((k) => progressKindLabel(k as ProgressKind))) }));
  if (opts.fund) lines.push(t('report.receipt_fund', { amount: formatAmount(opts.fund.amountFen), date: dateLabel(opts.fund.date) }));
  if (opts.problem)
    lines.push(t('report.receipt_problem', { category: t(PROBLEM_LABEL[opts.problem.category]), text: opts.problem.description }));
  const elements: Element[] = [md(lines.join('\n'))];
  if (opts.remaining > 0) elements.push(note(t('report.receipt_remaining', { count: opts.remaining })));
  const buttons: Element[] = [];
  if (opts.editable)
    buttons.push(
      button(
        t('report.button_edit'),
        actionValue(REPORT_ACTIONS.open, { p: opts.project.id, period: opts.period, ids: opts.ids, ...(opts.mine ? { mine: true } : {}) }),
      ),
    );
  if (opts.ids.length > 0)
    buttons.push(
      button(
        t('report.button_back'),
        actionValue(REPORT_ACTIONS.list, { period: opts.period, ids: opts.ids, ...(opts.mine ? { mine: true } : {}) }),
        {
          type: 'primary',
        },
      ),
    );
  if (buttons.length > 0) elements.push(columns(buttons.map((b) => ({ elements: [b] }))));
  return card({ title: t('report.receipt_title', { name: opts.project.name }), template: 'green', elements });
}

/** Several projects matched what was typed: one button each, opening the form (`period` is the one asked about). */
export function pickListCard(opts: { needle: string; found: Project[]; period: string }): Card {
  const rows: Element[] = opts.found.slice(0, 10).map((p) =>
    columns([
      { elements: [md(t('report.pick_line', { name: p.name, code: p.code, stage: stageLabel(p.stage) }))], weight: 3 },
      { elements: [button(p.code, actionValue(REPORT_ACTIONS.open, { period: opts.period, p: p.id }))], weight: 1 },
    ]),
  );
  return card({
    title: t('report.pick_title'),
    elements: [md(t('report.pick_intro', { text: opts.needle, count: opts.found.length })), ...rows],
  });
}

/** Nothing matched: the text says so, and names the person's projects that look closest. */
export function notFoundText(needle: string, suggestions: Project[]): string {
  const lines = [t('report.not_found', { text: needle })];
  if (suggestions.length > 0) {
    lines.push(t('report.suggest', { names: joined(suggestions.map((p) => t('report.suggest_item', { name: p.name, code: p.code }))) }));
  }
  return lines.join('\n');
}

/** One formatter per time zone: building an Intl.DateTimeFormat costs more than formatting with it. */
const timeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * When a receipt says the report was submitted: `12月2日 11:32` in the bot's zone — the one format for a time
 * on a card (issue 17: days read `2026年12月21日`, dateLabel).
 */
export function receiptTime(timeZone: string, at: Date): string {
  let f = timeFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    timeFormats.set(timeZone, f);
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => f.formatToParts(at).find((x) => x.type === type)?.value ?? '';
  return t('calendar.month_day_time', {
    month: Number(part('month')),
    day: Number(part('day')),
    hour: part('hour'),
    minute: part('minute'),
  });
}
