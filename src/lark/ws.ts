import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../log.js';
import { Envelope, responseForLark } from './events.js';
import type { CardActionResponse } from './events.js';

/**
 * The long-connection transport: no public URL needed. The SDK's EventDispatcher hands each event over as a
 * flat object (header fields merged with the event); we rebuild the schema 2.0 envelope so both transports
 * feed the same dispatcher. The connection is authenticated by the app credentials, so no signature applies.
 *
 * What the SDK's WSClient does that shapes this (node_modules/@larksuiteoapi/node-sdk/lib/index.js):
 *  - `start()` returns before the socket is open (it calls `reConnect(true)` without awaiting it), and refuses
 *    silently — a log line, no error — an app id not of the form `cli_` + 16 hex digits;
 *  - `onReady` fires once the first socket is open; `onError` when it gives up for good (the endpoint refused
 *    the credentials, or ReconnectCount ran out); neither is called for a retryable failure;
 *  - each event is answered with `{code: 200, data: base64(JSON of what the handler returned)}`, or code 500
 *    when the handler threw.
 */
export interface WsTransport {
  /**
   * Connects; resolves once the socket is open, or after `readyWithinMs` with a warning while the SDK keeps
   * trying (an unreachable Lark must not hold up the rest of the start); rejects when Lark refuses the app.
   */
  start(opts?: { readyWithinMs?: number }): Promise<void>;
  stop(): void;
  /** The connection as the SDK's callbacks last reported it, and since when (performance.now() ms): /healthz. */
  state(): { state: WsState; sinceMs: number };
}

/**
 * connecting: started, never open yet (the SDK keeps trying) · open · reconnecting: lost, the SDK is trying again ·
 * failed: the SDK gave up (credentials refused, attempts exhausted) · closed: stopped by us.
 */
export type WsState = 'connecting' | 'open' | 'reconnecting' | 'failed' | 'closed';

/**
 * Every event the bot may be subscribed to is handed to `receive`, like the webhook does: types it does not
 * handle are acknowledged there. The SDK's dispatcher only calls handlers registered by type.
 */
const EVENTS = ['im.message.receive_v1', 'card.action.trigger', 'im.chat.member.bot.added_v1', 'application.bot.menu_v6'] as const;

/** The SDK's WSClient.start() checks this and otherwise does nothing (no error, no callback). */
const APP_ID_RE = /^cli_[0-9a-fA-F]{16}$/;

const HEADER_KEYS = new Set(['event_id', 'create_time', 'app_id', 'tenant_key', 'event_type', 'schema']);

/**
 * Rebuilds the schema 2.0 envelope from the SDK's flat object. That object also carries the SDK's event-type
 * marker under a Symbol key; only string keys are copied (a spread would copy the Symbol too, and the envelope's
 * `z.record(z.string(), …)` refuses it — which once made the bot ignore every event on the long connection).
 * `token` stays in the event: for a card callback it is the card's update token (the event's own field, which
 * the SDK lets override the header's verification token); the long connection needs no verification token.
 */
export function toEnvelope(eventType: string, data: Record<string, unknown>): Envelope | null {
  const event: Record<string, unknown> = {};
  for (const key of Object.keys(data)) {
    if (!HEADER_KEYS.has(key)) event[key] = data[key];
  }
  const str = (v: unknown) => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
  const parsed = Envelope.safeParse({
    schema: '2.0',
    header: {
      event_id: str(data.event_id) ?? '',
      event_type: str(data.event_type) ?? eventType,
      create_time: str(data.create_time),
      app_id: str(data.app_id),
      tenant_key: str(data.tenant_key),
    },
    event,
  });
  return parsed.success ? parsed.data : null;
}

type Receive = (env: Envelope, defer: (label: string, fn: () => Promise<unknown>) => void) => Promise<CardActionResponse | undefined>;

/**
 * The SDK dispatcher the long connection feeds: every event type we handle goes through `toEnvelope` into the
 * same `receive` as the webhook. Exported so tests drive the real SDK's `EventDispatcher.invoke` with the
 * payloads Lark sends.
 */
export function createWsDispatcher(opts: {
  logger: Logger;
  receive: Receive;
  defer: (label: string, fn: () => Promise<unknown>) => void;
}): lark.EventDispatcher {
  const handlers: Record<string, (data: Record<string, unknown>) => Promise<unknown>> = {};
  for (const type of EVENTS) {
    handlers[type] = async (data) => {
      const env = toEnvelope(type, data);
      if (!env) {
        opts.logger.warn({ type }, 'ws event without a valid envelope ignored');
        return {};
      }
      return responseForLark(await opts.receive(env, opts.defer));
    };
  }
  return new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.warn }).register(handlers as never);
}

export function createWsTransport(opts: {
  appId: string;
  appSecret: string;
  domain: string;
  logger: Logger;
  receive: Receive;
  defer: (label: string, fn: () => Promise<unknown>) => void;
}): WsTransport {
  const dispatcher = createWsDispatcher(opts);
  let current: { state: WsState; sinceMs: number } = { state: 'connecting', sinceMs: performance.now() };
  const become = (state: WsState) => {
    if (current.state !== state) current = { state, sinceMs: performance.now() };
  };
  let ready: { resolve(): void; reject(e: Error): void } | undefined;
  const client = new lark.WSClient({
    appId: opts.appId,
    appSecret: opts.appSecret,
    domain: opts.domain,
    loggerLevel: lark.LoggerLevel.info,
    logger: {
      error: (...m: unknown[]) => opts.logger.error({ ws: m }, 'lark ws'),
      warn: (...m: unknown[]) => opts.logger.warn({ ws: m }, 'lark ws'),
      info: (...m: unknown[]) => opts.logger.info({ ws: m }, 'lark ws'),
      debug: (...m: unknown[]) => opts.logger.debug({ ws: m }, 'lark ws'),
      trace: (...m: unknown[]) => opts.logger.trace({ ws: m }, 'lark ws'),
    },
    autoReconnect: true,
    onReady: () => {
      become('open');
      ready?.resolve();
    },
    onError: (err: Error) => {
      become('failed');
      opts.logger.error({ err: err.message }, 'lark long connection gave up');
      ready?.reject(err);
    },
    onReconnecting: () => {
      become('reconnecting');
      opts.logger.warn('lark long connection lost, reconnecting');
    },
    onReconnected: () => {
      become('open');
      opts.logger.info('lark long connection back');
    },
  });
  return {
    async start(o = {}) {
      if (!APP_ID_RE.test(opts.appId)) {
        throw new Error('the long connection needs an app id of the form cli_ followed by 16 hex digits (LARK_APP_ID)');
      }
      const waitMs = o.readyWithinMs ?? 15_000;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const opened = new Promise<'ready' | 'late'>((resolve, reject) => {
        ready = { resolve: () => resolve('ready'), reject };
        timer = setTimeout(() => resolve('late'), waitMs);
      });
      await client.start({ eventDispatcher: dispatcher });
      try {
        const how = await opened;
        if (how === 'ready') opts.logger.info('lark long connection started');
        else opts.logger.warn({ waitMs }, 'lark long connection not open yet; the SDK keeps trying');
      } finally {
        clearTimeout(timer);
        ready = undefined;
      }
    },
    state: () => current,
    stop() {
      become('closed');
      try {
        (client as unknown as { close?: (o?: unknown) => void }).close?.({ force: true });
      } catch (err) {
        opts.logger.warn({ err }, 'closing the long connection failed');
      }
    },
  };
}
