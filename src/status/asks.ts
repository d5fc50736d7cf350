// Answers to questions that ask for more than a status card: who has not reported (names, by unit) and how many
// projects meet a filter (`亿元以上项目有多少`, `落地了几个`), each inside the asker's scope.

import { REPORTING_STAGES } from '../domain/reporting.js';
import { FEN_PER_WAN } from '../domain/amount.js';
import { card, md, note, type Card } from '../lark/cards.js';
import type { Db } from '../store/db.js';
import { matchingProjects } from '../store/status-lists.js';
import { t } from '../text.js';
import { dateLabel, formatAmount, periodLabel, stageLabel } from '../words.js';
import { lateProjects } from './lists.js';
import type { Scope } from './scope.js';
import type { StatusOptions } from './view.js';
import type { Ask } from './match.js';

/** How many names a reply lists before "and n more". */
const MAX_NAMES = 200;

/**
 * Who has not reported for the current period, by unit (the first-talk unit that answers for the report):
 * `东丰县商务局：吴磊（3 个）`. Plain text: it goes out as a text message.
 */
export async function notReportedText(db: Db, scope: Scope, opts: StatusOptions): Promise<string> {
  const period = opts.calendar.periodOf(opts.today);
  const deadline = opts.calendar.deadline(period);
  // Every project of the scope that owes this period's report, whenever it was created.
  const { total, list } = await lateProjects(db, scope, { period, createdBefore: new Date('9999-12-31T00:00:00Z'), limit: MAX_NAMES });
  const head = { scope: scope.label, period: periodLabel(period), deadline: dateLabel(deadline) };
  if (total === 0) return t('status.ask.all_reported', head);
  const byUnit = new Map<string, Map<string, number>>();
  for (const p of list) {
    const unit = p.unitName ?? t('status.ask.no_unit');
    const owner = p.ownerName ?? t('status.ask.no_owner');
    const owners = byUnit.get(unit) ?? new Map<string, number>();
    owners.set(owner, (owners.get(owner) ?? 0) + 1);
    byUnit.set(unit, owners);
  }
  const people = new Set(list.map((p) => p.ownerName ?? ''));
  const lines = [...byUnit].map(([unit, owners]) =>
    t('status.ask.unit_line', {
      unit,
      owners: [...owners].map(([name, n]) => t('status.ask.owner', { name, count: n })).join(t('status.list_sep')),
    }),
  );
  return [
    t('status.ask.not_reported_head', head),
    ...lines,
    t('status.ask.not_reported_total', { projects: total, people: people.size }),
    ...(total > list.length ? [t('status.ask.more', { count: total - list.length })] : []),
  ].join('\n');
}

/** `亿元以上项目有多少`, `东丰县落地项目有多少`: the count and the largest projects, in the asker's scope. */
export async function countCard(db: Db, scope: Scope, ask: Extract<Ask, { kind: 'count' }>): Promise<Card> {
  const stages = ask.stage ? [ask.stage] : REPORTING_STAGES;
  const minFen = ask.minWan === undefined ? undefined : ask.minWan * FEN_PER_WAN;
  const { total, list } = await matchingProjects(db, scope, { stages, minFen, limit: 15 });
  const filter = [
    ...(minFen !== undefined ? [t('status.ask.min', { amount: formatAmount(minFen) })] : []),
    ...(ask.stage ? [t('status.ask.stage', { stage: stageLabel(ask.stage) })] : []),
  ].join(t('status.list_sep'));
  return card({
    title: t('status.ask.count_title', { scope: scope.label, filter }),
    template: 'blue',
    elements: [
      md(t('status.ask.count', { count: total })),
      ...(list.length > 0
        ? [
            md(
              list
                .map((p) =>
                  t('status.ask.count_line', {
                    name: p.name,
                    code: p.code,
                    stage: stageLabel(p.stage),
                    amount: p.amountFen === null ? t('common.none') : formatAmount(p.amountFen),
                    unit: p.unitName ?? t('common.none'),
                  }),
                )
                .join('\n'),
            ),
          ]
        : []),
      ...(total > list.length ? [note(t('status.ask.more', { count: total - list.length }))] : []),
      note(t('status.ask.count_hint')),
    ],
  });
}
