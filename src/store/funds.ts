/*
 * Funds arrived (到位资金): the figure by the recognition rule, the entries waiting for the checking role (核查),
 * their evidence and the decision. What counts is decided by src/domain/funds.ts (pure); this file reads the facts
 * and writes the decisions, inside the caller's transaction.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { fundEntries, people, projects, units } from '../../db/schema.js';
import { scaled } from '../domain/amount.js';
import { recogniseBanded, type FundsExclusion, type FundsRule, type HostRegion } from '../domain/funds.js';
import { readRegion } from '../domain/regions.js';
import type { StageId } from '../domain/stages.js';
import { audit } from './audit.js';
import type { Db, Tx } from './db.js';
import { scopeCondition, type ScopeFilter } from './status-scope.js';
import { rowsOf, totalOver, withTotal, type DayRange } from './status-sql.js';

type Q = Db | Tx;

/** A funds figure: how many projects had money in, how much, and the rule it was counted by. */
export interface FundsArrived {
  /** Projects with verified money in the range that the rule recognises. */
  projects: number;
  /** Their verified entries dated in the range, in fen (exact). */
  amountFen: number;
  /** The same in 万元, exact to two decimals, as a string ('218820' for 21.882亿元). */
  amountWan: string;
  rule: FundsRule;
  /** Projects with verified money that the rule left out, by reason: how many and how much (for the audit of a figure). */
  excluded: { why: FundsExclusion; projects: number; amountFen: number }[];
}

/** A host's region codes, from the names of its city and province units matched against the code list. */
export function hostRegionOf(cityName: string | null, provinceName: string | null): HostRegion {
  const province = readRegion(provinceName);
  const city = readRegion(cityName);
  const provinceCode = province?.code ?? (city ? `${city.code.slice(0, 2)}0000` : null);
  return { cityCode: city && !city.code.endsWith('0000') ? city.code : null, provinceCode };
}

/**
 * 到位资金 of a scope: verified entries dated in `range` (both ends included) of the scope's projects that the
 * rule recognises (src/domain/funds.ts). A province scope sums each city's own: every project is compared with its
 * own host city. Rejected and reported entries never count. The year card and the status cards call this.
 */
export async function fundsArrived(q: Q, scope: ScopeFilter, range: DayRange, rule: FundsRule): Promise<FundsArrived> {
  return (await fundsArrivedIn(q, scope, [range], rule))[0]!;
}

/**
 * fundsArrived for several ranges at once (the status card's year and window), in one statement and one pass over
 * the entries. Returns the figures in the order of `ranges`.
 *
 * Issue 18. Each project's verified entries are summed per range, and the projects are then grouped by what the
 * rule reads of them (domain/funds.ts recogniseBanded: stage, each amount against the rule's minimum, the
 * investor's region, the host's city and province), so the rule is asked once per kind of project and a few
 * hundred rows come back, not one per project: PGlite spent 2 s reading the province's 65k rows. The host's city
 * and province come from a derived table over the units alone, joined by the host: once per unit — as two
 * subqueries per project they took 8 s on PostgreSQL.
 */
