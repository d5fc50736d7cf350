import { type Deps } from '../context.js';

/**
 * A scheduled job. `due` decides, for an instant, which run (if any) is due: a key naming the period and
 * round ('2026-11:r1'). The runner records one row per (job, key), so a run is done once however often the
 * job is triggered (cron, catch-up at start, `npm run job -- run`, several instances). Within a run, every
 * message carries an idempotency key (job, key, recipient) so a run that crashed half-way resumes without
 * sending anything twice.
 */
export interface Job {
  name: string;
  /** Human description for `npm run job -- list`. */
  description: string;
  /** node-cron expression, evaluated in BOT_TIMEZONE; Workers cron triggers are derived from it. */
  cron: string;
  due(deps: Deps, at: Date): Promise<string | null> | string | null;
  run(deps: Deps, at: Date, key: string): Promise<JobResult>;
}

export interface JobResult {
  /** Messages enqueued by this run (new outbox rows). */
  sent: number;
  /** Anything worth recording in job_runs.detail. */
  detail?: Record<string, unknown>;
}
