/*
 * The backup file: gzip-compressed JSON lines, written and read as streams.
 *
 *   line 1     header  {format: 'zhaoshang-bot-backup', version: 1, createdAt, source, schema, tables, sequences}
 *   then       rows    {t: <table>, r: {<column>: <text form> | null}}, table by table in dependency order
 *   last line  end     {end: true, tables: {<table>: {rows, checksum}}}
 *
 * Values are PostgreSQL's text form, as in the copy (./copy.ts): the restore casts them with the target's own
 * column types, so bigint, numeric, timestamptz, dates, jsonb and arrays come back exactly. The end line makes
 * a file cut at a line boundary detectable; the counts and checksums are checked before the restore commits.
 * The same header lists the tables with their columns and types, and the schema version (drizzle's latest
 * migration), so a file meant for another schema is refused before anything is written.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGzip, createGunzip } from 'node:zlib';
import { z } from 'zod';
import {
  DbToolRefused,
  TableDigest,
  assertStillEmpty,
  compareTables,
  countRows,
  describeVersion,
  emptyTables,
  prepareTarget,
  rawDb,
  readCatalog,
  readRows,
  readSchemaVersion,
  resetSequences,
  rowInserter,
  sameVersion,
  verifyTables,
  type Endpoint,
  type SchemaVersion,
  type TableResult,
  type TableSummary,
  type TextRow,
} from './copy.js';

export const BACKUP_FORMAT = 'zhaoshang-bot-backup';
export const BACKUP_VERSION = 1;

/** A longer line is not a row this bot wrote: refuse it rather than hold it in memory. */
const MAX_LINE = 128 * 1024 * 1024;

const SchemaVersionSchema = z.object({
  migrations: z.number().int().min(0),
  hash: z.string().nullable(),
  createdAt: z.string().nullable(),
  tag: z.string().nullable(),
});

const HeaderSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  createdAt: z.string(),
  source: z.enum(['pglite', 'postgres']),
  schema: SchemaVersionSchema,
  tables: z.array(
    z.object({
      name: z.string().min(1),
      columns: z.array(z.object({ name: z.string().min(1), type: z.string().min(1) })),
      primaryKey: z.array(z.string()),
      rows: z.number().int().min(0),
    }),
  ),
  sequences: z.array(
    z.object({
      name: z.string().min(1),
      lastValue: z
        .string()
        .regex(/^-?\d+$/)
        .nullable(),
    }),
  ),
});
export type BackupHeader = z.infer<typeof HeaderSchema>;

const EndSchema = z.object({
  end: z.literal(true),
  tables: z.record(z.string(), z.object({ rows: z.number().int().min(0), checksum: z.string().regex(/^[0-9a-f]{64}$/) })),
});

export interface BackupResult {
  file: string;
  version: SchemaVersion;
  tables: TableResult[];
  bytes: number;
}

export interface RestoreResult {
  version: SchemaVersion;
  tables: TableResult[];
  replaced: { table: string; rows: number }[];
  migrated: boolean;
  createdAt: string;
}

// ---------------------------------------------------------------------------------------------------------
// Writing

/**
 * Writes the whole database, read in one snapshot, to `file` (through `<file>.partial`, renamed when complete,
 * so a failed backup never leaves a file under the real name).
 */
export async function backupDatabase(from: Endpoint, file: string, opts: { batchSize?: number } = {}): Promise<BackupResult> {
  const batch = opts.batchSize ?? 1000;
  const db = rawDb(from.handle);
  const version = await readSchemaVersion(db);
  if (!version || version.migrations === 0) {
    throw new DbToolRefused('the database has no migration history: it is not a database of this bot (or it was never started)');
  }
  const partial = `${file}.partial`;
  const results: TableResult[] = [];
  let bytes = 0;
  try {
    await db.tx('read', async (c) => {
      const catalog = await readCatalog(c);
      const counts = new Map<string, number>();
      for (const t of catalog.tables) counts.set(t.name, await countRows(c, t.name));
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        createdAt: new Date().toISOString(),
        source: from.handle.kind,
        schema: version,
        tables: catalog.tables.map((t) => ({ name: t.name, columns: t.columns, primaryKey: t.primaryKey, rows: counts.get(t.name)! })),
        sequences: catalog.sequences.map((s) => ({ name: s.name, lastValue: s.lastValue })),
      };
      async function* lines(): AsyncGenerator<string> {
        yield `${JSON.stringify(header)}\n`;
        const end: Record<string, TableSummary> = {};
        for (const t of catalog.tables) {
          const digest = new TableDigest(t.columns.map((col) => col.name));
          for await (const rows of readRows(c, t, batch)) {
            let chunk = '';
            for (const r of rows) {
              digest.add(r);
              chunk += `${JSON.stringify({ t: t.name, r })}\n`;
            }
            yield chunk;
          }
          if (digest.rows !== counts.get(t.name)) {
            throw new Error(`${t.name} changed while it was read (${counts.get(t.name)} rows counted, ${digest.rows} read)`);
          }
          end[t.name] = { rows: digest.rows, checksum: digest.checksum };
          results.push({ table: t.name, rows: digest.rows, checksum: digest.checksum });
        }
        yield `${JSON.stringify({ end: true, tables: end })}\n`;
      }
      const out = createWriteStream(partial);
      await pipeline(Readable.from(lines()), createGzip(), out);
      bytes = out.bytesWritten;
    });
    await rename(partial, file);
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  }
  return { file, version, tables: results, bytes };
}

