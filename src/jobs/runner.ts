import { claimRun, finishRun, runOf } from '../store/runs.js';
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
  // The calendar as every instance sees it now (an admin may have entered next year's holidays elsewhere).
  await deps.refreshCalendar?.();
  const key = await job.due(deps, at);
  if (!key) return { status: 'not_due' };
  const now = deps.clock.now();
  if (!(await claimRun(deps.db, job.name, key, now, new Date(now.getTime() - STALE_MS)))) {
    const existing = await runOf(deps.db, job.name, key);
    return existing?.status === 'done' ? { status: 'already_done', key } : { status: 'running_elsewhere', key };
  }
  try {
    const result = await job.run(deps, at, key);
    await finishRun(deps.db, job.name, key, 'done', deps.clock.now(), { sent: result.sent, ...result.detail });
    deps.logger.info({ job: job.name, key, sent: result.sent }, 'job done');
    // The jobs' one seam: a run enqueues in its own transactions and the sender is woken here, once.
    if (result.sent > 0) deps.notifyOutbox();
    return { status: 'done', key, result };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await finishRun(deps.db, job.name, key, 'failed', deps.clock.now(), { error });
    deps.logger.error({ err, job: job.name, key }, 'job failed');
    return { status: 'failed', key, error };
  }
}
