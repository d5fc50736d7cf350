/**
 * The real entry (`src/main.ts`) as a child process in webhook mode against an emulator that runs here, in the
 * test: so the test can SIGKILL the bot at any point and start it again on the same database while the emulator
 * (Lark) keeps what the bot sent. The database is a PostgreSQL database of its own under TEST_DATABASE_URL, or
 * an embedded one in a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { EMULATOR_CREDENTIALS } from '../../src/config.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { demoDirectory } from '../../db/seed/directory.js';
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

export interface KillableBot {
  emulator: Emulator;
  databaseUrl: string;
  /** Starts the bot (again); resolves once it serves. */
  start(extraEnv?: Record<string, string>): Promise<void>;
  /** SIGKILL: no shutdown, nothing flushed. */
  kill(): Promise<void>;
  /** Everything the bot processes printed, across restarts. */
  output(): string;
  close(): Promise<void>;
}

export async function killableBot(env: Record<string, string> = {}): Promise<KillableBot> {
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
  const databaseUrl = TEST_PG_URL ? await createDatabase(TEST_PG_URL, 'zb_kill') : join(dir, 'pglite');
  let bot: ReturnType<typeof spawnBot> | undefined;
  let log = '';
  const self: KillableBot = {
    emulator,
    databaseUrl,
    async start(extraEnv = {}) {
      bot = spawnBot({
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
        ...env,
        ...extraEnv,
      });
      await bot.started;
    },
    async kill() {
      if (!bot) return;
      bot.child.kill('SIGKILL');
      await bot.exited;
      log += bot.output();
      bot = undefined;
    },
    output: () => log + (bot?.output() ?? ''),
    async close() {
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
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}
