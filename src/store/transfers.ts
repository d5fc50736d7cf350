// 转移 offers (000 三(一)): recorded, decided once, applied in the deciding transaction. Nothing here decides who
// may: the service asks src/domain/transfer.ts first.

import { and, eq, sql } from 'drizzle-orm';
import { people, projects, projectTransfers, units } from '../../db/schema.js';
import type { Db, Tx } from './db.js';
import type { Person } from './directory.js';

type Q = Db | Tx;

export type ProjectTransfer = typeof projectTransfers.$inferSelect;

/** Records an offer; null when the project already has an open one (at most one at a time). */
export async function offerTransfer(
  tx: Tx,
  o: Pick<
    ProjectTransfer,
    'projectId' | 'fromUnitId' | 'fromHostUnitId' | 'fromOwnerId' | 'toUnitId' | 'reason' | 'offeredById' | 'offeredOn'
  >,
): Promise<ProjectTransfer | null> {
  const [row] = await tx.insert(projectTransfers).values(o).onConflictDoNothing().returning();
  return row ?? null;
}

/** The project's open offer, if any. */
export async function openTransferOf(q: Q, projectId: number): Promise<ProjectTransfer | undefined> {
  return (
    await q
      .select()
      .from(projectTransfers)
      .where(and(eq(projectTransfers.projectId, projectId), eq(projectTransfers.status, 'offered')))
  )[0];
}

export async function transferById(q: Q, id: number): Promise<ProjectTransfer | undefined> {
  return (await q.select().from(projectTransfers).where(eq(projectTransfers.id, id)))[0];
}

/**
 * Decides an open offer, once: the row is updated only while still 'offered' (a second click, or two leads clicking
 * at once, finds it decided and gets null).
 */
export async function decideTransfer(
  tx: Tx,
  id: number,
  d: { status: 'accepted' | 'declined'; byId: number; on: string; declineReason?: string | null },
): Promise<ProjectTransfer | null> {
  const [row] = await tx
    .update(projectTransfers)
    .set({ status: d.status, decidedById: d.byId, decidedOn: d.on, declineReason: d.declineReason ?? null })
    .where(and(eq(projectTransfers.id, id), eq(projectTransfers.status, 'offered')))
    .returning();
  return row ?? null;
}

/**
 * Moves the project to the receiving unit: first-talk and host both become the receiving unit, the owner becomes
 * `ownerId` (the receiving unit's lead, who assigns it on), and the stall clock starts again on `on` (the new region
 * starts its negotiation; the old region's silence is not the new one's). Its reports, stage history, funds and
 * problems stay with it: the history moves with the project.
 */
export async function moveProject(tx: Tx, projectId: number, toUnitId: number, ownerId: number | null, on: string): Promise<void> {
  await tx
    .update(projects)
    .set({ firstTalkUnitId: toUnitId, hostUnitId: toUnitId, ownerId, lastProgressOn: on, updatedAt: sql`now()` })
    .where(eq(projects.id, projectId));
}

/** Whether the receiving unit already hosts a project of that name (names are unique per host unit). */
export async function nameTakenAt(q: Q, unitId: number, name: string): Promise<boolean> {
  const rows = await q
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.hostUnitId, unitId), sql`lower(${projects.name}) = lower(${name})`));
  return rows.length > 0;
}

/** The active leads (unit_lead, dept_lead) of one unit, lowest id first. */
export async function unitLeads(q: Q, unitId: number): Promise<Person[]> {
  const rows = await q.select().from(people).where(eq(people.unitId, unitId));
  return rows.filter((p) => p.active && (p.roles.includes('unit_lead') || p.roles.includes('dept_lead'))).sort((a, b) => a.id - b.id);
}

/** Units of a government tree by exact name (several governments may name a unit alike: the caller narrows by remit). */
export async function unitsNamed(q: Q, name: string) {
  return q.select().from(units).where(eq(units.name, name.trim()));
}

/** The units sharing a project after an accepted transfer (利益共享), oldest first, with their names. */
export async function sharingUnits(q: Q, projectId: number): Promise<{ unitId: number; name: string; on: string }[]> {
  const rows = await q
    .select({ unitId: projectTransfers.fromUnitId, name: units.name, on: projectTransfers.decidedOn })
    .from(projectTransfers)
    .innerJoin(units, eq(units.id, projectTransfers.fromUnitId))
    .where(and(eq(projectTransfers.projectId, projectId), eq(projectTransfers.status, 'accepted')))
    .orderBy(projectTransfers.id);
  return rows.map((r) => ({ unitId: r.unitId, name: r.name, on: r.on ?? '' }));
}
