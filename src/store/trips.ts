import { and, between, eq, sql } from 'drizzle-orm';
import { trips, units } from '../../db/schema.js';
import type { Tx } from './db.js';

export type Trip = typeof trips.$inferSelect;
export type NewTrip = Pick<Trip, 'unitId' | 'leaderId' | 'destination' | 'startedOn' | 'endedOn'>;

/** The same trip recorded already (same unit, leader, destination and start): a repeated command, not a new trip. */
export async function sameTripExists(tx: Tx, trip: Omit<NewTrip, 'endedOn'>): Promise<boolean> {
  const rows = await tx
    .select({ id: trips.id })
    .from(trips)
    .where(
      and(
        eq(trips.unitId, trip.unitId),
        trip.leaderId === null ? sql`${trips.leaderId} is null` : eq(trips.leaderId, trip.leaderId),
        eq(trips.destination, trip.destination),
        eq(trips.startedOn, trip.startedOn),
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
