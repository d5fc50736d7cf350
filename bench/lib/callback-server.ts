// The process under load in the card-callback bench: the bot on PostgreSQL as `npm start` wires it (runtime,
// webhook, outbox loop, emulator as the Lark domain) on a @hono/node-server at 127.0.0.1:0, plus the floor route
// POST /bench/floor in the same app: the same signature check and decryption, one INSERT of a report row in its
// own transaction, and a JSON answer of the same size as the bot's. Talks to the parent over IPC.
//
// With BENCH_WORKERS=N (> 1) the process is a node:cluster primary, as `WEB_CONCURRENCY=N npm run start:prod` is:
// it forks N workers running this same file on one shared port (each with the bot, its own pool and the floor
// route), waits until every one is ready, and relays the parent's stop to them.
//
// env: BENCH_DB_URL, BENCH_CLOCK_OFFSET_MS, BENCH_WARMUP_PROJECTS, BENCH_WARMUP_OWNERS (comma-separated, one per
// worker), BENCH_WORKERS

import cluster from 'node:cluster';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { reports } from '../../db/schema.js';
import { EMULATOR_CREDENTIALS, loadConfig } from '../../src/config.js';
import { createEmulator } from '../../src/emulator/index.js';
import { decryptEvent, verifySignature } from '../../src/lark/crypto.js';
import { createLogger } from '../../src/log.js';
import { createRuntime } from '../../src/runtime.js';
import { openDb } from '../../src/store/db.js';
import { OffsetClock } from './common.js';
import { cardActionBody } from './lark-body.js';

type Ready = { type: 'ready'; port: number; botBytes: number; floorBytes: number };

const workers = Number(process.env.BENCH_WORKERS ?? 1);
if (workers > 1 && cluster.isPrimary) {
  const ready: Ready[] = [];
  const forked = Array.from({ length: workers }, (_, i) => cluster.fork({ BENCH_WORKER_INDEX: String(i) }));
  let alive = forked.length;
  for (const w of forked) {
    w.on('message', (m: Ready) => {
      if (m.type !== 'ready') return;
      ready.push(m);
      if (ready.length === workers) {
        const ports = new Set(ready.map((r) => r.port));
        if (ports.size !== 1) {
          console.error(`workers listen on different ports: ${[...ports].join(', ')}`);
          process.exit(1);
        }
        process.send!({ ...ready[0]!, workers });
      }
    });
    w.on('exit', (code) => {
      alive--;
      if (code !== 0 && ready.length < workers) {
        console.error(`a worker exited (${code}) before it was ready`);
        process.exit(1);
      }
      if (alive === 0) process.exit(0);
    });
  }
  process.on('message', (m: { type: string }) => {
    if (m.type === 'stop') for (const w of forked) if (w.isConnected()) w.send({ type: 'stop' });
  });
  await new Promise<never>(() => {}); // exits once every worker has
}
const index = Number(process.env.BENCH_WORKER_INDEX ?? 0);
const pick = (list: string | undefined) => (list ?? '').split(',')[index] ?? '';

const url = process.env.BENCH_DB_URL!;
const clock = new OffsetClock(0, Number(process.env.BENCH_CLOCK_OFFSET_MS ?? 0));
const logger = createLogger(process.env.BENCH_LOG_LEVEL ?? 'warn');
const config = loadConfig({ DATABASE_URL: url, SCHEDULER: 'off', PORT: '0' });
const key = EMULATOR_CREDENTIALS.encryptKey;

const handle = await openDb(url);
const db = handle.db;

let app: Hono | undefined;
const server: ServerType = await new Promise((resolve) => {
  const s = serve({ fetch: (req, env) => app!.fetch(req, env), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
});
const address = server.address();
const port = typeof address === 'object' && address ? address.port : 0;
const self = `http://127.0.0.1:${port}`;

const emulator = createEmulator({
  appId: config.lark.appId,
  appSecret: config.lark.appSecret,
  encryptKey: config.lark.encryptKey,
  verificationToken: config.lark.verificationToken,
  botWebhookUrl: `${self}/lark/events`,
  directory: { users: [], chats: [] },
  limits: { enforce: true },
});

let floorAnswer = '{}';

const runtime = await createRuntime({
  botOpenId: emulator.botOpenId,
  config,
  db,
  clock,
  logger,
  larkDomain: self,
  register: [
    (a) => a.route('/', emulator.app),
    (a) =>
      a.post('/bench/floor', async (c) => {
        const raw = await c.req.text();
        const ts = c.req.header('x-lark-request-timestamp') ?? '';
        const nonce = c.req.header('x-lark-request-nonce') ?? '';
        if (!verifySignature(ts, nonce, key, raw, c.req.header('x-lark-signature'))) return c.json({ code: 401 }, 401);
        if (Math.abs(clock.now().getTime() - Number(ts) * 1000) > 300_000) return c.json({ code: 401 }, 401);
        const outer = JSON.parse(raw) as { encrypt: string };
        const env = JSON.parse(decryptEvent(key, outer.encrypt)) as {
          event: { action: { value: { p: number; period: string }; form_value?: { progress?: string } } };
        };
        const { value, form_value } = env.event.action;
        await db.transaction(async (tx) => {
          await tx.insert(reports).values({ projectId: Number(value.p), period: value.period, progress: form_value?.progress ?? null });
        });
        return c.body(floorAnswer, 200, { 'content-type': 'application/json' });
      }),
  ],
});
app = runtime.app;

// One submission through the bot (in process) tells the size of its answer; the floor answers as much JSON.
const warm = cardActionBody(EMULATOR_CREDENTIALS, {
  eventId: `warmup-${process.pid}`,
  operatorOpenId: pick(process.env.BENCH_WARMUP_OWNERS),
  value: { a: 'report_submit', p: Number(pick(process.env.BENCH_WARMUP_PROJECTS)), period: '2026-11', ids: [] },
  formValue: { progress: '完成第二轮洽谈，对方已提交投资意向', fund_amount: '0.5亿' },
  timestamp: Math.floor(clock.now().getTime() / 1000),
});
const res = await app.request('/lark/events', { method: 'POST', headers: warm.headers, body: warm.body });
const botAnswer = await res.text();
if (res.status !== 200 || !botAnswer.includes('"success"')) {
  console.error(`warm-up submission failed: ${res.status} ${botAnswer.slice(0, 300)}`);
  process.exit(1);
}
const base = JSON.stringify({ toast: { type: 'success', content: 'ok' }, pad: '' });
floorAnswer = JSON.stringify({
  toast: { type: 'success', content: 'ok' },
  pad: 'x'.repeat(Math.max(0, Buffer.byteLength(botAnswer) - base.length)),
});

process.send!({ type: 'ready', port, botBytes: Buffer.byteLength(botAnswer), floorBytes: Buffer.byteLength(floorAnswer) } satisfies Ready);

process.on('message', (m: { type: string }) => {
  if (m.type === 'stop') {
    void (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.stop();
      await handle.close();
      process.exit(0);
    })();
  }
});
