// `npm run bench [-- <name>…]`: runs the benchmarks (all, or those named: callbacks, fanout, status, footprint),
// prints each result beside its floor measured in the same run, writes bench/results/latest.json and prints a
// Markdown table for the README.
//
//   BENCH_DATABASE_URL  PostgreSQL server to create scratch databases on (default postgres://postgres@127.0.0.1:5432/test)

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { callbacks } from './callbacks.js';
import { fanout } from './fanout.js';
import { footprint } from './footprint.js';
import { REPO, type Bench, type BenchContext, type Row } from './lib/common.js';
import { status } from './status.js';

const BENCHES: Record<string, Bench> = { callbacks, fanout, status, footprint };

const args = process.argv.slice(2).filter((a) => a !== '--');
if (args.includes('--help') || args.includes('-h')) {
  console.log(`usage: npm run bench [-- ${Object.keys(BENCHES).join(' ')}]`);
  process.exit(0);
}
const unknown = args.filter((a) => !(a in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})`);
  process.exit(2);
}
const chosen = args.length > 0 ? Object.keys(BENCHES).filter((n) => args.includes(n)) : Object.keys(BENCHES);

function fmt(v: number | null | undefined, unit = ''): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (Number.isInteger(v)) return unit ? `${v} ${unit}` : String(v);
  const n = Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  return unit ? `${n} ${unit}` : n;
}

const mark = (ok: boolean | null | undefined) => (ok === true ? '✅' : ok === false ? '❌' : '');

function cells(r: Row): string[] {
  return [
    r.bench,
    r.case,
    fmt(r.value, r.unit),
    r.floor === undefined ? '' : fmt(r.floor, r.unit),
    r.ratio === undefined || r.ratio === null ? '' : `${r.ratio.toFixed(2)}×`,
    r.target ?? '',
    mark(r.ok),
  ];
}

const HEAD = ['bench', 'case', 'value', 'floor', 'ratio', 'target', 'ok'];

function textTable(rows: Row[]): string {
  const body = rows.map(cells);
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  const widths = HEAD.map((h, i) => Math.max(width(h), ...body.map((c) => width(c[i]!))));
  const line = (c: string[]) => c.map((s, i) => s + ' '.repeat(widths[i]! - width(s))).join('  ');
  return [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function markdownTable(rows: Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const out = [`| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => '---').join('|')}|`];
  for (const r of rows) out.push(`| ${cells(r).map(esc).join(' | ')} |`);
  const notes = rows.filter((r) => r.note || r.floorLabel);
  if (notes.length > 0) {
    out.push('');
    for (const r of notes)
      out.push(`- ${r.bench} / ${r.case}: ${[r.floorLabel ? `floor = ${r.floorLabel}` : '', r.note ?? ''].filter(Boolean).join('; ')}`);
  }
  return out.join('\n');
}

const ctx: BenchContext = {
  pgUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  log: (msg) => console.log(msg),
  results: [],
};

const started = performance.now();
const timings: Record<string, number> = {};
const failures: Record<string, string> = {};
/** 1-minute load average before → after each bench: other work on the machine shows here. */
const loads: Record<string, string> = {};
for (const name of chosen) {
  const t0 = performance.now();
  const load = loadavg()[0]!.toFixed(1);
  console.log(`\n== ${name} (load average ${load})`);
  try {
    const rows = await BENCHES[name]!(ctx);
    ctx.results.push(...rows);
  } catch (err) {
    failures[name] = err instanceof Error ? (err.stack ?? err.message) : String(err);
    console.error(`bench ${name} failed: ${failures[name]}`);
    ctx.results.push({
      bench: name,
      case: 'failed',
      value: null,
      unit: '',
      ok: false,
      note: String(err instanceof Error ? err.message : err),
    });
  }
  timings[name] = (performance.now() - t0) / 1000;
  loads[name] = `${load} → ${loadavg()[0]!.toFixed(1)}`;
  console.log(`== ${name} took ${timings[name]!.toFixed(0)} s`);
}
const totalS = (performance.now() - started) / 1000;
// Group by bench in the suite's order (the fan-out bench reports one footprint line).
const order = Object.keys(BENCHES);
ctx.results.sort((a, b) => order.indexOf(a.bench) - order.indexOf(b.bench));

console.log(`\n${textTable(ctx.results)}\n`);
const perBench = Object.entries(timings)
  .map(([n, s]) => `${n} ${s.toFixed(0)} s (load ${loads[n]})`)
  .join(', ');
console.log(`total ${totalS.toFixed(0)} s: ${perBench}`);

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const md = `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}; ${totalS.toFixed(0)} s in all: ${perBench}.\n\n${markdownTable(ctx.results)}`;
console.log(`\n--- Markdown (bench/README.md) ---\n\n${md}\n`);

const dir = join(REPO, 'bench', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, 'latest.json'),
  JSON.stringify(
    { at: new Date().toISOString(), machine, totalSeconds: totalS, seconds: timings, loadAverage: loads, failures, rows: ctx.results },
    null,
    2,
  ),
);
writeFileSync(join(dir, 'latest.md'), `${md}\n`);
console.log(`wrote bench/results/latest.json and latest.md`);
process.exit(Object.keys(failures).length > 0 ? 1 : 0);
