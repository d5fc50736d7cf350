/*
 * 转移: re-negotiation by another region (000 三(一) 建立招商项目统筹机制):
 * "对洽谈半年以上无实质性进展的项目，经首谈地同意后，可由其他地区重新洽谈，实现利益共享。…由省商务厅牵头…统筹协调".
 *
 * - Offered by a mechanism office (an admin) whose remit covers both regions: the project's first-talk unit and the
 *   receiving unit both lie in the admin's government subtree (the province's 商务厅 between two cities, a city's
 *   商务局 between two of its counties).
 * - Only for a project in negotiation (洽谈, 意向) after the stall period without substantive progress (the same
 *   `stallDays` the ageing warnings use: 180 days by default).
 * - The receiving unit is in another region: a government neither inside nor above the first-talk unit's.
 * - The first-talk unit's lead consents (同意) or declines (不同意, with a reason); only a lead of that very unit.
 * Pure: returns codes; the service words them through prompts/.
 */
import type { Actor } from './actor.js';
import { isStalled } from './progress.js';
import { governmentOf, inSubtree, unitInRemit, type Remit, type UnitNode } from './remit.js';
import type { StageId } from './stages.js';

/** Stages in which a project can be handed over: the negotiation stages of 000 三(一) ("洽谈半年以上"). */
export const TRANSFERABLE_STAGES: readonly StageId[] = ['negotiating', 'intent'];

export type TransferOfferCheck =
  | 'ok'
  /** Not a mechanism office (admin). */
  | 'not_admin'
  /** The project's first-talk unit lies outside the admin's remit (the refusal reveals nothing of it). */
  | 'project_outside'
  /** The receiving unit lies outside the admin's remit. */
  | 'unit_outside'
  /** The receiving unit is in the first-talk unit's own government: not another region. */
  | 'same_region'
  /** Not in negotiation (洽谈/意向). */
  | 'wrong_stage'
  /** Substantive progress within the stall period: too early. */
  | 'too_early';

export interface TransferOfferInput {
  stage: StageId;
  /** The last day of substantive progress (else the day the stage was entered, else creation). */
  lastProgressOn: string;
  firstTalk: UnitNode | undefined;
  receiving: UnitNode;
  /** Units needed by `governmentOf` for both (their ancestors). */
  unitsById: ReadonlyMap<number, UnitNode>;
  stallDays: Record<string, number>;
  today: string;
}

export function checkTransferOffer(actor: Actor | undefined, remit: Remit, p: TransferOfferInput): TransferOfferCheck {
  if (!actor || actor.active === false || !actor.roles.includes('admin')) return 'not_admin';
  if (!p.firstTalk || !unitInRemit(remit, p.firstTalk.path)) return 'project_outside';
  if (!unitInRemit(remit, p.receiving.path)) return 'unit_outside';
  const from = governmentOf(p.firstTalk, p.unitsById);
  const to = governmentOf(p.receiving, p.unitsById);
  // Another region: neither government lies inside the other (a city's bureau handing to one of its own counties is
  // the same region; two counties of a city, or two cities, are not).
  if (!from || !to || inSubtree(to.path, from.path) || inSubtree(from.path, to.path)) return 'same_region';
  if (!TRANSFERABLE_STAGES.includes(p.stage)) return 'wrong_stage';
  if (!isStalled(p.stage, p.lastProgressOn, p.today, p.stallDays)) return 'too_early';
  return 'ok';
}

export type TransferDecisionCheck = 'ok' | 'not_found' | 'decided' | 'moved';

/**
 * Who may answer a consent card: an active lead (unit_lead, dept_lead) of the unit whose consent was asked. Anyone
 * else is told nothing exists (`not_found`); an offer already answered is `decided` (a replayed click); a project whose
 * first-talk unit changed since the offer is `moved` (the consent asked is no longer the one that counts).
 */
export function checkTransferDecision(
  actor: (Actor & { unitId: number | null }) | undefined,
  offer: { fromUnitId: number; status: string } | undefined,
  projectFirstTalkUnitId: number | null | undefined,
): TransferDecisionCheck {
  if (!actor || !offer || actor.active === false) return 'not_found';
  if (actor.unitId !== offer.fromUnitId || !actor.roles.some((r) => r === 'unit_lead' || r === 'dept_lead')) return 'not_found';
  if (offer.status !== 'offered') return 'decided';
  if (projectFirstTalkUnitId !== offer.fromUnitId) return 'moved';
  return 'ok';
}
