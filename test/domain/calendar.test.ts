import { describe, expect, it } from 'vitest';
import {
  addDays,
  CHINESE_DAYS_RANGE,
  createCalendar,
  dateInZone,
  daysBetween,
  defaultCalendar as cal,
  firstDayOfPeriod,
  halfYearOf,
  isCalendarDate,
  isHalfYearEnd,
  isoWeekday,
  isPeriod,
  isQuarterEnd,
  lastDayOfPeriod,
  nextPeriod,
  parseDate,
  periodOf,
  previousPeriod,
  quarterOf,
  quarterPeriods,
} from '../../src/domain/calendar.js';
import { calendarWarningText, dateErrorText, dateLabel, halfYearLabel, periodLabel, quarterLabel } from '../../src/words.js';

describe('report deadline (the 20th, or the next workday)', () => {
  it.each([
    ['2026-02', '2026-02-24'], // 20th (Fri) in the Spring Festival holiday 15–23
    ['2026-09', '2026-09-20'], // 20th is a Sunday make-up workday for National Day
    ['2026-06', '2026-06-22'], // 20th (Sat) in the Dragon Boat holiday 19–21
    ['2026-01', '2026-01-20'], // Tuesday
    ['2026-03', '2026-03-20'], // Friday
    ['2026-04', '2026-04-20'], // Monday
    ['2026-12', '2026-12-21'], // 20th is a Sunday
    ['2025-04', '2025-04-21'], // Sunday, the make-up workday that month is 27 April
    ['2025-09', '2025-09-22'], // Saturday; the make-up Sunday is 28 September
    ['2025-12', '2025-12-22'], // Saturday
    ['2023-01', '2023-01-20'], // Friday before the 2023 Spring Festival (21–27 January): still a workday
    ['2024-02', '2024-02-20'], // Tuesday, after the 2024 Spring Festival (10–17 February)
  ])('%s → %s', (period, expected) => {
    expect(cal.deadline(period)).toBe(expected);
  });

  it('uses a configured deadline day, clamped to the month', () => {
    const c = createCalendar({ deadlineDay: 31 });
    expect(c.deadline('2026-04')).toBe('2026-04-30'); // Thursday
    expect(c.deadline('2026-01')).toBe('2026-02-02'); // 31 Jan is Saturday → Monday
    expect(createCalendar({ deadlineDay: 10 }).deadline('2026-10')).toBe('2026-10-10'); // make-up Saturday
    expect(createCalendar({ deadlineDay: 5 }).deadline('2026-10')).toBe('2026-10-08'); // National Day 1–7
    expect(() => createCalendar({ deadlineDay: 0 })).toThrow(RangeError);
    expect(() => createCalendar({ deadlineDay: 32 })).toThrow(RangeError);
    expect(() => createCalendar({ deadlineDay: 20.5 })).toThrow(RangeError);
  });

  it('is past the deadline only after the deadline day ends in Beijing time', () => {
    expect(cal.isPastDeadline('2026-02', new Date('2026-02-24T15:59:59Z'))).toBe(false); // 23:59:59 on the 24th
    expect(cal.isPastDeadline('2026-02', new Date('2026-02-24T16:00:00Z'))).toBe(true); // 00:00 on the 25th
    expect(cal.isPastDeadline('2026-02', new Date('2026-02-20T02:00:00Z'))).toBe(false);
    const utc = createCalendar({ timeZone: 'UTC' });
    expect(utc.isPastDeadline('2026-02', new Date('2026-02-24T16:00:00Z'))).toBe(false);
  });
});

