/*
 * Loads what the pure remit rules (src/domain/remit.ts) need about an actor and about projects, in as few round
 * trips as possible: one query for the actor's remit, one for the places of any number of projects. Services
 * call these and then ask `mayRead` / `mayChange` / `mayBind` / `mayGrant`; nothing here decides.
 */
import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Db, Tx } from './db.js';
import { intArray } from './db-core.js';
import { rowsOf } from './status-sql.js';
import type { ScopeFilter, ScopePart } from './status-scope.js';
import { remitOf, type ChainNode, type ProjectPlace, type Remit, type UnitNode } from '../domain/remit.js';
import type { Actor } from '../domain/permissions.js';

type Q = Db | Tx;

/** An actor's remit with the units and chains it was computed from (callers reuse them for chain and unit checks). */
export interface RemitView {
  remit: Remit;
  /** The actor's unit and its ancestors (what `governmentOf` needs). */
  unitsById: Map<number, UnitNode>;
  /** The actor's chains and the chains linked below them. */
  chains: ChainNode[];
}

export interface RemitRow {
  units: UnitNode[] | null;
  chains: ChainNode[] | null;
  principals: { id: number; delegateId: number | null; awayUntil: string | null }[] | null;
}

type Known = Actor & { unitId: number | null };

/**
 * The select that reads what `remitOf` needs about `actor` (one row: units, chains, principals). A fragment, so
 * the hot paths can fold it into the read of the project they act on (src/store/action-context.ts).
 */
export function remitSql(actor: { id: number | Placeholder; unitId: number | null | Placeholder }): SQL {
  return sql`
    select
      (select json_agg(json_build_object('id', u.id, 'kind', u.kind, 'path', u.path))
         from units u
        where ${actor.unitId}::int is not null
          and u.id = any(string_to_array(trim(both '/' from (select path from units where id = ${actor.unitId}::int)), '/')::int[])
      ) as units,
      (select json_agg(json_build_object('id', c.id, 'governmentId', c.government_unit_id, 'parentChainId', c.parent_chain_id,
                                          'leaderId', c.leader_id, 'secretaryId', c.secretary_id))
         from chains c
        where c.leader_id = ${actor.id} or c.secretary_id = ${actor.id}
           or c.parent_chain_id in (select id from chains where leader_id = ${actor.id} or secretary_id = ${actor.id})
      ) as chains,
      (select json_agg(json_build_object('id', p.id, 'delegateId', p.delegate_id, 'awayUntil', p.away_until::text))
         from people p where p.delegate_id = ${actor.id}
      ) as principals`;
}

/** The remit of `actor` on `today` from the row `remitSql` read. */
export function remitFromRow(actor: Known, r: RemitRow | null | undefined, today: string): RemitView {
  const row = r ?? { units: null, chains: null, principals: null };
  const unitsById = new Map((row.units ?? []).map((u) => [u.id, u]));
  const chains = row.chains ?? [];
  const remit = remitOf(actor, { unitsById, chains, principals: row.principals ?? [], today });
  return { remit, unitsById, chains };
}

/** The remit of `actor` on `today` ('YYYY-MM-DD'), in one query. An unknown actor has an empty remit. */
export async function loadRemit(q: Q, actor: Known | undefined, today: string): Promise<RemitView> {
  if (!actor) return { remit: { actorId: 0, subtrees: [], chainIds: new Set(), ownerIds: new Set() }, unitsById: new Map(), chains: [] };
  const res = await q.execute(remitSql(actor));
  return remitFromRow(actor, rowsOf<RemitRow>(res)[0], today);
}

/** A json array of the places of projects `ids` (a scalar subquery: null when none exist). */
export function placesSql(ids: readonly number[] | Placeholder): SQL {
  // The database function (migration 0013) holds the lookup, so that a statement embedding it keeps one plan:
  // written inline, its id array made PostgreSQL plan the card action's read anew on every click (issue 18).
  return sql`select project_places(${Array.isArray(ids) ? intArray(ids) : ids}::int[])`;
}

/** Where projects lie, as the rules see them (host and first-talk paths, chain, owner), by project id. */
export async function projectPlaces(q: Q, ids: readonly number[]): Promise<Map<number, ProjectPlace>> {
  if (ids.length === 0) return new Map();
  const res = await q.execute(sql`
    select p.id, h.path as "hostPath", f.path as "firstTalkPath", p.chain_id as "chainId", p.owner_id as "ownerId"
      from projects p
      left join units h on h.id = p.host_unit_id
      left join units f on f.id = p.first_talk_unit_id
     where p.id = any(${intArray(ids)}::int[])`);
  const rows = rowsOf<ProjectPlace & { id: number }>(res);
  return new Map(
    rows.map((r) => [Number(r.id), { hostPath: r.hostPath, firstTalkPath: r.firstTalkPath, chainId: r.chainId, ownerId: r.ownerId }]),
  );
}

/**
 * A remit as a filter on projects, for the queries that search or list (a name typed in chat, the letters a
 * person may handle): 'read' is what `mayRead` allows (host or first-talk unit in a subtree, a chain of theirs,
 * an owner they act for); 'change' what `mayChange` allows (first-talk unit in a subtree, an owner they act for).
 */
export function remitFilter(remit: Remit, what: 'read' | 'change'): ScopeFilter {
  const parts: ScopePart[] = [];
  for (const s of remit.subtrees) parts.push(what === 'read' ? { unitPath: s } : { firstTalkPath: s });
  if (what === 'read' && remit.chainIds.size > 0) parts.push({ chainIds: [...remit.chainIds] });
  for (const o of remit.ownerIds) parts.push({ ownerId: o });
  return { parts };
}
