/*
 * Jurisdiction (DOMAIN.md, "The organisation"): everyone acts inside their remit.
 * - Admins, leads and convenors: their government's subtree (a department stands for the government it
 *   belongs to). A county never reads or changes another county's projects, a city never another city's.
 * - Chain roles (链长, 服务秘书): their chains inside that government (000 二(三): 链长制, one province–city
 *   working system per chain — a province chain's scope takes in the city chains linked to it).
 * - Owners: their own projects, and a colleague's while delegated, until the delegation ends.
 *
 * Reading follows the scope rule the status cards use: a project is inside when its host unit (承载地) or its
 * first-talk unit (首谈单位) is. Changing a project belongs to its owner and to the first-talk unit's side
 * (001 三.二: "谁对接、谁牵头"); the host side may comment (progress notes, problems) but not move stages or
 * amounts. Everything here is pure: the store hands in the rows, the services ask.
 */
import type { Actor } from './actor.js';

export const GOVERNMENT_KINDS = ['province', 'city', 'county', 'district', 'zone'] as const;
export type UnitKind = (typeof GOVERNMENT_KINDS)[number] | 'department' | 'centre';

/** A unit as the rules see it: its kind and its materialised path ('/<root id>/…/<own id>/'). */
export interface UnitNode {
  id: number;
  kind: UnitKind;
  path: string;
}

/** A chain as the rules see it: whose it is, and the province chain it belongs to (for a city chain). */
export interface ChainNode {
  id: number;
  /** The government the chain belongs to (its unit id); null for a chain not yet placed (treated as nobody's). */
  governmentId: number | null;
  parentChainId: number | null;
  leaderId: number | null;
  secretaryId: number | null;
}

/** What an actor may reach. */
export interface Remit {
  actorId: number;
  /** Path prefixes of the government subtrees the actor acts in (empty for a plain officer). */
  subtrees: readonly string[];
  /** Chains the actor holds a chain role for, with the chains linked below them. */
  chainIds: ReadonlySet<number>;
  /** Owners whose projects the actor may act on: the actor, and principals whose delegation is in force. */
  ownerIds: ReadonlySet<number>;
}

const GOVERNMENT_ROLES = ['admin', 'unit_lead', 'dept_lead', 'convenor', 'chief_convenor'];
const CHAIN_ROLES = ['chain_leader', 'secretary'];

