import { Hono } from 'hono';
import type { Logger } from './log.js';
import { registerHealth, type HealthOptions } from './ops/health.js';

export type AppDeps = HealthOptions & { logger: Logger };

/**
 * The Hono app shared by Node and Workers: GET /healthz (src/ops/health.ts), then the routes that register
 * themselves from their own files, in order (a middleware must come before the route it wraps).
 */
export function createApp(deps: AppDeps, register: ((app: Hono) => void)[] = []): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    deps.logger.error({ err, path: c.req.path }, 'unhandled error');
    return c.json({ ok: false, error: 'internal' }, 500);
  });
  registerHealth(app, deps);
  for (const r of register) r(app);
  return app;
}
