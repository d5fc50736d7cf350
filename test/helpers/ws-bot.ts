import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Server } from 'node:http';
import { demoBotMenu, demoDirectory } from '../../db/seed/directory.js';
import { nodeRegistry } from '../../src/bot/node-registry.js';
import type { Registry } from '../../src/bot/registry.js';
import { FixedClock } from '../../src/clock.js';
import { seedDemo } from '../../db/seed/index.js';
import { loadConfig } from '../../src/config.js';
import { createEmulator, type Emulator, type LongConnectionOptions } from '../../src/emulator/index.js';
import { createWsTransport, type WsTransport } from '../../src/lark/ws.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import type { Db } from '../../src/store/db.js';
import { loopbackServer, startedLater } from './bot.js';
import { useTestDb } from './db.js';

/**
 * The whole bot as `LARK_MODE=ws npm start` wires it without an app: one HTTP server on a free loopback port
 * serving the emulator (Open API, console, the long connection's endpoint and socket on the same port), and
 * one or more bot processes — each a runtime with its own SDK WSClient — on one database. Time for the bot
 * and the emulator's envelopes is the test's FixedClock; the long connection runs on real time, shrunk
 * through the ClientConfig the emulator hands out.
 */
export interface WsTestBot {
  url: string;
  emulator: Emulator;
  /** the first bot process (its app serves the HTTP routes) */
  runtime: Runtime;
  runtimes: Runtime[];
  transports: WsTransport[];
  clock: FixedClock;
  /** another bot process on the same database, connected before this resolves */
  addProcess(): Promise<{ runtime: Runtime; transport: WsTransport }>;
  /** waits until the emulator has nothing pending and every process has sent what it queued */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Fast enough for tests, and Lark's own shape: seconds in the ClientConfig (fractions are fine for the SDK). */
export const FAST_LONG_CONNECTION: LongConnectionOptions = {
  pingIntervalSeconds: 1,
  reconnectIntervalSeconds: 0.05,
  reconnectNonceSeconds: 0,
  ackTimeoutMs: 3000,
  redeliverAfterMs: [100, 200, 400, 800],
};

export async function startWsTestBot(opts: {
  db: Db;
  clock: FixedClock;
  processes?: number;
  longConnection?: LongConnectionOptions;
  registry?: () => Registry;
}): Promise<WsTestBot> {
  const { server, url, serveApp } = await loopbackServer();
  const config = loadConfig({ DATABASE_URL: 'memory://', SCHEDULER: 'off', LARK_MODE: 'ws' });
  const emulator = createEmulator({
    appId: config.lark.appId,
    appSecret: config.lark.appSecret,
    encryptKey: config.lark.encryptKey,
    verificationToken: config.lark.verificationToken,
    delivery: 'ws',
    directory: demoDirectory(),
    botMenu: demoBotMenu(),
    now: () => opts.clock.now().getTime(),
    limits: { enforce: true },
    longConnection: { ...FAST_LONG_CONNECTION, ...opts.longConnection },
  });
  emulator.attach(server as Server);
  const logger = process.env.TEST_LOG ? createLogger(process.env.TEST_LOG) : silentLogger;
  const runtimes: Runtime[] = [];
  const transports: WsTransport[] = [];

  async function addProcess() {
    const first = runtimes.length === 0;
    // /healthz reads this process's long connection, as main.ts wires it
    let transport: WsTransport | undefined;
    const runtime = await createRuntime({
      config,
      db: opts.db,
      clock: opts.clock,
      logger,
      larkDomain: url,
      register: first ? [(a) => a.route('/', emulator.app)] : [],
      senderLoop: false,
      registry: (opts.registry ?? nodeRegistry)(),
      botOpenId: emulator.botOpenId,
      longConnection: () => transport?.state(),
    });
    if (first) serveApp(runtime.app);
    transport = createWsTransport({
      appId: config.lark.appId,
      appSecret: config.lark.appSecret,
      domain: url,
      logger,
      receive: runtime.receive,
      defer: (label, fn) => void runtime.background.run(label, fn),
    });
    runtimes.push(runtime);
    transports.push(transport);
    await transport.start({ readyWithinMs: 10_000 });
    await emulator.longConnection!.waitForClients(transports.length);
    return { runtime, transport };
  }

  for (let i = 0; i < (opts.processes ?? 1); i++) await addProcess();

  return {
    url,
    emulator,
    get runtime() {
      return runtimes[0]!;
    },
    runtimes,
    transports,
    clock: opts.clock,
    addProcess,
    async settle() {
      await emulator.longConnection!.idle();
      for (let i = 0; i < 2; i++) for (const r of runtimes) await r.settle();
    },
    async close() {
      for (const t of transports) t.stop();
      emulator.close();
      for (const r of runtimes) await r.stop();
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * useDemoBot's setup on the long connection: a test database, the bot processes with the emulator on a clock set to
 * `at`, and before each test an empty emulator without faults, the clock back at `at` and the demo city seeded as
 * of that day. `bot` is usable in tests (it forwards to the bot started in beforeAll).
 */
export function useDemoWsBot(at: string, opts: Omit<Parameters<typeof startWsTestBot>[0], 'db' | 'clock'> = {}) {
  const t = useTestDb();
  const clock = new FixedClock(at);
  let real: WsTestBot | undefined;
  const bot = startedLater(() => real);
  beforeAll(async () => {
    real = await startWsTestBot({ ...opts, db: t.db, clock });
  });
  afterAll(async () => {
    await real?.close();
  });
  beforeEach(async () => {
    real!.emulator.reset();
    real!.emulator.longConnection!.faults.clear();
    clock.set(at);
    await seedDemo(t.db, at.slice(0, 10));
  });
  return { t, bot, clock };
}
