import { and, eq, sql } from 'drizzle-orm';
import { jobRuns } from '../../db/schema.js';
import type { Job, JobResult } from './types.js';
import { type Deps } from '../context.js';

export type RunOutcome =
  | { status: 'not_due' }
  | { status: 'already_done'; key: string }
  | { status: 'running_elsewhere'; key: string }
  | { status: 'done'; key: string; result: JobResult }
  | { status: 'failed'; key: string; error: string };

/** A run claimed but not finished for this long is taken over (its instance died). */
const STALE_MS = 15 * 60 * 1000;

/**
 * Runs one job as of `at`, at most once per (job, key) across re-runs and instances: the claim is an INSERT
 * on the unique (job, period_key), or a takeover of a failed or stale claim.
 */
export async function runJob(deps: Deps, job: Job, at: Date): Promise<RunOutcome> {
  const key = await job.due(deps, at);
  if (!key) return { status: 'not_due' };
  const now = deps.clock.now();
  const claimed = await deps.db
    .insert(jobRuns)
    .values({ job: job.name, periodKey: key, status: 'running', startedAt: now })
    .onConflictDoUpdate({
      target: [jobRuns.job, jobRuns.periodKey],
      set: { status: 'running', startedAt: now, finishedAt: null },
      setWhere: sql`${jobRuns.status} = 'failed' or (${jobRuns.status} = 'running' and ${jobRuns.startedAt} < ${new Date(now.getTime() - STALE_MS).toISOString()}::timestamptz)`,
    })
    .returning();
  if (claimed.length === 0) {
    const existing = (
      await deps.db
        .select()
        .from(jobRuns)
        .where(and(eq(jobRuns.job, job.name), eq(jobRuns.periodKey, key)))
    )[0];
    return existing?.status === 'done' ? { status: 'already_done', key } : { status: 'running_elsewhere', key };
  }
  try {
    const result = await job.run(deps, at, key);
    await deps.db
      .update(jobRuns)
      .set({ status: 'done', finishedAt: deps.clock.now(), detail: { sent: result.sent, ...result.detail } })
      .where(and(eq(jobRuns.job, job.name), eq(jobRuns.periodKey, key)));
    deps.logger.info({ job: job.name, key, sent: result.sent }, 'job done');
    if (result.sent > 0) deps.notifyOutbox();
    return { status: 'done', key, result };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await deps.db
      .update(jobRuns)
      .set({ status: 'failed', finishedAt: deps.clock.now(), detail: { error } })
      .where(and(eq(jobRuns.job, job.name), eq(jobRuns.periodKey, key)));
    deps.logger.error({ err, job: job.name, key }, 'job failed');
    return { status: 'failed', key, error };
  }
}
