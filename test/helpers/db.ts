import { afterAll, beforeAll, beforeEach } from 'vitest';
import postgres from 'postgres';
import { migrate, openDb, truncateAll, type Db, type DbHandle } from '../../src/store/db.js';

/**
 * Which database the suite runs on: PGlite in memory by default, or the PostgreSQL server named by
 * TEST_DATABASE_URL (what `.ci/run` sets for the second pass).
 */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL;
export const onPostgres = !!TEST_PG_URL;

/** A fresh, empty database on the server at `baseUrl` (test files run in parallel workers: one each). */
export async function createDatabase(baseUrl: string, prefix = 'zb_test'): Promise<string> {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function dropPostgresDatabase(baseUrl: string, url: string): Promise<void> {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

export interface TestDb {
  db: Db;
  url: string;
  handle: DbHandle;
  /** With `observe: true`: every statement sent to the database, in order (BEGIN and COMMIT included). */
  statements: string[];
}

/** Opens one migrated database for the test file and empties it before each test. */
export function useTestDb(opts: { truncate?: boolean; observe?: boolean } = {}): TestDb {
  const ctx = { statements: [] as string[] } as TestDb;
  const observe = opts.observe ? (s: string) => void ctx.statements.push(s) : undefined;
  beforeAll(async () => {
    if (TEST_PG_URL) {
      ctx.url = await createDatabase(TEST_PG_URL);
      await migrate(ctx.url);
      ctx.handle = await openDb(ctx.url, { max: 5, observe });
    } else {
      ctx.url = 'memory://';
      ctx.handle = await openDb(ctx.url, { observe });
      await migrate(ctx.url, ctx.handle);
    }
    ctx.db = ctx.handle.db;
  });
  if (opts.truncate !== false) {
    beforeEach(async () => {
      await truncateAll(ctx.db);
    });
  }
  afterAll(async () => {
    await ctx.handle?.close();
    if (TEST_PG_URL && ctx.url) await dropPostgresDatabase(TEST_PG_URL, ctx.url);
  });
  return ctx;
}
