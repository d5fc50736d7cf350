// The figures of a scope: stages, signings, funds, reporting and targets. What counts and how it is grouped is
// decided here; store/status-figures.ts and store/status-targets.ts run one set-based query per family.

import type { Period } from '../domain/calendar.js';
import { STAGES, type StageId } from '../domain/stages.js';
import type { Db, Tx } from '../store/db.js';
import { REPORTING_STAGES } from '../store/projects.js';
import { fundMonthRows, reportingRows, signingTotals, stageRows, type Tally } from '../store/status-figures.js';
import { leaderTripRows, targetProgressRows } from '../store/status-targets.js';
import { fundsArrivedIn, type FundsArrived } from '../store/funds.js';
import { loadRules } from '../store/rules.js';
import type { Rules } from '../domain/rules.js';
import { channelRollupRows, officeRollupRows, type ChannelRollupRow, type OfficeRollupRow } from '../store/status-channels.js';
import { targetUnitPaths, type Scope } from './scope.js';
import type { Window } from './time.js';

type Q = Db | Tx;

export type { Tally };

// ---------------------------------------------------------------------------------------------------------------
// Stages

export interface StageCount {
  stage: StageId;
  count: number;
  /** Entered the stage within the window ("new this month"). */
  entered: number;
}

/** Every stage, in the lifecycle's order, including those with no project. */
export async function stageCounts(q: Q, scope: Scope, window: Window): Promise<StageCount[]> {
  const by = new Map((await stageRows(q, scope, window)).map((r) => [r.stage, r]));
  return STAGES.map((stage) => ({ stage, count: by.get(stage)?.count ?? 0, entered: by.get(stage)?.entered ?? 0 }));
}

// ---------------------------------------------------------------------------------------------------------------
// Signings

export interface Signings {
  window: Tally;
  year: Tally;
}

/** Projects signed (signing date) within the window and within the year, with their contract amounts. */
export function signings(q: Q, scope: Scope, window: Window, year: Window): Promise<Signings> {
  return signingTotals(q, scope, window, year);
}

// ---------------------------------------------------------------------------------------------------------------
// Funds

export interface FundsFigures {
  /** Verified entries dated within the window / the year; reported-unverified ones apart. Rejected never count. */
  window: { verifiedFen: number; reportedFen: number };
  year: { verifiedFen: number; reportedFen: number };
  /** Verified per month for the given periods, oldest first. */
  months: { period: Period; verifiedFen: number; reportedFen: number }[];
  /**
   * The year's figure by the recognition rule (认定口径, rules.funds; seed 002's "市外1000万元以上有资金到位的项目…"):
   * the number of projects with verified money in and its sum, with the rule it used.
   */
  recognised: FundsArrived;
  /** The same rule's figure for the window (this month, last week): what the 到位资金 lines show, naming the rule. */
  recognisedWindow: FundsArrived;
}

