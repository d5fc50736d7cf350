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

  // 2026年11月 / 2026年11月底 / 2026年底
  const ym = /^(\d{4})年(\d{1,2})月(底|末|初|中旬|中|上旬|下旬)?$/.exec(s);
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
  const mSpan = /^([0-9一二三四五六七八九十]{1,3})月(底|末|初|中旬|中|上旬|下旬)?$/.exec(s);
  if (mSpan) {
    const m = smallNumber(mSpan[1]!);
    if (m === null || m < 1 || m > 12) return { ok: false, code: 'invalid', input: raw };
    const span = mSpan[2] ?? '底';
    return approx(placeMonthDay(today, m, (y) => spanDay(y, m, span), lean));
  }

  // 月底, 本月底, 下月, 下个月初, 上月底, 下月中旬
  const rm = /^(本|这个|这|下|下个|上|上个)?月(底|末|初|中旬|中|上旬|下旬)?$/.exec(s);
  if (rm && (rm[1] || rm[2])) {
    const offset = { 下: 1, 下个: 1, 上: -1, 上个: -1, 本: 0, 这: 0, 这个: 0 }[rm[1] ?? '本']!;
    const [y, m] = monthOffset(today, offset);
    return approx(ymd(y, m, spanDay(y, m, rm[2] ?? '底')));
  }

  // 年底, 今年底, 年内, 明年, 明年一季度, 下半年
  const [ty] = parts(today);
  const yearly: Record<string, CalendarDate> = {
    年底: ymd(ty, 12, 31),
    年末: ymd(ty, 12, 31),
    今年底: ymd(ty, 12, 31),
    年底前: ymd(ty, 12, 31),
    年内: ymd(ty, 12, 31),
    今年内: ymd(ty, 12, 31),
    明年: ymd(ty + 1, 12, 31),
    明年底: ymd(ty + 1, 12, 31),
    上半年: ymd(ty, 6, 30),
    下半年: ymd(ty, 12, 31),
  };
  if (s in yearly) return approx(yearly[s]!);
  const q = /^(今年|明年)?(一|二|三|四|1|2|3|4)季度(末|底)?$/.exec(s) ?? /^(今年|明年)?第([一二三四1234])季度(末|底)?$/.exec(s);
  if (q) {
    const n = { 一: 1, 二: 2, 三: 3, 四: 4, '1': 1, '2': 2, '3': 3, '4': 4 }[q[2]!]!;
    const y = q[1] === '明年' ? ty + 1 : ty;
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
