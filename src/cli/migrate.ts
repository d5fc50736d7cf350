/*
 * npm run db:migrate
 * Applies the committed migrations to DATABASE_URL and exits. The Workers deployment runs this from Node
 * against the database itself (not through Hyperdrive: the migration lock is a session advisory lock, which
 * a transaction-mode pooler does not keep). `npm start` migrates on its own at start-up.
 */
import { ConfigError, loadConfig } from '../config.js';
import { isPostgresUrl, migrate, openDb } from '../store/db.js';

let url: string;
try {
  url = loadConfig({ ...process.env, SCHEDULER: 'off' }).databaseUrl;
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const where = isPostgresUrl(url) ? `PostgreSQL ${new URL(url).host}${new URL(url).pathname}` : `PGlite ${url}`;
try {
  if (isPostgresUrl(url)) {
    await migrate(url);
  } else {
    const handle = await openDb(url);
    try {
      await migrate(url, handle);
    } finally {
      await handle.close();
    }
  }
  console.log(`migrations applied: ${where}`);
  process.exit(0);
} catch (err) {
  console.error(`migration failed on ${where}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