/** Fund entries of the scope's projects, grouped by month and status in one pass over the date range. */
export async function funds(q: Q, scope: Scope, window: Window, year: Window, periods: Period[], rules?: Rules): Promise<FundsFigures> {
  const firstMonth = periods.length > 0 ? `${periods[0]}-01` : year.from;
  const from = [window.from, year.from, firstMonth].sort()[0]!;
  const to = [window.to, year.to].sort()[1]!;
  // The month rows and the rule's figures side by side; the year's figure and the window's in one pass.
  const [rows, [recognised, recognisedWindow]] = await Promise.all([
    fundMonthRows(q, scope, { from, to }, window),
    (rules ? Promise.resolve(rules) : loadRules(q)).then(
      (r) => fundsArrivedIn(q, scope, [year, window], r.funds) as Promise<[FundsArrived, FundsArrived]>,
    ),
  ]);
  const out: FundsFigures = {
    recognised,
    recognisedWindow,
    window: { verifiedFen: 0, reportedFen: 0 },
    year: { verifiedFen: 0, reportedFen: 0 },
    months: periods.map((period) => ({ period, verifiedFen: 0, reportedFen: 0 })),
  };
  const byPeriod = new Map(out.months.map((m) => [m.period, m]));
  const yearFrom = year.from.slice(0, 7);
  const yearTo = year.to.slice(0, 7);
  for (const r of rows) {
    const key = r.status === 'verified' ? 'verifiedFen' : 'reportedFen';
    out.window[key] += r.inWindow;
    // The year window starts on the 1st of a month and ends on `to`, which bounds the query: whole groups count.
    if (r.period >= yearFrom && r.period <= yearTo) out.year[key] += r.fen;
    const m = byPeriod.get(r.period);
    if (m) m[key] += r.fen;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting: this period's progress and the last closed period's late list

export interface UnitCount {
  unitId: number | null;
  unitName: string;
  count: number;
}

export interface Reporting {
  current: { period: Period; total: number; reported: number };
  closed: { period: Period; late: number; byUnit: UnitCount[] };
}

/** Most first, then by name in Chinese collation: the order every by-unit list is shown in. */
export function byCountThenName(a: UnitCount, b: UnitCount): number {
  return b.count - a.count || a.unitName.localeCompare(b.unitName, 'zh');
}

/**
 * Reporting projects (the five databases) of the scope: how many reported for `current`, and how many have no
 * report for `closed` (whose deadline has passed), by first-talk unit (the unit that reports, 001 三.二).
 * Projects created after the closed period's deadline are not late for it (`createdBefore`).
 */
export async function reporting(q: Q, scope: Scope, opts: { current: Period; closed: Period; createdBefore: Date }): Promise<Reporting> {
  const rows = await reportingRows(q, scope, { stages: REPORTING_STAGES, ...opts });
  const byUnit = rows
    .filter((r) => r.late > 0)
    .map((r) => ({ unitId: r.unitId, unitName: r.unitName ?? '', count: r.late }))
    .sort(byCountThenName);
  return {
    current: {
      period: opts.current,
      total: rows.reduce((s, r) => s + r.total, 0),
      reported: rows.reduce((s, r) => s + r.reported, 0),
    },
    closed: { period: opts.closed, late: rows.reduce((s, r) => s + r.late, 0), byUnit },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Targets

export interface TargetRow {
  unitId: number;
  unitName: string;
  /** Annual numbers: trips are per leader (targets.trips) × the unit's leaders (at least one). */
  annual: { trips: number; signedBig: number; landed: number };
  actual: { trips: number; signedBig: number; landed: number };
  /** Each leader's own trips this year; the per-leader target is `tripsPerLeader`. */
  leaders: { personId: number; name: string; trips: number }[];
  tripsPerLeader: number;
}

/**
 * Annual targets of the units inside the scope, and what they did this year so far: trips led by the unit's own
 * leaders (recorded for the unit itself, never for a unit under it); projects of a 产业项目 type at or above the
 * rules' line signed, and projects landed, whose host or first-talk unit lies in its subtree. Null for scopes not
 * made of unit subtrees (targets are per unit, not per chain or owner).
 */
export async function targetsProgress(q: Q, scope: Scope, year: Window, given?: Rules): Promise<TargetRow[] | null> {
  const paths = targetUnitPaths(scope);
  if (!paths) return null;
  const rules = given ?? (await loadRules(q));
  const rows = await targetProgressRows(q, paths, year, {
    industrialTypes: rules.industrialTypes,
    signedMinFen: rules.signedIndustrialMinFen,
  });
  const leaders = await leaderTripRows(
    q,
    rows.map((r) => r.unitId),
    year,
  );
  return rows.map((r) => ({
    unitId: r.unitId,
    unitName: r.unitName,
    annual: { trips: r.trips * Math.max(1, r.leaders), signedBig: r.signedBig, landed: r.landed },
    actual: { trips: r.tripsDone, signedBig: r.signedBigDone, landed: r.landedDone },
    leaders: leaders.filter((l) => l.unitId === r.unitId).map(({ personId, name, trips }) => ({ personId, name, trips })),
    tripsPerLeader: r.trips,
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Channels

/** The scope's projects by source channel and by outside office, with what each brought within the window. */
export async function channelRollup(
  q: Q,
  scope: Scope,
  window: Window,
): Promise<{ channels: ChannelRollupRow[]; offices: OfficeRollupRow[] }> {
  const [channels, offices] = await Promise.all([channelRollupRows(q, scope, window), officeRollupRows(q, scope, window)]);
  return { channels, offices };
}
