/**
 * The one seam for outgoing Lark calls.
 *
 * The real SDK client does the URL building, token handling and payload shapes; we hand it our own
 * `httpInstance`, so every request it makes — the tenant_access_token fetch included — passes one function,
 * `choke()`, which
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
 * throw on HTTP errors. Here a non-zero `code` becomes a `LarkApiError`, so SDK methods called through
 * `sdk` reject instead of resolving with an error body.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as lark from '@larksuiteoapi/node-sdk';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';

export * from './errors.js';
export * from './limiter.js';
import { LarkApiError, LarkNetworkError, THROTTLE_CODES, TOKEN_INVALID_CODES } from './errors.js';
import { DEFAULT_LIMITS, SlidingWindowLimiter, type LarkLimits, type RateRule } from './limiter.js';

const MESSAGES_PATH = '/open-apis/im/v1/messages';
const REPLY_RE = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/;
const MESSAGE_RE = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/;
const TOKEN_PATH_RE = /^\/open-apis\/auth\/v3\/(tenant|app)_access_token\/internal$/;

// ---------------------------------------------------------------------------------------------------------
// The choke point

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

export interface LarkClientConfig {
  appId: string;
  appSecret: string;
  /** Open API base URL: https://open.feishu.cn, https://open.larksuite.com, or any URL (the emulator) */
  domain: string;
}

/** Elapsed time for rate windows and waits: virtual in tests, real otherwise. `now` must move as `sleep` resolves. */
export interface Timing {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTiming: Timing = {
  now: () => performance.timeOrigin + performance.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

export interface LarkClientOptions {
  logger: Logger;
  /**
   * The business clock. Deliberately NOT used for rate windows and retry waits: those need time that moves
   * with `sleep`, and a FixedClock injected for business logic would stall every send once a window fills.
   * Use `timing` to run the limiter on virtual time.
   */
  clock?: Clock;
  limits?: Partial<LarkLimits>;
  retry?: Partial<RetryPolicy>;
  /** time source and sleep of the limiter and the retry waits (default: real time) */
  timing?: Timing;
  /** jitter source in [0, 1); default Math.random */
  random?: () => number;
}

type HttpOpts = lark.HttpRequestOptions<unknown> & { url?: string; method?: string };

interface Transport {
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
class ChatOfMessage {
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

/** The SDK's cache key type (its typings say `Symbol`). */
type CacheKey = Parameters<lark.Cache['get']>[0];

/** Per-client token cache: the SDK's default cache is one per process, shared by every client of the app id. */
class TokenCache implements lark.Cache {
  private readonly values = new Map<string, { value: unknown; expiredTime?: number }>();
  private k(key: CacheKey, namespace?: string): string {
    return `${namespace ?? ''}/${String(key)}`;
  }
  async get(key: CacheKey, options?: { namespace?: string }): Promise<unknown> {
    const hit = this.values.get(this.k(key, options?.namespace));
    if (!hit) return undefined;
    // the SDK stamps expiry with wall time (new Date()), so it is checked against wall time
    if (hit.expiredTime !== undefined && hit.expiredTime <= Date.now()) return undefined;
    return hit.value;
  }
  async set(key: CacheKey, value: unknown, expiredTime?: number, options?: { namespace?: string }): Promise<boolean> {
    this.values.set(this.k(key, options?.namespace), { value, expiredTime });
    return true;
  }
  clear(): void {
    this.values.clear();
  }
}

interface ChokeDeps {
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
    // the minute window is not paced: 1000/min may go at 50/s for 20 s
    { key: 'app:send', limit: L.appSendsPerMinute, windowMs: 60_000 + L.marginMs },
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
function chokeInstance(d: ChokeDeps): lark.HttpInstance {
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

/**
 * The SDK logs transport errors itself (raw axios errors of the token call carry the app secret in
 * `config.data`). Our choke point already logs every failure, so SDK messages go to debug, reduced to text.
 */
function sdkLogger(logger: Logger): lark.Logger {
  const text = (msg: unknown[]) =>
    msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? `${m.name}: ${m.message}` : '[object]')).join(' ');
  const at = (...msg: unknown[]) => logger.debug({ sdk: true }, text(msg));
  return { error: at, warn: at, info: at, debug: at, trace: () => {} };
}

// ---------------------------------------------------------------------------------------------------------
// The facade the rest of the bot uses

export type ReceiveIdType = 'open_id' | 'user_id' | 'union_id' | 'email' | 'chat_id';

export interface SentMessage {
  messageId: string;
  chatId?: string;
}

export interface ChatInfo {
  chat_id: string;
  name?: string;
  description?: string;
  owner_id?: string;
  owner_id_type?: string;
  chat_mode?: string;
  chat_type?: string;
  user_count?: string;
  bot_count?: string;
  [k: string]: unknown;
}

export interface ChatMember {
  openId: string;
  name?: string;
  tenantKey?: string;
}

export interface IdLookup {
  /** the mobile or email asked about, as Lark echoes it */
  key: string;
  /** null when Lark knows no such person (or the app may not see them) */
  openId: string | null;
}

export interface BotInfo {
  openId: string;
  appName?: string;
  avatarUrl?: string;
  activateStatus?: number;
}

export type UploadFileType = 'opus' | 'mp4' | 'pdf' | 'doc' | 'xls' | 'ppt' | 'stream';

export interface LarkClient {
  /** the real SDK client, wired to the choke point: use it for calls the facade does not cover */
  readonly sdk: lark.Client;
  /** the limiter every call waits on (exposed for metrics and tests) */
  readonly limiter: SlidingWindowLimiter;
  sendMessage(p: {
    receiveIdType: ReceiveIdType;
    receiveId: string;
    msgType: string;
    /** Lark's content: an object is JSON-encoded, a string is sent as it is */
    content: unknown;
    /** Lark de-duplicates sends with the same uuid within an hour (max 50 chars); default: a random one */
    uuid?: string;
  }): Promise<SentMessage>;
  replyMessage(p: {
    messageId: string;
    msgType: string;
    content: unknown;
    uuid?: string;
    /** the chat of the message replied to, when known: the reply counts against that chat's limit */
    chatId?: string;
    replyInThread?: boolean;
  }): Promise<SentMessage>;
  patchMessage(p: { messageId: string; content: unknown }): Promise<void>;
  getChat(chatId: string): Promise<ChatInfo>;
  listChatMembers(chatId: string): Promise<ChatMember[]>;
  /** ≤ 50 per Lark call; longer lists are chunked. Answers in the order asked. */
  batchGetIdByMobiles(mobiles: string[]): Promise<IdLookup[]>;
  batchGetIdByEmails(emails: string[]): Promise<IdLookup[]>;
  uploadFile(p: { fileType: UploadFileType; fileName: string; data: Uint8Array; duration?: number }): Promise<string>;
  downloadMessageResource(messageId: string, fileKey: string, type?: 'file' | 'image'): Promise<Buffer>;
  botInfo(): Promise<BotInfo>;
}

const BATCH_ID_MAX = 50;

function encodeContent(content: unknown): string {
  return typeof content === 'string' ? content : JSON.stringify(content);
}

/** Drops keys whose value is undefined, so `{ limit: undefined }` keeps the default. */
function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** A value fit for Lark's `uuid` (≤ 50 chars) derived from any stable string. */
export function larkUuid(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 40);
}

function need<T>(v: T | undefined | null, what: string, endpoint: string): T {
  if (v === undefined || v === null) throw new LarkApiError(-1, `answer without ${what}`, 200, undefined, endpoint);
  return v;
}

export function createLarkClient(cfg: LarkClientConfig, opts: LarkClientOptions): LarkClient {
  const timing = opts.timing ?? realTiming;
  const now = () => timing.now();
  const sleep = (ms: number) => timing.sleep(ms);
  const limits: LarkLimits = { ...DEFAULT_LIMITS, ...defined(opts.limits) };
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...defined(opts.retry) };
  const limiter = new SlidingWindowLimiter({ now, sleep });
  const chatOf = new ChatOfMessage();
  const cache = new TokenCache();
  const logger = opts.logger;

