/**
 * Webhook delivery over a connection the bot's server resets: once (the keep-alive race a busy machine
 * produces) the emulator tries again on a fresh socket; every time, the bot is unreachable (502).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/index.js';
import { CHATS, USERS } from './harness.js';

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => (s.closeAllConnections(), s.close(r)))));
  servers = [];
});

/** A bot that resets the connection of the first `resets` requests and answers 200 {} afterwards. */
async function resettingBot(resets: number) {
  let seen = 0;
  const server = createServer((req, res) => {
    seen++;
    if (seen <= resets) {
      req.socket.destroy();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end('{}');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lark/events`;
  const emu = createEmulator({
    appId: 'cli_x',
    appSecret: 's',
    encryptKey: 'k',
    verificationToken: 't',
    botWebhookUrl: url,
    directory: { users: USERS, chats: CHATS },
  });
  return { emu, seen: () => seen };
}

describe('webhook delivery on a reset connection', () => {
  it('works: a connection reset once is retried on a fresh socket, and the bot sees the event twice at most', async () => {
    const b = await resettingBot(1);
    const res = await b.emu.sendText('ou_zhang', '帮助');
    expect(res.status).toBe(200);
    expect(b.seen()).toBe(2);
    expect(b.emu.events.map((e) => e.status)).toEqual([200]);
  });

  it('refused: a bot that resets every connection is unreachable (502), after one retry only', async () => {
    const b = await resettingBot(Infinity);
    const res = await b.emu.sendText('ou_zhang', '帮助');
    expect(res.status).toBe(502);
    expect(res.headers.get('x-emulator-error')).toContain('bot unreachable');
    expect(b.seen()).toBe(2);
  });
});
