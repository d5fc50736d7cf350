import { z } from 'zod';

/**
 * The operator contract (ARCHITECTURE.md): every variable optional, defaults run the emulator on embedded
 * storage. Parsed once at start-up; a bad value stops the process with one line naming the variable.
 */
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** `LARK_MODE=ws` with no app at all: the local emulator, delivering over the long connection. */
const emulatedWs = (env: { LARK_MODE?: string; LARK_APP_ID?: string; LARK_APP_SECRET?: string }) =>
  env.LARK_MODE === 'ws' && !env.LARK_APP_ID && !env.LARK_APP_SECRET;

const EnvSchema = z
  .object({
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default('./data/pglite')
        .refine((v) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^(postgres(ql)?|memory):\/\//i.test(v), {
          message: 'must be postgres://…, memory:// or a folder path',
        }),
    ),
    PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
    LARK_MODE: z.preprocess(emptyToUndefined, z.enum(['ws', 'webhook', 'emulator']).optional()),
    LARK_APP_ID: optionalString,
    LARK_APP_SECRET: optionalString,
    LARK_DOMAIN: z.preprocess(emptyToUndefined, z.string().url().optional()),
    LARK_ENCRYPT_KEY: optionalString,
    LARK_VERIFICATION_TOKEN: optionalString,
    BOT_TIMEZONE: z.preprocess(
      emptyToUndefined,
      z.string().default('Asia/Shanghai').refine(isTimeZone, { message: 'is not an IANA time zone' }),
    ),
    LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
    SEED_DEMO: z.preprocess(emptyToUndefined, z.enum(['auto', 'yes', 'no']).default('auto')),
    SCHEDULER: z.preprocess(emptyToUndefined, z.enum(['on', 'off']).default('on')),
    // node:cluster: this many worker processes share the port (issue 18); 1 is a single process, no cluster.
    WEB_CONCURRENCY: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(64).default(1)),
    PUBLIC_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
    METRICS_TOKEN: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[\x21-\x7e]{16,256}$/, { message: 'must be 16 to 256 printable ASCII characters without spaces' })
        .optional(),
    ),
    HEALTH_OUTBOX_MAX_AGE_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(10).max(86_400).default(600)),
    // The optional language-model reader of one-sentence reports (issue 19): an OpenAI-compatible endpoint.
    LLM_BASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .url()
        .refine((v) => /^https?:\/\//i.test(v), { message: 'must be an http(s) URL' })
        .optional(),
    ),
    LLM_API_KEY: optionalString,
    LLM_MODEL: optionalString,
    // Durability timings (README "What the bot guarantees"); short values are for tests.
    INBOX_LEASE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(3_600_000).default(10_000)),
    INBOX_SWEEP_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(3_600_000).default(30_000)),
    JOB_LEASE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(3_600_000).default(60_000)),
    OUTBOX_LEASE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(3_600_000).default(60_000)),
  })
  .superRefine((env, ctx) => {
    if (env.LLM_BASE_URL && !env.LLM_MODEL) {
      ctx.addIssue({ code: 'custom', path: ['LLM_MODEL'], message: 'LLM_BASE_URL needs LLM_MODEL' });
    }
    if (!env.LLM_BASE_URL && (env.LLM_MODEL || env.LLM_API_KEY)) {
      ctx.addIssue({ code: 'custom', path: ['LLM_BASE_URL'], message: 'LLM_MODEL and LLM_API_KEY need LLM_BASE_URL' });
    }
    const mode = env.LARK_MODE ?? (env.LARK_APP_ID ? 'ws' : 'emulator');
    if (mode !== 'emulator' && !emulatedWs(env) && (!env.LARK_APP_ID || !env.LARK_APP_SECRET)) {
      ctx.addIssue({ code: 'custom', path: ['LARK_APP_ID'], message: `LARK_MODE=${mode} needs LARK_APP_ID and LARK_APP_SECRET` });
    }
    if (env.WEB_CONCURRENCY > 1 && !/^postgres(ql)?:\/\//i.test(env.DATABASE_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEB_CONCURRENCY'],
        message: 'several processes need a postgres:// DATABASE_URL (the embedded database serves one process only)',
      });
    }
    if (env.WEB_CONCURRENCY > 1 && (mode === 'emulator' || emulatedWs(env))) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEB_CONCURRENCY'],
        message: 'several processes need a real Lark app (the local emulator lives in one process)',
      });
    }
    if (mode === 'webhook' && (!env.LARK_ENCRYPT_KEY || !env.LARK_VERIFICATION_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: ['LARK_ENCRYPT_KEY'],
        message: 'webhook mode refuses to start without LARK_ENCRYPT_KEY and LARK_VERIFICATION_TOKEN',
      });
    }
  });

export type LarkMode = 'ws' | 'webhook' | 'emulator';