  const transport = lark.defaultHttpInstance as unknown as Transport;

  let sdk: lark.Client;
  let refreshing: Promise<string | undefined> | null = null;
  const deps: ChokeDeps = {
    transport,
    logger,
    limiter,
    limits,
    retry,
    now,
    sleep,
    random: opts.random ?? Math.random,
    chatOf,
    // Many calls may meet the revoked token at once: one refresh serves them all.
    refreshToken: () => {
      refreshing ??= (async () => {
        cache.clear();
        try {
          return (await sdk.tokenManager.getTenantAccessToken()) as string | undefined;
        } catch {
          return undefined;
        } finally {
          refreshing = null;
        }
      })();
      return refreshing;
    },
  };

  sdk = new lark.Client({
    appId: cfg.appId,
    appSecret: cfg.appSecret,
    domain: cfg.domain.replace(/\/+$/, ''),
    appType: lark.AppType.SelfBuild,
    httpInstance: chokeInstance(deps),
    cache,
    logger: sdkLogger(logger),
    loggerLevel: lark.LoggerLevel.warn,
  });

  const sendMessage: LarkClient['sendMessage'] = async (p) => {
    const res = await sdk.im.v1.message.create({
      params: { receive_id_type: p.receiveIdType },
      data: {
        receive_id: p.receiveId,
        msg_type: p.msgType,
        content: encodeContent(p.content),
        // a uuid also makes our own retries of a timed-out send safe
        uuid: p.uuid ?? randomUUID(),
      },
    });
    const messageId = need(res.data?.message_id, 'message_id', `POST ${MESSAGES_PATH}`);
    return { messageId, chatId: res.data?.chat_id };
  };

