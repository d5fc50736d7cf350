import { and, eq, sql } from 'drizzle-orm';
import { jobRuns } from '../../db/schema.js';
import type { Db, Tx } from './db.js';
import { first } from './db-core.js';

type Q = Db | Tx;

/** One row per (job, period key): what makes a scheduled run happen once however often it is triggered. */
export type JobRun = typeof jobRuns.$inferSelect;

const leaseFor = (ms: number) => sql`now() + ${`${Math.max(1, Math.round(ms))} milliseconds`}::interval`;

/** A running row from before leases (no lease_until) is taken over once it is this old (the database's clock). */
const LEGACY_STALE = sql`now() - interval '15 minutes'`;

/**
 * Claims the run of `job` for `key`: an insert on the unique (job, period_key), or a takeover of a failed claim
 * or of a running one whose lease lapsed (its process died and stopped renewing it). The lease is stamped with
 * the database's clock; `now` (the injected clock) is only recorded as the start. False when another holds it
 * or it is done.
 */
export async function claimRun(q: Q, job: string, key: string, now: Date, leaseMs: number): Promise<boolean> {
  const claimed = await q
    .insert(jobRuns)
    .values({ job, periodKey: key, status: 'running', startedAt: now, leaseUntil: leaseFor(leaseMs) })
    .onConflictDoUpdate({
      target: [jobRuns.job, jobRuns.periodKey],
      set: { status: 'running', startedAt: now, finishedAt: null, leaseUntil: leaseFor(leaseMs) },
      setWhere: sql`${jobRuns.status} = 'failed' or (${jobRuns.status} = 'running' and (${jobRuns.leaseUntil} < now()
        or (${jobRuns.leaseUntil} is null and ${jobRuns.startedAt} < ${LEGACY_STALE})))`,
    })
    .returning();
  return claimed.length > 0;
}

/** Extends the lease of a run still going (the runner renews it every quarter of the lease). */
export async function renewRun(q: Q, job: string, key: string, leaseMs: number): Promise<void> {
  await q
    .update(jobRuns)
    .set({ leaseUntil: leaseFor(leaseMs) })
    .where(and(eq(jobRuns.job, job), eq(jobRuns.periodKey, key), eq(jobRuns.status, 'running')));
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
    .set({ status, finishedAt: at, detail, leaseUntil: null })
    .where(and(eq(jobRuns.job, job), eq(jobRuns.periodKey, key)));
}
