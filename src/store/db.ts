import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import * as schema from '../../db/schema.js';

export { schema };

/** One typed handle for PGlite and postgres.js alike: everything above the store speaks only this. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle has the same query surface. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface DbHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../db/migrations', import.meta.url));

/** Any constant will do; it only has to be the same for every instance of the bot. */
const MIGRATION_LOCK_KEY = 7_310_042_001;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens the database named by DATABASE_URL: postgres:// → postgres.js; memory:// or a folder → PGlite
 * (the folder is created: PGlite does not create parents).
 */
export async function openDb(url: string, opts: { max?: number } = {}): Promise<DbHandle> {
  if (isPostgresUrl(url)) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const client = postgres(url, { max: opts.max ?? 10, onnotice: () => {} });
    const db = drizzle(client, { schema }) as unknown as Db;
    return { db, kind: 'postgres', close: () => client.end({ timeout: 5 }) };
  }
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
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, kind: 'pglite', close: () => client.close() };
}

/**
 * Applies the committed migrations. On PostgreSQL it holds a session advisory lock on a dedicated
 * connection, because drizzle's migrate() is not safe when two instances start at once.
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

/** Empties every table of ours (tests use it between cases). */
export async function truncateAll(db: Db): Promise<void> {
  const rows = await db.execute<{ tablename: string }>(
    sql`select tablename from pg_tables where schemaname = 'public'`,
  );
  const names = (rows as unknown as { rows?: { tablename: string }[] }).rows ?? (rows as unknown as { tablename: string }[]);
  if (names.length === 0) return;
  const list = names.map((r) => `"${r.tablename}"`).join(', ');
  await db.execute(sql.raw(`truncate ${list} restart identity cascade`));
}
