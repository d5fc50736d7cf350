/*
 * Node entry: config → database → Lark transport (ws | webhook | emulator) → HTTP server → scheduler.
 * Only wiring lives here.
 */
import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import cluster from 'node:cluster';
import { systemClock } from './clock.js';
import { superviseWorkers, workerIndex } from './cluster.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './log.js';
import { isPostgresUrl, migrate } from './store/db.js';
import { openDbWhenReady } from './store/wait.js';
import { createRuntime } from './runtime.js';
import { nodeRegistry } from './bot/node-registry.js';
import { createWsTransport, type WsTransport } from './lark/ws.js';
import { createPrometheusMetrics } from './ops/prometheus.js';
import { startInboxSweep, startScheduler } from './scheduler.js';
import { controlFileFor, jobHandoff } from './ops/job-handoff.js';
import { dateInZone } from './domain/calendar.js';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

// WEB_CONCURRENCY > 1: this process is the cluster's primary and only supervises (src/cluster.ts); the rest of this
// file runs in each worker, on the shared port.
if (config.workers > 1 && cluster.isPrimary) {
  superviseWorkers({ workers: config.workers, logger: createLogger(config.logLevel).child({ role: 'primary' }) });
  await new Promise<never>(() => {}); // it exits from its signal handlers once the workers have stopped
}
const worker = workerIndex();

const logger = worker === undefined ? createLogger(config.logLevel) : createLogger(config.logLevel).child({ worker });
const clock = systemClock;

// The server starts first: /healthz says why the bot is not ready (503) while it waits for its database, and in
// emulator mode the Lark domain can be our own address.
let app: Hono | undefined;
let notReady = 'starting';
const server: ServerType = await new Promise((resolve) => {
  const s = serve(
    {
      fetch: (req, env) => (app ? app.fetch(req, env) : Response.json({ ok: false, error: notReady }, { status: 503 })),
      port: config.port,
    },
    () => resolve(s),
  );
});
// In a cluster each answer names its worker (checks and load balancers' logs can tell them apart).
if (worker !== undefined) server.prependListener('request', (_req, res) => res.setHeader('x-zhaoshang-worker', String(worker)));
const address = server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const self = `http://127.0.0.1:${port}`;
logger.info({ port }, 'listening; opening the database');

const handle = await openDbWhenReady(config.databaseUrl, {
  onRetry: ({ attempt, reason, retryInMs }) => {
    notReady = `database: ${reason}`;
    logger.warn({ attempt, reason, retryInMs }, 'database not reachable yet; retrying');
  },
});
notReady = 'migrating';
await migrate(config.databaseUrl, handle);
const { db } = handle;

const emulated = config.lark.emulated;
let seeded = false;
if (config.seedDemo === 'yes' || (config.seedDemo === 'auto' && emulated)) {
  // The demo data and the emulator are loaded only when used (issue 18: a process talking to real Lark holds
  // neither).
  const { isEmpty, seedDemo } = await import('../db/seed/index.js');
  if (await isEmpty(db)) {
    const r = await seedDemo(db, dateInZone(clock.now(), config.timeZone));
    seeded = true;
    logger.info(r, 'empty database: demo data loaded');
  }
}

// The emulator keeps its chats in a file beside the embedded database (./data/pglite → ./data/pglite-emulator.json;
// on PostgreSQL ./data/emulator.json), so stopping `npm start` (e.g. to run a job) keeps the console's history. A
// freshly seeded database starts a fresh history: the old cards' buttons name projects that no longer exist.
const historyFile = !emulated
  ? undefined
  : config.databaseUrl.startsWith('memory://')
    ? undefined
    : isPostgresUrl(config.databaseUrl)
      ? './data/emulator.json'
      : `${config.databaseUrl.replace(/^file:\/\//, '').replace(/\/+$/, '')}-emulator.json`;
if (historyFile && seeded) rmSync(historyFile, { force: true });

