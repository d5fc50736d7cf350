/**
 * `LARK_MODE=ws npm start` with no app: the process runs the emulator and the bot connected to it over the
 * long connection (the real SDK WSClient, the socket on the same port). A message typed in the console is
 * answered in its chat, and the process still exits 0 on SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnBot } from '../helpers/spawn-bot.js';

const OFFICER = 'ou_demo_wu_lei';

describe('npm start with LARK_MODE=ws and no app', () => {
  it('answers a console message over the long connection, and shuts down cleanly', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zb-start-ws-'));
    const { child, exited, started, output } = spawnBot({
      DATABASE_URL: join(dir, 'pglite'),
      SCHEDULER: 'off',
      LARK_MODE: 'ws',
      LARK_APP_ID: '',
      LARK_APP_SECRET: '',
    });
    try {
      const port = await started;
      expect(output()).toContain('"mode":"ws","emulated":true');
      expect(output()).toContain('lark long connection started');
      const base = `http://127.0.0.1:${port}`;
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, checks: { longConnection: { ok: true, state: 'open' } } });
      const send = await fetch(`${base}/emulator/api/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: OFFICER, text: '帮助' }),
      });
      expect(await send.json()).toMatchObject({ status: 200, delivered: true });
      const convs = (await (await fetch(`${base}/emulator/api/conversations?openId=${OFFICER}`)).json()) as {
        items: { chat_id: string }[];
      };
      const p2p = convs.items[0]!.chat_id;
      await expect
        .poll(
          async () => {
            const r = (await (await fetch(`${base}/emulator/api/messages?chatId=${p2p}`)).json()) as {
              items: { sender: { type: string } }[];
            };
            return r.items.filter((m) => m.sender.type === 'app').length;
          },
          { timeout: 15_000, interval: 200 },
        )
        .toBe(1);
      const debug = (await (await fetch(`${base}/emulator/api/debug`)).json()) as { events: { via: string; status: number }[] };
      expect(debug.events).toEqual([expect.objectContaining({ via: 'ws', status: 200 })]);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output()).toContain('"msg":"stopped"');
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
