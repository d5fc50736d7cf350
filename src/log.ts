import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

export type { Logger };

/** What every log line written while handling one event carries: the event and who caused it. */
export interface LogContext {
  eventId: string;
  /** the actor's open_id (sender, operator); absent when the event names nobody */
  openId?: string;
}

const logContext = new AsyncLocalStorage<LogContext>();

/**
 * Runs `fn` (and everything it starts: awaited calls, deferred handlers, store and Lark calls) with `ctx` on every
 * log line, whichever logger writes it. A child logger per event would have to reach every handler's `deps`;
 * this reaches them all without changing a signature.
 */
export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return logContext.run(ctx, fn);
}

/** The context of the event being handled here, if any (pino's mixin; the line's own fields win). */
function mixin(): Record<string, string> {
  const ctx = logContext.getStore();
  if (!ctx) return {};
  return ctx.openId ? { eventId: ctx.eventId, openId: ctx.openId } : { eventId: ctx.eventId };
}

/** Secrets and personal data that must never reach the logs, wherever they appear in a logged object. */
const REDACT = [
  'appSecret',
  'encryptKey',
  'verificationToken',
  '*.appSecret',
  '*.encryptKey',
  '*.verificationToken',
  'headers.authorization',
  '*.headers.authorization',
  'tenant_access_token',
  '*.tenant_access_token',
  'mobile',
  '*.mobile',
  'metricsToken',
  '*.metricsToken',
];

/** `destination`: where the lines go (default stdout); tests hand in a stream to read them. */
export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  const options = { level, mixin, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'zhaoshang-bot' } };
  return destination ? pino(options, destination) : pino(options);
}

export const silentLogger: Logger = pino({ level: 'silent' });
