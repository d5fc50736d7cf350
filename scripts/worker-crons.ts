/*
 * The Cron Triggers wrangler.toml must list: every job's cron (src/jobs, in BOT_TIMEZONE) converted to UTC and
 * merged, plus the outbox sweep.
 *
 *   npx tsx scripts/worker-crons.ts           prints each job's UTC crons and the `crons = [...]` line
 *   npx tsx scripts/worker-crons.ts --check   exits 1 when wrangler.toml's list differs
 *
 * test/workers/crons.test.ts runs the same check.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { allJobs } from '../src/jobs/index.js';
import { OUTBOX_SWEEP_CRON, toUtcCrons, workerCrons } from '../src/jobs/cron.js';

export const WRANGLER_TOML = fileURLToPath(new URL('../wrangler.toml', import.meta.url));

/** The body of a `[section]` of a TOML file (up to the next header). Enough for our own wrangler.toml. */
function section(toml: string, name: string): string {
  const lines = toml.split('\n');
  const start = lines.findIndex((l) => l.trim() === `[${name}]`);
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && /^\s*\[/.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** `[triggers] crons = [...]` */
export function tomlCrons(toml: string): string[] {
  const m = /^\s*crons\s*=\s*\[([^\]]*)\]/m.exec(section(toml, 'triggers'));
  if (!m) return [];
  return [...m[1]!.matchAll(/"([^"]*)"/g)].map((x) => x[1]!);
}

/** A string under `[vars]`. */
export function tomlVar(toml: string, name: string): string | undefined {
  const m = new RegExp(`^\\s*${name}\\s*=\\s*"([^"]*)"`, 'm').exec(section(toml, 'vars'));
  return m?.[1];
}

export function timeZoneOf(toml: string): string {
  return tomlVar(toml, 'BOT_TIMEZONE') ?? 'Asia/Shanghai';
}

export function expectedCrons(timeZone: string): string[] {
  return workerCrons(
    allJobs().map((j) => j.cron),
    timeZone,
    [OUTBOX_SWEEP_CRON],
  );
}

function main(args: string[]): number {
  const toml = readFileSync(WRANGLER_TOML, 'utf8');
  const tz = timeZoneOf(toml);
  const expected = expectedCrons(tz);
  const actual = tomlCrons(toml);
  if (args.includes('--check')) {
    const same = JSON.stringify([...expected].sort()) === JSON.stringify([...actual].sort());
    if (!same) {
      console.error(
        `wrangler.toml [triggers] crons = ${JSON.stringify(actual)}\nexpected for the jobs in ${tz}: ${JSON.stringify(expected)}`,
      );
      return 1;
    }
    console.log(`wrangler.toml crons match the jobs (${tz})`);
    return 0;
  }
  for (const j of allJobs()) console.log(`${j.name.padEnd(20)} ${j.cron.padEnd(12)} (${tz}) → ${toUtcCrons(j.cron, tz).join(', ')} (UTC)`);
  console.log(`${'outbox sweep'.padEnd(20)} ${OUTBOX_SWEEP_CRON}`);
  console.log(`\n[triggers]\ncrons = ${JSON.stringify(expected).replaceAll('","', '", "')}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(main(process.argv.slice(2)));
