import { and, asc, eq, ilike, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { fundEntries, performanceLetters, projects } from '../../db/schema.js';
import type { Db, Tx } from './db.js';
import type { Project } from './projects.js';
import { scopeCondition, type ScopeFilter } from './status-scope.js';
import { responsibleUnitSql } from './responsibility.js';

type Q = Db | Tx;

export type PerformanceLetter = typeof performanceLetters.$inferSelect;

/** The open letters in a scope, oldest first. */
export async function openLetters(q: Q, scope: ScopeFilter) {
  const visible = scopeCondition(scope);
  return q
    .select({ project: projects.name, code: projects.code, reason: performanceLetters.reason, issued: performanceLetters.issuedOn })
    .from(performanceLetters)
    .innerJoin(projects, eq(projects.id, performanceLetters.projectId))
    .where(and(eq(performanceLetters.open, true), visible))
    .orderBy(asc(performanceLetters.issuedOn));
}

/**
 * Closes the oldest open letter of a project the unit is responsible for whose project has the code (exactly, any case) or a name
 * containing `needle`; returns it, or null when none matched.
 */
export async function closeLetter(
  tx: Tx,
  responsibleUnitId: number,
  needle: string,
  closed: { on: string; closure: string },
): Promise<{ id: number; project: string; projectId: number } | null> {
  // Only the letters of projects the unit answers for (first-talk, else host): the same rule as responsibilityFor.
  const visible = sql`${responsibleUnitSql} = ${responsibleUnitId}`;
  const escaped = needle.replace(/[\\%_]/g, (c) => `\\${c}`);
  const [hit] = await tx
    .select({ id: performanceLetters.id, project: projects.name, projectId: projects.id })
    .from(performanceLetters)
    .innerJoin(projects, eq(projects.id, performanceLetters.projectId))
    .where(
      and(
        eq(performanceLetters.open, true),
        visible,
        or(sql`lower(${projects.code}) = lower(${needle})`, ilike(projects.name, `%${escaped}%`)),
      ),
    )
    .orderBy(asc(performanceLetters.issuedOn))
    .limit(1);
  if (!hit) return null;
  await tx
    .update(performanceLetters)
    .set({ open: false, closedOn: closed.on, closure: closed.closure })
    .where(eq(performanceLetters.id, hit.id));
  return hit;
}

/**
 * Records the owner's answer on the oldest open, unanswered letter of one of their projects whose code is `needle`
 * (any case) or whose name contains it; returns it (with the project's placing), or null when none matched.
 */
export async function answerLetter(
  tx: Tx,
  ownerId: number,
  needle: string,
  a: { on: string; answer: string },
): Promise<{ id: number; project: string; place: { id: number; firstTalkUnitId: number | null; hostUnitId: number | null } } | null> {
  const escaped = needle.replace(/[\\%_]/g, (c) => `\\${c}`);
  const [hit] = await tx
    .select({
      id: performanceLetters.id,
      project: projects.name,
      projectId: projects.id,
      firstTalkUnitId: projects.firstTalkUnitId,
      hostUnitId: projects.hostUnitId,
    })
    .from(performanceLetters)
    .innerJoin(projects, eq(projects.id, performanceLetters.projectId))
    .where(
      and(
        eq(performanceLetters.open, true),
        isNull(performanceLetters.answeredOn),
        eq(projects.ownerId, ownerId),
        or(sql`lower(${projects.code}) = lower(${needle})`, ilike(projects.name, `%${escaped}%`)),
      ),
    )
    .orderBy(asc(performanceLetters.issuedOn), asc(performanceLetters.id))
    .limit(1);
  if (!hit) return null;
  await tx.update(performanceLetters).set({ answer: a.answer, answeredOn: a.on }).where(eq(performanceLetters.id, hit.id));
  return {
    id: hit.id,
    project: hit.project,
    place: { id: hit.projectId, firstTalkUnitId: hit.firstTalkUnitId, hostUnitId: hit.hostUnitId },
  };
}

/**
 * Records the answer on one open, unanswered letter by id, when its project's owner is one of `ownerIds` (the owner,
 * or a delegate standing in); returns it with the project's placing, or null (another's letter, closed, answered).
 */
export async function answerLetterById(
  tx: Tx,
  letterId: number,
  ownerIds: readonly number[],
  a: { on: string; answer: string },
): Promise<{ id: number; project: string; place: { id: number; firstTalkUnitId: number | null; hostUnitId: number | null } } | null> {
  if (ownerIds.length === 0) return null;
  const [hit] = await tx
    .select({
      id: performanceLetters.id,
      project: projects.name,
      projectId: projects.id,
      firstTalkUnitId: projects.firstTalkUnitId,
      hostUnitId: projects.hostUnitId,
    })
    .from(performanceLetters)
    .innerJoin(projects, eq(projects.id, performanceLetters.projectId))
    .where(
      and(
        eq(performanceLetters.id, letterId),
        eq(performanceLetters.open, true),
        isNull(performanceLetters.answeredOn),
        inArray(projects.ownerId, [...ownerIds]),
      ),
    );
  if (!hit) return null;
  await tx.update(performanceLetters).set({ answer: a.answer, answeredOn: a.on }).where(eq(performanceLetters.id, hit.id));
  return {
    id: hit.id,
    project: hit.project,
    place: { id: hit.projectId, firstTalkUnitId: hit.firstTalkUnitId, hostUnitId: hit.hostUnitId },
  };
}

/** Signed projects past their agreed start date and not started (as of `today`): each is owed a letter. */
export async function projectsPastAgreedStart(q: Q, today: string): Promise<Project[]> {
  return q
    .select()
    .from(projects)
    .where(
      and(eq(projects.stage, 'signed'), isNotNull(projects.startPlannedOn), lt(projects.startPlannedOn, today), isNull(projects.startedOn)),
    );
}

/**
 * Signed or landed projects past their agreed investment date (约定投资期限) with less verified money arrived by
 * that date than agreed (001 三.四: 未按约定达效): each is owed a letter. With the verified sum.
 */
export async function projectsShortOfAgreedInvestment(q: Q, today: string): Promise<(Project & { arrivedFen: number })[]> {
  const arrived = sql<number>`coalesce((select sum(${fundEntries.amountFen}) from ${fundEntries} where ${fundEntries.projectId} = ${projects.id} and ${fundEntries.status} = 'verified' and ${fundEntries.entryDate} <= ${projects.agreedInvestmentBy}), 0)`;
  const rows = await q
    .select({ p: projects, arrivedFen: arrived.mapWith(Number) })
    .from(projects)
    .where(
      and(
        inArray(projects.stage, ['signed', 'landed']),
        isNotNull(projects.agreedInvestmentFen),
        isNotNull(projects.agreedInvestmentBy),
        lt(projects.agreedInvestmentBy, today),
        sql`${arrived} < ${projects.agreedInvestmentFen}`,
      ),
    );
  return rows.map((r) => ({ ...r.p, arrivedFen: r.arrivedFen }));
}

/**
 * Signed or landed projects past their agreed results date (约定达效期限) whose last reported yearly output (or tax) is
 * below the agreed one, or was never reported (001 三.四: 未按约定达效): each is owed a letter.
 */
export async function projectsShortOfAgreedResult(q: Q, today: string, what: 'output' | 'tax'): Promise<Project[]> {
  const agreed = what === 'output' ? projects.agreedOutputFen : projects.agreedTaxFen;
  const reported = what === 'output' ? projects.reportedOutputFen : projects.reportedTaxFen;
  return q
    .select()
    .from(projects)
    .where(
      and(
        inArray(projects.stage, ['signed', 'landed']),
        isNotNull(agreed),
        isNotNull(projects.agreedResultsBy),
        lt(projects.agreedResultsBy, today),
        sql`coalesce(${reported}, 0) < ${agreed}`,
      ),
    );
}

/** Issues a letter once per (project, reason): returns it when new, null when it was issued before. */
export async function issueLetter(
  tx: Tx,
  letter: { projectId: number; reason: string; body: string; issuedOn: string },
): Promise<PerformanceLetter | null> {
  const [row] = await tx.insert(performanceLetters).values(letter).onConflictDoNothing().returning();
  return row ?? null;
}
