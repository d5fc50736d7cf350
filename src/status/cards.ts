// Cards of the status feature: the status answer (overview or one intent), the project view, the weekly digest,
// and the monthly / quarterly / half-yearly summaries. Texts come from prompts/status.ts; every card is kept
// under Lark's 30 KB by short lists (the longest lists are split over several cards by splitCards).

import { FEN_PER_WAN, FEN_PER_YI } from '../domain/amount.js';
import { type CalendarDate } from '../domain/calendar.js';
import { PROGRESS_KINDS, type ProgressKind } from '../domain/progress.js';
import { ACTIVE_STAGES, OFFLINE_STAGES, STAGES, type StageId } from '../domain/stages.js';
import { targetProgress, type TargetMetric } from '../domain/targets.js';
import { card, chart, hr, md, note, splitCards, table, type Card, type Element, type Template } from '../lark/cards.js';
import { t } from '../text.js';
import type { FundsFigures, Reporting, Signings, StageCount, TargetRow, UnitCount } from './figures.js';
import type { CentreProject, LateProject, OpenProblem, PromisingProject, SignedProject, StageMove, StalledProject } from './lists.js';
import type { StatusData, ProjectDetail } from './view.js';
import type { Project } from '../store/projects.js';
import {
  formatAmount,
  dateLabel,
  periodLabel,
  stalledText,
  progressKindLabel,
  stageLabel,
  targetMetricLabel,
  targetStatusLabel,
} from '../words.js';

const MAX_LINES = 10;

/** Cuts a free text to n characters for a list line. */
function cut(s: string | null | undefined, n = 40): string {
  const chars = [...(s ?? '').replace(/\s+/g, ' ').trim()];
  return chars.length > n ? chars.slice(0, n).join('') + '…' : chars.join('');
}

const orNone = (s: string | null | undefined) => (s && s.trim() !== '' ? s : t('common.none'));

/** fen → 万元 as a chart number (display only). */
const wanNumber = (fen: number) => Math.round((fen * 100) / FEN_PER_WAN) / 100;

function more(total: number, shown: number): Element[] {
  return total > shown ? [note(t('status.more', { count: total - shown }))] : [];
}

function lines(items: string[], total = items.length): Element[] {
  if (items.length === 0) return [];
  return [md(items.join('\n')), ...more(total, items.length)];
}

const PROBLEM_CATEGORY_KEYS = {
  land: 'status.category.land',
  plant: 'status.category.plant',
  funds: 'status.category.funds',
  energy: 'status.category.energy',
  approval: 'status.category.approval',
  talent: 'status.category.talent',
  other: 'status.category.other',
} as const;

export function categoryLabel(c: string): string {
  return t(PROBLEM_CATEGORY_KEYS[c as keyof typeof PROBLEM_CATEGORY_KEYS] ?? 'status.category.other');
}

const unitName = (n: string | null | undefined) => (n && n !== '' ? n : t('status.unit_unknown'));

// ---------------------------------------------------------------------------------------------------------------
// Sections, shared by the status card and the summaries

export function stagesSection(stages: StageCount[], windowLabel: string, withChart = true): Element[] {
  const active = stages.filter((s) => (ACTIVE_STAGES as readonly string[]).includes(s.stage));
  const offline = stages.filter((s) => (OFFLINE_STAGES as readonly string[]).includes(s.stage));
  const sum = (xs: StageCount[]) => xs.reduce((n, s) => n + s.count, 0);
  const els: Element[] = [
    md(t('status.section.stages', { active: sum(active), offline: sum(offline) })),
    table({
      columns: [
        { name: 'stage', label: t('status.col.stage') },
        { name: 'count', label: t('status.col.count'), type: 'number' },
        { name: 'entered', label: t('status.col.entered', { window: windowLabel }), type: 'number' },
      ],
      rows: STAGES.map((id) => {
        const s = stages.find((x) => x.stage === id)!;
        return { stage: stageLabel(id), count: s.count, entered: s.entered };
      }),
    }),
  ];
  if (withChart && sum(active) > 0) {
    els.push(chart({ kind: 'funnel', title: t('status.chart.funnel'), data: active.map((s) => ({ x: stageLabel(s.stage), y: s.count })) }));
  }
  return els;
}

