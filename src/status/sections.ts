// The pieces every status card is made of: list lines and the sections for stages, signings, funds, reporting,
// stalled projects, problems, targets and promising projects, shared by the status answer, the digest and the
// summaries. Texts come from prompts/status.ts; lists stay short (MAX_LINES and "n more") to keep cards under 30 KB.

import { FEN_PER_WAN, FEN_PER_YI } from '../domain/amount.js';
import { type CalendarDate } from '../domain/calendar.js';
import { ACTIVE_STAGES, OFFLINE_STAGES, STAGES } from '../domain/stages.js';
import { targetProgress, type TargetMetric } from '../domain/targets.js';
import { chart, md, note, table, type Element } from '../lark/cards.js';
import { isMarkup } from '../domain/markup.js';
import { joinMarkup, t, tm, type Markup } from '../text.js';
import {
  channelLabel,
  formatAmount,
  dateLabel,
  fundsHeadline,
  fundsRuleLabel,
  fundsRuleLine,
  periodLabel,
  stalledText,
  stageLabel,
  targetMetricLabel,
  targetStatusLabel,
  letterReasonLabel,
} from '../words.js';
import type { ChannelRollupRow, OfficeRollupRow } from '../store/status-channels.js';
import type { FundsFigures, Reporting, Signings, StageCount, TargetRow, UnitCount } from './figures.js';
import type {
  EscalatedProject,
  LateProject,
  OpenLetterRow,
  OpenProblem,
  PromisingProject,
  SignedProject,
  StalledProject,
} from './lists.js';

/** Longest by-unit list a section shows before "n more". */
const MAX_LINES = 10;

/** Cuts a free text to n characters for a list line. */
export function cut(s: string | null | undefined, n = 40): string {
  const chars = [...(s ?? '').replace(/\s+/g, ' ').trim()];
  return chars.length > n ? chars.slice(0, n).join('') + '…' : chars.join('');
}

export const orNone = (s: string | null | undefined) => (s && s.trim() !== '' ? s : t('common.none'));

/** fen → 万元 as a chart number (display only). */
const wanNumber = (fen: number) => Math.round((fen * 100) / FEN_PER_WAN) / 100;

function more(total: number, shown: number): Element[] {
  return total > shown ? [note(t('status.more', { count: total - shown }))] : [];
}

export function lines(items: string[], total = items.length): Element[] {
  if (items.length === 0) return [];
  return [md(items.join('\n')), ...more(total, items.length)];
}

/**
 * Rows of figures as a phone shows them (issue 17: a table wider than a phone is cut off at its right edge): one
 * item per row, its first `titleCells` cells as the bold title and each other cell after its column's name; an
 * empty cell is left out. `stacked`: each figure on a line of its own under the title, for rows of many long-named
 * figures (the year card's nine), which run on for lines and break mid-number when strung on one line.
 */
export function recordLines(
  header: readonly string[],
  rows: readonly (readonly (string | Markup)[])[],
  titleCells = 1,
  opts: { stacked?: boolean } = {},
): Element[] {
  const fields = (r: readonly (string | Markup)[], key: 'status.record.field' | 'status.record.stacked_field') =>
    r
      .slice(titleCells)
      .map((v, i) => ({ v, label: header[i + titleCells] ?? '' }))
      .filter(({ v }) => (isMarkup(v) ? v.source : v) !== '')
      .map(({ v, label }) => tm(key, { label, value: v }));
  if (opts.stacked) {
    if (rows.length === 0) return [];
    return [
      md(
        rows
          .map((r) =>
            t('status.record.stacked', {
              title: joinMarkup(r.slice(0, titleCells), ' '),
              fields: joinMarkup(fields(r, 'status.record.stacked_field'), '\n'),
            }),
          )
          .join('\n\n'),
      ),
    ];
  }
  return lines(
    rows.map((r) =>
      t('status.record.line', {
        title: joinMarkup(r.slice(0, titleCells), ' '),
        fields: joinMarkup(fields(r, 'status.record.field'), t('status.record.sep')),
      }),
    ),
  );
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

export const unitName = (n: string | null | undefined) => (n && n !== '' ? n : t('status.unit_unknown'));

// ---------------------------------------------------------------------------------------------------------------
// Sections

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
    // Every funds figure names its rule (issue 16): the line counts by the recognition rule, as the headline does.
    md(
      t('status.section.funds_by_rule', {
        rule: fundsRuleLine(f.recognised.rule),
        window: windowLabel,
        window_amount: formatAmount(f.recognisedWindow.amountFen),
        year_amount: formatAmount(f.recognised.amountFen),
      }),
    ),
  ];
  // The year's figure as the cities report it upward, naming its rule (seed 002).
  els.push(
    md(t('funds.section_year', { headline: fundsHeadline(f.recognised) })),
    note(t('funds.rule_note', { rule: fundsRuleLabel(f.recognised.rule) })),
  );
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
        data: f.months.map((m) => ({
          x: periodShort(m.period),
          y: inYi ? Math.round((m.verifiedFen * 100) / FEN_PER_YI) / 100 : wanNumber(m.verifiedFen),
        })),
      }),
    );
  }
  return els;
}

