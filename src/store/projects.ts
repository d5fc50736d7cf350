import { and, asc, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from './db.js';
import { projects, reports, units } from '../../db/schema.js';
import { REPORTING_STAGES } from '../domain/reporting.js';
import { audit } from './audit.js';

export type Project = typeof projects.$inferSelect;
type Q = Db | Tx;

// Declared in the domain; re-exported for the readers that took it from here (status, benches).
export { REPORTING_STAGES };

export async function projectById(q: Q, id: number): Promise<Project | undefined> {
  return (await q.select().from(projects).where(eq(projects.id, id)))[0];
}

/**
 * Finds projects by code (exact, case-insensitive) or by a fragment of the name. `ownerId` narrows the search
 * to one person's projects. Returns at most `limit`, best first (exact code, then shortest name).
 */
export async function findProjects(q: Q, text: string, opts: { ownerId?: number; limit?: number; where?: SQL } = {}): Promise<Project[]> {
  const needle = text.trim();
  if (!needle) return [];
  const owner = and(opts.ownerId ? eq(projects.ownerId, opts.ownerId) : undefined, opts.where);
  const exact = await q
    .select()
    .from(projects)
    .where(and(sql`lower(${projects.code}) = lower(${needle})`, owner));
  if (exact.length > 0) return exact;
  const escaped = needle.replace(/[\\%_]/g, (c) => `\\${c}`);
  return q
    .select()
    .from(projects)
    .where(and(or(ilike(projects.name, `%${escaped}%`), ilike(projects.investor, `%${escaped}%`)), owner))
    .orderBy(sql`length(${projects.name})`, asc(projects.id))
    .limit(opts.limit ?? 10);
}

/** Suggestions when nothing matched: the projects (of `where`: what the person may reach) sharing any character with the text. */
export async function suggestProjects(q: Q, text: string, where: SQL, limit = 5): Promise<Project[]> {
  const chars = [...new Set([...text.replace(/\s/g, '')])].slice(0, 8);
  if (chars.length === 0) return [];
  const anyChar = or(...chars.map((c) => ilike(projects.name, `%${c.replace(/[\\%_]/g, (x) => `\\${x}`)}%`)));
  return q.select().from(projects).where(and(anyChar, where)).orderBy(asc(projects.id)).limit(limit);
}

/** Projects in the five databases that have no report for `period`, with their owner. */
export async function projectsMissingReport(q: Q, period: string, opts: { ownerId?: number } = {}): Promise<Project[]> {
  return q
    .select({ p: projects })
    .from(projects)
    .leftJoin(reports, and(eq(reports.projectId, projects.id), eq(reports.period, period)))
    .where(
      and(
        isNull(reports.id),
        inArray(projects.stage, [...REPORTING_STAGES]),
        opts.ownerId ? eq(projects.ownerId, opts.ownerId) : undefined,
      ),
    )
    .orderBy(asc(projects.ownerId), asc(projects.code))
    .then((rows) => rows.map((r) => r.p));
}

/** Report status of each of the owner's reporting projects for a period. */
export async function ownerReportStatus(
  q: Q,
  ownerId: number,
  period: string,
): Promise<{ project: Project; reported: boolean; noChange: boolean; late: boolean }[]> {
  const rows = await q
    .select({ p: projects, r: reports })
    .from(projects)
    .leftJoin(reports, and(eq(reports.projectId, projects.id), eq(reports.period, period)))
    .where(and(eq(projects.ownerId, ownerId), inArray(projects.stage, [...REPORTING_STAGES])))
    .orderBy(asc(projects.code));
  return rows.map((r) => ({ project: r.p, reported: !!r.r, noChange: r.r?.noChange ?? false, late: r.r?.late ?? false }));
}

/** A SQL condition: the project's host or first-talk unit lies in the subtree at `path`. */
export function inUnitSubtree(path: string) {
  const like = `${path}%`;
  return or(
    sql`${projects.hostUnitId} in (select ${units.id} from ${units} where ${units.path} like ${like})`,
    sql`${projects.firstTalkUnitId} in (select ${units.id} from ${units} where ${units.path} like ${like})`,
  )!;
}

/**
 * The next code of a year: `<scheme><year>-<n>` after the highest numbered one of that scheme. The scheme is the
 * ledgers' own (LY2026-041: the city's code, three digits; issue 17), or XM with four digits where none is given.
 */
export async function nextProjectCode(q: Q, year: number, scheme = 'XM'): Promise<string> {
  const prefix = `${scheme}${year}-`;
  const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await q
    .select({ code: projects.code })
    .from(projects)
    .where(and(ilike(projects.code, `${escaped}%`), sql`substr(${projects.code}, ${prefix.length + 1}) ~ '^[0-9]+$'`))
    .orderBy(sql`length(${projects.code}) desc`, sql`${projects.code} desc`)
    .limit(1);
  const last = rows[0] ? Number(rows[0].code.slice(prefix.length)) : 0;
  return `${prefix}${String((Number.isFinite(last) ? last : 0) + 1).padStart(scheme === 'XM' ? 4 : 3, '0')}`;
}

/**
 * Projects whose name is this name, ignoring case (a new project must not repeat a name its creator can see).
 * An exact comparison, not a pattern: `%` or `_` in a typed name must not match other projects (and reveal
 * their codes). The caller keeps those inside the person's remit: another government's project of the same name
 * is neither a clash nor something to reveal.
 */
export async function projectsNamed(q: Q, name: string): Promise<Project[]> {
  return q
    .select()
    .from(projects)
    .where(sql`lower(${projects.name}) = lower(${name})`)
    .orderBy(asc(projects.id));
}

/** The names of the projects' host units, by unit id: what a list of projects shows beside each one. */
export async function hostUnitNames(q: Q, list: readonly Pick<Project, 'hostUnitId'>[]): Promise<Map<number, string>> {
  const ids = [...new Set(list.map((p) => p.hostUnitId).filter((id): id is number => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await q.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The advisory lock key that serialises project creates (an arbitrary constant: 'zb-project-create'). */
const CREATE_LOCK = 0x7a627063;

/** A new project whose name another project already has (its code, to show the person). */
export class ProjectNameTaken extends Error {
  constructor(readonly existingCode: string) {
    super(`project name taken by ${existingCode}`);
    this.name = 'ProjectNameTaken';
  }
}

export type NewProject = Pick<
  typeof projects.$inferInsert,
  | 'name'
  | 'investor'
  | 'investorRegion'
  | 'chainId'
  | 'firstTalkUnitId'
  | 'hostUnitId'
  | 'ownerId'
  | 'plannedInvestmentFen'
  | 'projectType'
  | 'channels'
> &
  Partial<Pick<typeof projects.$inferInsert, 'investorRegionCode'>>;

/**
 * Creates a project in 谋划 (planning) with the next code of `today`'s year, and its audit entry, in the caller's
 * transaction. `audited` is what the audit row records as the values entered.
 */
export async function createProject(
  tx: Tx,
  p: NewProject,
  by: { actorId: number; today: string; audited: unknown; codeScheme?: string },
): Promise<Project> {
  // One create at a time (the lock ends with the transaction): the name check and the next code are read and
  // used without another create slipping in between, so a double-submitted form creates one project, and the
  // second is told the name is taken. The unique index on (host unit, name) holds against any other writer.
  await tx.execute(sql`select pg_advisory_xact_lock(${CREATE_LOCK})`);
  // The index's rule (one name per host unit); the service has already refused names the creator can see.
  const same = (await projectsNamed(tx, p.name)).find((x) => x.hostUnitId === p.hostUnitId);
  if (same) throw new ProjectNameTaken(same.code);
  const code = await nextProjectCode(tx, Number(by.today.slice(0, 4)), by.codeScheme);
  const [created] = await tx
    .insert(projects)
    .values({ ...p, code, stage: 'planning', stageEnteredOn: by.today, lastProgressOn: by.today })
    .returning();
  await audit(tx, { actorId: by.actorId, action: 'project.create', entity: 'project', entityId: created!.id, after: by.audited });
  return created!;
}

/**
 * Marks a project as under escalated management (提级管理), filed to `unitId`'s mechanism on `on`; false when it
 * was already marked (by another path or a concurrent transaction): the filing is once per project.
 */
export async function markEscalated(q: Q, projectId: number, on: string, unitId: number | null): Promise<boolean> {
  const rows = await q
    .update(projects)
    .set({ escalatedOn: on, escalatedToUnitId: unitId })
    .where(and(eq(projects.id, projectId), isNull(projects.escalatedOn)))
    .returning({ id: projects.id });
  return rows.length > 0;
}

/** Projects by id (any order). */
export async function projectsByIds(q: Q, ids: readonly number[]): Promise<Project[]> {
  if (ids.length === 0) return [];
  return q
    .select()
    .from(projects)
    .where(inArray(projects.id, [...ids]));
}

/** The ids of the projects with these codes (normalised codes, as the ledger keys them). */
export async function projectIdsByCodes(q: Q, codes: readonly string[]): Promise<number[]> {
  if (codes.length === 0) return [];
  const rows = await q
    .select({ id: projects.id })
    .from(projects)
    .where(inArray(projects.code, [...codes]));
  return rows.map((r) => r.id);
}
