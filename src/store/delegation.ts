/*
 * Delegation and handover (src/admin/delegation.ts): people found by name under a unit, unit paths for the lead
 * rule, the away/delegate fields of a person, and a project's owner. Writes run in the caller's transaction.
 */
import { and, asc, eq, inArray, like } from 'drizzle-orm';
import { people, projects, units } from '../../db/schema.js';
import type { Db, Tx } from './db.js';
import type { Person } from './directory.js';

type Q = Db | Tx;
export type OwnedProject = Pick<typeof projects.$inferSelect, 'id' | 'code' | 'name' | 'ownerId'>;

/** People of that name whose unit lies under `unitPath` (the unit itself included), active ones first. */
export async function peopleNamedUnder(q: Q, name: string, unitPath: string): Promise<Person[]> {
  const rows = await q
    .select({ p: people })
    .from(people)
    .innerJoin(units, eq(units.id, people.unitId))
    .where(and(eq(people.name, name), like(units.path, `${unitPath.replace(/[\\%_]/g, '\\$&')}%`)))
    .orderBy(asc(people.id));
  return rows.map((r) => r.p).sort((a, b) => Number(b.active) - Number(a.active));
}

/** The materialised paths of units, by id. */
export async function unitPaths(q: Q, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const list = [...new Set(ids.filter((i): i is number => i !== null))];
  if (list.length === 0) return new Map();
  const rows = await q.select({ id: units.id, path: units.path }).from(units).where(inArray(units.id, list));
  return new Map(rows.map((r) => [r.id, r.path]));
}

/** Sets (or, with nulls, clears) who stands in for a person and until when. */
export async function setDelegation(
  tx: Tx,
  personId: number,
  delegateId: number | null,
  awayUntil: string | null,
  at: Date,
): Promise<void> {
  await tx.update(people).set({ delegateId, awayUntil, updatedAt: at }).where(eq(people.id, personId));
}

/** Every project a person owns, by code. */
export async function projectsOwnedBy(q: Q, ownerId: number): Promise<OwnedProject[]> {
  return q
    .select({ id: projects.id, code: projects.code, name: projects.name, ownerId: projects.ownerId })
    .from(projects)
    .where(eq(projects.ownerId, ownerId))
    .orderBy(asc(projects.code));
}

/** Gives projects a new owner. */
export async function setProjectOwner(tx: Tx, projectIds: readonly number[], ownerId: number, at: Date): Promise<void> {
  if (projectIds.length === 0) return;
  await tx
    .update(projects)
    .set({ ownerId, updatedAt: at })
    .where(inArray(projects.id, [...projectIds]));
}
