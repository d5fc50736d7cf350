/**
 * The emulator on a real port, for tests that drive our Lark client (the real SDK) over HTTP.
 * Each server gets its own app id, so nothing cached per app id can leak between tests.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createEmulator, type EmuChat, type Emulator, type EmulatorOptions, type EmuUser } from '../../src/emulator/index.js';

/** 60 people (ou_p00…ou_p59, mobiles 1390000xxxx) and one group holding 120 members of whom 60 are real. */
export const PEOPLE: EmuUser[] = Array.from({ length: 60 }, (_, i) => {
  const n = String(i).padStart(2, '0');
  return { open_id: `ou_p${n}`, name: `干部${n}`, mobile: `139000000${n}`, email: `p${n}@gov.example.cn` };
});

export const GROUP = 'oc_tuijin';
export const CHATS: EmuChat[] = [
  { chat_id: GROUP, name: '招商推进群', members: PEOPLE.map((p) => p.open_id) },
  { chat_id: 'oc_outside', name: '机器人不在的群', members: ['ou_p00'], botIn: false },
];

export interface EmuServer {
  emulator: Emulator;
  url: string;
  appId: string;
  appSecret: string;
  close(): Promise<void>;
}

export async function startEmulator(extra: Partial<EmulatorOptions> = {}): Promise<EmuServer> {
  const appId = `cli_${randomBytes(6).toString('hex')}`;
  const appSecret = `secret-${randomBytes(6).toString('hex')}`;
  const emulator = createEmulator({
    appId,
    appSecret,
    encryptKey: 'test-encrypt-key',
    verificationToken: 'test-verification-token',
    // these tests never deliver events to a bot
    botWebhookUrl: 'http://127.0.0.1:9/lark/events',
    directory: { users: PEOPLE, chats: CHATS },
    ...extra,
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: emulator.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        emulator,
        url: `http://127.0.0.1:${info.port}`,
        appId,
        appSecret,
        close: () =>
          new Promise<void>((r) => {
            // keep-alive sockets of the client would hold close() open
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}

/** Open API calls of one endpoint, oldest first. */
export function callsTo(emulator: Emulator, method: string, path: string | RegExp) {
  return emulator.calls.filter((c) => c.method === method && (typeof path === 'string' ? c.path === path : path.test(c.path)));
}
