/**
 * The logs: every line written while an event is handled carries the event id and the actor's open_id, whichever
 * layer writes it; no line ever carries a secret. A bot runs with an app secret, encrypt key and verification
 * token of its own (and, as a real process on PostgreSQL, a database password), at the most verbose level, and is
 * driven through messages, card clicks, a redelivery, a forged request, a throttled send and a revoked token; all
 * it logs is captured and searched for the secrets, raw and in the encodings a log might carry them.
 */
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/index.js';
import { demoBotMenu, demoDirectory } from '../../db/seed/directory.js';
import { FixedClock } from '../../src/clock.js';
import { createEmulator } from '../../src/emulator/index.js';
import { createLogger } from '../../src/log.js';
import { startTestBot, type TestBot } from '../helpers/bot.js';
import { TEST_PG_URL, createDatabase, dropPostgresDatabase, useTestDb } from '../helpers/db.js';
import { spawnBot } from '../helpers/spawn-bot.js';
import { get, value } from './scrape.js';
import { serve } from '@hono/node-server';

const OFFICER = 'ou_demo_wu_lei';
const ADMIN = 'ou_demo_he_jing';
const AT = '2026-11-13T09:00:00+08:00';

const SECRETS = {
  appSecret: 'AppSecret-7c1e9f2b4d6a8e0f',
  encryptKey: 'EncryptKey-3b5d7f9a1c2e4f6a',
  verificationToken: 'VerifToken-9e8d7c6b5a4f3e2d',
  dbPassword: 'DbPassword-1a2b3c4d5e6f7a8b',
};
const APP_ID = 'cli_0123456789abcdef';

/** Each secret as it is, and in the forms a log line might carry it (JSON-escaped, URL- and base64-encoded). */
function forms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    JSON.stringify(secret).slice(1, -1),
  ];
}

function leaks(output: string, secrets: string[]): string[] {
  return secrets.flatMap((s) =>
    forms(s)
      .filter((f) => output.includes(f))
      .map((f) => `${s} (as ${f})`),
  );
}

interface Line {
  msg?: string;
  eventId?: string;
  openId?: string;
  [k: string]: unknown;
}

describe('logs of handled events (in process)', { timeout: 90_000 }, () => {
  const t = useTestDb({ truncate: false });
  const clock = new FixedClock(AT);
  const written: string[] = [];
  let bot: TestBot;

  beforeAll(async () => {
    await seedDemo(t.db, AT.slice(0, 10));
    bot = await startTestBot({
      db: t.db,
      clock,
      lark: { appId: APP_ID, appSecret: SECRETS.appSecret, encryptKey: SECRETS.encryptKey, verificationToken: SECRETS.verificationToken },
      logger: createLogger('trace', { write: (s: string) => void written.push(s) }),
    });
  });
  afterAll(async () => {
    await bot?.close();
  });

  const lines = (): Line[] => written.flatMap((s) => s.split('\n').filter(Boolean)).map((s) => JSON.parse(s) as Line);
  /** The actor of each delivered event, as the emulator sent it. */
  const actors = () => {
    const m = new Map<string, string | undefined>();
    for (const e of bot.emulator.events) {
      const ev = (e.envelope as { event?: Record<string, unknown> }).event ?? {};
      const sender = (ev.sender as { sender_id?: { open_id?: string } } | undefined)?.sender_id?.open_id;
      const operator = (ev.operator as { open_id?: string } | undefined)?.open_id;
      const byId = (ev.operator_id as { open_id?: string } | undefined)?.open_id;
      m.set(e.event_id, sender ?? operator ?? byId);
    }
    return m;
  };

  it('drives messages, clicks, a redelivery, a forged request, a throttled send and a revoked token', async () => {
    expect((await bot.emulator.sendText(OFFICER, '帮助')).status).toBe(200);
    await bot.emulator.sendText(OFFICER, '我的项目');
    await bot.emulator.sendText(OFFICER, '演示卡片');
    await bot.settle();
    const demo = bot.emulator.messages({ openId: OFFICER }).find((m) => JSON.stringify(m.content).includes('demo_click'))!;
    expect(demo).toBeDefined();
    expect((await bot.emulator.clickCard(demo.message_id, OFFICER, { value: { a: 'demo_click', count: 0 } })).status).toBe(200);
    // a card action no handler knows: the router logs it (a line that names no event by itself)
    expect((await bot.emulator.clickCard(demo.message_id, OFFICER, { value: { a: 'no_such_action' } })).status).toBe(200);
    await bot.emulator.redeliver(bot.emulator.events[0]!.event_id);
    expect((await bot.emulator.deliverRaw({ event_type: 'im.message.receive_v1', event: {} }, { badSignature: true })).status).toBe(401);
    expect((await bot.emulator.deliverRaw({ event_type: 'im.message.receive_v1', event: {} }, { token: 'wrong-token' })).status).toBe(403);
    bot.emulator.faults.fail({ status: 429, count: 1, resetSeconds: 1, pathPrefix: '/open-apis/im/v1/messages' });
    bot.emulator.revokeTokens();
    await bot.emulator.sendText(OFFICER, '帮助');
    await bot.emulator.addBotToChat('oc_demo_unbound', ADMIN);
    await bot.emulator.pressMenu(OFFICER, 'help');
    await bot.settle();
    expect(bot.emulator.messages({ openId: OFFICER }).length).toBeGreaterThanOrEqual(5);
    expect(lines().length).toBeGreaterThan(10);
  });

  it('writes no secret in any line, at the most verbose level', () => {
    const out = written.join('');
    expect(out).toContain('lark token no longer valid'); // the token was fetched again: the secret went out in a body
    expect(out).toContain('throttled');
    expect(leaks(out, [SECRETS.appSecret, SECRETS.encryptKey, SECRETS.verificationToken])).toEqual([]);
  });

  it('gives the lines written while an event is handled its event id and its actor', () => {
    const all = lines();
    const dup = all.filter((l) => l.msg === 'duplicate delivery ignored');
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatchObject({ eventId: bot.emulator.events[0]!.event_id, openId: OFFICER });

    const unhandled = all.filter((l) => l.msg === 'card action without handler');
    expect(unhandled).toHaveLength(1);
    expect(unhandled[0]!.openId).toBe(OFFICER);
    expect(unhandled[0]!.eventId).toMatch(/\S/);

    // every line that names an event names the actor of that event, never another's
    const byEvent = actors();
    const named = all.filter((l) => l.eventId !== undefined);
    expect(named.length).toBeGreaterThanOrEqual(2);
    for (const l of named) {
      expect(byEvent.has(l.eventId!), `${l.msg}: an event the emulator sent`).toBe(true);
      expect(l.openId, `${l.msg}`).toBe(byEvent.get(l.eventId!));
    }
  });

  it('gives no event id to lines outside any event: refusals before the payload is read, the sender, health', async () => {
    await fetch(`${bot.url}/healthz`);
    const all = lines();
    const refused = all.filter((l) => l.msg === 'lark webhook refused');
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const l of refused) expect(l.eventId).toBeUndefined();
    const outside = all.filter((l) => l.msg === 'lark call throttled, waiting for the reset' || l.msg === 'lark call');
    expect(outside.length).toBeGreaterThan(0);
    for (const l of outside) expect(l.eventId).toBeUndefined();
  });
});

