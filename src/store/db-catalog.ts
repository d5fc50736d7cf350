/*
 * The database as the copy and backup tools see it (./copy.ts, ./backup.ts): raw SQL over either driver with
 * session settings pinned so both format values alike, the catalog (tables, columns, keys, foreign keys,
 * sequences, read from PostgreSQL itself) and drizzle's schema version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite, Transaction as PgliteTx } from '@electric-sql/pglite';
import type { Sql } from 'postgres';
import { MIGRATIONS_FOLDER, type DbHandle } from './db.js';

// ---------------------------------------------------------------------------------------------------------
// Raw SQL over either driver

/** Values are strings or null (the text form); parameters are always cast from text in the SQL. */
export type TextRow = Record<string, string | null>;

export interface Conn {
  query<T = TextRow>(text: string, params?: (string | null)[]): Promise<T[]>;
}

/** Pins how values are written as text, so the text read from one database means the same in another. */
export const SESSION_SETTINGS = [
  `set local timezone = 'UTC'`,
  `set local datestyle = 'ISO, YMD'`,
  `set local intervalstyle = 'postgres'`,
  `set local extra_float_digits = 3`,
  `set local bytea_output = 'hex'`,
];

export interface RawDb {
  query: Conn['query'];
  /** A transaction with SESSION_SETTINGS applied: `read` is a repeatable-read, read-only snapshot. */
  tx<T>(mode: 'read' | 'write', fn: (c: Conn) => Promise<T>): Promise<T>;
}

export function raw(handle: DbHandle): RawDb {
  const client = (handle.db as unknown as { $client: unknown }).$client;
  const settle = async (c: Conn) => {
    for (const s of SESSION_SETTINGS) await c.query(s);
  };
  if (handle.kind === 'pglite') {
    const pg = client as PGlite;
    const wrap = (q: PGlite | PgliteTx): Conn => ({
      query: async <T>(text: string, params?: (string | null)[]) => (await q.query<T>(text, params ?? [])).rows,
    });
    return {
      query: wrap(pg).query,
      tx: (mode, fn) =>
        pg.transaction(async (t) => {
          const c = wrap(t);
          if (mode === 'read') await c.query('set transaction isolation level repeatable read, read only');
          await settle(c);
          return fn(c);
        }),
    };
  }
  const sql = client as Sql;
  const wrap = (q: Sql): Conn => ({
    query: async <T>(text: string, params?: (string | null)[]) => (await q.unsafe(text, params ?? [])) as unknown as T[],
  });
  return {
    query: wrap(sql).query,
    tx: async <T>(mode: 'read' | 'write', fn: (c: Conn) => Promise<T>) =>
      (await sql.begin(mode === 'read' ? 'isolation level repeatable read read only' : 'read write', async (t) => {
        const c = wrap(t as unknown as Sql);
        await settle(c);
        return fn(c);
      })) as T,
  };
}

export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const qualified = (table: string) => `"public".${ident(table)}`;

// ---------------------------------------------------------------------------------------------------------
// The catalog

export interface ColumnInfo {
  name: string;
  /** format_type(): e.g. `integer`, `role[]`, `timestamp with time zone`, `numeric(12,2)`. */
  type: string;
}

export interface TableInfo {
  name: string;
  /** Every stored column (generated columns are left out: the target computes them), in the table's order. */
  columns: ColumnInfo[];
  /** Primary-key columns in key order; empty when the table has none (then rows are walked by ctid). */
  primaryKey: string[];
  /** True when some column is GENERATED ALWAYS AS IDENTITY: inserts then need OVERRIDING SYSTEM VALUE. */
  identityAlways: boolean;
}

export interface SequenceInfo {
  name: string;
  startValue: string;
  /** null until the sequence has been used (or when not readable). */
  lastValue: string | null;
  owner: { table: string; column: string } | null;
}

export interface Catalog {
  /** In dependency order: a table comes after every table its foreign keys point to. */
  tables: TableInfo[];
  sequences: SequenceInfo[];
  /** Tables in a foreign-key cycle (other than a self-reference), if any: their order cannot satisfy every key. */
  cycles: string[];
}

