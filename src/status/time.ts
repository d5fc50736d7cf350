// Calendar helpers the status views need on top of domain/calendar: date windows, ISO weeks, zone midnights.

import {
  addDays,
  firstDayOfPeriod,
  isoWeekday,
  lastDayOfPeriod,
  previousPeriod,
  quarterOf,
  quarterPeriods,
  yearOf,
  type CalendarDate,
  type Period,
  type WorkCalendar,
} from '../domain/calendar.js';

/** An inclusive range of calendar days. */
export interface Window {
  from: CalendarDate;
  to: CalendarDate;
}

export function monthWindow(period: Period, today?: CalendarDate): Window {
  const last = lastDayOfPeriod(period);
  return { from: firstDayOfPeriod(period), to: today && today < last ? today : last };
}

export function yearWindow(year: number, today?: CalendarDate): Window {
  const y = String(year).padStart(4, '0');
  const last = `${y}-12-31`;
  return { from: `${y}-01-01`, to: today && today < last ? today : last };
}

export function quarterWindow(period: Period, today?: CalendarDate): Window {
  const ps = quarterPeriods(yearOf(period), quarterOf(period));
  const last = lastDayOfPeriod(ps[2]!);
  return { from: firstDayOfPeriod(ps[0]!), to: today && today < last ? today : last };
}

export function halfYearWindow(period: Period, today?: CalendarDate): Window {
  const y = String(yearOf(period)).padStart(4, '0');
  const first = Number(period.slice(5, 7)) <= 6;
  const from = first ? `${y}-01-01` : `${y}-07-01`;
  const last = first ? `${y}-06-30` : `${y}-12-31`;
  return { from, to: today && today < last ? today : last };
}

/** Monday … Sunday of the week before the one containing `date`. */
export function lastWeek(date: CalendarDate): Window {
  const monday = addDays(date, 1 - isoWeekday(date));
  return { from: addDays(monday, -7), to: addDays(monday, -1) };
}

/** ISO 8601 week key of a day: '2026-W47' (the ISO year, which differs from the calendar year around New Year). */
export function isoWeekKey(date: CalendarDate): string {
  // The week's Thursday decides the ISO year.
  const thursday = addDays(date, 4 - isoWeekday(date));
  const year = yearOf(thursday);
  const jan1 = `${String(year).padStart(4, '0')}-01-01`;
  const dayOfYear = Math.round((Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${jan1}T00:00:00Z`)) / 86_400_000);
  const week = Math.floor(dayOfYear / 7) + 1;
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** The last twelve periods ending with `period`, oldest first. */
export function last12Periods(period: Period): Period[] {
  const out = [period];
  while (out.length < 12) out.unshift(previousPeriod(out[0]!));
  return out;
}

/** The reporting period last closed at `today`: this month's once its deadline has passed, else last month's. */
export function closedPeriod(calendar: WorkCalendar, today: CalendarDate): Period {
  const current = calendar.periodOf(today);
  return today > calendar.deadline(current) ? current : previousPeriod(current);
}

/** The instant a calendar day starts in an IANA zone. */
export function startOfDay(date: CalendarDate, timeZone: string): Date {
  const guess = Date.parse(`${date}T00:00:00Z`);
  // The zone's offset at that moment: format the UTC guess in the zone and compare.
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(guess));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offset = asUtc - guess;
  return new Date(guess - offset);
}

/** Hour of the day (0–23) of an instant in a zone. */
export function hourInZone(instant: Date, timeZone: string): number {
  const h = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(instant);
  return Number(h);
}
