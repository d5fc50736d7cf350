import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import * as s from '../../db/schema.js';
import { backupDatabase, readBackupHeader, restoreDatabase } from '../../src/store/backup.js';
import { DbToolRefused, type Endpoint } from '../../src/store/copy.js';
import { exportWorkbook } from '../../src/ledger/export.js';
import type { Db } from '../../src/store/db.js';
import { onPostgres } from '../helpers/db.js';
import {
  createExoticTables,
  databases,
  exoticRows,
  LATEST,
  LATEST_TEXT,
  NEXT_COUNT_TEXT,
  nextExoticId,
  rowCounts,
  seedAll,
  snapshot,
} from './helpers.js';

const dbs = databases();
let dir: string;
let source: Endpoint;
let file: string;
let before: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zb-backup-'));
  source = await dbs.any();
  await seedAll(source.handle.db);
  before = await snapshot(source.handle.db);
  file = join(dir, 'demo.jsonl.gz');
  await backupDatabase(source, file, { batchSize: 50 });
}, 120_000);
afterAll(async () => {
  await dbs.closeAll();
  await rm(dir, { recursive: true, force: true });
});

const isEmpty = async (e: Endpoint) => Object.values(await rowCounts(e.handle.db)).every((n) => n === 0);

/** The export an admin downloads, as cell values per sheet (the file's bytes carry a creation time). */
async function exportCells(db: Db): Promise<unknown[][][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await exportWorkbook(db)) as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  });
}

/** Writes a changed copy of the backup file: `edit` gets and returns its lines (without the final newline). */
async function tampered(name: string, edit: (lines: string[]) => string[]): Promise<string> {
  const lines = gunzipSync(await readFile(file))
    .toString('utf8')
    .split('\n');
  expect(lines.pop()).toBe('');
  const out = join(dir, name);
  await writeFile(out, gzipSync(`${edit(lines).join('\n')}\n`));
  return out;
}

describe('backup and restore: works', { timeout: 120_000 }, () => {
  it('writes one gzip JSON-lines file: a header with format, schema version and tables, a line per row, an end line', async () => {
    const lines = gunzipSync(await readFile(file))
      .toString('utf8')
      .trimEnd()
      .split('\n');
    const header = JSON.parse(lines[0]!);
    expect(header).toMatchObject({
      format: 'zhaoshang-bot-backup',
      version: 1,
      source: source.handle.kind,
      schema: { migrations: LATEST.count, tag: LATEST.tag },
    });
    expect(header.schema.hash).toMatch(/^[0-9a-f]{64}$/);
    const people = header.tables.find((t: { name: string }) => t.name === 'people');
    expect(people.columns).toContainEqual({ name: 'roles', type: 'role[]' });
    expect(people.rows).toBe(25);
    const counts = await rowCounts(source.handle.db);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(lines.length).toBe(total + 2);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ end: true, tables: { people: { rows: 25 } } });
    const row = JSON.parse(lines.find((l) => l.includes('"t":"outbox"'))!);
    expect(Object.keys(row)).toEqual(['t', 'r']);
    expect(row.r.id).toBe('1'); // bigint as its text, never a float
    expect(await readBackupHeader(file)).toEqual(header);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });

  it('restores into an empty database: the same rows table by table, and the same .xlsx export', async () => {
    const target = await dbs.pglite({ migrated: false });
    const result = await restoreDatabase(file, target);
    expect(result.migrated).toBe(true);
    expect(result.tables.find((t) => t.table === 'projects')!.rows).toBe(40);
    expect(await snapshot(target.handle.db)).toEqual(before);
    expect(await exportCells(target.handle.db)).toEqual(await exportCells(source.handle.db));
    // Ids continue after the restored ones.
    const [max] = await target.handle.db.select({ n: sql<number>`max(id)::int` }).from(s.projects);
    const [p] = await target.handle.db.insert(s.projects).values({ code: 'NEW', name: '新项目' }).returning();
    expect(p!.id).toBe(max!.n + 1);
  });

  it.skipIf(!onPostgres)('restores a PostgreSQL backup into PostgreSQL too', async () => {
    const target = await dbs.postgres({ migrated: false });
    await restoreDatabase(file, target, { batchSize: 3 });
    expect(await snapshot(target.handle.db)).toEqual(before);
  });

  it('replaces a database holding rows with --replace', async () => {
    const target = await dbs.any();
    await target.handle.db.insert(s.units).values({ code: 'OLD', name: '旧', kind: 'city' });
    const result = await restoreDatabase(file, target, { replace: true });
    expect(result.replaced).toEqual([{ table: 'units', rows: 1 }]);
    expect(await snapshot(target.handle.db)).toEqual(before);
  });

  it('round-trips every type exactly, in a table no code knows (numeric, bigint past 2^53, timestamps, json, arrays, bytea)', async () => {
    const src = await dbs.any();
    await createExoticTables(src.handle.db, true);
    const exotic = join(dir, 'exotic.jsonl.gz');
    await backupDatabase(src, exotic);
    const dst = await dbs.pglite();
    await createExoticTables(dst.handle.db, false);
    await restoreDatabase(exotic, dst);
    expect(await exoticRows(dst.handle.db)).toEqual(await exoticRows(src.handle.db));
    expect(await nextExoticId(dst.handle.db)).toBe('5');
  });
});

