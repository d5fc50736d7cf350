/*
 * Delegation and handover (DOMAIN.md, "Jurisdiction": owners act on their own projects, and on a colleague's while
 * delegated, until the delegation ends). An owner away on leave (请假) or a trip (出差) names a colleague of the same
 * unit until a day; the owner or their unit lead sets it and may end it early. When an officer changes post, the
 * unit lead hands their projects to another officer of the unit. Pure: codes only, the service words them.
 */
import { type DateParseResult } from './calendar.js';
import { readDate } from './dates.js';
import { inSubtree } from './remit.js';

/** A person as these rules see them. */
export interface Officer {
  id: number;
  unitId: number | null;
  roles: readonly string[];
  active: boolean;
}

const LEAD_ROLES = ['unit_lead', 'dept_lead'];

/**
 * Whether `actor` may act for `owner`'s projects as their unit lead: a unit or department lead of the owner's unit
 * or of a unit above it (`unitPaths` by unit id).
 */
export function isUnitLeadOf(actor: Officer, owner: Officer, unitPaths: ReadonlyMap<number, string>): boolean {
  if (!actor.active || actor.unitId === null || owner.unitId === null) return false;
  if (!actor.roles.some((r) => LEAD_ROLES.includes(r))) return false;
  const lead = unitPaths.get(actor.unitId);
  return !!lead && inSubtree(unitPaths.get(owner.unitId), lead);
}

export type DelegationVerdict =
  'ok' | 'not_allowed' | 'delegate_self' | 'delegate_other_unit' | 'delegate_inactive' | 'end_in_past' | 'too_long';

/** A delegation lasts at most this long; a longer absence is a change of post (交接), not leave. */
export const MAX_DELEGATION_DAYS = 180;

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * Setting a delegation: by the owner or their unit lead, to an active colleague of the owner's own unit, ending
 * today or later (inclusive) and within MAX_DELEGATION_DAYS.
 */
export function mayDelegate(
  actor: Officer,
  owner: Officer,
  delegate: Officer,
  until: string,
  today: string,
  unitPaths: ReadonlyMap<number, string>,
): DelegationVerdict {
  if (!actor.active || (actor.id !== owner.id && !isUnitLeadOf(actor, owner, unitPaths))) return 'not_allowed';
  if (delegate.id === owner.id) return 'delegate_self';
  if (delegate.unitId === null || delegate.unitId !== owner.unitId) return 'delegate_other_unit';
  if (!delegate.active) return 'delegate_inactive';
  if (until < today) return 'end_in_past';
  if (daysBetween(today, until) > MAX_DELEGATION_DAYS) return 'too_long';
  return 'ok';
}

/** Ending a delegation early (销假): the owner or their unit lead. */
export function mayEndDelegation(actor: Officer, owner: Officer, unitPaths: ReadonlyMap<number, string>): boolean {
  return actor.active && (actor.id === owner.id || isUnitLeadOf(actor, owner, unitPaths));
}

/** Handing projects over (交接): a unit lead of the owner's unit, to an active officer of that same unit. */
export function mayHandOver(
  actor: Officer,
  from: Officer,
  to: Officer,
  unitPaths: ReadonlyMap<number, string>,
): 'ok' | 'not_allowed' | 'same_person' | 'other_unit' | 'inactive' {
  if (!isUnitLeadOf(actor, from, unitPaths)) return 'not_allowed';
  if (to.id === from.id) return 'same_person';
  if (to.unitId === null || to.unitId !== from.unitId) return 'other_unit';
  if (!to.active) return 'inactive';
  return 'ok';
}

/**
 * An end date as officers write it, read against `today` by the one date reader (`readDate`, leaning ahead): a
 * full date, a day of this year (12月10日, 12/10; next year's when that day has passed), 今天 / 明天 / 后天, 周三 (the
 * next one on or after today), 下周三 (that day of next week), 月底 and the like.
 */
export function parseEndDate(input: string, today: string): DateParseResult {
  const r = readDate(input, today, 'future');
  return r.ok ? { ok: true, date: r.date } : r;
}
