import { describe, expect, it } from 'vitest';
import { ACTIVE_STAGES } from '../../src/domain/stages.js';
import { PROBLEM_CATEGORIES } from '../../src/domain/reporting.js';
import { SUBSTANTIVE_CHOICES } from '../../src/report/form.js';
import { cases, TODAY } from '../fixtures/one-sentence/cases.js';
import { freshCases } from '../fixtures/one-sentence/fresh.js';
import type { Expect, OneSentenceCase } from '../fixtures/one-sentence/types.js';

/*
 * The labelled one-sentence set (issue 19) checked on its own: size, ids, the held-out third, and every amount and
 * date in the labels derivable from the sentence itself (an extractor may never invent one, so neither may a label).
 * The fresh held-out set (fresh.ts, written after the extractor was tuned) runs the same checks with its own size,
 * id pattern and coverage, all of it held out. This tests the fixtures, not any extractor.
 */

// ---- amounts written in the sentence, in 万元 ----

const CN_DIGIT: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const MONEY_UNIT: Record<string, number> = { 万: 1, 千万: 1000, 亿: 10000 };

/** 三千 → 3000, 八百 → 800, 一 → 1 (below 10000, all the set needs). */
function chineseNumber(s: string): number {
  let total = 0;
  let digit = 0;
  for (const ch of s) {
    if (ch in CN_DIGIT) digit = CN_DIGIT[ch]!;
    else {
      total += (digit || 1) * CN_UNIT[ch]!;
      digit = 0;
    }
  }
  return total + digit;
}

/** Every amount the sentence writes with a money unit (3000万, 0.3亿, 5千万, 三千万, 2,000万元, 1.5个亿), in 万元. */
function amountsIn(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/(\d[\d,]*(?:\.\d+)?)\s*个?\s*(千万|亿|万)/g)) {
    out.push(Math.round(Number(m[1]!.replace(/,/g, '')) * MONEY_UNIT[m[2]!]! * 1e6) / 1e6);
  }
  for (const m of text.matchAll(/([零一二两三四五六七八九十百千]+)个?(千万|亿|万)/g)) {
    out.push(chineseNumber(m[1]!) * MONEY_UNIT[m[2]!]!);
  }
  return out;
}

// ---- dates the sentence's words can resolve to (the rules at the top of cases.ts) ----

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
function validDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
}
/** A part of month M: the 10th (上旬 / 初), the 20th (中旬), otherwise the last day. */
function periodEnd(y: number, m: number, part: string | undefined): string {
  if (part === '上旬' || part === '初') return iso(y, m, 10);
  if (part === '中旬') return iso(y, m, 20);
  return iso(y, m, lastDay(y, m));
}
const WEEKDAY: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
/** Monday of TODAY's week. */
const MONDAY = addDays(TODAY, 1 - (new Date(`${TODAY}T00:00:00Z`).getUTCDay() || 7));
const [TY, TM] = TODAY.split('-').map(Number) as [number, number];
const nextMonth = TM === 12 ? [TY + 1, 1] : [TY, TM + 1];

/** Relative words and what they resolve to against TODAY. */
const WORDS: [RegExp, string][] = [
  [/明天/, addDays(TODAY, 1)],
  [/后天/, addDays(TODAY, 2)],
  [/昨天/, addDays(TODAY, -1)],
  [/前天/, addDays(TODAY, -2)],
  [/本周|这周/, addDays(MONDAY, 6)],
  [/下周/, addDays(MONDAY, 13)],
  [/月底|本月内|本月底/, iso(TY, TM, lastDay(TY, TM))],
  [/下个?月初/, iso(nextMonth[0]!, nextMonth[1]!, 10)],
  [/下个?月中旬/, iso(nextMonth[0]!, nextMonth[1]!, 20)],
  [/下个?月/, iso(nextMonth[0]!, nextMonth[1]!, lastDay(nextMonth[0]!, nextMonth[1]!))],
  [/年底|年内/, iso(TY, 12, 31)],
  [/明年年底/, iso(TY + 1, 12, 31)],
  [/一季度/, iso(TY + 1, 3, 31)],
  [/二季度|明年上半年/, iso(TY + 1, 6, 30)],
  [/元旦前/, iso(TY, 12, 31)],
  [/春节前/, '2027-02-05'],
];

