// Footprint of the real entry, `src/main.ts`, run as `npm start` runs it (Node with the tsx loader), on its
// defaults (emulator mode, scheduler on, demo data loaded into the empty database): the time from spawn to the
// first 200 on /healthz, and the resident set size once it has started and sat idle for a few seconds. Cold
// PGlite (a fresh folder: initdb, migrations, demo data) and PostgreSQL (a fresh database).
//
// Floor: bench/lib/floor-server.ts — the same loader, the same database opened on the same URL, a bare Hono
// /healthz. A third, informative line runs main.ts bundled by esbuild on plain Node (no tsx) on PostgreSQL.
// The RSS during the fan-out comes from the fan-out bench (the same main.ts, sending 3,000 cards).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPgDatabase,
  dropPgDatabase,
  freePort,
  MB,
  median,
  REPO,
  rssOf,
  runTs,
  sleep,
  waitFor200,
  type Bench,
  type NodeProcess,
  type Row,
} from './lib/common.js';

const IDLE_MS = 5000;

interface Start {
  startMs: number;
  idleRss: number;
}

/** Spawns, times the first 200 on /healthz, lets it idle, samples RSS, stops it. */
async function measureStart(spawnIt: (port: number) => NodeProcess): Promise<Start> {
  const port = await freePort();
  const t0 = performance.now();
  const proc = spawnIt(port);
  try {
    const at = await waitFor200(`http://127.0.0.1:${port}/healthz`, { timeoutMs: 120_000, everyMs: 10, exited: proc.exited });
    await sleep(IDLE_MS);
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      samples.push(rssOf(proc.pid) ?? 0);
      await sleep(200);
    }
    return { startMs: at - t0, idleRss: median(samples)! };
  } catch (err) {
    throw new Error(`${String(err)}\n${proc.output().slice(-2000)}`, { cause: err });
  } finally {
    await proc.stop();
  }
}

/** main.ts as one ESM bundle (packages left external) placed so that its relative paths (db/migrations) resolve. */
async function bundleMain(dir: string): Promise<string | null> {
  const esbuild = join(REPO, 'node_modules', '.bin', 'esbuild');
  if (!existsSync(esbuild)) return null;
  mkdirSync(join(dir, 'src', 'store'), { recursive: true });
  symlinkSync(join(REPO, 'db'), join(dir, 'db'));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  const out = join(dir, 'src', 'store', 'main.mjs');
  return new Promise<string | null>((resolve) => {
    const p = spawn(
      esbuild,
      [
        join(REPO, 'src/main.ts'),
        '--bundle',
        '--platform=node',
        '--format=esm',
        '--packages=external',
        `--outfile=${out}`,
        '--log-level=error',
      ],
      {
        stdio: 'ignore',
      },
    );
    p.on('exit', (code) => resolve(code === 0 ? out : null));
  });
}

