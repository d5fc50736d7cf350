// Reporting calendar: monthly periods, the report deadline (the 20th, moved to the next workday), and China's
// workday calendar with make-up workdays (调休).
//
// Conventions: a calendar day is a 'YYYY-MM-DD' string (CalendarDate), a reporting period is a 'YYYY-MM' string
// (Period), an instant is a Date. Day arithmetic is done on UTC day numbers, so nothing here depends on the time zone
// of the process. An instant becomes a calendar day only through an explicit IANA zone (default Asia/Shanghai).
//
// Holiday data comes from the chinese-days package's JSON (dist/chinese-days.json), not from its functions: those
// build their tables at load time with local-time getters over UTC-parsed dates, so in a process running west of UTC
// every holiday shifts by one day (2026-09-20, a make-up workday, reads as a Sunday off under TZ=America/New_York).
// The workday rule is the package's own: a listed make-up workday, or Monday–Friday that is not a listed holiday.

import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

export type CalendarDate = string;
export type Period = string;
export type DayOverride = 'workday' | 'holiday';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
export const DEFAULT_DEADLINE_DAY = 20;

const HOLIDAYS: Readonly<Record<string, string>> = chineseDays.holidays;
const MAKEUP_WORKDAYS: Readonly<Record<string, string>> = chineseDays.workdays;

