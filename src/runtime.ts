import type { Hono } from 'hono';
import { Background } from './background.js';
import { createApp } from './app.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { createCalendar, type WorkCalendar } from './domain/calendar.js';
import { createExtractor } from './report/extract/index.js';
import { createLarkClient, type LarkClient, type LarkLimits } from './lark/client.js';
import { createOutboxSender, type OutboxSender } from './lark/outbox-sender.js';
import { registerLarkWebhook } from './lark/webhook.js';
import type { Logger } from './log.js';
import type { Db } from './store/db.js';
import { calendarSettings, calendarVersion } from './store/settings.js';
import { nextLapseMs } from './store/dedupe.js';
import { createDispatcher } from './bot/dispatcher.js';
import { createRouter } from './bot/router.js';
import { fullRegistry, type Registry } from './bot/registry.js';
import { calendarWarningText } from './words.js';
import { type Deps } from './context.js';
import { registerMetrics, type HealthOptions, type MetricsRoute } from './ops/health.js';
import { countRefusals, instrumentHandlers, instrumentReceive } from './ops/instrument.js';
import { noMetrics, type BotMetrics } from './ops/metrics.js';

/**
 * Everything the bot is, wired once: the same for `npm start` (Node), the tests and the Workers entry.
 * Transports (HTTP server, WS client, emulator) and the scheduler are attached by the entries.
 */
export interface Runtime {
  app: Hono;
  deps: Deps;
  lark: LarkClient;
  sender: OutboxSender;
  background: Background;
  calendar: WorkCalendar;
  /** The dispatcher's entry, for the WS transport (which has no HTTP request to answer). */
  receive: ReturnType<typeof createDispatcher>;
  /** Resumes events of the inbox left unfinished (a crash) whose lease lapsed; returns how many. */
  sweepInbox(): Promise<number>;
  /** Milliseconds until the first lease of an unfinished event lapses (0: one has), null when none is held. */
  nextInboxLapseMs(): Promise<number | null>;
  /** Learns the bot's open_id from Lark (bot info) unless known; a failure is logged and tried again next call. */
  identifyBot(): Promise<void>;
  /** Waits until background handlers and the outbox have nothing left to do (tests). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Open API base URL actually used (the emulator's own address in emulator mode). */
  larkDomain: string;
  larkLimits?: Partial<LarkLimits>;
  /** Extra routes (the emulator's). */
  register?: ((app: Hono) => void)[];
  /** How work after the HTTP answer is run; default tracked promises (Node). */
  defer?: (label: string, fn: () => Promise<unknown>, executionCtx?: { waitUntil(p: Promise<unknown>): void }) => void;
  /** Commands and card actions; default everything that runs on Workers too (Node adds the chat import). */
  registry?: Registry;
  /** Start the outbox loop (Node) or drain on demand only (Workers, tests that drain by hand). */
  senderLoop?: boolean;
  /**
   * The bot's own open_id when the entry knows it (the emulator's bot). Otherwise `identifyBot()` asks Lark
   * once; until then group mentions are matched loosely.
   */
  botOpenId?: string;
  /**
   * What the bot counts (src/ops/metrics.ts). With `render` (Node: src/ops/prometheus.ts) GET /metrics serves it,
   * behind `config.metricsToken` when set; without metrics nothing is counted and /metrics is not served.
   */
  metrics?: BotMetrics & Partial<Pick<MetricsRoute, 'render'>>;
  /** The long connection's state for /healthz, when the entry receives over one (read at each check). */
  longConnection?: HealthOptions['longConnection'];
}

/**
 * Calendar overrides and rule numbers an admin set in the database win over the built-in defaults. Warns when
 * the holiday data does not cover this year (as of `now`) or the next.
 */
