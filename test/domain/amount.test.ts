import { describe, expect, it } from 'vitest';
import {
  FEN_PER_WAN,
  isFen,
  parseAmount,
  parseSpokenAmount,
  sumFen,
  wan,
  yi,
  yuan,
  type AmountError,
  type AmountResult,
} from '../../src/domain/amount.js';
import { amountErrorText, formatAmount, formatWan, formatYi, formatYuan } from '../../src/words.js';

function fen(input: string, options?: Parameters<typeof parseAmount>[1]): number {
  const r = parseAmount(input, options);
  if (!r.ok) throw new Error(`expected ${input} to parse, got ${r.code}`);
  return r.fen;
}

function code(input: string): string | undefined {
  const r: AmountResult = parseAmount(input);
  return r.ok ? undefined : r.code;
}

describe('parseAmount: accepted forms', () => {
  it.each([
    // 1万元 = 10^4 元 = 10^6 分; 1亿元 = 10^10 分
    ['5000万', 5_000_000_000],
    ['0.5亿', 5_000_000_000],
    ['5,000万元', 5_000_000_000],
    ['3.2亿元', 32_000_000_000],
    ['12000000', 1_200_000_000], // bare number = 元
    ['1.5 亿', 15_000_000_000],
    ['500元', 50_000],
    ['1亿5000万', 15_000_000_000],
    ['1亿5000万元', 15_000_000_000],
    ['１亿５０００万', 15_000_000_000],
    ['５０００万', 5_000_000_000],
    ['１，２００万元', 1_200_000_000],
    ['　5000 万 元　', 5_000_000_000], // ideographic spaces around and inside
    ['5000万元', 5_000_000_000],
    ['0.0001万元', 100], // 1 元
    ['1.23元', 123],
    ['1.5元', 150],
    ['1.000元', 100], // trailing zeros are not extra precision
    ['0.0000000001亿', 1], // exactly one fen
    ['3千万', 3_000_000_000],
    ['1亿3千万元', 13_000_000_000],
    ['2百万', 200_000_000],
    ['5千元', 500_000],
    ['1亿500元', 10_000_050_000],
    ['1万2345元', 1_234_500],
    ['663.02亿元', 6_630_200_000_000],
    ['1,234,567.89元', 123_456_789],
    ['人民币5000万元', 5_000_000_000],
    ['¥500万', 500_000_000],
    ['￥500万', 500_000_000],
    ['5000万元人民币', 5_000_000_000],
    ['500元整', 50_000],
    ['0', 0],
    ['0万元', 0],
    ['000123元', 12_300],
  ])('%s → %d fen', (input, expected) => {
    expect(fen(input)).toBe(expected);
  });

  it('reads a bare number as 万元 when asked (ledger columns headed 万元)', () => {
    expect(fen('5000', { defaultUnit: 'wan' })).toBe(5_000_000_000);
    expect(fen('0.5', { defaultUnit: 'wan' })).toBe(500_000);
    expect(fen('5000元', { defaultUnit: 'wan' })).toBe(500_000); // an explicit unit wins
    expect(fen('1亿', { defaultUnit: 'wan' })).toBe(10_000_000_000);
  });

  it('accepts the largest safe amount and refuses one fen more', () => {
    // MAX_SAFE_INTEGER = 9007199254740991 fen = 90071992547409.91 元
    expect(fen('90071992547409.91元')).toBe(Number.MAX_SAFE_INTEGER);
    expect(code('90071992547409.92元')).toBe('too_large');
  });
});

