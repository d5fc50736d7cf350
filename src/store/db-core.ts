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
  /**
   * Send statements seen more than once as named prepared statements (default on; see `preparingRepeated`). The
   * Workers entry turns it off: its connections go through Hyperdrive's pool.
   */
  prepareRepeated?: boolean;
}

/** At most this many statement texts are prepared per pool (each connection keeps its prepared statements). */
export const PREPARED_TEXTS_MAX = 1000;

/**
 * The postgres.js client as drizzle sees it, with statements that repeat sent as named prepared statements
 * (issue 18). drizzle runs every query it did not `.prepare()` itself as an unnamed statement, and postgres.js
 * sends an unnamed statement with parameters in two round trips: parse and describe, wait for the parameter
 * types, then bind and execute — and the server parses and plans it every time. A named statement is parsed once
 * per connection; after that each execution is one round trip. Texts seen once (a migration, a one-off listing)
 * stay unnamed, and at most `max` texts are ever prepared, so the statements each connection keeps are bounded.
 * Transactions and savepoints hand drizzle a client of their own: wrapped the same way.
 */
export function preparingRepeated(client: postgres.Sql, max = PREPARED_TEXTS_MAX): postgres.Sql {
  const prepared = new Set<string>();
  const seenOnce = new Set<string>();
  const shouldPrepare = (text: string): boolean => {
    if (prepared.has(text)) return true;
    if (prepared.size >= max) return false;
    if (!seenOnce.has(text)) {
      if (seenOnce.size >= 10 * max) seenOnce.clear();
      seenOnce.add(text);
      return false;
    }
    seenOnce.delete(text);
    prepared.add(text);
    return true;
  };
  type Unsafe = (text: string, params?: unknown[], opts?: { prepare?: boolean }) => unknown;
  type Scoped = (...args: unknown[]) => unknown;
  const wrap = (sql: postgres.Sql): postgres.Sql =>
    new Proxy(sql, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (prop === 'unsafe') {
          const unsafe = value as Unsafe;
          return (text: string, params?: unknown[], opts?: { prepare?: boolean }) =>
            unsafe(
              text,
              params,
              opts?.prepare === false && params && params.length > 0 && shouldPrepare(text) ? { ...opts, prepare: true } : opts,
            );
        }
        if (prop === 'begin' || prop === 'savepoint') {
          // begin([options,] fn) and savepoint([name,] fn): the callback gets the transaction's own client.
          const scoped = value as Scoped;
          return (...args: unknown[]) => {
            const fn = args.at(-1) as (tx: postgres.Sql) => unknown;
            return scoped(...args.slice(0, -1), (tx: postgres.Sql) => fn(wrap(tx)));
          };
        }
        return value;
      },
    });
  return wrap(client);
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
  const db = drizzle(opts.prepareRepeated === false ? client : preparingRepeated(client), { schema }) as unknown as Db;
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

/**
 * A drizzle prepared query for handle `q`, built once (issue 18: its SQL is not built again on every call, and on
 * PostgreSQL it runs as a named statement). Kept per handle in `cache`: a prepared query belongs to the session
 * it was made on, so a transaction's handle (a new one each time) gets its own.
 */
export function preparedOn<Q extends object, T>(cache: WeakMap<object, T>, q: Q, build: (q: Q) => T): T {
  let p = cache.get(q);
  if (!p) {
    p = build(q);
    cache.set(q, p);
  }
  return p;
}

/** The first row a query returns, if any (for lookups by a unique key). */
export async function first<T>(rows: PromiseLike<T[]>): Promise<T | undefined> {
  return (await rows)[0];
}