function datesIn(text: string): Set<string> {
  const out = new Set<string>();
  const years = [TY, TY + 1];
  for (const m of text.matchAll(/(\d{4})年(\d{1,2})月(?:(\d{1,2})[日号]|(上旬|初|中旬|下旬|底|末))?/g)) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    out.add(m[3] ? iso(y, mo, Number(m[3])) : periodEnd(y, mo, m[4]));
  }
  for (const m of text.matchAll(/(\d{1,2})月(\d{1,2})[日号]|(?<![\d.])(\d{1,2})\.(\d{1,2})(?![\d.])/g)) {
    for (const y of years) out.add(iso(y, Number(m[1] ?? m[3]), Number(m[2] ?? m[4])));
  }
  for (const m of text.matchAll(/(?<!\d)(\d{1,2})月份?(上旬|初|中旬|下旬|底|末)?(?!\d)/g)) {
    for (const y of years) out.add(periodEnd(y, Number(m[1]), m[2]));
  }
  for (const m of text.matchAll(/(?<![月\d.])(\d{1,2})[号日]/g)) {
    for (const [y, mo] of [[TY, TM - 1], [TY, TM], nextMonth] as [number, number][]) out.add(iso(y, mo, Number(m[1])));
  }
  for (const m of text.matchAll(/下个?月(\d{1,2})[号日]/g)) out.add(iso(nextMonth[0]!, nextMonth[1]!, Number(m[1])));
  for (const m of text.matchAll(/(\d{1,3})天内/g)) out.add(addDays(TODAY, Number(m[1])));
  for (const m of text.matchAll(/(上|本|这|下)周([一二三四五六日天])/g)) {
    const week = { 上: -7, 本: 0, 这: 0, 下: 7 }[m[1] as '上' | '本' | '这' | '下'];
    out.add(addDays(MONDAY, week + WEEKDAY[m[2]!]! - 1));
  }
  for (const [re, date] of WORDS) if (re.test(text)) out.add(date);
  return out;
}

// ---- the set ----

/** Every project's expectations in a case: perProject when there, else the one `expect`. */
const expectations = (c: OneSentenceCase): Expect[] => (c.perProject ? c.perProject.map((p) => p.expect) : [c.expect]);
const isEmpty = (x: Expect) => !x.substantive.length && !x.funds.length && !x.problems.length && !x.stageTo && !x.nextStep;

/** What differs between the two sets: size, ids, how the held-out part is chosen, and how much coverage is asked. */
interface SetShape {
  name: string;
  set: OneSentenceCase[];
  minSize: number;
  idPattern: RegExp;
  /** The split a case must have, by position. */
  splitAt: (i: number) => OneSentenceCase['split'];
  /** The held-out share the set must have. */
  holdoutShare: number;
  coverage: {
    empty: number;
    several: number;
    perCategory: number;
    perKind: number;
    funds: number;
    undatedNextSteps: number;
    problems: number;
    namedParties: number;
    stageMoves: number;
  };
}

const SETS: SetShape[] = [
  {
    name: 'the one-sentence labelled set',
    set: cases,
    minSize: 150,
    idPattern: /^os-\d{3}$/,
    splitAt: (i) => (i % 3 === 2 ? 'holdout' : 'dev'),
    holdoutShare: 1 / 3,
    coverage: {
      empty: 20,
      several: 3,
      perCategory: 4,
      perKind: 5,
      funds: 25,
      undatedNextSteps: 5,
      problems: 0,
      namedParties: 0,
      stageMoves: 0,
    },
  },
  {
    name: 'the fresh held-out one-sentence set',
    set: freshCases,
    minSize: 70,
    idPattern: /^F\d{3}$/,
    splitAt: () => 'holdout',
    holdoutShare: 1,
    coverage: {
      empty: 8,
      several: 10,
      perCategory: 3,
      perKind: 3,
      funds: 15,
      undatedNextSteps: 3,
      problems: 25,
      namedParties: 12,
      stageMoves: 15,
    },
  },
];

describe('the one-sentence sets together', () => {
  it('share no id and no text', () => {
    const all = [...cases, ...freshCases];
    const ids = all.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const texts = all.map((c) => c.text);
    expect(texts.filter((t, i) => texts.indexOf(t) !== i)).toEqual([]);
  });
});