export interface LlmConfig {
  /** OpenAI-compatible base URL, e.g. https://api.example.com/v1 (requests go to `${baseUrl}/chat/completions`). */
  baseUrl: string;
  apiKey?: string;
  model: string;
}

export interface Config {
  databaseUrl: string;
  port: number;
  timeZone: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  seedDemo: 'auto' | 'yes' | 'no';
  scheduler: boolean;
  /** Worker processes sharing the port (WEB_CONCURRENCY); 1: this process serves, no cluster. */
  workers: number;
  publicUrl?: string;
  /** GET /metrics wants `Authorization: Bearer <metricsToken>` when set; open otherwise (METRICS_TOKEN). */
  metricsToken?: string;
  /** /healthz answers 503 when the oldest pending outbox row is older than this (HEALTH_OUTBOX_MAX_AGE_SECONDS). */
  healthOutboxMaxAgeSeconds: number;
  /** The language-model reader of one-sentence reports; absent (off) unless LLM_BASE_URL is set. */
  llm?: LlmConfig;
  durability: {
    /** how long a handler holds an event of the inbox before another may take it over (renewed while it works) */
    inboxLeaseMs: number;
    /** how often unfinished events whose lease lapsed are resumed (Node; Workers resume on the cron) */
    inboxSweepMs: number;
    /** how long a job run holds its lease (renewed every quarter of it while it runs) */
    jobLeaseMs: number;
    /** how long the sender holds the outbox rows it claimed before another sender may take them (a dead one's) */
    outboxLeaseMs: number;
  };
  lark: {
    /** how events arrive: long connection, webhook, or the emulator's webhook */
    mode: LarkMode;
    /**
     * The local emulator stands in for Lark (no LARK_APP_ID): `mode: 'emulator'` delivers by webhook,
     * `mode: 'ws'` over the long connection. Its credentials are EMULATOR_CREDENTIALS.
     */
    emulated: boolean;
    appId: string;
    appSecret: string;
    domain: string;
    encryptKey: string;
    verificationToken: string;
  };
}

/**
 * Fixed credentials of the local emulator: it is a fake Lark, so these are not secrets. The app id has Lark's
 * form (cli_ + 16 hex digits): the SDK's WSClient refuses any other.
 */
export const EMULATOR_CREDENTIALS = {
  appId: 'cli_e1a7e1a7e1a7e1a7',
  appSecret: 'emulator-secret',
  encryptKey: 'emulator-encrypt-key',
  verificationToken: 'emulator-verification-token',
} as const;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses the environment. Throws ConfigError whose message is one line per bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    // Name the variable and what is wrong, never echo its value: it may be a secret.
    const lines = parsed.error.issues.map((i) => `${String(i.path[0] ?? 'environment')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const mode: LarkMode = e.LARK_MODE ?? (e.LARK_APP_ID ? 'ws' : 'emulator');
  const emulator = mode === 'emulator' || emulatedWs(e);
  return {
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    timeZone: e.BOT_TIMEZONE,
    logLevel: e.LOG_LEVEL,
    seedDemo: e.SEED_DEMO,
    scheduler: e.SCHEDULER === 'on',
    workers: e.WEB_CONCURRENCY,
    publicUrl: e.PUBLIC_URL,
    metricsToken: e.METRICS_TOKEN,
    healthOutboxMaxAgeSeconds: e.HEALTH_OUTBOX_MAX_AGE_SECONDS,
    ...(e.LLM_BASE_URL && e.LLM_MODEL
      ? { llm: { baseUrl: e.LLM_BASE_URL.replace(/\/+$/, ''), model: e.LLM_MODEL, ...(e.LLM_API_KEY ? { apiKey: e.LLM_API_KEY } : {}) } }
      : {}),
    durability: {
      inboxLeaseMs: e.INBOX_LEASE_MS,
      inboxSweepMs: e.INBOX_SWEEP_MS,
      jobLeaseMs: e.JOB_LEASE_MS,
      outboxLeaseMs: e.OUTBOX_LEASE_MS,
    },
    lark: {
      mode,
      emulated: emulator,
      appId: emulator ? EMULATOR_CREDENTIALS.appId : e.LARK_APP_ID!,
      appSecret: emulator ? EMULATOR_CREDENTIALS.appSecret : e.LARK_APP_SECRET!,
      // In emulator mode the domain is filled in by main.ts once the port is known.
      domain: e.LARK_DOMAIN ?? 'https://open.feishu.cn',
      encryptKey: emulator ? EMULATOR_CREDENTIALS.encryptKey : (e.LARK_ENCRYPT_KEY ?? ''),
      verificationToken: emulator ? EMULATOR_CREDENTIALS.verificationToken : (e.LARK_VERIFICATION_TOKEN ?? ''),
    },
  };
}
