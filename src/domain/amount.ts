// Money amounts as officers write them ("5000万", "0.5亿", "5,000万元", "1亿5000万"), held exactly as integer
// fen (分, 0.01 元) in a JS number that must stay a safe integer. Parsing works on the decimal string with BigInt
// intermediates: no floating-point arithmetic ever touches an amount.
//
// The Chinese characters in this file are input vocabulary (units, approximation words), not output text;
// everything shown to a user is worded by src/words.ts from prompts/domain.ts.
import { toHalfWidth } from './text.js';

/** Fen per unit. */
export const FEN_PER_YUAN = 100;
export const FEN_PER_WAN = 1_000_000; // 1万元 = 10^4 元 = 10^6 分
export const FEN_PER_YI = 10_000_000_000; // 1亿元 = 10^8 元 = 10^10 分

/** Integer yuan → fen (for constants such as thresholds: `yuan(50_000_000)` is 5000万元). */
export function yuan(n: number): number {
  return checkedFen(n * FEN_PER_YUAN);
}
/** Integer count of 万元 → fen. */
export function wan(n: number): number {
  return checkedFen(n * FEN_PER_WAN);
}
/** Integer count of 亿元 → fen. */
export function yi(n: number): number {
  return checkedFen(n * FEN_PER_YI);
}

