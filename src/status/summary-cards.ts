// The monthly, quarterly and half-yearly summaries a bound group gets (jobs/summaries.ts gathers them): the roll-up
// of a scope, and the project centre's list of large signed projects. Split over several cards past 30 KB.

import { type CalendarDate } from '../domain/calendar.js';
import { type StageId } from '../domain/stages.js';
import { card, hr, md, splitCards, type Card, type Element } from '../lark/cards.js';
import { t } from '../text.js';
import { formatAmount, dateLabel, periodLabel, stageLabel } from '../words.js';
import type { ChannelRollupRow, OfficeRollupRow } from '../store/status-channels.js';
import type { FundsFigures, Signings, StageCount, TargetRow, UnitCount } from './figures.js';
import type {
  CentreProject,
  EscalatedProject,
  LateProject,
  OpenLetterRow,
  OpenProblem,
  PromisingProject,
  StalledProject,
} from './lists.js';
import {
  cut,
  escalatedSection,
  lettersSection,
  fundsSection,
  lateListSection,
  lateSection,
  problemsSection,
  promisingSection,
  signingsSection,
  stagesSection,
  stalledSection,
  targetsSection,
  channelsSection,
  unitName,
} from './sections.js';

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
  escalated?: { total: number; list: EscalatedProject[] };
  letters?: { total: number; list: OpenLetterRow[] };
  problems: { total: number; byUnit: UnitCount[]; list: OpenProblem[] };
  targets: TargetRow[] | null;
  promising: { total: number; list: PromisingProject[] };
  promisingDays: number;
  /** By source channel and outside office (issue 16), when the roll-up carries them. */
  channels?: { channels: ChannelRollupRow[]; offices: OfficeRollupRow[] };
}

/** The roll-up of a unit, a chain or a convenor level; split over several cards only if it ever grows past 30 KB. */
export function rollupCards(r: RollupData): Card[] {
  return summaryCards(r.title, r.today, 'indigo', rollupElements(r));
}

/** The roll-up's sections, for a card of its own or inside another (the year card carries the second half's). */
export function rollupElements(r: RollupData): Element[] {
  const els: Element[] = [
    ...stagesSection(r.stages, r.windowLabel),
    hr(),
    ...signingsSection(r.signings, r.windowLabel),
    ...fundsSection(r.funds, r.windowLabel),
    ...(r.escalated ? escalatedSection(r.escalated) : []),
    hr(),
    ...lateSection(r.late.period, r.late.deadline, r.late.total, r.late.byUnit),
    ...lateListSection(r.late.list, r.late.total),
    hr(),
    ...stalledSection(r.stalled, r.stalledDays),
    hr(),
    ...problemsSection(r.problems),
    ...(r.letters ? lettersSection(r.letters) : []),
  ];
  if (r.targets) els.push(hr(), ...targetsSection(r.targets, r.today));
  if (r.channels) els.push(hr(), ...channelsSection(r.channels, r.windowLabel));
  els.push(hr(), ...promisingSection(r.promising, r.promisingDays));
  return els;
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
            verified: formatAmount(verified, { nil: 'none' }),
            period: periodLabel(opts.period),
            missing,
          }),
    ),
  ];
  // A list, not a six-column table: on a phone the table hid its 本月未填报 column off the right edge (issue 17).
  // Each project is two lines, the missing report first so it is never out of sight.
  const ROWS = 25;
  for (let i = 0; i < list.length; i += ROWS) {
    els.push(
      md(
        list
          .slice(i, i + ROWS)
          .map((p) =>
            t('status.centre.item', {
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
            }),
          )
          .join('\n'),
      ),
    );
  }
  return summaryCards(opts.title, opts.today, 'purple', els);
}

/** A summary's elements over as many cards as they need, the second and later titled as continuations. */
export function summaryCards(title: string, today: CalendarDate, template: 'indigo' | 'purple' | 'orange', els: Element[]): Card[] {
  return splitCards(
    (elements, part) =>
      card({
        title: part === 1 ? title : t('status.summary.continued', { title, part }),
        subtitle: t('status.card.as_of', { date: dateLabel(today) }),
        template,
        summary: title,
        elements,
      }),
    els,
  );
}