  const replyMessage: LarkClient['replyMessage'] = async (p) => {
    if (p.chatId) chatOf.set(p.messageId, p.chatId);
    const res = await sdk.im.v1.message.reply({
      path: { message_id: p.messageId },
      data: {
        msg_type: p.msgType,
        content: encodeContent(p.content),
        uuid: p.uuid ?? randomUUID(),
        ...(p.replyInThread ? { reply_in_thread: true } : {}),
      },
    });
    const messageId = need(res.data?.message_id, 'message_id', `POST ${MESSAGES_PATH}/:id/reply`);
    return { messageId, chatId: res.data?.chat_id };
  };

  const patchMessage: LarkClient['patchMessage'] = async (p) => {
    await sdk.im.v1.message.patch({ path: { message_id: p.messageId }, data: { content: encodeContent(p.content) } });
  };

  const getChat: LarkClient['getChat'] = async (chatId) => {
    const res = await sdk.im.v1.chat.get({ path: { chat_id: chatId } });
    return { ...(res.data ?? {}), chat_id: chatId } as ChatInfo;
  };

  const listChatMembers: LarkClient['listChatMembers'] = async (chatId) => {
    const out: ChatMember[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const res = await sdk.im.v1.chatMembers.get({
        path: { chat_id: chatId },
        params: { member_id_type: 'open_id', page_size: 100, ...(pageToken ? { page_token: pageToken } : {}) },
      });
      for (const m of res.data?.items ?? []) {
        if (m.member_id) out.push({ openId: m.member_id, name: m.name, tenantKey: m.tenant_key });
      }
      if (!res.data?.has_more || !res.data.page_token) break;
      pageToken = res.data.page_token;
    }
    return out;
  };

  const batchGetId = async (field: 'mobiles' | 'emails', keys: string[]): Promise<IdLookup[]> => {
    const out: IdLookup[] = [];
    for (const part of chunk(keys, BATCH_ID_MAX)) {
      const res = await sdk.contact.v3.user.batchGetId({
        params: { user_id_type: 'open_id' },
        data: { [field]: part },
      });
      const list = (res.data?.user_list ?? []) as { user_id?: string; mobile?: string; email?: string }[];
      const found = new Map<string, string | null>();
      for (const u of list) {
        const k = field === 'mobiles' ? u.mobile : u.email;
        if (k !== undefined) found.set(field === 'emails' ? k.toLowerCase() : k, u.user_id ?? null);
      }
      for (const k of part) {
        const hit = found.get(field === 'emails' ? k.toLowerCase() : k);
        out.push({ key: k, openId: hit ?? null });
      }
    }
    return out;
  };

  const uploadFile: LarkClient['uploadFile'] = async (p) => {
    const res = await sdk.im.v1.file.create({
      data: {
        file_type: p.fileType,
        file_name: p.fileName,
        file: Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength),
        ...(p.duration !== undefined ? { duration: p.duration } : {}),
      },
    });
    return need(res?.file_key, 'file_key', 'POST /open-apis/im/v1/files');
  };

  const downloadMessageResource: LarkClient['downloadMessageResource'] = async (messageId, fileKey, type = 'file') => {
    const res = await sdk.im.v1.messageResource.get({
      path: { message_id: messageId, file_key: fileKey },
      params: { type },
    });
    const chunks: Buffer[] = [];
    for await (const c of res.getReadableStream() as AsyncIterable<Buffer | string>) {
      chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
    }
    return Buffer.concat(chunks);
  };

  const botInfo: LarkClient['botInfo'] = async () => {
    const res = await sdk.request<{ bot?: { open_id?: string; app_name?: string; avatar_url?: string; activate_status?: number } }>({
      method: 'GET',
      url: '/open-apis/bot/v3/info',
    });
    const bot = need(res.bot, 'bot', 'GET /open-apis/bot/v3/info');
    return {
      openId: need(bot.open_id, 'bot.open_id', 'GET /open-apis/bot/v3/info'),
      appName: bot.app_name,
      avatarUrl: bot.avatar_url,
      activateStatus: bot.activate_status,
    };
  };

  return {
    sdk,
    limiter,
    sendMessage,
    replyMessage,
    patchMessage,
    getChat,
    listChatMembers,
    batchGetIdByMobiles: (mobiles) => batchGetId('mobiles', mobiles),
    batchGetIdByEmails: (emails) => batchGetId('emails', emails),
    uploadFile,
    downloadMessageResource,
    botInfo,
  };
}
