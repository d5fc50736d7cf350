import {
  halfYearOf,
  isHalfYearEnd,
  isQuarterEnd,
  quarterOf,
  quarterPeriods,
  yearOf,
  type CalendarDate,
  type HalfYear,
  type Period,
  type Quarter,
} from '../domain/calendar.js';
import type { StallThresholds } from '../domain/progress.js';
import type { Card } from '../lark/cards.js';
import { channelRollup, funds, reporting, signings, stageCounts, targetsProgress } from '../status/figures.js';
import {
  centreList,
  escalatedProjects,
  lateProjects,
  openLetters,
  openProblems,
  promising,
  PROMISING_DAYS,
  stalled,
} from '../status/lists.js';
import { centreCards, rollupCards, type RollupData } from '../status/summary-cards.js';
import { boundGroups, loadDirectory, type Directory, type Scope } from '../status/scope.js';
import { halfYearWindow, hourInZone, last12Periods, monthWindow, quarterWindow, yearWindow, type Window } from '../status/time.js';
import { lateCutoff } from '../status/view.js';
import type { ChatGroup } from '../store/directory.js';
import { loadRules } from '../store/rules.js';
import { t } from '../text.js';
import type { Job, JobResult } from './types.js';
import { formatAmount, halfYearLabel, periodLabel, quarterLabel } from '../words.js';
import { type Deps } from '../context.js';
import { enqueueAll, type Outgoing } from '../store/messages.js';
import { deliveredTo, markDelivered } from '../store/status-recipients.js';

export const SUMMARY_HOUR = 9;

/** A group with the scope its binding gives it. */
export type Bound = { group: ChatGroup; scope: Scope };

/**
 * The period whose summary is due at `at`: the current period once the first workday after its deadline has
 * come (from 09:00 that day; later in the month catches up), else null.
 */
export function summaryPeriod(deps: Deps, at: Date): Period | null {
  const cal = deps.calendar;
  const today = cal.today(at);
  const period = cal.periodOf(today);
  const day = cal.nextWorkday(cal.deadline(period));
  if (today < day) return null;
  if (today === day && hourInZone(at, cal.timeZone) < SUMMARY_HOUR) return null;
  return period;
}

type RollupOptions = { title: string; window: Window; windowLabel: string; period: Period; today: string; thresholds: StallThresholds };

/** The roll-up of one scope over a window: every figure family, the late list of `period`, promising projects. */
export async function rollup(deps: Deps, scope: Scope, opts: RollupOptions): Promise<Card[]> {
  return rollupCards(await rollupData(deps, scope, opts));
}

/** What a roll-up shows (the year card carries the second half's inside it: jobs/assessment.ts). */
export async function rollupData(deps: Deps, scope: Scope, opts: RollupOptions): Promise<RollupData> {
  const { db, calendar } = deps;
  const { today, window, period } = opts;
  const year = yearWindow(Number(today.slice(0, 4)), today);
  const cutoff = lateCutoff(calendar, period);
  const [stages, sign, fundFigures, rep, late, stall, probs, targets, promo, escalated, letters, channels] = await Promise.all([
    stageCounts(db, scope, window),
    signings(db, scope, window, year),
    funds(db, scope, window, year, last12Periods(period)),
    reporting(db, scope, { current: period, closed: period, createdBefore: cutoff }),
    lateProjects(db, scope, { period, createdBefore: cutoff, limit: 15 }),
    stalled(db, scope, today, { thresholds: opts.thresholds, limit: 8 }),
    openProblems(db, scope, { limit: 5 }),
    targetsProgress(db, scope, year),
    promising(db, scope, today, { days: PROMISING_DAYS, limit: 8 }),
    escalatedProjects(db, scope, 8),
    openLetters(db, scope, 8),
    channelRollup(db, scope, window),
  ]);
  const days = Object.values(opts.thresholds).filter((d): d is number => typeof d === 'number');
  return {
    title: opts.title,
    scopeLabel: scope.label,
    windowLabel: opts.windowLabel,
    today,
    stages,
    signings: sign,
    funds: fundFigures,
    late: { period, deadline: calendar.deadline(period), total: rep.closed.late, byUnit: rep.closed.byUnit, list: late.list },
    stalled: stall,
    escalated,
    letters,
    stalledDays: days.length > 0 ? Math.min(...days) : 180,
    problems: probs,
    targets,
    promising: promo,
    promisingDays: PROMISING_DAYS,
    channels,
  };
}

/**
 * Sends each recipient group its cards, skipping groups a crashed run already served (job_deliveries) and
 * keyed `${job}:${key}:${chatId}` (a second card of one summary `…:2`), so nothing goes out twice.
 */
