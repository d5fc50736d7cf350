// The database as far as a ledger file touches it: every unit, person, chain, chat group and target (a few
// thousand rows at most), and of the projects and fund entries only those the file names by code.

import { inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from './db.js';
import {
  chains,
  chatGroups,
  externalOrgs,
  fundEntries,
  people,
  problems,
  projectEvaluations,
  projects,
  targets,
  units,
} from '../../db/schema.js';
import type { Chain, ChatGroup, Person, Unit } from './directory.js';
import {
  chainKeyOf,
  orgKeyOf,
  type Evaluation,
  type ExternalOrgRow,
  type FundEntry,
  type ProblemRecord,
  type Project,
  type Target,
} from './ledger-ops.js';
import { chunks } from './ledger-sql.js';

export interface LedgerSnapshot {
  unitsByCode: Map<string, Unit>;
  unitsById: Map<number, Unit>;
  people: Person[];
  /** By chainKeyOf(government unit code, name). */
  chainsByKey: Map<string, Chain>;
  chainsById: Map<number, Chain>;
  groups: Map<string, ChatGroup>;
  /** By `${unitId}:${year}`. */
  targets: Map<string, Target>;
  /** By project code. */
  projects: Map<string, Project>;
  /** By project id. */
  funds: Map<number, FundEntry[]>;
  /** Every external organisation, by orgKeyOf(government unit code, name). */
  orgsByKey: Map<string, ExternalOrgRow>;
  /** Evaluations and problems of the projects the file's 项目评估 and 困难问题 sheets name, by project id. */
  evaluations: Map<number, Evaluation[]>;
  problems: Map<number, ProblemRecord[]>;
}

/** Codes per read statement. */
const READ_BATCH = 5000;

/**
 * Loads what the planner compares a file against. `projectCodes` are the projects the file names (its project rows
 * and its fund rows); `fundProjectCodes` those whose fund entries it may match.
 */
export async function loadLedgerSnapshot(
  q: Db | Tx,
  keys: {
    projectCodes: Iterable<string>;
    fundProjectCodes: Iterable<string>;
    evaluationProjectCodes?: Iterable<string>;
    problemProjectCodes?: Iterable<string>;
  },
): Promise<LedgerSnapshot> {
  const evaluationCodes = [...new Set(keys.evaluationProjectCodes ?? [])];
  const problemCodes = [...new Set(keys.problemProjectCodes ?? [])];
  const [u, p, c, g, tg, o] = await Promise.all([
    q.select().from(units),
    q.select().from(people),
    q.select().from(chains),
    q.select().from(chatGroups),
    q.select().from(targets),
    q.select().from(externalOrgs),
  ]);
  const projectMap = new Map<string, Project>();
  for (const batch of chunks(
    [...new Set([...keys.projectCodes, ...keys.fundProjectCodes, ...evaluationCodes, ...problemCodes])],
    READ_BATCH,
  )) {
    // One JSON parameter rather than thousands of bound ones (see ledger-sql.ts).
    const match = sql`${projects.code} in (select jsonb_array_elements_text(${JSON.stringify(batch)}::jsonb))`;
    for (const row of await q.select().from(projects).where(match)) projectMap.set(row.code, row);
  }
  const fundMap = new Map<number, FundEntry[]>();
  const fundProjectIds = [...new Set(keys.fundProjectCodes)]
    .map((code) => projectMap.get(code)?.id)
    .filter((id): id is number => id !== undefined);
  for (const batch of chunks(fundProjectIds, READ_BATCH)) {
    for (const row of await q.select().from(fundEntries).where(inArray(fundEntries.projectId, batch))) {
      const list = fundMap.get(row.projectId) ?? [];
      list.push(row);
      fundMap.set(row.projectId, list);
    }
  }
  const idsOf = (codes: string[]) => codes.map((code) => projectMap.get(code)?.id).filter((id): id is number => id !== undefined);
  const evaluationMap = new Map<number, Evaluation[]>();
  for (const batch of chunks(idsOf(evaluationCodes), READ_BATCH)) {
    for (const row of await q.select().from(projectEvaluations).where(inArray(projectEvaluations.projectId, batch))) {
      evaluationMap.set(row.projectId, [...(evaluationMap.get(row.projectId) ?? []), row]);
    }
  }
  const problemMap = new Map<number, ProblemRecord[]>();
  for (const batch of chunks(idsOf(problemCodes), READ_BATCH)) {
    for (const row of await q.select().from(problems).where(inArray(problems.projectId, batch))) {
      problemMap.set(row.projectId, [...(problemMap.get(row.projectId) ?? []), row]);
    }
  }
  const unitCode = new Map(u.map((x) => [x.id, x.code]));
  return {
    unitsByCode: new Map(u.map((x) => [x.code, x])),
    unitsById: new Map(u.map((x) => [x.id, x])),
    people: p,
    chainsByKey: new Map(
      c.map((x) => [chainKeyOf(x.governmentUnitId === null ? null : (unitCode.get(x.governmentUnitId) ?? null), x.name), x]),
    ),
    chainsById: new Map(c.map((x) => [x.id, x])),
    groups: new Map(g.map((x) => [x.chatId, x])),
    targets: new Map(tg.map((x) => [`${x.unitId}:${x.year}`, x])),
    projects: projectMap,
    funds: fundMap,
    orgsByKey: new Map(o.map((x) => [orgKeyOf(unitCode.get(x.governmentUnitId) ?? '', x.name), x])),
    evaluations: evaluationMap,
    problems: problemMap,
  };
}
