// The one-project view's reads (src/status/view.ts projectDetail): names, funds by status, stage history and open
// problems of one project, each one small query, issued together.

import { asc, desc, eq, sql } from 'drizzle-orm';
import { chains, externalOrgs, fundEntries, people, problems, projectEvaluations, stageHistory, units } from '../../db/schema.js';
import type { Db, Tx } from './db.js';
import type { Project } from './projects.js';

type Q = Db | Tx;

export interface ProjectFacts {
  hostName: string | null;
  firstTalkName: string | null;
  /** The unit a 提级报备 was filed to (提级管理), when the project is under escalated management. */
  escalatedToName: string | null;
  chainName: string | null;
  ownerName: string | null;
  /** Fund entries summed by status (verified, reported, rejected). */
  funds: { status: string; fen: number }[];
  /** The latest stage changes, newest first. */
  history: { from: Project['stage'] | null; to: Project['stage']; on: string; reason: string | null }[];
  /** Open problems, oldest first. */
  problems: { category: string; description: string; unitName: string | null; raisedOn: string }[];
  /** The service team lead (包保专班负责人), when set. */
  teamLeadName: string | null;
  /** The latest evaluation before signing (001 三.四), when recorded. */
  evaluation: { on: string; conclusion: string } | null;
}

export async function projectFacts(
  q: Q,
  project: Pick<Project, 'id' | 'hostUnitId' | 'firstTalkUnitId' | 'chainId' | 'ownerId' | 'escalatedToUnitId'> & {
    teamLeadId?: number | null;
  },
  opts: { history: number; problems: number },
): Promise<ProjectFacts> {
  const names = async (table: typeof units | typeof chains, id: number | null) => {
    if (!id) return null;
    const [r] = await q.select({ name: table.name }).from(table).where(eq(table.id, id));
    return r?.name ?? null;
  };
  const [hostName, firstTalkName, escalatedToName, chainName, owner, funds, history, open, teamLead, evaluation] = await Promise.all([
    names(units, project.hostUnitId),
    names(units, project.firstTalkUnitId),
    names(units, project.escalatedToUnitId),
    names(chains, project.chainId),
    project.ownerId ? q.select({ name: people.name }).from(people).where(eq(people.id, project.ownerId)) : Promise.resolve([]),
    q
      .select({ status: fundEntries.status, fen: sql<number>`coalesce(sum(${fundEntries.amountFen}), 0)`.mapWith(Number) })
      .from(fundEntries)
      .where(eq(fundEntries.projectId, project.id))
      .groupBy(fundEntries.status),
    q
      .select({
        from: stageHistory.fromStage,
        to: stageHistory.toStage,
        on: sql<string>`${stageHistory.changedOn}::text`,
        reason: stageHistory.reason,
      })
      .from(stageHistory)
      .where(eq(stageHistory.projectId, project.id))
      .orderBy(desc(stageHistory.changedOn), desc(stageHistory.id))
      .limit(opts.history),
    q
      .select({
        category: sql<string>`${problems.category}::text`,
        description: problems.description,
        // The party that must act: the unit, else the external organisation named instead (市供电公司).
        unitName: sql<
          string | null
        >`coalesce(${units.name}, (select ${externalOrgs.name} from ${externalOrgs} where ${externalOrgs.id} = ${problems.mustActOrgId}))`,
        raisedOn: sql<string>`${problems.raisedOn}::text`,
      })
      .from(problems)
      .leftJoin(units, eq(units.id, problems.mustActUnitId))
      .where(sql`${problems.projectId} = ${project.id} and ${problems.open}`)
      .orderBy(asc(problems.raisedOn))
      .limit(opts.problems),
    project.teamLeadId ? q.select({ name: people.name }).from(people).where(eq(people.id, project.teamLeadId)) : Promise.resolve([]),
    q
      .select({ on: sql<string>`${projectEvaluations.evaluatedOn}::text`, conclusion: projectEvaluations.conclusion })
      .from(projectEvaluations)
      .where(eq(projectEvaluations.projectId, project.id))
      .orderBy(desc(projectEvaluations.evaluatedOn), desc(projectEvaluations.id))
      .limit(1),
  ]);
  return {
    hostName,
    firstTalkName,
    escalatedToName,
    chainName,
    ownerName: owner[0]?.name ?? null,
    funds,
    history,
    problems: open,
    teamLeadName: teamLead[0]?.name ?? null,
    evaluation: evaluation[0] ?? null,
  };
}
