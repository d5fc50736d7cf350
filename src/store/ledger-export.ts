// The rows of the five-databases export (ledger/export.ts): every project with its units, chain and owner by name
// and its verified funds summed, optionally limited to one unit's subtree.

import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Tx } from './db.js';
import { chains, externalOrgs, fundEntries, people, problems, projectEvaluations, projects, units } from '../../db/schema.js';
import type { HostRegion } from '../domain/funds.js';
import { hostRegionOf } from './funds.js';
import type { ProjectColumns } from './ledger-ops.js';

type Q = Db | Tx;

export interface ExportOptions {
  /** Only projects whose host unit or first-talk unit lies in this unit's subtree. */
  scopeUnitId?: number;
}

export interface ExportRow extends ProjectColumns {
  code: string;
  firstTalkUnit: string | null;
  hostUnit: string | null;
  ownerMobile: string | null;
  fundsFen: number;
  stageEnteredOn: string | null;
  /** The host's city and province as region codes, for where the investor comes from (市外, 省外, 境外). */
  host: HostRegion;
}

/** The projects an export contains, ordered by stage then code. Exposed for tests and other reports. */
export async function exportRows(db: Q, opts: ExportOptions = {}): Promise<ExportRow[]> {
  const ft = alias(units, 'ft');
  const host = alias(units, 'host');
  const lead = alias(people, 'lead');
  const above = (kind: 'city' | 'province') =>
    sql<
      string | null
    >`(select c.name from units c where c.kind = ${kind} and ${host.path} like c.path || '%' order by length(c.path) desc limit 1)`;
  const funds = db
    .select({
      projectId: fundEntries.projectId,
      total: sql<string>`sum(${fundEntries.amountFen})`.as('total'),
    })
    .from(fundEntries)
    .where(eq(fundEntries.status, 'verified'))
    .groupBy(fundEntries.projectId)
    .as('funds');

  let scope: SQL | undefined;
  if (opts.scopeUnitId !== undefined) {
    const prefix = await scopePrefix(db, opts.scopeUnitId);
    if (prefix === null) return [];
    scope = or(sql`${ft.path} like ${prefix}`, sql`${host.path} like ${prefix}`);
  }

  const rows = await db
    .select({
      code: projects.code,
      name: projects.name,
      investor: projects.investor,
      investorRegion: projects.investorRegion,
      investorRegionCode: projects.investorRegionCode,
      originOffice: projects.originOffice,
      projectType: projects.projectType,
      channels: projects.channels,
      chain: chains.name,
      stage: projects.stage,
      firstTalkUnit: ft.name,
      hostUnit: host.name,
      owner: people.name,
      ownerMobile: people.mobile,
      plannedFen: projects.plannedInvestmentFen,
      contractFen: projects.contractAmountFen,
      fundsTotal: funds.total,
      stageEnteredOn: projects.stageEnteredOn,
      signedOn: projects.signedOn,
      startedOn: projects.startedOn,
      landedOn: projects.landedOn,
      lastProgressOn: projects.lastProgressOn,
      transferredTo: projects.transferredTo,
      note: projects.note,
      agreedStartOn: projects.startPlannedOn,
      agreedInvestmentFen: projects.agreedInvestmentFen,
      agreedInvestmentBy: projects.agreedInvestmentBy,
      agreedOutputFen: projects.agreedOutputFen,
      agreedTaxFen: projects.agreedTaxFen,
      agreedResultsBy: projects.agreedResultsBy,
      teamLead: lead.name,
      hostCity: above('city'),
      hostProvince: above('province'),
    })
    .from(projects)
    .leftJoin(ft, eq(ft.id, projects.firstTalkUnitId))
    .leftJoin(host, eq(host.id, projects.hostUnitId))
    .leftJoin(chains, eq(chains.id, projects.chainId))
    .leftJoin(people, eq(people.id, projects.ownerId))
    .leftJoin(lead, eq(lead.id, projects.teamLeadId))
    .leftJoin(funds, eq(funds.projectId, projects.id))
    .where(and(scope))
    .orderBy(asc(projects.stage), asc(projects.code));
  return rows.map(({ fundsTotal, hostCity, hostProvince, ...r }) => ({
    ...r,
    fundsFen: fundsTotal === null ? 0 : Number(fundsTotal),
    host: hostRegionOf(hostCity, hostProvince),
  }));
}

/** The LIKE prefix of a unit's subtree ('/1/4/9/%', escaped in case a path ever holds % or _); null for no such unit. */
async function scopePrefix(db: Q, unitId: number): Promise<string | null> {
  const [u] = await db.select({ path: units.path }).from(units).where(eq(units.id, unitId));
  return u ? u.path.replace(/[\\%_]/g, (c) => `\\${c}`) + '%' : null;
}

/** The ids and codes of the projects an export holds (host or first-talk unit in the scope). */
async function projectsInScope(db: Q, opts: ExportOptions): Promise<Map<number, string> | null> {
  const ft = alias(units, 'ft');
  const host = alias(units, 'host');
  let scope: SQL | undefined;
  if (opts.scopeUnitId !== undefined) {
    const prefix = await scopePrefix(db, opts.scopeUnitId);
    if (prefix === null) return null;
    scope = or(sql`${ft.path} like ${prefix}`, sql`${host.path} like ${prefix}`);
  }
  const rows = await db
    .select({ id: projects.id, code: projects.code })
    .from(projects)
    .leftJoin(ft, eq(ft.id, projects.firstTalkUnitId))
    .leftJoin(host, eq(host.id, projects.hostUnitId))
    .where(and(scope));
  return new Map(rows.map((r) => [r.id, r.code]));
}

