import { describe, expect, it } from 'vitest';
import { readDate, type Lean } from '../../src/domain/dates.js';

const TODAY = '2026-12-02'; // a Wednesday

type Case = [input: string, lean: Lean, date: string, approx?: boolean];

const WORKS: Case[] = [
  ['2026-11-25', 'near', '2026-11-25'],
  ['2026年11月25日', 'past', '2026-11-25'],
  ['２０２６／１１／２５', 'near', '2026-11-25'],
  ['11月25日', 'past', '2026-11-25'],
  ['11月25号', 'near', '2026-11-25'],
  ['十一月二十五日', 'past', '2026-11-25'],
  ['1月5日', 'future', '2027-01-05'],
  ['1月5日', 'past', '2026-01-05'],
  ['12月10日', 'past', '2025-12-10'],
  ['12月10日', 'future', '2026-12-10'],
  ['11/25', 'past', '2026-11-25'],
  ['25号', 'past', '2026-11-25'],
  ['25日', 'future', '2026-12-25'],
  ['1号', 'future', '2027-01-01'],
  ['二十号', 'near', '2026-12-20'],
  ['今天', 'near', '2026-12-02'],
  ['昨天', 'past', '2026-12-01'],
  ['前天', 'past', '2026-11-30'],
  ['明天', 'future', '2026-12-03'],
  ['上周三', 'past', '2026-11-25'],
  ['下周三', 'future', '2026-12-09'],
  ['下星期一', 'future', '2026-12-07'],
  ['本周五', 'near', '2026-12-04'],
  ['这周日', 'near', '2026-12-06'],
  ['周五', 'past', '2026-11-27'],
  ['周一', 'future', '2026-12-07'],
  ['星期三', 'past', '2026-12-02'],
  ['月底', 'future', '2026-12-31', true],
  ['下月', 'future', '2027-01-31', true],
  ['下个月初', 'future', '2027-01-10', true],
  ['1月上旬', 'future', '2027-01-10', true],
  ['1月下旬', 'future', '2027-01-31', true],
  ['下月中旬', 'future', '2027-01-20', true],
  ['上月底', 'past', '2026-11-30', true],
  ['12月底', 'future', '2026-12-31', true],
  ['2月底', 'future', '2027-02-28', true],
  ['2027年3月', 'future', '2027-03-31', true],
  ['年底', 'future', '2026-12-31', true],
  ['年底前', 'future', '2026-12-31', true],
  ['明年一季度', 'future', '2027-03-31', true],
  ['二季度', 'near', '2026-06-30', true],
  ['11月25日。', 'past', '2026-11-25'],
  // the one-sentence set's forms (issue 19)
  ['10天内', 'future', '2026-12-12', true],
  ['三天内', 'future', '2026-12-05', true],
  ['本周', 'future', '2026-12-06', true],
  ['本周内', 'future', '2026-12-06', true],
  ['下周', 'future', '2026-12-13', true],
  ['春节前', 'future', '2027-02-05', true],
  ['春节', 'future', '2027-02-06'],
  ['春节', 'past', '2026-02-17'],
  ['元旦前', 'future', '2026-12-31', true],
  ['国庆之前', 'future', '2027-09-30', true],
  ['12月20日前', 'future', '2026-12-20'],
  ['月底前', 'future', '2026-12-31', true],
  ['下月底前', 'future', '2027-01-31', true],
  ['本月内', 'future', '2026-12-31', true],
  ['11月份', 'past', '2026-11-30', true],
  ['3月份', 'future', '2027-03-31', true],
  ['明年3月', 'future', '2027-03-31', true],
  ['明年5月底', 'future', '2027-05-31', true],
  ['明年年底', 'future', '2027-12-31', true],
  ['明年上半年', 'future', '2027-06-30', true],
  ['二季度', 'future', '2027-06-30', true],
  ['下月15号', 'future', '2027-01-15'],
  ['12.18', 'future', '2026-12-18'],
];

describe('readDate: dates as officers write them', () => {
  it.each(WORKS)('%s (%s) → %s', (input, lean, date, approx = false) => {
    expect(readDate(input, TODAY, lean)).toEqual({ ok: true, date, approx });
  });
});

describe('readDate refuses what is not a date', () => {
  it.each([
    '',
    '  ',
    '上海',
    '13月5日',
    '2月30日',
    '32号',
    '十三月',
    '周八',
    '2026-02-30',
    '下下下周一',
    '5000万',
    '11月25日上海',
    '春节后',
    '节后',
    '3天前',
    '前',
    '下月32号',
  ])('%s', (input) => {
    const r = readDate(input, TODAY, 'past');
    expect(r.ok).toBe(false);
  });

  it('says empty for empty input and echoes the input otherwise', () => {
    expect(readDate(' ', TODAY)).toEqual({ ok: false, code: 'empty' });
    expect(readDate('上海', TODAY)).toEqual({ ok: false, code: 'invalid', input: '上海' });
  });
});
