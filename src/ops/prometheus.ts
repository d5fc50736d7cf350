/*
 * The bot's metrics in Prometheus' text format (prom-client), served on GET /metrics. Node only: the Workers entry
 * never imports this file (`npm run lint:deps` and test/workers/bundle.test.ts hold it there).
 *
 * One registry per runtime, never prom-client's global one: the tests start several bots in one process, and
 * each must count only its own events. The outbox figures are read from the database at scrape time, so they are
 * right whichever instance sent (or failed to send) the rows.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import { outboxBacklog } from '../store/outbox.js';
import type { BotMetrics } from './metrics.js';

export interface PrometheusMetrics extends BotMetrics {
  readonly registry: Registry;
  /** The exposition: Prometheus' text format. */
  render(): Promise<{ contentType: string; body: string }>;
}

const PREFIX = 'zhaoshang_';

export function createPrometheusMetrics(opts: {
  db: Db;
  logger: Logger;
  /** Node's process metrics (CPU, memory, event loop lag, GC) under `zhaoshang_process_…`/`zhaoshang_nodejs_…`. */
  processMetrics?: boolean;
}): PrometheusMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (opts.processMetrics) collectDefaultMetrics({ register: registry, prefix: PREFIX });

  const received = new Counter({
    name: `${PREFIX}events_received_total`,
    help: 'Deliveries from Lark that reached the dispatcher (webhook or long connection), duplicates included.',
    labelNames: ['kind'] as const,
    registers,
  });
  const refused = new Counter({
    name: `${PREFIX}events_refused_total`,
    help: 'Webhook requests refused before any handling (signature, token, timestamp window, size, body), by HTTP status.',
    labelNames: ['status'] as const,
    registers,
  });
  const duplicate = new Counter({
    name: `${PREFIX}events_duplicate_total`,
    help: 'Deliveries dropped as already seen: the same event id (Lark redelivered) or the same message id.',
    labelNames: ['key'] as const,
    registers,
  });
  const failures = new Counter({
    name: `${PREFIX}handler_failures_total`,
    help: 'Handlers that threw; the event is forgotten so that Lark redelivers it.',
    labelNames: ['kind'] as const,
    registers,
  });
  const latency = new Histogram({
    name: `${PREFIX}reply_latency_seconds`,
    help: "From receiving an event to its answer being ready (the card callback's response, or the replies written to the outbox).",
    labelNames: ['kind'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30],
    registers,
  });
  const lark = new Counter({
    name: `${PREFIX}lark_requests_total`,
    help: 'Calls to the Lark Open API, one per attempt, by what the call does (send, update, other) and how it ended (ok, 429, 5xx, 4xx, network).',
    labelNames: ['call', 'result'] as const,
    registers,
  });
  const jobs = new Counter({
    name: `${PREFIX}job_runs_total`,
    help: 'Scheduled job runs by job and outcome (done, failed, not_due, already_done, running_elsewhere).',
    labelNames: ['job', 'outcome'] as const,
    registers,
  });

  // Read at scrape time, one query for all three. A database that does not answer leaves the last values and
  // sets zhaoshang_outbox_scrape_error to 1.
  const pending = new Gauge({ name: `${PREFIX}outbox_pending`, help: 'Outbox rows not sent yet (pending).', registers });
  const oldest = new Gauge({
    name: `${PREFIX}outbox_oldest_pending_age_seconds`,
    help: 'Age of the oldest pending outbox row (0 when none is pending).',
    registers,
  });
  const failedRows = new Gauge({
    name: `${PREFIX}outbox_failed`,
    help: 'Outbox rows given up after their last attempt (kept with the reason; they never go out).',
    registers,
  });
  const scrapeError = new Gauge({
    name: `${PREFIX}outbox_scrape_error`,
    help: '1 when the outbox could not be read for this scrape.',
    registers,
  });
  const readOutbox = async () => {
    try {
      const b = await outboxBacklog(opts.db);
      pending.set(b.pending);
      oldest.set(b.oldestPendingAgeSeconds);
      failedRows.set(b.failed);
      scrapeError.set(0);
    } catch (err) {
      opts.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'metrics: the outbox could not be read');
      scrapeError.set(1);
    }
  };

  return {
    registry,
    async render() {
      await readOutbox();
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    eventReceived: (kind) => received.inc({ kind }),
    eventRefused: (status) => refused.inc({ status: String(status) }),
    eventDuplicate: (key) => duplicate.inc({ key }),
    handlerFailed: (kind) => failures.inc({ kind }),
    replyLatency: (kind, seconds) => latency.observe({ kind }, seconds),
    larkCall: (call, result) => lark.inc({ call, result }),
    jobRun: (job, outcome) => jobs.inc({ job, outcome }),
  };
}
