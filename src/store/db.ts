/*
 * The Node side of the database layer: PGlite (embedded, file system) and the migrations. Everything
 * node-free (types, the postgres.js opener, truncateAll) lives in ./db-core.ts and is re-exported here, so
 * importers keep one module; the Workers entry imports ./db-core.ts directly and never bundles this file.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isPostgresUrl, openPostgres, schema, type DbHandle, type PostgresOptions } from './db-core.js';

export { schema, isPostgresUrl, truncateAll, type Db, type Tx, type DbHandle } from './db-core.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../db/migrations', import.meta.url));

/** Any constant will do; it only has to be the same for every instance of the bot. */
const MIGRATION_LOCK_KEY = 7_310_042_001;

/**
 * Opens the database named by DATABASE_URL: postgres:// → postgres.js; memory:// or a folder → PGlite
 * (the folder is created: PGlite does not create parents).
 */
export async function openDb(url: string, opts: PostgresOptions = {}): Promise<DbHandle> {
  if (isPostgresUrl(url)) return openPostgres(url, opts);
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  let client: InstanceType<typeof PGlite>;
  if (url === 'memory://' || url.startsWith('memory://')) {
    client = new PGlite();
  } else {
    const dir = url.replace(/^file:\/\//, '');
    mkdirSync(dir, { recursive: true });
    client = new PGlite(dir);
  }
  await client.waitReady;
  if (opts.observe) observePglite(client, opts.observe);
  const db = drizzle(client, { schema }) as unknown as DbHandle['db'];
  return { db, kind: 'pglite', close: () => client.close() };
}

/**
 * Applies the committed migrations. On PostgreSQL it holds a session advisory lock on a dedicated
 * connection, because drizzle's migrate() is not safe when two instances start at once. (This runs from
 * Node against the database itself, never through Hyperdrive, whose transaction-mode pooling would not keep
 * a session lock.)
 */
export async function migrate(url: string, handle?: DbHandle): Promise<void> {
  if (isPostgresUrl(url)) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
    const client = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
      try {
        await run(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
      }
    } finally {
      await client.end({ timeout: 5 });
    }
    return;
  }
  if (!handle) throw new Error('migrate(): PGlite needs the open handle');
  const { migrate: run } = await import('drizzle-orm/pglite/migrator');
  await run(handle.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
}

type Observed = {
  query: (q: string, ...rest: never[]) => Promise<unknown>;
  exec: (q: string, ...rest: never[]) => Promise<unknown>;
  transaction: (fn: (tx: Observed) => Promise<unknown>) => Promise<unknown>;
};

/**
 * Reports every statement PGlite runs for us, BEGIN and COMMIT of a transaction included, by wrapping this
 * instance's methods (PGlite has no hook of its own; its `debug` option only prints).
 */
function observePglite(client: object, observe: (statement: string) => void): void {
  const c = client as Observed;
  const wrap = (o: Observed) => {
    const query = o.query.bind(o);
    const exec = o.exec.bind(o);
    o.query = (q, ...rest) => (observe(q), query(q, ...rest));
    o.exec = (q, ...rest) => (observe(q), exec(q, ...rest));
  };
  wrap(c);
  const transaction = c.transaction.bind(c);
  c.transaction = (fn) => {
    observe('begin');
    return transaction(async (tx) => {
      wrap(tx);
      try {
        const result = await fn(tx);
        if (!(tx as unknown as { closed: boolean }).closed) observe('commit');
        return result;
      } catch (e) {
        observe('rollback');
        throw e;
      }
    });
  };
}
