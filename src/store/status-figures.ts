// Set-based figures of a scope (src/status/figures.ts decides what they mean): one grouped query per figure family,
// never one per project or per unit. Each takes the scope's parts (status-scope.ts) and calendar days.

import { and, between, eq, inArray, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { fundEntries, projects, reports, units } from '../../db/schema.js';
import type { StageId } from '../domain/stages.js';
import type { Db, Tx } from './db.js';
import { responsibleUnitSql } from './responsibility.js';
import { scopeCondition, type ScopeFilter } from './status-scope.js';
import { count, int, sumFen, type DayRange } from './status-sql.js';

type Q = Db | Tx;

/** Projects per stage, and how many entered their stage within the window. */
export async function stageRows(q: Q, scope: ScopeFilter, window: DayRange): Promise<{ stage: StageId; count: number; entered: number }[]> {
  return q
    .select({
      stage: projects.stage,
      count: count(),
      entered: count(sql`${projects.stageEnteredOn} between ${window.from} and ${window.to}`),
    })
    .from(projects)
    .where(scopeCondition(scope))
    .groupBy(projects.stage);
}

export interface Tally {
  count: number;
  fen: number;
}

/** Projects signed (signing date) within the window and within the year, with their contract amounts: one pass. */
export async function signingTotals(q: Q, scope: ScopeFilter, window: DayRange, year: DayRange): Promise<{ window: Tally; year: Tally }> {
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

export interface FundMonthRow {
  /** 'YYYY-MM' of the entry date. */
  period: string;
  status: 'reported' | 'verified' | 'rejected';
  fen: number;
  /** The part of `fen` dated within `window`. */
  inWindow: number;
}

/** Fund entries of the scope's projects dated in `range`, rejected ones left out, by month and status. */
export async function fundMonthRows(q: Q, scope: ScopeFilter, range: DayRange, window: DayRange): Promise<FundMonthRow[]> {
  const month = sql<string>`to_char(${fundEntries.entryDate}, 'YYYY-MM')`;
  return q
    .select({
      period: month,
      status: fundEntries.status,
      fen: sumFen(fundEntries.amountFen),
      inWindow: sumFen(fundEntries.amountFen, sql`${fundEntries.entryDate} between ${window.from} and ${window.to}`),
    })
    .from(fundEntries)
    .innerJoin(projects, eq(projects.id, fundEntries.projectId))
    .where(and(scopeCondition(scope), between(fundEntries.entryDate, range.from, range.to), ne(fundEntries.status, 'rejected')))
    .groupBy(month, fundEntries.status);
}

export interface ReportingRow {
  /** The reporting unit: first-talk unit, else host unit. */
  unitId: number | null;
  unitName: string | null;
  total: number;
  /** With a report for the current period. */
  reported: number;
  /** Without a report for the closed period, created before `createdBefore`. */
  late: number;
}

/**
 * Projects of the scope in `stages`, by reporting unit: how many reported for `current`, and how many have no
 * report for `closed` among those created before `createdBefore`.
 */
export async function reportingRows(
  q: Q,
  scope: ScopeFilter,
  opts: { stages: readonly StageId[]; current: string; closed: string; createdBefore: Date },
): Promise<ReportingRow[]> {
  const rc = alias(reports, 'rc');
  const rl = alias(reports, 'rl');
  const u = alias(units, 'ru');
  // The unit answering for the report (001 三.二), decided in one place (store/responsibility.ts).
  const unitId = responsibleUnitSql;
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
    .leftJoin(u, sql`${u.id} = ${responsibleUnitSql}`)
    .where(and(scopeCondition(scope), inArray(projects.stage, [...opts.stages])))
    .groupBy(unitId);
  // sql<number> only types the key; Number() makes it one whatever the driver returns for it.
  return rows.map((r) => ({ ...r, unitId: r.unitId === null ? null : Number(r.unitId) }));
}
