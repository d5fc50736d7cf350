// The annual assessment (`assessment-annual`, key 'YYYY' = the year assessed): on the first workday of January
// (000 一(一) "建立…考核评价机制"; 001 三.七 "健全成效考核机制"), the year card to the top mechanism group and to each
// city's, each for its own subtree; the chief convenor's group gets it with the second-half summary, which waits
// for the year to end (summaries.ts summaryHalfYear sends only the first half).

import type { StallThresholds } from '../domain/progress.js';
import { boundGroups, loadDirectory } from '../status/scope.js';
import { halfYearWindow, hourInZone } from '../status/time.js';
import { yearCards } from '../status/year-card.js';
import { yearAssessment } from '../status/year.js';
import { loadRules } from '../store/rules.js';
import { t } from '../text.js';
import { halfYearLabel } from '../words.js';
import type { Deps } from '../context.js';
import { chiefConvenorGroups, deliver, rollupData, SUMMARY_HOUR, topGroups, type Bound } from './summaries.js';
import type { Job } from './types.js';

/** The year assessed when `at` lies on or after the first workday of January (from 09:00 that day), in January. */
export function assessmentYear(deps: Deps, at: Date): string | null {
  const cal = deps.calendar;
  const today = cal.today(at);
  if (today.slice(5, 7) !== '01') return null;
  const first = cal.workdayOnOrAfter(`${today.slice(0, 4)}-01-01`);
  if (today < first) return null;
  if (today === first && hourInZone(at, cal.timeZone) < SUMMARY_HOUR) return null;
  return String(Number(today.slice(0, 4)) - 1);
}

export const assessmentAnnual: Job = {
  name: 'assessment-annual',
  description: '年度考核：1月第1个工作日，向最高一级机制群和各市机制群推送上年度考核（排名、目标完成、激励名单），总召集人群另附下半年汇总',
  cron: `0 ${SUMMARY_HOUR} * * *`,
  due: assessmentYear,
  async run(deps, at, key) {
    const year = Number(key);
    const today = deps.calendar.today(at);
    const rules = await loadRules(deps.db);
    const dir = await loadDirectory(deps.db);
    const bound = await boundGroups(deps.db, dir, rules.centreListFen);
    const unitGroups = bound.filter((b) => b.group.bindingKind === 'unit' && b.group.unitId !== null);
    const kindOf = (b: Bound) => dir.unitById.get(b.group.unitId!)?.kind;
    // The top mechanism group(s) and every city's (and a province's, when bound below the top).
    const recipients = new Map<string, Bound>();
    for (const b of [...topGroups(bound, dir, 'unit'), ...unitGroups.filter((x) => ['province', 'city'].includes(kindOf(x) ?? ''))])
      recipients.set(b.group.chatId, b);
    const chiefs = chiefConvenorGroups(bound, dir).filter((b) => b.group.unitId !== null);
    const withHalf = new Set(chiefs.map((b) => b.group.chatId));
    for (const b of chiefs) if (!recipients.has(b.group.chatId)) recipients.set(b.group.chatId, b);

    const result = await deliver(deps, 'assessment-annual', key, [...recipients.values()], async ({ group, scope }) => {
      const unit = dir.unitById.get(group.unitId!)!;
      const a = await yearAssessment(deps.db, unit, year);
      const period = `${year}-12`;
      const half = withHalf.has(group.chatId)
        ? await rollupData(deps, scope, {
            title: t('status.summary.halfyear_title', { half: halfYearLabel(year, 2), scope: scope.label }),
            window: halfYearWindow(period, `${year}-12-31`),
            windowLabel: t('status.window.half'),
            period,
            today: `${year}-12-31`,
            thresholds: rules.stallDays as StallThresholds,
          })
        : undefined;
      return yearCards(a, {
        today,
        targets: {
          trips: rules.tripsPerLeader,
          signed: rules.signedIndustrialTarget,
          landed: rules.landedTarget,
          lineFen: rules.signedIndustrialMinFen,
        },
        half,
      });
    });
    return { sent: result.sent, detail: { groups: result.groups } };
  },
};
