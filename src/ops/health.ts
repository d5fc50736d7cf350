/*
 * GET /healthz and GET /metrics. Both entries serve /healthz (Node and Workers); /metrics is served where a
 * metrics renderer is handed in (Node). Nothing here imports prom-client.
 */
import { Buffer } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Hono } from 'hono';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import { outboxBacklog } from '../store/outbox.js';

/** The long connection as the WS transport last saw it. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'failed' | 'closed';

export interface HealthOptions {
  db: Db;
  logger: Logger;
  /** Unhealthy when the oldest pending outbox row is older than this (HEALTH_OUTBOX_MAX_AGE_SECONDS). */
  outboxMaxAgeSeconds: number;
  /** The long connection's state and since when (ms, monotonic), when the bot receives over one. */
  longConnection?: () => { state: ConnectionState; sinceMs: number } | undefined;
}

interface Check {
  ok: boolean;
  [detail: string]: unknown;
}

export interface Health {
  ok: boolean;
  checks: { database: Check; outbox: Check; longConnection?: Check };
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Each part on its own: the database answers, the outbox is not stuck, the long connection is open. */
export async function checkHealth(opts: HealthOptions): Promise<Health> {
  const started = performance.now();
  let database: Check;
  try {
    await opts.db.execute(sql`select 1`);
    database = { ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    opts.logger.error({ err: message(err) }, 'health check: the database does not answer');
    database = { ok: false, error: 'the database does not answer' };
  }

  let outbox: Check;
  if (!database.ok) {
    outbox = { ok: false, error: 'unknown: the database does not answer' };
  } else {
    try {
      const b = await outboxBacklog(opts.db);
      const age = Math.round(b.oldestPendingAgeSeconds);
      outbox = {
        ok: age <= opts.outboxMaxAgeSeconds,
        pending: b.pending,
        oldestPendingAgeSeconds: age,
        maxAgeSeconds: opts.outboxMaxAgeSeconds,
      };
      if (!outbox.ok) opts.logger.warn({ ...outbox }, 'health check: the outbox is stuck');
    } catch (err) {
      opts.logger.error({ err: message(err) }, 'health check: the outbox could not be read');
      outbox = { ok: false, error: 'the outbox could not be read' };
    }
  }

  const checks: Health['checks'] = { database, outbox };
  const ws = opts.longConnection?.();
  if (ws) {
    checks.longConnection = { ok: ws.state === 'open', state: ws.state, sinceSeconds: Math.round((performance.now() - ws.sinceMs) / 1000) };
  }
  return { ok: Object.values(checks).every((c) => c.ok), checks };
}

/** GET /healthz: 200 when every part is healthy, 503 otherwise; the JSON body says which part. */
export function registerHealth(app: Hono, opts: HealthOptions): void {
  app.get('/healthz', async (c) => {
    const health = await checkHealth(opts);
    return c.json(health, health.ok ? 200 : 503);
  });
}

export interface MetricsRoute {
  render(): Promise<{ contentType: string; body: string }>;
  /** When set, a scrape must send `Authorization: Bearer <token>` (METRICS_TOKEN). */
  token?: string;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** GET /metrics in Prometheus' text format; 401 without the bearer token when one is configured. */
export function registerMetrics(app: Hono, route: MetricsRoute): void {
  app.get('/metrics', async (c) => {
    if (route.token !== undefined) {
      const auth = c.req.header('authorization') ?? '';
      const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
      if (!m || !sameSecret(m[1]!, route.token)) {
        c.header('WWW-Authenticate', 'Bearer realm="metrics"');
        return c.json({ ok: false, error: 'unauthorized' }, 401);
      }
    }
    const { contentType, body } = await route.render();
    return c.body(body, 200, { 'Content-Type': contentType });
  });
}
