/*
 * Who may do what: pure functions of the actor and the target, asked by every service before it reads or
 * writes. They return yes/no (or a code); the caller words the refusal through prompts/. This is the one place
 * the services ask: the jurisdiction rules (src/domain/remit.ts) are re-exported from here.
 *
 * DOMAIN.md, "Jurisdiction": everyone acts inside their remit. Admins, leads and convenors: their government's
 * subtree (a department stands for the government it belongs to). Chain roles: their chains inside that
 * government. Owners: their own projects (and a colleague's while delegated, until the delegation ends).
 * Admins (the mechanism office) run the mechanism — inside their government, like everyone else.
 */
import { previousPeriod, type Period, type WorkCalendar } from './calendar.js';
import type { Actor } from './actor.js';
import { governmentOf, inSubtree, mayChange, mayRead, unitInRemit, type ProjectPlace, type Remit, type UnitNode } from './remit.js';

export type { Actor, Principal } from './actor.js';
export * from './remit.js';

/** The roles of DOMAIN.md ("Who uses the bot"); the schema's `role` enum is built from this list. */
export const ROLES = [
  'owner',
  'unit_lead',
  'dept_lead',
  'convenor',
  'chief_convenor',
  'chain_leader',
  'secretary',
  'admin',
  'checker',
] as const;
export type Role = (typeof ROLES)[number];

export function isAdmin(actor: Actor | undefined): boolean {
  return !!actor && actor.active !== false && actor.roles.includes('admin');
}

/** Binding a group to a scope, exporting the ledger, importing one: the mechanism office (inside its remit). */
export function mayAdminister(actor: Actor | undefined): boolean {
  return isAdmin(actor);
}

/** Who leads outbound trips (外出招商) and so may record one: the leaders of units and the mechanism, and admins. */
const TRIP_LEADERS: readonly Role[] = ['unit_lead', 'dept_lead', 'convenor', 'chief_convenor', 'chain_leader', 'admin'];

/** Recording a trip (always for the leader's own unit, 001 二.二: trips per leader, in that leader's unit). */
export function mayRecordTrip(actor: Actor | undefined): boolean {
  return !!actor && actor.active !== false && actor.roles.some((r) => (TRIP_LEADERS as readonly string[]).includes(r));
}

/**
 * What an actor may do with one project, as a code the service words:
 * - 'change': report, move stages, set amounts, close its letters (the owner side, or the first-talk side);
 * - 'comment': read it and add progress notes and problems, but not move stages or amounts (the host side, chains);
 * - 'none': the project does not exist for the actor (refusals say 没有找到, never "not yours").
 */
export type ProjectAccess = 'change' | 'comment' | 'none';

export function projectAccess(remit: Remit, place: ProjectPlace | undefined): ProjectAccess {
  if (!place) return 'none';
  if (mayChange(remit, place)) return 'change';
  return mayRead(remit, place) ? 'comment' : 'none';
}

/**
 * Closing a 履约提醒函 (001 三.四): the owner answers it with what was done; only a lead (unit_lead, dept_lead) of the
 * project's responsible unit — its first-talk unit (001 三.二 “谁对接、谁牵头”), else its host — closes it, so an
 * owner never closes a letter on their own project. Returns the unit whose letters the actor may close, or null.
 */
export function letterClosingUnit(actor: (Actor & { unitId: number | null }) | undefined): number | null {
  if (!actor || actor.active === false || actor.unitId === null) return null;
  return actor.roles.includes('unit_lead') || actor.roles.includes('dept_lead') ? actor.unitId : null;
}

/**
 * The reporting window a card's period must lie in (001 三.二: reported by the 20th): the current period, and
 * the previous one until the current period's deadline (a late report, marked late: `填报 <项目> 上月`, the overdue
 * card's 填报). Anything else in a card value (2099-12, last year) is refused.
 */
export function periodInWindow(period: Period, now: Date, calendar: Pick<WorkCalendar, 'periodOf' | 'isPastDeadline'>): boolean {
  const current = calendar.periodOf(now);
  if (period === current) return true;
  return period === previousPeriod(current) && !calendar.isPastDeadline(current, now);
}

/**
 * Where a new project may be placed (its host, its first-talk unit, the unit that must act on a problem): a unit
 * inside the creator's government subtree; a plain officer (no subtree) inside the government of their own unit.
 */
export function mayPlaceUnit(
  remit: Remit,
  ownUnit: UnitNode | undefined,
  unitPath: string | null | undefined,
  unitsById: ReadonlyMap<number, UnitNode>,
): boolean {
  if (unitInRemit(remit, unitPath)) return true;
  if (remit.subtrees.length > 0 || !ownUnit) return false;
  const gov = governmentOf(ownUnit, unitsById);
  return !!gov && inSubtree(unitPath, gov.path);
}

/**
 * The unit that must act on a project's problem (困难问题, 001 三.六 限时推进): a unit of the project's own
 * government, or of a government up its line (a county project may call on the city's or the province's
 * bureaus), never a sibling county or another city.
 */
export function unitMayAct(unit: UnitNode, projectUnit: UnitNode | undefined, unitsById: ReadonlyMap<number, UnitNode>): boolean {
  const gov = projectUnit && governmentOf(projectUnit, unitsById);
  if (!gov) return false;
  if (inSubtree(unit.path, gov.path)) return true;
  const its = governmentOf(unit, unitsById);
  return !!its && inSubtree(gov.path, its.path);
}