/** A free loopback port (taken and released). */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('logs of the bot as a process (npm start in webhook mode)', { timeout: 180_000 }, () => {
  it(`writes none of its secrets${TEST_PG_URL ? ', the database password included' : ''}, from start to SIGTERM`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zb-logs-'));
    let dbUrl: string | undefined;
    const botPort = await freePort();
    const emulator = createEmulator({
      appId: APP_ID,
      appSecret: SECRETS.appSecret,
      encryptKey: SECRETS.encryptKey,
      verificationToken: SECRETS.verificationToken,
      botWebhookUrl: `http://127.0.0.1:${botPort}/lark/events`,
      directory: demoDirectory(),
      botMenu: demoBotMenu(),
    });
    const lark = await new Promise<{ url: string; close(): void }>((resolve) => {
      const s = serve({ fetch: emulator.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          close: () => {
            (s as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            s.close();
          },
        }),
      );
    });
    let databaseUrl = join(dir, 'pglite');
    if (TEST_PG_URL) {
      dbUrl = await createDatabase(TEST_PG_URL, 'zb_logs');
      const u = new URL(dbUrl);
      // the test server trusts local connections: the password is carried, never checked
      u.password = SECRETS.dbPassword;
      databaseUrl = u.href;
    }
    const { child, exited, started, output } = spawnBot({
      DATABASE_URL: databaseUrl,
      PORT: String(botPort),
      LOG_LEVEL: 'trace',
      LARK_MODE: 'webhook',
      LARK_APP_ID: APP_ID,
      LARK_APP_SECRET: SECRETS.appSecret,
      LARK_ENCRYPT_KEY: SECRETS.encryptKey,
      LARK_VERIFICATION_TOKEN: SECRETS.verificationToken,
      LARK_DOMAIN: lark.url,
      SEED_DEMO: 'yes',
      SCHEDULER: 'off',
    });
    try {
      await started;
      expect((await emulator.sendText(OFFICER, '帮助')).status).toBe(200);
      await expect.poll(() => emulator.messages({ openId: OFFICER }).length, { timeout: 20_000 }).toBe(1);
      emulator.revokeTokens();
      await emulator.sendText(OFFICER, '我的项目');
      await expect.poll(() => emulator.messages({ openId: OFFICER }).length, { timeout: 20_000 }).toBe(2);
      expect((await emulator.deliverRaw({ event_type: 'im.message.receive_v1', event: {} }, { badSignature: true })).status).toBe(401);
      // main.ts serves its metrics, the process's own included
      const metrics = await (await get(`http://127.0.0.1:${botPort}/metrics`)).text();
      expect(value(metrics, 'zhaoshang_events_received_total', { kind: 'message' })).toBe(2);
      expect(value(metrics, 'zhaoshang_events_refused_total', { status: '401' })).toBe(1);
      expect(value(metrics, 'zhaoshang_process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(leaks(metrics, Object.values(SECRETS))).toEqual([]);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const out = output();
      expect(out).toContain('"msg":"stopped"');
      expect(out).toContain('lark token no longer valid');
      const secrets = [SECRETS.appSecret, SECRETS.encryptKey, SECRETS.verificationToken, ...(TEST_PG_URL ? [SECRETS.dbPassword] : [])];
      expect(leaks(out, secrets)).toEqual([]);
      // the lines of the handled messages carry their event and actor
      const handled = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Line)
        .filter((l) => l.eventId !== undefined);
      for (const l of handled) expect(l.openId).toBe(OFFICER);
    } finally {
      child.kill('SIGKILL');
      lark.close();
      emulator.close();
      rmSync(dir, { recursive: true, force: true });
      if (dbUrl) await dropPostgresDatabase(TEST_PG_URL!, dbUrl);
    }
  });
});
