// Annual targets per unit and progress against time elapsed (序时进度).
//
// Defaults from seed 001 二.二 (Liaoyuan): the principal leaders of each county and the high-tech zone each lead
// outbound investment trips at least 5 times a year (每人每年带队外出招商5次以上), sign at least 5 industrial projects
// of 5000万元 or more (签约5000万元以上产业项目不少于5个), and land at least 2 (推动项目落地2个以上).
// "以上" is read as inclusive: a 5000万元 project counts.

import { wan } from './amount.js';
import { DEFAULT_INDUSTRIAL_TYPES, isIndustrialType, type ProjectType } from './classification.js';
import { daysBetween, isCalendarDate, yearOf, type CalendarDate } from './calendar.js';

export interface AnnualTargets {
  /** Outbound investment trips each leader leads per year. */
  outboundTripsPerLeader: number;
  /** Industrial projects signed per year with a contract amount of at least signedIndustrialMinFen. */
  signedIndustrialProjects: number;
  signedIndustrialMinFen: number;
  /** Projects landed per year. */
  landedProjects: number;
}

export const DEFAULT_ANNUAL_TARGETS: Readonly<AnnualTargets> = {
  outboundTripsPerLeader: 5,
  signedIndustrialProjects: 5,
  signedIndustrialMinFen: wan(5000),
  landedProjects: 2,
};

export const TARGET_METRICS = ['outbound_trips', 'signed_industrial_projects', 'landed_projects'] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];

/** A unit's annual numbers: trips scale with the number of leaders counted for the unit. */
export function unitTargets(leaderCount: number, targets: AnnualTargets = DEFAULT_ANNUAL_TARGETS): Record<TargetMetric, number> {
  if (!Number.isInteger(leaderCount) || leaderCount < 0) throw new RangeError(`leader count: ${leaderCount}`);
  return {
    outbound_trips: targets.outboundTripsPerLeader * leaderCount,
    signed_industrial_projects: targets.signedIndustrialProjects,
    landed_projects: targets.landedProjects,
  };
}

/**
 * Whether a signed project counts toward the signed-industrial-projects target: a type that counts as 产业项目
 * (a rules setting, default 工业 and 生产性服务业) with a contract at or above the line.
 */
export function countsTowardSignedTarget(
  project: { type: ProjectType; contractFen: number | null },
  targets: AnnualTargets = DEFAULT_ANNUAL_TARGETS,
  industrialTypes: readonly ProjectType[] = DEFAULT_INDUSTRIAL_TYPES,
): boolean {
  return (
    isIndustrialType(project.type, industrialTypes) && project.contractFen !== null && project.contractFen >= targets.signedIndustrialMinFen
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Time elapsed

function yearLength(year: number): number {
  return daysBetween(`${String(year).padStart(4, '0')}-01-01`, `${String(year + 1).padStart(4, '0')}-01-01`);
}

/** Days of the year completed at the end of `date`, and the year's length: 2026-01-01 → 1/365, 2026-12-31 → 365/365. */
export function yearElapsed(date: CalendarDate): { days: number; daysInYear: number } {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${String(date)}`);
  const year = yearOf(date);
  return { days: daysBetween(`${date.slice(0, 4)}-01-01`, date) + 1, daysInYear: yearLength(year) };
}

/** Share of the year elapsed at the end of `date` (0 < share ≤ 1). */
export function yearElapsedShare(date: CalendarDate): number {
  const { days, daysInYear } = yearElapsed(date);
  return days / daysInYear;
}

export type TargetStatus = 'red' | 'amber' | 'green';

export interface StatusThresholds {
  /** Amber from this share of the expected-by-now value (default 0.7); red below. */
  amberRatio: number;
  /**
   * Round expected-by-now down to whole units (a project cannot be half signed): with 2 landings a year nothing is
   * expected before 2 July. Default false: exact pro-rata.
   */
  wholeUnits: boolean;
}

export const DEFAULT_STATUS_THRESHOLDS: Readonly<StatusThresholds> = { amberRatio: 0.7, wholeUnits: false };

export interface TargetProgress {
  status: TargetStatus;
  actual: number;
  annual: number;
  /** Annual target × share of the year elapsed (rounded down with wholeUnits). */
  expected: number;
  /** actual / annual (1 when the annual target is 0). */
  completion: number;
  /** Share of the year elapsed. */
  elapsed: number;
}

/**
 * Progress against time elapsed: green when actual ≥ expected-by-now, amber when ≥ amberRatio × expected, red below.
 * Reaching the annual target is always green.
 */
export function targetProgress(
  actual: number,
  annual: number,
  date: CalendarDate,
  thresholds: Partial<StatusThresholds> = {},
): TargetProgress {
  const { amberRatio, wholeUnits } = { ...DEFAULT_STATUS_THRESHOLDS, ...thresholds };
  if (!(actual >= 0) || !(annual >= 0)) throw new RangeError(`target values must be non-negative: ${actual}/${annual}`);
  if (!(amberRatio >= 0 && amberRatio <= 1)) throw new RangeError(`amberRatio must be within 0..1: ${amberRatio}`);
  const { days, daysInYear } = yearElapsed(date);
  const exact = (annual * days) / daysInYear;
  const expected = wholeUnits ? Math.floor(exact) : exact;
  let status: TargetStatus;
  // Compare green without division where possible: actual·daysInYear ≥ annual·days is exact for whole numbers.
  const onPace = wholeUnits ? actual >= expected : actual * daysInYear >= annual * days;
  if (onPace || actual >= annual) status = 'green';
  else if (actual >= amberRatio * expected - 1e-9)
    status = 'amber'; // tolerance: 0.7 × 10 must not miss 7
  else status = 'red';
  return {
    status,
    actual,
    annual,
    expected,
    completion: annual === 0 ? 1 : actual / annual,
    elapsed: days / daysInYear,
  };
}

/** Just the colour. */
export function targetStatus(actual: number, annual: number, date: CalendarDate, thresholds: Partial<StatusThresholds> = {}): TargetStatus {
  return targetProgress(actual, annual, date, thresholds).status;
}
