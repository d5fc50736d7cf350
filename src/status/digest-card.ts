// The weekly digest a unit or department lead gets in p2p (jobs/digest.ts gathers it).

import { type CalendarDate } from '../domain/calendar.js';
import { card, hr, md, type Card, type Element } from '../lark/cards.js';
import { t } from '../text.js';
import { formatAmount, dateLabel, fundsRuleLine, stageLabel } from '../words.js';
import type { FundsFigures, Signings, UnitCount } from './figures.js';
import type { OpenProblem, SignedProject, StageMove } from './lists.js';
import { lateSection, lines, problemLines, signedListSection } from './sections.js';

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
  // The week's dates are in the subtitle, once.
  els.push(hr(), md(t('status.digest.changes')));
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
      t('status.digest.funds_by_rule', {
        window: week,
        verified: formatAmount(d.funds.recognisedWindow.amountFen),
        rule: fundsRuleLine(d.funds.recognisedWindow.rule),
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
