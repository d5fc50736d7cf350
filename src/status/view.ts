// What a status answer shows, gathered for one scope: only the figure families the question needs.

import { asc, desc, eq, sql } from 'drizzle-orm';
import { chains, fundEntries, people, problems, projects, stageHistory, units } from '../../db/schema.js';
import { addDays, type CalendarDate, type WorkCalendar } from '../domain/calendar.js';
import { DEFAULT_STALL_THRESHOLDS, type StallThresholds } from '../domain/progress.js';
import type { Db, Tx } from '../store/db.js';
import type { Project } from '../store/projects.js';
import { lastReports, type Report } from '../store/reports.js';
import {
  funds,
  lateProjects,
  openProblems,
  reporting,
  signedList,
  signings,
  stageCounts,
  stalled,
  targetsProgress,
  type FundsFigures,
  type LateProject,
  type OpenProblem,
  type Reporting,
  type SignedProject,
  type Signings,
  type StageCount,
  type StalledProject,
  type TargetRow,
  type UnitCount,
} from './aggregates.js';
import type { Intent } from './match.js';
import type { Scope } from './scope.js';
import { closedPeriod, last12Periods, monthWindow, startOfDay, yearWindow, type Window } from './time.js';

type Q = Db | Tx;

export interface StatusData {
  scope: Scope;
  focus: Intent;
  today: CalendarDate;
  window: Window;
  year: Window;
  stages?: StageCount[];
  signings?: Signings;
  signedList?: SignedProject[];
  funds?: FundsFigures;
  reporting?: Reporting & { deadline: CalendarDate; currentDeadline: CalendarDate };
  late?: { total: number; list: LateProject[] };
  stalled?: { total: number; list: StalledProject[] };
  problems?: { total: number; byUnit: UnitCount[]; list: OpenProblem[] };
  targets?: TargetRow[] | null;
  thresholdDays: number;
}

export interface StatusOptions {
  calendar: WorkCalendar;
  today: CalendarDate;
  thresholds?: StallThresholds;
}

/** The instant after which a project created is not late for a period: the start of the day after its deadline. */
export function lateCutoff(calendar: WorkCalendar, period: string): Date {
  return startOfDay(addDays(calendar.deadline(period), 1), calendar.timeZone);
}

/** Gathers what the answer for `focus` shows (the overview gathers every family). */
export async function statusData(q: Q, scope: Scope, focus: Intent, opts: StatusOptions): Promise<StatusData> {
  const { calendar, today } = opts;
  const period = calendar.periodOf(today);
  const window = monthWindow(period, today);
  const year = yearWindow(Number(today.slice(0, 4)), today);
  const closed = closedPeriod(calendar, today);
  const cutoff = lateCutoff(calendar, closed);
  const all = focus === 'status';
  const want = (i: Intent) => all || focus === i;
  const thresholds = opts.thresholds;
  const [stages, sign, signedRows, fundFigures, rep, late, stall, probs, targets] = await Promise.all([
    all ? stageCounts(q, scope, window) : undefined,
    want('signed') ? signings(q, scope, window, year) : undefined,
    focus === 'signed' ? signedList(q, scope, year, 15) : undefined,
    want('funds') ? funds(q, scope, window, year, last12Periods(period)) : undefined,
    want('overdue') ? reporting(q, scope, { current: period, closed, createdBefore: cutoff }) : undefined,
    focus === 'overdue' ? lateProjects(q, scope, { period: closed, createdBefore: cutoff, limit: 20 }) : undefined,
    want('stalled') ? stalled(q, scope, today, { thresholds, limit: all ? 5 : 15 }) : undefined,
    want('problems') ? openProblems(q, scope, { limit: all ? 0 : 10 }) : undefined,
    want('targets') ? targetsProgress(q, scope, year) : undefined,
  ]);
  return {
    scope,
    focus,
    today,
    window,
    year,
    stages,
    signings: sign,
    signedList: signedRows,
    funds: fundFigures,
    reporting: rep ? { ...rep, deadline: calendar.deadline(closed), currentDeadline: calendar.deadline(period) } : undefined,
    late,
    stalled: stall,
    problems: probs,
    targets,
    thresholdDays: Math.min(...Object.values(thresholds ?? DEFAULT_STALL_THRESHOLDS).filter((d): d is number => typeof d === 'number')),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One project

export interface ProjectDetail {
  project: Project;
  hostName: string | null;
  firstTalkName: string | null;
  chainName: string | null;
  ownerName: string | null;
  verifiedFen: number;
  reportedFen: number;
  history: { from: Project['stage'] | null; to: Project['stage']; on: string; reason: string | null }[];
  reports: Report[];
  problems: { category: string; description: string; unitName: string | null; raisedOn: string }[];
}

export async function projectDetail(q: Q, project: Project): Promise<ProjectDetail> {
  const names = async (table: typeof units | typeof chains, id: number | null) => {
    if (!id) return null;
    const [r] = await q.select({ name: table.name }).from(table).where(eq(table.id, id));
    return r?.name ?? null;
  };
  const [hostName, firstTalkName, chainName, owner, fundRows, history, recent, probs] = await Promise.all([
    names(units, project.hostUnitId),
    names(units, project.firstTalkUnitId),
    names(chains, project.chainId),
    project.ownerId ? q.select({ name: people.name }).from(people).where(eq(people.id, project.ownerId)) : Promise.resolve([]),
    q
      .select({ status: fundEntries.status, fen: sql<number>`coalesce(sum(${fundEntries.amountFen}), 0)`.mapWith(Number) })
      .from(fundEntries)
      .where(eq(fundEntries.projectId, project.id))
      .groupBy(fundEntries.status),
    q
      .select({
        from: stageHistory.fromStage,
        to: stageHistory.toStage,
        on: sql<string>`${stageHistory.changedOn}::text`,
        reason: stageHistory.reason,
      })
      .from(stageHistory)
      .where(eq(stageHistory.projectId, project.id))
      .orderBy(desc(stageHistory.changedOn), desc(stageHistory.id))
      .limit(8),
    lastReports(q, project.id, 3),
    q
      .select({
        category: sql<string>`${problems.category}::text`,
        description: problems.description,
        unitName: units.name,
        raisedOn: sql<string>`${problems.raisedOn}::text`,
      })
      .from(problems)
      .leftJoin(units, eq(units.id, problems.mustActUnitId))
      .where(sql`${problems.projectId} = ${project.id} and ${problems.open}`)
      .orderBy(asc(problems.raisedOn))
      .limit(5),
  ]);
  return {
    project,
    hostName,
    firstTalkName,
    chainName,
    ownerName: owner[0]?.name ?? null,
    verifiedFen: fundRows.find((r) => r.status === 'verified')?.fen ?? 0,
    reportedFen: fundRows.find((r) => r.status === 'reported')?.fen ?? 0,
    history: history.reverse(),
    reports: recent,
    problems: probs,
  };
}

/** Projects of the scope matching a name fragment or code (for `/status <项目>`), best first. */
export async function findProjectsIn(q: Q, scopeCond: ReturnType<typeof sql>, needle: string, limit = 10): Promise<Project[]> {
  const escaped = needle.replace(/[\\%_]/g, (c) => `\\${c}`);
  return q
    .select()
    .from(projects)
    .where(sql`(lower(${projects.code}) = lower(${needle}) or ${projects.name} ilike ${'%' + escaped + '%'}) and ${scopeCond}`)
    .orderBy(sql`lower(${projects.code}) = lower(${needle}) desc`, sql`length(${projects.name})`, asc(projects.id))
    .limit(limit);
}