export async function readCatalog(c: Conn): Promise<Catalog> {
  const cols = await c.query<{ tbl: string; col: string; type: string; identity: string; generated: string }>(
    `select c.relname as tbl, a.attname as col, format_type(a.atttypid, a.atttypmod) as type,
            a.attidentity::text as identity, a.attgenerated::text as generated
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
        and a.attnum > 0 and not a.attisdropped
      order by c.relname, a.attnum`,
  );
  const pks = await c.query<{ tbl: string; col: string }>(
    `select c.relname as tbl, a.attname as col
       from pg_constraint k
       join pg_class c on c.oid = k.conrelid
       join pg_namespace n on n.oid = c.relnamespace
       cross join lateral unnest(k.conkey) with ordinality as u(attnum, ord)
       join pg_attribute a on a.attrelid = c.oid and a.attnum = u.attnum
      where n.nspname = 'public' and k.contype = 'p'
      order by c.relname, u.ord`,
  );
  const fks = await c.query<{ child: string; parent: string }>(
    `select c.relname as child, p.relname as parent
       from pg_constraint k
       join pg_class c on c.oid = k.conrelid
       join pg_class p on p.oid = k.confrelid
       join pg_namespace n on n.oid = c.relnamespace
       join pg_namespace pn on pn.oid = p.relnamespace
      where n.nspname = 'public' and pn.nspname = 'public' and k.contype = 'f'`,
  );
  const seqs = await c.query<{ name: string; start: string; last: string | null; tbl: string | null; col: string | null }>(
    `select s.sequencename as name, s.start_value::text as start, s.last_value::text as last,
            t.relname as tbl, a.attname as col
       from pg_sequences s
       join pg_class c on c.relname = s.sequencename and c.relkind = 'S'
       join pg_namespace n on n.oid = c.relnamespace and n.nspname = s.schemaname
       left join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = c.oid
                            and d.deptype in ('a', 'i') and d.refobjsubid > 0
       left join pg_class t on t.oid = d.refobjid
       left join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
      where s.schemaname = 'public'
      order by s.sequencename`,
  );

  const byName = new Map<string, TableInfo>();
  for (const r of cols) {
    let t = byName.get(r.tbl);
    if (!t) byName.set(r.tbl, (t = { name: r.tbl, columns: [], primaryKey: [], identityAlways: false }));
    if (r.generated !== '') continue;
    t.columns.push({ name: r.col, type: r.type });
    if (r.identity === 'a') t.identityAlways = true;
  }
  for (const r of pks) byName.get(r.tbl)?.primaryKey.push(r.col);
  const { order, cycles } = dependencyOrder(
    [...byName.keys()],
    fks.map((f) => [f.child, f.parent] as const),
  );
  return {
    tables: order.map((n) => byName.get(n)!),
    sequences: seqs.map((s) => ({
      name: s.name,
      startValue: s.start,
      lastValue: s.last,
      owner: s.tbl && s.col ? { table: s.tbl, column: s.col } : null,
    })),
    cycles,
  };
}

/**
 * Kahn's algorithm, ties by name so the order is stable: parents before children. Self-references do not
 * constrain the order (the rows go in primary-key order). Tables in a cycle are appended last, by name.
 */
export function dependencyOrder(tables: string[], edges: (readonly [child: string, parent: string])[]) {
  const names = new Set(tables);
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set()]));
  for (const [child, parent] of edges) {
    if (child !== parent && names.has(child) && names.has(parent)) parents.get(child)!.add(parent);
  }
  const order: string[] = [];
  const done = new Set<string>();
  for (;;) {
    const ready = tables
      .filter((t) => !done.has(t) && [...parents.get(t)!].every((p) => done.has(p)))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (ready.length === 0) break;
    // One at a time, so a table freed by this one still sorts by name among the rest.
    order.push(ready[0]!);
    done.add(ready[0]!);
  }
  const cycles = tables.filter((t) => !done.has(t)).sort();
  return { order: [...order, ...cycles], cycles };
}

// ---------------------------------------------------------------------------------------------------------
// The schema version: drizzle's own bookkeeping

export interface SchemaVersion {
  /** How many migrations are recorded in drizzle.__drizzle_migrations. */
  migrations: number;
  /** The latest one's hash (sha256 of its SQL file) and created_at (the journal's `when`), as text. */
  hash: string | null;
  createdAt: string | null;
  /** The journal's tag for that migration (`0000_init`), when this code knows it. */
  tag: string | null;
}

export interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

export function readJournal(folder = MIGRATIONS_FOLDER): JournalEntry[] {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] };
  return journal.entries;
}

/** null when the database has no migration history at all. */
export async function readSchemaVersion(c: Conn): Promise<SchemaVersion | null> {
  const [present] = await c.query<{ ok: boolean | string }>(`select to_regclass('drizzle.__drizzle_migrations') is not null as ok`);
  if (present?.ok !== true && present?.ok !== 't') return null;
  const rows = await c.query<{ hash: string; created_at: string | null }>(
    `select hash, created_at::text as created_at from drizzle.__drizzle_migrations order by created_at, id`,
  );
  const last = rows.at(-1);
  const tag = last?.created_at ? (readJournal().find((e) => String(e.when) === last.created_at)?.tag ?? null) : null;
  return { migrations: rows.length, hash: last?.hash ?? null, createdAt: last?.created_at ?? null, tag };
}

export function sameVersion(a: SchemaVersion, b: SchemaVersion): boolean {
  return a.migrations === b.migrations && a.hash === b.hash && a.createdAt === b.createdAt;
}

export function describeVersion(v: SchemaVersion | null): string {
  if (!v || v.migrations === 0) return 'no migrations';
  const name = v.tag ?? `an unknown migration (hash ${v.hash?.slice(0, 12)}…, created_at ${v.createdAt})`;
  return `${name} (${v.migrations} migration${v.migrations === 1 ? '' : 's'})`;
}
