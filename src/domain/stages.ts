// Project stages (the five databases, 五库) and the rules for moving a project between them.
//
// Active line, in order: 谋划 planning → 洽谈 negotiating → 意向 intent → 签约 signed → 落地 landed.
// Off the line: 终止 dropped, 转移 transferred (handed to another region to re-negotiate).
//
// The Chinese strings in this file are input vocabulary for parseStage; labels shown to users come from
// prompts/domain.ts.

import { isFen } from './amount.js';
import { isCalendarDate, type CalendarDate } from './calendar.js';

export const ACTIVE_STAGES = ['planning', 'negotiating', 'intent', 'signed', 'landed'] as const;
export const OFFLINE_STAGES = ['dropped', 'transferred'] as const;
export const STAGES = [...ACTIVE_STAGES, ...OFFLINE_STAGES] as const;

export type ActiveStage = (typeof ACTIVE_STAGES)[number];
export type OfflineStage = (typeof OFFLINE_STAGES)[number];
export type StageId = ActiveStage | OfflineStage;

export function isStageId(value: unknown): value is StageId {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

export function isActiveStage(stage: StageId): stage is ActiveStage {
  return (ACTIVE_STAGES as readonly string[]).includes(stage);
}

export function isOfflineStage(stage: StageId): stage is OfflineStage {
  return (OFFLINE_STAGES as readonly string[]).includes(stage);
}

/** Position on the active line (0 = planning … 4 = landed); -1 for dropped / transferred. */
export function stageOrder(stage: StageId): number {
  return (ACTIVE_STAGES as readonly string[]).indexOf(stage);
}

/** Base names and aliases (after stripping 已…, …库, …项目, …阶段, …类). */
const STAGE_NAMES: Record<StageId, readonly string[]> = {
  planning: ['谋划', '储备', '策划'],
  negotiating: ['洽谈', '在谈', '对接', '商谈', '接洽'],
  intent: ['意向', '签订意向', '意向签约'],
  // 签了 / 签约了 / 已签约 (issue 17): as officers say it; 了 is stripped below, 签 alone is the signing.
  signed: ['签约', '签订', '签订合同', '签合同', '签', '签下', '签完'],
  landed: ['落地', '落户', '落地实施'],
  dropped: ['终止', '中止', '放弃', '取消'],
  transferred: ['转移', '移交', '转出'],
};

const NAME_TO_STAGE = new Map<string, StageId>();
for (const stage of STAGES) {
  NAME_TO_STAGE.set(stage, stage);
  for (const name of STAGE_NAMES[stage]) NAME_TO_STAGE.set(name, stage);
}

/**
 * A stage from what a person or a ledger wrote: 谋划, 谋划库, 签约项目, 已签约, 洽谈阶段, 在谈项目, or an English id.
 * Returns null when it is not recognised.
 */
export function parseStage(input: string): StageId | null {
  const s = input
    .trim()
    .replace(/\s+/g, '')
    .toLowerCase()
    .replace(/^(?:已经|已)/, '')
    .replace(/了$/, '')
    .replace(/(?:数据库|库|项目|阶段|类)+$/, '');
  return NAME_TO_STAGE.get(s) ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Transitions

/**
 * forward: later on the active line (skipping allowed); backward: earlier on the line (reason required);
 * offline: active → dropped / transferred (reason required); reactivation: dropped / transferred → an active stage
 * (reason required).
 */
export type TransitionKind = 'forward' | 'backward' | 'offline' | 'reactivation';

/** The kind of a move, or null when it is not a move that can be made (same stage, dropped ↔ transferred). */
export function transitionKind(from: StageId, to: StageId): TransitionKind | null {
  if (from === to) return null;
  if (isOfflineStage(from)) return isActiveStage(to) ? 'reactivation' : null;
  if (isOfflineStage(to)) return 'offline';
  return stageOrder(to) > stageOrder(from) ? 'forward' : 'backward';
}

/** Stages a project in `from` can be moved to, in display order: for the form's select. */
export function allowedTargets(from: StageId): StageId[] {
  return STAGES.filter((to) => transitionKind(from, to) !== null);
}

export function needsReason(from: StageId, to: StageId): boolean {
  const kind = transitionKind(from, to);
  return kind !== null && kind !== 'forward';
}

export type TransitionField = 'reason' | 'contractFen' | 'signedOn' | 'landedOn' | 'transferTo';

/**
 * Fields a form must show for the move (whether or not the project already has a value): reason for non-forward
 * moves, contract amount and signing date when arriving at signed or landed, landing date for landed, the receiving
 * region for transferred.
 */
export function transitionFields(from: StageId, to: StageId): TransitionField[] {
  const fields: TransitionField[] = [];
  if (transitionKind(from, to) === null) return fields;
  if (needsReason(from, to)) fields.push('reason');
  if (to === 'signed' || to === 'landed') fields.push('contractFen', 'signedOn');
  if (to === 'landed') fields.push('landedOn');
  if (to === 'transferred') fields.push('transferTo');
  return fields;
}

export interface TransitionInput {
  /** Why: needed for backward moves, dropping, transferring and re-activation. */
  reason?: string | null;
  /** Contract amount (合同引资额) in fen, entered now. */
  contractFen?: number | null;
  /** Signing date entered now. */
  signedOn?: CalendarDate | null;
  /** Landing date entered now. */
  landedOn?: CalendarDate | null;
  /** Region the project is transferred to. */
  transferTo?: string | null;
  /** What the project already records; a value entered now wins. */
  existing?: { contractFen?: number | null; signedOn?: CalendarDate | null; landedOn?: CalendarDate | null };
  /** When given, signing and landing dates may not be later than this day. */
  today?: CalendarDate;
}

export type TransitionIssue =
  | { code: 'same_stage'; stage: StageId }
  | { code: 'not_allowed'; from: StageId; to: StageId }
  | { code: 'reason_required'; field: 'reason'; from: StageId; to: StageId; kind: Exclude<TransitionKind, 'forward'> }
  | { code: 'required'; field: 'contractFen' | 'signedOn' | 'landedOn' | 'transferTo'; to: StageId }
  | { code: 'not_positive'; field: 'contractFen' }
  | { code: 'invalid_date'; field: 'signedOn' | 'landedOn'; input: string }
  | { code: 'date_in_future'; field: 'signedOn' | 'landedOn'; date: CalendarDate; today: CalendarDate }
  | { code: 'landed_before_signed'; field: 'landedOn'; landedOn: CalendarDate; signedOn: CalendarDate };

export type TransitionCheck =
  { ok: true; kind: TransitionKind; from: StageId; to: StageId; skipped: ActiveStage[] } | { ok: false; issues: TransitionIssue[] };

function blank(s: string | null | undefined): boolean {
  return s === null || s === undefined || s.trim() === '';
}

/**
 * Checks a stage change and returns every problem at once, each tied to its form field where it has one.
 * `skipped` lists the active stages jumped over by a forward move (洽谈→签约 skips 意向).
 */
export function checkTransition(from: StageId, to: StageId, input: TransitionInput = {}): TransitionCheck {
  if (from === to) return { ok: false, issues: [{ code: 'same_stage', stage: from }] };
  const kind = transitionKind(from, to);
  if (kind === null) return { ok: false, issues: [{ code: 'not_allowed', from, to }] };

  const issues: TransitionIssue[] = [];
  if (kind !== 'forward' && blank(input.reason)) {
    issues.push({ code: 'reason_required', field: 'reason', from, to, kind });
  }

  if (to === 'signed' || to === 'landed') {
    const contractFen = input.contractFen ?? input.existing?.contractFen ?? null;
    if (contractFen === null) issues.push({ code: 'required', field: 'contractFen', to });
    else if (!isFen(contractFen) || contractFen <= 0) issues.push({ code: 'not_positive', field: 'contractFen' });
  }

  const today = input.today;
  const checkDate = (field: 'signedOn' | 'landedOn', value: string): CalendarDate | null => {
    if (!isCalendarDate(value)) {
      issues.push({ code: 'invalid_date', field, input: value });
      return null;
    }
    if (today !== undefined && value > today) {
      issues.push({ code: 'date_in_future', field, date: value, today });
      return null;
    }
    return value;
  };

  let signedOn: CalendarDate | null = null;
  if (to === 'signed' || to === 'landed') {
    const given = input.signedOn ?? input.existing?.signedOn ?? null;
    if (blank(given)) issues.push({ code: 'required', field: 'signedOn', to });
    else signedOn = checkDate('signedOn', given!.trim());
  }

  if (to === 'landed') {
    const given = input.landedOn ?? input.existing?.landedOn ?? null;
    if (blank(given)) issues.push({ code: 'required', field: 'landedOn', to });
    else {
      const landedOn = checkDate('landedOn', given!.trim());
      if (landedOn !== null && signedOn !== null && landedOn < signedOn) {
        issues.push({ code: 'landed_before_signed', field: 'landedOn', landedOn, signedOn });
      }
    }
  }

  if (to === 'transferred' && blank(input.transferTo)) issues.push({ code: 'required', field: 'transferTo', to });

  if (issues.length > 0) return { ok: false, issues };
  const skipped = kind === 'forward' ? ACTIVE_STAGES.filter((s) => stageOrder(s) > stageOrder(from) && stageOrder(s) < stageOrder(to)) : [];
  return { ok: true, kind, from, to, skipped };
}