export async function deliver(
  deps: Deps,
  job: string,
  key: string,
  recipients: Bound[],
  build: (r: Bound) => Promise<Card[]>,
): Promise<{ sent: number; groups: string[] }> {
  const done = await deliveredTo(deps.db, job, key);
  let sent = 0;
  const groups: string[] = [];
  for (const r of recipients) {
    const chatId = r.group.chatId;
    if (done.has(chatId)) continue;
    const out: Outgoing[] = (await build(r)).map((c, i) => ({
      to: 'chat',
      chatId,
      content: { msgType: 'interactive', card: c },
      key: i === 0 ? `${job}:${key}:${chatId}` : `${job}:${key}:${chatId}:${i + 1}`,
    }));
    sent += await deps.db.transaction(async (tx) => {
      const added = await enqueueAll(tx, out);
      await markDelivered(tx, job, key, chatId);
      return added;
    });
    groups.push(chatId);
  }
  return { sent, groups };
}

/**
 * The groups at the top of the tree among those bound `kind`: a group whose unit lies inside another such
 * group's unit is not one of them (the chief convenor's group is the convenor group of the top unit).
 */
export function topGroups(bound: Bound[], dir: Directory, kind: 'unit' | 'convenor'): Bound[] {
  const of = bound.filter((b) => b.group.bindingKind === kind && b.group.unitId !== null);
  const path = (b: (typeof of)[number]) => dir.unitById.get(b.group.unitId!)?.path ?? '';
  return of.filter((b) => !of.some((o) => o !== b && path(o) !== path(b) && path(b).startsWith(path(o))));
}

/**
 * Monthly summary (`summary-monthly`, key 'YYYY-MM'): on the first workday after the period's deadline, each
 * group bound to a unit gets its subtree's roll-up and each chain group its chain's (with the month's late list
 * and the promising projects to push to leaders); the project-centre group gets the list of signed projects
 * ≥1亿 with their progress. Every group sees only its own binding's scope.
 */
export const summaryMonthly: Job = {
  name: 'summary-monthly',
  description: '月度汇总：截止日后第1个工作日，向单位机制群、产业链群推送本范围汇总，向项目中心群推送签约1亿元以上项目清单',
  cron: `0 ${SUMMARY_HOUR} * * *`,
  due: summaryPeriod,
  async run(deps, at, key) {
    const period = key;
    const today = deps.calendar.today(at);
    const rules = await loadRules(deps.db);
    const dir = await loadDirectory(deps.db);
    const bound = (await boundGroups(deps.db, dir, rules.centreListFen)).filter((b) =>
      ['unit', 'chain', 'centre'].includes(b.group.bindingKind ?? ''),
    );
    const window = monthWindow(period, today);
    const result = await deliver(deps, 'summary-monthly', key, bound, async ({ group, scope }) => {
      if (group.bindingKind === 'centre') {
        return centreCards({
          title: t('status.summary.centre_title', { period: periodLabel(period), scope: scope.label }),
          period,
          today,
          list: await centreList(deps.db, scope, period),
          amount: formatAmount(rules.centreListFen),
        });
      }
      return rollup(deps, scope, {
        title: t('status.summary.monthly_title', { period: periodLabel(period), scope: scope.label }),
        window,
        windowLabel: t('status.window.month'),
        period,
        today,
        thresholds: rules.stallDays as StallThresholds,
      });
    });
    return { sent: result.sent, detail: { groups: result.groups } };
  },
};

/**
 * A review over a longer window (quarter, half year): the roll-up of `period`'s window, to the groups `recipients`
 * picks among the bound ones, each titled by its scope.
 */
interface Review {
  period: Period;
  windowOf: (period: Period, today: CalendarDate) => Window;
  windowLabel: string;
  title: (scope: Scope) => string;
  recipients: (bound: Bound[], dir: Directory) => Bound[];
}

/** A review job: due when the summary period is one `keyOf` names, run as the review its key describes. */
function reviewJob(spec: {
  name: string;
  description: string;
  keyOf: (period: Period) => string | null;
  review: (key: string) => Review;
}): Job {
  return {
    name: spec.name,
    description: spec.description,
    cron: `0 ${SUMMARY_HOUR} * * *`,
    due(deps, at) {
      const period = summaryPeriod(deps, at);
      return period && spec.keyOf(period);
    },
    run: (deps, at, key) => sendReview(deps, at, spec.name, key, spec.review(key)),
  };
}

