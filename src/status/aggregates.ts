// The figures of a scope, computed in SQL: one grouped, set-based query per figure family, never one per project
// or per unit. Each takes the scope's condition on `projects` (scope.ts) and calendar days ('YYYY-MM-DD').

import { and, asc, between, desc, eq, gte, inArray, isNull, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { fundEntries, people, problems, projects, reports, stageHistory, units } from '../../db/schema.js';
import { addDays, type CalendarDate, type Period } from '../domain/calendar.js';
import { DEFAULT_STALL_THRESHOLDS, daysSinceProgress, isStalled, type StallThresholds } from '../domain/progress.js';
import { STAGES, type StageId } from '../domain/stages.js';
import { DEFAULT_ANNUAL_TARGETS } from '../domain/targets.js';
import type { Db, Tx } from '../store/db.js';
import { REPORTING_STAGES } from '../store/projects.js';
import { scopeCondition, targetUnitPaths, type Scope } from './scope.js';
import type { Window } from './time.js';

type Q = Db | Tx;

const int = (e: SQL) => sql<number>`${e}`.mapWith(Number);
const count = (filter?: SQL) => (filter ? int(sql`count(*) filter (where ${filter})`) : int(sql`count(*)`));
const sumFen = (col: SQL | typeof projects.contractAmountFen | typeof fundEntries.amountFen, filter?: SQL) =>
  filter ? int(sql`coalesce(sum(${col}) filter (where ${filter}), 0)`) : int(sql`coalesce(sum(${col}), 0)`);

/** The day a project last made substantive progress; projects without one age from entering their stage. */
const progressDay = sql`coalesce(${projects.lastProgressOn}, ${projects.stageEnteredOn}, ${projects.createdAt}::date)`;

function rowsOf<T>(res: unknown): T[] {
  return ((res as { rows?: T[] }).rows ?? (res as T[])) as T[];
}

// ---------------------------------------------------------------------------------------------------------------
// Stages

export interface StageCount {
  stage: StageId;
  count: number;
  /** Entered the stage within the window ("new this month"). */
  entered: number;
}

export async function stageCounts(q: Q, scope: Scope, window: Window): Promise<StageCount[]> {
  const rows = await q
    .select({
      stage: projects.stage,
      count: count(),
      entered: count(sql`${projects.stageEnteredOn} between ${window.from} and ${window.to}`),
    })
    .from(projects)
    .where(scopeCondition(scope))
    .groupBy(projects.stage);
  const by = new Map(rows.map((r) => [r.stage, r]));
  return STAGES.map((stage) => ({ stage, count: by.get(stage)?.count ?? 0, entered: by.get(stage)?.entered ?? 0 }));
}

// ---------------------------------------------------------------------------------------------------------------
// Signings

export interface Tally {
  count: number;
  fen: number;
}

export interface Signings {
  window: Tally;
  year: Tally;
}

/** Projects signed (signing date) within the window and within the year, with their contract amounts. */
export async function signings(q: Q, scope: Scope, window: Window, year: Window): Promise<Signings> {
  const inWindow = sql`${projects.signedOn} between ${window.from} and ${window.to}`;
  const inYear = sql`${projects.signedOn} between ${year.from} and ${year.to}`;
  const from = window.from < year.from ? window.from : year.from;
  const to = window.to > year.to ? window.to : year.to;
  const [r] = await q
    .select({
      wCount: count(inWindow),
      wFen: sumFen(projects.contractAmountFen, inWindow),
      yCount: count(inYear),
      yFen: sumFen(projects.contractAmountFen, inYear),
    })
    .from(projects)
    .where(and(scopeCondition(scope), between(projects.signedOn, from, to)));
  return { window: { count: r?.wCount ?? 0, fen: r?.wFen ?? 0 }, year: { count: r?.yCount ?? 0, fen: r?.yFen ?? 0 } };
}

export interface SignedProject {
  id: number;
  name: string;
  signedOn: string;
  contractFen: number | null;
  unitName: string | null;
}

export async function signedList(q: Q, scope: Scope, window: Window, limit = 10): Promise<SignedProject[]> {
  const host = alias(units, 'host');
  return q
    .select({
      id: projects.id,
      name: projects.name,
      signedOn: sql<string>`${projects.signedOn}::text`,
      contractFen: projects.contractAmountFen,
      unitName: host.name,
    })
    .from(projects)
    .leftJoin(host, eq(host.id, projects.hostUnitId))
    .where(and(scopeCondition(scope), between(projects.signedOn, window.from, window.to)))
    .orderBy(desc(projects.signedOn), asc(projects.id))
    .limit(limit);
}

// ---------------------------------------------------------------------------------------------------------------
// Funds

export interface FundsFigures {
  /** Verified entries dated within the window / the year; reported-unverified ones apart. Rejected never count. */
  window: { verifiedFen: number; reportedFen: number };
  year: { verifiedFen: number; reportedFen: number };
  /** Verified per month for the given periods, oldest first. */
  months: { period: Period; verifiedFen: number; reportedFen: number }[];
}

/** Fund entries of the scope's projects, grouped by month and status in one pass over the date range. */
export async function funds(q: Q, scope: Scope, window: Window, year: Window, periods: Period[]): Promise<FundsFigures> {
  const firstMonth = periods.length > 0 ? `${periods[0]}-01` : year.from;
  const from = [window.from, year.from, firstMonth].sort()[0]!;
  const to = [window.to, year.to].sort()[1]!;
  const month = sql<string>`to_char(${fundEntries.entryDate}, 'YYYY-MM')`;
  const rows = await q
    .select({
      period: month,
      status: fundEntries.status,
      fen: sumFen(fundEntries.amountFen),
      inWindow: sumFen(fundEntries.amountFen, sql`${fundEntries.entryDate} between ${window.from} and ${window.to}`),
    })
    .from(fundEntries)
    .innerJoin(projects, eq(projects.id, fundEntries.projectId))
    .where(and(scopeCondition(scope), between(fundEntries.entryDate, from, to), ne(fundEntries.status, 'rejected')))
    .groupBy(month, fundEntries.status);
  const out: FundsFigures = {
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

/**
 * Reporting projects (the five databases) of the scope: how many reported for `current`, and how many have no
 * report for `closed` (whose deadline has passed), by first-talk unit (the unit that reports, 001 三.二).
 * Projects created after the closed period's deadline are not late for it (`createdBefore`).
 */
export async function reporting(q: Q, scope: Scope, opts: { current: Period; closed: Period; createdBefore: Date }): Promise<Reporting> {
  const rc = alias(reports, 'rc');
  const rl = alias(reports, 'rl');
  const u = alias(units, 'ru');
  const unitId = sql<number | null>`coalesce(${projects.firstTalkUnitId}, ${projects.hostUnitId})`;
  const lateCond = sql`${rl.id} is null and ${projects.createdAt} < ${opts.createdBefore.toISOString()}::timestamptz`;
  const rows = await q
    .select({
      unitId,
      unitName: sql<string | null>`min(${u.name})`,
      total: count(),
      reported: int(sql`count(${rc.id})`),
      late: count(lateCond),
    })
    .from(projects)
    .leftJoin(rc, and(eq(rc.projectId, projects.id), eq(rc.period, opts.current)))
    .leftJoin(rl, and(eq(rl.projectId, projects.id), eq(rl.period, opts.closed)))
    .leftJoin(u, sql`${u.id} = coalesce(${projects.firstTalkUnitId}, ${projects.hostUnitId})`)
    .where(and(scopeCondition(scope), inArray(projects.stage, [...REPORTING_STAGES])))
    .groupBy(unitId);
  const byUnit = rows
    .filter((r) => r.late > 0)
    .map((r) => ({ unitId: r.unitId === null ? null : Number(r.unitId), unitName: r.unitName ?? '', count: r.late }))
    .sort((a, b) => b.count - a.count || a.unitName.localeCompare(b.unitName, 'zh'));
  return {
    current: {
      period: opts.current,
      total: rows.reduce((s, r) => s + r.total, 0),
      reported: rows.reduce((s, r) => s + r.reported, 0),
    },
    closed: { period: opts.closed, late: rows.reduce((s, r) => s + r.late, 0), byUnit },
  };
}

export interface LateProject {
  id: number;
  name: string;
  unitName: string | null;
  ownerName: string | null;
}

/** The late projects themselves (for the overdue view and the summaries), first-talk unit then code order. */
export async function lateProjects(
  q: Q,
  scope: Scope,
  opts: { period: Period; createdBefore: Date; limit?: number },
): Promise<{ total: number; list: LateProject[] }> {
  const u = alias(units, 'lu');
  const rows = await q
    .select({
      id: projects.id,
      name: projects.name,
      unitName: u.name,
      ownerName: people.name,
      total: int(sql`count(*) over ()`),
    })
    .from(projects)
    .leftJoin(reports, and(eq(reports.projectId, projects.id), eq(reports.period, opts.period)))
    .leftJoin(u, sql`${u.id} = coalesce(${projects.firstTalkUnitId}, ${projects.hostUnitId})`)
    .leftJoin(people, eq(people.id, projects.ownerId))
    .where(
      and(
        scopeCondition(scope),
        inArray(projects.stage, [...REPORTING_STAGES]),
        isNull(reports.id),
        sql`${projects.createdAt} < ${opts.createdBefore.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(asc(u.path), asc(projects.code))
    .limit(opts.limit ?? 15);
  return { total: rows[0]?.total ?? 0, list: rows.map(({ total: _t, ...r }) => r) };
}

// ---------------------------------------------------------------------------------------------------------------
// Stalled projects

export interface StalledProject {
  id: number;
  name: string;
  stage: StageId;
  unitName: string | null;
  days: number;
}

/**
 * Projects without substantive progress for at least their stage's threshold (domain/progress isStalled: 180
 * days in 洽谈/意向 by default), oldest first, with the total.
 */
export async function stalled(
  q: Q,
  scope: Scope,
  today: CalendarDate,
  opts: { thresholds?: StallThresholds; limit?: number } = {},
): Promise<{ total: number; list: StalledProject[] }> {
  const thresholds = opts.thresholds ?? DEFAULT_STALL_THRESHOLDS;
  const byStage = (Object.entries(thresholds) as [StageId, number][]).filter(([, d]) => Number.isInteger(d));
  if (byStage.length === 0) return { total: 0, list: [] };
  const cond = or(...byStage.map(([stage, days]) => and(eq(projects.stage, stage), sql`${progressDay} <= ${addDays(today, -days)}`)))!;
  const host = alias(units, 'sh');
  const rows = await q
    .select({
      id: projects.id,
      name: projects.name,
      stage: projects.stage,
      unitName: host.name,
      since: sql<string>`${progressDay}::text`,
      total: int(sql`count(*) over ()`),
    })
    .from(projects)
    .leftJoin(host, eq(host.id, projects.hostUnitId))
    .where(and(scopeCondition(scope), cond))
    .orderBy(asc(progressDay), asc(projects.id))
    .limit(opts.limit ?? 10);
  const list = rows
    .filter((r) => isStalled(r.stage, r.since, today, thresholds))
    .map((r) => ({ id: r.id, name: r.name, stage: r.stage, unitName: r.unitName, days: daysSinceProgress(r.since, today) }));
  return { total: rows[0]?.total ?? 0, list };
}

// ---------------------------------------------------------------------------------------------------------------
// Open problems

export interface OpenProblem {
  id: number;
  projectName: string;
  category: string;
  description: string;
  unitName: string | null;
  raisedOn: string;
}

/** Open problems of the scope's projects by the unit that must act, and the oldest few. */
export async function openProblems(
  q: Q,
  scope: Scope,
  opts: { limit?: number; mustActPath?: string } = {},
): Promise<{ total: number; byUnit: UnitCount[]; list: OpenProblem[] }> {
  const mu = alias(units, 'mu');
  const where = and(
    eq(problems.open, true),
    scopeCondition(scope),
    opts.mustActPath ? sql`${mu.path} like ${opts.mustActPath + '%'}` : undefined,
  );
  const grouped = await q
    .select({ unitId: problems.mustActUnitId, unitName: sql<string | null>`min(${mu.name})`, count: count() })
    .from(problems)
    .innerJoin(projects, eq(projects.id, problems.projectId))
    .leftJoin(mu, eq(mu.id, problems.mustActUnitId))
    .where(where)
    .groupBy(problems.mustActUnitId);
  const byUnit = grouped
    .map((r) => ({ unitId: r.unitId, unitName: r.unitName ?? '', count: r.count }))
    .sort((a, b) => b.count - a.count || a.unitName.localeCompare(b.unitName, 'zh'));
  const total = byUnit.reduce((s, r) => s + r.count, 0);
  const limit = opts.limit ?? 0;
  const list =
    limit > 0 && total > 0
      ? await q
          .select({
            id: problems.id,
            projectName: projects.name,
            category: sql<string>`${problems.category}::text`,
            description: problems.description,
            unitName: mu.name,
            raisedOn: sql<string>`${problems.raisedOn}::text`,
          })
          .from(problems)
          .innerJoin(projects, eq(projects.id, problems.projectId))
          .leftJoin(mu, eq(mu.id, problems.mustActUnitId))
          .where(where)
          .orderBy(asc(problems.raisedOn), asc(problems.id))
          .limit(limit)
      : [];
  return { total, byUnit, list };
}

// ---------------------------------------------------------------------------------------------------------------
// Targets

export interface TargetRow {
  unitId: number;
  unitName: string;
  /** Annual numbers: trips are per leader (targets.trips) × the unit's leaders (at least one). */
  annual: { trips: number; signedBig: number; landed: number };
  actual: { trips: number; signedBig: number; landed: number };
}

/**
 * Annual targets of the units inside the scope, and what they did this year so far: trips recorded for the unit
 * or a unit under it; industrial projects ≥5000万 signed, and projects landed, whose host or first-talk unit lies
 * in its subtree. Set-based: a project or trip is joined to its unit's ancestors (the materialised path),
 * so the whole province is one pass.
 */
export async function targetsProgress(q: Q, scope: Scope, year: Window): Promise<TargetRow[] | null> {
  const paths = targetUnitPaths(scope);
  if (!paths) return null;
  const y = Number(year.from.slice(0, 4));
  const pathCond = sql.join(
    paths.map((p) => sql`u.path like ${p + '%'}`),
    sql` or `,
  );
  const minFen = DEFAULT_ANNUAL_TARGETS.signedIndustrialMinFen;
  const res = await q.execute(sql`
    with t as (
      select tg.unit_id, u.name, u.path, tg.trips, tg.signed_big, tg.landed,
        (select count(*) from people pe
          where pe.unit_id = tg.unit_id and pe.active and 'unit_lead' = any(pe.roles))::int as leaders
      from targets tg join units u on u.id = tg.unit_id
      where tg.year = ${y} and (${pathCond})
    ),
    tr as (
      select a.id as unit_id, count(*)::int as n
      from trips x
      join units xu on xu.id = x.unit_id
      cross join lateral unnest(string_to_array(trim(both '/' from xu.path), '/')::int[]) as a(id)
      where x.started_on between ${year.from} and ${year.to} and a.id in (select unit_id from t)
      group by a.id
    ),
    pj as (
      select a.id as unit_id,
        (count(distinct p.id) filter (where p.signed_on between ${year.from} and ${year.to}
          and p.industrial and p.contract_amount_fen >= ${minFen}))::int as signed_big,
        (count(distinct p.id) filter (where p.landed_on between ${year.from} and ${year.to}))::int as landed
      from projects p
      left join units hu on hu.id = p.host_unit_id
      left join units fu on fu.id = p.first_talk_unit_id
      cross join lateral unnest(
        string_to_array(trim(both '/' from coalesce(hu.path, '')), '/')::int[]
        || string_to_array(trim(both '/' from coalesce(fu.path, '')), '/')::int[]
      ) as a(id)
      where (p.signed_on between ${year.from} and ${year.to} or p.landed_on between ${year.from} and ${year.to})
        and a.id in (select unit_id from t)
      group by a.id
    )
    select t.unit_id, t.name, t.trips, t.signed_big, t.landed, t.leaders,
      coalesce(tr.n, 0)::int as trips_done, coalesce(pj.signed_big, 0)::int as signed_big_done,
      coalesce(pj.landed, 0)::int as landed_done
    from t left join tr on tr.unit_id = t.unit_id left join pj on pj.unit_id = t.unit_id
    order by t.path
  `);
  type Row = {
    unit_id: number;
    name: string;
    trips: number;
    signed_big: number;
    landed: number;
    leaders: number;
    trips_done: number;
    signed_big_done: number;
    landed_done: number;
  };
  return rowsOf<Row>(res).map((r) => ({
    unitId: Number(r.unit_id),
    unitName: r.name,
    annual: { trips: Number(r.trips) * Math.max(1, Number(r.leaders)), signedBig: Number(r.signed_big), landed: Number(r.landed) },
    actual: { trips: Number(r.trips_done), signedBig: Number(r.signed_big_done), landed: Number(r.landed_done) },
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Changes within a window (the weekly digest)

export interface StageMove {
  projectId: number;
  name: string;
  from: StageId | null;
  to: StageId;
  on: string;
}

export async function stageMoves(q: Q, scope: Scope, window: Window, limit = 10): Promise<{ total: number; list: StageMove[] }> {
  const rows = await q
    .select({
      projectId: projects.id,
      name: projects.name,
      from: stageHistory.fromStage,
      to: stageHistory.toStage,
      on: sql<string>`${stageHistory.changedOn}::text`,
      total: int(sql`count(*) over ()`),
    })
    .from(stageHistory)
    .innerJoin(projects, eq(projects.id, stageHistory.projectId))
    .where(and(scopeCondition(scope), gte(stageHistory.changedOn, window.from), lte(stageHistory.changedOn, window.to)))
    .orderBy(asc(stageHistory.changedOn), asc(stageHistory.id))
    .limit(limit);
  return { total: rows[0]?.total ?? 0, list: rows.map(({ total: _t, ...r }) => r) };
}

export async function newProblems(q: Q, scope: Scope, window: Window, limit = 10): Promise<{ total: number; list: OpenProblem[] }> {
  const mu = alias(units, 'nu');
  const rows = await q
    .select({
      id: problems.id,
      projectName: projects.name,
      category: sql<string>`${problems.category}::text`,
      description: problems.description,
      unitName: mu.name,
      raisedOn: sql<string>`${problems.raisedOn}::text`,
      total: int(sql`count(*) over ()`),
    })
    .from(problems)
    .innerJoin(projects, eq(projects.id, problems.projectId))
    .leftJoin(mu, eq(mu.id, problems.mustActUnitId))
    .where(and(scopeCondition(scope), between(problems.raisedOn, window.from, window.to)))
    .orderBy(asc(problems.raisedOn), asc(problems.id))
    .limit(limit);
  return { total: rows[0]?.total ?? 0, list: rows.map(({ total: _t, ...r }) => r) };
}

// ---------------------------------------------------------------------------------------------------------------
// Promising projects and the project centre's list (the monthly summary)

export interface PromisingProject {
  id: number;
  name: string;
  stage: StageId;
  unitName: string | null;
  plannedFen: number | null;
  lastProgressOn: string;
}

/**
 * Projects worth pushing to leaders (001 三.一): in 洽谈 or 意向 with substantive progress within `days`, largest
 * planned investment first.
 */
export async function promising(q: Q, scope: Scope, today: CalendarDate, opts: { days?: number; limit?: number } = {}) {
  const host = alias(units, 'ph');
  const rows = await q
    .select({
      id: projects.id,
      name: projects.name,
      stage: projects.stage,
      unitName: host.name,
      plannedFen: projects.plannedInvestmentFen,
      lastProgressOn: sql<string>`${projects.lastProgressOn}::text`,
      total: int(sql`count(*) over ()`),
    })
    .from(projects)
    .leftJoin(host, eq(host.id, projects.hostUnitId))
    .where(
      and(
        scopeCondition(scope),
        inArray(projects.stage, ['negotiating', 'intent']),
        gte(projects.lastProgressOn, addDays(today, -(opts.days ?? PROMISING_DAYS))),
      ),
    )
    .orderBy(sql`${projects.plannedInvestmentFen} desc nulls last`, asc(projects.id))
    .limit(opts.limit ?? 8);
  return { total: rows[0]?.total ?? 0, list: rows.map(({ total: _t, ...r }): PromisingProject => r) };
}

export const PROMISING_DAYS = 60;

export interface CentreProject {
  id: number;
  code: string;
  name: string;
  stage: StageId;
  unitName: string | null;
  contractFen: number;
  signedOn: string | null;
  verifiedFen: number;
  reported: boolean;
  noChange: boolean;
  progress: string | null;
}

/** Every project of a centre scope with its funds arrived (verified, cumulative) and its report for `period`. */
export async function centreList(q: Q, scope: Scope, period: Period): Promise<CentreProject[]> {
  const host = alias(units, 'ch');
  const verified = q
    .select({ projectId: fundEntries.projectId, fen: sql<number>`sum(${fundEntries.amountFen})`.as('fen') })
    .from(fundEntries)
    .where(eq(fundEntries.status, 'verified'))
    .groupBy(fundEntries.projectId)
    .as('vf');
  const rows = await q
    .select({
      id: projects.id,
      code: projects.code,
      name: projects.name,
      stage: projects.stage,
      unitName: host.name,
      contractFen: projects.contractAmountFen,
      signedOn: sql<string | null>`${projects.signedOn}::text`,
      verifiedFen: int(sql`coalesce(${verified.fen}, 0)`),
      reportId: reports.id,
      noChange: reports.noChange,
      progress: reports.progress,
    })
    .from(projects)
    .leftJoin(host, eq(host.id, projects.hostUnitId))
    .leftJoin(verified, eq(verified.projectId, projects.id))
    .leftJoin(reports, and(eq(reports.projectId, projects.id), eq(reports.period, period)))
    .where(scopeCondition(scope))
    .orderBy(desc(projects.contractAmountFen), asc(projects.code));
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    stage: r.stage,
    unitName: r.unitName,
    contractFen: r.contractFen ?? 0,
    signedOn: r.signedOn,
    verifiedFen: r.verifiedFen,
    reported: r.reportId !== null,
    noChange: r.noChange ?? false,
    progress: r.progress ?? null,
  }));
}
