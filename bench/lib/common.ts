// Shared pieces of the benchmarks: result rows, PostgreSQL scratch databases, clocks, processes, statistics.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import type { Clock } from '../../src/clock.js';

/** One line of the results table. `value` and `floor` are in `unit`; `ratio` = value / floor. */
export interface Row {
  bench: string;
  case: string;
  value: number | null;
  unit: string;
  floor?: number | null;
  /** what the floor is, shortly */
  floorLabel?: string;
  ratio?: number | null;
  /** human text of the target, e.g. '≤ 1.5× floor' */
  target?: string;
  ok?: boolean | null;
  note?: string;
}

export interface BenchContext {
  /** PostgreSQL server URL (any database on it); scratch databases zb_bench_* are created beside it. */
  pgUrl: string;
  /** print progress */
  log: (msg: string) => void;
  /** what other benches already measured in this run (the footprint bench reads the fan-out's RSS) */
  results: Row[];
}

export type Bench = (ctx: BenchContext) => Promise<Row[]>;

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export function ratio(value: number | null | undefined, floor: number | null | undefined): number | null {
  if (value === null || value === undefined || !floor) return null;
  return value / floor;
}

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL scratch databases

function withDb(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates an empty database `zb_bench_<label>_<pid>` and returns its URL. */
export async function createPgDatabase(baseUrl: string, label: string): Promise<string> {
  const name = `zb_bench_${label}_${process.pid}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return withDb(baseUrl, name);
}

export async function dropPgDatabase(baseUrl: string, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!name.startsWith('zb_bench_')) throw new Error(`refusing to drop ${name}`);
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Time

/** Real time shifted so that it reads `at` when created: business time moves, leases and windows expire. */
export class OffsetClock implements Clock {
  readonly offsetMs: number;
  constructor(at: Date | string | number, offsetMs?: number) {
    this.offsetMs = offsetMs ?? new Date(at).getTime() - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------
// Statistics

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function median(xs: number[]): number | null {
  return percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Processes

/** A free TCP port on the loopback (closed again before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Resident set size of a process in bytes (Linux /proc), or null when it is gone. */
export function rssOf(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export const MB = 1024 * 1024;

export interface NodeProcess {
  child: ChildProcess;
  pid: number;
  /** everything written to stdout and stderr so far */
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs` */
  stop(graceMs?: number): Promise<void>;
}

/** Runs a TypeScript file with Node and the tsx loader (one process, no tsx CLI wrapper: the pid is the bot's). */
export function runTs(file: string, env: Record<string, string | undefined>, args: string[] = []): NodeProcess {
  // BENCH_NODE_ARGS: extra Node flags for the child, e.g. --cpu-prof when looking into a result.
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', file, ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += String(d);
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    pid: child.pid!,
    output: () => out,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls GET url until it answers 200; returns the instant (performance.now()) of the first 200. */
export async function waitFor200(url: string, opts: { timeoutMs: number; everyMs?: number; exited?: Promise<unknown> }): Promise<number> {
  const deadline = performance.now() + opts.timeoutMs;
  let dead = false;
  void opts.exited?.then(() => (dead = true));
  while (performance.now() < deadline) {
    if (dead) throw new Error(`process exited before ${url} answered 200`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await r.arrayBuffer();
      if (r.status === 200) return performance.now();
    } catch {
      // not listening yet
    }
    await sleep(opts.everyMs ?? 20);
  }
  throw new Error(`${url} did not answer 200 within ${opts.timeoutMs} ms`);
}

/** Waits for a child's IPC message matching `pred`. */
export function nextMessage<T>(child: ChildProcess, pred: (m: T) => boolean, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', on);
      reject(new Error('timed out waiting for the child process'));
    }, timeoutMs);
    const on = (m: unknown) => {
      if (pred(m as T)) {
        clearTimeout(timer);
        child.off('message', on);
        resolve(m as T);
      }
    };
    child.on('message', on);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) while we waited for it`));
    });
  });
}
