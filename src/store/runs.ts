import { and, eq, sql } from 'drizzle-orm';
import { jobRuns } from '../../db/schema.js';
import type { Db, Tx } from './db.js';
import { first } from './db-core.js';

type Q = Db | Tx;

/** One row per (job, period key): what makes a scheduled run happen once however often it is triggered. */
export type JobRun = typeof jobRuns.$inferSelect;

/**
 * Claims the run of `job` for `key` as of `now`: an insert on the unique (job, period_key), or a takeover of a
 * failed claim or of a running one started before `staleBefore` (its instance died). False when another holds
 * it or it is done.
 */
export async function claimRun(q: Q, job: string, key: string, now: Date, staleBefore: Date): Promise<boolean> {
  const claimed = await q
    .insert(jobRuns)
    .values({ job, periodKey: key, status: 'running', startedAt: now })
    .onConflictDoUpdate({
      target: [jobRuns.job, jobRuns.periodKey],
      set: { status: 'running', startedAt: now, finishedAt: null },
      setWhere: sql`${jobRuns.status} = 'failed' or (${jobRuns.status} = 'running' and ${jobRuns.startedAt} < ${staleBefore.toISOString()}::timestamptz)`,
    })
    .returning();
  return claimed.length > 0;
}

export async function runOf(q: Q, job: string, key: string): Promise<JobRun | undefined> {
  return first(
    q
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.job, job), eq(jobRuns.periodKey, key))),
  );
}

/** Records how a claimed run ended: 'done' with what it did, or 'failed' with the error (a later trigger retries). */
export async function finishRun(q: Q, job: string, key: string, status: 'done' | 'failed', at: Date, detail: unknown): Promise<void> {
  await q
    .update(jobRuns)
    .set({ status, finishedAt: at, detail })
    .where(and(eq(jobRuns.job, job), eq(jobRuns.periodKey, key)));
}