export async function fundsArrivedIn(q: Q, scope: ScopeFilter, ranges: readonly DayRange[], rule: FundsRule): Promise<FundsArrived[]> {
  if (ranges.length === 0) return [];
  const inRange = (r: DayRange) => sql`${fundEntries.entryDate} between ${r.from} and ${r.to}`;
  const perProject = sql.join(
    ranges.map(
      (r, i) =>
        sql`count(*) filter (where ${inRange(r)}) as ${sql.raw(`n${i}`)},
          coalesce(sum(${fundEntries.amountFen}) filter (where ${inRange(r)}), 0) as ${sql.raw(`fen${i}`)}`,
    ),
    sql`, `,
  );
  // Per kind of project: how many had money in the range, and how much.
  const perKind = sql.join(
    ranges.map(
      (_, i) =>
        sql`count(*) filter (where ${sql.raw(`fe.n${i}`)} > 0)::int as ${sql.raw(`projects${i}`)},
          coalesce(sum(${sql.raw(`fe.fen${i}`)}), 0)::bigint as ${sql.raw(`fen${i}`)}`,
    ),
    sql`, `,
  );
  const min = rule.minInvestmentFen;
  const anyRange = sql.join(
    ranges.map((r) => sql`(${inRange(r)})`),
    sql` or `,
  );
  // host_region is materialised: on the embedded database (seq scans off) the planner otherwise costs the whole join
  // around this small table's scan, and once chose a nested loop of every project against the window's entries (40 s).
  const res = await q.execute(sql`
    with fe as (
      select ${projects.stage} as stage, ${projects.plannedInvestmentFen} >= ${min} as planned_meets,
        ${projects.contractAmountFen} >= ${min} as contract_meets, ${projects.investorRegionCode} as investor_region_code,
        ${projects.hostUnitId} as host_unit_id, ${perProject}
      from ${fundEntries} join ${projects} on ${projects.id} = ${fundEntries.projectId}
      where ${scopeCondition(scope)} and ${fundEntries.status} = 'verified' and (${anyRange})
      group by ${projects.id}
    ),
    host_region as materialized (
      select hu.id as unit_id,
        (array_agg(hc.name order by length(hc.path) desc) filter (where hc.kind = 'city'))[1] as city,
        (array_agg(hc.name order by length(hc.path) desc) filter (where hc.kind = 'province'))[1] as province
      from ${units} hu join ${units} hc on hc.kind in ('city', 'province') and hu.path like hc.path || '%'
      group by hu.id
    )
    select fe.stage, fe.planned_meets, fe.contract_meets, fe.investor_region_code, hr.city, hr.province, ${perKind}
    from fe left join host_region hr on hr.unit_id = fe.host_unit_id
    group by 1, 2, 3, 4, 5, 6
  `);
  type Row = {
    stage: StageId;
    planned_meets: boolean | null;
    contract_meets: boolean | null;
    investor_region_code: string | null;
    city: string | null;
    province: string | null;
  } & Record<string, unknown>;
  const out = ranges.map(() => ({
    projects: 0,
    amountFen: 0,
    excluded: new Map<FundsExclusion, { projects: number; amountFen: number }>(),
  }));
  // A host's region read once per city and province pair (readRegion scans the code list).
  const regions = new Map<string, HostRegion>();
  for (const r of rowsOf<Row>(res)) {
    const key = `${r.city ?? ''}\u0000${r.province ?? ''}`;
    let host = regions.get(key);
    if (!host) regions.set(key, (host = hostRegionOf(r.city, r.province)));
    const verdict = recogniseBanded(
      {
        stage: r.stage,
        plannedMeets: r.planned_meets,
        contractMeets: r.contract_meets,
        investorRegionCode: r.investor_region_code,
        host,
      },
      rule,
    );
    for (const [i, o] of out.entries()) {
      const n = Number(r[`projects${i}`]);
      if (n === 0) continue;
      const fen = Number(r[`fen${i}`]);
      if (verdict.counts) {
        o.projects += n;
        o.amountFen += fen;
      } else {
        const e = o.excluded.get(verdict.why) ?? { projects: 0, amountFen: 0 };
        o.excluded.set(verdict.why, { projects: e.projects + n, amountFen: e.amountFen + fen });
      }
    }
  }
  return out.map((o) => ({
    projects: o.projects,
    amountFen: o.amountFen,
    amountWan: scaled(o.amountFen, 6).replace(/,/g, ''),
    rule,
    excluded: [...o.excluded].map(([why, e]) => ({ why, ...e })).sort((a, b) => a.why.localeCompare(b.why)),
  }));
}

/** A reported entry waiting for 核查, with what the card shows and what the permission rule needs. */
export interface PendingFundEntry {
  id: number;
  projectId: number;
  projectCode: string;
  projectName: string;
  entryDate: string;
  amountFen: number;
  evidenceKind: string;
  evidenceKey: string | null;
  evidenceType: string | null;
  evidenceName: string | null;
  evidenceMessageId: string | null;
  reportedById: number | null;
  reporterName: string | null;
  ownerId: number | null;
}

const reporter = alias(people, 'reporter');

/**
 * Reported (not yet decided) entries of the scope's projects dated up to `until`, oldest first, with how many there
 * are in all; `notOf` leaves out the entries a person reported or owns (a checker never checks their own).
 */
export async function pendingFundEntries(
  q: Q,
  scope: ScopeFilter,
  until: string,
  opts: { limit: number; notOf?: number },
): Promise<{ total: number; list: PendingFundEntry[] }> {
  const notOwn =
    opts.notOf === undefined
      ? sql`true`
      : sql`${fundEntries.reportedById} is distinct from ${opts.notOf} and ${projects.ownerId} is distinct from ${opts.notOf}`;
  const rows = await q
    .select({
      id: fundEntries.id,
      projectId: projects.id,
      projectCode: projects.code,
      projectName: projects.name,
      entryDate: fundEntries.entryDate,
      amountFen: fundEntries.amountFen,
      evidenceKind: fundEntries.evidenceKind,
      evidenceKey: fundEntries.evidenceKey,
      evidenceType: fundEntries.evidenceType,
      evidenceName: fundEntries.evidenceName,
      evidenceMessageId: fundEntries.evidenceMessageId,
      reportedById: fundEntries.reportedById,
      reporterName: reporter.name,
      ownerId: projects.ownerId,
      total: totalOver(),
    })
    .from(fundEntries)
    .innerJoin(projects, eq(projects.id, fundEntries.projectId))
    .leftJoin(reporter, eq(reporter.id, fundEntries.reportedById))
    .where(and(scopeCondition(scope), eq(fundEntries.status, 'reported'), sql`${fundEntries.entryDate} <= ${until}`, notOwn))
    .orderBy(asc(fundEntries.entryDate), asc(fundEntries.id))
    .limit(opts.limit);
  return withTotal(rows);
}

