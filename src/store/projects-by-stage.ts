import { inArray } from 'drizzle-orm';
import { projects } from '../../db/schema.js';
import type { Db, Tx } from './db.js';
import type { Project } from './projects.js';
import type { StageId } from '../domain/stages.js';

/*
 * A query of the projects aggregate kept apart from store/projects.ts while the reporting redesign owns that
 * file; it belongs there once the branches are merged.
 */

/** Every project in one of the stages (the ageing rule's candidates: 洽谈, 意向 by default). */
export async function projectsInStages(q: Db | Tx, stages: readonly StageId[]): Promise<Project[]> {
  if (stages.length === 0) return [];
  return q
    .select()
    .from(projects)
    .where(inArray(projects.stage, stages as StageId[]));
}