describe('workdays', () => {
  it.each([
    ['2026-02-14', true], // Saturday make-up workday
    ['2026-02-20', false], // Friday in the Spring Festival holiday
    ['2026-02-24', true],
    ['2026-02-28', true], // Saturday make-up workday
    ['2026-09-20', true], // Sunday make-up workday
    ['2026-10-08', true],
    ['2026-10-10', true], // Saturday make-up workday
    ['2026-10-11', false], // plain Sunday
    ['2026-01-01', false],
    ['2026-01-04', true], // Sunday make-up workday
    ['2026-06-19', false], // Dragon Boat Friday
    ['2026-03-18', true], // ordinary Wednesday
    ['2026-03-21', false], // ordinary Saturday
    ['2020-01-31', false], // the 2020 Spring Festival extension
    ['2015-09-03', false], // the one-off 2015 Victory Day holiday
  ])('%s workday: %s', (date, expected) => {
    expect(cal.isWorkday(date)).toBe(expected);
  });

  it('nextWorkday / previousWorkday / workdayOnOrAfter', () => {
    expect(cal.nextWorkday('2026-09-30')).toBe('2026-10-08');
    expect(cal.nextWorkday('2026-09-18')).toBe('2026-09-20'); // Friday → the make-up Sunday
    expect(cal.nextWorkday('2026-03-18')).toBe('2026-03-19'); // strictly after
    expect(cal.previousWorkday('2026-10-08')).toBe('2026-09-30');
    expect(cal.previousWorkday('2026-10-12')).toBe('2026-10-10'); // Monday → make-up Saturday
    expect(cal.previousWorkday('2026-02-24')).toBe('2026-02-14');
    expect(cal.workdayOnOrAfter('2026-03-18')).toBe('2026-03-18');
    expect(cal.workdayOnOrAfter('2026-02-15')).toBe('2026-02-24');
  });

  it('addWorkdays forwards and backwards', () => {
    expect(cal.addWorkdays('2026-06-22', -5)).toBe('2026-06-12'); // 5 workdays before the June deadline
    expect(cal.addWorkdays('2026-02-24', -5)).toBe('2026-02-10'); // 14th (make-up Sat), 13th, 12th, 11th, 10th
    expect(cal.addWorkdays('2026-02-13', 1)).toBe('2026-02-14');
    expect(cal.addWorkdays('2026-02-13', 2)).toBe('2026-02-24');
    expect(cal.addWorkdays('2026-09-18', 1)).toBe('2026-09-20');
    expect(cal.addWorkdays('2026-03-21', 0)).toBe('2026-03-21'); // zero steps: unchanged, even on a weekend
    expect(cal.addWorkdays('2026-03-20', 5)).toBe('2026-03-27');
    expect(cal.addWorkdays('2025-12-31', 1)).toBe('2026-01-04'); // 1–3 January holiday, the 4th a make-up Sunday
  });

  it('workdaysBetween counts (a, b] forwards and [b, a) backwards', () => {
    expect(cal.workdaysBetween('2026-02-13', '2026-02-24')).toBe(2); // 14th and 24th
    expect(cal.workdaysBetween('2026-03-16', '2026-03-20')).toBe(4);
    expect(cal.workdaysBetween('2026-03-16', '2026-03-16')).toBe(0);
    expect(cal.workdaysBetween('2026-03-20', '2026-03-16')).toBe(-4); // 16, 17, 18, 19
    expect(cal.workdaysBetween('2026-02-16', '2026-02-22')).toBe(0); // all holiday
    // All of 2026 (1 January is a holiday anyway): 261 weekdays − 19 weekday holidays (元旦 2, 春节 6, 清明 1,
    // 劳动节 3, 端午 1, 中秋 1, 国庆 5) + 6 make-up weekend days (1/4, 2/14, 2/28, 5/9, 9/20, 10/10) = 248.
    expect(cal.workdaysBetween('2026-01-01', '2026-12-31')).toBe(248);
  });

  it('workdaysBetween undoes addWorkdays', () => {
    for (const start of ['2026-02-14', '2026-02-18', '2026-09-19', '2026-10-01', '2026-06-20']) {
      for (const n of [-12, -5, -1, 0, 1, 3, 9]) {
        expect(cal.workdaysBetween(start, cal.addWorkdays(start, n))).toBe(n);
      }
    }
  });

  it('firstWorkdayOfWeek (weeks run Monday to Sunday)', () => {
    expect(cal.firstWorkdayOfWeek('2026-03-18')).toBe('2026-03-16');
    expect(cal.firstWorkdayOfWeek('2026-03-22')).toBe('2026-03-16'); // Sunday belongs to the week before
    expect(cal.firstWorkdayOfWeek('2026-02-18')).toBeNull(); // 16–22 February 2026: all Spring Festival
    expect(cal.firstWorkdayOfWeek('2026-02-25')).toBe('2026-02-24'); // Monday 23rd still holiday
    expect(cal.firstWorkdayOfWeek('2026-10-09')).toBe('2026-10-08'); // 5–7 October holiday
    expect(cal.firstWorkdayOfWeek('2026-01-04')).toBe('2025-12-29'); // the week of 29 Dec – 4 Jan
  });
});

