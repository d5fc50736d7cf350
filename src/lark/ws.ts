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

function toEnvelope(eventType: string, data: Record<string, unknown>): Envelope | null {
  const { event_id, create_time, token, app_id, tenant_key, event_type, schema: _s, ...event } = data as Record<string, unknown> & {
    event_id?: string;
  };
  const parsed = Envelope.safeParse({
    schema: '2.0',
    header: {
      event_id: String(event_id ?? (data as { header?: { event_id?: string } }).header?.event_id ?? ''),
      event_type: String(event_type ?? eventType),
      create_time: create_time ? String(create_time) : undefined,
      token: token ? String(token) : undefined,
      app_id: app_id ? String(app_id) : undefined,
      tenant_key: tenant_key ? String(tenant_key) : undefined,
    },
    event,
  });
  return parsed.success ? parsed.data : null;
}

export function createWsTransport(opts: {
  appId: string;
  appSecret: string;
  domain: string;
  logger: Logger;
  receive: (env: Envelope, defer: (label: string, fn: () => Promise<unknown>) => void) => Promise<CardActionResponse | undefined>;
  defer: (label: string, fn: () => Promise<unknown>) => void;
}): WsTransport {
  const handlers: Record<string, (data: Record<string, unknown>) => Promise<unknown>> = {};
  for (const type of EVENTS) {
    handlers[type] = async (data) => {
      const env = toEnvelope(type, data);
      if (!env) {
        opts.logger.warn({ type }, 'ws event without an event id ignored');
        return {};
      }
      return (await opts.receive(env, opts.defer)) ?? {};
    };
  }
  const dispatcher = new lark.EventDispatcher({}).register(handlers as never);
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
