/*
 * Moving a whole database: copy one migrated database into another (PGlite ⇄ PostgreSQL, PG → PG), and the
 * pieces the backup file (./backup.ts) shares with it.
 *
 * Generic on purpose: the tables, their columns and types, primary keys, foreign keys and sequences are read
 * from the catalog, so a table added by a later migration is copied without touching this file.
 *
 * Every value travels as PostgreSQL's own text form (`col::text` out, `text::type` in). That is exact for every
 * type — bigint beyond 2^53, numeric, timestamptz to the microsecond, dates, jsonb (including a JSON `null`,
 * which stays distinct from SQL NULL), arrays of enums, bytea — provided both sessions format alike, which
 * `SESSION_SETTINGS` pins (UTC, ISO dates, hex bytea, shortest-exact floats).
 *
 * Each table's rows are summarised by a count and an order-independent checksum (the sum of the SHA-256 of
 * every row's values, columns by name), so PGlite and a PostgreSQL server with another collation agree on it.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { isPostgresUrl, migrate, type DbHandle } from './db.js';

/** A database to read or write: the handle and the URL it was opened with (migrate() needs the URL). */
export interface Endpoint {
  url: string;
  handle: DbHandle;
}

/** A refusal: the operation stopped before writing anything (or rolled its transaction back). */
export class DbToolRefused extends Error {
  override name = 'DbToolRefused';
}

import {
  raw,
  ident,
  qualified,
  readCatalog,
  readSchemaVersion,
  sameVersion,
  describeVersion,
  type TextRow,
  type Conn,
  type RawDb,
  type TableInfo,
  type SequenceInfo,
  type Catalog,
  type SchemaVersion,
} from './db-catalog.js';
export * from './db-catalog.js';

// ---------------------------------------------------------------------------------------------------------
// Reading, writing and summarising rows

