/**
 * The one function every outgoing Lark request passes, `choke()`, and the axios-shaped http instance the SDK
 * is handed so that its every call — the tenant_access_token fetch included — goes through it. `choke()`
 *  - waits for the rate limiter (Lark: 50 sends/s and 1000/min per app, 5/s per receiving user or chat,
 *    5/s updates per message; a general per-app limit for everything else) so we never meet a 429 of our own
 *    making;
 *  - retries: throttling (HTTP 429, codes 99991400 / 230020) after `x-ogw-ratelimit-reset`, network errors and
 *    5xx with capped exponential backoff and jitter, an invalidated token once with a fresh one; never a 4xx
 *    that will not change;
 *  - raises `LarkApiError` (the API said no) or `LarkNetworkError` (the network or Lark's servers failed);
 *  - logs each call (method, path, status, ms, attempt) at debug, failures at warn, never a secret.
 *
 * The SDK itself never retries, returns the body `{code, msg, data}` even when `code` is not 0, and lets axios
 * throw on HTTP errors. Here a non-zero `code` becomes a `LarkApiError`, so SDK methods called through the
 * choked client reject instead of resolving with an error body.
 */
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../log.js';
import type { LarkCallKind, LarkCallResult } from '../ops/metrics.js';
import { LarkApiError, LarkNetworkError, THROTTLE_CODES, TOKEN_INVALID_CODES } from './errors.js';
import type { LarkLimits, RateRule, SlidingWindowLimiter } from './limiter.js';

export const MESSAGES_PATH = '/open-apis/im/v1/messages';
const REPLY_RE = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/;
const MESSAGE_RE = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/;
const TOKEN_PATH_RE = /^\/open-apis\/auth\/v3\/(tenant|app)_access_token\/internal$/;

export interface RetryPolicy {
  /** attempts per call, the first included */
  maxAttempts: number;
  /** first backoff for network errors and 5xx; doubles each attempt */
  baseDelayMs: number;
  maxDelayMs: number;
  /** throttling asking for a longer wait than this is not waited out here: the error goes to the caller */
  maxThrottleWaitMs: number;
  /** per-request timeout */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 300,
  maxDelayMs: 10_000,
  maxThrottleWaitMs: 60_000,
  timeoutMs: 30_000,
};

