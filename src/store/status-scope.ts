// The SQL side of status scopes (src/status/scope.ts decides who sees which scope; this file turns a scope's parts
// into one condition on `projects` and runs the few queries that ask about a scope as a whole).

import { and, asc, eq, gte, inArray, or, sql, type SQL } from 'drizzle-orm';
import { chatGroups, projects, units } from '../../db/schema.js';
import type { Db, Tx } from './db.js';
import type { ChatGroup } from './directory.js';
import { inUnitSubtree, type Project } from './projects.js';

type Q = Db | Tx;

/** Stages that count as "signed" for the project centre's list: signed, and landed (which was signed first). */
export const CENTRE_STAGES = ['signed', 'landed'] as const;

/** One conjunction of constraints on a project; a scope is a union of them. */
export interface ScopePart {
  /** The project's host or first-talk unit lies in this subtree ('/1/2/'). */
  unitPath?: string;
  /** The project's first-talk unit lies in this subtree (who may change it: 001 三.二 "谁对接、谁牵头"). */
  firstTalkPath?: string;
  /** The project belongs to one of these chains. */
  chainIds?: number[];
  /** The project's owner. */
  ownerId?: number;
  /** Signed (or landed) with a contract amount at or above this many fen (the project centre's list). */
  centre?: number;
}

/** What the queries need of a scope: its parts (status's Scope carries labels and kinds besides). */
export interface ScopeFilter {
  parts: readonly ScopePart[];
}

function partCondition(p: ScopePart): SQL {
  const conds: SQL[] = [];
  if (p.unitPath !== undefined) conds.push(inUnitSubtree(p.unitPath));
  if (p.firstTalkPath !== undefined) {
    conds.push(sql`${projects.firstTalkUnitId} in (select ${units.id} from ${units} where ${units.path} like ${p.firstTalkPath + '%'})`);
  }
  if (p.chainIds !== undefined) conds.push(p.chainIds.length > 0 ? inArray(projects.chainId, p.chainIds) : sql`false`);
  if (p.ownerId !== undefined) conds.push(eq(projects.ownerId, p.ownerId));
  if (p.centre !== undefined) {
    conds.push(inArray(projects.stage, [...CENTRE_STAGES]), gte(projects.contractAmountFen, p.centre));
  }
  return conds.length === 0 ? sql`true` : conds.length === 1 ? conds[0]! : and(...conds)!;
}

/** The SQL condition on `projects` for the scope: one OR of ANDs, nothing per row in JS. */
export function scopeCondition(scope: ScopeFilter): SQL {
  if (scope.parts.length === 0) return sql`false`;
  if (scope.parts.some((p) => Object.keys(p).length === 0)) return sql`true`;
  const conds = scope.parts.map(partCondition);
  return conds.length === 1 ? conds[0]! : or(...conds)!;
}

/** Whether the scope holds any project at all. */
export async function scopeHasProjects(q: Q, scope: ScopeFilter): Promise<boolean> {
  const rows = await q.select({ id: projects.id }).from(projects).where(scopeCondition(scope)).limit(1);
  return rows.length > 0;
}

export async function projectInScope(q: Q, scope: ScopeFilter, projectId: number): Promise<boolean> {
  const rows = await q
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.id, projectId), scopeCondition(scope)));
  return rows.length > 0;
}

/** Those of `ids` that lie in the scope, as rows, in name order (a pick-list never offers what the asker may not see). */
export async function projectsInScope(q: Q, scope: ScopeFilter, ids: readonly number[]): Promise<Project[]> {
  if (ids.length === 0) return [];
  return q
    .select()
    .from(projects)
    .where(and(inArray(projects.id, [...ids]), scopeCondition(scope)))
    .orderBy(asc(projects.name));
}

/** Projects of the scope matching a name fragment or code (for `/status <项目>`), best first. */
export async function findProjectsIn(q: Q, scope: ScopeFilter, needle: string, limit = 10): Promise<Project[]> {
  const escaped = needle.replace(/[\\%_]/g, (c) => `\\${c}`);
  return q
    .select()
    .from(projects)
    .where(sql`(lower(${projects.code}) = lower(${needle}) or ${projects.name} ilike ${'%' + escaped + '%'}) and ${scopeCondition(scope)}`)
    .orderBy(sql`lower(${projects.code}) = lower(${needle}) desc`, sql`length(${projects.name})`, asc(projects.id))
    .limit(limit);
}

/** Every group with a binding, in id order (status/scope.ts resolves each binding to a scope). */
export async function boundGroupRows(q: Q): Promise<ChatGroup[]> {
  return q
    .select()
    .from(chatGroups)
    .where(sql`${chatGroups.bindingKind} is not null`)
    .orderBy(chatGroups.id);
}
