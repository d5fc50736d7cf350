/**
 * `npm start` as a new user runs it: no configuration but a fresh data folder. The process migrates the
 * embedded database, loads the demo data, answers /healthz with 200, serves the console, and exits 0 on SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnBot } from '../helpers/spawn-bot.js';

describe('npm start on the embedded defaults', () => {
  it('answers /healthz, serves the emulator console, and shuts down cleanly on SIGTERM', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zb-start-'));
    const { child, exited, started, output } = spawnBot({ DATABASE_URL: join(dir, 'pglite'), LARK_APP_ID: '' });
    try {
      const port = await started;
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, checks: { database: { ok: true }, outbox: { ok: true } } });
      expect(output()).toContain('demo data loaded');
      const console = await fetch(`http://127.0.0.1:${port}/emulator`);
      expect(console.status).toBe(200);
      expect(await console.text()).toContain('<html');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output()).toContain('"msg":"stopped"');
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