export function signingsSection(s: Signings, windowLabel: string): Element[] {
  return [
    md(
      t('status.section.signings', {
        window: windowLabel,
        window_count: s.window.count,
        window_amount: formatAmount(s.window.fen),
        year_count: s.year.count,
        year_amount: formatAmount(s.year.fen),
      }),
    ),
  ];
}

export function signedListSection(list: SignedProject[]): Element[] {
  return lines(
    list.map((p) =>
      t('status.line.signed', {
        name: p.name,
        unit: unitName(p.unitName),
        date: dateLabel(p.signedOn),
        amount: p.contractFen === null ? t('common.none') : formatAmount(p.contractFen),
      }),
    ),
  );
}

export function fundsSection(f: FundsFigures, windowLabel: string, withChart = true): Element[] {
  const els: Element[] = [
    md(
      t('status.section.funds', {
        window: windowLabel,
        window_amount: formatAmount(f.window.verifiedFen),
        year_amount: formatAmount(f.year.verifiedFen),
      }),
    ),
  ];
  if (f.window.reportedFen > 0 || f.year.reportedFen > 0) {
    els.push(
      note(
        t('status.section.funds_unverified', {
          window: windowLabel,
          window_amount: formatAmount(f.window.reportedFen),
          year_amount: formatAmount(f.year.reportedFen),
        }),
      ),
    );
  }
  if (withChart && f.months.length > 0) {
    // 亿元 once a month reaches 1亿, else 万元, so the bars read as the texts do.
    const inYi = f.months.some((m) => m.verifiedFen >= FEN_PER_YI);
    els.push(
      chart({
        kind: 'bar',
        title: inYi ? t('status.chart.funds_yi') : t('status.chart.funds_wan'),
        data: f.months.map((m, i) => ({
          x: periodShort(m.period, i === 0),
          y: inYi ? Math.round((m.verifiedFen * 100) / FEN_PER_YI) / 100 : wanNumber(m.verifiedFen),
        })),
      }),
    );
  }
  return els;
}

/** A chart label: '11月', with the year on the first bar and on January ('27年1月'). */
function periodShort(period: string, first: boolean): string {
  const month = Number(period.slice(5, 7));
  return first || month === 1 ? t('status.period_short', { year: period.slice(2, 4), month }) : t('status.period_month', { month });
}

export function reportingSection(r: Reporting, deadline: CalendarDate, currentDeadline: CalendarDate): Element[] {
  const els: Element[] = [];
  if (r.current.period !== r.closed.period) {
    els.push(
      md(
        t('status.section.reporting', {
          period: periodLabel(r.current.period),
          reported: r.current.reported,
          total: r.current.total,
          deadline: dateLabel(currentDeadline),
        }),
      ),
    );
  }
  els.push(...lateSection(r.closed.period, deadline, r.closed.late, r.closed.byUnit));
  return els;
}

export function lateSection(period: string, deadline: CalendarDate, total: number, byUnit: UnitCount[]): Element[] {
  if (total === 0) return [md(t('status.section.late_none', { period: periodLabel(period) }))];
  return [
    md(t('status.section.late', { period: periodLabel(period), deadline: dateLabel(deadline), count: total })),
    ...lines(
      byUnit.slice(0, MAX_LINES).map((u) => t('status.line.unit_count', { unit: unitName(u.unitName), count: u.count })),
      byUnit.length,
    ),
  ];
}

export function lateListSection(list: LateProject[], total: number): Element[] {
  return lines(
    list.map((p) => t('status.line.late_project', { name: p.name, unit: unitName(p.unitName), owner: orNone(p.ownerName) })),
    total,
  );
}

export function stalledSection(s: { total: number; list: StalledProject[] }, days: number): Element[] {
  if (s.total === 0) return [md(t('status.section.stalled_none'))];
  return [
    md(t('status.section.stalled', { days, count: s.total })),
    ...lines(
      s.list.map((p) => t('status.line.stalled', { name: p.name, unit: unitName(p.unitName), text: stalledText(p.stage, p.days) })),
      s.total,
    ),
  ];
}

