/*
 * Scores a one-sentence extractor (issue 19) on the labelled set, field by field.
 *
 *   npx tsx scripts/score-extractor.ts                 precision / recall per field on the seen set
 *   npx tsx scripts/score-extractor.ts --final         … and on the fresh held-out set
 *   npx tsx scripts/score-extractor.ts --misses        also lists the seen cases a field got wrong (never held-out)
 *   npm run score:extract
 *
 * The two sets: "seen" is the whole first labelled set (test/fixtures/one-sentence/cases.ts, its dev and its old
 * held-out third alike: both were looked at while the rules were made general); "held-out" is the fresh set
 * (test/fixtures/one-sentence/fresh.ts), written apart from the rules and never listed case by case here.
 *   LLM_BASE_URL=… LLM_MODEL=… LLM_API_KEY=… npm run score:extract   also scores the model reader merged with the rules
 *
 * The context each sentence is read with: today = the sets' TODAY, and the sender's projects = the case's project
 * names (the ledger knows the sender's projects; what is scored is what the reader makes of the sentence).
 *
 * Precision and recall, per field, over (case, project, value) items: a project's expected values and extracted
 * values are compared as multisets (a value counted twice must be extracted twice). A true positive is a value in
 * both; a false positive a value extracted but not expected; a false negative a value expected but not extracted.
 * precision = TP / (TP + FP), recall = TP / (TP + FN); a field with no item on a side scores 1 on that side. A case
 * with no expected value and no output adds nothing to a field. Projects are matched by name, containment either
 * way (风电项目 ~ 200MW风电项目); an extracted project no label names is all false positives, a labelled project not
 * extracted all false negatives. The fields:
 *   project        the project itself (a name), one item per project named
 *   substantive    each kind (land_milestone, approval_milestone, agreement, decision_maker_visit)
 *   funds.amount   each arrival's amount in 万元
 *   funds.date     each arrival's date, as the pair (amount, date), for arrivals with a date
 *   stageTo        the stage moved to
 *   problem.category  each problem's category
 *   problem.mustAct   each named party (category + party), for problems with one
 *   nextStep       one item when a next step is stated
 *   nextStep.due   its due date, when one resolves
 *
 * Invented values: every extracted amount and date must be written in the sentence (its token is in the text and
 * reads to the same value); any that is not is listed under `invented` and fails the test whatever the totals.
 */
import { pathToFileURL } from 'node:url';
import { parseSpokenAmount, FEN_PER_WAN } from '../src/domain/amount.js';
import { readDate } from '../src/domain/dates.js';
import { toHalfWidth } from '../src/domain/text.js';
import { loadConfig } from '../src/config.js';
import { createExtractor, deterministicExtractor } from '../src/report/extract/index.js';
import type { Extraction, Extractor, ProjectExtraction } from '../src/report/extract/types.js';
import { cases as seenCases, TODAY } from '../test/fixtures/one-sentence/cases.js';
import { freshCases } from '../test/fixtures/one-sentence/fresh.js';
import type { Expect, OneSentenceCase } from '../test/fixtures/one-sentence/types.js';

export const FIELDS = [
  'project',
  'substantive',
  'funds.amount',
  'funds.date',
  'stageTo',
  'problem.category',
  'problem.mustAct',
  'nextStep',
  'nextStep.due',
] as const;
export type Field = (typeof FIELDS)[number];

export interface FieldScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export interface Miss {
  id: string;
  field: Field;
  project: string;
  expected: string[];
  got: string[];
}

export interface Score {
  cases: number;
  fields: Record<Field, FieldScore>;
  /** Amounts or dates output that the sentence does not contain: each is a failure. */
  invented: string[];
  misses: Miss[];
}

type Items = Record<Field, string[]>;

function expectedItems(project: string, e: Expect): Items {
  return {
    project: [project],
    substantive: [...e.substantive],
    'funds.amount': e.funds.map((f) => String(f.amountWan)),
    'funds.date': e.funds.filter((f) => f.date).map((f) => `${f.amountWan}@${f.date}`),
    stageTo: e.stageTo ? [e.stageTo] : [],
    'problem.category': e.problems.map((p) => p.category),
    'problem.mustAct': e.problems.filter((p) => p.mustAct).map((p) => `${p.category}:${p.mustAct}`),
    nextStep: e.nextStep ? ['yes'] : [],
    'nextStep.due': e.nextStep?.due ? [e.nextStep.due] : [],
  };
}

const wanOf = (fen: number) => String(fen / FEN_PER_WAN);

function extractedItems(p: ProjectExtraction): Items {
  return {
    project: [p.project],
    substantive: [...p.substantive],
    'funds.amount': p.funds.map((f) => wanOf(f.fen)),
    'funds.date': p.funds.filter((f) => f.date).map((f) => `${wanOf(f.fen)}@${f.date}`),
    stageTo: p.stageTo ? [p.stageTo] : [],
    'problem.category': p.problems.map((x) => x.category),
    'problem.mustAct': p.problems.filter((x) => x.mustAct).map((x) => `${x.category}:${x.mustAct}`),
    nextStep: p.nextStep ? ['yes'] : [],
    'nextStep.due': p.nextStep?.due ? [p.nextStep.due] : [],
  };
}

const EMPTY: Items = Object.fromEntries(FIELDS.map((f) => [f, []])) as unknown as Items;

/** Multiset intersection size. */
function overlap(a: string[], b: string[]): number {
  const left = [...b];
  let n = 0;
  for (const x of a) {
    const i = left.indexOf(x);
    if (i >= 0) {
      left.splice(i, 1);
      n++;
    }
  }
  return n;
}

