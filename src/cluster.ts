/*
 * Several processes on one port (issue 18, WEB_CONCURRENCY > 1): node:cluster's primary forks the workers, each of
 * which runs the whole bot (src/main.ts) on the shared port; the primary hands out connections and does nothing
 * else. What makes each thing happen once is already in the database (the inbox's and the outbox's leases, the job
 * runs' claims: README "Several instances on one PostgreSQL"); only worker 0 runs the scheduler, so the jobs are
 * not triggered N times over for nothing. A worker that dies after it started is started again with its index
 * (worker 0 keeps the scheduler); one that dies before it listens stops the whole, as a single process would.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './log.js';

/** The environment variable a worker reads its index from (0 … N-1). */
export const WORKER_INDEX_ENV = 'ZHAOSHANG_WORKER_INDEX';

/** This process's index when it is a cluster worker, else undefined. */
export function workerIndex(): number | undefined {
  if (!cluster.isWorker) return undefined;
  const n = Number(process.env[WORKER_INDEX_ENV]);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** The primary: forks `workers` processes of this same entry and supervises them until SIGTERM / SIGINT. */
export function superviseWorkers(opts: { workers: number; logger: Logger; restartDelayMs?: number; stopTimeoutMs?: number }): void {
  const { workers, logger } = opts;
  const restartDelayMs = opts.restartDelayMs ?? 1000;
  let stopping = false;
  let exitCode = 0;
  const live = new Set<Worker>();

  const exitWhenDone = () => {
    if (live.size === 0) {
      logger.info({ exitCode }, 'cluster stopped');
      process.exit(exitCode);
    }
  };

  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    for (const w of live) w.process.kill('SIGTERM');
    // The workers finish their sends under way within their own 10 s; past that they are killed.
    setTimeout(() => {
      for (const w of live) w.process.kill('SIGKILL');
      process.exit(1);
    }, opts.stopTimeoutMs ?? 15_000).unref();
    exitWhenDone();
  };

  const fork = (index: number) => {
    const w = cluster.fork({ [WORKER_INDEX_ENV]: String(index) });
    live.add(w);
    let listening = false;
    w.once('listening', () => (listening = true));
    w.once('exit', (code, signal) => {
      live.delete(w);
      if (stopping) {
        if (code !== 0) exitCode = exitCode || 1;
        exitWhenDone();
        return;
      }
      if (!listening) {
        logger.fatal({ worker: index, code, signal }, 'a worker exited before it started; stopping');
        stopAll(code || 1);
        return;
      }
      logger.error({ worker: index, code, signal }, 'a worker exited; starting it again');
      setTimeout(() => !stopping && fork(index), restartDelayMs);
    });
  };

  for (let i = 0; i < workers; i++) fork(i);
  logger.info({ workers, pid: process.pid }, 'cluster started');
  process.on('SIGTERM', () => stopAll(0));
  process.on('SIGINT', () => stopAll(0));
}
