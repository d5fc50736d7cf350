import { eq } from 'drizzle-orm';
import { calendarOverrides, settings } from '../../db/schema.js';
import type { Db, Tx } from './db.js';

type Q = Db | Tx;

/** What an admin set for the work calendar: days moved to work or holiday, and the monthly deadline day. */
export interface CalendarSettings {
  overrides: Record<string, 'workday' | 'holiday'>;
  /** Absent unless a number is stored (then the built-in default applies). */
  deadlineDay?: number;
}

export async function calendarSettings(q: Q): Promise<CalendarSettings> {
  const rows = await q.select().from(calendarOverrides);
  const deadline = (await q.select().from(settings).where(eq(settings.key, 'deadline_day')))[0];
  return {
    overrides: Object.fromEntries(rows.map((r) => [r.day, r.kind as 'workday' | 'holiday'])),
    deadlineDay: typeof deadline?.value === 'number' ? deadline.value : undefined,
  };
}
