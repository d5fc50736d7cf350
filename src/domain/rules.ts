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
});
export type Rules = z.infer<typeof Rules>;

export const DEFAULT_RULES: Rules = Rules.parse({});