/** Elapsed time for rate windows and waits: virtual in tests, real otherwise. `now` must move as `sleep` resolves. */
export interface Timing {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTiming: Timing = {
  now: () => performance.timeOrigin + performance.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

export type HttpOpts = lark.HttpRequestOptions<unknown> & { url?: string; method?: string };

export interface Transport {
  request(opts: Record<string, unknown>): Promise<{ data: unknown; headers: Record<string, unknown> }>;
}

/** What went wrong with one attempt, before we decide whether to try again. */
interface Failure {
  status?: number;
  code?: number;
  msg: string;
  logId?: string;
  resetSeconds?: number;
  network: boolean;
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as Record<string, unknown> & { get?: (n: string) => unknown };
  const v = typeof h.get === 'function' ? h.get(name) : (h[name] ?? h[name.toLowerCase()]);
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? String(v[0]) : String(v);
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

function isReadable(x: unknown): x is NodeJS.ReadableStream {
  return !!x && typeof x === 'object' && typeof (x as { pipe?: unknown }).pipe === 'function';
}

/** Error bodies of download calls come back as streams or buffers: read them to find Lark's code. */
async function parseBody(data: unknown): Promise<unknown> {
  try {
    if (isReadable(data)) {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of data as AsyncIterable<Buffer | string>) {
        const b = typeof c === 'string' ? Buffer.from(c) : c;
        chunks.push(b);
        size += b.length;
        if (size > 65_536) break;
      }
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    }
    if (data instanceof ArrayBuffer) return JSON.parse(Buffer.from(data).toString('utf8'));
    if (Buffer.isBuffer(data)) return JSON.parse(data.toString('utf8'));
    if (typeof data === 'string') return JSON.parse(data);
  } catch {
    return undefined;
  }
  return data;
}

function bodyCode(body: unknown): { code: number; msg: string } | undefined {
  if (!body || typeof body !== 'object' || isReadable(body)) return undefined;
  const b = body as { code?: unknown; msg?: unknown };
  if (typeof b.code !== 'number') return undefined;
  return { code: b.code, msg: typeof b.msg === 'string' ? b.msg : '' };
}

/**
 * Bounded map of message_id → chat_id (and receive_id → chat_id), so a reply, and a send to a person, are
 * limited per chat as Lark counts them: a person's p2p chat is one chat whether we address it by open_id or
 * reply in it.
 */
export class ChatOfMessage {
  private readonly map = new Map<string, string>();
  constructor(private readonly max = 10_000) {}
  get(messageId: string): string | undefined {
    return this.map.get(messageId);
  }
  set(messageId: string, chatId: string): void {
    if (this.map.has(messageId)) this.map.delete(messageId);
    this.map.set(messageId, chatId);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
  }
}

export interface ChokeDeps {
  transport: Transport;
  logger: Logger;
  limiter: SlidingWindowLimiter;
  limits: LarkLimits;
  retry: RetryPolicy;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  chatOf: ChatOfMessage;
  /** forget the cached token and fetch a new one (for TOKEN_INVALID_CODES) */
  refreshToken: () => Promise<string | undefined>;
  /** told of every attempt and how it ended (metrics) */
  observe?: (call: LarkCallKind, result: LarkCallResult) => void;
}

/** What a call does, for the metrics: a message sent (create or reply), a message updated, anything else. */
function callKind(method: string, path: string): LarkCallKind {
  if (method === 'POST' && (path === MESSAGES_PATH || REPLY_RE.test(path))) return 'send';
  if ((method === 'PATCH' || method === 'PUT') && MESSAGE_RE.test(path)) return 'update';
  return 'other';
}

/** A per-second rule, paced evenly over its window. */
function perSecond(L: LarkLimits, key: string, limit: number, ordered = false): RateRule {
  const windowMs = 1000 + L.marginMs;
  return { key, limit, windowMs, spacingMs: Math.ceil(windowMs / limit), ...(ordered ? { ordered } : {}) };
}

/** The windows of one message send (create or reply) to the chat or person `to`. */
export function sendRules(L: LarkLimits, to: string): RateRule[] {
  return [
    perSecond(L, 'app:send', L.appSendsPerSecond),
    // The minute window is not paced: 1000/min may go at 50/s for 20 s. Its margin is ten times the second's:
    // the first and the last send of a full minute differ more in how late they reach Lark (a busy machine
    // stalls for hundreds of ms), and a send that arrives early by more than the margin meets a 429 (fan-out bench).
    { key: 'app:send', limit: L.appSendsPerMinute, windowMs: 60_000 + 10 * L.marginMs },
    perSecond(L, `to:${to}`, L.perChatPerSecond, true),
  ];
}

/** The windows of any call that is not a send or an update. */
export function generalRules(L: LarkLimits): RateRule[] {
  return [perSecond(L, 'app:general', L.generalPerSecond)];
}

/** The rate rules a request belongs to. */
function rulesFor(method: string, path: string, opts: HttpOpts, d: ChokeDeps): RateRule[] {
  const L = d.limits;
  if (method === 'POST' && path === MESSAGES_PATH) {
    const to = String(((opts.data ?? {}) as { receive_id?: unknown }).receive_id ?? '?');
    return sendRules(L, d.chatOf.get(to) ?? to);
  }
  const reply = method === 'POST' ? REPLY_RE.exec(path) : null;
  if (reply) {
    const target = decodeURIComponent(reply[1]!);
    // Lark counts a reply against the chat of the message replied to; when we do not know it, the target
    // message stands in (a weaker limit, but still ordered).
    return sendRules(L, d.chatOf.get(target) ?? `msg:${target}`);
  }
  const patch = method === 'PATCH' || method === 'PUT' ? MESSAGE_RE.exec(path) : null;
  if (patch) {
    return [...generalRules(L), perSecond(L, `update:${decodeURIComponent(patch[1]!)}`, L.perMessageUpdatesPerSecond, true)];
  }
  return generalRules(L);
}

function backoff(attempt: number, d: ChokeDeps): number {
  const cap = Math.min(d.retry.maxDelayMs, d.retry.baseDelayMs * 2 ** (attempt - 1));
  // "equal jitter": at least half the step, so retries never collapse to zero delay
  return Math.round(cap / 2 + (d.random() * cap) / 2);
}

async function describeFailure(e: unknown): Promise<Failure> {
  const ax = e as {
    isAxiosError?: boolean;
    response?: { status: number; headers: unknown; data: unknown };
    code?: string;
    message?: string;
  };
  if (ax && ax.isAxiosError && ax.response) {
    const body = await parseBody(ax.response.data);
    const bc = bodyCode(body);
    const reset = Number(header(ax.response.headers, 'x-ogw-ratelimit-reset'));
    return {
      status: ax.response.status,
      code: bc?.code,
      msg: bc?.msg || `HTTP ${ax.response.status}`,
      logId: header(ax.response.headers, 'x-tt-logid'),
      resetSeconds: Number.isFinite(reset) && reset >= 0 ? reset : undefined,
      network: false,
    };
  }
  const msg = ax?.code ? `${ax.code}: ${ax.message ?? ''}` : String(ax?.message ?? e);
  return { msg, network: true };
}

/**
 * The one function every outgoing request passes. `opts` is what the SDK hands its http instance
 * (axios-shaped); the answer is what the SDK expects back (the body, or `{data, headers}` when it asked).
 */
async function choke(opts: HttpOpts, d: ChokeDeps): Promise<unknown> {
  const method = String(opts.method ?? 'GET').toUpperCase();
  const url = String(opts.url ?? '');
  const path = pathOf(url);
  const endpoint = `${method} ${path}`;
  const wantHeaders = !!opts.$return_headers;
  const isTokenCall = TOKEN_PATH_RE.test(path);
  let request: HttpOpts = opts;
  let refreshedToken = false;

  for (let attempt = 1; ; attempt++) {
    const rules = rulesFor(method, path, request, d);
    await d.limiter.acquire(rules);
    const started = d.now();
    let failure: Failure;
    try {
      const res = await d.transport.request({
        ...request,
        timeout: request.timeout ?? d.retry.timeoutMs,
        $return_headers: true,
      });
      const bc = bodyCode(res.data);
      const ms = d.now() - started;
      if (!bc || bc.code === 0) {
        d.logger.debug({ method, path, status: 200, ms, attempt }, 'lark call');
        d.observe?.(callKind(method, path), 'ok');
        learnChat(path, request, res.data, d);
        return wantHeaders ? res : res.data;
      }
      // HTTP 200 with a refusal in the body (the SDK would hand this back as a normal result)
      const reset = Number(header(res.headers, 'x-ogw-ratelimit-reset'));
      failure = {
        status: 200,
        code: bc.code,
        msg: bc.msg,
        logId: header(res.headers, 'x-tt-logid'),
        resetSeconds: Number.isFinite(reset) ? reset : undefined,
        network: false,
      };
    } catch (e) {
      failure = await describeFailure(e);
    }
    const ms = d.now() - started;
    const log = { method, path, status: failure.status, code: failure.code, msg: failure.msg, logId: failure.logId, ms, attempt };

    const throttled = failure.status === 429 || (failure.code !== undefined && THROTTLE_CODES.has(failure.code));
    d.observe?.(
      callKind(method, path),
      throttled ? '429' : failure.network ? 'network' : failure.status !== undefined && failure.status >= 500 ? '5xx' : '4xx',
    );
    if (throttled) {
      const waitMs = failure.resetSeconds !== undefined ? failure.resetSeconds * 1000 : backoff(attempt, d);
      if (attempt >= d.retry.maxAttempts || waitMs > d.retry.maxThrottleWaitMs) {
        d.logger.warn({ ...log, waitMs }, 'lark call throttled, giving up');
        throw new LarkApiError(failure.code ?? 99991400, failure.msg, failure.status ?? 429, failure.logId, endpoint, waitMs);
      }
      d.logger.warn({ ...log, waitMs }, 'lark call throttled, waiting for the reset');
      // Everyone sharing these windows waits too: Lark asked the app (or the chat) to slow down.
      d.limiter.block(
        rules.map((r) => r.key),
        d.now() + waitMs,
      );
      continue;
    }

    if (!isTokenCall && !refreshedToken && failure.code !== undefined && TOKEN_INVALID_CODES.has(failure.code)) {
      refreshedToken = true;
      d.logger.warn(log, 'lark token no longer valid, fetching a new one');
      const token = await d.refreshToken();
      if (token) {
        request = { ...request, headers: { ...(request.headers ?? {}), Authorization: `Bearer ${token}` } };
        continue;
      }
    }

    const transient = failure.network || (failure.status !== undefined && failure.status >= 500);
    if (transient) {
      if (attempt < d.retry.maxAttempts) {
        const waitMs = backoff(attempt, d);
        d.logger.warn({ ...log, waitMs }, 'lark call failed, retrying');
        await d.sleep(waitMs);
        continue;
      }
      d.logger.warn(log, 'lark call failed, out of attempts');
      throw new LarkNetworkError(
        `Lark ${endpoint} failed after ${attempt} attempts: ${failure.msg}`,
        endpoint,
        failure.status,
        attempt,
        failure.logId,
      );
    }

    d.logger.warn(log, 'lark call refused');
    throw new LarkApiError(failure.code ?? -1, failure.msg, failure.status ?? 0, failure.logId, endpoint);
  }
}

/** Create and reply answers carry the chat: remember it, so replies to our own messages are limited per chat. */
function learnChat(path: string, request: HttpOpts, body: unknown, d: ChokeDeps): void {
  if (path !== MESSAGES_PATH && !REPLY_RE.test(path)) return;
  const data = (body as { data?: { message_id?: unknown; chat_id?: unknown } } | undefined)?.data;
  if (typeof data?.chat_id !== 'string') return;
  if (typeof data.message_id === 'string') d.chatOf.set(data.message_id, data.chat_id);
  const to = path === MESSAGES_PATH ? (request.data as { receive_id?: unknown } | undefined)?.receive_id : undefined;
  if (typeof to === 'string' && to !== data.chat_id && d.chatOf.get(to) !== data.chat_id) {
    d.chatOf.set(to, data.chat_id);
    // sends already granted under the person's id count against their chat from now on
    d.limiter.merge(`to:${to}`, `to:${data.chat_id}`);
  }
}

/** An axios-shaped http instance whose every method goes through `choke`. */
export function chokeInstance(d: ChokeDeps): lark.HttpInstance {
  // Concurrent first calls each ask the SDK's token manager, which does not coalesce: one fetch in flight
  // answers them all (and spends one slot of the limiter).
  const tokenFetches = new Map<string, Promise<unknown>>();
  const req = (opts: HttpOpts) => {
    const url = String(opts.url ?? '');
    if (!TOKEN_PATH_RE.test(pathOf(url))) return choke(opts, d) as Promise<never>;
    const key = `${url} ${JSON.stringify(opts.data ?? {})}`;
    let p = tokenFetches.get(key);
    if (!p) {
      p = choke(opts, d).finally(() => tokenFetches.delete(key));
      tokenFetches.set(key, p);
    }
    return p as Promise<never>;
  };
  return {
    request: (opts) => req(opts as HttpOpts),
    get: (url, opts) => req({ ...(opts as HttpOpts), url, method: 'GET' }),
    delete: (url, opts) => req({ ...(opts as HttpOpts), url, method: 'DELETE' }),
    head: (url, opts) => req({ ...(opts as HttpOpts), url, method: 'HEAD' }),
    options: (url, opts) => req({ ...(opts as HttpOpts), url, method: 'OPTIONS' }),
    post: (url, data, opts) => req({ ...(opts as HttpOpts), url, data, method: 'POST' }),
    put: (url, data, opts) => req({ ...(opts as HttpOpts), url, data, method: 'PUT' }),
    patch: (url, data, opts) => req({ ...(opts as HttpOpts), url, data, method: 'PATCH' }),
  };
}
