// Substantive progress (实质性进展) and project ageing.
//
// Not any activity counts: a stage advance, a signed agreement, money arrived, a site visit by the investor's
// decision-maker, a land or an approval milestone. A "no change this month" report keeps the project current but does
// not reset its ageing clock (DOMAIN.md; seed 000 三(一): negotiation with no substantive progress for over half a
// year may be offered to another region).

import { daysBetween, type CalendarDate } from './calendar.js';
import { transitionKind, type StageId } from './stages.js';

export const PROGRESS_KINDS = [
  'stage_advance',
  'signed',
  'funds_arrived',
  'decision_maker_visit',
  'land_milestone',
  'approval_milestone',
] as const;
export type ProgressKind = (typeof PROGRESS_KINDS)[number];

/** The facts of one monthly report that bear on progress. */
export interface ReportFacts {
  /** "No change this month": never substantive, whatever else is set. */
  noChange?: boolean;
  /** Stage before and after the report, when the report moves the project. */
  stageFrom?: StageId | null;
  stageTo?: StageId | null;
  /** An agreement (framework, investment or supplementary contract) was signed this period. */
  agreementSigned?: boolean;
  /** Money reported as arrived in this report, in fen (a fund entry). */
  fundsArrivedFen?: number | null;
  /** The investor's decision-maker visited the site. */
  decisionMakerVisit?: boolean;
  /** Land milestone: land secured, listed, transferred (土地摘牌/供地) etc. */
  landMilestone?: boolean;
  /** Approval milestone: project filing, EIA, construction permit etc. */
  approvalMilestone?: boolean;
}

/** The kinds of substantive progress a report shows, in PROGRESS_KINDS order; empty for a "no change" report. */
export function progressKinds(report: ReportFacts): ProgressKind[] {
  if (report.noChange) return [];
  const kinds = new Set<ProgressKind>();
  const { stageFrom, stageTo } = report;
  if (stageFrom && stageTo && transitionKind(stageFrom, stageTo) === 'forward') {
    kinds.add('stage_advance');
    // Arriving at signed, or jumping past it to landed, means the agreement was signed.
    if (stageTo === 'signed' || (stageTo === 'landed' && stageFrom !== 'signed')) kinds.add('signed');
  }
  if (report.agreementSigned) kinds.add('signed');
  if (typeof report.fundsArrivedFen === 'number' && report.fundsArrivedFen > 0) kinds.add('funds_arrived');
  if (report.decisionMakerVisit) kinds.add('decision_maker_visit');
  if (report.landMilestone) kinds.add('land_milestone');
  if (report.approvalMilestone) kinds.add('approval_milestone');
  return PROGRESS_KINDS.filter((k) => kinds.has(k));
}

/**
 * Whether the kinds a report shows restart the ageing clock. Money reported as arrived is not yet progress: it
 * waits for the checking role (核查, seed 002: 到位资金 checked by the 到位资金审核专项工作组 under a written
 * standard) and moves the clock only when verified (store/funds.ts); a report of funds alone does not.
 */
export function movesAgeingClock(kinds: readonly ProgressKind[]): boolean {
  return kinds.some((k) => k !== 'funds_arrived');
}

export function isSubstantive(report: ReportFacts): boolean {
  return progressKinds(report).length > 0;
}

/** The project's last-progress date after a report made on reportDate. */
export function lastProgressAfter(previous: CalendarDate | null, report: ReportFacts, reportDate: CalendarDate): CalendarDate | null {
  if (!movesAgeingClock(progressKinds(report))) return previous;
  return previous !== null && previous > reportDate ? previous : reportDate;
}

/** Calendar days from the last substantive progress to today (0 on the same day). */
export function daysSinceProgress(lastProgressDate: CalendarDate, today: CalendarDate): number {
  return daysBetween(lastProgressDate, today);
}

/** Days without substantive progress after which a project in the stage is stalled; other stages never stall. */
export type StallThresholds = Partial<Record<StageId, number>>;

export const DEFAULT_STALL_THRESHOLDS: Readonly<StallThresholds> = { negotiating: 180, intent: 180 };

/** Stalled once the days since progress reach the stage's threshold (180 days: warned on day 180). */
export function isStalled(
  stage: StageId,
  lastProgressDate: CalendarDate,
  today: CalendarDate,
  thresholds: StallThresholds = DEFAULT_STALL_THRESHOLDS,
): boolean {
  const limit = thresholds[stage];
  if (limit === undefined) return false;
  return daysSinceProgress(lastProgressDate, today) >= limit;
}
