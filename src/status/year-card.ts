// The year card (年度考核): the assessment's tables as the .xlsx has them, the incentive tally, the year's roll-up by
// channel, and for the chief convenor's group the second-half summary, which waits for the year to end.

import { formatAmount } from '../words.js';
import { hr, md, type Card, type Element } from '../lark/cards.js';
import { joinMarkup, t } from '../text.js';
import { channelsSection, recordLines } from './sections.js';
import { rollupElements, summaryCards, type RollupData } from './summary-cards.js';
import { yearTables, type YearAssessment } from './year.js';

export function yearCards(
  a: YearAssessment,
  opts: {
    today: string;
    targets: { trips: number; signed: number; landed: number; lineFen: number };
    /** The second half's roll-up, for the chief convenor's group: part of the year card, not a card beside it. */
    half?: RollupData;
  },
): Card[] {
  const [counties, departments] = yearTables(a);
  const els: Element[] = [
    md(
      t('year.intro', {
        year: a.year,
        trips: opts.targets.trips,
        line: formatAmount(opts.targets.lineFen),
        signed: opts.targets.signed,
        landed: opts.targets.landed,
      }),
    ),
    md(t('year.section.counties')),
    ...tableOf(counties!),
    hr(),
  ];
  if (departments!.rows.length === 0) els.push(md(t('year.section.departments_none')));
  else els.push(md(t('year.section.departments')), ...tableOf(departments!));
  els.push(
    md(
      a.incentive.length === 0
        ? t('year.section.incentive_none', { amount: formatAmount(a.incentiveFen) })
        : t('year.section.incentive', {
            amount: formatAmount(a.incentiveFen),
            count: a.incentive.length,
            names: joinMarkup(
              a.incentive.map((d) => d.name),
              t('year.sep'),
            ),
          }),
    ),
    hr(),
    ...channelsSection(a.channels, t('status.window.year')),
  );
  if (opts.half)
    els.push(hr(), md(t('year.section.halfyear', { year: a.year, scope: opts.half.scopeLabel })), ...rollupElements(opts.half));
  return summaryCards(t('year.title', { year: a.year, scope: a.scopeLabel }), opts.today, 'orange', els);
}

/**
 * Every row of a sheet as one item (rank and name first, then each figure under it after its column's name): the sheets
 * have up to eleven columns, which no phone shows as a table (issue 17). The .xlsx keeps them as tables.
 */
function tableOf(tb: { header: string[]; rows: string[][] }): Element[] {
  // Nine figures a unit: one a line under its rank and name, so that none breaks mid-number on a phone.
  return recordLines(tb.header, tb.rows, 2, { stacked: true });
}
