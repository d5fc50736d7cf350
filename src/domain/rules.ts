import { z } from 'zod';
import { wan, yi } from './amount.js';
import { FUNDS_ORIGINS } from './funds.js';
import { DEFAULT_INDUSTRIAL_TYPES, PROJECT_TYPES } from './classification.js';

/**
 * The rule numbers of DOMAIN.md, every one configurable (settings table, key 'rules'). Defaults are the
 * seeds' numbers.
 */
export const Rules = z.object({
  /** Reminders go out this many workdays before the deadline (each a round). */
  reminderWorkdaysBefore: z.array(z.number().int().min(0).max(15)).default([5, 1]),
  /** The unit lead and the mechanism group hear of late reports this many workdays after the owner's warning. */
  overdueEscalateAfterWorkdays: z.number().int().min(0).max(20).default(3),
  /** Days without substantive progress before a project is flagged, per stage. */
  stallDays: z.record(z.string(), z.number().int().positive()).default({ negotiating: 180, intent: 180 }),
  /** Signed at or above this → announced to the mechanism group one level up (提级报备). */
  escalateSignedFen: z.number().int().positive().default(yi(5)),
  /** Signed at or above this → on the project centre's monthly list. */
  centreListFen: z.number().int().positive().default(yi(1)),
  /**
   * The funds recognition rule (认定口径, domain/funds.ts). Defaults from seed 002: "全市市外1000万元以上有资金到位的
   * 项目337个，实现到位资金218.82亿元" — investor from outside the host's city, project investment ≥ 1000万.
   */
  funds: z
    .object({
      origin: z.enum(FUNDS_ORIGINS).default('outside_city'),
      minInvestmentFen: z.number().int().min(0).default(wan(1000)),
    })
    .default({ origin: 'outside_city', minInvestmentFen: wan(1000) }),
  /**
   * Which project types count as 产业项目 for the county target "签约5000万元以上产业项目不少于5个" (001 二.二).
   * Default 工业 and 生产性服务业.
   */
  industrialTypes: z.array(z.enum(PROJECT_TYPES)).default(() => [...DEFAULT_INDUSTRIAL_TYPES]),
  /** 001 二.二 "每人每年带队外出招商5次以上": trips each county leader leads a year. */
  tripsPerLeader: z.number().int().min(0).max(100).default(5),
  /** 001 二.二 "签约5000万元以上产业项目不少于5个": the count … */
  signedIndustrialTarget: z.number().int().min(0).max(1000).default(5),
  /** … and the line ("以上" read as inclusive: a 5000万元 project counts). */
  signedIndustrialMinFen: z.number().int().positive().default(wan(5000)),
  /** 001 二.二 "推动项目落地2个以上". */
  landedTarget: z.number().int().min(0).max(1000).default(2),
  /**
   * The incentive tally of the year card: 001 三.七 "对招商引资额度超亿元并落地的部门，在下一年预算安排时予以重点保障"
   * (000 一(一) likewise). A first-talk department whose projects landed in the year sum to more than this
   * ("超", strictly above).
   */
  incentiveLandedFen: z.number().int().positive().default(yi(1)),
  /**
   * Days a problem (困难问题) has to be solved in, by category, counted from the day it is raised (001 三.六:
   * "落实专人负责、全程领办协办、限时推进的工作机制"); editable when raised. Overdue → escalated one level.
   */
  problemDueDays: z
    .record(z.string(), z.number().int().min(1).max(365))
    .default({ land: 60, plant: 30, funds: 30, energy: 15, approval: 15, talent: 30, other: 30 }),
  /** 001 三.四 "事前综合评估": a move to 签约 asks for the project's evaluation first. */
  evaluationBeforeSigning: z.boolean().default(true),
});
export type Rules = z.infer<typeof Rules>;

export const DEFAULT_RULES: Rules = Rules.parse({});

/** The annual targets of a county as the rules set them (domain/targets.ts AnnualTargets). */
export function annualTargetsOf(rules: Rules): {
  outboundTripsPerLeader: number;
  signedIndustrialProjects: number;
  signedIndustrialMinFen: number;
  landedProjects: number;
} {
  return {
    outboundTripsPerLeader: rules.tripsPerLeader,
    signedIndustrialProjects: rules.signedIndustrialTarget,
    signedIndustrialMinFen: rules.signedIndustrialMinFen,
    landedProjects: rules.landedTarget,
  };
}