describe('years chinese-days does not know', () => {
  it('knows 2004 to 2026', () => {
    expect(CHINESE_DAYS_RANGE).toEqual({ first: 2004, last: 2026 });
    const c = createCalendar();
    expect(c.knownYear(2026)).toBe(true);
    expect(c.knownYear(2004)).toBe(true);
    expect(c.knownYear(2027)).toBe(false);
    expect(c.knownYear(2003)).toBe(false);
  });

  it('falls back to weekends only and records a warning once per year', () => {
    const c = createCalendar();
    expect(c.warnings).toEqual([]);
    expect(c.deadline('2026-05')).toBe('2026-05-20');
    expect(c.warnings).toEqual([]);
    expect(c.isWorkday('2027-10-01')).toBe(true); // really National Day, but unknown: a Friday
    expect(c.deadline('2027-02')).toBe('2027-02-22'); // Saturday 20th → Monday
    expect(c.deadline('2027-03')).toBe('2027-03-22');
    expect(c.isWorkday('2028-01-01')).toBe(false); // Saturday
    expect(c.warnings).toEqual([
      { code: 'unknown_year', year: 2027 },
      { code: 'unknown_year', year: 2028 },
    ]);
    expect(calendarWarningText(c.warnings[0]!)).toContain('2027年');
  });

  it('overrides win over chinese-days; a year is known only when declared complete', () => {
    const c = createCalendar({
      overrides: { '2027-02-22': 'holiday', '2027-02-23': 'holiday', '2026-09-20': 'holiday', '2026-03-21': 'workday' },
      knownYears: [2027],
    });
    expect(c.knownYear(2027)).toBe(true);
    // One correction alone does not make the year known (issue 15, item 7).
    expect(createCalendar({ overrides: { '2027-02-22': 'holiday' } }).knownYear(2027)).toBe(false);
    expect(c.deadline('2027-02')).toBe('2027-02-24');
    expect(c.deadline('2026-09')).toBe('2026-09-21');
    expect(c.isWorkday('2026-03-21')).toBe(true);
    expect(c.warnings).toEqual([]);
    // the default calendar is untouched
    expect(cal.deadline('2026-09')).toBe('2026-09-20');
  });

  it('refuses malformed overrides', () => {
    expect(() => createCalendar({ overrides: { '2027-2-22': 'holiday' } })).toThrow(RangeError);
    expect(() => createCalendar({ overrides: { '2027-02-30': 'holiday' } })).toThrow(RangeError);
    expect(() => createCalendar({ overrides: { '2027-02-22': 'off' as 'holiday' } })).toThrow(RangeError);
  });

  it('gives up rather than loop forever when nothing is a workday', () => {
    const overrides: Record<string, 'holiday'> = {};
    for (let i = 0; i < 400; i++) overrides[addDays('2026-03-01', i)] = 'holiday';
    const c = createCalendar({ overrides });
    expect(() => c.deadline('2026-03')).toThrow(RangeError);
  });
});