// Without an app the emulator stands in for Lark, delivering by webhook (LARK_MODE=emulator) or over the long
// connection (LARK_MODE=ws); its socket shares this server's port.
const emulator = emulated
  ? await emulatorFor({
      appId: config.lark.appId,
      appSecret: config.lark.appSecret,
      encryptKey: config.lark.encryptKey,
      verificationToken: config.lark.verificationToken,
      delivery: config.lark.mode === 'ws' ? 'ws' : 'webhook',
      botWebhookUrl: `${self}/lark/events`,
      directory: 'demo',
      botMenu: 'demo',
      ...(historyFile ? { historyFile } : {}),
      limits: { enforce: true },
      // Lark hands out 120 s between reconnects; on one machine a dropped socket may come back at once.
      longConnection: { reconnectIntervalSeconds: 2, reconnectNonceSeconds: 1 },
    })
  : undefined;
emulator?.attach(server as Server);

/** The emulator with the demo directory and menu, both imported here and only in emulator mode. */
async function emulatorFor(
  opts: Omit<Parameters<typeof import('./emulator/index.js').createEmulator>[0], 'directory' | 'botMenu'> & {
    directory: 'demo';
    botMenu: 'demo';
  },
) {
  const [{ createEmulator }, { demoBotMenu, demoDirectory }] = await Promise.all([
    import('./emulator/index.js'),
    import('../db/seed/directory.js'),
  ]);
  return createEmulator({ ...opts, directory: demoDirectory(), botMenu: demoBotMenu() });
}
const larkDomain = emulated ? self : config.lark.domain;

// Read by /healthz at each check; set once the long connection is created below.
let ws: WsTransport | undefined;
// On the embedded database `npm run job` cannot open the folder this process holds: it hands the job to us. Only
// with the emulator (no LARK_APP_ID): a bot serving a real Lark app keeps no door for running jobs.
const controlFile = emulated ? controlFileFor(config.databaseUrl) : undefined;
const handoff = controlFile ? jobHandoff({ file: controlFile, port, deps: () => runtime.deps }) : undefined;
const runtime = await createRuntime({
  config,
  db,
  clock,
  logger,
  larkDomain,
  metrics: createPrometheusMetrics({ db, logger, processMetrics: true }),
  longConnection: () => ws?.state(),
  register: [...(emulator ? [(a: Hono) => void a.route('/', emulator.app)] : []), ...(handoff ? [handoff.register] : [])],
  registry: nodeRegistry(),
  botOpenId: emulator?.botOpenId,
});
app = runtime.app;

ws =
  config.lark.mode === 'ws'
    ? createWsTransport({
        appId: config.lark.appId,
        appSecret: config.lark.appSecret,
        domain: larkDomain,
        logger,
        receive: runtime.receive,
        defer: (label, fn) => void runtime.background.run(label, fn),
      })
    : undefined;
if (ws) {
  try {
    await ws.start();
  } catch (err) {
    logger.fatal({ err: err instanceof Error ? err.message : String(err) }, 'the long connection could not start');
    process.exit(1);
  }
}
if (!emulated) void runtime.identifyBot();

// In a cluster only worker 0 runs the scheduler (the job runs' claims would make the others' triggers no-ops).
const scheduler =
  config.scheduler && (worker ?? 0) === 0
    ? startScheduler(runtime, { timeZone: config.timeZone, jobLeaseMs: config.durability.jobLeaseMs })
    : undefined;
const inboxSweep = startInboxSweep(runtime, config.durability.inboxSweepMs);
handoff?.open();

logger.info(
  { port, mode: config.lark.mode, emulated, database: handle.kind, console: emulator ? `${self}/emulator` : undefined },
  'zhaoshang-bot started',
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  handoff?.close();
  scheduler?.stop();
  inboxSweep.stop();
  ws?.stop();
  emulator?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await runtime.stop();
  await handle.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
