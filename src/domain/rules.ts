import { z } from 'zod';
import { wan, yi } from './amount.js';
import { FUNDS_ORIGINS } from './funds.js';

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
});
export type Rules = z.infer<typeof Rules>;

export const DEFAULT_RULES: Rules = Rules.parse({});
