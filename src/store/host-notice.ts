// The problems a report recorded, with where their project lies and who must act: what the host notice needs.

import { eq, sql } from 'drizzle-orm';
import { problems, projects } from '../../db/schema.js';
import type { ProblemCategory } from '../domain/reporting.js';
import type { Db, Tx } from './db.js';

type Q = Db | Tx;

export interface ReportProblem {
  id: number;
  category: ProblemCategory;
  description: string;
  project: string;
  code: string;
  hostUnitId: number | null;
  firstTalkUnitId: number | null;
  hostPath: string | null;
  hostName: string | null;
  mustActPath: string | null;
  mustActName: string | null;
}

export async function problemsOfReport(q: Q, reportId: number): Promise<ReportProblem[]> {
  return q
    .select({
      id: problems.id,
      category: problems.category,
      description: problems.description,
      project: projects.name,
      code: projects.code,
      hostUnitId: projects.hostUnitId,
      firstTalkUnitId: projects.firstTalkUnitId,
      hostPath: sql<string | null>`(select path from units where id = ${projects.hostUnitId})`,
      hostName: sql<string | null>`(select name from units where id = ${projects.hostUnitId})`,
      mustActPath: sql<string | null>`(select path from units where id = ${problems.mustActUnitId})`,
      mustActName: sql<string | null>`(select name from units where id = ${problems.mustActUnitId})`,
    })
    .from(problems)
    .innerJoin(projects, eq(projects.id, problems.projectId))
    .where(eq(problems.reportId, reportId));
}
