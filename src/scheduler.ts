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
  let busy: Promise<void> | null = null;
  const sweep = (): Promise<void> => {
    if (busy) return busy;
    busy = runtime
      .sweepInbox()
      .then((n) => {
        if (n > 0) runtime.deps.logger.info({ resumed: n }, 'inbox: unfinished events resumed');
      })
      .catch((err) => runtime.deps.logger.error({ err }, 'inbox sweep failed'))
      .finally(() => (busy = null));
    return busy;
  };
  // At start, events a killed process left held are taken over once their lease lapses, not an interval later: a
  // restart inside the dead handler's lease (a fast start) would otherwise leave its message unanswered that long.
  let recheck: NodeJS.Timeout | undefined;
  void sweep()
    .then(() => runtime.nextInboxLapseMs())
    .then((ms) => {
      if (ms === null || ms >= everyMs) return;
      runtime.deps.logger.info({ lapsesInMs: ms }, 'inbox: events still held at start; swept again when their lease lapses');
      recheck = setTimeout(() => void sweep(), ms + 100);
      recheck.unref();
    })
    .catch((err) => runtime.deps.logger.error({ err }, 'inbox: the next lapse could not be read'));
  const timer = setInterval(() => void sweep(), everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      clearTimeout(recheck);
    },
  };
}
