/*
 * The hooks around the dispatcher, kept out of it: each delivery is counted and runs with its event id and actor
 * on every log line (src/log.ts), each handler is timed and its failures counted, and the webhook's refusals are
 * counted from its answers. The runtime wires these; the dispatcher only reports duplicates (`deps.metrics`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Hono } from 'hono';
import type { Handlers } from '../bot/dispatcher.js';
import type { Envelope } from '../lark/events.js';
import { withLogContext } from '../log.js';
import { eventKindOf, type BotMetrics, type EventKind } from './metrics.js';

type Defer = (label: string, fn: () => Promise<unknown>) => void;
type Receive<R> = ((env: Envelope, defer: Defer) => Promise<R>) & { sweep(defer: Defer): Promise<number> };

/** When the event being handled here reached us (monotonic ms), for the reply latency. */
const arrival = new AsyncLocalStorage<number>();

/** A string at `path` inside `obj`, or undefined. */
function pick(obj: unknown, path: readonly string[]): string | undefined {
  let v: unknown = obj;
  for (const k of path) {
    if (!v || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return typeof v === 'string' && v ? v : undefined;
}

/** Who caused the event, as Lark names them in each kind of payload (the dispatcher validates them later). */
export function actorOpenId(env: Envelope): string | undefined {
  const e = env.event;
  switch (eventKindOf(env.header.event_type)) {
    case 'message':
      return pick(e, ['sender', 'sender_id', 'open_id']);
    case 'card_action':
      return pick(e, ['operator', 'open_id']);
    case 'menu':
      return pick(e, ['operator', 'operator_id', 'open_id']);
    case 'bot_added':
      return pick(e, ['operator_id', 'open_id']);
    default:
      return undefined;
  }
}

/** Counts each delivery and runs its handling (deferred work included) under its log context. */
export function instrumentReceive<R>(receive: Receive<R>, metrics: BotMetrics): Receive<R> {
  const counted = (env: Envelope, defer: Defer) => {
    metrics.eventReceived(eventKindOf(env.header.event_type));
    const ctx = { eventId: env.header.event_id, openId: actorOpenId(env) };
    return withLogContext(ctx, () => arrival.run(performance.now(), () => receive(env, defer)));
  };
  // The inbox sweep resumes stored events: not new deliveries, so not counted again.
  return Object.assign(counted, { sweep: (defer: Defer) => receive.sweep(defer) });
}

/** Times each handler from the event's arrival to its answer, and counts the ones that throw. */
export function instrumentHandlers(h: Handlers, metrics: BotMetrics): Handlers {
  const timed = async <T>(kind: EventKind, fn: () => Promise<T>): Promise<T> => {
    const start = arrival.getStore() ?? performance.now();
    try {
      const out = await fn();
      metrics.replyLatency(kind, (performance.now() - start) / 1000);
      return out;
    } catch (err) {
      metrics.handlerFailed(kind);
      throw err;
    }
  };
  return {
    ...h,
    onMessage: (msg, known, inbox) => timed('message', () => h.onMessage(msg, known, inbox)),
    onCardAction: (action, defer, inbox, known) => timed('card_action', () => h.onCardAction(action, defer, inbox, known)),
    onBotAdded: (ev, known) => timed('bot_added', () => h.onBotAdded(ev, known)),
    onMenu: (ev, known) => timed('menu', () => h.onMenu(ev, known)),
  };
}

/** Counts the webhook's refusals (any 4xx it answers); registered before the webhook route. */
export function countRefusals(app: Hono, metrics: BotMetrics, path = '/lark/events'): void {
  app.use(path, async (c, next) => {
    await next();
    if (c.req.method === 'POST' && c.res.status >= 400 && c.res.status < 500) metrics.eventRefused(c.res.status);
  });
}
