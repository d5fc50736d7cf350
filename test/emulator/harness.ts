/**
 * Test harness: the emulator on a real port, a tiny bot on another, and the real SDK pointed at the emulator.
 * The tiny bot checks every delivery with src/lark/crypto.ts the way the real intake must.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import * as lark from '@larksuiteoapi/node-sdk';
import { Hono } from 'hono';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { decryptEvent, verifySignature } from '../../src/lark/crypto.js';

export const ENCRYPT_KEY = 'test-encrypt-key-招商';
export const VERIFICATION_TOKEN = 'test-verification-token';

export const USERS = [
  { open_id: 'ou_zhang', user_id: 'u_zhang', name: '张三', mobile: '13800000001', email: 'zhangsan@gov.example.cn' },
  { open_id: 'ou_li', user_id: 'u_li', name: '李四', mobile: '+86 138-0000-0002', email: 'lisi@gov.example.cn' },
  { open_id: 'ou_wang', name: '王五', mobile: '13800000003' },
];
export const CHATS = [
  { chat_id: 'oc_mechanism', name: '市招商机制群', members: ['ou_zhang', 'ou_li', 'ou_wang'] },
  { chat_id: 'oc_chain', name: '新能源产业链工作群', members: ['ou_zhang', 'ou_li'], botIn: false },
];

export async function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((r) => {
            // keep-alive sockets (the SDK's, the browser's) would hold close() open
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}

export interface Received {
  envelope: Record<string, any>;
  headers: Record<string, string>;
  rawBody: string;
}

export type CardAnswer = (envelope: Record<string, any>) => unknown | Promise<unknown>;

/** A bot that only checks and records what it gets; card callbacks are answered by `onCard`. */
export function tinyBot() {
  const received: Received[] = [];
  const rejected: { reason: string; headers: Record<string, string>; rawBody: string }[] = [];
  const state: { onCard: CardAnswer; delayMs: number } = { onCard: () => ({}), delayMs: 0 };
  const app = new Hono();
  app.post('/lark/events', async (c) => {
    const rawBody = await c.req.text();
    const headers = c.req.header();
    const reject = (reason: string) => {
      rejected.push({ reason, headers, rawBody });
      return c.json({ error: reason }, 401);
    };
    let outer: Record<string, any>;
    try {
      outer = JSON.parse(rawBody);
    } catch {
      return reject('not json');
    }
    let envelope: Record<string, any>;
    try {
      envelope = typeof outer['encrypt'] === 'string' ? JSON.parse(decryptEvent(ENCRYPT_KEY, outer['encrypt'])) : outer;
    } catch {
      return reject('cannot decrypt');
    }
    if (envelope['type'] === 'url_verification') {
      if (envelope['token'] !== VERIFICATION_TOKEN) return reject('bad token');
      return c.json({ challenge: envelope['challenge'] });
    }
    const ts = headers['x-lark-request-timestamp'] ?? '';
    if (!verifySignature(ts, headers['x-lark-request-nonce'] ?? '', ENCRYPT_KEY, rawBody, headers['x-lark-signature'])) {
      return reject('bad signature');
    }
    if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return reject('stale timestamp');
    if (envelope['header']?.['token'] !== VERIFICATION_TOKEN) return reject('bad token');
    received.push({ envelope, headers, rawBody });
    if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
    if (envelope['header']?.['event_type'] === 'card.action.trigger') return c.json((await state.onCard(envelope)) ?? {});
    return c.json({});
  });
  return { app, received, rejected, state };
}

export interface Rig {
  emu: Emulator;
  emuUrl: string;
  bot: ReturnType<typeof tinyBot>;
  botUrl: string;
  client: lark.Client;
  appId: string;
  close: () => Promise<void>;
}

/** Emulator + tiny bot + SDK client. Each rig has its own appId, so the SDK's process-wide token cache never mixes rigs. */
export async function rig(extra: Partial<EmulatorOptions> = {}): Promise<Rig> {
  const bot = tinyBot();
  const botServer = await listen(bot.app.fetch);
  const appId = `cli_${randomBytes(6).toString('hex')}`;
  const emu = createEmulator({
    appId,
    appSecret: 'secret',
    encryptKey: ENCRYPT_KEY,
    verificationToken: VERIFICATION_TOKEN,
    botWebhookUrl: `${botServer.url}/lark/events`,
    directory: { users: USERS, chats: CHATS },
    botName: '招商助手',
    ...extra,
  });
  const emuServer = await listen(emu.app.fetch);
  const client = new lark.Client({
    appId,
    appSecret: 'secret',
    domain: emuServer.url,
    disableTokenCache: false,
    // failures are asserted on, not logged
    logger: { error() {}, warn() {}, info() {}, debug() {}, trace() {} },
  });
  return {
    emu,
    emuUrl: emuServer.url,
    bot,
    botUrl: botServer.url,
    client,
    appId,
    close: async () => {
      await Promise.all([emuServer.close(), botServer.close()]);
    },
  };
}

/** the answer of a failed SDK call (the SDK rethrows axios errors) */
export async function failure(p: Promise<unknown>): Promise<{ status: number; headers: Record<string, string>; data: any }> {
  try {
    await p;
  } catch (e: any) {
    if (e?.response) return { status: e.response.status, headers: e.response.headers, data: e.response.data };
    throw e;
  }
  throw new Error('expected the call to fail');
}

export const text = (t: string) => JSON.stringify({ text: t });