/** An entry as a decision needs it, locked (FOR UPDATE): two checkers clicking at once serialise here. */
export async function fundEntryForDecision(tx: Tx, id: number) {
  const rows = await tx
    .select({
      id: fundEntries.id,
      status: fundEntries.status,
      projectId: fundEntries.projectId,
      entryDate: fundEntries.entryDate,
      amountFen: fundEntries.amountFen,
      reportedById: fundEntries.reportedById,
      ownerId: projects.ownerId,
      projectCode: projects.code,
      projectName: projects.name,
    })
    .from(fundEntries)
    .innerJoin(projects, eq(projects.id, fundEntries.projectId))
    .where(eq(fundEntries.id, id))
    .for('update', { of: fundEntries });
  return rows[0];
}

/** An entry's evidence (the Lark resource and the message it came in) with what the checker's rule needs. */
export async function fundEvidenceOf(q: Q, id: number) {
  const rows = await q
    .select({
      id: fundEntries.id,
      status: fundEntries.status,
      projectId: fundEntries.projectId,
      entryDate: fundEntries.entryDate,
      amountFen: fundEntries.amountFen,
      reportedById: fundEntries.reportedById,
      ownerId: projects.ownerId,
      projectName: projects.name,
      evidenceKey: fundEntries.evidenceKey,
      evidenceType: fundEntries.evidenceType,
      evidenceName: fundEntries.evidenceName,
      evidenceMessageId: fundEntries.evidenceMessageId,
    })
    .from(fundEntries)
    .innerJoin(projects, eq(projects.id, fundEntries.projectId))
    .where(eq(fundEntries.id, id));
  return rows[0];
}

/**
 * 核实 / 退回 an entry (the caller has asked domain/funds mayDecideFund). Verifying restarts the project's ageing
 * clock at the day the money arrived (never backwards): money in is substantive progress (DOMAIN.md), once
 * checked. A rejected entry keeps its reason for the owner and never counts anywhere.
 */
export async function decideFundEntry(
  tx: Tx,
  d: { id: number; decision: 'verify' | 'reject'; byId: number; at: Date; reason?: string | null },
): Promise<boolean> {
  const patch =
    d.decision === 'verify'
      ? { status: 'verified' as const, verifiedById: d.byId, verifiedAt: d.at }
      : { status: 'rejected' as const, rejectedById: d.byId, rejectedAt: d.at, rejectReason: d.reason ?? null };
  const [row] = await tx
    .update(fundEntries)
    .set(patch)
    .where(and(eq(fundEntries.id, d.id), eq(fundEntries.status, 'reported')))
    .returning();
  if (!row) return false;
  if (d.decision === 'verify') {
    await tx
      .update(projects)
      .set({ lastProgressOn: sql`greatest(coalesce(${projects.lastProgressOn}, ${row.entryDate}::date), ${row.entryDate}::date)` })
      .where(eq(projects.id, row.projectId));
  }
  await audit(tx, {
    at: d.at,
    actorId: d.byId,
    action: d.decision === 'verify' ? 'fund.verify' : 'fund.reject',
    entity: 'fund_entry',
    entityId: row.id,
    before: { status: 'reported' },
    after: { status: row.status, ...(d.reason ? { reason: d.reason } : {}) },
  });
  return true;
}

/**
 * Ties evidence (an image or file the owner sent) to the owner's most recent reported entry still without one,
 * among entries they reported or on projects in `ownerIds` (theirs, and a principal's while delegated). Returns the
 * entry, or undefined when none waits for evidence.
 */
export async function attachEvidence(
  tx: Tx,
  e: { reporterId: number; ownerIds: readonly number[]; key: string; type: 'image' | 'file'; name: string; messageId: string; at: Date },
) {
  const mine =
    e.ownerIds.length > 0
      ? sql`(${fundEntries.reportedById} = ${e.reporterId} or ${inArray(projects.ownerId, [...e.ownerIds])})`
      : sql`${fundEntries.reportedById} = ${e.reporterId}`;
  const [target] = await tx
    .select({
      id: fundEntries.id,
      projectCode: projects.code,
      projectName: projects.name,
      amountFen: fundEntries.amountFen,
      entryDate: fundEntries.entryDate,
    })
    .from(fundEntries)
    .innerJoin(projects, eq(projects.id, fundEntries.projectId))
    .where(and(mine, eq(fundEntries.status, 'reported'), isNull(fundEntries.evidenceKey)))
    .orderBy(desc(fundEntries.createdAt), desc(fundEntries.id))
    .limit(1)
    .for('update', { of: fundEntries });
  if (!target) return undefined;
  await tx
    .update(fundEntries)
    .set({ evidenceKey: e.key, evidenceType: e.type, evidenceName: e.name || null, evidenceMessageId: e.messageId })
    .where(eq(fundEntries.id, target.id));
  await audit(tx, {
    at: e.at,
    actorId: e.reporterId,
    action: 'fund.evidence',
    entity: 'fund_entry',
    entityId: target.id,
    after: { type: e.type, name: e.name },
  });
  return target;
}

/** The open_id of a person, to send them a message (undefined when they have no Lark account). */
export async function openIdOf(q: Q, personId: number | null): Promise<string | undefined> {
  if (personId === null) return undefined;
  const [r] = await q.select({ openId: people.openId }).from(people).where(eq(people.id, personId));
  return r?.openId ?? undefined;
}
