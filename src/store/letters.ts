import { and, asc, eq, ilike, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { performanceLetters, projects } from '../../db/schema.js';
import type { Db, Tx } from './db.js';
import type { Project } from './projects.js';
import { scopeCondition, type ScopeFilter } from './status-scope.js';

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
 * Closes the oldest open letter in the scope whose project has the code (exactly, any case) or a name
 * containing `needle`; returns it, or null when none matched.
 */
export async function closeLetter(
  tx: Tx,
  scope: ScopeFilter,
  needle: string,
  closed: { on: string; closure: string },
): Promise<{ id: number; project: string; projectId: number } | null> {
  const visible = scopeCondition(scope);
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

/** Signed projects past their agreed start date and not started (as of `today`): each is owed a letter. */
export async function projectsPastAgreedStart(q: Q, today: string): Promise<Project[]> {
  return q
    .select()
    .from(projects)
    .where(
      and(eq(projects.stage, 'signed'), isNotNull(projects.startPlannedOn), lt(projects.startPlannedOn, today), isNull(projects.startedOn)),
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
