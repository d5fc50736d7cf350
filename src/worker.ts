/*
 * Cloudflare Workers entry: `fetch` is the same Hono app as on Node (webhook mode only), `scheduled` runs the
 * same jobs through the same runner. Only wiring lives here; see docs/workers.md for the deployment.
 *
 * What differs from Node, and why:
 *  - The runtime (Hono app, dispatcher, Lark client with its token cache and rate limiter, outbox sender) is
 *    built once per isolate, so the tenant token is fetched once per isolate, not per request. The database is
 *    not: a Worker may not share an I/O object between requests, so every request and every scheduled event
 *    opens its own small postgres.js client on Hyperdrive (which pools on its side) and closes it when its work
 *    is done. The runtime reaches that client through `requestDb`, a handle that forwards to the client of the
 *    invocation it is called from (AsyncLocalStorage).
 *  - Work after the HTTP 200 (message handlers, then draining the outbox) runs under `ctx.waitUntil`; there is
 *    no sender loop. A Cron Trigger every five minutes (OUTBOX_SWEEP_CRON) sends whatever is left.
 *  - Cron Triggers fire in UTC; wrangler.toml lists the jobs' BOT_TIMEZONE crons converted to UTC (checked by
 *    test/workers/crons.test.ts). A trigger runs each job whose own cron matches `controller.scheduledTime` in
 *    BOT_TIMEZONE, as of that instant; the runner's (job, key) claim keeps a repeated trigger a no-op.
 *  - BOT_NOW (testing only, unset in production): an ISO instant at which every invocation's clock starts,
 *    instead of the real time (requests) or `controller.scheduledTime` (Cron Triggers). It is what
 *    `npm run job -- run --at` is on Node, for `wrangler dev`, whose /__scheduled cannot pass a time. With it
 *    set, webhooks really signed by Lark fall outside the 5-minute window and are refused.
 *  - Hyperdrive pools in transaction mode: only transaction-scoped advisory locks are used here. Migrations,
 *    which take a session lock, run from Node (`DATABASE_URL=… npm run db:migrate`), never from the worker.
 *
 * Node-only code (PGlite, node-cron, the WS client, the emulator, the file system) is not imported from here;
 * test/workers/bundle.test.ts checks the bundle.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ExecutionContext } from 'hono';
import { systemClock, type Clock } from './clock.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './log.js';
import { openPostgres, type Db, type DbHandle } from './store/db-core.js';
import { createRuntime, type Runtime } from './runtime.js';
import { allJobs } from './jobs/index.js';
import { runJob } from './jobs/runner.js';
import { cronMatches, OUTBOX_SWEEP_CRON } from './jobs/cron.js';

// The few platform types used here, declared locally: @cloudflare/workers-types would replace the DOM lib the
// rest of the project type-checks against.
export interface HyperdriveBinding {
  connectionString: string;
}
export interface WorkerEnv {
  HYPERDRIVE?: HyperdriveBinding;
  /** vars and secrets (LARK_APP_ID, LARK_APP_SECRET, LARK_ENCRYPT_KEY, LARK_VERIFICATION_TOKEN, BOT_TIMEZONE…) */
  [name: string]: unknown;
}
/** Hono's copy of the platform's ExecutionContext (waitUntil, passThroughOnException, props). */
export type WorkerExecutionContext = ExecutionContext;
export interface WorkerScheduledController {
  /** the instant the trigger was scheduled for, ms since the epoch */
  readonly scheduledTime: number;
  /** the trigger's expression as written in wrangler.toml */
  readonly cron: string;
  noRetry(): void;
}

/** Connections per invocation: Workers allow 6 simultaneous open connections, and Lark calls need some. */
const DB_POOL = 4;
/** After an answer: wait this long for a send Lark asked us to retry soon; later ones wait for the sweep. */
const RETRY_WITHIN_MS = 5_000;
/** waitUntil work may run 30 s past the answer. */
const FETCH_DRAIN_TIMEOUT_MS = 20_000;
/** A scheduled invocation may run up to 15 minutes. */
const SCHEDULED_DRAIN_TIMEOUT_MS = 5 * 60_000;

