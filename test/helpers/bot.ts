import { afterAll, beforeAll, beforeEach } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import { seedDemo } from '../../db/seed/index.js';
import { useTestDb } from './db.js';
import type { Hono } from 'hono';
import { FixedClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { demoBotMenu, demoDirectory } from '../../db/seed/directory.js';
import { silentLogger, createLogger, type Logger } from '../../src/log.js';
import { createPrometheusMetrics } from '../../src/ops/prometheus.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { nodeRegistry } from '../../src/bot/node-registry.js';
import type { Db } from '../../src/store/db.js';
import type { LarkLimits } from '../../src/lark/client.js';

/**
 * The whole bot as `npm start` wires it in emulator mode: one HTTP server on a free loopback port serving the
 * emulator's Open API and console and the bot's /lark/events; the bot talks to the emulator through the real
 * SDK over HTTP, and the emulator delivers signed, encrypted webhooks back. Time is the test's FixedClock.
 */
export interface TestBot {
  url: string;
  emulator: Emulator;
  runtime: Runtime;
  clock: FixedClock;
  /** Waits for background handlers and drains the outbox into the emulator. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An HTTP server on a free loopback port, its URL known before the app that answers there is built (the runtime
 * needs the URL first): requests go to the app given to serveApp.
 */
export async function loopbackServer(): Promise<{ server: ServerType; url: string; serveApp(app: Hono): void }> {
  let app: Hono | undefined;
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: (req) => app!.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}`, serveApp: (a) => void (app = a) };
}

export async function startTestBot(opts: {
  db: Db;
  clock: FixedClock;
  larkLimits?: Partial<LarkLimits>;
  enforceLimits?: boolean;
  /** A real app's credentials instead of the emulator's fixed ones (the bot then runs in webhook mode). */
  lark?: { appId: string; appSecret: string; encryptKey: string; verificationToken: string };
  /** Where the bot logs (default: silent, or TEST_LOG's level on stdout). */
  logger?: Logger;
  /** Extra environment for loadConfig (e.g. METRICS_TOKEN, HEALTH_OUTBOX_MAX_AGE_SECONDS). */
  env?: Record<string, string>;
  /** Lark's directory as the emulator knows it (default: the demo's people and groups). */
  directory?: ReturnType<typeof demoDirectory>;
  /** The emulator keeps its chats in this file across restarts, as `npm start` does (default: none). */
  historyFile?: string;
}): Promise<TestBot> {
  const { server, url, serveApp } = await loopbackServer();
  const app_ = opts.lark;
  const config = loadConfig({
    DATABASE_URL: 'memory://',
    SCHEDULER: 'off',
    ...(app_
      ? {
          LARK_MODE: 'webhook',
          LARK_APP_ID: app_.appId,
          LARK_APP_SECRET: app_.appSecret,
          LARK_ENCRYPT_KEY: app_.encryptKey,
          LARK_VERIFICATION_TOKEN: app_.verificationToken,
          LARK_DOMAIN: url,
        }
      : {}),
    ...opts.env,
  });
  const emulator = createEmulator({
    appId: config.lark.appId,
    appSecret: config.lark.appSecret,
    encryptKey: config.lark.encryptKey,
    verificationToken: config.lark.verificationToken,
    botWebhookUrl: `${url}/lark/events`,
    directory: opts.directory ?? demoDirectory(),
    botMenu: demoBotMenu(),
    now: () => opts.clock.now().getTime(),
    limits: { enforce: opts.enforceLimits ?? true },
    ...(opts.historyFile ? { historyFile: opts.historyFile } : {}),
  });
  const logger = opts.logger ?? (process.env.TEST_LOG ? createLogger(process.env.TEST_LOG) : silentLogger);
  const runtime = await createRuntime({
    config,
    db: opts.db,
    clock: opts.clock,
    logger,
    larkDomain: url,
    larkLimits: opts.larkLimits,
    register: [(a) => a.route('/', emulator.app)],
    senderLoop: false,
    registry: nodeRegistry(),
    botOpenId: emulator.botOpenId,
    // as main.ts: each bot its own registry, so tests running several bots count each one's own events
    metrics: createPrometheusMetrics({ db: opts.db, logger }),
  });
  serveApp(runtime.app);
  return {
    url,
    emulator,
    runtime,
    clock: opts.clock,
    settle: () => runtime.settle(),
    async close() {
      emulator.close();
      await runtime.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A stand-in for a bot started in beforeAll, usable in tests: it forwards to what `get` returns then. */
export function startedLater<T extends object>(get: () => T | undefined): T {
  return new Proxy({} as T, {
    get: (_target, key) => {
      const real = get();
      if (!real) throw new Error('the test bot starts in beforeAll');
      return (real as unknown as Record<string | symbol, unknown>)[key];
    },
  });
}

/**
 * The usual end-to-end setup in one call: a test database, the bot with the emulator on a clock set to `at`,
 * and before each test an empty emulator, the clock back at `at` and the demo city seeded as of `seedDay`.
 * `bot` is usable in tests (it forwards to the bot started in beforeAll).
 */
export function useDemoBot(
  at: string,
  seedDay = at.slice(0, 10),
  opts: { reseed?: boolean; observe?: boolean; directory?: ReturnType<typeof demoDirectory> } = {},
) {
  const t = useTestDb({ truncate: opts.reseed !== false, observe: opts.observe });
  const clock = new FixedClock(at);
  let real: TestBot | undefined;
  const bot = startedLater(() => real);
  beforeAll(async () => {
    real = await startTestBot({ db: t.db, clock, directory: opts.directory });
  });
  afterAll(async () => {
    await real?.close();
  });
  if (opts.reseed !== false) {
    beforeEach(async () => {
      real!.emulator.reset();
      clock.set(at);
      await seedDemo(t.db, seedDay);
    });
  }
  return { t, bot, clock };
}