/** The rest of a ledger the export writes in the import's own sheets, so that a re-import finds every value. */
export interface ExportDetails {
  funds: { projectCode: string; date: string; fen: number; evidenceKind: string; status: 'reported' | 'verified' | 'rejected' }[];
  orgs: { name: string; governmentCode: string; kind: string; contactName: string | null; contactOpenId: string | null }[];
  evaluations: { projectCode: string; date: string; conclusion: string; note: string | null }[];
  problems: {
    projectCode: string;
    description: string;
    category: string;
    raisedOn: string;
    dueOn: string | null;
    mustActUnitCode: string | null;
    mustActOrg: string | null;
    open: boolean;
    resolvedOn: string | null;
    resolution: string | null;
  }[];
}

/**
 * Fund entries (with their verification state), external organisations, evaluations and problems of the projects
 * (and governments) in the export's scope, ordered by project code.
 */
export async function exportDetails(db: Q, opts: ExportOptions = {}): Promise<ExportDetails> {
  const inScope = await projectsInScope(db, opts);
  if (inScope === null) return { funds: [], orgs: [], evaluations: [], problems: [] };
  const ids = [...inScope.keys()];
  const codeOf = (id: number) => inScope.get(id)!;
  const byCode = <T extends { projectCode: string }>(rows: T[]) =>
    rows.sort((a, b) => (a.projectCode < b.projectCode ? -1 : a.projectCode > b.projectCode ? 1 : 0));
  const gov = alias(units, 'gov');
  const mu = alias(units, 'mu');
  let orgScope: SQL | undefined;
  if (opts.scopeUnitId !== undefined) orgScope = sql`${gov.path} like ${await scopePrefix(db, opts.scopeUnitId)}`;
  const orgRows = await db
    .select({
      name: externalOrgs.name,
      governmentCode: gov.code,
      kind: externalOrgs.kind,
      contactName: externalOrgs.contactName,
      contactOpenId: externalOrgs.contactOpenId,
    })
    .from(externalOrgs)
    .innerJoin(gov, eq(gov.id, externalOrgs.governmentUnitId))
    .where(and(orgScope))
    .orderBy(asc(gov.code), asc(externalOrgs.name));
  if (ids.length === 0) return { funds: [], orgs: orgRows, evaluations: [], problems: [] };
  // One JSON parameter rather than thousands of bound ones (see ledger-sql.ts).
  const among = (col: typeof fundEntries.projectId | typeof problems.projectId | typeof projectEvaluations.projectId) =>
    ids.length <= 1000 ? inArray(col, ids) : sql`${col} in (select (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::int)`;
  const funds = await db
    .select({
      projectId: fundEntries.projectId,
      date: fundEntries.entryDate,
      fen: fundEntries.amountFen,
      evidenceKind: fundEntries.evidenceKind,
      status: fundEntries.status,
    })
    .from(fundEntries)
    .where(among(fundEntries.projectId))
    .orderBy(asc(fundEntries.entryDate), asc(fundEntries.id));
  const evaluations = await db
    .select({
      projectId: projectEvaluations.projectId,
      date: projectEvaluations.evaluatedOn,
      conclusion: projectEvaluations.conclusion,
      note: projectEvaluations.note,
    })
    .from(projectEvaluations)
    .where(among(projectEvaluations.projectId))
    .orderBy(asc(projectEvaluations.evaluatedOn), asc(projectEvaluations.id));
  const problemRows = await db
    .select({
      projectId: problems.projectId,
      description: problems.description,
      category: problems.category,
      raisedOn: problems.raisedOn,
      dueOn: problems.dueOn,
      mustActUnitCode: mu.code,
      mustActOrg: externalOrgs.name,
      open: problems.open,
      resolvedOn: problems.resolvedOn,
      resolution: problems.resolution,
    })
    .from(problems)
    .leftJoin(mu, eq(mu.id, problems.mustActUnitId))
    .leftJoin(externalOrgs, eq(externalOrgs.id, problems.mustActOrgId))
    .where(among(problems.projectId))
    .orderBy(asc(problems.raisedOn), asc(problems.id));
  return {
    funds: byCode(funds.map(({ projectId, ...r }) => ({ projectCode: codeOf(projectId), ...r }))),
    orgs: orgRows,
    evaluations: byCode(evaluations.map(({ projectId, ...r }) => ({ projectCode: codeOf(projectId), ...r }))),
    problems: byCode(problemRows.map(({ projectId, ...r }) => ({ projectCode: codeOf(projectId), ...r }))),
  };
}

/** A unit's id by its code, for naming an export's scope. */
export async function unitIdByCode(q: Q, code: string): Promise<number | undefined> {
  return (await q.select({ id: units.id }).from(units).where(eq(units.code, code)))[0]?.id;
}
