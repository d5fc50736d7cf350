// Scopes: which projects a group or a person may see. A scope is a union of parts; a part is a conjunction of
// constraints (a unit subtree, a set of chains, an owner, the project-centre rule). Everything the status card,
// the digests and the summaries show is computed under one scope's SQL condition (store/status-scope.ts builds it
// from the parts), so nothing leaks outside it.

import { yi } from '../domain/amount.js';
import { allChains, allUnits, type Chain, type ChatGroup, type Person, type Unit } from '../store/directory.js';
import type { Db, Tx } from '../store/db.js';
import { boundGroupRows, type ScopePart } from '../store/status-scope.js';
import { t } from '../text.js';
import { formatAmount } from '../words.js';

type Q = Db | Tx;

/** Signed projects at or above this contract amount are the project centre's (seed 000 三(三): ≥1亿元; rules.centreListFen). */
export const CENTRE_MIN_FEN = yi(1);

export type { ScopePart };

export type ScopeKind = 'all' | 'unit' | 'chain' | 'centre' | 'convenor' | 'owner' | 'person';

export interface Scope {
  kind: ScopeKind;
  /** How cards name it: 东丰县, 新能源产业链, 签约1亿元以上项目… */
  label: string;
  /** Union of parts; an empty list is an empty scope. */
  parts: ScopePart[];
  /** The unit of a unit / convenor / centre binding (for routing and targets). */
  unitId?: number;
  /**
   * Set by narrow() when the part was intersected with a scope of another kind (a county inside a chain scope,
   * a chain inside a county's, a county among one person's projects) rather than found inside it.
   */
  intersected?: boolean;
}

/** Units and chains, small tables read once per request. */
export interface Directory {
  units: Unit[];
  chains: Chain[];
  unitById: Map<number, Unit>;
  chainById: Map<number, Chain>;
}

export async function loadDirectory(q: Q): Promise<Directory> {
  const [us, cs] = await Promise.all([allUnits(q), allChains(q)]);
  return { units: us, chains: cs, unitById: new Map(us.map((u) => [u.id, u])), chainById: new Map(cs.map((c) => [c.id, c])) };
}

export function chainLabel(c: Chain): string {
  return t('status.scope.chain', { chain: c.name });
}

export const allScope = (): Scope => ({ kind: 'all', label: t('status.scope.all'), parts: [{}] });

export function unitScope(u: Unit, kind: 'unit' | 'convenor' = 'unit'): Scope {
  return {
    kind,
    label: kind === 'convenor' ? t('status.scope.convenor', { unit: u.name }) : u.name,
    parts: [{ unitPath: u.path }],
    unitId: u.id,
  };
}

/**
 * A chain's projects (链长制 is per government, DOMAIN.md): its own and, for a province chain, those of the city
 * chains linked to it (000: one province–city working system per chain), inside the chain's government — never
 * another city's chain of the same name. A chain not yet placed in a government is nobody's: an empty part list.
 */
export function chainParts(c: Chain, dir: Directory): ScopePart[] {
  const gov = c.governmentUnitId === null ? undefined : dir.unitById.get(c.governmentUnitId);
  if (!gov) return [];
  const linked = dir.chains.filter((x) => x.parentChainId === c.id).map((x) => x.id);
  return [{ chainIds: [c.id, ...linked], unitPath: gov.path }];
}

export function chainScope(c: Chain, dir: Directory): Scope {
  return { kind: 'chain', label: chainLabel(c), parts: chainParts(c, dir) };
}

export function centreScope(u: Unit | undefined, minFen: number = CENTRE_MIN_FEN): Scope {
  const amount = formatAmount(minFen);
  return u
    ? {
        kind: 'centre',
        label: t('status.scope.centre_unit', { unit: u.name, amount }),
        parts: [{ centre: minFen, unitPath: u.path }],
        unitId: u.id,
      }
    : { kind: 'centre', label: t('status.scope.centre', { amount }), parts: [{ centre: minFen }] };
}