const sameProject = (a: string, b: string) => a.includes(b) || b.includes(a);

/** Amounts and dates in the output that the sentence does not contain. */
export function inventedValues(text: string, x: Extraction, today: string): string[] {
  const folded = toHalfWidth(text);
  const bad: string[] = [];
  for (const p of x.projects) {
    for (const f of p.funds) {
      const r = parseSpokenAmount(f.written);
      if (!folded.includes(f.written) || !r.ok || r.fen !== f.fen) bad.push(`amount ${f.fen} (${f.written})`);
      if (f.date !== undefined && !writtenDate(folded, f.dateWritten, f.date, today)) bad.push(`funds date ${f.date} (${f.dateWritten})`);
    }
    const due = p.nextStep?.due;
    if (due !== undefined && !writtenDate(folded, p.nextStep?.dueWritten, due, today)) bad.push(`due ${due} (${p.nextStep?.dueWritten})`);
  }
  return bad;
}

function writtenDate(text: string, written: string | undefined, date: string, today: string): boolean {
  if (!written || !text.includes(written)) return false;
  return (['past', 'future', 'near'] as const).some((lean) => {
    const r = readDate(written, today, lean);
    return r.ok && r.date === date;
  });
}

export async function scoreExtractor(extractor: Extractor, cases: readonly OneSentenceCase[], today = TODAY): Promise<Score> {
  const counts = Object.fromEntries(FIELDS.map((f) => [f, { tp: 0, fp: 0, fn: 0 }])) as Record<
    Field,
    { tp: number; fp: number; fn: number }
  >;
  const invented: string[] = [];
  const misses: Miss[] = [];
  for (const c of cases) {
    const x = await extractor.extract(c.text, { today, projects: c.projects });
    for (const bad of inventedValues(c.text, x, today)) invented.push(`${c.id}: ${bad}`);
    const expected = c.perProject
      ? c.perProject.map((p) => ({ project: p.project, expect: p.expect }))
      : c.projects.map((project) => ({ project, expect: c.expect }));
    const used = new Set<number>();
    const pairs: { name: string; exp: Items; got: Items }[] = [];
    for (const e of expected) {
      const i = x.projects.findIndex((p, k) => !used.has(k) && (sameProject(p.project, e.project) || sameProject(p.written, e.project)));
      if (i >= 0) used.add(i);
      pairs.push({ name: e.project, exp: expectedItems(e.project, e.expect), got: i >= 0 ? extractedItems(x.projects[i]!) : EMPTY });
    }
    x.projects.forEach((p, k) => {
      if (!used.has(k)) pairs.push({ name: p.project, exp: EMPTY, got: extractedItems(p) });
    });
    for (const { name, exp, got } of pairs) {
      for (const f of FIELDS) {
        // The project item of a matched pair is the matched name on both sides.
        const e = f === 'project' && got.project.length && exp.project.length ? exp.project : exp[f];
        const tp = overlap(e, got[f]);
        counts[f].tp += tp;
        counts[f].fp += got[f].length - tp;
        counts[f].fn += e.length - tp;
        if (tp !== e.length || tp !== got[f].length) misses.push({ id: c.id, field: f, project: name, expected: e, got: got[f] });
      }
    }
  }
  const fields = Object.fromEntries(
    FIELDS.map((f) => {
      const { tp, fp, fn } = counts[f];
      return [f, { tp, fp, fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) }];
    }),
  ) as Record<Field, FieldScore>;
  return { cases: cases.length, fields, invented, misses };
}

const pct = (n: number) => `${(n * 100).toFixed(1).padStart(5)}%`;

export function formatScore(title: string, s: Score): string {
  const lines = [`${title} (${s.cases} cases)`, `  ${'field'.padEnd(18)} precision  recall    tp  fp  fn`];
  for (const f of FIELDS) {
    const x = s.fields[f];
    lines.push(
      `  ${f.padEnd(18)} ${pct(x.precision)}    ${pct(x.recall)}  ${String(x.tp).padStart(4)} ${String(x.fp).padStart(3)} ${String(x.fn).padStart(3)}`,
    );
  }
  lines.push(`  invented amounts/dates: ${s.invented.length}${s.invented.length ? ' — ' + s.invented.join('; ') : ''}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  // Without --final only the seen set is scored; --final adds the fresh held-out set.
  const final = process.argv.includes('--final');
  const showMisses = process.argv.includes('--misses');
  // The model reader is scored too when LLM_BASE_URL / LLM_MODEL (/ LLM_API_KEY) are set, as the bot would use it.
  const llm = loadConfig(process.env).llm;
  const extractors: Extractor[] = [deterministicExtractor, ...(llm ? [createExtractor(llm)] : [])];
  for (const extractor of extractors) {
    const seen = await scoreExtractor(extractor, seenCases);
    console.log(`extractor: ${extractor.name}\n`);
    console.log(formatScore('seen (cases.ts, all)', seen) + '\n');
    if (final) {
      if (freshCases.length === 0) console.log('held-out (fresh.ts): no cases yet, nothing scored\n');
      else console.log(formatScore('held-out (fresh.ts)', await scoreExtractor(extractor, freshCases)) + '\n');
    }
    if (showMisses) {
      // Only the seen set's misses: the held-out cases are never shown one by one.
      const text = new Map(seenCases.map((c) => [c.id, c.text]));
      for (const m of seen.misses) {
        console.log(
          `${m.id} ${m.field} [${m.project}] expected ${JSON.stringify(m.expected)} got ${JSON.stringify(m.got)}  «${text.get(m.id)}»`,
        );
      }
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
