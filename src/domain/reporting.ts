/*
 * The vocabulary of a monthly report, declared once: the report form offers these, the ledger reads them from
 * cells, and the schema's enums are built from them (db/schema.ts), so a value the code accepts is a value the
 * database takes. Codes only; prompts/ words them ('report.evidence.*', 'report.problem.*').
 */
import { ACTIVE_STAGES } from './stages.js';

/**
 * Stages whose projects report monthly: the five databases (五库) of the active line. Dropped and transferred
 * projects are off the line and owe no report. The same list as ACTIVE_STAGES by definition, named for the rule.
 */
export const REPORTING_STAGES = ACTIVE_STAGES;
export type ReportingStage = (typeof REPORTING_STAGES)[number];

/** What proves money arrived (到位资金凭证). Stored as text; anything else is recorded as 'other'. */
export const EVIDENCE_KINDS = ['bank_statement', 'capital_verification', 'invoice', 'other'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** Categories of a difficulty that needs coordinating (困难问题): land, plant, funds, energy, approval, talent. */
export const PROBLEM_CATEGORIES = ['land', 'plant', 'funds', 'energy', 'approval', 'talent', 'other'] as const;
export type ProblemCategory = (typeof PROBLEM_CATEGORIES)[number];

export function isEvidenceKind(v: unknown): v is EvidenceKind {
  return typeof v === 'string' && (EVIDENCE_KINDS as readonly string[]).includes(v);
}

export function isProblemCategory(v: unknown): v is ProblemCategory {
  return typeof v === 'string' && (PROBLEM_CATEGORIES as readonly string[]).includes(v);
}
