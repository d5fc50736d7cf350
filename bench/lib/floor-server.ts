// The footprint floor: the same runtime (Node + the tsx loader), the same database driver opened on the same
// DATABASE_URL (a fresh PGlite folder or PostgreSQL), and a Hono app on @hono/node-server whose GET /healthz runs
// `select 1` — nothing of the bot. Start-up to a 200 and idle RSS of this process are what any entry costs.

import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { openDb } from '../../src/store/db.js';

const handle = await openDb(process.env.DATABASE_URL!);
const app = new Hono();
app.get('/healthz', async (c) => {
  await handle.db.execute(sql`select 1`);
  return c.json({ ok: true });
});
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
process.on('SIGTERM', () => {
  server.close();
  void handle.close().then(() => process.exit(0));
});
