import { and, eq, gte, lte, sql } from 'drizzle-orm';
import { calendarOverrides, settings } from '../../db/schema.js';
import type { Db, Tx } from './db.js';

type Q = Db | Tx;

/** What an admin set for the work calendar: days moved to work or holiday, and the monthly deadline day. */
export interface CalendarSettings {
  overrides: Record<string, 'workday' | 'holiday'>;
  /** Absent unless a number is stored (then the built-in default applies). */
  deadlineDay?: number;
  /** Years whose complete table an admin entered (settings 'calendar_years'). */
  knownYears: number[];
  /** Bumped by every calendar change (settings 'calendar_version'): instances reload when it moved. */
  version: number;
}

export async function calendarSettings(q: Q): Promise<CalendarSettings> {
  const rows = await q.select().from(calendarOverrides);
  const deadline = (await q.select().from(settings).where(eq(settings.key, 'deadline_day')))[0];
  const years = (await q.select().from(settings).where(eq(settings.key, 'calendar_years')))[0];
  return {
    overrides: Object.fromEntries(rows.map((r) => [r.day, r.kind as 'workday' | 'holiday'])),
    deadlineDay: typeof deadline?.value === 'number' ? deadline.value : undefined,
    knownYears: Array.isArray(years?.value) ? (years.value as unknown[]).filter((y): y is number => Number.isInteger(y)) : [],
    version: await calendarVersion(q),
  };
}

/** The calendar's version stamp: one primary-key read, cheap enough to check before every decision. */
export async function calendarVersion(q: Q): Promise<number> {
  const row = (await q.select().from(settings).where(eq(settings.key, 'calendar_version')))[0];
  return typeof row?.value === 'number' ? row.value : 0;
}

/**
 * Replaces a year's holidays and make-up workdays with a complete table (checked by the domain), marks the year
 * known and bumps the version stamp, in the caller's transaction.
 */
export async function saveYearTable(tx: Tx, year: number, table: { holidays: string[]; workdays: string[] }, note: string): Promise<void> {
  await tx.delete(calendarOverrides).where(and(gte(calendarOverrides.day, `${year}-01-01`), lte(calendarOverrides.day, `${year}-12-31`)));
  const rows = [
    ...table.holidays.map((day) => ({ day, kind: 'holiday', note })),
    ...table.workdays.map((day) => ({ day, kind: 'workday', note })),
  ];
  if (rows.length > 0) await tx.insert(calendarOverrides).values(rows);
  const known = (await calendarSettings(tx)).knownYears;
  const years = [...new Set([...known, year])].sort((a, b) => a - b);
  await tx
    .insert(settings)
    .values({ key: 'calendar_years', value: years })
    .onConflictDoUpdate({ target: settings.key, set: { value: years, updatedAt: sql`now()` } });
  await tx
    .insert(settings)
    .values({ key: 'calendar_version', value: 1 })
    .onConflictDoUpdate({
      target: settings.key,
      set: { value: sql`to_jsonb(coalesce((${settings.value})::text::int, 0) + 1)`, updatedAt: sql`now()` },
    });
}
