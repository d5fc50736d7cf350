// Bulk statements for the ledger import, where thousands of rows travel at once. The rows go as one JSON parameter
// expanded by jsonb_to_recordset: on PGlite that is about four times faster than a multi-row VALUES with thousands of
// bound parameters (which also overflows PGlite's message buffer beyond ~1,000 rows of projects), and on PostgreSQL
// it is one round trip per batch. Column names and SQL types come from the schema, so they cannot drift from it.

import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from './db.js';

/** Rows per bulk statement (see above). */
const WRITE_BATCH = 2000;

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The fields of a table, by their names in the schema (camelCase). */
export type Fields<T extends PgTable> = readonly (keyof T['$inferInsert'] & string)[];

export interface Recordset {
  /** `"a", "b"`: the column list of an insert or select. */
  list: string;
  /** `"a" integer, "b" text`: jsonb_to_recordset's column definition list. */
  defs: string;
  /** Column names (snake_case), in the order of the fields. */
  names: string[];
  /** A row of field values → the JSON object jsonb_to_recordset reads (absent values become null). */
  row: (values: Record<string, unknown>) => Record<string, unknown>;
}

/** How the given fields of a table travel through jsonb_to_recordset. Names and types are the schema's, never input. */
export function recordset<T extends PgTable>(table: T, fields: Fields<T>): Recordset {
  const columns = getTableColumns(table) as Record<string, { name: string; getSQLType(): string }>;
  const cols = fields.map((f) => {
    const c = columns[f]!;
    // serial and bigserial exist only in CREATE TABLE; the values are integers.
    const type = c
      .getSQLType()
      .replace(/^bigserial$/, 'bigint')
      .replace(/^serial$/, 'integer');
    return { field: f, name: c.name, type };
  });
  return {
    list: cols.map((c) => `"${c.name}"`).join(', '),
    defs: cols.map((c) => `"${c.name}" ${c.type}`).join(', '),
    names: cols.map((c) => c.name),
    row: (values) => Object.fromEntries(cols.map((c) => [c.name, values[c.field] ?? null])),
  };
}

/** Rows of a raw statement, whichever driver ran it (postgres.js answers an array, PGlite an object with rows). */
export function rowsOf(res: unknown): Record<string, unknown>[] {
  return Array.isArray(res) ? (res as Record<string, unknown>[]) : ((res as { rows?: Record<string, unknown>[] }).rows ?? []);
}

/**
 * insert into table (fields) select … from jsonb_to_recordset($rows) [returning …]. `returning` is SQL of ours (it
 * may format columns so that the caller can match rows by value), never input.
 */
export async function bulkInsert<T extends PgTable>(
  tx: Tx,
  table: T,
  fields: Fields<T>,
  rows: Partial<T['$inferInsert']>[],
  returning?: string,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const rs = recordset(table, fields);
  for (const batch of chunks(rows, WRITE_BATCH)) {
    const json = JSON.stringify(batch.map((r) => rs.row(r as Record<string, unknown>)));
    const res = await tx.execute(
      sql`insert into ${sql.raw(`"${getTableName(table)}"`)} (${sql.raw(rs.list)}) select ${sql.raw(rs.list)} from jsonb_to_recordset(${json}::jsonb) as x(${sql.raw(rs.defs)})${sql.raw(returning ? ` returning ${returning}` : '')}`,
    );
    if (returning) out.push(...rowsOf(res));
  }
  return out;
}

/**
 * update table set fields = x.fields from jsonb_to_recordset($rows) where id = x.id. A field in `keepWhenNull` is
 * set only where the row gives a value; `extra` is SQL of ours appended to the set list (e.g. the update time).
 */
export async function bulkUpdateById<T extends PgTable>(
  tx: Tx,
  table: T,
  fields: Fields<T>,
  rows: (Partial<T['$inferInsert']> & { id: number })[],
  opts: { keepWhenNull?: Fields<T>; extra?: SQL } = {},
): Promise<void> {
  const rs = recordset(table, fields);
  const id = recordset(table, ['id'] as unknown as Fields<T>);
  const keep = new Set(recordset(table, opts.keepWhenNull ?? []).names);
  const sets = rs.names.map((n) => (keep.has(n) ? `"${n}" = coalesce(x."${n}", t."${n}")` : `"${n}" = x."${n}"`)).join(', ');
  for (const batch of chunks(rows, WRITE_BATCH)) {
    const json = JSON.stringify(batch.map((r) => ({ ...id.row(r), ...rs.row(r as Record<string, unknown>) })));
    await tx.execute(
      sql`update ${sql.raw(`"${getTableName(table)}"`)} t set ${sql.raw(sets)}${opts.extra ? sql`, ${opts.extra}` : sql``} from jsonb_to_recordset(${json}::jsonb) as x(${sql.raw(`${id.defs}, ${rs.defs}`)}) where t.id = x.id`,
    );
  }
}
