import { claimRun, finishRun, renewRun, runOf } from '../store/runs.js';
import type { Job, JobResult } from './types.js';
import { type Deps } from '../context.js';

export type RunOutcome =
  | { status: 'not_due' }
  | { status: 'already_done'; key: string }
  | { status: 'running_elsewhere'; key: string }
  | { status: 'done'; key: string; result: JobResult }
  | { status: 'failed'; key: string; error: string };

/** How long a run holds its claim unless renewed (every quarter of it while it runs); a dead run's lapses. */
export const DEFAULT_JOB_LEASE_MS = 60_000;

/**
 * Runs one job as of `at`, at most once per (job, key) across re-runs and instances: the claim is an INSERT
 * on the unique (job, period_key), or a takeover of a failed claim or of one whose lease (the database's clock)
 * lapsed. A taken-over run starts again; what it sends is keyed per (job, period, recipient), so nothing twice.
 */
export async function runJob(deps: Deps, job: Job, at: Date, opts: { leaseMs?: number } = {}): Promise<RunOutcome> {
  // The calendar as every instance sees it now (an admin may have entered next year's holidays elsewhere).
  await deps.refreshCalendar?.();
  const outcome = await claimAndRun(deps, job, at, opts);
  deps.metrics?.jobRun(job.name, outcome.status);
  return outcome;
}

async function claimAndRun(deps: Deps, job: Job, at: Date, opts: { leaseMs?: number }): Promise<RunOutcome> {
  const leaseMs = opts.leaseMs ?? DEFAULT_JOB_LEASE_MS;
  const key = await job.due(deps, at);
  if (!key) return { status: 'not_due' };
  const now = deps.clock.now();
  if (!(await claimRun(deps.db, job.name, key, now, leaseMs))) {
    const existing = await runOf(deps.db, job.name, key);
    return existing?.status === 'done' ? { status: 'already_done', key } : { status: 'running_elsewhere', key };
  }
  const renew = setInterval(
    () => void renewRun(deps.db, job.name, key, leaseMs).catch((err) => deps.logger.warn({ err, job: job.name }, 'job lease not renewed')),
    Math.max(50, Math.floor(leaseMs / 4)),
  );
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
  } finally {
    clearInterval(renew);
  }
}
