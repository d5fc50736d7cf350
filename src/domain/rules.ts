import { z } from 'zod';
import { yi } from './amount.js';

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
