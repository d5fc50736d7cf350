import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import type { Db } from './store/db.js';
import type { Logger } from './log.js';

export interface AppDeps {
  db: Db;
  logger: Logger;
}

/** GET /healthz: 200 when the database answers, 503 otherwise. */
export function registerHealth(app: Hono, deps: AppDeps): void {
  app.get('/healthz', async (c) => {
    try {
      await deps.db.execute(sql`select 1`);
      return c.json({ ok: true });
    } catch (err) {
      deps.logger.error({ err }, 'health check: database does not answer');
      return c.json({ ok: false, error: 'database' }, 503);
    }
  });
}

/** The Hono app shared by Node and Workers; routes register themselves from their own files. */
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
