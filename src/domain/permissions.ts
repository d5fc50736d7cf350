/*
 * Who may do what: pure functions of the actor and the target, asked by every service before it reads or
 * writes. They return yes/no (or a code); the caller words the refusal through prompts/.
 *
 * DOMAIN.md, "Jurisdiction": everyone acts inside their remit. Owners act on their own projects, and on a
 * colleague's while delegated, until the delegation ends. Admins (the mechanism office) run the mechanism.
 */

/** The roles of DOMAIN.md ("Who uses the bot"); the schema's `role` enum is built from this list. */
export const ROLES = ['owner', 'unit_lead', 'dept_lead', 'convenor', 'chief_convenor', 'chain_leader', 'secretary', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What the permission rules need to know about a person. */
export interface Actor {
  id: number;
  roles: readonly string[];
  active?: boolean;
}

/** A person as a delegating owner: who stands in for them, and until when (inclusive). */
export interface Principal {
  id: number;
  delegateId: number | null;
  awayUntil: string | null;
}

export function isAdmin(actor: Actor | undefined): boolean {
  return !!actor && actor.active !== false && actor.roles.includes('admin');
}

/**
 * Whether `actor` stands in for `owner` on `today` (a 'YYYY-MM-DD' in the bot's zone): named as the delegate
 * and the delegation not yet over. A delegation without an end date is not in force.
 */
export function isDelegateOf(actor: Actor, owner: Principal | undefined, today: string): boolean {
  if (!owner || owner.delegateId !== actor.id) return false;
  return owner.awayUntil !== null && owner.awayUntil >= today;
}

/**
 * Whether a person may report for a project: its owner, the owner's delegate while the delegation is in force,
 * or an admin. (Issue: admins are to be limited to their government's subtree — the remit check joins here.)
 */
export function mayReport(
  actor: Actor | undefined,
  project: { ownerId: number | null },
  owner: Principal | undefined,
  today: string,
): boolean {
  if (!actor || actor.active === false) return false;
  if (project.ownerId === actor.id || isAdmin(actor)) return true;
  if (project.ownerId === null) return false;
  return isDelegateOf(actor, owner, today);
}

/** Binding a group to a scope, exporting the ledger, importing one, closing letters: the mechanism office. */
export function mayAdminister(actor: Actor | undefined): boolean {
  return isAdmin(actor);
}

/** Who leads outbound trips (外出招商) and so may record one: the leaders of units and the mechanism, and admins. */
const TRIP_LEADERS: readonly Role[] = ['unit_lead', 'dept_lead', 'convenor', 'chief_convenor', 'chain_leader', 'admin'];

export function mayRecordTrip(actor: Actor | undefined): boolean {
  return !!actor && actor.active !== false && actor.roles.some((r) => (TRIP_LEADERS as readonly string[]).includes(r));
}

/**
 * Which 履约提醒函 a person may see and close: an admin all of them; anyone else those of the projects they own
 * and, as a unit or department lead, those of the projects hosted in their unit's subtree.
 */
export type LetterRemit = { all: true } | { all: false; ownerId: number; subtreeOf: number | null };

export function letterRemit(actor: Actor & { unitId: number | null }): LetterRemit {
  if (isAdmin(actor)) return { all: true };
  const lead = actor.roles.includes('unit_lead') || actor.roles.includes('dept_lead');
  return { all: false, ownerId: actor.id, subtreeOf: lead ? actor.unitId : null };
}