// ---------------------------------------------------------------------------------------------------------
// Reading

/** The file's lines, decompressed as they are read; a damaged or cut file ends in a DbToolRefused. */
async function* readLines(file: string): AsyncGenerator<string> {
  const input = createReadStream(file);
  const gunzip = createGunzip();
  input.on('error', (e) => gunzip.destroy(e));
  input.pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const parts = (rest + decoder.write(chunk)).split('\n');
      rest = parts.pop()!;
      for (const p of parts) yield p;
      if (rest.length > MAX_LINE)
        throw new DbToolRefused(`the backup file has a line longer than ${MAX_LINE / 1024 / 1024} MiB: it is not a backup of this bot`);
    }
  } catch (e) {
    throw fileError(file, e);
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  rest += decoder.end();
  if (rest.length > 0) throw new DbToolRefused('the backup file is truncated: its last line is incomplete');
}

function fileError(file: string, e: unknown): Error {
  if (e instanceof DbToolRefused) return e;
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return new DbToolRefused(`no such file: ${file}`);
  if (err.code === 'EISDIR') return new DbToolRefused(`${file} is a folder, not a backup file`);
  if (err.code === 'Z_DATA_ERROR') return new DbToolRefused(`the backup file is corrupt: ${err.message} (not a gzip file, or damaged)`);
  if (err.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(err.message ?? '')) {
    return new DbToolRefused('the backup file is truncated: the compressed data ends early');
  }
  return err instanceof Error ? err : new Error(String(e));
}

function parseJson(line: string, n: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new DbToolRefused(`the backup file is corrupt: line ${n} is not JSON`);
  }
}

/** Reads and checks the first line only. */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  const lines = readLines(file);
  try {
    const first = await lines.next();
    if (first.done) throw new DbToolRefused('the backup file is empty');
    return parseHeader(first.value);
  } finally {
    await lines.return(undefined);
  }
}