export async function loadCalendar(
  db: Db,
  timeZone: string,
  logger: Logger,
  now: Date,
): Promise<WorkCalendar & { refresh(knownVersion?: number): Promise<void> }> {
  const build = async () => {
    const { overrides, deadlineDay, knownYears, version } = await calendarSettings(db);
    return { calendar: createCalendar({ timeZone, overrides, deadlineDay, knownYears }), version };
  };
  let current = await build();
  const year = Number(current.calendar.today(now).slice(0, 4));
  for (const y of [year, year + 1]) {
    if (!current.calendar.knownYear(y)) logger.warn({ year: y }, calendarWarningText({ code: 'unknown_year', year: y }));
  }
  // A live calendar: every method reads the current table. `refresh()` compares the version stamp (one
  // primary-key read) and rebuilds only when another instance (or this one) changed the calendar, so a change
  // reaches every instance before its next decision without a reload per query.
  const live = {
    async refresh(knownVersion?: number) {
      if ((knownVersion ?? (await calendarVersion(db))) !== current.version) current = await build();
    },
  } as WorkCalendar & { refresh(knownVersion?: number): Promise<void> };
  for (const key of Object.keys(current.calendar) as (keyof WorkCalendar)[]) {
    if (typeof current.calendar[key] === 'function') {
      Object.defineProperty(live, key, { value: (...args: unknown[]) => (current.calendar[key] as (...a: unknown[]) => unknown)(...args) });
    } else {
      Object.defineProperty(live, key, { get: () => current.calendar[key], enumerable: true });
    }
  }
  return live;
}

export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { config, db, clock, logger } = opts;
  const calendar = await loadCalendar(db, config.timeZone, logger, clock.now());
  const background = new Background(logger);
  const lark = createLarkClient(
    { appId: config.lark.appId, appSecret: config.lark.appSecret, domain: opts.larkDomain },
    { logger, clock, limits: opts.larkLimits, onCall: opts.metrics?.larkCall },
  );
  const sender = createOutboxSender({ db, lark, logger, clock, leaseMs: config.durability.outboxLeaseMs });
  // The bot's identity is the runtime's: given at construction or learned once from Lark, read through a getter,
  // so nothing assigns to deps after it is built.
  let botOpenId = opts.botOpenId;
  const deps: Deps = {
    db,
    clock,
    logger,
    calendar,
    refreshCalendar: (known) => calendar.refresh(known),
    notifyOutbox: () => sender.notify(),
    workLeaseMs: config.durability.inboxLeaseMs,
    metrics: opts.metrics,
    extractor: createExtractor(config.llm),
    get botOpenId() {
      return botOpenId;
    },
    lark: {
      downloadMessageResource: (m, f, type) => lark.downloadMessageResource(m, f, type),
      batchGetIdByMobiles: (m) => lark.batchGetIdByMobiles(m),
      batchGetIdByEmails: (e) => lark.batchGetIdByEmails(e),
    },
  };
  const metrics = opts.metrics ?? noMetrics;
  const receive = instrumentReceive(
    createDispatcher(deps, instrumentHandlers(createRouter(deps, opts.registry ?? fullRegistry()), metrics), {
      leaseMs: config.durability.inboxLeaseMs,
    }),
    metrics,
  );
  const render = opts.metrics?.render;
  const defer =
    opts.defer ??
    ((label: string, fn: () => Promise<unknown>, executionCtx?: { waitUntil(p: Promise<unknown>): void }) => {
      const p = background.run(label, fn);
      executionCtx?.waitUntil(p);
    });
  const health = { db, logger, outboxMaxAgeSeconds: config.healthOutboxMaxAgeSeconds, longConnection: opts.longConnection };
  const app = createApp(health, [
    ...(render ? [(a: Hono) => registerMetrics(a, { render, token: config.metricsToken })] : []),
    (a) => countRefusals(a, metrics),
    (a) =>
      registerLarkWebhook(a, {
        encryptKey: config.lark.encryptKey,
        verificationToken: config.lark.verificationToken,
        clock,
        logger,
        receive,
        defer,
      }),
    ...(opts.register ?? []),
  ]);
  if (opts.senderLoop !== false) sender.start();

  return {
    app,
    deps,
    lark,
    sender,
    background,
    calendar,
    receive,
    sweepInbox: () => receive.sweep((label, fn) => defer(label, fn)),
    nextInboxLapseMs: () => nextLapseMs(deps.db),
    async identifyBot() {
      if (botOpenId) return;
      try {
        botOpenId = (await lark.botInfo()).openId;
      } catch (err) {
        logger.warn({ err }, 'could not read the bot info; group mentions are matched loosely');
      }
    },
    async settle() {
      // Handlers enqueue, the sender sends; a sent card may trigger nothing further, so two rounds settle it.
      for (let i = 0; i < 3; i++) {
        await background.settle();
        await sender.settle();
      }
    },
    async stop() {
      await background.settle();
      await sender.stop();
    },
  };
}
