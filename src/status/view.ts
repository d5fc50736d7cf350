// What a status answer shows, gathered for one scope: only the figure families the question needs.

import { sharingUnits } from '../store/transfers.js';
import { addDays, type CalendarDate, type WorkCalendar } from '../domain/calendar.js';
import { DEFAULT_STALL_THRESHOLDS, type StallThresholds } from '../domain/progress.js';
import type { Rules } from '../domain/rules.js';
import type { Db, Tx } from '../store/db.js';
import type { Project } from '../store/projects.js';
import { lastReports, type Report } from '../store/reports.js';
import { projectFacts } from '../store/status-project.js';
import {
  funds,
  reporting,
  signings,
  stageCounts,
  targetsProgress,
  type FundsFigures,
  type Reporting,
  type Signings,
  type StageCount,
  type TargetRow,
  type UnitCount,
} from './figures.js';
import {
  escalatedProjects,
  lateProjects,
  openProblems,
  signedList,
  stalled,
  type EscalatedProject,
  type LateProject,
  type OpenProblem,
  type SignedProject,
  type StalledProject,
} from './lists.js';
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
  escalated?: { total: number; list: EscalatedProject[] };
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
  /** The rules, when the caller has read them already (the funds and targets families read them otherwise). */
  rules?: Rules;
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
  const [stages, sign, signedRows, fundFigures, rep, late, stall, probs, targets, escalated] = await Promise.all([
    all ? stageCounts(q, scope, window) : undefined,
    want('signed') ? signings(q, scope, window, year) : undefined,
    focus === 'signed' ? signedList(q, scope, year, 15) : undefined,
    want('funds') ? funds(q, scope, window, year, last12Periods(period), opts.rules) : undefined,
    want('overdue') ? reporting(q, scope, { current: period, closed, createdBefore: cutoff }) : undefined,
    focus === 'overdue' ? lateProjects(q, scope, { period: closed, createdBefore: cutoff, limit: 20 }) : undefined,
    want('stalled') ? stalled(q, scope, today, { thresholds, limit: all ? 5 : 15 }) : undefined,
    want('problems') ? openProblems(q, scope, { limit: all ? 0 : 10 }) : undefined,
    want('targets') ? targetsProgress(q, scope, year, opts.rules) : undefined,
    want('signed') ? escalatedProjects(q, scope, all ? 5 : 15) : undefined,
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
    escalated,
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
  escalatedToName: string | null;
  chainName: string | null;
  ownerName: string | null;
  verifiedFen: number;
  reportedFen: number;
  history: { from: Project['stage'] | null; to: Project['stage']; on: string; reason: string | null }[];
  reports: Report[];
  problems: { category: string; description: string; unitName: string | null; raisedOn: string }[];
  /** Units sharing the project after a consented transfer (利益共享, 000 三(一)); absent when none. */
  sharedWith?: string[];
  /** The service team lead (包保专班) and the latest evaluation before signing (001 三.四), when there are. */
  teamLeadName?: string | null;
  evaluation?: { on: string; conclusion: string } | null;
}

export async function projectDetail(q: Q, project: Project): Promise<ProjectDetail> {
  const [facts, recent, sharing] = await Promise.all([
    projectFacts(q, project, { history: 8, problems: 5 }),
    lastReports(q, project.id, 3),
    sharingUnits(q, project.id),
  ]);
  return {
    project,
    hostName: facts.hostName,
    firstTalkName: facts.firstTalkName,
    escalatedToName: facts.escalatedToName,
    chainName: facts.chainName,
    ownerName: facts.ownerName,
    verifiedFen: facts.funds.find((r) => r.status === 'verified')?.fen ?? 0,
    reportedFen: facts.funds.find((r) => r.status === 'reported')?.fen ?? 0,
    // The store gives the latest first (to cut at the newest); the card reads oldest first.
    history: facts.history.reverse(),
    reports: recent,
    problems: facts.problems,
    sharedWith: sharing.map((s) => s.name),
    teamLeadName: facts.teamLeadName,
    evaluation: facts.evaluation,
  };
}
