/**
 * The real entry (`src/main.ts`) as a child process in webhook mode against an emulator that runs here, in the
 * test: so the test can SIGKILL the bot at any point and start it again on the same database while the emulator
 * (Lark) keeps what the bot sent. The database is a PostgreSQL database of its own under TEST_DATABASE_URL, or
 * an embedded one in a temporary folder.
 *
 * The entry is bundled once (scripts/build.ts, as `npm run build` does) and each start runs the bundle on plain
 * node, as `npm run start:prod` does: a start through the tsx loader transforms the sources again every time,
 * which made most of the fault test's twenty restarts. So does `npm run job` (`src/cli/job.ts`), bundled the
 * same way, which the test may SIGKILL as well.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { EMULATOR_CREDENTIALS } from '../../src/config.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { demoDirectory } from '../../db/seed/directory.js';
import { buildDist, REPO } from '../../scripts/build.js';
import { createDatabase, dropPostgresDatabase, TEST_PG_URL } from './db.js';
import { spawnBot } from './spawn-bot.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A child process the test may SIGKILL (`npm run job -- run …`). */
export interface KillableProcess {
  child: ChildProcess;
  /** exit code, null when killed */
  exited: Promise<number | null>;
  output(): string;
}

export interface KillableBot {
  emulator: Emulator;
  databaseUrl: string;
  /** The bot's own address (http://127.0.0.1:port), for /healthz. */
  url: string;
  /** Starts the bot (again); resolves once it serves. */
  start(extraEnv?: Record<string, string>): Promise<void>;
  /** SIGKILL: no shutdown, nothing flushed. */
  kill(): Promise<void>;
  /** SIGTERM: the bot finishes what it holds, stops its sender and closes the database; resolves on exit. */
  stop(): Promise<void>;
  /** Whether a bot process is up. */
  running(): boolean;
  /**
   * `npm run job -- run <name> --at <at>` on the bot's database and Lark (the bundled CLI, as a child process):
   * the same environment as the bot's. On PGlite it must not overlap a running bot (one process per folder).
   */
  job(name: string, at: string, extraEnv?: Record<string, string>): KillableProcess;
  /** Everything the bot processes printed, across restarts. */
  output(): string;
  close(): Promise<void>;
}

/** The bundles of src/main.ts and src/cli/job.ts in a folder that plays the package root (node_modules beside). */
async function buildBundles(root: string): Promise<{ main: string; job: string }> {
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  // buildDist empties its output folder: one folder per entry, each with the migrations beside its bundle.
  const [main, job] = await Promise.all([
    buildDist({ outdir: join(root, 'main') }),
    buildDist({ outdir: join(root, 'job'), entry: 'src/cli/job.ts', name: 'job.mjs' }),
  ]);
  return { main: main.bundle, job: job.bundle };
}

/**
 * The bot runs as the production bundle (what `npm run start:prod` runs); `opts.bundled: false` runs src/main.ts
 * through tsx instead. (The bundle starts within a killed handler's inbox lease, which once left a redelivered
 * message unanswered: see the dispatcher's `held` admission and the start-up recheck.)
 */
export async function killableBot(env: Record<string, string> = {}, opts: { bundled?: boolean } = {}): Promise<KillableBot> {
  const port = await freePort();
  const emulator = createEmulator({
    ...EMULATOR_CREDENTIALS,
    botWebhookUrl: `http://127.0.0.1:${port}/lark/events`,
    directory: demoDirectory(),
  });
  const emuServer: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: emulator.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const larkUrl = `http://127.0.0.1:${(emuServer.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'zb-kill-'));
  const bundles = await buildBundles(dir);
  const databaseUrl = TEST_PG_URL ? await createDatabase(TEST_PG_URL, 'zb_kill') : join(dir, 'pglite');
  const baseEnv = {
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    LARK_MODE: 'webhook',
    LARK_APP_ID: EMULATOR_CREDENTIALS.appId,
    LARK_APP_SECRET: EMULATOR_CREDENTIALS.appSecret,
    LARK_ENCRYPT_KEY: EMULATOR_CREDENTIALS.encryptKey,
    LARK_VERIFICATION_TOKEN: EMULATOR_CREDENTIALS.verificationToken,
    LARK_DOMAIN: larkUrl,
    SEED_DEMO: 'yes',
    SCHEDULER: 'off',
    INBOX_LEASE_MS: '1000',
    INBOX_SWEEP_MS: '250',
    JOB_LEASE_MS: '1000',
    // a killed sender's claimed replies go out 2 s later, not after the production minute
    OUTBOX_LEASE_MS: process.env.FAULT_OUTBOX_LEASE_MS ?? '2000',
    ...env,
  };
  let bot: ReturnType<typeof spawnBot> | undefined;
  let log = '';
  const jobs = new Set<ChildProcess>();
  const self: KillableBot = {
    emulator,
    databaseUrl,
    url: `http://127.0.0.1:${port}`,
    async start(extraEnv = {}) {
      bot = spawnBot({ ...baseEnv, ...extraEnv }, opts.bundled === false ? {} : { bundle: bundles.main });
      await bot.started;
    },
    async kill() {
      if (!bot) return;
      bot.child.kill('SIGKILL');
      await bot.exited;
      log += bot.output();
      bot = undefined;
    },
    async stop() {
      if (!bot) return;
      bot.child.kill('SIGTERM');
      await bot.exited;
      log += bot.output();
      bot = undefined;
    },
    running: () => bot !== undefined,
    job(name, at, extraEnv = {}) {
      const child = spawn(process.execPath, [bundles.job, 'run', name, '--at', at], {
        env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', CI: '', ...baseEnv, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      jobs.add(child);
      let out = '';
      child.stdout.on('data', (d) => (out += String(d)));
      child.stderr.on('data', (d) => (out += String(d)));
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => {
          jobs.delete(child);
          resolve(code);
        }),
      );
      return { child, exited, output: () => out };
    },
    output: () => log + (bot?.output() ?? ''),
    async close() {
      for (const j of jobs) j.kill('SIGKILL');
      await self.kill();
      (emuServer as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((r) => emuServer.close(() => r()));
      if (TEST_PG_URL) await dropPostgresDatabase(TEST_PG_URL, databaseUrl);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return self;
}

/** Polls `check` until it holds or `ms` pass; returns whether it held. */
export async function eventually(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}