export const footprint: Bench = async (ctx) => {
  const rows: Row[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'zb-bench-footprint-'));
  const mainEnv = (db: string, port: number) => ({
    DATABASE_URL: db,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    LARK_MODE: '',
    LARK_APP_ID: '',
  });
  try {
    // Cold PGlite: a fresh folder for each process.
    let n = 0;
    const folder = () => join(tmp, `pglite-${n++}`);
    const liteFloor = await measureStart((port) => runTs('bench/lib/floor-server.ts', { DATABASE_URL: folder(), PORT: String(port) }));
    const liteBot = await measureStart((port) => runTs('src/main.ts', mainEnv(folder(), port)));
    ctx.log(
      `  PGlite: floor ${liteFloor.startMs.toFixed(0)} ms / ${(liteFloor.idleRss / MB).toFixed(0)} MB; main.ts ${liteBot.startMs.toFixed(0)} ms / ${(liteBot.idleRss / MB).toFixed(0)} MB`,
    );

    // PostgreSQL: a fresh database for each process.
    const pgUrls: string[] = [];
    const freshPg = async (label: string) => {
      const u = await createPgDatabase(ctx.pgUrl, label);
      pgUrls.push(u);
      return u;
    };
    let pgFloor: Start;
    let pgBot: Start;
    let bundled: Start | null = null;
    try {
      const u1 = await freshPg('foot_floor');
      pgFloor = await measureStart((port) => runTs('bench/lib/floor-server.ts', { DATABASE_URL: u1, PORT: String(port) }));
      const u2 = await freshPg('foot_main');
      pgBot = await measureStart((port) => runTs('src/main.ts', mainEnv(u2, port)));
      const out = await bundleMain(join(tmp, 'bundle'));
      if (out) {
        const u3 = await freshPg('foot_bundle');
        bundled = await measureStart((port) => {
          const child = spawn(process.execPath, [out], {
            cwd: REPO,
            env: { ...process.env, ...mainEnv(u3, port) },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let text = '';
          child.stdout.on('data', (d) => (text += String(d)));
          child.stderr.on('data', (d) => (text += String(d)));
          const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
          return {
            child,
            pid: child.pid!,
            output: () => text,
            exited,
            async stop() {
              if (child.exitCode !== null || child.signalCode !== null) return;
              child.kill('SIGTERM');
              const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
              await exited;
              clearTimeout(timer);
            },
          };
        });
      }
    } finally {
      for (const u of pgUrls) await dropPgDatabase(ctx.pgUrl, u);
    }
    ctx.log(
      `  PostgreSQL: floor ${pgFloor.startMs.toFixed(0)} ms / ${(pgFloor.idleRss / MB).toFixed(0)} MB; main.ts ${pgBot.startMs.toFixed(0)} ms / ${(pgBot.idleRss / MB).toFixed(0)} MB` +
        (bundled ? `; bundled, no tsx: ${bundled.startMs.toFixed(0)} ms / ${(bundled.idleRss / MB).toFixed(0)} MB` : ''),
    );

    const floorLabel = 'node + tsx + the same database open + bare Hono /healthz';
    rows.push(
      {
        bench: 'footprint',
        case: 'start-up to 200 on /healthz: cold PGlite (fresh folder)',
        value: liteBot.startMs,
        unit: 'ms',
        floor: liteFloor.startMs,
        floorLabel,
        ratio: liteBot.startMs / liteFloor.startMs,
        note: 'main.ts: initdb, migrations, demo data, emulator, scheduler',
      },
      {
        bench: 'footprint',
        case: 'idle RSS after start: PGlite',
        value: liteBot.idleRss / MB,
        unit: 'MB',
        floor: liteFloor.idleRss / MB,
        ratio: liteBot.idleRss / liteFloor.idleRss,
        target: '≤ 200 MB',
        ok: liteBot.idleRss / MB <= 200,
      },
      {
        bench: 'footprint',
        case: 'start-up to 200 on /healthz: PostgreSQL (fresh database)',
        value: pgBot.startMs,
        unit: 'ms',
        floor: pgFloor.startMs,
        ratio: pgBot.startMs / pgFloor.startMs,
      },
      {
        bench: 'footprint',
        case: 'idle RSS after start: PostgreSQL',
        value: pgBot.idleRss / MB,
        unit: 'MB',
        floor: pgFloor.idleRss / MB,
        ratio: pgBot.idleRss / pgFloor.idleRss,
        target: '≤ 200 MB',
        ok: pgBot.idleRss / MB <= 200,
      },
    );
    if (bundled) {
      rows.push({
        bench: 'footprint',
        case: 'idle RSS after start: PostgreSQL, main.ts bundled, plain node (no tsx)',
        value: bundled.idleRss / MB,
        unit: 'MB',
        floor: pgFloor.idleRss / MB,
        ratio: bundled.idleRss / pgFloor.idleRss,
        note: `informative: what a build step would give; start-up ${bundled.startMs.toFixed(0)} ms`,
      });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (!ctx.results.some((r) => r.bench === 'footprint' && r.case.startsWith('RSS during the fan-out'))) {
    rows.push({
      bench: 'footprint',
      case: 'RSS during the fan-out',
      value: null,
      unit: 'MB',
      note: 'measured by the fanout bench: run `npm run bench -- fanout footprint`',
    });
  }
  return rows;
};
