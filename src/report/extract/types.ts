/*
 * What the one-sentence reader (issue 19) gives back: per project the sentence names, the fields of the report form
 * it can pre-fill. Codes and values only; prompts/ words them. Every amount and date carries the text it was read
 * from (`written`), so a caller (and the scorer) can check that nothing was invented.
 */
import type { ActiveStage } from '../../domain/stages.js';
import type { ProblemCategory } from '../../domain/reporting.js';
import type { CalendarDate } from '../../domain/calendar.js';

/** The form's substantive-progress kinds a sentence can state; money arrived and stage moves have their own fields. */
export const SUBSTANTIVE_KINDS = ['land_milestone', 'approval_milestone', 'agreement', 'decision_maker_visit'] as const;
export type SubstantiveKind = (typeof SUBSTANTIVE_KINDS)[number];

export interface ExtractedFunds {
  /** Money arrived, exact integer fen. */
  fen: number;
  /** The amount as written in the sentence ("3000万", "1.5个亿"). */
  written: string;
  /** The day it arrived, when the sentence gives the day. */
  date?: CalendarDate;
  /** The date as written ("昨天", "12月1日"). */
  dateWritten?: string;
}

export interface ExtractedProblem {
  category: ProblemCategory;
  /** The unit or party asked to act, exactly as written. */
  mustAct?: string;
  /** The clause(s) that state the difficulty, as written. */
  text: string;
}

export interface ExtractedNextStep {
  /** The clause(s) that state it, as written. */
  text: string;
  due?: CalendarDate;
  dueWritten?: string;
}

export interface ProjectExtraction {
  /** The candidate project name (from the context) the sentence names. */
  project: string;
  /** The name as written in the sentence. */
  written: string;
  substantive: SubstantiveKind[];
  funds: ExtractedFunds[];
  stageTo?: ActiveStage;
  problems: ExtractedProblem[];
  nextStep?: ExtractedNextStep;
}

export interface Extraction {
  /** One entry per project named, in the order first named; empty when the text names none of the candidates. */
  projects: ProjectExtraction[];
  /** The input was longer than the reader reads and was cut. */
  truncated: boolean;
}

export interface ExtractContext {
  /** 'YYYY-MM-DD' in the bot's zone. */
  today: CalendarDate;
  /** The names of the sender's projects (the candidates a sentence can name). */
  projects: readonly string[];
}

/** A reader of one-sentence reports: the deterministic rules, or a language model merged with them. */
export interface Extractor {
  readonly name: string;
  extract(text: string, ctx: ExtractContext): Promise<Extraction>;
}
