/*
 * The node-free half of the database layer: the typed handle, the PostgreSQL opener (postgres.js) and helpers
 * that only speak SQL. The Workers entry imports this file only; PGlite, the file system and the migrations
 * folder live in ./db.ts, which is Node-only.
 */
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
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

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export interface PostgresOptions {
  /** pool size (default 10) */
  max?: number;
  /**
   * Called with the text of every statement sent to the server, BEGIN and COMMIT included (the round-trip guard
   * in the tests counts them). Only for tests and benches: on postgres.js it turns on the driver's debug mode.
   */
  observe?: (statement: string) => void;
}

/** Opens PostgreSQL through postgres.js (Node and Workers alike; on Workers the URL is Hyperdrive's). */
export function openPostgres(url: string, opts: PostgresOptions = {}): DbHandle {
  // fetch_types stays on (the default): the schema has array columns, one of an enum type (role[]).
  const observe = opts.observe;
  const client = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    ...(observe ? { debug: (_conn: number, statement: string) => observe(statement) } : {}),
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, kind: 'postgres', close: () => client.end({ timeout: 5 }) };
}

/** Empties every table of ours (tests use it between cases). */
export async function truncateAll(db: Db): Promise<void> {
  const rows = await db.execute<{ tablename: string }>(sql`select tablename from pg_tables where schemaname = 'public'`);
  const names = (rows as unknown as { rows?: { tablename: string }[] }).rows ?? (rows as unknown as { tablename: string }[]);
  if (names.length === 0) return;
  const list = names.map((r) => `"${r.tablename}"`).join(', ');
  await db.execute(sql.raw(`truncate ${list} restart identity cascade`));
}

/**
 * A list of ids as one bound parameter, a PostgreSQL array literal the statement casts (`= any(${intArray(ids)}::int[])`):
 * the statement's text stays the same whatever the list holds and however long it is (issue 18). Inlined ids, or
 * `in ($1, $2, …)`, made each new list a new statement to the driver: on PostgreSQL one more round trip to parse
 * and describe it, and one more prepared statement kept on the connection for good.
 */
export const intArray = (ids: readonly number[]): string => `{${ids.map((i) => Math.trunc(Number(i)) || 0).join(',')}}`;

/** The first row a query returns, if any (for lookups by a unique key). */
export async function first<T>(rows: PromiseLike<T[]>): Promise<T | undefined> {
  return (await rows)[0];
}