describe('parseAmount: refusals', () => {
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['-5000万', 'negative'],
    ['－5000万', 'negative'],
    ['负5000万', 'negative'],
    ['5000-8000万', 'range'],
    ['5000~8000万', 'range'],
    ['5000～8000万', 'range'],
    ['5000万-8000万', 'range'],
    ['5000万至8000万元', 'range'],
    ['1亿到2亿', 'range'],
    ['约5000万', 'approximate'],
    ['5000万左右', 'approximate'],
    ['5000多万', 'approximate'],
    ['3亿余元', 'approximate'],
    ['近5000万', 'approximate'],
    ['超1亿', 'approximate'],
    ['1亿以上', 'approximate'],
    ['1.001元', 'too_precise'],
    ['0.00000000001亿', 'too_precise'],
    ['5千美元', 'unknown_unit'],
    ['$5000', 'unknown_unit'],
    ['5000美金', 'unknown_unit'],
    ['100万港币', 'unknown_unit'],
    ['5000 USD', 'unknown_unit'],
    ['5000w', 'unknown_unit'],
    ['5吨', 'unknown_unit'],
    ['99999999999亿', 'too_large'],
    ['1' + '0'.repeat(40), 'too_large'],
    ['abc', 'invalid'],
    ['万元', 'invalid'],
    ['5000万?', 'invalid'],
    ['50,00万', 'invalid'], // commas must group thousands
    ['5,0000万', 'invalid'],
    ['.5亿', 'invalid'],
    ['5.万', 'invalid'],
    ['1e8', 'invalid'],
    ['1亿5000', 'invalid'], // 5000 what?
    ['5000万万', 'invalid'],
    ['5000万1亿', 'invalid'], // units must fall
    ['1亿15000万', 'invalid'], // 15000万 is not below 1亿
    ['1.5亿3000万', 'invalid'], // only the last part may have decimals
    ['500元5万', 'invalid'],
    ['五千万', 'chinese_numerals'],
    ['一亿五千万元', 'chinese_numerals'],
    ['1亿五千万', 'chinese_numerals'],
  ])('%s → %s', (input, expected) => {
    expect(code(input)).toBe(expected);
  });

  it('allows 万元 with up to six decimals and no more (a fen is 0.000001万)', () => {
    expect(fen('1.23456万')).toBe(1_234_560);
    expect(fen('1.234567万')).toBe(1_234_567);
    expect(code('1.2345678万')).toBe('too_precise');
    expect(fen('1.2345670万')).toBe(1_234_567);
  });

  it('keeps the original input and the offending word or unit in the error', () => {
    expect(parseAmount(' 约5000万 ')).toEqual({ ok: false, code: 'approximate', input: '约5000万', word: '约' });
    expect(parseAmount('5000万左右')).toMatchObject({ word: '左右' });
    expect(parseAmount('5千美元')).toEqual({ ok: false, code: 'unknown_unit', input: '5千美元', unit: '美元' });
    expect(parseAmount('5000w')).toMatchObject({ unit: 'w' });
    expect(parseAmount('')).toEqual({ ok: false, code: 'empty' });
    expect(parseAmount('-5')).toEqual({ ok: false, code: 'negative', input: '-5' });
  });

  it('never uses binary floating point: 0.1 + 0.2 style inputs stay exact', () => {
    expect(fen('0.3元')).toBe(30);
    expect(fen('0.29元')).toBe(29); // parseFloat('0.29') * 100 = 28.999999999999996
    expect(fen('1.13亿')).toBe(11_300_000_000); // 1.13 * 1e10 = 11299999999.999998 in floats
    expect(fen('8.2万')).toBe(8_200_000); // 8.2 * 1e6 = 8199999.999999999
    expect(fen('0.57亿')).toBe(5_700_000_000); // 0.57 * 1e10 = 5699999999.999999
  });
});

