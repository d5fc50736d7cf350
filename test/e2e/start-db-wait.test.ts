/**
 * Started before its PostgreSQL answers (a reboot, services started out of order), the bot waits with capped
 * backoff, one log line per attempt, and /healthz says 503 with the reason; once the database answers it
 * starts as usual. The database "comes up" when the test opens a TCP forwarder on the port the bot was given.
 */
import { spawn } from 'node:child_process';
import { createServer, connect, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createDatabase, dropPostgresDatabase, onPostgres, TEST_PG_URL } from '../helpers/db.js';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (check()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(timer);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 50);
  });
}

describe.skipIf(!onPostgres)('start-up before PostgreSQL answers', () => {
  it('waits, reports 503 with the reason, then starts when the database appears', { timeout: 120_000 }, async () => {
    const real = new URL(await createDatabase(TEST_PG_URL!));
    const port = await freePort();
    const late = new URL(real.href);
    late.hostname = '127.0.0.1';
    late.port = String(port);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: late.href,
        PORT: '0',
        LOG_LEVEL: 'info',
        CI: '',
        LARK_APP_ID: '',
        SEED_DEMO: 'no',
        SCHEDULER: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let forwarder: Server | undefined;
    try {
      await until(() => /"port":\d+.*listening/.test(out), 'the listening line');
      const httpPort = Number(/"port":(\d+).*listening/.exec(out)![1]);
      await until(() => (out.match(/database not reachable yet/g) ?? []).length >= 2, 'two retry lines');
      expect(out).not.toMatch(/\n\s+at /); // a reason per line, not a stack trace
      const waiting = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
      expect(waiting.status).toBe(503);
      expect(((await waiting.json()) as { error: string }).error).toMatch(/^database: /);

      forwarder = createServer((socket) => {
        const upstream = connect(Number(real.port || 5432), real.hostname);
        socket.pipe(upstream).pipe(socket);
        upstream.on('error', () => socket.destroy());
        socket.on('error', () => upstream.destroy());
      });
      await new Promise<void>((r) => forwarder!.listen(port, '127.0.0.1', () => r()));

      await until(() => out.includes('zhaoshang-bot started'), 'start-up once the database answers');
      const ready = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
      expect(ready.status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      forwarder?.close();
      await dropPostgresDatabase(TEST_PG_URL!, real.href);
    }
  });
});