describe('backup and restore: refused', { timeout: 60_000 }, () => {
  let empty: Endpoint;
  beforeAll(async () => {
    empty = await dbs.any();
  });

  it('refuses a database holding rows without --replace, and writes nothing', async () => {
    const target = await dbs.any();
    await target.handle.db.insert(s.units).values({ code: 'KEEP', name: '保留', kind: 'city' });
    const keep = await snapshot(target.handle.db);
    await expect(restoreDatabase(file, target)).rejects.toThrow(/target is not empty \(units 1 rows\).*--replace/);
    expect(await snapshot(target.handle.db)).toEqual(keep);
  });

  it('refuses a backup whose header claims another schema version', async () => {
    const other = await tampered('other-version.jsonl.gz', ([h, ...rest]) => {
      const header = JSON.parse(h!);
      header.schema = { migrations: LATEST.count + 1, hash: 'a'.repeat(64), createdAt: '4102444800000', tag: '9999_future' };
      return [JSON.stringify(header), ...rest];
    });
    await expect(restoreDatabase(other, empty)).rejects.toThrow(
      new RegExp(`schema versions differ: the backup is at 9999_future \\(${NEXT_COUNT_TEXT}\\), the target at ${LATEST_TEXT}`),
    );
    expect(await isEmpty(empty)).toBe(true);
  });

  it('refuses a truncated file, wherever it was cut, and writes nothing', async () => {
    const bytes = await readFile(file);
    const cut = join(dir, 'cut.jsonl.gz');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    await expect(restoreDatabase(cut, empty)).rejects.toThrow(/the backup file is truncated: the compressed data ends early/);
    expect(await isEmpty(empty)).toBe(true);

    await writeFile(cut, bytes.subarray(0, bytes.length - 4));
    await expect(restoreDatabase(cut, empty)).rejects.toThrow(/truncated/);
    expect(await isEmpty(empty)).toBe(true);

    // Cut at a line boundary and compressed again: only the missing end line tells.
    const noEnd = await tampered('no-end.jsonl.gz', (lines) => lines.slice(0, -1));
    await expect(restoreDatabase(noEnd, empty)).rejects.toThrow(/the backup file is truncated: its end line is missing/);
    expect(await isEmpty(empty)).toBe(true);

    const fewer = await tampered('fewer.jsonl.gz', (lines) => [...lines.slice(0, -6), lines.at(-1)!]);
    await expect(restoreDatabase(fewer, empty)).rejects.toThrow(
      /the backup file is corrupt: \w+ has \d+ rows, its header says \d+, its end line \d+/,
    );
    expect(await isEmpty(empty)).toBe(true);
  });

  it('refuses what is not a backup: plain text, JSON without the header, a newer format, no file', async () => {
    const plain = join(dir, 'plain.jsonl.gz');
    await writeFile(plain, '{"format":"zhaoshang-bot-backup"}\n');
    await expect(restoreDatabase(plain, empty)).rejects.toThrow(/the backup file is corrupt: .*not a gzip file/);
    await writeFile(plain, gzipSync('{"hello":"world"}\n'));
    await expect(restoreDatabase(plain, empty)).rejects.toThrow(/not a backup of this bot/);
    await writeFile(plain, gzipSync(''));
    await expect(restoreDatabase(plain, empty)).rejects.toThrow(/the backup file is empty/);
    const newer = await tampered('newer.jsonl.gz', ([h, ...rest]) => [JSON.stringify({ ...JSON.parse(h!), version: 2 }), ...rest]);
    await expect(restoreDatabase(newer, empty)).rejects.toThrow(/format 2, written by a newer release/);
    await expect(restoreDatabase(join(dir, 'missing.jsonl.gz'), empty)).rejects.toThrow(/no such file/);
    expect(await isEmpty(empty)).toBe(true);
  });
});