/**
 * A chart label: '11月'. Twelve bars leave a phone about five characters a label: '26年7月' was cut to '26…' (issue
 * 17); the title says the bars are the last twelve months, so the month alone reads.
 */
function periodShort(period: string): string {
  return t('status.period_month', { month: Number(period.slice(5, 7)) });
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
  if (list.length === 0) return [];
  return [
    md(t('status.section.late_projects')),
    ...lines(
      list.map((p) =>
        p.ownerName
          ? t('status.line.late_project', { name: p.name, unit: unitName(p.unitName), owner: p.ownerName })
          : t('status.line.late_project_no_owner', { name: p.name, unit: unitName(p.unitName) }),
      ),
      total,
    ),
  ];
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
    // A list, not a table: four columns do not fit a phone (issue 17).
    ...recordLines(
      [t('status.col.unit'), ...metrics.map(([m]) => targetMetricLabel(m))],
      shown.map((r) => [
        r.unitName,
        ...metrics.map(([, k]) => {
          const p = targetProgress(r.actual[k], r.annual[k], today);
          return tm('status.targets.cell', {
            actual: p.actual,
            annual: p.annual,
            expected: Math.round(p.expected * 10) / 10,
            color: TARGET_COLOR[p.status],
            status: targetStatusLabel(p.status),
          });
        }),
      ]),
    ),
    ...more(rows.length, shown.length),
    ...leaderTripLines(shown, today),
  ];
}

/**
 * Each leader's own trips against time elapsed (001 二.二 "每人每年带队外出招商5次以上" is per person): one line per
 * unit listing its leaders.
 */
function leaderTripLines(rows: TargetRow[], today: CalendarDate): Element[] {
  const out: string[] = [];
  for (const r of rows) {
    if (r.leaders.length === 0) continue;
    const parts = r.leaders.map((l) => {
      const p = targetProgress(l.trips, r.tripsPerLeader, today);
      return tm('status.targets.leader', {
        name: l.name,
        trips: l.trips,
        annual: r.tripsPerLeader,
        expected: Math.round(p.expected * 10) / 10,
        color: TARGET_COLOR[p.status],
        status: targetStatusLabel(p.status),
      });
    });
    out.push(t('status.targets.leaders', { unit: r.unitName, leaders: joinMarkup(parts, t('status.targets.leader_sep')) }));
  }
  return lines(out);
}

/**
 * Projects by source channel and by outside office (000 一(二), 二(四); 001 二.五–六: the ways projects come in),
 * with what each brought within the window: new projects, signings (number, amount) and landings.
 */
export function channelsSection(c: { channels: ChannelRollupRow[]; offices: OfficeRollupRow[] }, windowLabel: string): Element[] {
  if (c.channels.length === 0) return [];
  const figures = (r: Omit<ChannelRollupRow, 'channel'>) => ({
    projects: String(r.projects),
    added: String(r.added),
    // "0", as the other figures read, never "0个 —"
    signed: r.signed === 0 ? '0' : t('status.channels.signed', { count: r.signed, amount: formatAmount(r.signedFen) }),
    landed: String(r.landed),
  });
  // Lists, not five-column tables, so that a phone shows every figure (issue 17).
  const header = (first: string) => [
    first,
    t('status.channels.col_projects'),
    t('status.channels.col_added', { window: windowLabel }),
    t('status.channels.col_signed', { window: windowLabel }),
    t('status.channels.col_landed', { window: windowLabel }),
  ];
  const row = (name: string, r: Omit<ChannelRollupRow, 'channel'>) => {
    const f = figures(r);
    return [name, f.projects, f.added, f.signed, f.landed];
  };
  const out: Element[] = [
    md(t('status.section.channels', { window: windowLabel })),
    ...recordLines(
      header(t('status.channels.col_channel')),
      c.channels.map((r) => row(r.channel ? channelLabel(r.channel) : t('status.channels.none'), r)),
    ),
  ];
  if (c.offices.length > 0) {
    out.push(
      md(t('status.section.offices')),
      ...recordLines(
        header(t('status.channels.col_office')),
        c.offices.slice(0, 12).map((r) => row(r.office, r)),
      ),
      ...more(c.offices.length, Math.min(12, c.offices.length)),
    );
  }
  return out;
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

/** 提级管理 (001 三.三): the projects filed one level up, with the day and the level. */
export function escalatedSection(e: { total: number; list: EscalatedProject[] }): Element[] {
  if (e.total === 0) return [];
  return [
    md(t('status.section.escalated', { count: e.total })),
    ...lines(
      e.list.map((p) => t('status.line.escalated', { name: p.name, code: p.code, date: dateLabel(p.on), level: unitName(p.levelName) })),
      e.total,
    ),
  ];
}

/** Open 履约提醒函 (001 三.四), with whether the owner has answered. */
export function lettersSection(l: { total: number; list: OpenLetterRow[] }): Element[] {
  if (l.total === 0) return [];
  return [
    md(t('status.section.letters', { count: l.total })),
    ...lines(
      l.list.map((x) =>
        t('status.line.letter', {
          name: x.name,
          reason: letterReasonLabel(x.reason),
          date: dateLabel(x.issuedOn),
          state: x.answered ? t('status.letter_answered') : t('status.letter_waiting'),
        }),
      ),
      l.total,
    ),
  ];
}