/** Years for which chinese-days has the State Council's holiday arrangement. */
const PACKAGE_YEARS: ReadonlySet<number> = new Set(Object.keys(HOLIDAYS).map((d) => Number(d.slice(0, 4))));
export const CHINESE_DAYS_RANGE = {
  first: Math.min(...PACKAGE_YEARS),
  last: Math.max(...PACKAGE_YEARS),
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Calendar days and periods (time-zone free)

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD_RE = /^(\d{4})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** A real calendar day written 'YYYY-MM-DD' (2026-02-29 is not). */
export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** A period written 'YYYY-MM'. */
export function isPeriod(value: unknown): value is Period {
  if (typeof value !== 'string') return false;
  const m = PERIOD_RE.exec(value);
  return !!m && Number(m[1]) >= 1 && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

export function assertDate(date: CalendarDate): void {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${String(date)}`);
}

function assertPeriod(period: Period): void {
  if (!isPeriod(period)) throw new RangeError(`not a period (YYYY-MM): ${String(period)}`);
}

export function periodParts(period: Period): { year: number; month: number } {
  assertPeriod(period);
  return { year: Number(period.slice(0, 4)), month: Number(period.slice(5, 7)) };
}

/** Days since 1970-01-01. */
function toDayNumber(date: CalendarDate): number {
  assertDate(date);
  const ms = new Date(0).setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return Math.round(ms / MS_PER_DAY);
}

function fromDayNumber(n: number): CalendarDate {
  const d = new Date(n * MS_PER_DAY);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function addDays(date: CalendarDate, n: number): CalendarDate {
  if (!Number.isInteger(n)) throw new RangeError(`not a whole number of days: ${n}`);
  return fromDayNumber(toDayNumber(date) + n);
}

/** b − a in calendar days (positive when b is later). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: CalendarDate): number {
  const dow = new Date(toDayNumber(date) * MS_PER_DAY).getUTCDay();
  return dow === 0 ? 7 : dow;
}

export function yearOf(dateOrPeriod: CalendarDate | Period): number {
  return Number(dateOrPeriod.slice(0, 4));
}

/** The period a calendar day belongs to. */
export function periodOfDate(date: CalendarDate): Period {
  assertDate(date);
  return date.slice(0, 7);
}

export function firstDayOfPeriod(period: Period): CalendarDate {
  assertPeriod(period);
  return `${period}-01`;
}

export function lastDayOfPeriod(period: Period): CalendarDate {
  const { year, month } = periodParts(period);
  return `${period}-${pad(daysInMonth(year, month))}`;
}

export function previousPeriod(period: Period): Period {
  const { year, month } = periodParts(period);
  return month === 1 ? `${pad(year - 1, 4)}-12` : `${pad(year, 4)}-${pad(month - 1)}`;
}

export function nextPeriod(period: Period): Period {
  const { year, month } = periodParts(period);
  return month === 12 ? `${pad(year + 1, 4)}-01` : `${pad(year, 4)}-${pad(month + 1)}`;
}

export type Quarter = 1 | 2 | 3 | 4;
export type HalfYear = 1 | 2;

export function quarterOf(period: Period): Quarter {
  return (Math.floor((periodParts(period).month - 1) / 3) + 1) as Quarter;
}

export function halfYearOf(period: Period): HalfYear {
  return periodParts(period).month <= 6 ? 1 : 2;
}

/** March, June, September, December: the month whose close triggers the quarterly review. */
export function isQuarterEnd(period: Period): boolean {
  return periodParts(period).month % 3 === 0;
}

/** June and December. */
export function isHalfYearEnd(period: Period): boolean {
  return periodParts(period).month % 6 === 0;
}

/** The three periods of a quarter, in order. */
export function quarterPeriods(year: number, quarter: Quarter): Period[] {
  const first = (quarter - 1) * 3 + 1;
  return [first, first + 1, first + 2].map((m) => `${pad(year, 4)}-${pad(m)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Instants → calendar days in a zone

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws RangeError for an unknown zone.
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The calendar day an instant falls on in the given IANA zone. */
export function dateInZone(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): CalendarDate {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date');
  // Since 1980 every zone's offset is a whole number of minutes (before 1972 some had seconds), so a day starts on
  // a minute: the day of one minute is the day of every instant in it. The last minute asked is kept per zone (a
  // click asks it several times; issue 18).
  const minute = ms >= WHOLE_MINUTE_OFFSETS_SINCE ? Math.floor(ms / 60_000) : NaN;
  const last = lastDay.get(timeZone);
  if (last && last.minute === minute) return last.day;
  const parts = formatterFor(timeZone).formatToParts(instant);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const day = `${pad(get('year'), 4)}-${pad(get('month'))}-${pad(get('day'))}`;
  lastDay.set(timeZone, { minute, day });
  return day;
}
const lastDay = new Map<string, { minute: number; day: CalendarDate }>();
const WHOLE_MINUTE_OFFSETS_SINCE = Date.UTC(1980, 0, 1);

/** The reporting period of an instant (in the zone) or of a calendar day. */
export function periodOf(when: Date | CalendarDate, timeZone: string = DEFAULT_TIME_ZONE): Period {
  return typeof when === 'string' ? periodOfDate(when) : dateInZone(when, timeZone).slice(0, 7);
}

// ---------------------------------------------------------------------------------------------------------------
// Dates typed by people

export type DateParseError = { code: 'empty' } | { code: 'invalid'; input: string };
export type DateParseResult = { ok: true; date: CalendarDate } | ({ ok: false } & DateParseError);

/**
 * A date as an officer types it: 2026-03-05, 2026-3-5, 2026/3/5, 2026.3.5, 2026年3月5日, 20260305, full-width digits.
 */
export function parseDate(input: string): DateParseResult {
  const raw = input.trim();
  const s = raw.replace(/[\uFF10-\uFF19\uFF0D\uFF0E\uFF0F]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\s+/g, '');
  if (s === '') return { ok: false, code: 'empty' };
  const m = /^(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})[日号]?|(\d{2})(\d{2}))$/.exec(s);
  if (m) {
    const month = m[3] ?? m[5] ?? m[7];
    const day = m[4] ?? m[6] ?? m[8];
    const date = `${m[1]}-${pad(Number(month))}-${pad(Number(day))}`;
    if (isCalendarDate(date)) return { ok: true, date };
  }
  return { ok: false, code: 'invalid', input: raw };
}

// ---------------------------------------------------------------------------------------------------------------
// Labels

// ---------------------------------------------------------------------------------------------------------------
// The workday calendar

export interface CalendarOptions {
  /** Per-day decisions that win over chinese-days, e.g. next year's arrangement before the package has it. */
  overrides?: Readonly<Record<CalendarDate, DayOverride>>;
  /**
   * Years whose whole table (holidays and make-up workdays) an admin entered and the bot accepted as complete
   * (validateYearTable): only these, besides the package's, are "known". A single correction does not make a year
   * known.
   */
  knownYears?: readonly number[];
  /** Day of the month reports are due (default 20); clamped to the month's last day. */
  deadlineDay?: number;
  /** IANA zone of the bot (default Asia/Shanghai). */
  timeZone?: string;
}

export type CalendarWarning = { code: 'unknown_year'; year: number };

export interface WorkCalendar {
  readonly timeZone: string;
  readonly deadlineDay: number;
  /** Workday per overrides, else chinese-days; weekends-only for a year neither knows. */
  isWorkday(date: CalendarDate): boolean;
  /** The first workday strictly after date. */
  nextWorkday(date: CalendarDate): CalendarDate;
  /** The last workday strictly before date. */
  previousWorkday(date: CalendarDate): CalendarDate;
  /** date itself when a workday, else the next workday. */
  workdayOnOrAfter(date: CalendarDate): CalendarDate;
  /**
   * Moves n workdays; the start day is not counted. n > 0: the n-th workday after date; n < 0: the |n|-th workday
   * before it ("5 workdays before the deadline" is addWorkdays(deadline, -5)); n = 0: date unchanged.
   */
  addWorkdays(date: CalendarDate, n: number): CalendarDate;
  /**
   * Workdays from a to b: for a ≤ b the workdays in (a, b] ("workdays left until the deadline"); for b < a minus the
   * workdays in [b, a). So workdaysBetween(a, addWorkdays(a, n)) === n.
   */
  workdaysBetween(a: CalendarDate, b: CalendarDate): number;
  /** First workday of the Monday-to-Sunday week containing date; null when the week has none (Spring Festival). */
  firstWorkdayOfWeek(date: CalendarDate): CalendarDate | null;
  /** Report deadline of a period: the deadline day, or the next workday when that is not one. */
  deadline(period: Period): CalendarDate;
  /** True once the calendar day of `instant` (in the bot's zone) is after the period's deadline. */
  isPastDeadline(period: Period, instant: Date): boolean;
  /** The calendar day of an instant in the bot's zone. */
  today(instant: Date): CalendarDate;
  /** The period of an instant (in the bot's zone) or of a calendar day. */
  periodOf(when: Date | CalendarDate): Period;
  /** Whether holidays of the year are known: chinese-days has them, or the overrides name a day in that year. */
  knownYear(year: number): boolean;
  /** Years looked up so far that are not known (answered as weekends-only): for the app to log. */
  readonly warnings: readonly CalendarWarning[];
}

/** Upper bound on a search for a workday, against overrides that mark everything a holiday. */
const MAX_SEARCH_DAYS = 366;

export function createCalendar(options: CalendarOptions = {}): WorkCalendar {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  formatterFor(timeZone); // validate the zone now
  const deadlineDay = options.deadlineDay ?? DEFAULT_DEADLINE_DAY;
  if (!Number.isInteger(deadlineDay) || deadlineDay < 1 || deadlineDay > 31) {
    throw new RangeError(`deadlineDay must be a whole day of the month 1..31: ${deadlineDay}`);
  }
  const overrides = new Map<CalendarDate, DayOverride>();
  for (const [date, kind] of Object.entries(options.overrides ?? {})) {
    if (!isCalendarDate(date)) throw new RangeError(`calendar override: not a date (YYYY-MM-DD): ${date}`);
    if (kind !== 'workday' && kind !== 'holiday') throw new RangeError(`calendar override ${date}: ${String(kind)}`);
    overrides.set(date, kind);
  }
  const declaredYears = new Set(options.knownYears ?? []);
  const unknownSeen = new Set<number>();

  const knownYear = (year: number): boolean => PACKAGE_YEARS.has(year) || declaredYears.has(year);

  const isWorkday = (date: CalendarDate): boolean => {
    assertDate(date);
    const override = overrides.get(date);
    if (override) return override === 'workday';
    const year = yearOf(date);
    if (!knownYear(year)) unknownSeen.add(year);
    if (MAKEUP_WORKDAYS[date] !== undefined) return true;
    return isoWeekday(date) <= 5 && HOLIDAYS[date] === undefined;
  };

  const step = (date: CalendarDate, direction: 1 | -1): CalendarDate => {
    let d = date;
    for (let i = 0; i < MAX_SEARCH_DAYS; i++) {
      d = addDays(d, direction);
      if (isWorkday(d)) return d;
    }
    throw new RangeError(`no workday within ${MAX_SEARCH_DAYS} days of ${date}`);
  };

  const nextWorkday = (date: CalendarDate): CalendarDate => step(date, 1);
  const previousWorkday = (date: CalendarDate): CalendarDate => step(date, -1);
  const workdayOnOrAfter = (date: CalendarDate): CalendarDate => (isWorkday(date) ? date : nextWorkday(date));

  const addWorkdays = (date: CalendarDate, n: number): CalendarDate => {
    if (!Number.isInteger(n)) throw new RangeError(`not a whole number of workdays: ${n}`);
    assertDate(date);
    let d = date;
    for (let i = 0; i < Math.abs(n); i++) d = step(d, n > 0 ? 1 : -1);
    return d;
  };

  const workdaysBetween = (a: CalendarDate, b: CalendarDate): number => {
    const span = daysBetween(a, b);
    let count = 0;
    if (span >= 0) {
      for (let i = 1; i <= span; i++) if (isWorkday(addDays(a, i))) count++;
      return count;
    }
    for (let i = 0; i < -span; i++) if (isWorkday(addDays(b, i))) count++;
    return -count;
  };

  const firstWorkdayOfWeek = (date: CalendarDate): CalendarDate | null => {
    const monday = addDays(date, 1 - isoWeekday(date));
    for (let i = 0; i < 7; i++) {
      const d = addDays(monday, i);
      if (isWorkday(d)) return d;
    }
    return null;
  };

  const deadline = (period: Period): CalendarDate => {
    const { year, month } = periodParts(period);
    const day = Math.min(deadlineDay, daysInMonth(year, month));
    return workdayOnOrAfter(`${period}-${pad(day)}`);
  };

  const today = (instant: Date): CalendarDate => dateInZone(instant, timeZone);

  return {
    timeZone,
    deadlineDay,
    isWorkday,
    nextWorkday,
    previousWorkday,
    workdayOnOrAfter,
    addWorkdays,
    workdaysBetween,
    firstWorkdayOfWeek,
    deadline,
    isPastDeadline: (period, instant) => today(instant) > deadline(period),
    today,
    periodOf: (when) => periodOf(when, timeZone),
    knownYear,
    get warnings(): readonly CalendarWarning[] {
      return [...unknownSeen].sort((x, y) => x - y).map((year) => ({ code: 'unknown_year' as const, year }));
    },
  };
}

/**
 * How far a deadline is from `today`, as reminders say it: 'today', 'tomorrow' only when it is literally the next
 * calendar day, else 'later'; with the workdays left counting the deadline day itself (workdaysBetween: the
 * workdays in (today, deadline]). A Friday reminder for a Monday deadline is 'later' with 1 workday, never
 * "tomorrow" (issue: 2026-12-18 → 12-21).
 */
export interface DeadlineDistance {
  kind: 'past' | 'today' | 'tomorrow' | 'later';
  workdays: number;
}

export function deadlineDistance(cal: WorkCalendar, today: CalendarDate, deadline: CalendarDate): DeadlineDistance {
  const days = daysBetween(today, deadline);
  const workdays = Math.max(0, cal.workdaysBetween(today, deadline));
  if (days < 0) return { kind: 'past', workdays: 0 };
  if (days === 0) return { kind: 'today', workdays: 0 };
  return { kind: days === 1 ? 'tomorrow' : 'later', workdays };
}

/** Whether the calendar package itself has a year's holidays. */
export function packageKnowsYear(year: number): boolean {
  return PACKAGE_YEARS.has(year);
}

export type YearTableIssue =
  | { code: 'outside_year'; date: CalendarDate }
  | { code: 'holiday_on_weekend'; date: CalendarDate }
  | { code: 'workday_not_weekend'; date: CalendarDate }
  | { code: 'both'; date: CalendarDate }
  | { code: 'incomplete'; missing: 'new_year' | 'national_day' | 'too_few'; holidays: number };

/** Fewest weekday holidays a complete year can have: the statutory 13 days less those falling on weekends. */
export const MIN_WEEKDAY_HOLIDAYS = 8;

/**
 * Checks a year's table as an admin enters it: every day in that year; a holiday (放假) is a weekday (a weekend is
 * off anyway), a make-up workday (调休上班) is a weekend day; and the year is complete — New Year's Day and the
 * National Day holiday are in it, with at least MIN_WEEKDAY_HOLIDAYS weekday holidays. Empty when it is good.
 */
export function validateYearTable(
  year: number,
  table: { holidays: readonly CalendarDate[]; workdays: readonly CalendarDate[] },
): YearTableIssue[] {
  const issues: YearTableIssue[] = [];
  const hs = new Set(table.holidays);
  for (const d of [...table.holidays, ...table.workdays]) if (yearOf(d) !== year) issues.push({ code: 'outside_year', date: d });
  for (const d of table.holidays) if (isoWeekday(d) > 5) issues.push({ code: 'holiday_on_weekend', date: d });
  for (const d of table.workdays) {
    if (isoWeekday(d) <= 5) issues.push({ code: 'workday_not_weekend', date: d });
    if (hs.has(d)) issues.push({ code: 'both', date: d });
  }
  const newYear = `${year}-01-01`;
  if (isoWeekday(newYear) <= 5 && !hs.has(newYear)) issues.push({ code: 'incomplete', missing: 'new_year', holidays: hs.size });
  const october = [1, 2, 3].map((d) => `${year}-10-0${d}`).filter((d) => isoWeekday(d) <= 5);
  if (october.length > 0 && !october.some((d) => hs.has(d)))
    issues.push({ code: 'incomplete', missing: 'national_day', holidays: hs.size });
  if (hs.size < MIN_WEEKDAY_HOLIDAYS) issues.push({ code: 'incomplete', missing: 'too_few', holidays: hs.size });
  return issues;
}

/**
 * A year's table as typed: `2027 放假 1-1 2-15~2-19 10-1~10-7 上班 2-7 10-9` (放假/休 then days or ranges, 上班/班
 * then days; month-day within the year, or full dates). Weekend days inside a holiday range are dropped (they are
 * off anyway). Null when the text is not such a table.
 */
export function parseYearTable(text: string): { year: number; holidays: CalendarDate[]; workdays: CalendarDate[] } | null {
  const words = text.trim().split(/\s+/);
  const year = Number(words.shift());
  if (!Number.isInteger(year) || year < 2000 || year > 2100) return null;
  const holidays: CalendarDate[] = [];
  const workdays: CalendarDate[] = [];
  let into: CalendarDate[] | null = null;
  const day = (w: string): CalendarDate | null => {
    const m = /^(?:(\d{4})[-/.])?(\d{1,2})[-/.](\d{1,2})$/.exec(w);
    if (!m) return null;
    const d = `${m[1] ?? year}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`;
    return isCalendarDate(d) ? d : null;
  };
  for (const w of words) {
    if (/^(放假|休|假|holiday)$/i.test(w)) into = holidays;
    else if (/^(上班|班|调休上班|workday)$/i.test(w)) into = workdays;
    else {
      if (!into) return null;
      for (const part of w.split(/[,，、]/).filter(Boolean)) {
        const [a, b] = part.split(/~|～|至|--/);
        const from = day(a ?? '');
        const to = b === undefined ? from : day(b);
        if (!from || !to || to < from) return null;
        for (let d = from; d <= to; d = addDays(d, 1)) {
          if (into === holidays && b !== undefined && isoWeekday(d) > 5) continue;
          into.push(d);
        }
      }
    }
  }
  return { year, holidays: [...new Set(holidays)].sort(), workdays: [...new Set(workdays)].sort() };
}

/** The calendar with chinese-days only, deadline the 20th, Asia/Shanghai. */
export const defaultCalendar: WorkCalendar = createCalendar();
