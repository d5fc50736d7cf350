// Ledger import at scale: a 50,000-row 项目 sheet (plus the city's units, people and chains), streamed from a file.
//
//   npx tsx bench/ledger-import.ts [rows] [database url]
//
// Defaults: 50000 rows, an in-memory PGlite. With a postgres:// URL it creates a scratch database next to the one
// named (and drops it afterwards), so it never touches existing data. Prints the time of each phase (write the
// file, read, plan, apply, re-plan as all same) and the peak heap and RSS, sampled every 50 ms.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { isPostgresUrl, migrate, openDb } from '../src/store/db.js';
import { readWorkbook } from '../src/ledger/read.js';
import { applyImport, planImport } from '../src/ledger/import.js';
import { bigProjectRows, realisticLedger, xlsxFile } from '../test/ledger/fixture.js';

const rows = Number(process.argv[2] ?? 50_000);
const baseUrl = process.argv[3] ?? 'memory://';

async function admin(sqlText: string): Promise<void> {
  const client = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await client.unsafe(sqlText);
  } finally {
    await client.end({ timeout: 5 });
  }
}
const scratch = `zb_bench_${process.pid}`;
let url = baseUrl;
if (isPostgresUrl(baseUrl)) {
  await admin(`create database ${scratch}`);
  const u = new URL(baseUrl);
  u.pathname = `/${scratch}`;
  url = u.toString();
}

let peakHeap = 0;
let peakRss = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakRss = Math.max(peakRss, m.rss);
}, 50);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  console.log(`${label.padEnd(28)} ${((performance.now() - t0) / 1000).toFixed(2)} s   heap ${mb(process.memoryUsage().heapUsed)}`);
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
const file = join(dir, 'big.xlsx');
const handle = await openDb(url, { max: 2 });
try {
  await migrate(url, handle);
  const city = realisticLedger(0).sheets;
  await timed(`write ${rows} rows`, () =>
    xlsxFile(file, { 单位: city['单位']!, 人员: city['人员']!, 产业链: city['产业链']!, 项目: bigProjectRows(rows) }),
  );
  console.log(`file size                    ${mb(statSync(file).size)}`);
  peakHeap = 0;
  peakRss = 0;
  const wb = await timed('read (stream + validate)', () => readWorkbook(file));
  const plan = await timed('plan', () => planImport(handle.db, wb, 'operator'));
  if (plan.errors.length > 0) throw new Error(`unexpected errors: ${JSON.stringify(plan.errors.slice(0, 3))}`);
  const result = await timed('apply (one transaction)', () => applyImport(handle.db, plan));
  console.log(`imported                     ${result.added} records`);
  const again = await timed('re-read + re-plan', async () => planImport(handle.db, await readWorkbook(file), 'operator'));
  console.log(`re-import counts             ${JSON.stringify(again.counts.projects)}`);
  const n = await handle.db.execute(sql`select count(*)::int as n from projects`);
  console.log(`projects in database         ${JSON.stringify((n as unknown as { rows?: unknown[] }).rows ?? n)}`);
  console.log(`peak heap ${mb(peakHeap)}, peak RSS ${mb(peakRss)} (read → apply)`);
} finally {
  clearInterval(sampler);
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
  if (url !== baseUrl) await admin(`drop database if exists ${scratch} with (force)`);
}