/** Count and order-independent checksum of a table's rows. */
export class TableDigest {
  rows = 0;
  private sum = 0n;
  private readonly names: string[];
  constructor(columns: string[]) {
    this.names = [...columns].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  add(row: TextRow): void {
    const h = createHash('sha256')
      .update(JSON.stringify(this.names.map((n) => row[n] ?? null)))
      .digest('hex');
    this.sum = (this.sum + BigInt(`0x${h}`)) & ((1n << 256n) - 1n);
    this.rows++;
  }
  get checksum(): string {
    return this.sum.toString(16).padStart(64, '0');
  }
}

export interface TableSummary {
  rows: number;
  checksum: string;
}

const keyAlias = (i: number) => `__key${i}`;

/** The table's rows in batches, walked by primary key (or ctid) so no batch is bigger than `batchSize`. */
export async function* readRows(c: Conn, table: TableInfo, batchSize: number, columns = table.columns): AsyncGenerator<TextRow[]> {
  const typeOf = new Map(table.columns.map((col) => [col.name, col.type]));
  // Qualified by the alias: a bare "id" in ORDER BY would name the output column, which is the text form.
  const keys = table.primaryKey.length
    ? table.primaryKey.map((k) => ({ expr: `src.${ident(k)}`, type: typeOf.get(k) ?? 'text' }))
    : [{ expr: 'src.ctid', type: 'tid' }];
  const select = [
    ...columns.map((col) => `src.${ident(col.name)}::text as ${ident(col.name)}`),
    ...keys.map((k, i) => `${k.expr}::text as ${keyAlias(i)}`),
  ].join(', ');
  const order = keys.map((k) => k.expr).join(', ');
  const after = `(${order}) > (${keys.map((k, i) => `$${i + 1}::text::${k.type}`).join(', ')})`;
  const limit = Math.max(1, Math.floor(batchSize));
  let last: (string | null)[] | null = null;
  for (;;) {
    const rows: TextRow[] = await c.query(
      `select ${select} from ${qualified(table.name)} as src${last ? ` where ${after}` : ''} order by ${order} limit ${limit}`,
      last ?? [],
    );
    if (rows.length === 0) return;
    const tail = rows[rows.length - 1]!;
    last = keys.map((_, i) => tail[keyAlias(i)] ?? null);
    yield rows.map((r) => {
      const out: TextRow = {};
      for (const col of columns) out[col.name] = r[col.name] ?? null;
      return out;
    });
    if (rows.length < limit) return;
  }
}

/** Reads a table whole, summarising it. */
export async function summarise(c: Conn, table: TableInfo, batchSize: number, columns = table.columns): Promise<TableSummary> {
  const d = new TableDigest(columns.map((col) => col.name));
  for await (const batch of readRows(c, table, batchSize, columns)) for (const r of batch) d.add(r);
  return { rows: d.rows, checksum: d.checksum };
}

/** Inserts rows given as text, each value cast to its column's type (the target's catalog decides the type). */
export function rowInserter(table: TableInfo): (c: Conn, rows: TextRow[]) => Promise<void> {
  const cols = table.columns.map((col) => ident(col.name));
  const text = `insert into ${qualified(table.name)} (${cols.join(', ')})${table.identityAlways ? ' overriding system value' : ''}
    select ${table.columns.map((col) => `x.${ident(col.name)}::${col.type}`).join(', ')}
      from json_to_recordset($1::text::json) as x(${cols.map((col) => `${col} text`).join(', ')})`;
  return async (c, rows) => {
    if (rows.length > 0) await c.query(text, [JSON.stringify(rows)]);
  };
}

export async function countRows(c: Conn, table: string): Promise<number> {
  const [r] = await c.query<{ n: string }>(`select count(*)::text as n from ${qualified(table)}`);
  return Number(r?.n ?? 0);
}

/** The tables that hold at least one row. */
async function nonEmptyTables(c: Conn, tables: TableInfo[]): Promise<{ table: string; rows: number }[]> {
  const out: { table: string; rows: number }[] = [];
  for (const t of tables) {
    const [r] = await c.query<{ some: boolean | string }>(`select exists (select 1 from ${qualified(t.name)}) as some`);
    if (r?.some === true || r?.some === 't') out.push({ table: t.name, rows: await countRows(c, t.name) });
  }
  return out;
}

/**
 * Moves every sequence of the target to at least what the source had handed out and at least the largest
 * value in the column it feeds, so the next insert never reuses an id; an unused one goes back to its start.
 */
export async function resetSequences(c: Conn, target: SequenceInfo[], source: { name: string; lastValue: string | null }[]) {
  const from = new Map(source.map((s) => [s.name, s.lastValue]));
  for (const s of target) {
    const max = s.owner ? `(select max(${ident(s.owner.column)}) from ${qualified(s.owner.table)})::bigint` : 'null::bigint';
    const [r] = await c.query<{ v: string | null }>(`select greatest($1::text::bigint, ${max})::text as v`, [from.get(s.name) ?? null]);
    const seq = `"public".${ident(s.name)}`;
    if (r?.v != null) await c.query(`select setval($1::text::regclass, $2::text::bigint, true)`, [seq, r.v]);
    else await c.query(`select setval($1::text::regclass, $2::text::bigint, false)`, [seq, s.startValue]);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Preparing and checking a target

export interface TargetState {
  version: SchemaVersion;
  catalog: Catalog;
  /** Tables holding rows before the operation (only possible with `replace`). */
  replaced: { table: string; rows: number }[];
  /** True when the target was empty and migrate() was run on it first. */
  migrated: boolean;
}

/**
 * Refuses a target holding rows unless `replace`; migrates an empty one to this code's latest migration first
 * (idempotent; not with `migrateEmpty: false`), and returns its version and catalog. Nothing but migrate()
 * writes here.
 */
export async function prepareTarget(to: Endpoint, replace: boolean, opts: { migrateEmpty?: boolean } = {}): Promise<TargetState> {
  const db = raw(to.handle);
  let catalog = await readCatalog(db);
  let version = await readSchemaVersion(db);
  const full = await nonEmptyTables(db, catalog.tables);
  if (full.length > 0 && !replace) {
    const list = full.map((f) => `${f.table} ${f.rows}`).join(', ');
    throw new DbToolRefused(`the target is not empty (${list} rows); nothing was written: add --replace to overwrite it`);
  }
  if (!version && catalog.tables.length > 0) {
    throw new DbToolRefused(
      `the target has tables (${catalog.tables
        .slice(0, 5)
        .map((t) => t.name)
        .join(', ')}${catalog.tables.length > 5 ? ', …' : ''}) but no migration history: it is not a database of this bot`,
    );
  }
  let migrated = false;
  if (full.length === 0 && opts.migrateEmpty !== false) {
    await migrate(to.url, to.handle);
    migrated = !version || version.migrations !== (await readSchemaVersion(db))?.migrations;
    catalog = await readCatalog(db);
    version = await readSchemaVersion(db);
  }
  if (!version) throw new DbToolRefused('the target has no migration history after migrating it');
  return { version, catalog, replaced: full, migrated };
}

/** Same tables with the same columns and types; otherwise one line saying what differs. */
export function compareTables(what: string, source: Pick<TableInfo, 'name' | 'columns'>[], target: TableInfo[]): void {
  const t = new Map(target.map((x) => [x.name, x]));
  const s = new Map(source.map((x) => [x.name, x]));
  const problems: string[] = [];
  for (const x of source) {
    const y = t.get(x.name);
    if (!y) {
      problems.push(`table ${x.name} is missing in the target`);
      continue;
    }
    const ty = new Map(y.columns.map((col) => [col.name, col.type]));
    for (const col of x.columns) {
      if (!ty.has(col.name)) problems.push(`column ${x.name}.${col.name} is missing in the target`);
      else if (ty.get(col.name) !== col.type)
        problems.push(`column ${x.name}.${col.name} is ${col.type} in ${what} but ${ty.get(col.name)} in the target`);
    }
    const sx = new Set(x.columns.map((col) => col.name));
    for (const col of y.columns) if (!sx.has(col.name)) problems.push(`column ${x.name}.${col.name} of the target is not in ${what}`);
  }
  for (const y of target) if (!s.has(y.name)) problems.push(`table ${y.name} of the target is not in ${what}`);
  if (problems.length > 0) {
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
    throw new DbToolRefused(`${what} and the target have different tables: ${problems.slice(0, 3).join('; ')}${more}`);
  }
}

/** Truncates the target's tables (all in one statement, so foreign keys between them do not stand in the way). */
export async function emptyTables(c: Conn, tables: TableInfo[]): Promise<void> {
  if (tables.length > 0) await c.query(`truncate ${tables.map((t) => qualified(t.name)).join(', ')} restart identity`);
}

/** Re-checks inside the writing transaction that the target is still empty (another process may have written). */
export async function assertStillEmpty(c: Conn, tables: TableInfo[]): Promise<void> {
  const full = await nonEmptyTables(c, tables);
  if (full.length > 0)
    throw new DbToolRefused(`the target received rows meanwhile (${full.map((f) => f.table).join(', ')}); nothing was written`);
}

/** Reads every table of the target again in the writing transaction and compares it with what was sent. */
export async function verifyTables(c: Conn, tables: TableInfo[], expected: Map<string, TableSummary>, batchSize: number): Promise<void> {
  for (const t of tables) {
    const want = expected.get(t.name) ?? { rows: 0, checksum: new TableDigest([]).checksum };
    const got = await summarise(c, t, batchSize);
    if (got.rows !== want.rows) throw new Error(`verification failed: ${t.name} has ${got.rows} rows in the target, expected ${want.rows}`);
    if (got.checksum !== want.checksum) throw new Error(`verification failed: the checksum of ${t.name} differs in the target`);
  }
}

export function describeEndpoint(url: string): string {
  if (isPostgresUrl(url)) {
    const u = new URL(url);
    return `PostgreSQL ${u.hostname}:${u.port || '5432'}${u.pathname}`;
  }
  return `PGlite ${url}`;
}

/** Refuses to copy a database onto itself (with --replace that would empty the source). */
async function assertDistinct(from: Endpoint, to: Endpoint): Promise<void> {
  if (from.handle === to.handle) throw new DbToolRefused('the source and the target are the same database');
  if (from.handle.kind === 'pglite' && to.handle.kind === 'pglite') {
    const folder = (u: string) => (u.startsWith('memory://') ? u : resolve(u.replace(/^file:\/\//, '')));
    if (!from.url.startsWith('memory://') && folder(from.url) === folder(to.url)) {
      throw new DbToolRefused('the source and the target are the same database');
    }
    return;
  }
  if (from.handle.kind === 'postgres' && to.handle.kind === 'postgres') {
    // Names can differ for one server (localhost, 127.0.0.1, a DNS alias): look for the source's own session
    // among the target server's sessions instead.
    const [me] = await raw(from.handle).query<{ pid: string; started: string; db: string }>(
      `select pid::text as pid, backend_start::text as started, datname as db from pg_stat_activity where pid = pg_backend_pid()`,
    );
    if (!me) return;
    const [seen] = await raw(to.handle).query<{ same: boolean | string }>(
      `select exists (select 1 from pg_stat_activity where pid = $1::text::int and backend_start::text = $2 and datname = $3
                      and datname = current_database()) as same`,
      [me.pid, me.started, me.db],
    );
    if (seen?.same === true || seen?.same === 't') throw new DbToolRefused('the source and the target are the same database');
  }
}

// ---------------------------------------------------------------------------------------------------------
// Copy

export interface TableResult {
  table: string;
  rows: number;
  checksum: string;
}

export interface CopyResult {
  version: SchemaVersion;
  tables: TableResult[];
  /** Tables that held rows in the target and were emptied first (--replace). */
  replaced: { table: string; rows: number }[];
  migrated: boolean;
}

export interface CopyOptions {
  replace?: boolean;
  /** Rows per read and per insert (default 1000). */
  batchSize?: number;
}

/**
 * Copies every table of `from` into `to` in one transaction on the target, reading `from` in one snapshot.
 * Refuses (DbToolRefused, nothing written) a target holding rows without `replace`, a target at another schema
 * version, different tables, or the same database on both sides. Verifies counts and checksums before it
 * commits, and counts again after.
 */
export async function copyDatabase(from: Endpoint, to: Endpoint, opts: CopyOptions = {}): Promise<CopyResult> {
  const batch = opts.batchSize ?? 1000;
  await assertDistinct(from, to);
  const src = raw(from.handle);
  const sourceVersion = await readSchemaVersion(src);
  if (!sourceVersion || sourceVersion.migrations === 0) {
    throw new DbToolRefused('the source has no migration history: it is not a database of this bot (or it was never started)');
  }
  const target = await prepareTarget(to, opts.replace ?? false);
  if (!sameVersion(sourceVersion, target.version)) {
    throw new DbToolRefused(
      `schema versions differ: the source is at ${describeVersion(sourceVersion)}, the target at ${describeVersion(target.version)}; ` +
        'migrate the older one first (npm run db:migrate with its DATABASE_URL); nothing was written',
    );
  }
  const sourceCatalog = await readCatalog(src);
  compareTables('the source', sourceCatalog.tables, target.catalog.tables);
  // The target's catalog decides the column types used in the casts and the order of the tables.
  const tables = target.catalog.tables;
  const dst = raw(to.handle);

  const sent = new Map<string, TableSummary>();
  await src.tx('read', async (s) => {
    const sourceSequences = (await readCatalog(s)).sequences;
    await dst.tx('write', async (d) => {
      if (target.replaced.length > 0) await emptyTables(d, tables);
      else await assertStillEmpty(d, tables);
      for (const t of tables) {
        const insert = rowInserter(t);
        const digest = new TableDigest(t.columns.map((col) => col.name));
        for await (const rows of readRows(s, t, batch)) {
          await insert(d, rows);
          for (const r of rows) digest.add(r);
        }
        sent.set(t.name, { rows: digest.rows, checksum: digest.checksum });
      }
      await resetSequences(d, target.catalog.sequences, sourceSequences);
      await verifyTables(d, tables, sent, batch);
    });
  });

  const result: TableResult[] = [];
  for (const t of tables) {
    const rows = await countRows(dst, t.name);
    const want = sent.get(t.name)!;
    if (rows !== want.rows) throw new Error(`after the commit ${t.name} has ${rows} rows in the target, expected ${want.rows}`);
    result.push({ table: t.name, rows, checksum: want.checksum });
  }
  return { version: target.version, tables: result, replaced: target.replaced, migrated: target.migrated };
}

/** Per-table summaries of a whole database (tests and the upgrade check use it). */
export async function summariseDatabase(h: DbHandle, batchSize = 1000): Promise<Map<string, TableSummary & { columns: string[] }>> {
  const db = raw(h);
  return db.tx('read', async (c) => {
    const out = new Map<string, TableSummary & { columns: string[] }>();
    for (const t of (await readCatalog(c)).tables) {
      out.set(t.name, { ...(await summarise(c, t, batchSize)), columns: t.columns.map((col) => col.name) });
    }
    return out;
  });
}

/** Summaries of one table over the given columns only (the upgrade check compares the columns that existed before). */
export async function summariseColumns(h: DbHandle, table: string, columns: string[], batchSize = 1000): Promise<TableSummary> {
  const db = raw(h);
  return db.tx('read', async (c) => {
    const t = (await readCatalog(c)).tables.find((x) => x.name === table);
    if (!t) throw new Error(`no table ${table}`);
    const cols = columns.map((n) => {
      const col = t.columns.find((x) => x.name === n);
      if (!col) throw new Error(`no column ${table}.${n}`);
      return col;
    });
    return summarise(c, t, batchSize, cols);
  });
}

/** The raw connection of a handle, for the backup module. */
export function rawDb(h: DbHandle): RawDb {
  return raw(h);
}
