import { and, asc, eq, ilike, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { performanceLetters, projects, units } from '../../db/schema.js';
import type { Db, Tx } from './db.js';
import type { Project } from './projects.js';
import type { LetterRemit } from '../domain/permissions.js';

type Q = Db | Tx;

export type PerformanceLetter = typeof performanceLetters.$inferSelect;

/** Which letters a person may see and close (decided by the domain's `letterRemit`). */
export type LetterScope = LetterRemit;

async function scopeCondition(q: Q, scope: LetterScope): Promise<SQL | undefined> {
  if (scope.all) return undefined;
  const unitPath = scope.subtreeOf
    ? (await q.select({ path: units.path }).from(units).where(eq(units.id, scope.subtreeOf)))[0]?.path
    : undefined;
  return or(
    eq(projects.ownerId, scope.ownerId),
    unitPath ? sql`${projects.hostUnitId} in (select id from units where path like ${unitPath + '%'})` : undefined,
  );
}

/** The open letters in a scope, oldest first. */
export async function openLetters(q: Q, scope: LetterScope) {
  const visible = await scopeCondition(q, scope);
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
  scope: LetterScope,
  needle: string,
  closed: { on: string; closure: string },
): Promise<{ id: number; project: string; projectId: number } | null> {
  const visible = await scopeCondition(tx, scope);
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
