import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../log.js';
import { Envelope } from './events.js';
import type { CardActionResponse } from './events.js';

/**
 * The long-connection transport: no public URL needed. The SDK's EventDispatcher hands each event over as a
 * flat object (header fields merged with the event); we rebuild the schema 2.0 envelope so both transports
 * feed the same dispatcher. The connection is authenticated by the app credentials, so no signature applies.
 */
export interface WsTransport {
  start(): Promise<void>;
  stop(): void;
}

const EVENTS = ['im.message.receive_v1', 'card.action.trigger', 'im.chat.member.bot.added_v1'] as const;

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
      return (await opts.receive(env, opts.defer)) ?? {};
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
  });
  return {
    async start() {
      await client.start({ eventDispatcher: dispatcher });
      opts.logger.info('lark long connection started');
    },
    stop() {
      try {
        (client as unknown as { close?: (o?: unknown) => void }).close?.({ force: true });
      } catch (err) {
        opts.logger.warn({ err }, 'closing the long connection failed');
      }
    },
  };
}