describe('amountErrorText', () => {
  const errors: AmountError[] = [
    { code: 'empty' },
    { code: 'negative', input: '-5' },
    { code: 'range', input: '5000-8000万' },
    { code: 'approximate', input: '约5000万', word: '约' },
    { code: 'too_precise', input: '1.001元' },
    { code: 'unknown_unit', input: '5千美元', unit: '美元' },
    { code: 'too_large', input: '99999999999亿' },
    { code: 'chinese_numerals', input: '五千万' },
    { code: 'invalid', input: 'abc' },
  ];
  it.each(errors)('renders $code', (err) => {
    const text = amountErrorText(err);
    expect(text.length).toBeGreaterThan(4);
    if ('input' in err) expect(text).toContain(err.input);
  });

  it('names the word and the unit', () => {
    expect(amountErrorText({ code: 'approximate', input: '5000万左右', word: '左右' })).toContain('“左右”');
    expect(amountErrorText({ code: 'unknown_unit', input: '5千美元', unit: '美元' })).toContain('“美元”');
    expect(amountErrorText({ code: 'negative', input: '-5' })).toBe('金额不能为负数：-5');
  });

  it('cuts a long echoed input', () => {
    const text = amountErrorText({ code: 'invalid', input: 'x'.repeat(200) });
    expect(text).toContain('x'.repeat(40) + '…');
    expect(text).not.toContain('x'.repeat(41));
  });

  it('renders the message of every parse failure', () => {
    for (const input of ['', '-1', '1-2', '约1', '1.001', '5千美元', '1' + '0'.repeat(30), '五', 'abc']) {
      const r = parseAmount(input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(() => amountErrorText(r)).not.toThrow();
    }
  });
});

describe('formatting', () => {
  it('formatWan: no thousands commas (issue 17), up to 2 decimals, trimmed, rounded half up', () => {
    expect(formatWan(5_000_000_000)).toBe('5000万元');
    expect(formatWan(1_200_000_000)).toBe('1200万元');
    expect(formatWan(12_345_678)).toBe('12.35万元'); // 12.345678万
    expect(formatWan(12_344_999)).toBe('12.34万元');
    expect(formatWan(12_345_000)).toBe('12.35万元'); // exactly half → up
    expect(formatWan(10_500_000)).toBe('10.5万元');
    expect(formatWan(50_000)).toBe('0.05万元'); // 500元
    expect(formatWan(4_999)).toBe('0万元'); // 49.99元 rounds away
    expect(formatWan(5_000)).toBe('0.01万元'); // 50元
    expect(formatWan(0)).toBe('0万元');
    expect(formatWan(15_000_000_000)).toBe('15000万元');
    expect(formatWan(-5_000_000_000)).toBe('-5000万元');
    expect(formatWan(-4_999)).toBe('0万元'); // no "-0"
  });

  it('formatYi', () => {
    expect(formatYi(32_000_000_000)).toBe('3.2亿元');
    expect(formatYi(6_630_200_000_000)).toBe('663.02亿元');
    expect(formatYi(2_188_200_000_000)).toBe('218.82亿元');
    expect(formatYi(10_000_000_000)).toBe('1亿元');
    expect(formatYi(19_950_000_000)).toBe('2亿元'); // 1.995 → 2
    expect(formatYi(19_949_999_999)).toBe('1.99亿元');
    expect(formatYi(123_456_700_000_000)).toBe('12345.67亿元');
  });

  it('formatYuan', () => {
    expect(formatYuan(50_000)).toBe('500元');
    expect(formatYuan(123_456_789)).toBe('1234567.89元');
    expect(formatYuan(150)).toBe('1.5元');
  });

  it('formatAmount switches to 亿元 at 1亿', () => {
    expect(formatAmount(9_999_999_999)).toBe('10000万元'); // 99,999,999.99元 rounds to 10000万
    expect(formatAmount(10_000_000_000)).toBe('1亿元');
    expect(formatAmount(5_000_000_000)).toBe('5000万元');
    expect(formatAmount(-20_000_000_000)).toBe('-2亿元');
  });

  it('round-trips officer input through format and parse', () => {
    for (const input of ['5000万', '3.2亿', '0.05万', '12.34万', '218.82亿']) {
      const f = fen(input);
      const shown = formatAmount(f).replace(/,/g, '');
      expect(fen(shown)).toBe(f);
    }
  });

  it('refuses unsafe numbers', () => {
    expect(() => formatWan(0.5)).toThrow(RangeError);
    expect(() => formatAmount(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
    expect(formatYi(Number.MAX_SAFE_INTEGER)).toBe('900719.93亿元');
  });
});

describe('helpers', () => {
  it('sumFen adds and checks safety', () => {
    expect(sumFen([])).toBe(0);
    expect(sumFen([wan(5000), yi(1), yuan(500)])).toBe(15_000_050_000);
    expect(sumFen(new Set([1, 2, 3]))).toBe(6);
    expect(() => sumFen([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
    expect(() => sumFen([1.5])).toThrow(RangeError);
    expect(() => sumFen([Number.NaN])).toThrow(RangeError);
  });

  it('unit constructors', () => {
    expect(yuan(1)).toBe(100);
    expect(wan(5000)).toBe(5_000_000_000);
    expect(yi(5)).toBe(50_000_000_000);
    expect(() => yi(1e6)).toThrow(RangeError); // 10^16 fen > MAX_SAFE_INTEGER
  });

  it('isFen', () => {
    expect(isFen(0)).toBe(true);
    expect(isFen(5_000_000_000)).toBe(true);
    expect(isFen(-1)).toBe(false);
    expect(isFen(1.5)).toBe(false);
    expect(isFen('100')).toBe(false);
    expect(isFen(Number.MAX_SAFE_INTEGER + 1)).toBe(false);
  });
});

describe('parseSpokenAmount: amounts as spoken in a sentence (issue 19)', () => {
  it.each([
    ['三千万', 3000],
    ['两千万', 2000],
    ['一个亿', 10000],
    ['1.5个亿', 15000],
    ['5千万', 5000],
    ['2,000万元', 2000],
    ['一亿五千万', 15000],
    ['十万', 10],
    ['一千零五十万', 1050],
    ['0.5亿元', 5000],
    ['人民币1000万元', 1000],
  ])('%s → %i万元', (input, wanCount) => {
    expect(parseSpokenAmount(input)).toEqual({ ok: true, fen: wanCount * FEN_PER_WAN });
  });

  it.each([
    ['三三万', 'chinese_numerals'],
    ['十十万', 'chinese_numerals'],
    ['800万美元', 'unknown_unit'],
    ['约5000万', 'approximate'],
    ['', 'empty'],
  ])('refuses %s (%s)', (input, code) => {
    const r = parseSpokenAmount(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(code);
  });

  it('leaves parseAmount refusing Chinese numerals, as the form asks about them', () => {
    expect(parseAmount('三千万')).toMatchObject({ ok: false, code: 'chinese_numerals' });
  });
});
