import cron from 'node-cron';
import type { Runtime } from './runtime.js';
import { allJobs } from './jobs/index.js';
import { DEFAULT_JOB_LEASE_MS, runJob } from './jobs/runner.js';

/**
 * node-cron triggers each job in BOT_TIMEZONE; at start every job is also run once as of now, which catches
 * up a run missed while the bot was down (the runner makes it a no-op when it was done). A run a killed process
 * left 'running' holds its lease until it lapses (at most `jobLeaseMs`): the catch-up tries again until it can
 * take the run over (or finds it done by another instance).
 */
export function startScheduler(runtime: Runtime, opts: { timeZone: string; jobLeaseMs?: number }): { stop(): void } {
  const { deps } = runtime;
  const leaseMs = opts.jobLeaseMs ?? DEFAULT_JOB_LEASE_MS;
  const running = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const trigger = (name: string, catchUp = false) => {
    const job = allJobs().find((j) => j.name === name)!;
    if (running.has(name) || stopped) return; // the previous trigger is still working
    running.add(name);
    void runJob(deps, job, deps.clock.now(), { leaseMs })
      .then((outcome) => {
        if (catchUp && outcome.status === 'running_elsewhere') {
          deps.logger.info({ job: name, key: outcome.key }, 'catch-up: the run is held; trying again when its lease may have lapsed');
          const timer = setTimeout(
            () => {
              timers.delete(timer);
              trigger(name, true);
            },
            Math.max(100, Math.floor(leaseMs / 4)),
          );
          timers.add(timer);
        }
      })
      .catch((err) => deps.logger.error({ err, job: name }, 'scheduled job crashed'))
      .finally(() => running.delete(name));
  };
  const tasks = allJobs().map((job) => cron.schedule(job.cron, () => trigger(job.name), { timezone: opts.timeZone }));
  for (const job of allJobs()) trigger(job.name, true);
  return {
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      for (const t of tasks) void t.stop();
    },
  };
}

/**
 * The inbox sweep on Node: at start and every `everyMs`, events left unfinished by a crash (their lease lapsed)
 * are handled again, once (the Workers entry does the same on its cron).
 */
export function startInboxSweep(runtime: Runtime, everyMs: number): { stop(): void } {
  let busy = false;
  const sweep = () => {
    if (busy) return;
    busy = true;
    void runtime
      .sweepInbox()
      .then((n) => n > 0 && runtime.deps.logger.info({ resumed: n }, 'inbox: unfinished events resumed'))
      .catch((err) => runtime.deps.logger.error({ err }, 'inbox sweep failed'))
      .finally(() => (busy = false));
  };
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
