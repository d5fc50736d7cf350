// The short lists a status card, digest or summary shows: which projects or problems, how many, in what order.
// store/status-lists.ts runs each as one query with its total.

import { addDays, type CalendarDate, type Period } from '../domain/calendar.js';
import { DEFAULT_STALL_THRESHOLDS, daysSinceProgress, isStalled, type StallThresholds } from '../domain/progress.js';
import type { StageId } from '../domain/stages.js';
import type { Db, Tx } from '../store/db.js';
import { REPORTING_STAGES } from '../store/projects.js';
import {
  activeProjects,
  escalatedProjectRows,
  openLetterRows,
  type OpenLetterRow,
  lateProjectRows,
  newProblemRows,
  openProblemRows,
  projectsWithReport,
  quietProjects,
  signedProjects,
  stageMoveRows,
  type CentreProject,
  type EscalatedProject,
  type LateProject,
  type OpenProblem,
  type PromisingProject,
  type SignedProject,
  type StageMove,
} from '../store/status-lists.js';
import { byCountThenName, type UnitCount } from './figures.js';
import type { Scope } from './scope.js';
import type { Window } from './time.js';

type Q = Db | Tx;

export type { CentreProject, EscalatedProject, LateProject, OpenProblem, PromisingProject, SignedProject, StageMove };

export function signedList(q: Q, scope: Scope, window: Window, limit = 10): Promise<SignedProject[]> {
  return signedProjects(q, scope, window, limit);
}

/** The late projects themselves (for the overdue view and the summaries), first-talk unit then code order. */
export function lateProjects(
  q: Q,
  scope: Scope,
  opts: { period: Period; createdBefore: Date; limit?: number },
): Promise<{ total: number; list: LateProject[] }> {
  return lateProjectRows(q, scope, {
    stages: REPORTING_STAGES,
    period: opts.period,
    createdBefore: opts.createdBefore,
    limit: opts.limit ?? 15,
  });
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
  const cutoffs = (Object.entries(thresholds) as [StageId, number][])
    .filter(([, d]) => Number.isInteger(d))
    .map(([stage, days]) => [stage, addDays(today, -days)] as const);
  const rows = await quietProjects(q, scope, cutoffs, opts.limit ?? 10);
  // isStalled again on what SQL found: the rule's one home stays domain/progress, SQL only narrows.
  const list = rows.list
    .filter((r) => isStalled(r.stage, r.since, today, thresholds))
    .map((r) => ({ id: r.id, name: r.name, stage: r.stage, unitName: r.unitName, days: daysSinceProgress(r.since, today) }));
  return { total: rows.total, list };
}

// ---------------------------------------------------------------------------------------------------------------
// Problems

/** Open problems of the scope's projects by the unit that must act, and the oldest few. */
export async function openProblems(
  q: Q,
  scope: Scope,
  opts: { limit?: number; mustActPath?: string } = {},
): Promise<{ total: number; byUnit: UnitCount[]; list: OpenProblem[] }> {
  const rows = await openProblemRows(q, scope, { limit: opts.limit ?? 0, mustActPath: opts.mustActPath });
  const byUnit = rows.byUnit.map((r) => ({ unitId: r.unitId, unitName: r.unitName ?? '', count: r.count })).sort(byCountThenName);
  return { total: byUnit.reduce((s, r) => s + r.count, 0), byUnit, list: rows.list };
}

/** Problems raised within the window (the weekly digest), oldest first. */
export function newProblems(q: Q, scope: Scope, window: Window, limit = 10): Promise<{ total: number; list: OpenProblem[] }> {
  return newProblemRows(q, scope, window, limit);
}

// ---------------------------------------------------------------------------------------------------------------
// Changes, promising projects and the project centre's list (the digest and the summaries)

export function stageMoves(q: Q, scope: Scope, window: Window, limit = 10): Promise<{ total: number; list: StageMove[] }> {
  return stageMoveRows(q, scope, window, limit);
}

export const PROMISING_DAYS = 60;

/**
 * Projects worth pushing to leaders (001 三.一): in 洽谈 or 意向 with substantive progress within `days`, largest
 * planned investment first.
 */
export function promising(q: Q, scope: Scope, today: CalendarDate, opts: { days?: number; limit?: number } = {}) {
  return activeProjects(q, scope, {
    stages: ['negotiating', 'intent'],
    since: addDays(today, -(opts.days ?? PROMISING_DAYS)),
    limit: opts.limit ?? 8,
  });
}

/** Every project of a centre scope with its funds arrived (verified, cumulative) and its report for `period`. */
export function centreList(q: Q, scope: Scope, period: Period): Promise<CentreProject[]> {
  return projectsWithReport(q, scope, period);
}

/** Projects under escalated management (提级管理, 001 三.三) in the scope, latest filing first. */
export function escalatedProjects(q: Q, scope: Scope, limit = 8): Promise<{ total: number; list: EscalatedProject[] }> {
  return escalatedProjectRows(q, scope, limit);
}

/** Open 履约提醒函 (001 三.四) of the scope's projects, oldest first: for the monthly summary. */
export function openLetters(q: Q, scope: Scope, limit = 8): Promise<{ total: number; list: OpenLetterRow[] }> {
  return openLetterRows(q, scope, limit);
}
export type { OpenLetterRow };