function idsOnPath(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

/**
 * The government a unit belongs to: itself when it is one, else its nearest government ancestor (a department
 * or the project centre stands for the government it hangs under).
 */
export function governmentOf(unit: UnitNode, unitsById: ReadonlyMap<number, UnitNode>): UnitNode | undefined {
  const ids = idsOnPath(unit.path).reverse();
  for (const id of ids) {
    const u = id === unit.id ? unit : unitsById.get(id);
    if (u && (GOVERNMENT_KINDS as readonly string[]).includes(u.kind)) return u;
  }
  return undefined;
}

/** Whether `path` lies in the subtree of `prefix` (the unit itself included). */
export function inSubtree(path: string | null | undefined, prefix: string): boolean {
  return !!path && path.startsWith(prefix);
}

/**
 * The actor's remit. `chains` are all chains (the rules pick the actor's and those linked below them);
 * `principals` are the people who named the actor as their delegate (the rule checks the end date).
 */
export function remitOf(
  actor: Actor & { unitId: number | null },
  ctx: {
    unitsById: ReadonlyMap<number, UnitNode>;
    chains: readonly ChainNode[];
    principals: readonly { id: number; delegateId: number | null; awayUntil: string | null }[];
    today: string;
  },
): Remit {
  const subtrees: string[] = [];
  if (actor.active !== false && actor.unitId !== null && actor.roles.some((r) => GOVERNMENT_ROLES.includes(r))) {
    const unit = ctx.unitsById.get(actor.unitId);
    const gov = unit && governmentOf(unit, ctx.unitsById);
    if (gov) subtrees.push(gov.path);
  }
  const chainIds = new Set<number>();
  if (actor.active !== false && actor.roles.some((r) => CHAIN_ROLES.includes(r))) {
    const own = ctx.chains.filter((c) => c.leaderId === actor.id || c.secretaryId === actor.id).map((c) => c.id);
    // A province chain's scope takes in the city chains that name it as theirs (one level: city chains do not
    // have chains of their own below them).
    for (const id of own) {
      chainIds.add(id);
      for (const c of ctx.chains) if (c.parentChainId === id) chainIds.add(c.id);
    }
  }
  const ownerIds = new Set<number>(actor.active === false ? [] : [actor.id]);
  if (actor.active !== false) {
    for (const p of ctx.principals) {
      if (p.delegateId === actor.id && p.awayUntil !== null && p.awayUntil >= ctx.today) ownerIds.add(p.id);
    }
  }
  return { actorId: actor.id, subtrees, chainIds, ownerIds };
}

/** A project as the rules see it: where it is hosted and first-talked (paths), its chain and its owner. */
export interface ProjectPlace {
  hostPath: string | null;
  firstTalkPath: string | null;
  chainId: number | null;
  ownerId: number | null;
}

/** May read: owner side, a government subtree holding its host or first-talk unit, or one of the actor's chains. */
export function mayRead(remit: Remit, p: ProjectPlace): boolean {
  if (p.ownerId !== null && remit.ownerIds.has(p.ownerId)) return true;
  if (remit.subtrees.some((s) => inSubtree(p.hostPath, s) || inSubtree(p.firstTalkPath, s))) return true;
  return p.chainId !== null && remit.chainIds.has(p.chainId);
}

/**
 * May change (report, move stages, set amounts, close letters): the owner side, or a government subtree holding
 * the first-talk unit — the unit responsible from first talk to landing (001 三.二).
 */
export function mayChange(remit: Remit, p: ProjectPlace): boolean {
  if (p.ownerId !== null && remit.ownerIds.has(p.ownerId)) return true;
  return remit.subtrees.some((s) => inSubtree(p.firstTalkPath, s));
}

/**
 * May be told who owns a project the actor cannot act on (issue 17: "该项目由宋涛负责" instead of "没有找到"): one
 * inside the remit, that the actor may read. Anything else stays unknown to the actor (a refusal reveals nothing
 * outside the remit, not even to a colleague of the same unit).
 */
export function mayKnowOwner(remit: Remit, p: ProjectPlace): boolean {
  return mayRead(remit, p);
}

/** May comment (progress notes, problems) without moving stages or amounts: whoever may read. */
export function mayComment(remit: Remit, p: ProjectPlace): boolean {
  return mayRead(remit, p);
}

/** Whether a unit (by path) lies inside the actor's government subtrees. */
export function unitInRemit(remit: Remit, unitPath: string | null | undefined): boolean {
  return remit.subtrees.some((s) => inSubtree(unitPath, s));
}

/**
 * Whether a chain is the actor's to act for: one of their chain roles, or a chain belonging to a government
 * inside their subtree.
 */
export function chainInRemit(remit: Remit, chain: ChainNode, unitsById: ReadonlyMap<number, UnitNode>): boolean {
  if (remit.chainIds.has(chain.id)) return true;
  const gov = chain.governmentId === null ? undefined : unitsById.get(chain.governmentId);
  return !!gov && unitInRemit(remit, gov.path);
}

/** The scope a group may be bound to. */
export type BindingScope = { kind: 'unit' | 'centre' | 'convenor'; unitPath: string | null } | { kind: 'chain'; chain: ChainNode };

/**
 * Binding a group to a scope, and rebinding or unbinding a bound group: only inside the admin's remit, on both
 * sides (the scope asked for, and the group's current scope). A project-centre binding names its unit.
 */
export function mayBind(
  remit: Remit,
  target: BindingScope,
  current: BindingScope | null,
  unitsById: ReadonlyMap<number, UnitNode>,
): 'ok' | 'target_outside' | 'current_outside' | 'centre_needs_unit' {
  const inside = (s: BindingScope) => (s.kind === 'chain' ? chainInRemit(remit, s.chain, unitsById) : unitInRemit(remit, s.unitPath));
  if (target.kind === 'centre' && !target.unitPath) return 'centre_needs_unit';
  if (current && !inside(current)) return 'current_outside';
  if (!inside(target)) return 'target_outside';
  return 'ok';
}

/** Roles by level: nobody grants a role above their own highest. */
const ROLE_LEVEL: Record<string, number> = {
  owner: 1,
  secretary: 2,
  checker: 2,
  chain_leader: 3,
  unit_lead: 3,
  dept_lead: 3,
  convenor: 4,
  admin: 4,
  chief_convenor: 5,
};

export function roleLevel(roles: readonly string[]): number {
  return Math.max(0, ...roles.map((r) => ROLE_LEVEL[r] ?? 0));
}

/**
 * Granting roles (by ledger import): to a person of a unit inside the remit, no role above the granter's own
 * highest, and never a role to oneself that one does not already hold.
 */
export function mayGrant(
  granter: Actor,
  remit: Remit,
  grantee: { id: number; unitPath: string | null; roles: readonly string[] },
  newRoles: readonly string[],
): 'ok' | 'unit_outside' | 'above_own_level' | 'self_escalation' {
  const added = newRoles.filter((r) => !grantee.roles.includes(r));
  if (added.length === 0) return 'ok';
  if (!unitInRemit(remit, grantee.unitPath)) return 'unit_outside';
  if (grantee.id === granter.id) return 'self_escalation';
  if (roleLevel(added) > roleLevel(granter.roles)) return 'above_own_level';
  return 'ok';
}
