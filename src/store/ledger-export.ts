// The rows of the five-databases export (ledger/export.ts): every project with its units, chain and owner by name
// and its verified funds summed, optionally limited to one unit's subtree.

import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Tx } from './db.js';
import { chains, fundEntries, people, projects, units } from '../../db/schema.js';
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
}

/** The projects an export contains, ordered by stage then code. Exposed for tests and other reports. */
export async function exportRows(db: Q, opts: ExportOptions = {}): Promise<ExportRow[]> {
  const ft = alias(units, 'ft');
  const host = alias(units, 'host');
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
    const [u] = await db.select({ path: units.path }).from(units).where(eq(units.id, opts.scopeUnitId));
    if (!u) return [];
    // The path is '/1/4/9/': a subtree is a prefix, escaped for LIKE in case a path ever holds % or _.
    const prefix = u.path.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
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
    })
    .from(projects)
    .leftJoin(ft, eq(ft.id, projects.firstTalkUnitId))
    .leftJoin(host, eq(host.id, projects.hostUnitId))
    .leftJoin(chains, eq(chains.id, projects.chainId))
    .leftJoin(people, eq(people.id, projects.ownerId))
    .leftJoin(funds, eq(funds.projectId, projects.id))
    .where(and(scope))
    .orderBy(asc(projects.stage), asc(projects.code));
  return rows.map(({ fundsTotal, ...r }) => ({ ...r, fundsFen: fundsTotal === null ? 0 : Number(fundsTotal) }));
}

/** A unit's id by its code, for naming an export's scope. */
export async function unitIdByCode(q: Q, code: string): Promise<number | undefined> {
  return (await q.select({ id: units.id }).from(units).where(eq(units.code, code)))[0]?.id;
}
