/*
 * The optional language-model reader of one-sentence reports (issue 19), for an OpenAI-compatible endpoint
 * (LLM_BASE_URL, LLM_API_KEY, LLM_MODEL; off by default). The model's JSON answer is validated with zod and
 * merged with the rules' reading, which it can only add to:
 *   - an amount or a date is kept only when the model quotes it as written, the quote is in the sentence, and
 *     domain/amount.ts or domain/dates.ts reads it: the model never brings a value the text does not hold;
 *   - a party asked to act is kept only when it is written in the sentence;
 *   - projects are only the sender's (the context's candidates);
 *   - where the rules read a field, the rules' value stands; the model fills what the rules left empty.
 * Any failure (network, status, timeout, malformed answer) gives the rules' reading alone.
 */
import { z } from 'zod';
import { parseSpokenAmount } from '../../domain/amount.js';
import { daysBetween } from '../../domain/calendar.js';
import { readDate } from '../../domain/dates.js';
import { PROBLEM_CATEGORIES } from '../../domain/reporting.js';
import { ACTIVE_STAGES } from '../../domain/stages.js';
import { toHalfWidth } from '../../domain/text.js';
import { t } from '../../text.js';
import { extractReport } from './rules.js';
import {
  SUBSTANTIVE_KINDS,
  type ExtractContext,
  type ExtractedFunds,
  type Extraction,
  type Extractor,
  type ProjectExtraction,
  type SubstantiveKind,
} from './types.js';
import { MAX_INPUT_CHARS } from './vocabulary.js';

export interface LlmExtractorOptions {
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Milliseconds before the rules' reading is used alone. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const short = z.string().max(200);

/** The model's answer, as the prompt asks for it (prompts/extract.ts). Unknown keys are ignored. */
export const ModelAnswer = z.object({
  projects: z
    .array(
      z.object({
        project: short,
        substantive: z.array(z.enum(SUBSTANTIVE_KINDS)).max(8).default([]),
        funds: z
          .array(z.object({ amount: short, date: short.nullish() }))
          .max(10)
          .default([]),
        stageTo: z.enum(ACTIVE_STAGES).nullish(),
        problems: z
          .array(z.object({ category: z.enum(PROBLEM_CATEGORIES), mustAct: short.nullish() }))
          .max(10)
          .default([]),
        nextStep: z.object({ text: z.string().max(500), due: short.nullish() }).nullish(),
      }),
    )
    .max(20),
});
export type ModelAnswer = z.infer<typeof ModelAnswer>;

/** The chat completion's envelope (only what is read). */
const Completion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});

/** A JSON object in the model's content, with or without a ```json fence. */
function jsonIn(content: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(content);
  const body = (fenced ? fenced[1]! : content).trim();
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  try {
    return JSON.parse(body.slice(start, end + 1)) as unknown;
  } catch {
    return null;
  }
}

export async function askModel(text: string, ctx: ExtractContext, options: LlmExtractorOptions): Promise<ModelAnswer | null> {
  const doFetch = options.fetch ?? fetch;
  const body = {
    model: options.model,
    temperature: 0,
    response_format: { type: 'json_object' },
    messages: [
      { role: 'system', content: t('extract.system_prompt', { today: ctx.today, projects: ctx.projects.join('、') || '-' }) },
      { role: 'user', content: text },
    ],
  };
  try {
    const res = await doFetch(`${options.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    if (!res.ok) return null;
    const completion = Completion.safeParse(await res.json());
    if (!completion.success) return null;
    const answer = ModelAnswer.safeParse(jsonIn(completion.data.choices[0]!.message.content));
    return answer.success ? answer.data : null;
  } catch {
    return null;
  }
}

const sameName = (a: string, b: string) => a.includes(b) || b.includes(a);

/** The rules' reading with what the model adds, every value checked against the sentence. */
export function mergeAnswer(text: string, ctx: ExtractContext, rules: Extraction, answer: ModelAnswer): Extraction {
  const folded = toHalfWidth(text.slice(0, MAX_INPUT_CHARS));
  const projects: ProjectExtraction[] = rules.projects.map((p) => ({
    ...p,
    substantive: [...p.substantive],
    funds: [...p.funds],
    problems: [...p.problems],
  }));
  for (const m of answer.projects) {
    const candidate = ctx.projects.find((c) => sameName(c, m.project));
    if (!candidate) continue; // not the sender's project
    let p = projects.find((x) => x.project === candidate);
    if (!p) {
      if (!folded.includes(m.project)) continue; // a project the sentence does not name
      p = { project: candidate, written: m.project, substantive: [], funds: [], problems: [] };
      projects.push(p);
    }
    const kinds = new Set<SubstantiveKind>([...p.substantive, ...m.substantive]);
    p.substantive = SUBSTANTIVE_KINDS.filter((k) => kinds.has(k));
    if (!p.stageTo && m.stageTo) p.stageTo = m.stageTo;
    for (const f of m.funds) {
      const entry = verifiedFunds(folded, ctx.today, f.amount, f.date ?? undefined);
      if (entry && !p.funds.some((x) => x.fen === entry.fen)) p.funds.push(entry);
    }
    if (p.problems.length === 0) {
      for (const q of m.problems) {
        const mustAct = q.mustAct && folded.includes(q.mustAct) ? q.mustAct : undefined;
        p.problems.push({ category: q.category, text: '', ...(mustAct ? { mustAct } : {}) });
      }
    }
    if (!p.nextStep && m.nextStep) {
      const due = m.nextStep.due ? verifiedDue(folded, ctx.today, m.nextStep.due) : undefined;
      p.nextStep = { text: m.nextStep.text, ...(due ? { due, dueWritten: m.nextStep.due! } : {}) };
    }
  }
  return { projects, truncated: rules.truncated };
}

function verifiedFunds(text: string, today: string, amount: string, date: string | undefined): ExtractedFunds | null {
  const written = toHalfWidth(amount).trim();
  if (!written || !text.includes(written)) return null;
  const r = parseSpokenAmount(written);
  if (!r.ok || r.fen === 0) return null;
  const entry: ExtractedFunds = { fen: r.fen, written };
  if (date && text.includes(date)) {
    const d = readDate(date, today, 'past');
    if (d.ok && !d.approx && daysBetween(d.date, today) >= 0) {
      entry.date = d.date;
      entry.dateWritten = date;
    }
  }
  return entry;
}

function verifiedDue(text: string, today: string, due: string): string | undefined {
  if (!text.includes(due)) return undefined;
  const d = readDate(due, today, 'future');
  return d.ok && d.date >= today ? d.date : undefined;
}

/** The rules merged with an OpenAI-compatible model. */
export function llmExtractor(options: LlmExtractorOptions): Extractor {
  return {
    name: `rules+llm(${options.model})`,
    async extract(text, ctx) {
      const rules = extractReport(text, ctx);
      const answer = await askModel(text.slice(0, MAX_INPUT_CHARS), ctx, options);
      return answer ? mergeAnswer(text, ctx, rules, answer) : rules;
    },
  };
}
