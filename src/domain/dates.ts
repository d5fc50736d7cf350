/*
 * Dates as officers write them in chat, read against today: `2026-11-25`, `11月25日`, `25号`, `昨天`, `上周三`,
 * `下周三`, `本周五`, `月底`, `12月底`, `下月初`, `下月`, `年底`. Pure: the caller hands in today ('YYYY-MM-DD' in the
 * bot's zone) and says which way an incomplete date leans — a trip or a fund already happened (`past`), a
 * next step or a leave's end lies ahead (`future`). Vague spans (`下月`, `年底`) read as their last day, the latest
 * a "by then" can mean, and are marked `approx`.
 */
import { isCalendarDate, parseDate, type CalendarDate } from './calendar.js';
import { toHalfWidth } from './text.js';

export type Lean = 'past' | 'future' | 'near';

export type ReadDateResult =
  { ok: true; date: CalendarDate; approx: boolean } | { ok: false; code: 'empty' } | { ok: false; code: 'invalid'; input: string };

const pad = (n: number) => String(n).padStart(2, '0');

function ymd(y: number, m: number, d: number): CalendarDate {
  return `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;
}

function parts(date: CalendarDate): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function addDays(date: CalendarDate, n: number): CalendarDate {
  const [y, m, d] = parts(date);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return ymd(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Monday = 1 … Sunday = 7. */
function isoWeekday(date: CalendarDate): number {
  const [y, m, d] = parts(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay() || 7;
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 1–31 written in Chinese numerals (三, 十, 十二, 二十, 二十五, 三十一) or digits; null for anything else. */
function smallNumber(s: string): number | null {
  if (/^\d{1,2}$/.test(s)) return Number(s);
  const m = /^([一二三四五六七八九]?)(十?)([一二三四五六七八九]?)$/.exec(s);
  if (!m || s === '') return null;
  const [, tens, ten, ones] = m;
  if (!ten) return tens && !ones ? CN_DIGITS[tens]! : null;
  return (tens ? CN_DIGITS[tens]! : 1) * 10 + (ones ? CN_DIGITS[ones]! : 0);
}

const WEEKDAY: Record<string, number> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  日: 7,
  天: 7,
  '1': 1,
  '2': 2,
  '3': 3,
  '4': 4,
  '5': 5,
  '6': 6,
  '7': 7,
};

/** A month/day without a year: the year that puts it on the side the date leans to. */
function placeMonthDay(today: CalendarDate, month: number, day: number | ((y: number) => number), lean: Lean): CalendarDate | null {
  const [ty] = parts(today);
  const at = (y: number) => {
    if (month < 1 || month > 12) return null;
    const d = typeof day === 'function' ? day(y) : day;
    const date = ymd(y, month, d);
    return isCalendarDate(date) ? date : null;
  };
  const same = at(ty);
  if (!same) return day === 29 && month === 2 ? (lean === 'past' ? at(ty - 1) : at(ty + 1)) : null;
  if (lean === 'past' && same > today) return at(ty - 1);
  if (lean === 'future' && same < today) return at(ty + 1);
  return same;
}

/** A day of the month alone (`25号`): this month, or the neighbouring one on the side the date leans to. */
function placeDay(today: CalendarDate, day: number, lean: Lean): CalendarDate | null {
  const [ty, tm, td] = parts(today);
  let y = ty;
  let m = tm;
  if (lean === 'past' && day > td) [y, m] = m === 1 ? [y - 1, 12] : [y, m - 1];
  if (lean === 'future' && day < td) [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  const date = ymd(y, m, day);
  return isCalendarDate(date) ? date : null;
}

function monthOffset(today: CalendarDate, offset: number): [number, number] {
  const [y, m] = parts(today);
  const idx = y * 12 + (m - 1) + offset;
  return [Math.floor(idx / 12), (idx % 12) + 1];
}

/**
 * Reads a date. `lean` decides incomplete dates: `past` places `11月25日`, `25号` and a bare `周三` on or before
 * today, `future` on or after it, `near` in the current year / month / week.
 */
export function readDate(input: string, today: CalendarDate, lean: Lean = 'near'): ReadDateResult {
  const raw = input.trim();
  const s = toHalfWidth(raw)
    .replace(/\s+/g, '')
    .replace(/[，。,.！!]+$/, '');
  if (s === '') return { ok: false, code: 'empty' };
  const exact = (date: CalendarDate | null): ReadDateResult =>
    date ? { ok: true, date, approx: false } : { ok: false, code: 'invalid', input: raw };
  const approx = (date: CalendarDate | null): ReadDateResult =>
    date ? { ok: true, date, approx: true } : { ok: false, code: 'invalid', input: raw };

  const full = parseDate(s);
  if (full.ok) return exact(full.date);
  const [ty] = parts(today);

  // 春节前, 元旦之前, 国庆前: the holiday's eve ("by the holiday"); 春节, 元旦: the day itself (the next one ahead
  // when leaning future, the last one when leaning past).
  const hol = /^(春节|元旦|国庆|五一|劳动节|国庆节)(之前|以前|前)?$/.exec(s);
  if (hol) {
    const day = holidayDate(hol[1]!, today, lean);
    if (!day) return { ok: false, code: 'invalid', input: raw };
    return hol[2] ? approx(addDays(day, -1)) : exact(day);
  }

  // "by X": 12月20日前, 月底前, 下月底之前, 年底以前 read as X itself.
  const by = /^(.+?)(?:之前|以前|前)$/.exec(s);
  if (by && !/^(?:\d+|[一二三四五六七八九十两]+)(?:天|日)$/.test(by[1]!)) {
    const inner = readDate(by[1]!, today, lean);
    if (inner.ok) return inner;
  }

  // 10天内, 三日内, 7天之内: within N days of today.
  const within = /^(\d{1,3}|[一二三四五六七八九十两]{1,3})(?:天|日)(?:内|之内|以内)$/.exec(s);
  if (within) {
    const n = /^\d/.test(within[1]!) ? Number(within[1]) : smallNumber(within[1]!.replace('两', '二'));
    return n === null ? { ok: false, code: 'invalid', input: raw } : approx(addDays(today, n));
  }

  // 本周, 本周内, 这周, 下周, 下周内: the week read as its last day (Sunday), "by then".
  const week = /^(本|这|这个|下|下个)(?:周|星期|礼拜)(?:内|之内|末)?$/.exec(s);
  if (week) {
    const sunday = addDays(today, 7 - isoWeekday(today));
    return approx(week[1]!.startsWith('下') ? addDays(sunday, 7) : sunday);
  }

  // 明年3月, 明年5月底, 今年12月: the year named in words.
  const namedYear = /^(今年|明年|后年)(\d{1,2}|[一二三四五六七八九十]{1,3})月(.*)$/.exec(s);
  if (namedYear) {
    const y = ty + { 今年: 0, 明年: 1, 后年: 2 }[namedYear[1] as '今年' | '明年' | '后年'];
    const m = smallNumber(namedYear[2]!);
    if (m === null) return { ok: false, code: 'invalid', input: raw };
    return readDate(`${y}年${m}月${namedYear[3]!}`, today, lean);
  }

  // 下月15号, 本月25日
  const rmd = /^(本|这个|这|下|下个)月([0-9一二三四五六七八九十]{1,3})[日号]$/.exec(s);
  if (rmd) {
    const d = smallNumber(rmd[2]!);
    const [y, m] = monthOffset(today, rmd[1]!.startsWith('下') ? 1 : 0);
    return d === null ? { ok: false, code: 'invalid', input: raw } : exact(isCalendarDate(ymd(y, m, d)) ? ymd(y, m, d) : null);
  }

  const rel: Record<string, number> = { 今天: 0, 今日: 0, 昨天: -1, 昨日: -1, 前天: -2, 明天: 1, 明日: 1, 后天: 2, 大后天: 3, 大前天: -3 };
  if (s in rel) return exact(addDays(today, rel[s]!));

  // 上周三, 下星期五, 本周一, 这周日, 周三, 星期天, 礼拜二
  const wk = /^(上上|下下|上|下|本|这|这个)?(?:个)?(?:周|星期|礼拜)([一二三四五六日天1-7])$/.exec(s);
  if (wk) {
    const target = WEEKDAY[wk[2]!]!;
    const monday = addDays(today, 1 - isoWeekday(today));
    const weeks = { 上上: -2, 上: -1, 下: 1, 下下: 2, 本: 0, 这: 0, 这个: 0 }[wk[1] ?? ''] ?? null;
    if (weeks !== null) return exact(addDays(monday, weeks * 7 + target - 1));
    const inWeek = addDays(monday, target - 1);
    if (lean === 'past' && inWeek > today) return exact(addDays(inWeek, -7));
    if (lean === 'future' && inWeek < today) return exact(addDays(inWeek, 7));
    return exact(inWeek);
  }

  // 2026年11月 / 2026年11月底 / 2026年底 / 2026年11月份
  const ym = /^(\d{4})年(\d{1,2})月份?(底|末|初|中旬|中|上旬|下旬)?$/.exec(s);
  if (ym) {
    const y = Number(ym[1]);
    const m = Number(ym[2]);
    if (m < 1 || m > 12) return { ok: false, code: 'invalid', input: raw };
    return approx(ymd(y, m, spanDay(y, m, ym[3] ?? '底')));
  }
  const yEnd = /^(\d{4})年(底|末|年底)$/.exec(s);
  if (yEnd) return approx(ymd(Number(yEnd[1]), 12, 31));

  // 11月25日, 11月25号, 十一月二十五日, 11-25, 11/25, 11.25
  const md = /^([0-9一二三四五六七八九十]{1,3})月([0-9一二三四五六七八九十]{1,3})[日号]?$/.exec(s) ?? /^(\d{1,2})[-/.](\d{1,2})$/.exec(s);
  if (md) {
    const m = smallNumber(md[1]!);
    const d = smallNumber(md[2]!);
    if (m === null || d === null) return { ok: false, code: 'invalid', input: raw };
    return exact(placeMonthDay(today, m, d, lean));
  }

  // 25号, 25日, 二十五号
  const dd = /^([0-9一二三四五六七八九十]{1,3})[日号]$/.exec(s);
  if (dd) {
    const d = smallNumber(dd[1]!);
    return d === null ? { ok: false, code: 'invalid', input: raw } : exact(placeDay(today, d, lean));
  }

  // 12月底, 十二月初, 3月中旬
  const mSpan = /^([0-9一二三四五六七八九十]{1,3})月份?(底|末|初|中旬|中|上旬|下旬)?$/.exec(s);
  if (mSpan) {
    const m = smallNumber(mSpan[1]!);
    if (m === null || m < 1 || m > 12) return { ok: false, code: 'invalid', input: raw };
    const span = mSpan[2] ?? '底';
    return approx(placeMonthDay(today, m, (y) => spanDay(y, m, span), lean));
  }

  // 月底, 本月底, 下月, 下个月初, 上月底, 下月中旬
  const rm = /^(本|这个|这|下|下个|上|上个)?月(底|末|初|中旬|中|上旬|下旬|内)?$/.exec(s);
  if (rm && (rm[1] || rm[2])) {
    const offset = { 下: 1, 下个: 1, 上: -1, 上个: -1, 本: 0, 这: 0, 这个: 0 }[rm[1] ?? '本']!;
    const [y, m] = monthOffset(today, offset);
    return approx(ymd(y, m, spanDay(y, m, rm[2] ?? '底')));
  }

  // 年底, 今年底, 年内, 明年, 明年一季度, 下半年
  const yearly: Record<string, CalendarDate> = {
    年底: ymd(ty, 12, 31),
    年末: ymd(ty, 12, 31),
    今年底: ymd(ty, 12, 31),
    年底前: ymd(ty, 12, 31),
    年内: ymd(ty, 12, 31),
    今年内: ymd(ty, 12, 31),
    明年: ymd(ty + 1, 12, 31),
    明年底: ymd(ty + 1, 12, 31),
    明年年底: ymd(ty + 1, 12, 31),
    明年年内: ymd(ty + 1, 12, 31),
    明年内: ymd(ty + 1, 12, 31),
    明年上半年: ymd(ty + 1, 6, 30),
    明年下半年: ymd(ty + 1, 12, 31),
    今年上半年: ymd(ty, 6, 30),
    今年下半年: ymd(ty, 12, 31),
    上半年: ymd(ty, 6, 30),
    下半年: ymd(ty, 12, 31),
  };
  if (s in yearly) return approx(yearly[s]!);
  const q = /^(今年|明年)?(一|二|三|四|1|2|3|4)季度(末|底)?$/.exec(s) ?? /^(今年|明年)?第([一二三四1234])季度(末|底)?$/.exec(s);
  if (q) {
    const n = { 一: 1, 二: 2, 三: 3, 四: 4, '1': 1, '2': 2, '3': 3, '4': 4 }[q[2]!]!;
    let y = q[1] === '明年' ? ty + 1 : ty;
    // A quarter without a year that has passed, read ahead, is next year's (二季度 in December → next June).
    if (!q[1] && lean === 'future' && ymd(y, n * 3, lastDay(y, n * 3)) < today) y += 1;
    return approx(ymd(y, n * 3, lastDay(y, n * 3)));
  }
  return { ok: false, code: 'invalid', input: raw };
}

/**
 * The day a part of a month stands for, read as "by then": its last day for 底/末 (and a bare month), the 10th for
 * 初/上旬, the 20th for 中旬, the 15th for 中, the last day for 下旬.
 */
function spanDay(y: number, m: number, span: string): number {
  if (span === '初' || span === '上旬') return 10;
  if (span === '中' || span === '中旬') return span === '中' ? 15 : 20;
  return lastDay(y, m);
}

/** Spring Festival (正月初一) by year; the lunar calendar has no closed form, so the years the bot will meet. */
const SPRING_FESTIVAL: Record<number, CalendarDate> = {
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-03',
  2031: '2031-01-23',
  2032: '2032-02-11',
  2033: '2033-01-31',
  2034: '2034-02-19',
  2035: '2035-02-08',
};

/** The holiday's day in the year the lean puts it in (the next one ahead for `future`, the last one for `past`). */
function holidayDate(name: string, today: CalendarDate, lean: Lean): CalendarDate | null {
  const [ty] = parts(today);
  const at = (y: number): CalendarDate | null => {
    if (name === '春节') return SPRING_FESTIVAL[y] ?? null;
    if (name === '元旦') return ymd(y, 1, 1);
    if (name === '五一' || name === '劳动节') return ymd(y, 5, 1);
    return ymd(y, 10, 1); // 国庆
  };
  const same = at(ty);
  if (lean === 'future' && (same === null || same < today)) return at(ty + 1);
  if (lean === 'past' && (same === null || same > today)) return at(ty - 1);
  return same;
}
