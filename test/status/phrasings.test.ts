/**
 * Issue 17's phrasing set, scored against the plain-word matcher on the demo lexicon (no database: ids are
 * positions in the demo arrays, as in match.test.ts).
 *
 * The set was committed before the matcher changed (dev 18/44 then). Now the dev split must pass in full; the
 * holdout third is printed beside it (22/22 when the matcher was done — note that the same person wrote the set and
 * the matcher, so the holdout is a guard against tuning on it, not an independent judge).
 */
import { describe, expect, it } from 'vitest';
import { demoChains, demoProjects, demoUnits } from '../../db/seed/demo-data.js';
import { matchQuery, type Lexicon } from '../../src/status/match.js';
import { parseCommand } from '../../src/bot/parse.js';
import { demoLexicon } from './demo-lexicon.js';
import { PHRASINGS } from '../fixtures/phrasings/cases.js';
import type { ExpectedAnswer } from '../fixtures/phrasings/types.js';

/** Matched cases of the dev split: 18 on the matcher before issue 17, 20 with greetings, 44 (all) with names, counts, reasons and pick-lists: raise it, never lower it. */
const BASELINE = 44;

/** What the parser and matcher as they are answer, in the set's terms (greetings, status cards and project views). */
function interpret(text: string, lex: Lexicon): ExpectedAnswer {
  if (parseCommand(text).name === 'greeting') return { kind: 'greeting' };
  const m = matchQuery(text, lex);
  if (!m) return { kind: 'not_understood' };
  if (m.choices) return { kind: 'choice', among: m.choices.map((c) => c.name) };
  if (m.part?.kind === 'project')
    return m.ask?.kind === 'why' ? { kind: 'why', project: m.part.name } : { kind: 'project', project: m.part.name };
  const part = m.part?.name ?? null;
  if (m.ask?.kind === 'not_reported') return { kind: 'not_reported', part };
  if (m.ask?.kind === 'count')
    return {
      kind: 'count',
      part,
      ...(m.ask.minWan !== undefined ? { minWan: m.ask.minWan } : {}),
      ...(m.ask.stage ? { stage: m.ask.stage } : {}),
    };
  return { kind: 'status', part, intent: m.intent };
}

function agrees(got: ExpectedAnswer, want: ExpectedAnswer): boolean {
  if (want.kind === 'choice') return got.kind === 'choice' && want.among.every((n) => got.among.includes(n));
  return JSON.stringify(got) === JSON.stringify(want);
}

describe('the phrasing set (issue 17)', () => {
  const lex = demoLexicon({ codes: true });

  it('has at least 60 phrasings, a third held out, and the 19 seen in the play-through', () => {
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(60);
    const holdout = PHRASINGS.filter((p) => p.split === 'holdout').length;
    expect(Math.abs(holdout - PHRASINGS.length / 3)).toBeLessThanOrEqual(1);
    expect(PHRASINGS.filter((p) => p.seen).length).toBe(19);
    expect(new Set(PHRASINGS.map((p) => p.text)).size).toBe(PHRASINGS.length);
  });

  it('every project or part the set names exists in the demo data', () => {
    const names = new Set<string>([...demoProjects.map((p) => p.name), ...demoUnits.map((u) => u.name), ...demoChains.map((c) => c.name)]);
    for (const p of PHRASINGS) {
      const e = p.expect;
      const named =
        e.kind === 'project' || e.kind === 'why'
          ? [e.project]
          : e.kind === 'choice'
            ? e.among
            : e.kind === 'status' || e.kind === 'not_reported' || e.kind === 'count'
              ? [e.part].filter((x): x is string => x !== null)
              : [];
      for (const n of named) expect(names.has(n), `${p.text}: ${n}`).toBe(true);
    }
  });

  it(`the dev split scores at least ${BASELINE} of its cases`, () => {
    const score = (split: 'dev' | 'holdout') => {
      const cases = PHRASINGS.filter((p) => p.split === split);
      const ok = cases.filter((p) => agrees(interpret(p.text, lex), p.expect));
      if (split === 'dev')
        for (const p of cases.filter((c) => !ok.includes(c))) console.log(`missed: ${p.text} → ${JSON.stringify(interpret(p.text, lex))}`);
      return { ok: ok.length, of: cases.length };
    };
    const dev = score('dev');
    const holdout = score('holdout');
    console.log(`phrasings: dev ${dev.ok}/${dev.of}, holdout ${holdout.ok}/${holdout.of}`);
    expect(dev.ok).toBeGreaterThanOrEqual(BASELINE);
  });
});
