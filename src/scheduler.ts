import cron from 'node-cron';
import type { Runtime } from './runtime.js';
import { allJobs } from './jobs/index.js';
import { runJob } from './jobs/runner.js';

/**
 * node-cron triggers each job in BOT_TIMEZONE; at start every job is also run once as of now, which catches
 * up a run missed while the bot was down (the runner makes it a no-op when it was done).
 */
export function startScheduler(runtime: Runtime, opts: { timeZone: string }): { stop(): void } {
  const { deps } = runtime;
  const running = new Set<string>();
  const trigger = (name: string) => {
    const job = allJobs().find((j) => j.name === name)!;
    if (running.has(name)) return; // the previous trigger is still working
    running.add(name);
    void runJob(deps, job, deps.clock.now())
      .catch((err) => deps.logger.error({ err, job: name }, 'scheduled job crashed'))
      .finally(() => running.delete(name));
  };
  const tasks = allJobs().map((job) => cron.schedule(job.cron, () => trigger(job.name), { timezone: opts.timeZone }));
  for (const job of allJobs()) trigger(job.name);
  return {
    stop() {
      for (const t of tasks) void t.stop();
    },
  };
}
