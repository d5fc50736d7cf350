/**
 * Long-connection harness: the emulator with ws delivery on a real port (its socket on the same port), clients
 * that are the real SDK `WSClient` with the SDK's own `EventDispatcher`, and raw clients that speak the frames
 * by hand — to withhold answers, send garbage, or read exactly what the emulator sends.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import * as lark from '@larksuiteoapi/node-sdk';
import WebSocket from 'ws';
import { createEmulator, type Emulator, type EmulatorOptions, type LongConnectionOptions } from '../../src/emulator/index.js';
import { decodeFrame, encodeFrame, type Frame } from '../../src/emulator/long-connection/frame.js';
import { CHATS, USERS } from './harness.js';

export const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

export interface WsRig {
  emu: Emulator;
  url: string;
  appId: string;
  appSecret: string;
  /** an SDK client of this app talking to the emulator's Open API (to post cards as the bot) */
  api: lark.Client;
  close(): Promise<void>;
}

export async function wsRig(longConnection: LongConnectionOptions = {}, extra: Partial<EmulatorOptions> = {}): Promise<WsRig> {
  // the SDK's WSClient.start() silently does nothing for an app id not of the form cli_ + 16 hex digits
  const appId = `cli_${randomBytes(8).toString('hex')}`;
  const appSecret = `secret-${randomBytes(6).toString('hex')}`;
  const emu = createEmulator({
    appId,
    appSecret,
    encryptKey: 'unused-with-ws',
    verificationToken: 'unused-with-ws',
    delivery: 'ws',
    directory: { users: USERS, chats: CHATS },
    longConnection: { pingIntervalSeconds: 1, reconnectIntervalSeconds: 0.05, reconnectNonceSeconds: 0, ...longConnection },
    ...extra,
  });
  const { server, port } = await new Promise<{ server: Server; port: number }>((resolve) => {
    const s = serve({ fetch: emu.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({ server: s as Server, port: info.port }),
    );
  });
  emu.attach(server);
  const url = `http://127.0.0.1:${port}`;
  const api = new lark.Client({ appId, appSecret, domain: url, logger: quiet });
  return {
    emu,
    url,
    appId,
    appSecret,
    api,
    close: async () => {
      emu.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export type Handlers = Record<string, (data: any) => unknown>;

/** The SDK's WSClient with the SDK's EventDispatcher: resolves once the socket is open (onReady). */
export async function sdkClient(
  r: Pick<WsRig, 'url' | 'appId' | 'appSecret'>,
  handlers: Handlers,
  opts: { appSecret?: string } = {},
): Promise<{ client: lark.WSClient; error?: Error; stop(): void }> {
  let ready!: (e?: Error) => void;
  const opened = new Promise<Error | undefined>((resolve) => (ready = resolve));
  const client = new lark.WSClient({
    appId: r.appId,
    appSecret: opts.appSecret ?? r.appSecret,
    domain: r.url,
    logger: quiet,
    loggerLevel: lark.LoggerLevel.error,
    onReady: () => ready(),
    onError: (e: Error) => ready(e),
  });
  const dispatcher = new lark.EventDispatcher({ logger: quiet, loggerLevel: lark.LoggerLevel.error }).register(handlers as never);
  await client.start({ eventDispatcher: dispatcher });
  const error = await opened;
  return { client, ...(error ? { error } : {}), stop: () => client.close({ force: true }) };
}

export async function endpoint(r: Pick<WsRig, 'url'>, body: unknown): Promise<any> {
  const res = await fetch(`${r.url}/callback/ws/endpoint`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, ...((await res.json()) as object) };
}

/** A client that speaks frames by hand. It answers nothing unless told to. */
export interface RawClient {
  ws: WebSocket;
  url: string;
  serviceId: number;
  frames: Frame[];
  ping(): void;
  /** waits for `n` data frames in all */
  dataFrames(n: number, timeoutMs?: number): Promise<Frame[]>;
  answer(frame: Frame, payload: unknown): void;
  close(): void;
}

export async function rawClient(r: Pick<WsRig, 'url' | 'appId' | 'appSecret'>, opts: { ping?: boolean } = {}): Promise<RawClient> {
  const ep = await endpoint(r, { AppID: r.appId, AppSecret: r.appSecret });
  if (ep.code !== 0) throw new Error(`endpoint refused: ${JSON.stringify(ep)}`);
  const url: string = ep.data.URL;
  const serviceId = Number(new URL(url).searchParams.get('service_id'));
  const ws = new WebSocket(url);
  const frames: Frame[] = [];
  ws.on('message', (d: Buffer) => frames.push(decodeFrame(new Uint8Array(d))));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const c: RawClient = {
    ws,
    url,
    serviceId,
    frames,
    ping: () => ws.send(encodeFrame({ SeqID: 0, LogID: 0, service: serviceId, method: 0, headers: [{ key: 'type', value: 'ping' }] })),
    async dataFrames(n, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const data = frames.filter((f) => f.method === 1);
        if (data.length >= n) return data;
        if (Date.now() > until) throw new Error(`raw client: ${data.length} of ${n} data frames`);
        await new Promise((res) => setTimeout(res, 10));
      }
    },
    answer(frame, payload) {
      ws.send(
        encodeFrame({
          ...frame,
          headers: [...frame.headers, { key: 'biz_rt', value: '1' }],
          payload: new TextEncoder().encode(typeof payload === 'string' ? payload : JSON.stringify(payload)),
        }),
      );
    },
    close: () => ws.terminate(),
  };
  if (opts.ping !== false) c.ping();
  return c;
}

export const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64');

export function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() > end) return reject(new Error('condition not met in time'));
      setTimeout(tick, 10);
    };
    tick();
  });
}