/** What one invocation (a request or a scheduled event) owns. */
interface Invocation {
  db: Db;
  clock: Clock;
  /** work deferred past the answer by this invocation */
  tasks: Promise<unknown>[];
}

const invocation = new AsyncLocalStorage<Invocation>();

function current(): Invocation {
  const inv = invocation.getStore();
  if (!inv) throw new Error('worker: the database was used outside a request or scheduled event');
  return inv;
}

/** The database of the invocation it is called from (see the header). */
const requestDb = new Proxy({} as Db, {
  get(_target, prop) {
    const db = current().db as unknown as Record<PropertyKey, unknown>;
    const value = Reflect.get(db, prop, db);
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(db) : value;
  },
});

/** Real time for requests; for a scheduled event, time that starts at its scheduledTime. */
const invocationClock: Clock = { now: () => invocation.getStore()?.clock.now() ?? systemClock.now() };

/** Strings from the environment (vars and secrets); bindings such as HYPERDRIVE are objects and are skipped. */
function stringVars(env: WorkerEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function workerConfig(env: WorkerEnv): Config {
  const config = loadConfig({
    LARK_MODE: 'webhook',
    ...stringVars(env),
    // The database comes from the HYPERDRIVE binding, never from DATABASE_URL; this only satisfies the schema.
    DATABASE_URL: 'postgres://hyperdrive.invalid/',
    SCHEDULER: 'off',
    SEED_DEMO: 'no',
  });
  if (config.lark.mode !== 'webhook') {
    throw new ConfigError(`invalid configuration: LARK_MODE: the Workers entry runs in webhook mode only (got ${config.lark.mode})`);
  }
  if (!env.HYPERDRIVE || typeof env.HYPERDRIVE.connectionString !== 'string') {
    throw new ConfigError('invalid configuration: HYPERDRIVE: the [[hyperdrive]] binding is missing from wrangler.toml');
  }
  return config;
}

export function botNow(env: WorkerEnv): number | undefined {
  const v = env.BOT_NOW;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new ConfigError('invalid configuration: BOT_NOW: must be an ISO instant such as 2026-11-13T09:00:00+08:00');
  return t;
}

/** A clock that reads `start` when the invocation begins and runs on in real time. */
function clockFrom(start: number): Clock {
  const began = Date.now();
  return { now: () => new Date(start + (Date.now() - began)) };
}

interface Isolate {
  config: Config;
  logger: Logger;
  /** BOT_NOW, when set (see the header) */
  pinnedNow?: number;
  runtime?: Promise<Runtime>;
}
let isolate: Isolate | undefined;

function boot(env: WorkerEnv): Isolate {
  if (!isolate) {
    const config = workerConfig(env);
    const pinnedNow = botNow(env);
    const logger = createLogger(config.logLevel);
    if (pinnedNow !== undefined)
      logger.warn({ BOT_NOW: new Date(pinnedNow).toISOString() }, 'BOT_NOW is set: every invocation starts its clock there (testing only)');
    isolate = { config, logger, pinnedNow };
  }
  return isolate;
}

/** Built on the first invocation of the isolate, inside it (loading the calendar needs its database). */
function runtimeOf(iso: Isolate): Promise<Runtime> {
  if (!iso.runtime) {
    iso.runtime = createRuntime({
      config: iso.config,
      db: requestDb,
      clock: invocationClock,
      logger: iso.logger,
      larkDomain: iso.config.lark.domain,
      senderLoop: false,
      defer: (label, fn) => {
        const p = fn().catch((err: unknown) => iso.logger.error({ err, label }, 'background task failed'));
        current().tasks.push(p);
      },
    });
    // A failed start (database down) is not remembered: the next invocation tries again.
    iso.runtime.catch(() => (iso.runtime = undefined));
  }
  return iso.runtime;
}

/** A bad configuration is logged (one line naming the variable) and answered without detail. */
function configErrorResponse(err: unknown): Response | undefined {
  if (!(err instanceof ConfigError)) return undefined;
  console.error(err.message);
  return Response.json({ ok: false, error: 'configuration' }, { status: 500 });
}

/** Deferred work first (it enqueues), then the outbox. */
async function drain(inv: Invocation, runtime: Runtime, timeoutMs: number): Promise<void> {
  while (inv.tasks.length > 0) await Promise.allSettled(inv.tasks.splice(0));
  await runtime.sender.settle({ withinMs: RETRY_WITHIN_MS, timeoutMs });
}

async function closeQuietly(handle: DbHandle, logger: Logger): Promise<void> {
  try {
    await handle.close();
  } catch (err) {
    logger.warn({ err }, 'closing the database client failed');
  }
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: WorkerExecutionContext): Promise<Response> {
    let iso: Isolate;
    try {
      iso = boot(env);
    } catch (err) {
      const res = configErrorResponse(err);
      if (res) return res;
      throw err;
    }
    const { logger } = iso;
    const handle = openPostgres(env.HYPERDRIVE!.connectionString, { max: DB_POOL, prepareRepeated: false });
    const inv: Invocation = { db: handle.db, clock: iso.pinnedNow !== undefined ? clockFrom(iso.pinnedNow) : systemClock, tasks: [] };
    return invocation.run(inv, async () => {
      let runtime: Runtime;
      try {
        runtime = await runtimeOf(iso);
      } catch (err) {
        logger.error({ err }, 'worker: the runtime could not start');
        ctx.waitUntil(closeQuietly(handle, logger));
        return Response.json({ ok: false, error: 'starting' }, { status: 503 });
      }
      let res: Response;
      try {
        res = await runtime.app.fetch(request, env, ctx);
      } catch (err) {
        ctx.waitUntil(closeQuietly(handle, logger));
        throw err;
      }
      // After the answer: the handlers this request deferred, then the messages they enqueued.
      const after = async () => {
        try {
          if (request.method === 'POST') {
            // The bot's own open_id tells its @mention apart from others in a group; learned once per isolate.
            await runtime.identifyBot();
            await drain(inv, runtime, FETCH_DRAIN_TIMEOUT_MS);
          }
        } catch (err) {
          logger.error({ err }, 'worker: the outbox was not drained after the answer; the sweep sends the rest');
        } finally {
          await closeQuietly(handle, logger);
        }
      };
      ctx.waitUntil(after());
      return res;
    });
  },

  async scheduled(controller: WorkerScheduledController, env: WorkerEnv, ctx: WorkerExecutionContext): Promise<void> {
    let iso: Isolate;
    try {
      iso = boot(env);
    } catch (err) {
      if (configErrorResponse(err)) return;
      throw err;
    }
    const { config, logger } = iso;
    const handle = openPostgres(env.HYPERDRIVE!.connectionString, { max: DB_POOL, prepareRepeated: false });
    const start = iso.pinnedNow ?? controller.scheduledTime;
    const inv: Invocation = { db: handle.db, clock: clockFrom(start), tasks: [] };
    // Cron Triggers name a minute; the jobs are matched against it and run as of it.
    const at = new Date(Math.floor(start / 60_000) * 60_000);
    const work = invocation.run(inv, async () => {
      try {
        const runtime = await runtimeOf(iso);
        if (controller.cron !== OUTBOX_SWEEP_CRON) {
          const jobs = allJobs().filter((j) => cronMatches(j.cron, at, config.timeZone));
          if (jobs.length === 0) {
            logger.warn(
              { cron: controller.cron, at: at.toISOString() },
              'no job is scheduled at this trigger; is wrangler.toml [triggers] stale?',
            );
          }
          for (const job of jobs) {
            const outcome = await runJob(runtime.deps, job, at);
            logger.info({ job: job.name, cron: controller.cron, at: at.toISOString(), outcome: outcome.status }, 'scheduled job');
          }
        }
        // The inbox sweep: events a killed invocation left unfinished are handled again, once.
        const resumed = await runtime.sweepInbox();
        if (resumed > 0) logger.info({ resumed }, 'inbox: unfinished events resumed');
        await drain(inv, runtime, SCHEDULED_DRAIN_TIMEOUT_MS);
      } catch (err) {
        logger.error({ err, cron: controller.cron }, 'worker: scheduled event failed');
      } finally {
        await closeQuietly(handle, logger);
      }
    });
    ctx.waitUntil(work);
    await work;
  },
};