describe('backup and restore: attacked', { timeout: 60_000 }, () => {
  let empty: Endpoint;
  beforeAll(async () => {
    empty = await dbs.any();
  });

  it('refuses a row for a table that is not in the header, writing nothing', async () => {
    const evil = await tampered('evil-table.jsonl.gz', (lines) => [
      ...lines.slice(0, 3),
      JSON.stringify({ t: 'pg_authid', r: { rolname: 'x', rolsuper: 'true' } }),
      ...lines.slice(3),
    ]);
    const err = await restoreDatabase(evil, empty).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DbToolRefused);
    expect(String(err)).toMatch(/line 4 is a row of "pg_authid", a table not in its header/);
    expect(await isEmpty(empty)).toBe(true);
  });

  it('refuses a header whose tables or types differ from the database, never using its types in SQL', async () => {
    const sneaky = await tampered('sneaky-type.jsonl.gz', ([h, ...rest]) => {
      const header = JSON.parse(h!);
      const units = header.tables.find((t: { name: string }) => t.name === 'units');
      units.columns.find((c: { name: string }) => c.name === 'code').type = 'text); drop table people; --';
      return [JSON.stringify(header), ...rest];
    });
    await expect(restoreDatabase(sneaky, empty)).rejects.toThrow(
      /column units.code is text\); drop table people; -- in the backup but text in the target/,
    );
    const extra = await tampered('extra-table.jsonl.gz', ([h, ...rest]) => {
      const header = JSON.parse(h!);
      header.tables.push({ name: 'secrets', columns: [{ name: 'v', type: 'text' }], primaryKey: [], rows: 0 });
      return [JSON.stringify(header), ...rest];
    });
    await expect(restoreDatabase(extra, empty)).rejects.toThrow(/table secrets is missing in the target/);
    expect(await rowCounts(empty.handle.db)).toHaveProperty('people', 0); // the table is still there
  });

  it('refuses rows with an unknown or missing column, or a value that is not text', async () => {
    const edit = (name: string, change: (r: Record<string, unknown>) => void) =>
      tampered(name, (lines) => {
        const i = lines.findIndex((l) => l.includes('"t":"projects"'));
        const row = JSON.parse(lines[i]!);
        change(row.r);
        return [...lines.slice(0, i), JSON.stringify(row), ...lines.slice(i + 1)];
      });
    await expect(restoreDatabase(await edit('unknown-col.jsonl.gz', (r) => (r['owner_id; drop'] = '1')), empty)).rejects.toThrow(
      /\(projects\) has an unknown column "owner_id; drop"/,
    );
    await expect(restoreDatabase(await edit('missing-col.jsonl.gz', (r) => delete r.code), empty)).rejects.toThrow(
      /\(projects\) has no column code/,
    );
    await expect(restoreDatabase(await edit('number.jsonl.gz', (r) => (r.contract_amount_fen = 1.5)), empty)).rejects.toThrow(
      /\(projects.contract_amount_fen\) is not text or null/,
    );
    expect(await isEmpty(empty)).toBe(true);
  });

  it('refuses a value changed behind the checksum, after inserting everything, and rolls it all back', async () => {
    const forged = await tampered('forged.jsonl.gz', (lines) =>
      lines.map((l) =>
        l.includes('"t":"fund_entries"') && l.includes('"id":"1"') ? l.replace(/"amount_fen":"\d+"/, '"amount_fen":"1"') : l,
      ),
    );
    await expect(restoreDatabase(forged, empty)).rejects.toThrow(/the rows of fund_entries do not match their checksum/);
    expect(await isEmpty(empty)).toBe(true);
  });

  it('refuses lines after the end line', async () => {
    const trailing = await tampered('trailing.jsonl.gz', (lines) => [...lines, lines[lines.length - 2]!]);
    await expect(restoreDatabase(trailing, empty)).rejects.toThrow(/line \d+ follows the end line/);
    expect(await isEmpty(empty)).toBe(true);
  });
});
