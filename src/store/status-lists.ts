// Short lists of a scope (src/status/lists.ts decides which and how many): signed, late and stalled projects, open
// and new problems, stage moves, promising projects, the project centre's list. Each list is one query, with the
// total beside it (count(*) over ()) so a card can say "and n more" without a second round trip.

import { and, asc, between, desc, eq, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { alias, type AnyPgColumn, type PgSelect, type SelectedFields } from 'drizzle-orm/pg-core';
import {
  externalOrgs,
  fundEntries,
  people,
  performanceLetters,
  problems,
  projects,
  reports,
  stageHistory,
  units,
} from '../../db/schema.js';
import type { StageId } from '../domain/stages.js';
import type { Db, Tx } from './db.js';
import { responsibleUnitSql } from './responsibility.js';
import { scopeCondition, type ScopeFilter } from './status-scope.js';
import { count, int, progressDay, totalOver, withTotal, type DayRange } from './status-sql.js';

type Q = Db | Tx;
type UnitAlias = ReturnType<typeof alias<typeof units, string>>;

/** The unit a list names beside a project: its host, or the responsible one (first-talk, else host: store/responsibility.ts). */
const hostOf = (u: UnitAlias) => eq(u.id, projects.hostUnitId);
const responsibleOf = (u: UnitAlias) => sql`${u.id} = ${responsibleUnitSql}`;
const inStages = (stages: readonly StageId[]) => inArray(projects.stage, [...stages]);

/**
 * The start most lists share: the projects, each with one unit `u` joined on `on` (hostOf, responsibleOf), selecting
 * their id and name, `fields`, and the total before the limit (read back by withTotal); for scoped.
 */
function projectsWithUnit<F extends SelectedFields>(q: Q, u: UnitAlias, on: SQL, fields: F) {
  return q
    .select({ id: projects.id, name: projects.name, ...fields, total: totalOver() })
    .from(projects)
    .leftJoin(u, on)
    .$dynamic();
}

/**
 * The steps the lists share: `query` (from projects, or a table joined to them, made `$dynamic()`) narrowed to the
 * scope and `conds`, in `order`, cut to `limit`. The lists with a total select `total: totalOver()` and read the
 * rows back through withTotal.
 */
function scoped<T extends PgSelect>(
  query: T,
  scope: ScopeFilter,
  conds: (SQL | undefined)[],
  order: (AnyPgColumn | SQL)[],
  limit: number,
): T {
  return query
    .where(and(scopeCondition(scope), ...conds))
    .orderBy(...order)
    .limit(limit);
}

export interface SignedProject {
  id: number;
  name: string;
  signedOn: string;
  contractFen: number | null;
  unitName: string | null;
}

/** Projects signed within the window, latest first. */
export async function signedProjects(q: Q, scope: ScopeFilter, window: DayRange, limit: number): Promise<SignedProject[]> {
  const host = alias(units, 'host');
  const query = q
    .select({
      id: projects.id,
      name: projects.name,
      signedOn: sql<string>`${projects.signedOn}::text`,
      contractFen: projects.contractAmountFen,
      unitName: host.name,
    })
    .from(projects)
    .leftJoin(host, hostOf(host))
    .$dynamic();
  return scoped(query, scope, [between(projects.signedOn, window.from, window.to)], [desc(projects.signedOn), asc(projects.id)], limit);
}

export interface LateProject {
  id: number;
  name: string;
  unitName: string | null;
  ownerName: string | null;
}

/**
 * Projects in `stages` with no report for `period`, created before `createdBefore`, by reporting unit (first-talk,
 * else host) then code.
 */
export async function lateProjectRows(
  q: Q,
  scope: ScopeFilter,
  opts: { stages: readonly StageId[]; period: string; createdBefore: Date; limit: number },
): Promise<{ total: number; list: LateProject[] }> {
  const u = alias(units, 'lu');
  const query = projectsWithUnit(q, u, responsibleOf(u), { unitName: u.name, ownerName: people.name })
    .leftJoin(reports, and(eq(reports.projectId, projects.id), eq(reports.period, opts.period)))
    .leftJoin(people, eq(people.id, projects.ownerId));
  const conds = [inStages(opts.stages), isNull(reports.id), sql`${projects.createdAt} < ${opts.createdBefore.toISOString()}::timestamptz`];
  return withTotal(await scoped(query, scope, conds, [asc(u.path), asc(projects.code)], opts.limit));
}

export interface QuietProjectRow {
  id: number;
  name: string;
  stage: StageId;
  unitName: string | null;
  /** The day of the last substantive progress (or of entering the stage), 'YYYY-MM-DD'. */
  since: string;
}

/**
 * Projects whose last progress lies on or before the day given for their stage (`[stage, day]` pairs; stages not
 * named are left out), oldest progress first, with the total.
 */
export async function quietProjects(
  q: Q,
  scope: ScopeFilter,
  cutoffs: readonly (readonly [StageId, string])[],
  limit: number,
): Promise<{ total: number; list: QuietProjectRow[] }> {
  if (cutoffs.length === 0) return { total: 0, list: [] };
  const cond = or(...cutoffs.map(([stage, day]) => and(eq(projects.stage, stage), sql`${progressDay} <= ${day}`)))!;
  // Named by the responsible unit (first-talk, else host: store/responsibility.ts), as the ageing warnings are.
  const host = alias(units, 'sh');
  const query = projectsWithUnit(q, host, responsibleOf(host), {
    stage: projects.stage,
    unitName: host.name,
    since: sql<string>`${progressDay}::text`,
  });
  return withTotal(await scoped(query, scope, [cond], [asc(progressDay), asc(projects.id)], limit));
}

export interface OpenProblem {
  id: number;
  projectName: string;
  category: string;
  description: string;
  unitName: string | null;
  raisedOn: string;
}

/**
 * Open problems of the scope's projects (narrowed to those whose must-act unit lies under `mustActPath`): counted
 * by must-act unit, and, when `limit` > 0 and there are any, the oldest `limit` of them (a second query).
 */
export async function openProblemRows(
  q: Q,
  scope: ScopeFilter,
  opts: { limit: number; mustActPath?: string },
): Promise<{ byUnit: { unitId: number | null; unitName: string | null; count: number }[]; list: OpenProblem[] }> {
  const mu = alias(units, 'mu');
  const conds = [eq(problems.open, true), opts.mustActPath ? sql`${mu.path} like ${opts.mustActPath + '%'}` : undefined];
  const byUnit = await q
    .select({ unitId: problems.mustActUnitId, unitName: sql<string | null>`min(${mu.name})`, count: count() })
    .from(problems)
    .innerJoin(projects, eq(projects.id, problems.projectId))
    .leftJoin(mu, eq(mu.id, problems.mustActUnitId))
    .where(and(scopeCondition(scope), ...conds))
    .groupBy(problems.mustActUnitId);
  const any = byUnit.some((r) => r.count > 0);
  const list = opts.limit > 0 && any ? (await problemRows(q, scope, mu, conds, opts.limit)).list : [];
  return { byUnit, list };
}

export interface StageMove {
  projectId: number;
  name: string;
  from: StageId | null;
  to: StageId;
  on: string;
}

/** Stage changes within the window, oldest first, with the total. */
export async function stageMoveRows(
  q: Q,
  scope: ScopeFilter,
  window: DayRange,
  limit: number,
): Promise<{ total: number; list: StageMove[] }> {
  const query = q
    .select({
      projectId: projects.id,
      name: projects.name,
      from: stageHistory.fromStage,
      to: stageHistory.toStage,
      on: sql<string>`${stageHistory.changedOn}::text`,
      total: totalOver(),
    })
    .from(stageHistory)
    .innerJoin(projects, eq(projects.id, stageHistory.projectId))
    .$dynamic();
  const conds = [gte(stageHistory.changedOn, window.from), lte(stageHistory.changedOn, window.to)];
  return withTotal(await scoped(query, scope, conds, [asc(stageHistory.changedOn), asc(stageHistory.id)], limit));
}

/** Problems raised within the window (open or not), oldest first, with the total. */
export async function newProblemRows(
  q: Q,
  scope: ScopeFilter,
  window: DayRange,
  limit: number,
): Promise<{ total: number; list: OpenProblem[] }> {
  const mu = alias(units, 'nu');
  return problemRows(q, scope, mu, [between(problems.raisedOn, window.from, window.to)], limit);
}

/** The scope's problems meeting `conds`, with their project and must-act unit (`mu`), oldest first, with the total. */
async function problemRows(
  q: Q,
  scope: ScopeFilter,
  mu: UnitAlias,
  conds: (SQL | undefined)[],
  limit: number,
): Promise<{ total: number; list: OpenProblem[] }> {
  const query = q
    .select({
      id: problems.id,
      projectName: projects.name,
      category: sql<string>`${problems.category}::text`,
      description: problems.description,
      // The party that must act: the unit, else the external organisation (市供电公司) named instead.
      unitName: sql<
        string | null
      >`coalesce(${mu.name}, (select ${externalOrgs.name} from ${externalOrgs} where ${externalOrgs.id} = ${problems.mustActOrgId}))`,
      raisedOn: sql<string>`${problems.raisedOn}::text`,
      total: totalOver(),
    })
    .from(problems)
    .innerJoin(projects, eq(projects.id, problems.projectId))
    .leftJoin(mu, eq(mu.id, problems.mustActUnitId))
    .$dynamic();
  return withTotal(await scoped(query, scope, conds, [asc(problems.raisedOn), asc(problems.id)], limit));
}

export interface PromisingProject {
  id: number;
  name: string;
  stage: StageId;
  unitName: string | null;
  plannedFen: number | null;
  lastProgressOn: string;
}

/** Projects in `stages` with progress on or after `since`, largest planned investment first, with the total. */
export async function activeProjects(
  q: Q,
  scope: ScopeFilter,
  opts: { stages: readonly StageId[]; since: string; limit: number },
): Promise<{ total: number; list: PromisingProject[] }> {
  const host = alias(units, 'ph');
  const query = projectsWithUnit(q, host, hostOf(host), {
    stage: projects.stage,
    unitName: host.name,
    plannedFen: projects.plannedInvestmentFen,
    lastProgressOn: sql<string>`${projects.lastProgressOn}::text`,
  });
  const conds = [inStages(opts.stages), gte(projects.lastProgressOn, opts.since)];
  const order = [sql`${projects.plannedInvestmentFen} desc nulls last`, asc(projects.id)];
  return withTotal(await scoped(query, scope, conds, order, opts.limit));
}

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

/** Every project of the scope with its funds arrived (verified, cumulative) and its report for `period`. */
export async function projectsWithReport(q: Q, scope: ScopeFilter, period: string): Promise<CentreProject[]> {
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
    .leftJoin(host, hostOf(host))
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

export interface EscalatedProject {
  id: number;
  name: string;
  code: string;
  /** The day of the 提级报备 ('YYYY-MM-DD'). */
  on: string;
  /** The unit whose mechanism it was filed to (the level), when known. */
  levelName: string | null;
}

/** Projects of the scope under escalated management (提级管理: escalated_on set), latest filing first, with the total. */
export async function escalatedProjectRows(q: Q, scope: ScopeFilter, limit: number): Promise<{ total: number; list: EscalatedProject[] }> {
  const level = alias(units, 'el');
  const query = projectsWithUnit(q, level, eq(level.id, projects.escalatedToUnitId), {
    code: projects.code,
    on: sql<string>`${projects.escalatedOn}::text`,
    levelName: level.name,
  });
  const conds = [sql`${projects.escalatedOn} is not null`];
  return withTotal(await scoped(query, scope, conds, [desc(projects.escalatedOn), asc(projects.id)], limit));
}

export interface OpenLetterRow {
  name: string;
  reason: string;
  issuedOn: string;
  answered: boolean;
}

/** Open 履约提醒函 of the scope's projects (001 三.四), oldest first, with the total. */
export async function openLetterRows(q: Q, scope: ScopeFilter, limit: number): Promise<{ total: number; list: OpenLetterRow[] }> {
  const query = q
    .select({
      name: projects.name,
      reason: performanceLetters.reason,
      issuedOn: sql<string>`${performanceLetters.issuedOn}::text`,
      answered: sql<boolean>`${performanceLetters.answeredOn} is not null`,
      total: totalOver(),
    })
    .from(performanceLetters)
    .innerJoin(projects, eq(projects.id, performanceLetters.projectId))
    .$dynamic();
  const conds = [eq(performanceLetters.open, true)];
  return withTotal(await scoped(query, scope, conds, [asc(performanceLetters.issuedOn), asc(performanceLetters.id)], limit));
}

export interface MatchingProject {
  id: number;
  name: string;
  code: string;
  stage: StageId;
  /** The contract amount once signed, else the planned investment. */
  amountFen: number | null;
  unitName: string | null;
}

/**
 * Projects of a scope meeting a filter (`亿元以上`, `落地了几个`): in `stages`, with an amount (contract once signed,
 * else planned) of at least `minFen`; largest first, with the total.
 */
export async function matchingProjects(
  q: Q,
  scope: ScopeFilter,
  opts: { stages: readonly StageId[]; minFen?: number; limit: number },
): Promise<{ total: number; list: MatchingProject[] }> {
  const host = alias(units, 'mh');
  // The amount a project is measured by: the contract once signed, else the plan.
  const measured = sql`coalesce(${projects.contractAmountFen}, ${projects.plannedInvestmentFen})`;
  const amount = sql<number | null>`${measured}`.mapWith((v) => (v === null ? null : Number(v)));
  const query = projectsWithUnit(q, host, hostOf(host), {
    code: projects.code,
    stage: projects.stage,
    amountFen: amount,
    unitName: host.name,
  });
  const conds = [inStages(opts.stages), opts.minFen === undefined ? undefined : gte(measured, opts.minFen)];
  return withTotal(await scoped(query, scope, conds, [sql`${measured} desc nulls last`, asc(projects.code)], opts.limit));
}