export function problemsSection(p: { total: number; byUnit: UnitCount[]; list: OpenProblem[] }): Element[] {
  if (p.total === 0) return [md(t('status.section.problems_none'))];
  const els: Element[] = [
    md(t('status.section.problems', { count: p.total })),
    ...lines(
      p.byUnit.slice(0, MAX_LINES).map((u) => t('status.line.unit_count', { unit: unitName(u.unitName), count: u.count })),
      p.byUnit.length,
    ),
  ];
  if (p.list.length > 0) els.push(...problemLines(p.list, p.total));
  return els;
}

export function problemLines(list: OpenProblem[], total: number): Element[] {
  return lines(
    list.map((x) =>
      t('status.line.problem', {
        project: x.projectName,
        description: cut(x.description),
        category: categoryLabel(x.category),
        unit: unitName(x.unitName),
        date: dateLabel(x.raisedOn),
      }),
    ),
    total,
  );
}

const TARGET_COLOR = { red: 'red', amber: 'orange', green: 'green' } as const;

export function targetsSection(rows: TargetRow[] | null | undefined, today: CalendarDate): Element[] {
  if (!rows) return [];
  if (rows.length === 0) return [md(t('status.section.targets_none'))];
  const metrics: [TargetMetric, 'trips' | 'signedBig' | 'landed'][] = [
    ['outbound_trips', 'trips'],
    ['signed_industrial_projects', 'signedBig'],
    ['landed_projects', 'landed'],
  ];
  const elapsed = targetProgress(0, 1, today).elapsed;
  const shown = rows.slice(0, 20);
  return [
    md(t('status.section.targets', { elapsed: Math.round(elapsed * 100) })),
    table({
      columns: [
        { name: 'unit', label: t('status.col.unit') },
        ...metrics.map(([m, k]) => ({ name: k, label: targetMetricLabel(m), type: 'lark_md' as const })),
      ],
      rows: shown.map((r) => {
        const row: Record<string, string> = { unit: r.unitName };
        for (const [, k] of metrics) {
          const p = targetProgress(r.actual[k], r.annual[k], today);
          row[k] = t('status.targets.cell', {
            actual: p.actual,
            annual: p.annual,
            expected: Math.round(p.expected * 10) / 10,
            color: TARGET_COLOR[p.status],
            status: targetStatusLabel(p.status),
          });
        }
        return row;
      }),
    }),
    ...more(rows.length, shown.length),
  ];
}

