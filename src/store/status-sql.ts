// Small SQL pieces the status queries share (status-figures.ts, status-lists.ts, status-targets.ts).

import { sql, type SQL } from 'drizzle-orm';
import { fundEntries, projects } from '../../db/schema.js';

/** A numeric expression read back as a JS number (postgres.js returns bigint sums and counts as strings). */
export const int = (e: SQL) => sql<number>`${e}`.mapWith(Number);
export const count = (filter?: SQL) => (filter ? int(sql`count(*) filter (where ${filter})`) : int(sql`count(*)`));
export const sumFen = (col: SQL | typeof projects.contractAmountFen | typeof fundEntries.amountFen, filter?: SQL) =>
  filter ? int(sql`coalesce(sum(${col}) filter (where ${filter}), 0)`) : int(sql`coalesce(sum(${col}), 0)`);

/** The day a project last made substantive progress; projects without one age from entering their stage. */
export const progressDay = sql`coalesce(${projects.lastProgressOn}, ${projects.stageEnteredOn}, ${projects.createdAt}::date)`;

/** Rows of db.execute(): PGlite wraps them in `{ rows }`, postgres.js returns the array itself. */
export function rowsOf<T>(res: unknown): T[] {
  return ((res as { rows?: T[] }).rows ?? (res as T[])) as T[];
}

/** Calendar days, both ends included ('YYYY-MM-DD'); status/time.ts's Window has this shape. */
export interface DayRange {
  from: string;
  to: string;
}

/** How many rows the query has before its limit: selected beside every row as `total`, read back by withTotal. */
export const totalOver = () => int(sql`count(*) over ()`);

/** Rows selected with a `total: totalOver()` column, as the total and the list without it. */
export function withTotal<R extends { total: number }>(rows: R[]): { total: number; list: Omit<R, 'total'>[] } {
  return { total: rows[0]?.total ?? 0, list: rows.map(({ total: _t, ...r }) => r) };
}
