// Problems (困难问题) with their due dates and escalations, the external organisations that may have to act on
// them, a project's service team lead and its evaluations before signing. Data access only: the services ask the
// rules (src/domain/problems.ts) first.

import { and, asc, count, eq, inArray, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { externalOrgs, people, problems, projectEvaluations, projects, units } from '../../db/schema.js';
import type { Db, Tx } from './db.js';

type Q = Db | Tx;

export type ExternalOrg = typeof externalOrgs.$inferSelect;
export type Problem = typeof problems.$inferSelect;

const mu = alias(units, 'must_act_unit');

/** A problem as the lists, the job and the close command show it. */
export interface ProblemRow {
  id: number;
  projectId: number;
  project: string;
  code: string;
  firstTalkUnitId: number | null;
  hostUnitId: number | null;
  ownerId: number | null;
  teamLeadId: number | null;
  category: Problem['category'];
  description: string;
  raisedOn: string;
  dueOn: string | null;
  escalatedLevel: number;
  mustActUnitId: number | null;
  mustActUnitName: string | null;
  mustActUnitPath: string | null;
  mustActOrgId: number | null;
  orgName: string | null;
  orgContact: string | null;
  orgContactOpenId: string | null;
  orgGovernmentId: number | null;
  open: boolean;
}

function selectRows(q: Q) {
  return q
    .select({
      id: problems.id,
      projectId: projects.id,
      project: projects.name,
      code: projects.code,
      firstTalkUnitId: projects.firstTalkUnitId,
      hostUnitId: projects.hostUnitId,
      ownerId: projects.ownerId,
      teamLeadId: projects.teamLeadId,
      category: problems.category,
      description: problems.description,
      raisedOn: problems.raisedOn,
      dueOn: problems.dueOn,
      escalatedLevel: problems.escalatedLevel,
      mustActUnitId: problems.mustActUnitId,
      mustActUnitName: mu.name,
      mustActUnitPath: mu.path,
      mustActOrgId: problems.mustActOrgId,
      orgName: externalOrgs.name,
      orgContact: externalOrgs.contactName,
      orgContactOpenId: externalOrgs.contactOpenId,
      orgGovernmentId: externalOrgs.governmentUnitId,
      open: problems.open,
    })
    .from(problems)
    .innerJoin(projects, eq(projects.id, problems.projectId))
    .leftJoin(mu, eq(mu.id, problems.mustActUnitId))
    .leftJoin(externalOrgs, eq(externalOrgs.id, problems.mustActOrgId));
}

/**
 * The open problems a unit must act on: addressed to `unitId`, or to a unit under one of `subtrees`, or to an
 * external organisation of a government under one of them. Due first.
 */
export async function openProblemsToAct(q: Q, where: ToAct): Promise<ProblemRow[]> {
  const cond = toActCondition(where);
  if (!cond) return [];
  return selectRows(q)
    .where(and(eq(problems.open, true), cond))
    .orderBy(sql`${problems.dueOn} asc nulls last`, asc(problems.id))
    .limit(OPEN_PROBLEMS_READ);
}

/** At most this many open problems are read for one list (the card shows fewer; the counts cover them all). */
export const OPEN_PROBLEMS_READ = 50;

type ToAct = { unitId: number | null; subtrees: readonly string[] };

/** Addressed to the unit, to a unit under one of the subtrees, or to an external organisation of a government there. */
function toActCondition(where: ToAct) {
  const parts = [];
  if (where.unitId !== null) parts.push(sql`${problems.mustActUnitId} = ${where.unitId}`);
  for (const s of where.subtrees) {
    parts.push(sql`${mu.path} like ${`${s}%`}`);
    parts.push(sql`${externalOrgs.governmentUnitId} in (select id from ${units} where ${units.path} like ${`${s}%`})`);
  }
  return parts.length === 0 ? undefined : sql`(${sql.join(parts, sql` or `)})`;
}

/** How many open problems the unit must act on (as openProblemsToAct selects them), and how many are past `today`. */
export async function countProblemsToAct(q: Q, where: ToAct, today: string): Promise<{ total: number; overdue: number }> {
  const cond = toActCondition(where);
  if (!cond) return { total: 0, overdue: 0 };
  const [row] = await q
    .select({
      total: sql<number>`count(*)::int`,
      overdue: sql<number>`(count(*) filter (where ${problems.dueOn} < ${today}))::int`,
    })
    .from(problems)
    .leftJoin(mu, eq(mu.id, problems.mustActUnitId))
    .leftJoin(externalOrgs, eq(externalOrgs.id, problems.mustActOrgId))
    .where(and(eq(problems.open, true), cond));
  return { total: Number(row?.total ?? 0), overdue: Number(row?.overdue ?? 0) };
}

export async function problemRow(q: Q, id: number): Promise<ProblemRow | undefined> {
  return (await selectRows(q).where(eq(problems.id, id)))[0];
}

/** Open problems past their due date whose escalation to `level` has not been made, as of `today`. */
export async function problemsOverdue(q: Q, today: string, level: number): Promise<ProblemRow[]> {
  return selectRows(q)
    .where(and(eq(problems.open, true), lt(problems.dueOn, today), lt(problems.escalatedLevel, level)))
    .orderBy(asc(problems.id));
}

/**
 * Marks a problem escalated to `level`, once: true for the caller that moved it there, false when it was already
 * (a second run, another instance). The guard is the row itself, so the escalation is idempotent per level.
 */
export async function markEscalated(tx: Tx, id: number, level: number, on: string): Promise<boolean> {
  const rows = await tx
    .update(problems)
    .set({ escalatedLevel: level, escalatedOn: on })
    .where(and(eq(problems.id, id), eq(problems.open, true), lt(problems.escalatedLevel, level)))
    .returning({ id: problems.id });
  return rows.length > 0;
}

/** Closes an open problem with what was done; false when it was closed already. */
export async function closeProblem(tx: Tx, id: number, c: { on: string; resolution: string; byId: number }): Promise<boolean> {
  const rows = await tx
    .update(problems)
    .set({ open: false, resolvedOn: c.on, resolution: c.resolution, resolvedById: c.byId })
    .where(and(eq(problems.id, id), eq(problems.open, true)))
    .returning({ id: problems.id });
  return rows.length > 0;
}

// --- external organisations ------------------------------------------------------------------------------------

/** The external organisations of some governments (by unit id), by name. */
export async function orgsOf(q: Q, governmentIds: readonly number[]): Promise<ExternalOrg[]> {
  if (governmentIds.length === 0) return [];
  return q
    .select()
    .from(externalOrgs)
    .where(inArray(externalOrgs.governmentUnitId, [...new Set(governmentIds)]))
    .orderBy(asc(externalOrgs.name));
}

/** Adds an organisation to a government, or updates the one of that name there; returns it and whether it is new. */
export async function upsertOrg(
  tx: Q,
  o: { name: string; kind: string; contactName: string | null; contactOpenId: string | null; governmentUnitId: number },
): Promise<{ org: ExternalOrg; created: boolean }> {
  const [existing] = await tx
    .select()
    .from(externalOrgs)
    .where(and(eq(externalOrgs.governmentUnitId, o.governmentUnitId), eq(externalOrgs.name, o.name)));
  if (existing) {
    const [org] = await tx
      .update(externalOrgs)
      .set({ kind: o.kind, contactName: o.contactName, contactOpenId: o.contactOpenId })
      .where(eq(externalOrgs.id, existing.id))
      .returning();
    return { org: org!, created: false };
  }
  const [org] = await tx.insert(externalOrgs).values(o).returning();
  return { org: org!, created: true };
}

// --- service team and evaluations --------------------------------------------------------------------------------

export async function setTeamLead(tx: Tx, projectId: number, personId: number, at: Date): Promise<void> {
  await tx.update(projects).set({ teamLeadId: personId, updatedAt: at }).where(eq(projects.id, projectId));
}

/** People of the units under a government path whose name is exactly `name` (active). */
export async function peopleNamedUnder(q: Q, name: string, path: string) {
  return q
    .select({ id: people.id, name: people.name, unitId: people.unitId, openId: people.openId, unitPath: units.path })
    .from(people)
    .innerJoin(units, eq(units.id, people.unitId))
    .where(and(eq(people.name, name), eq(people.active, true), sql`${units.path} like ${`${path}%`}`));
}

export async function recordEvaluation(
  tx: Tx,
  e: { projectId: number; evaluatedOn: string; conclusion: string; note: string | null; byPersonId: number },
) {
  const [row] = await tx.insert(projectEvaluations).values(e).returning();
  return row!;
}

export async function evaluationCount(q: Q, projectId: number): Promise<number> {
  const [row] = await q.select({ n: count() }).from(projectEvaluations).where(eq(projectEvaluations.projectId, projectId));
  return Number(row?.n ?? 0);
}

export async function latestEvaluation(q: Q, projectId: number) {
  const [row] = await q
    .select()
    .from(projectEvaluations)
    .where(eq(projectEvaluations.projectId, projectId))
    .orderBy(sql`${projectEvaluations.evaluatedOn} desc`, sql`${projectEvaluations.id} desc`)
    .limit(1);
  return row;
}

/** The open problems a report raised (the one a report form adds), with who must act. */
export async function problemsOfReport(q: Q, reportId: number): Promise<ProblemRow[]> {
  return selectRows(q)
    .where(and(eq(problems.reportId, reportId), eq(problems.open, true)))
    .orderBy(asc(problems.id));
}

export async function activePerson(q: Q, id: number) {
  const [p] = await q.select().from(people).where(eq(people.id, id));
  return p?.active ? p : undefined;
}