/** The scope a group is bound to, or null when it is not bound (or its binding points nowhere). */
export function scopeOfGroup(g: ChatGroup | undefined, dir: Directory, centreMinFen: number = CENTRE_MIN_FEN): Scope | null {
  if (!g || !g.bindingKind) return null;
  const unit = g.unitId ? dir.unitById.get(g.unitId) : undefined;
  switch (g.bindingKind) {
    case 'unit':
      return unit ? unitScope(unit) : null;
    case 'convenor':
      return unit ? unitScope(unit, 'convenor') : null;
    case 'chain': {
      const c = g.chainId ? dir.chainById.get(g.chainId) : undefined;
      return c ? chainScope(c, dir) : null;
    }
    case 'centre':
      return centreScope(unit, centreMinFen);
  }
}

/**
 * The unit a person's unit-level roles stand for: their unit, or, when it is a department or the project centre,
 * the government it belongs to (a city bureau serves the city's mechanism).
 */
export function governmentUnitOf(person: Person, dir: Directory): Unit | undefined {
  const u = person.unitId ? dir.unitById.get(person.unitId) : undefined;
  if (!u) return undefined;
  if ((u.kind === 'department' || u.kind === 'centre') && u.parentId) return dir.unitById.get(u.parentId) ?? u;
  return u;
}

const UNIT_ROLES = new Set(['unit_lead', 'dept_lead', 'convenor', 'chief_convenor', 'admin']);

/**
 * A person's scope in p2p, from their roles: owner → their projects; unit_lead, dept_lead, convenor,
 * chief_convenor, admin → their unit's subtree (the government's, for a department); chain_leader, secretary →
 * their chains. Null when the roles give nothing to see.
 */
export function scopeOfPerson(person: Person, dir: Directory): Scope | null {
  const parts: ScopePart[] = [];
  const labels: string[] = [];
  let unitId: number | undefined;
  if (person.roles.some((r) => UNIT_ROLES.has(r))) {
    const u = governmentUnitOf(person, dir);
    if (u) {
      parts.push({ unitPath: u.path });
      labels.push(u.name);
      unitId = u.id;
    }
  }
  if (person.roles.includes('chain_leader') || person.roles.includes('secretary')) {
    const mine = dir.chains.filter((c) => c.leaderId === person.id || c.secretaryId === person.id);
    if (mine.length > 0) {
      // Each chain inside its own government (a city chain leader never sees another city's counties).
      for (const c of mine) parts.push(...chainParts(c, dir));
      labels.push(
        mine.length === 1 ? chainLabel(mine[0]!) : t('status.scope.chains', { chains: mine.map((c) => c.name).join(t('status.list_sep')) }),
      );
    }
  }
  if (person.roles.includes('owner')) {
    // Inside a unit subtree already shown, the owner's projects add nothing unless they lie elsewhere.
    parts.push({ ownerId: person.id });
    labels.push(t('status.scope.owner', { name: person.name }));
  }
  if (parts.length === 0) return null;
  const only = parts.length === 1 ? parts[0]! : null;
  const kind: ScopeKind = only?.chainIds ? 'chain' : only?.unitPath ? 'unit' : only?.ownerId ? 'owner' : 'person';
  return { kind, label: labels.join(t('status.list_sep')), parts, ...(unitId !== undefined ? { unitId } : {}) };
}

/** What a request names inside a scope. */
export type Part = { kind: 'unit'; unit: Unit } | { kind: 'chain'; chain: Chain };

export function partLabel(p: Part): string {
  return p.kind === 'unit' ? p.unit.name : chainLabel(p.chain);
}

/**
 * The scope narrowed to a unit or a chain, or null when the part lies outside it (a county group asking about
 * another county, a chain group asking about another chain). A unit inside a unit scope replaces it; a chain
 * inside a unit scope, or a unit inside a chain scope, is their intersection.
 */