describe('agrees with chinese-days for every day it knows', () => {
  it('2004-01-01 … 2026-12-31', async () => {
    // chinese-days builds its tables with local-time getters, so it is only right in a zone at or east of UTC.
    const saved = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai';
    try {
      const { default: chineseDays } = await import('chinese-days');
      let date = '2004-01-01';
      let checked = 0;
      while (date <= '2026-12-31') {
        const [y, m, d] = date.split('-').map(Number) as [number, number, number];
        expect(cal.isWorkday(date), date).toBe(chineseDays.isWorkday(new Date(y, m - 1, d)));
        date = addDays(date, 1);
        checked++;
      }
      expect(checked).toBe(8401);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('does not depend on the process time zone', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
        process.env.TZ = tz;
        const c = createCalendar();
        expect(c.deadline('2026-09')).toBe('2026-09-20');
        expect(c.deadline('2026-02')).toBe('2026-02-24');
        expect(c.isWorkday('2026-10-10')).toBe(true);
        expect(isoWeekday('2026-09-20')).toBe(7);
        expect(c.periodOf(new Date('2026-02-28T16:30:00Z'))).toBe('2026-03');
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('periods and time zones', () => {
  it('the period of an instant is in the bot zone, not UTC', () => {
    const instant = new Date('2026-02-28T16:30:00Z'); // 00:30 on 1 March in Beijing
    expect(periodOf(instant)).toBe('2026-03');
    expect(periodOf(instant, 'UTC')).toBe('2026-02');
    expect(cal.periodOf(instant)).toBe('2026-03');
    expect(cal.today(instant)).toBe('2026-03-01');
    expect(dateInZone(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
    expect(dateInZone(new Date('2025-12-31T15:59:59.999Z'))).toBe('2025-12-31');
    expect(dateInZone(new Date('2026-03-08T07:30:00Z'), 'America/New_York')).toBe('2026-03-08'); // DST day
    expect(createCalendar({ timeZone: 'America/Los_Angeles' }).periodOf(new Date('2026-03-01T07:00:00Z'))).toBe('2026-02');
    expect(periodOf('2026-03-01')).toBe('2026-03');
  });

  it('refuses an unknown zone and an invalid Date', () => {
    expect(() => createCalendar({ timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(() => dateInZone(new Date('nonsense'))).toThrow(RangeError);
  });

  it('previous and next period', () => {
    expect(previousPeriod('2026-01')).toBe('2025-12');
    expect(previousPeriod('2026-10')).toBe('2026-09');
    expect(nextPeriod('2025-12')).toBe('2026-01');
    expect(nextPeriod('2026-09')).toBe('2026-10');
    expect(() => previousPeriod('2026-13')).toThrow(RangeError);
    expect(() => previousPeriod('2026-1')).toThrow(RangeError);
  });

  it('quarters and half years', () => {
    expect(['2026-01', '2026-03', '2026-04', '2026-06', '2026-07', '2026-09', '2026-10', '2026-12'].map(quarterOf)).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4,
    ]);
    expect(halfYearOf('2026-06')).toBe(1);
    expect(halfYearOf('2026-07')).toBe(2);
    expect(['2026-03', '2026-05', '2026-06', '2026-12'].map(isQuarterEnd)).toEqual([true, false, true, true]);
    expect(['2026-03', '2026-06', '2026-12'].map(isHalfYearEnd)).toEqual([false, true, true]);
    expect(quarterPeriods(2026, 4)).toEqual(['2026-10', '2026-11', '2026-12']);
  });

  it('first and last day of a period', () => {
    expect(firstDayOfPeriod('2026-02')).toBe('2026-02-01');
    expect(lastDayOfPeriod('2026-02')).toBe('2026-02-28');
    expect(lastDayOfPeriod('2024-02')).toBe('2024-02-29');
    expect(lastDayOfPeriod('1900-02')).toBe('1900-02-28');
    expect(lastDayOfPeriod('2000-02')).toBe('2000-02-29');
    expect(lastDayOfPeriod('2026-04')).toBe('2026-04-30');
    expect(lastDayOfPeriod('2026-12')).toBe('2026-12-31');
  });
});

describe('calendar-day arithmetic', () => {
  it('validates', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2026-2-28')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate(20260228)).toBe(false);
    expect(isPeriod('2026-02')).toBe(true);
    expect(isPeriod('2026-00')).toBe(false);
    expect(() => cal.isWorkday('2026-02-30')).toThrow(RangeError);
  });

  it('adds and subtracts days', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2026-03-10', '2026-03-01')).toBe(-9);
    expect(isoWeekday('2026-09-20')).toBe(7);
    expect(isoWeekday('2026-02-23')).toBe(1);
  });
});

describe('parseDate', () => {
  it.each([
    ['2026-03-05', '2026-03-05'],
    ['2026-3-5', '2026-03-05'],
    ['2026/3/5', '2026-03-05'],
    ['2026.03.05', '2026-03-05'],
    ['2026年3月5日', '2026-03-05'],
    ['2026年3月5号', '2026-03-05'],
    ['2026年03月05', '2026-03-05'],
    ['20260305', '2026-03-05'],
    ['２０２６－０３－０５', '2026-03-05'],
    [' 2026-3-5 ', '2026-03-05'],
  ])('%s → %s', (input, expected) => {
    expect(parseDate(input)).toEqual({ ok: true, date: expected });
  });

  it.each(['2026-02-30', '2026-3/5', '26-3-5', '3月5日', 'tomorrow', '2026-13-01', '202603050'])('%s is invalid', (input) => {
    expect(parseDate(input)).toEqual({ ok: false, code: 'invalid', input });
  });

  it('empty, and the messages', () => {
    const empty = parseDate('  ');
    expect(empty).toEqual({ ok: false, code: 'empty' });
    if (!empty.ok) expect(dateErrorText(empty)).toContain('请填写日期');
    expect(dateErrorText({ code: 'invalid', input: 'tomorrow' })).toContain('tomorrow');
  });
});

describe('labels', () => {
  it('renders Chinese dates and periods', () => {
    expect(dateLabel('2026-02-24')).toBe('2026年2月24日');
    expect(periodLabel('2026-09')).toBe('2026年9月');
    expect(quarterLabel(2026, 3)).toBe('2026年第3季度');
    expect(halfYearLabel(2026, 1)).toBe('2026年上半年');
    expect(halfYearLabel(2026, 2)).toBe('2026年下半年');
  });
});

describe('dateInZone: the day of the minute is kept, and never outlives its minute or its zone', () => {
  it('each side of midnight, asked in turn, in two zones, and again', () => {
    const before = new Date('2026-11-30T23:59:59.999+08:00');
    const after = new Date('2026-12-01T00:00:00.000+08:00');
    for (let round = 0; round < 2; round++) {
      expect(dateInZone(before, 'Asia/Shanghai')).toBe('2026-11-30');
      expect(dateInZone(before, 'UTC')).toBe('2026-11-30');
      expect(dateInZone(after, 'Asia/Shanghai')).toBe('2026-12-01');
      expect(dateInZone(after, 'UTC')).toBe('2026-11-30');
      expect(dateInZone(before, 'Asia/Shanghai')).toBe('2026-11-30');
    }
    // a zone 5:45 ahead of UTC turns its day on a quarter hour, still a minute
    expect(dateInZone(new Date('2026-11-30T18:14:59Z'), 'Asia/Kathmandu')).toBe('2026-11-30');
    expect(dateInZone(new Date('2026-11-30T18:15:00Z'), 'Asia/Kathmandu')).toBe('2026-12-01');
    // before 1980 nothing is kept: Monrovia's day turned at 00:44:30 UTC in 1970
    expect(dateInZone(new Date('1970-01-02T00:44:29Z'), 'Africa/Monrovia')).toBe('1970-01-01');
    expect(dateInZone(new Date('1970-01-02T00:44:31Z'), 'Africa/Monrovia')).toBe('1970-01-02');
  });
});