function parseHeader(line: string): BackupHeader {
  const raw = parseJson(line, 1) as { format?: unknown; version?: unknown };
  if (raw?.format !== BACKUP_FORMAT) throw new DbToolRefused('not a backup of this bot: the first line is not its header');
  if (typeof raw.version === 'number' && raw.version > BACKUP_VERSION) {
    throw new DbToolRefused(
      `the backup file is format ${raw.version}, written by a newer release; this release reads format ${BACKUP_VERSION}`,
    );
  }
  const parsed = HeaderSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DbToolRefused(`the backup header is invalid: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const names = new Set<string>();
  for (const t of parsed.data.tables) {
    if (names.has(t.name)) throw new DbToolRefused(`the backup header lists table ${t.name} twice`);
    names.add(t.name);
  }
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------------------
// Restoring

export interface RestoreOptions {
  /** Overwrite a target holding rows. */
  replace?: boolean;
  /** Rows per insert (default 1000). */
  batchSize?: number;
  /**
   * Migrate an empty target to this code's latest migration first (default true). The upgrade test turns it off
   * to restore an old release's backup into a database built at that release's migration.
   */
  migrate?: boolean;
}

/**
 * Restores `file` into `to` in one transaction: the target must be empty (or `replace`), and at the schema
 * version the file was written at (an empty target is migrated first). Every row is checked against the
 * header, the end line's counts and checksums are checked, and the target is read back and compared before
 * the commit; anything wrong refuses and rolls back, so nothing is written.
 */
export async function restoreDatabase(file: string, to: Endpoint, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const batch = opts.batchSize ?? 1000;
  const header = await readBackupHeader(file);
  const target = await prepareTarget(to, opts.replace ?? false, { migrateEmpty: opts.migrate });
  if (!sameVersion(header.schema, target.version)) {
    throw new DbToolRefused(
      `schema versions differ: the backup is at ${describeVersion(header.schema)}, the target at ${describeVersion(target.version)}; ` +
        'restore it with the release that wrote it, then upgrade; nothing was written',
    );
  }
  compareTables('the backup', header.tables, target.catalog.tables);
  const tables = target.catalog.tables;
  const byName = new Map(tables.map((t) => [t.name, t]));
  const expectedRows = new Map(header.tables.map((t) => [t.name, t.rows]));
  const db = rawDb(to.handle);

  const digests = new Map<string, TableDigest>(tables.map((t) => [t.name, new TableDigest(t.columns.map((col) => col.name))]));
  await db.tx('write', async (c) => {
    if (target.replaced.length > 0) await emptyTables(c, tables);
    else await assertStillEmpty(c, tables);

    let current: string | null = null;
    let buffer: TextRow[] = [];
    const closed = new Set<string>();
    const flush = async () => {
      if (current && buffer.length > 0) await rowInserter(byName.get(current)!)(c, buffer);
      buffer = [];
    };
    let end: z.infer<typeof EndSchema> | null = null;
    let n = 0;
    for await (const line of readLines(file)) {
      n++;
      if (n === 1) continue; // the header, checked above
      if (end) throw new DbToolRefused(`the backup file is corrupt: line ${n} follows the end line`);
      const value = parseJson(line, n) as { t?: unknown; r?: unknown; end?: unknown };
      if (value && typeof value === 'object' && 'end' in value) {
        const parsed = EndSchema.safeParse(value);
        if (!parsed.success) throw new DbToolRefused(`the backup file is corrupt: line ${n} is not a valid end line`);
        end = parsed.data;
        continue;
      }
      const { t, r } = checkRow(value, n, byName);
      if (t !== current) {
        await flush();
        if (closed.has(t)) throw new DbToolRefused(`the backup file is corrupt: rows of ${t} resume at line ${n} after another table's`);
        if (current) closed.add(current);
        current = t;
      }
      buffer.push(r);
      digests.get(t)!.add(r);
      if (buffer.length >= batch) await flush();
    }
    await flush();
    if (n === 0) throw new DbToolRefused('the backup file is empty');
    if (!end) throw new DbToolRefused('the backup file is truncated: its end line is missing');

    for (const t of tables) {
      const got = digests.get(t.name)!;
      const want = end.tables[t.name];
      if (!want) throw new DbToolRefused(`the backup file is corrupt: its end line has no entry for ${t.name}`);
      if (got.rows !== expectedRows.get(t.name) || got.rows !== want.rows) {
        throw new DbToolRefused(
          `the backup file is corrupt: ${t.name} has ${got.rows} rows, its header says ${expectedRows.get(t.name)}, its end line ${want.rows}`,
        );
      }
      if (got.checksum !== want.checksum)
        throw new DbToolRefused(`the backup file is corrupt: the rows of ${t.name} do not match their checksum`);
    }
    for (const name of Object.keys(end.tables)) {
      if (!byName.has(name))
        throw new DbToolRefused(`the backup file is corrupt: its end line names a table ${name} that is not in its header`);
    }
    await resetSequences(c, target.catalog.sequences, header.sequences);
    const sent = new Map<string, TableSummary>([...digests].map(([k, d]) => [k, { rows: d.rows, checksum: d.checksum }]));
    await verifyTables(c, tables, sent, batch);
  });

  const result: TableResult[] = [];
  for (const t of tables) {
    const rows = await countRows(db, t.name);
    const want = digests.get(t.name)!;
    if (rows !== want.rows) throw new Error(`after the commit ${t.name} has ${rows} rows, expected ${want.rows}`);
    result.push({ table: t.name, rows, checksum: want.checksum });
  }
  return { version: target.version, tables: result, replaced: target.replaced, migrated: target.migrated, createdAt: header.createdAt };
}

/** One row line, checked against the target's tables: known table, exactly its columns, text or null values. */
function checkRow(value: { t?: unknown; r?: unknown } | null, n: number, tables: Map<string, { columns: { name: string }[] }>) {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new DbToolRefused(`the backup file is corrupt: line ${n} is not a row`);
  const { t, r } = value;
  if (typeof t !== 'string' || !r || typeof r !== 'object' || Array.isArray(r) || Object.keys(value).length !== 2) {
    throw new DbToolRefused(`the backup file is corrupt: line ${n} is not a row ({t, r})`);
  }
  const table = tables.get(t);
  if (!table)
    throw new DbToolRefused(
      `the backup file is corrupt: line ${n} is a row of ${JSON.stringify(t).slice(0, 80)}, a table not in its header`,
    );
  const row = r as Record<string, unknown>;
  const keys = Object.keys(row);
  if (keys.length !== table.columns.length || table.columns.some((col) => !Object.hasOwn(row, col.name))) {
    const extra = keys.find((k) => !table.columns.some((col) => col.name === k));
    const missing = table.columns.find((col) => !Object.hasOwn(row, col.name));
    const what = extra !== undefined ? `an unknown column ${JSON.stringify(extra).slice(0, 80)}` : `no column ${missing?.name}`;
    throw new DbToolRefused(`the backup file is corrupt: line ${n} (${t}) has ${what}`);
  }
  for (const k of keys) {
    const v = row[k];
    if (v !== null && typeof v !== 'string')
      throw new DbToolRefused(`the backup file is corrupt: line ${n} (${t}.${k}) is not text or null`);
  }
  return { t, r: row as TextRow };
}