describe.each(SETS)('$name (fixture integrity)', ({ set: cases, minSize, idPattern, splitAt, holdoutShare, coverage }) => {
  it(`has at least ${minSize} cases, unique ids and unique texts`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(minSize);
    const ids = cases.map((c) => c.id);
    expect.soft(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect.soft(id).toMatch(idPattern);
    const texts = cases.map((c) => c.text);
    expect.soft(new Set(texts).size).toBe(texts.length);
  });

  it('holds out the cases it should, by position', () => {
    cases.forEach((c, i) => expect.soft([c.id, c.split]).toEqual([c.id, splitAt(i)]));
    const holdout = cases.filter((c) => c.split === 'holdout').length;
    expect.soft(Math.abs(holdout - cases.length * holdoutShare)).toBeLessThanOrEqual(1);
  });

  it('uses only the form’s vocabularies', () => {
    const kinds = SUBSTANTIVE_CHOICES.filter((k) => k !== 'none') as readonly string[];
    for (const c of cases) {
      for (const x of expectations(c)) {
        for (const k of x.substantive) expect.soft(kinds, c.id).toContain(k);
        expect.soft(new Set(x.substantive).size, c.id).toBe(x.substantive.length);
        for (const p of x.problems) expect.soft(PROBLEM_CATEGORIES, c.id).toContain(p.category);
        if (x.stageTo) expect.soft(ACTIVE_STAGES, c.id).toContain(x.stageTo);
        for (const f of x.funds) expect.soft(Number.isFinite(f.amountWan) && f.amountWan > 0, c.id).toBe(true);
      }
    }
  });

  it('names projects and parties exactly as the sentence writes them', () => {
    for (const c of cases) {
      expect.soft(new Set(c.projects).size, c.id).toBe(c.projects.length);
      for (const p of c.projects) expect.soft(c.text, c.id).toContain(p);
      if (c.perProject) {
        expect.soft(c.perProject.length, c.id).toBeGreaterThanOrEqual(2);
        expect
          .soft(
            c.perProject.map((p) => p.project),
            c.id,
          )
          .toEqual(c.projects);
        expect.soft(c.perProject[0]!.expect, c.id).toEqual(c.expect);
      } else {
        expect.soft(c.projects.length, c.id).toBeLessThanOrEqual(1);
      }
      if (c.projects.length === 0) expect.soft(isEmpty(c.expect), c.id).toBe(true);
      for (const x of expectations(c)) for (const p of x.problems) if (p.mustAct) expect.soft(c.text, c.id).toContain(p.mustAct);
    }
  });

  it('takes every amount from the sentence', () => {
    for (const c of cases) {
      const written = amountsIn(c.text);
      for (const x of expectations(c)) for (const f of x.funds) expect.soft(written, `${c.id}: ${c.text}`).toContain(f.amountWan);
    }
  });

  it('takes every date from the sentence, resolved against TODAY; money in the past, next steps ahead', () => {
    for (const c of cases) {
      const written = datesIn(c.text);
      for (const x of expectations(c)) {
        for (const f of x.funds) {
          if (f.date === undefined) continue;
          expect.soft(validDate(f.date), c.id).toBe(true);
          expect.soft(f.date <= TODAY, `${c.id}: money arrives in the past`).toBe(true);
          expect.soft([...written], `${c.id}: ${c.text}`).toContain(f.date);
        }
        const due = x.nextStep?.due;
        if (due === undefined) continue;
        expect.soft(validDate(due), c.id).toBe(true);
        expect.soft(due >= TODAY, `${c.id}: a next step is ahead`).toBe(true);
        expect.soft([...written], `${c.id}: ${c.text}`).toContain(due);
      }
    }
  });

  it('covers what the issue asks for', () => {
    const all = cases.flatMap(expectations);
    expect.soft(cases.filter((c) => expectations(c).every(isEmpty)).length).toBeGreaterThanOrEqual(coverage.empty);
    expect.soft(cases.filter((c) => c.perProject).length).toBeGreaterThanOrEqual(coverage.several);
    expect.soft(cases.filter((c) => expectations(c).some((x) => x.problems.length)).length).toBeGreaterThanOrEqual(coverage.problems);
    expect
      .soft(cases.filter((c) => expectations(c).some((x) => x.problems.some((p) => p.mustAct))).length)
      .toBeGreaterThanOrEqual(coverage.namedParties);
    expect.soft(cases.filter((c) => expectations(c).some((x) => x.stageTo)).length).toBeGreaterThanOrEqual(coverage.stageMoves);
    for (const category of PROBLEM_CATEGORIES) {
      expect
        .soft(all.filter((x) => x.problems.some((p) => p.category === category)).length, category)
        .toBeGreaterThanOrEqual(coverage.perCategory);
    }
    for (const kind of SUBSTANTIVE_CHOICES.filter((k) => k !== 'none')) {
      expect.soft(all.filter((x) => x.substantive.includes(kind)).length, kind).toBeGreaterThanOrEqual(coverage.perKind);
    }
    for (const stage of ACTIVE_STAGES)
      expect
        .soft(
          all.some((x) => x.stageTo === stage),
          stage,
        )
        .toBe(true);
    expect.soft(all.filter((x) => x.funds.length).length).toBeGreaterThanOrEqual(coverage.funds);
    expect.soft(all.filter((x) => x.nextStep && x.nextStep.due === undefined).length).toBeGreaterThanOrEqual(coverage.undatedNextSteps);
    // Amounts in every notation, and foreign currency left out.
    const fundsTexts = cases.filter((c) => expectations(c).some((x) => x.funds.length)).map((c) => c.text);
    for (const notation of [
      /\d万(?!元)/,
      /\d万元/,
      /\d\.\d+亿(?!元)/,
      /\d\.\d+亿元/,
      /\d千万/,
      /[一二两三四五六七八九]千万/,
      /\d,\d{3}万/,
      /个亿/,
    ]) {
      expect
        .soft(
          fundsTexts.some((t) => notation.test(t)),
          String(notation),
        )
        .toBe(true);
    }
    expect.soft(cases.filter((c) => /美元|欧元|港元/.test(c.text)).every((c) => c.note)).toBe(true);
  });
});
