/**
 * Token and SDK setup: the real SDK client, handed our choke point as its http instance and a token cache of
 * its own, so every request it builds — the tenant_access_token fetch included — is limited, retried and
 * logged in one place (choke.ts).
 */
import * as lark from '@larksuiteoapi/node-sdk';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import {
  ChatOfMessage,
  chokeInstance,
  DEFAULT_RETRY,
  realTiming,
  sendRules,
  type ChokeDeps,
  type RetryPolicy,
  type Timing,
  type Transport,
} from './choke.js';
import { DEFAULT_LIMITS, SlidingWindowLimiter, type LarkLimits } from './limiter.js';

export interface LarkClientConfig {
  appId: string;
  appSecret: string;
  /** Open API base URL: https://open.feishu.cn, https://open.larksuite.com, or any URL (the emulator) */
  domain: string;
}

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
  /** told of every attempt of every call and how it ended (metrics) */
  onCall?: ChokeDeps['observe'];
}

/** The SDK's cache key type (its typings say `Symbol`). */
type CacheKey = Parameters<lark.Cache['get']>[0];

/** Per-client token cache: the SDK's default cache is one per process, shared by every client of the app id. */
export class TokenCache implements lark.Cache {
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

/** Drops keys whose value is undefined, so `{ limit: undefined }` keeps the default. */
function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The SDK client wired to the choke point, with the limiter and chat map the operations share. */
export interface ChokedSdk {
  sdk: lark.Client;
  limiter: SlidingWindowLimiter;
  chatOf: ChatOfMessage;
  /** Counts sends made before this client existed (`ageMs` ago, to `to`) against the send windows. */
  seedSends(sends: readonly { ageMs: number; to: string }[]): void;
}

export function createChokedSdk(cfg: LarkClientConfig, opts: LarkClientOptions): ChokedSdk {
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
    observe: opts.onCall,
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

  const seedSends = (sends: readonly { ageMs: number; to: string }[]) => {
    const at = now();
    for (const s of sends) limiter.seed(sendRules(limits, chatOf.get(s.to) ?? s.to), at - s.ageMs);
  };

  return { sdk, limiter, chatOf, seedSends };
}
