/**
 * `npm start` as a new user runs it: no configuration but a fresh data folder. The process migrates the
 * embedded database, loads the demo data, answers /healthz with 200, serves the console, and exits 0 on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npm start on the embedded defaults', () => {
  it('answers /healthz, serves the emulator console, and shuts down cleanly on SIGTERM', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zb-start-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, DATABASE_URL: join(dir, 'pglite'), PORT: '0', LOG_LEVEL: 'info', CI: '', LARK_APP_ID: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /"port":(\d+).*zhaoshang-bot started/.exec(out);
          if (m) {
            clearInterval(timer);
            resolve(Number(m[1]));
          }
        }, 100);
        void exited.then(() => reject(new Error(`exited early:\n${out}`)));
      });
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });
      expect(out).toContain('demo data loaded');
      const console = await fetch(`http://127.0.0.1:${port}/emulator`);
      expect(console.status).toBe(200);
      expect(await console.text()).toContain('<html');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).toContain('"msg":"stopped"');
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
