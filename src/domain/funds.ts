/*
 * Funds arrived (到位资金): which entries count, decided in one place. Seed 002 reports the city's figure as
 * "全市市外1000万元以上有资金到位的项目337个，实现到位资金218.82亿元", checked by the 到位资金审核专项工作组
 * under a written standard. The defaults (rules.ts `funds`) follow it:
 * - only verified entries count (a reported entry waits for the checking role, 核查; a rejected one never counts);
 * - the investor is from outside the city of the project's host (市外): a province figure sums each city's own,
 *   so the comparison is always with the project's own host city;
 * - the project's investment is at least 1000万: the contract amount once signed, the planned investment before.
 * Pure: the store hands in the facts, this answers with a code; prompts/ word it.
 */
import { cityCodeOf, isAbroad, provinceCodeOf } from './regions.js';
import type { StageId } from './stages.js';

/** Where the investor must come from: outside the host's city (002's 市外), outside its province (省外), anywhere. */
export const FUNDS_ORIGINS = ['outside_city', 'outside_province', 'any'] as const;
export type FundsOrigin = (typeof FUNDS_ORIGINS)[number];

/** The recognition rule (认定口径) a funds figure is computed by; every figure carries the one it used. */
export interface FundsRule {
  origin: FundsOrigin;
  /** The project's investment must be at least this (fen); 0 for no minimum. */
  minInvestmentFen: number;
}

/** Where a project is hosted, as region codes (its host unit's city and province). */
export interface HostRegion {
  cityCode: string | null;
  provinceCode: string | null;
}

/** What the rule needs to know of a project. */
export interface FundsProjectFacts {
  stage: StageId;
  plannedInvestmentFen: number | null;
  contractAmountFen: number | null;
  /** The investor's region code (regions.ts); null when not set. */
  investorRegionCode: string | null;
  host: HostRegion;
}

export type FundsExclusion = 'investor_inside' | 'investor_unknown' | 'host_unknown' | 'under_minimum';
export type Recognition = { counts: true } | { counts: false; why: FundsExclusion };

/** The investment the ≥ minimum compares: the contract amount once signed (or landed), the planned before. */
export function investmentOf(p: Pick<FundsProjectFacts, 'stage' | 'plannedInvestmentFen' | 'contractAmountFen'>): number {
  const signed = p.stage === 'signed' || p.stage === 'landed';
  return (signed ? (p.contractAmountFen ?? p.plannedInvestmentFen) : p.plannedInvestmentFen) ?? 0;
}

/**
 * Whether the investor is from outside the host's city / province: 'outside', 'inside', or 'unknown' (no region,
 * no host region, or an investor known only by its province when that is the host's own — which city, we do
 * not know, so it is not counted as 市外).
 */
export function investorOrigin(
  investorCode: string | null,
  host: HostRegion,
  level: 'city' | 'province',
): 'outside' | 'inside' | 'unknown' {
  if (!investorCode) return 'unknown';
  if (!host.provinceCode) return 'unknown';
  if (provinceCodeOf(investorCode) !== host.provinceCode) return 'outside';
  if (level === 'province') return 'inside';
  const city = cityCodeOf(investorCode);
  if (!city || !host.cityCode) return 'unknown';
  return city === host.cityCode ? 'inside' : 'outside';
}

/** Where an investor comes from, as the ledger shows it: 境外, 省外, 市外 (same province), 市内, or not known. */
export type InvestorOriginClass = 'abroad' | 'outside_province' | 'outside_city' | 'inside_city' | 'unknown';

export function investorOriginClass(investorCode: string | null, host: HostRegion): InvestorOriginClass {
  if (!investorCode) return 'unknown';
  if (isAbroad(investorCode)) return 'abroad';
  if (investorOrigin(investorCode, host, 'province') === 'outside') return 'outside_province';
  const city = investorOrigin(investorCode, host, 'city');
  return city === 'outside' ? 'outside_city' : city === 'inside' ? 'inside_city' : 'unknown';
}

/** Whether a project's verified funds count under the rule, or why not. */
export function recognise(p: FundsProjectFacts, rule: FundsRule): Recognition {
  const meets = (fen: number | null) => (fen === null ? null : fen >= rule.minInvestmentFen);
  return recogniseBanded({ ...p, plannedMeets: meets(p.plannedInvestmentFen), contractMeets: meets(p.contractAmountFen) }, rule);
}

/**
 * A project's facts with its amounts as the rule compares them: at or above the rule's minimum (true), under it
 * (false), or not set (null). Projects alike in these are alike to the rule, so a figure over many projects can
 * ask it once per kind of project (store/funds.ts groups them in SQL by exactly these).
 */
export interface FundsProjectBands extends Omit<FundsProjectFacts, 'plannedInvestmentFen' | 'contractAmountFen'> {
  plannedMeets: boolean | null;
  contractMeets: boolean | null;
}

/** recognise on the banded facts: the rule's one home (recognise bands the amounts and asks this). */
export function recogniseBanded(p: FundsProjectBands, rule: FundsRule): Recognition {
  // investmentOf's choice: the contract amount once signed (or landed), the planned before; none set counts as 0.
  const signed = p.stage === 'signed' || p.stage === 'landed';
  const meets = (signed ? (p.contractMeets ?? p.plannedMeets) : p.plannedMeets) ?? 0 >= rule.minInvestmentFen;
  if (!meets) return { counts: false, why: 'under_minimum' };
  if (rule.origin === 'any') return { counts: true };
  const o = investorOrigin(p.investorRegionCode, p.host, rule.origin === 'outside_city' ? 'city' : 'province');
  if (o === 'outside') return { counts: true };
  if (o === 'inside') return { counts: false, why: 'investor_inside' };
  return { counts: false, why: p.host.provinceCode ? 'investor_unknown' : 'host_unknown' };
}

/** The statuses of a fund entry; only 'verified' counts in any figure. */
export type FundStatus = 'reported' | 'verified' | 'rejected';

/**
 * Verifying or rejecting an entry (核实 / 退回), as a code: only the checking role (核查), inside the checker's
 * government (the project's host or first-talk unit in it), never on an entry the checker reported or a project
 * the checker owns, and only while the entry is still reported (a second click changes nothing).
 */
export type FundDecisionCheck = 'ok' | 'not_checker' | 'outside' | 'own_entry' | 'already_decided';

export function mayDecideFund(
  checker: { id: number; roles: readonly string[]; active?: boolean },
  checkerGovernmentPath: string | null,
  entry: { status: FundStatus; reportedById: number | null; hostPath: string | null; firstTalkPath: string | null; ownerId: number | null },
): FundDecisionCheck {
  if (checker.active === false || !checker.roles.includes('checker') || !checkerGovernmentPath) return 'not_checker';
  const inside = [entry.hostPath, entry.firstTalkPath].some((p) => !!p && p.startsWith(checkerGovernmentPath));
  if (!inside) return 'outside';
  if (entry.reportedById === checker.id || entry.ownerId === checker.id) return 'own_entry';
  if (entry.status !== 'reported') return 'already_decided';
  return 'ok';
}