function checkedFen(n: number): number {
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount is not a safe integer of fen: ${n}`);
  return n;
}

/** A valid stored amount: a safe, non-negative integer of fen. */
export function isFen(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

export type AmountErrorCode =
  | 'empty'
  | 'negative'
  | 'range'
  | 'approximate'
  | 'too_precise'
  | 'unknown_unit'
  | 'too_large'
  | 'chinese_numerals'
  | 'invalid'
  | 'no_unit';

export type AmountError =
  | { code: 'empty' }
  | { code: 'negative' | 'range' | 'too_precise' | 'too_large' | 'chinese_numerals' | 'invalid' | 'no_unit'; input: string }
  | { code: 'approximate'; input: string; word: string }
  | { code: 'unknown_unit'; input: string; unit: string };

export type AmountResult = { ok: true; fen: number } | ({ ok: false } & AmountError);

export interface ParseAmountOptions {
  /**
   * Unit of a bare number such as "12000000". Default 'yuan'. Use 'wan' for ledger columns headed (万元).
   */
  defaultUnit?: 'yuan' | 'wan';
  /**
   * A bare number is refused ('no_unit') instead of read in `defaultUnit`: officers work in 万元, so "5000" on a
   * form or in a command is 5000万 as often as 5000元 (issue 17). Ledgers declare their unit in the header and
   * keep `defaultUnit`.
   */
  requireUnit?: boolean;
}

/** The smallest amount taken without asking: under 1万元 is usually a slip of the unit (issue 17). */
export const CONFIRM_BELOW_FEN = FEN_PER_WAN;

/** An amount to ask about before it is taken: more than nothing, less than 1万元. */
export function needsConfirmation(fen: number): boolean {
  return fen > 0 && fen < CONFIRM_BELOW_FEN;
}

/** Powers of ten (in 元) of the units officers use, longest spelling first so "千万" wins over "千". */
const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['亿', 8],
  ['千万', 7],
  ['百万', 6],
  ['万', 4],
  ['千', 3],
];

/** Words that make an amount approximate ("约5000万", "5000万左右", "5000多万", "3亿余元"). */
const APPROXIMATE_WORDS = ['左右', '上下', '以上', '以下', '大约', '大概', '约', '多', '余', '近', '超', '逾', '几', '来', '不到', '不足'];

/** Foreign currencies and symbols: the bot only records RMB. */
const FOREIGN_CURRENCY = /(美元|美金|港元|港币|欧元|日元|英镑|澳元|韩元|卢布|usd|hkd|eur|jpy|gbp|\$|€|£)/i;

/** Chinese numerals written instead of digits ("五千万"). */
const CHINESE_NUMERALS = /[零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟]/;

/** Range separators between two numbers: "5000-8000万", "5000~8000万", "5000万至8000万". */
const RANGE = /[\d万亿千百元]\s*(?:-|~|—|–|至|到)\s*\d/;

/**
 * Parses an amount as an officer writes it. Accepted: a decimal number with optional thousands commas, followed by
 * 亿 / 千万 / 百万 / 万 / 千 and an optional 元 ("5000万", "3.2亿元", "500元", "12000000"), or several such parts
 * with falling units ("1亿5000万", "1亿3千万元"); full-width digits and spaces; a leading 人民币 / ¥.
 * A bare number is in 元 unless `defaultUnit` says otherwise.
 */
export function parseAmount(input: string, options: ParseAmountOptions = {}): AmountResult {
  const raw = input.trim();
  const s = toHalfWidth(raw).replace(/\s+/g, '');
  if (s === '') return { ok: false, code: 'empty' };
  if (s.length > 100) return { ok: false, code: 'invalid', input: raw };

  const fail = (code: 'negative' | 'range' | 'too_precise' | 'too_large' | 'chinese_numerals' | 'invalid'): AmountResult => ({
    ok: false,
    code,
    input: raw,
  });

  if (/^(?:-|负)/.test(s)) return fail('negative');
  for (const word of APPROXIMATE_WORDS) {
    if (s.includes(word)) return { ok: false, code: 'approximate', input: raw, word };
  }
  if (RANGE.test(s)) return fail('range');

  const foreign = FOREIGN_CURRENCY.exec(s);
  if (foreign) return { ok: false, code: 'unknown_unit', input: raw, unit: foreign[0] };

  // RMB markers around the number carry no information: "人民币5000万元", "¥500万", "5000万元人民币", "500元整".
  let rest = s.replace(/^(?:人民币|RMB|CNY|¥)/i, '').replace(/(?:人民币|整)$/, '');
  if (!/\d/.test(rest)) return fail(CHINESE_NUMERALS.test(rest) ? 'chinese_numerals' : 'invalid');

  // Split into parts: number + optional unit, units strictly falling.
  let total = 0n;
  let previousUnitFen: bigint | null = null;
  let sawDecimal = false;
  let partCount = 0;
  while (rest.length > 0) {
    const num = /^(\d[\d,]*)(?:\.(\d+))?/.exec(rest);
    if (!num) {
      if (CHINESE_NUMERALS.test(rest.charAt(0))) return fail('chinese_numerals'); // "1亿五千万"
      break;
    }
    const intText = num[1]!;
    const fracText = num[2] ?? '';
    if (intText.includes(',') && !/^\d{1,3}(?:,\d{3})+$/.test(intText)) return fail('invalid');
    if (sawDecimal) return fail('invalid'); // only the last part may have decimals: "1.5亿3000万" is nonsense
    rest = rest.slice(num[0].length);

    let exponent: number | null = null;
    for (const [name, exp] of UNITS) {
      if (rest.startsWith(name)) {
        exponent = exp;
        rest = rest.slice(name.length);
        break;
      }
    }
    partCount++;
    if (exponent === null) {
      // A bare number: only as the whole amount ("12000000"), or followed by 元 ("1亿500元").
      if (rest.startsWith('元')) {
        exponent = 0;
      } else if (rest === '' && partCount === 1) {
        if (options.requireUnit) return { ok: false, code: 'no_unit', input: raw };
        exponent = options.defaultUnit === 'wan' ? 4 : 0;
      } else if (rest === '') {
        return fail('invalid'); // "1亿5000": 5000 what? ambiguous
      } else {
        return unknownUnitOrInvalid(raw, rest);
      }
    }

    // Exact fen: shift the decimal point by exponent + 2 places.
    const shift = exponent + 2;
    const digits = intText.replace(/,/g, '') + fracText.slice(0, shift).padEnd(shift, '0');
    if (/[1-9]/.test(fracText.slice(shift))) return fail('too_precise');
    const partFen = BigInt(digits);
    const unitFen = 10n ** BigInt(shift);
    if (previousUnitFen !== null && (unitFen >= previousUnitFen || partFen >= previousUnitFen)) return fail('invalid');
    previousUnitFen = unitFen;
    sawDecimal = fracText !== '';
    total += partFen;

    if (rest.startsWith('元')) {
      rest = rest.slice(1);
      if (rest !== '') return /\d/.test(rest) ? fail('invalid') : unknownUnitOrInvalid(raw, rest);
      break;
    }
  }
  if (rest !== '') return unknownUnitOrInvalid(raw, rest);
  if (partCount === 0) return fail('invalid');
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) return fail('too_large');
  return { ok: true, fen: Number(total) };
}

const CN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** A run of Chinese numerals below 10^4 (三千, 两千五百, 十二, 一千零五十) as an integer; null when malformed. */
function chineseInteger(run: string): number | null {
  let total = 0;
  let digit: number | null = null;
  let lastPlace = 10_000;
  for (const ch of run) {
    if (ch === '零' || ch === '〇') continue; // a gap ("一千零五十"): the place words carry the value
    if (ch in CN_DIGIT) {
      if (digit !== null) return null; // "三三"
      digit = CN_DIGIT[ch]!;
      continue;
    }
    const place = ch === '千' ? 1000 : ch === '百' ? 100 : ch === '十' ? 10 : 0;
    if (place === 0 || place >= lastPlace) return null;
    total += (digit ?? (place === 10 ? 1 : NaN)) * place;
    if (Number.isNaN(total)) return null;
    lastPlace = place;
    digit = null;
  }
  return total + (digit ?? 0);
}

/**
 * An amount as it is spoken in a sentence, for the one-sentence reader: what `parseAmount` takes, and also Chinese
 * numerals ("三千万", "两千万", "一亿五千万") and the colloquial 个 before the unit ("一个亿", "1.5个亿"). The form
 * keeps `parseAmount`, which refuses Chinese numerals so that a typo there is asked about, not guessed.
 */
export function parseSpokenAmount(input: string, options: ParseAmountOptions = {}): AmountResult {
  const s = toHalfWidth(input.trim())
    .replace(/\s+/g, '')
    .replace(/个(?=亿|万)/g, '');
  if (s.length > 100) return { ok: false, code: 'invalid', input: input.trim() };
  let failed = false;
  // A numeral run starts with a digit word (not a bare 千/百 after an Arabic digit, as in "5千万").
  const converted = s.replace(/(?<!\d)[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*/g, (run) => {
    // "千万" is a unit: "三千万" is 3000万, so a run ending in 千 before 万 keeps 千 as part of the number.
    const n = chineseInteger(run);
    if (n === null) failed = true;
    return n === null ? run : String(n);
  });
  if (failed) return { ok: false, code: 'chinese_numerals', input: input.trim() };
  const result = parseAmount(converted, options);
  return result.ok ? result : ({ ...result, input: input.trim() } as AmountResult);
}

function unknownUnitOrInvalid(input: string, rest: string): AmountResult {
  // A known unit in the wrong place ("5000万万", "5元万") is malformed, not unknown.
  if (rest.startsWith('元') || UNITS.some(([name]) => rest.startsWith(name))) return { ok: false, code: 'invalid', input };
  // Only letters or CJK after the number read as a unit we do not know ("5000w", "5吨"); "1e8" is just malformed.
  if (/^[A-Za-z\u4e00-\u9fff]+$/.test(rest)) return { ok: false, code: 'unknown_unit', input, unit: rest };
  return { ok: false, code: 'invalid', input };
}

// ---------------------------------------------------------------------------------------------------------------
// Arithmetic and formatting

/** Sum of fen amounts; throws RangeError when an input or the total is not a safe integer. */
export function sumFen(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) {
    if (!Number.isSafeInteger(v)) throw new RangeError(`not a safe integer of fen: ${v}`);
    total += v;
    if (!Number.isSafeInteger(total)) throw new RangeError('sum of amounts exceeds the safe integer range');
  }
  return total;
}

function groupThousands(intDigits: string): string {
  return intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * fen / 10^scaleExp rounded half away from zero to 2 decimals, as a string with thousands commas and trailing zeros
 * trimmed. scaleExp: 6 for 万元, 10 for 亿元, 2 for 元.
 */
export function scaled(fen: number, scaleExp: number): string {
  checkedFen(fen);
  const negative = fen < 0;
  let hundredths = BigInt(Math.abs(fen));
  if (scaleExp > 2) {
    const divisor = 10n ** BigInt(scaleExp - 2);
    const rem = hundredths % divisor;
    hundredths = hundredths / divisor + (rem * 2n >= divisor ? 1n : 0n);
  }
  const intPart = (hundredths / 100n).toString();
  const frac = (hundredths % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  const body = groupThousands(intPart) + (frac ? '.' + frac : '');
  return negative && hundredths !== 0n ? '-' + body : body;
}
