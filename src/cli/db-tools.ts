/*
 * npm run db:copy    -- --from <pglite folder | postgres url> --to <postgres url | pglite folder> [--replace]
 * npm run db:backup  -- <file.jsonl.gz> [--db <url>]
 * npm run db:restore -- <file.jsonl.gz> [--db <url>] [--replace]
 *
 * Moves a whole database between PGlite and PostgreSQL, and writes or restores a portable backup file (see
 * src/store/copy.ts and src/store/backup.ts). --db defaults to DATABASE_URL (default ./data/pglite). Stop the bot
 * first when it uses an embedded database: a PGlite folder belongs to one process at a time.
 *
 * Exit status: 0 done, 1 refused or failed (no rows were written), 2 wrong usage.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { isPostgresUrl, openDb, type DbHandle } from '../store/db.js';
import { DbToolRefused, copyDatabase, describeEndpoint, describeVersion, type Endpoint, type TableResult } from '../store/copy.js';
import { backupDatabase, readBackupHeader, restoreDatabase } from '../store/backup.js';

const USAGE = [
  'usage: npm run db:copy -- --from <pglite folder | postgres://…> --to <postgres://… | pglite folder> [--replace]',
  '       npm run db:backup -- <file.jsonl.gz> [--db <url>]',
  '       npm run db:restore -- <file.jsonl.gz> [--db <url>] [--replace]',
];

class Usage extends Error {}

interface Args {
  positional: string[];
  options: Map<string, string>;
  flags: Set<string>;
}

function parseArgs(argv: string[], withValue: string[], flags: string[]): Args {
  const out: Args = { positional: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') continue;
    if (withValue.includes(a)) {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Usage(`${a} needs a value`);
      out.options.set(a, v);
    } else if (flags.includes(a)) out.flags.add(a);
    else if (a.startsWith('--')) throw new Usage(`unknown option ${a}`);
    else out.positional.push(a);
  }
  return out;
}

function defaultUrl(): string {
  return loadConfig({ ...process.env, SCHEDULER: 'off' }).databaseUrl;
}

function batchOf(args: Args): number | undefined {
  const v = args.options.get('--batch');
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Usage('--batch must be a positive integer');
  return n;
}

/** A source must exist: opening a missing PGlite folder would create an empty database there. */
function assertSourceExists(url: string): void {
  if (isPostgresUrl(url) || url.startsWith('memory://')) return;
  const dir = url.replace(/^file:\/\//, '');
  if (!existsSync(join(dir, 'PG_VERSION'))) throw new DbToolRefused(`no PGlite database in ${dir}`);
}

const folderOf = (url: string) => resolve(url.replace(/^file:\/\//, ''));

const opened: DbHandle[] = [];
async function open(url: string): Promise<Endpoint> {
  const handle = await openDb(url, { max: 2 });
  opened.push(handle);
  return { url, handle };
}

function printTables(tables: TableResult[]): number {
  const width = Math.max(...tables.map((t) => t.table.length), 5);
  let total = 0;
  // By name, for reading; they were written in foreign-key order.
  for (const t of [...tables].sort((a, b) => (a.table < b.table ? -1 : 1))) {
    console.log(`  ${t.table.padEnd(width)}  ${String(t.rows).padStart(8)} rows  checksum ${t.checksum.slice(0, 16)}`);
    total += t.rows;
  }
  return total;
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function copy(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['--from', '--to', '--batch'], ['--replace']);
  const from = args.options.get('--from');
  const to = args.options.get('--to');
  if (!from || !to || args.positional.length > 0) throw new Usage('db:copy needs --from and --to');
  const batchSize = batchOf(args);
  const started = Date.now();
  assertSourceExists(from);
  // Checked again after opening (copyDatabase); a PGlite folder must not even be opened twice.
  if (!isPostgresUrl(from) && !isPostgresUrl(to) && folderOf(from) === folderOf(to)) {
    throw new DbToolRefused('the source and the target are the same database');
  }
  console.log(`copying ${describeEndpoint(from)} → ${describeEndpoint(to)}`);
  const result = await copyDatabase(await open(from), await open(to), { replace: args.flags.has('--replace'), batchSize });
  if (result.migrated) console.log('the target was empty: migrated it first');
  if (result.replaced.length > 0) console.log(`replaced the target's ${result.replaced.reduce((n, r) => n + r.rows, 0)} rows (--replace)`);
  console.log(`schema ${describeVersion(result.version)} on both`);
  const total = printTables(result.tables);
  console.log(`copied ${total} rows in ${result.tables.length} tables in ${seconds(started)}; counts and checksums verified`);
  return 0;
}

async function backup(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['--db', '--batch'], []);
  if (args.positional.length !== 1) throw new Usage('db:backup needs one file');
  const file = args.positional[0]!;
  const url = args.options.get('--db') ?? defaultUrl();
  const started = Date.now();
  assertSourceExists(url);
  console.log(`backing up ${describeEndpoint(url)} → ${file}`);
  const result = await backupDatabase(await open(url), file, { batchSize: batchOf(args) });
  console.log(`schema ${describeVersion(result.version)}`);
  const total = printTables(result.tables);
  console.log(
    `wrote ${total} rows of ${result.tables.length} tables to ${file} (${(result.bytes / 1024).toFixed(0)} KiB) in ${seconds(started)}`,
  );
  return 0;
}

async function restore(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['--db', '--batch'], ['--replace']);
  if (args.positional.length !== 1) throw new Usage('db:restore needs one file');
  const file = args.positional[0]!;
  const url = args.options.get('--db') ?? defaultUrl();
  const started = Date.now();
  if (!existsSync(file)) throw new DbToolRefused(`no such file: ${file}`);
  // Checked before the database is opened: a file that is not a backup must not create an empty PGlite folder.
  await readBackupHeader(file);
  console.log(`restoring ${file} → ${describeEndpoint(url)}`);
  const result = await restoreDatabase(file, await open(url), { replace: args.flags.has('--replace'), batchSize: batchOf(args) });
  if (result.migrated) console.log('the target was empty: migrated it first');
  if (result.replaced.length > 0) console.log(`replaced the target's ${result.replaced.reduce((n, r) => n + r.rows, 0)} rows (--replace)`);
  console.log(`backup of ${result.createdAt}, schema ${describeVersion(result.version)}`);
  const total = printTables(result.tables);
  console.log(`restored ${total} rows in ${result.tables.length} tables in ${seconds(started)}; counts and checksums verified`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === 'copy') return await copy(rest);
    if (cmd === 'backup') return await backup(rest);
    if (cmd === 'restore') return await restore(rest);
    throw new Usage(cmd ? `unknown command ${cmd}` : 'no command');
  } catch (e) {
    if (e instanceof Usage) {
      console.error(e.message);
      for (const line of USAGE) console.error(line);
      return 2;
    }
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    let message = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
    if (message.length > 400) message = `${message.slice(0, 400)}…`;
    if (e instanceof DbToolRefused) console.error(`refused: ${message}`);
    else console.error(`failed: ${message}; ${cmd === 'backup' ? 'no backup file was written' : "the target's rows were not changed"}`);
    return 1;
  } finally {
    for (const h of opened) await h.close().catch(() => {});
  }
}

process.exitCode = await main(process.argv.slice(2));