async function sendReview(deps: Deps, at: Date, job: string, key: string, opts: Review): Promise<JobResult> {
  const { period } = opts;
  const today = deps.calendar.today(at);
  const rules = await loadRules(deps.db);
  const dir = await loadDirectory(deps.db);
  const recipients = opts.recipients(await boundGroups(deps.db, dir, rules.centreListFen), dir);
  const result = await deliver(deps, job, key, recipients, ({ scope }) =>
    rollup(deps, scope, {
      title: opts.title(scope),
      window: opts.windowOf(period, today),
      windowLabel: opts.windowLabel,
      period,
      today,
      thresholds: rules.stallDays as StallThresholds,
    }),
  );
  return { sent: result.sent, detail: { groups: result.groups } };
}

function quarterOfKey(key: string): { year: number; quarter: Quarter; period: Period } {
  const year = Number(key.slice(0, 4));
  const quarter = Number(key.slice(6)) as Quarter;
  return { year, quarter, period: quarterPeriods(year, quarter)[2]! };
}

/**
 * Who gets the half-year review: the convenor group of the top unit (the chief convenor's), else the top unit group.
 * On a June or December morning these groups are due the quarter's review too; they get one card, the half-year's,
 * titled for both (issue 17: "one card when two fall on the same morning", DOMAIN.md cadence of review).
 */
function halfYearRecipients(bound: Bound[], dir: Directory): Bound[] {
  const convenors = topGroups(bound, dir, 'convenor');
  return convenors.length > 0 ? convenors : topGroups(bound, dir, 'unit');
}

/** Quarterly review (`summary-quarterly`, key 'YYYY-Qn'): after the quarter's last period closes, to every convenor group. */
export const summaryQuarterly = reviewJob({
  name: 'summary-quarterly',
  description: '季度汇总：季末月份截止日后第1个工作日，向召集人群推送本级季度汇总',
  keyOf: (period) => (isQuarterEnd(period) ? `${yearOf(period)}-Q${quarterOf(period)}` : null),
  review(key) {
    const { year, quarter, period } = quarterOfKey(key);
    return {
      period,
      windowOf: quarterWindow,
      windowLabel: t('status.window.quarter'),
      title: (scope) => t('status.summary.quarterly_title', { quarter: quarterLabel(year, quarter), scope: scope.label }),
      recipients: (bound, dir) => {
        // June only: December's second half goes out in January inside the year card (jobs/assessment.ts).
        const merged =
          isHalfYearEnd(period) && halfYearOf(period) === 1
            ? new Set(halfYearRecipients(bound, dir).map((b) => b.group.chatId))
            : new Set<string>();
        return bound.filter((b) => b.group.bindingKind === 'convenor' && !merged.has(b.group.chatId));
      },
    };
  },
});

/**
 * Half-yearly review (`summary-halfyear`, key 'YYYY-H1'): after June, to the chief convenor's group: the convenor
 * group of the top unit (or, with no convenor group, the top unit group). The second half's review waits until
 * the year has ended and goes out inside the year card (jobs/assessment.ts), not beside it: December's figures
 * are not complete around 22 December.
 */
export const summaryHalfYear = reviewJob({
  name: 'summary-halfyear',
  description: '半年汇总：6月截止日后第1个工作日，向总召集人所在的最高一级召集人群推送上半年汇总（下半年汇总随年度考核发送）',
  keyOf: (period) => (isHalfYearEnd(period) && halfYearOf(period) === 1 ? `${yearOf(period)}-H1` : null),
  review(key) {
    const year = Number(key.slice(0, 4));
    const half = Number(key.slice(6)) as HalfYear;
    return {
      period: `${key.slice(0, 4)}-${half === 1 ? '06' : '12'}`,
      windowOf: halfYearWindow,
      windowLabel: t('status.window.half'),
      // The half-year ends a quarter (Q2, Q4): its card is that quarter's review too, for the groups that get both.
      title: (scope) =>
        scope.kind === 'convenor'
          ? t('status.summary.merged_title', {
              year,
              quarter: half === 1 ? 2 : 4,
              half: t(half === 1 ? 'status.summary.half_first' : 'status.summary.half_second'),
              scope: scope.label,
            })
          : t('status.summary.halfyear_title', { half: halfYearLabel(year, half), scope: scope.label }),
      recipients: halfYearRecipients,
    };
  },
});

/** The chief convenor's group(s): the top unit's convenor group, or with none the top unit group. */
export function chiefConvenorGroups(bound: Bound[], dir: Directory): Bound[] {
  const convenors = topGroups(bound, dir, 'convenor');
  return convenors.length > 0 ? convenors : topGroups(bound, dir, 'unit');
}
