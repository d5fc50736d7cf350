import { and, between, desc, eq, gte, sql } from 'drizzle-orm';
import { trips, units } from '../../db/schema.js';
import type { Tx } from './db.js';

export type Trip = typeof trips.$inferSelect;
export type NewTrip = Pick<Trip, 'unitId' | 'leaderId' | 'destination' | 'startedOn' | 'endedOn'> & { createdAt?: Date };

/** The same trip recorded already (same unit, leader, destination and start): a repeated command, not a new trip. */
export async function sameTripExists(tx: Tx, trip: Omit<NewTrip, 'endedOn' | 'createdAt'>, exceptId?: number): Promise<boolean> {
  const rows = await tx
    .select({ id: trips.id })
    .from(trips)
    .where(
      and(
        eq(trips.unitId, trip.unitId),
        trip.leaderId === null ? sql`${trips.leaderId} is null` : eq(trips.leaderId, trip.leaderId),
        eq(trips.destination, trip.destination),
        eq(trips.startedOn, trip.startedOn),
        exceptId === undefined ? undefined : sql`${trips.id} <> ${exceptId}`,
      ),
    );
  return rows.length > 0;
}

export async function insertTrip(tx: Tx, trip: NewTrip): Promise<Trip> {
  const [row] = await tx.insert(trips).values(trip).returning();
  return row!;
}

/** Trips of a unit and the units under it (by its materialised path) started in a year, as the targets count them. */
export async function tripsInSubtreeYear(tx: Tx, unitPath: string, year: string): Promise<number> {
  const [n] = await tx
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(trips)
    .innerJoin(units, eq(units.id, trips.unitId))
    .where(and(sql`${units.path} like ${unitPath + '%'}`, between(trips.startedOn, `${year}-01-01`, `${year}-12-31`)));
  return n?.n ?? 0;
}

/** Trips led by one person and recorded for their unit, started in a year. */
export async function tripsOfLeaderYear(tx: Tx, unitId: number, leaderId: number, year: string): Promise<number> {
  const [n] = await tx
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(trips)
    .where(and(eq(trips.unitId, unitId), eq(trips.leaderId, leaderId), between(trips.startedOn, `${year}-01-01`, `${year}-12-31`)));
  return n?.n ?? 0;
}

/** Trips recorded for the unit itself (never a unit under it: a bureau's trips are the bureau's), started in a year. */
export async function tripsOfUnitYear(tx: Tx, unitId: number, year: string): Promise<number> {
  const [n] = await tx
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(trips)
    .where(and(eq(trips.unitId, unitId), between(trips.startedOn, `${year}-01-01`, `${year}-12-31`)));
  return n?.n ?? 0;
}

/**
 * The trips a leader recorded since `since` (the start of the month, an instant), newest first, locked for a
 * correction: only their own, so no one can reach another leader's trip.
 */
export async function leaderTripsRecordedSince(tx: Tx, leaderId: number, since: Date): Promise<Trip[]> {
  return tx
    .select()
    .from(trips)
    .where(and(eq(trips.leaderId, leaderId), gte(trips.createdAt, since)))
    .orderBy(desc(trips.createdAt), desc(trips.id))
    .for('update');
}

export async function updateTrip(tx: Tx, id: number, set: Pick<Trip, 'destination' | 'startedOn' | 'endedOn'>): Promise<void> {
  await tx.update(trips).set(set).where(eq(trips.id, id));
}

export async function deleteTrip(tx: Tx, id: number): Promise<void> {
  await tx.delete(trips).where(eq(trips.id, id));
}