export function narrow(scope: Scope, part: Part): Scope | null {
  if (scope.parts.length === 0) return null;
  const parts: ScopePart[] = [];
  let intersected = false;
  for (const p of scope.parts) {
    if (part.kind === 'unit') {
      if (p.unitPath !== undefined && !part.unit.path.startsWith(p.unitPath)) continue;
      if (p.unitPath === undefined || p.chainIds || p.ownerId !== undefined || p.centre !== undefined) intersected = true;
      parts.push({ ...p, unitPath: part.unit.path });
    } else {
      if (p.chainIds !== undefined && !p.chainIds.includes(part.chain.id)) continue;
      if (p.chainIds === undefined || p.unitPath !== undefined || p.ownerId !== undefined || p.centre !== undefined) intersected = true;
      parts.push({ ...p, chainIds: [part.chain.id] });
    }
  }
  if (parts.length === 0) return null;
  const sameUnit = part.kind === 'unit' && scope.parts.every((p) => p.unitPath === part.unit.path);
  const unitInside =
    part.kind === 'unit' &&
    scope.parts.every((p) => p.unitPath !== undefined && !p.chainIds && p.ownerId === undefined && p.centre === undefined);
  const sameChain = part.kind === 'chain' && scope.parts.every((p) => p.chainIds?.length === 1 && p.chainIds[0] === part.chain.id);
  const label =
    sameUnit || sameChain
      ? scope.label
      : unitInside
        ? part.unit.name
        : t('status.scope.narrow', { scope: scope.label, part: partLabel(part) });
  return {
    kind: scope.kind === 'all' ? part.kind : scope.kind,
    label,
    parts,
    ...(part.kind === 'unit' ? { unitId: part.unit.id } : scope.unitId !== undefined ? { unitId: scope.unitId } : {}),
    ...(intersected && scope.kind !== 'all' ? { intersected: true } : {}),
  };
}

/**
 * Units whose annual targets the scope shows: the units with targets inside the scope's unit subtrees. Only
 * for scopes made of unit subtrees (targets are per unit, not per chain or owner); null otherwise.
 */
export function targetUnitPaths(scope: Scope): string[] | null {
  if (scope.parts.length === 0) return null;
  if (scope.parts.some((p) => p.chainIds || p.ownerId !== undefined || p.centre !== undefined)) return null;
  return scope.parts.map((p) => p.unitPath ?? '/');
}

/** The chats' bound scopes, for routing jobs: every bound group with its scope. */
export async function boundGroups(q: Q, dir: Directory, centreMinFen?: number): Promise<{ group: ChatGroup; scope: Scope }[]> {
  const rows = await boundGroupRows(q);
  return rows.flatMap((g) => {
    const scope = scopeOfGroup(g, dir, centreMinFen);
    return scope ? [{ group: g, scope }] : [];
  });
}

/**
 * The chain a name stands for in a scope. Chains are per government, so one name may be several chains (the
 * province's 新能源 and each city's): the scope's own chain first, then the chain of the nearest government
 * whose narrowing holds the scope, else the first of the name (which narrows to nothing, and is refused by name).
 */
export function chainInScope(scope: Scope, named: Chain, dir: Directory): Chain {
  const same = dir.chains.filter((c) => c.name === named.name);
  const own = same.find((c) => scope.parts.some((p) => p.chainIds?.[0] === c.id));
  if (own) return own;
  const depth = (c: Chain) => (c.governmentUnitId === null ? -1 : (dir.unitById.get(c.governmentUnitId)?.path.length ?? -1));
  const ordered = [...same].sort((a, b) => depth(b) - depth(a));
  return (
    ordered.find((c) => {
      const gov = c.governmentUnitId === null ? undefined : dir.unitById.get(c.governmentUnitId);
      return (
        !!gov && scope.parts.some((p) => p.unitPath === undefined || p.unitPath.startsWith(gov.path) || gov.path.startsWith(p.unitPath))
      );
    }) ?? named
  );
}
