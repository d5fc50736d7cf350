import { Buffer } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { decryptEvent, verifySignature } from './crypto.js';
import { Envelope, responseForLark, type CardActionResponse } from './events.js';

/**
 * POST /lark/events: events and card callbacks alike (Lark allows one URL for both).
 * Order matters, cheapest refusal first: the body's size (413 before reading further, streamed bodies
 * included), then the signature over the raw body and the timestamp window — before any decryption or parsing —
 * then decryption, then the verification token inside the payload. The one unsigned request Lark sends is the
 * URL-verification challenge: an unsigned body is decrypted only when small, and only to answer that challenge;
 * anything else unsigned is refused with 401. The SDK's EventDispatcher checks none of this, so this route does
 * it all itself and only then hands a validated envelope to `receive`.
 */
export interface WebhookOptions {
  encryptKey: string;
  verificationToken: string;
  clock: Clock;
  logger: Logger;
  /** Seconds a request's timestamp may differ from our clock (replays outside it are refused). */
  windowSeconds?: number;
  /** Largest body read, in bytes (Lark's events and card callbacks are far smaller); default 1 MiB. */
  maxBodyBytes?: number;
  /** Handles a verified envelope; resolves to the JSON body to answer (card callbacks) or undefined. */
  receive: (env: Envelope, defer: (label: string, fn: () => Promise<unknown>) => void) => Promise<unknown>;
  /** Starts work that goes on after the answer (Node: tracked promises; Workers: ctx.waitUntil). */
  defer: (label: string, fn: () => Promise<unknown>, executionCtx?: { waitUntil(p: Promise<unknown>): void }) => void;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

type Refusal = { status: 400 | 401 | 403 | 413; reason: string };

/** An unsigned body may only be the URL-verification challenge: a few hundred bytes. */
const UNSIGNED_MAX_BYTES = 4096;

export function registerLarkWebhook(app: Hono, opts: WebhookOptions): void {
  const windowMs = (opts.windowSeconds ?? 300) * 1000;

  const maxBodyBytes = opts.maxBodyBytes ?? 1024 * 1024;

  app.post(
    '/lark/events',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) => {
        opts.logger.warn({ status: 413, limit: maxBodyBytes }, 'lark webhook refused: body too large');
        return c.json({ code: 413, msg: 'body too large' }, 413);
      },
    }),
    async (c) => {
      const raw = await c.req.text();
      const refuse = ({ status, reason }: Refusal) => {
        opts.logger.warn({ reason, status }, 'lark webhook refused');
        return c.json({ code: status, msg: reason }, status);
      };

      let outer: unknown;
      try {
        outer = JSON.parse(raw);
      } catch {
        return refuse({ status: 400, reason: 'body is not JSON' });
      }
      if (!outer || typeof outer !== 'object') return refuse({ status: 400, reason: 'body is not an object' });

      let payload: Record<string, unknown> = outer as Record<string, unknown>;
      const encrypted = (outer as { encrypt?: unknown }).encrypt;
      if (opts.encryptKey) {
        if (typeof encrypted !== 'string') return refuse({ status: 400, reason: 'expected an encrypted body' });
        const signature = c.req.header('x-lark-signature');
        const signed = signature !== undefined;
        if (signed) {
          // Verified before anything is decrypted: a forged body costs one hash, never an AES pass or a parse.
          const ts = c.req.header('x-lark-request-timestamp') ?? '';
          const nonce = c.req.header('x-lark-request-nonce') ?? '';
          if (!verifySignature(ts, nonce, opts.encryptKey, raw, signature)) {
            return refuse({ status: 401, reason: 'bad signature' });
          }
          const sentAt = Number(ts) * 1000;
          if (!Number.isFinite(sentAt) || Math.abs(opts.clock.now().getTime() - sentAt) > windowMs) {
            return refuse({ status: 401, reason: 'timestamp outside the allowed window' });
          }
        } else if (raw.length > UNSIGNED_MAX_BYTES) {
          // Lark signs everything but the URL-verification challenge, which is tiny.
          return refuse({ status: 401, reason: 'unsigned body' });
        }
        try {
          payload = JSON.parse(decryptEvent(opts.encryptKey, encrypted)) as Record<string, unknown>;
        } catch {
          return refuse({ status: signed ? 400 : 401, reason: signed ? 'cannot decrypt body' : 'unsigned body' });
        }
        if (!signed && payload.type !== 'url_verification') return refuse({ status: 401, reason: 'unsigned body' });
      } else if (typeof encrypted === 'string') {
        return refuse({ status: 400, reason: 'encrypted body but no LARK_ENCRYPT_KEY configured' });
      }

      if (payload.type === 'url_verification') {
        if (!sameSecret(String(payload.token ?? ''), opts.verificationToken)) {
          return refuse({ status: 403, reason: 'wrong verification token' });
        }
        return c.json({ challenge: payload.challenge });
      }

      const env = Envelope.safeParse(payload);
      if (!env.success) return refuse({ status: 400, reason: 'not a schema 2.0 event' });
      if (!sameSecret(env.data.header.token ?? '', opts.verificationToken)) {
        return refuse({ status: 403, reason: 'wrong verification token' });
      }

      // Looked up only when work is deferred: on Node, Hono throws when there is no execution context, and an
      // Error (its stack captured) on every callback was a measurable share of the hot path (issue 18).
      const executionCtx = (): { waitUntil(p: Promise<unknown>): void } | undefined => {
        try {
          return c.executionCtx;
        } catch {
          return undefined;
        }
      };
      const body = await opts.receive(env.data, (label, fn) => opts.defer(label, fn, executionCtx()));
      return c.json(responseForLark(body as CardActionResponse | undefined));
    },
  );
}