export function promisingSection(p: { total: number; list: PromisingProject[] }, days: number): Element[] {
  if (p.total === 0) return [md(t('status.section.promising_none', { days }))];
  return [
    md(t('status.section.promising', { days, count: p.total })),
    ...lines(
      p.list.map((x) =>
        t('status.line.promising', {
          name: x.name,
          stage: stageLabel(x.stage),
          unit: unitName(x.unitName),
          amount: x.plannedFen === null ? t('common.none') : formatAmount(x.plannedFen),
          date: dateLabel(x.lastProgressOn),
        }),
      ),
      p.total,
    ),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// The status answer

const FOCUS_TITLE_KEYS = {
  status: 'status.title.status',
  overdue: 'status.title.overdue',
  stalled: 'status.title.stalled',
  funds: 'status.title.funds',
  signed: 'status.title.signed',
  problems: 'status.title.problems',
  targets: 'status.title.targets',
} as const;

export function statusCard(d: StatusData): Card {
  const month = t('status.window.month');
  const els: Element[] = [];
  const sep = () => {
    if (els.length > 0) els.push(hr());
  };
  if (d.stages) els.push(...stagesSection(d.stages, month));
  if (d.signings) {
    sep();
    els.push(...signingsSection(d.signings, month));
    if (d.signedList) els.push(...signedListSection(d.signedList));
  }
  if (d.funds) {
    sep();
    els.push(...fundsSection(d.funds, month));
  }
  if (d.reporting) {
    sep();
    els.push(...reportingSection(d.reporting, d.reporting.deadline, d.reporting.currentDeadline));
    if (d.late) els.push(...lateListSection(d.late.list, d.late.total));
  }
  if (d.stalled) {
    sep();
    els.push(...stalledSection(d.stalled, d.thresholdDays));
  }
  if (d.problems) {
    sep();
    els.push(...problemsSection(d.problems));
  }
  if (d.targets !== undefined && d.targets !== null) {
    sep();
    els.push(...targetsSection(d.targets, d.today));
  } else if (d.focus === 'targets') {
    els.push(md(t('status.section.targets_not_applicable')));
  }
  const late = d.reporting?.closed.late ?? 0;
  const template: Template =
    d.focus === 'overdue' && late > 0 ? 'red' : d.focus === 'stalled' && (d.stalled?.total ?? 0) > 0 ? 'orange' : 'blue';
  return card({
    title: t(FOCUS_TITLE_KEYS[d.focus], { scope: d.scope.label }),
    subtitle: t('status.card.as_of', { date: dateLabel(d.today) }),
    template,
    summary: t(FOCUS_TITLE_KEYS[d.focus], { scope: d.scope.label }),
    elements: els,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// One project

const PROGRESS_SET = new Set<string>(PROGRESS_KINDS);

export function projectCard(p: ProjectDetail, today: CalendarDate): Card {
  const pr = p.project;
  const els: Element[] = [
    md(
      t('status.project.facts', {
        stage: stageLabel(pr.stage),
        since: pr.stageEnteredOn ? dateLabel(pr.stageEnteredOn) : t('common.none'),
        chain: orNone(p.chainName),
        host: orNone(p.hostName),
        first_talk: orNone(p.firstTalkName),
        owner: orNone(p.ownerName),
        investor: orNone(pr.investor),
        region: orNone(pr.investorRegion),
        planned: pr.plannedInvestmentFen === null ? t('common.none') : formatAmount(pr.plannedInvestmentFen),
        contract: pr.contractAmountFen === null ? t('common.none') : formatAmount(pr.contractAmountFen),
        signed_on: pr.signedOn ? dateLabel(pr.signedOn) : t('common.none'),
        verified: formatAmount(p.verifiedFen),
        reported: formatAmount(p.reportedFen),
        last_progress: pr.lastProgressOn ? dateLabel(pr.lastProgressOn) : t('common.none'),
      }),
    ),
  ];
  if (pr.lastProgressOn && (pr.stage === 'negotiating' || pr.stage === 'intent')) {
    const days = Math.max(0, Math.round((Date.parse(today) - Date.parse(pr.lastProgressOn)) / 86_400_000));
    els.push(note(stalledText(pr.stage, days)));
  }
  els.push(hr(), md(t('status.project.history')));
  els.push(
    ...lines(
      p.history.map((h) =>
        t('status.line.history', {
          date: dateLabel(h.on),
          from: h.from ? stageLabel(h.from) : t('status.project.created'),
          to: stageLabel(h.to),
          reason: h.reason ? t('status.project.reason', { reason: cut(h.reason, 30) }) : '',
        }),
      ),
    ),
  );
  if (p.history.length === 0) els.push(md(t('common.none')));
  els.push(hr(), md(t('status.project.reports')));
  if (p.reports.length === 0) els.push(md(t('status.project.no_reports')));
  for (const r of p.reports) {
    const kinds = r.substantive.filter((k): k is ProgressKind => PROGRESS_SET.has(k)).map(progressKindLabel);
    els.push(
      md(
        t('status.line.report', {
          period: periodLabel(r.period),
          text: r.noChange ? t('status.project.no_change') : cut(r.progress, 120) || t('common.none'),
          substantive: kinds.length > 0 ? t('status.project.substantive', { kinds: kinds.join(t('status.list_sep')) }) : '',
          late: r.late ? t('status.project.late') : '',
        }),
      ),
    );
  }
  if (p.problems.length > 0) {
    els.push(hr(), md(t('status.project.problems')));
    els.push(
      ...lines(
        p.problems.map((x) =>
          t('status.line.project_problem', {
            category: categoryLabel(x.category),
            description: cut(x.description, 60),
            unit: unitName(x.unitName),
            date: dateLabel(x.raisedOn),
          }),
        ),
      ),
    );
  }
  return card({
    title: pr.name,
    subtitle: t('status.project.subtitle', { code: pr.code, stage: stageLabel(pr.stage) }),
    template: pr.stage === 'dropped' || pr.stage === 'transferred' ? 'grey' : 'blue',
    elements: els,
  });
}

export function projectChoiceCard(text: string, list: Project[]): Card {
  return card({
    title: t('status.project.choose_title'),
    template: 'wathet',
    elements: [
      md(t('status.project.choose', { text, count: list.length })),
      md(list.map((p) => t('status.line.project_choice', { name: p.name, code: p.code, stage: stageLabel(p.stage) })).join('\n')),
      note(t('status.project.choose_hint')),
    ],
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Weekly digest

export interface DigestData {
  scopeLabel: string;
  recipientName: string;
  week: { from: CalendarDate; to: CalendarDate };
  moves: { total: number; list: StageMove[] };
  signings: Signings;
  signedList: SignedProject[];
  funds: FundsFigures;
  newProblems: { total: number; list: OpenProblem[] };
  late: { period: string; deadline: CalendarDate; total: number; byUnit: UnitCount[] };
  waiting: { unitName: string; total: number; list: OpenProblem[] };
}

/** Whether the digest has anything to say; when not, it is one line. */
export function digestIsEmpty(d: DigestData): boolean {
  return (
    d.moves.total === 0 &&
    d.signings.window.count === 0 &&
    d.funds.window.verifiedFen === 0 &&
    d.funds.window.reportedFen === 0 &&
    d.newProblems.total === 0 &&
    d.late.total === 0 &&
    d.waiting.total === 0
  );
}

export function digestLine(d: DigestData): string {
  return t('status.digest.nothing', { scope: d.scopeLabel, from: dateLabel(d.week.from), to: dateLabel(d.week.to) });
}

export function digestCard(d: DigestData): Card {
  const week = t('status.window.week');
  const els: Element[] = [md(t('status.digest.intro', { name: d.recipientName, scope: d.scopeLabel }))];
  els.push(hr(), md(t('status.digest.changes', { from: dateLabel(d.week.from), to: dateLabel(d.week.to) })));
  if (d.moves.total > 0) {
    els.push(md(t('status.digest.moves', { count: d.moves.total })));
    els.push(
      ...lines(
        d.moves.list.map((m) =>
          t('status.line.move', {
            name: m.name,
            from: m.from ? stageLabel(m.from) : t('status.project.created'),
            to: stageLabel(m.to),
            date: dateLabel(m.on),
          }),
        ),
        d.moves.total,
      ),
    );
  } else {
    els.push(md(t('status.digest.no_moves')));
  }
  els.push(
    md(
      t('status.digest.signings', {
        window: week,
        count: d.signings.window.count,
        amount: formatAmount(d.signings.window.fen),
      }),
    ),
  );
  if (d.signedList.length > 0) els.push(...signedListSection(d.signedList));
  els.push(
    md(
      t('status.digest.funds', {
        window: week,
        verified: formatAmount(d.funds.window.verifiedFen),
        reported: formatAmount(d.funds.window.reportedFen),
      }),
    ),
  );
  if (d.newProblems.total > 0) {
    els.push(md(t('status.digest.new_problems', { count: d.newProblems.total })), ...problemLines(d.newProblems.list, d.newProblems.total));
  } else {
    els.push(md(t('status.digest.no_new_problems')));
  }
  els.push(hr(), ...lateSection(d.late.period, d.late.deadline, d.late.total, d.late.byUnit));
  els.push(hr());
  if (d.waiting.total > 0) {
    els.push(
      md(t('status.digest.waiting', { unit: d.waiting.unitName, count: d.waiting.total })),
      ...problemLines(d.waiting.list, d.waiting.total),
    );
  } else {
    els.push(md(t('status.digest.no_waiting', { unit: d.waiting.unitName })));
  }
  return card({
    title: t('status.digest.title', { scope: d.scopeLabel }),
    subtitle: t('status.digest.subtitle', { from: dateLabel(d.week.from), to: dateLabel(d.week.to) }),
    template: d.late.total > 0 || d.waiting.total > 0 ? 'orange' : 'turquoise',
    elements: els,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Summaries

export interface RollupData {
  title: string;
  scopeLabel: string;
  windowLabel: string;
  today: CalendarDate;
  stages: StageCount[];
  signings: Signings;
  funds: FundsFigures;
  late: { period: string; deadline: CalendarDate; total: number; byUnit: UnitCount[]; list: LateProject[] };
  stalled: { total: number; list: StalledProject[] };
  stalledDays: number;
  problems: { total: number; byUnit: UnitCount[]; list: OpenProblem[] };
  targets: TargetRow[] | null;
  promising: { total: number; list: PromisingProject[] };
  promisingDays: number;
}

/** The roll-up of a unit, a chain or a convenor level; split over several cards only if it ever grows past 30 KB. */
export function rollupCards(r: RollupData): Card[] {
  const els: Element[] = [
    ...stagesSection(r.stages, r.windowLabel),
    hr(),
    ...signingsSection(r.signings, r.windowLabel),
    ...fundsSection(r.funds, r.windowLabel),
    hr(),
    ...lateSection(r.late.period, r.late.deadline, r.late.total, r.late.byUnit),
    ...lateListSection(r.late.list, r.late.total),
    hr(),
    ...stalledSection(r.stalled, r.stalledDays),
    hr(),
    ...problemsSection(r.problems),
  ];
  if (r.targets) els.push(hr(), ...targetsSection(r.targets, r.today));
  els.push(hr(), ...promisingSection(r.promising, r.promisingDays));
  return splitCards(
    (elements, part) =>
      card({
        title: part === 1 ? r.title : t('status.summary.continued', { title: r.title, part }),
        subtitle: t('status.card.as_of', { date: dateLabel(r.today) }),
        template: 'indigo',
        summary: r.title,
        elements,
      }),
    els,
  );
}

/** The project centre's monthly list: every signed project ≥ the threshold, with its progress. */
export function centreCards(opts: { title: string; period: string; today: CalendarDate; list: CentreProject[]; amount: string }): Card[] {
  const { list } = opts;
  const total = list.reduce((s, p) => s + p.contractFen, 0);
  const verified = list.reduce((s, p) => s + p.verifiedFen, 0);
  const missing = list.filter((p) => !p.reported).length;
  const els: Element[] = [
    md(
      list.length === 0
        ? t('status.centre.none', { amount: opts.amount })
        : t('status.centre.intro', {
            amount: opts.amount,
            count: list.length,
            contract: formatAmount(total),
            verified: formatAmount(verified),
            period: periodLabel(opts.period),
            missing,
          }),
    ),
  ];
  const ROWS = 25;
  for (let i = 0; i < list.length; i += ROWS) {
    els.push(
      table({
        columns: [
          { name: 'name', label: t('status.col.project'), width: '30%' },
          { name: 'unit', label: t('status.col.host') },
          { name: 'stage', label: t('status.col.stage') },
          { name: 'contract', label: t('status.col.contract') },
          { name: 'verified', label: t('status.col.verified') },
          { name: 'progress', label: t('status.col.progress'), width: '30%' },
        ],
        rows: list.slice(i, i + ROWS).map((p) => ({
          name: p.name,
          unit: unitName(p.unitName),
          stage: stageLabel(p.stage as StageId),
          contract: formatAmount(p.contractFen),
          verified: formatAmount(p.verifiedFen),
          progress: !p.reported
            ? t('status.centre.not_reported')
            : p.noChange
              ? t('status.project.no_change')
              : cut(p.progress, 50) || t('common.none'),
        })),
      }),
    );
  }
  return splitCards(
    (elements, part) =>
      card({
        title: part === 1 ? opts.title : t('status.summary.continued', { title: opts.title, part }),
        subtitle: t('status.card.as_of', { date: dateLabel(opts.today) }),
        template: 'purple',
        summary: opts.title,
        elements,
      }),
    els,
  );
}
