// The answer to a status question (`/status`, plain words): the overview of a scope, or one intent of it.

import { card, hr, md, type Card, type Element, type Template } from '../lark/cards.js';
import { t } from '../text.js';
import { dateLabel } from '../words.js';
import {
  escalatedSection,
  fundsSection,
  lateListSection,
  problemsSection,
  reportingSection,
  signedListSection,
  signingsSection,
  stagesSection,
  stalledSection,
  targetsSection,
} from './sections.js';
import type { StatusData } from './view.js';

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
    if (d.escalated) els.push(...escalatedSection(d.escalated));
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
