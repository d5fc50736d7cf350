/**
 * Intake limits of POST /lark/events (what an attacker can make the bot spend before it knows the sender):
 * a body over the limit is refused with 413 before it is read further, a streamed body included; an unsigned
 * body is decrypted only when small and only to answer the URL-verification challenge; everything else
 * unsigned gets 401. Requests go over real HTTP to the bot the tests start.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { EMULATOR_CREDENTIALS } from '../../src/config.js';
import { encryptEvent, signRequest } from '../../src/lark/crypto.js';
import { outbox, processedEvents } from '../../db/schema.js';
import { useDemoBot } from '../helpers/bot.js';

const KEY = EMULATOR_CREDENTIALS.encryptKey;

describe('webhook intake limits', () => {
  const { t, bot, clock } = useDemoBot('2026-11-13T09:00:00+08:00', '2026-11-13');

  async function nothingStored() {
    await bot.settle();
    const [o] = await t.db.select({ n: sql<number>`count(*)::int` }).from(outbox);
    const [p] = await t.db.select({ n: sql<number>`count(*)::int` }).from(processedEvents);
    expect(o!.n).toBe(0);
    expect(p!.n).toBe(0);
  }

  /**
   * One request on a fresh connection's terms: a kept-alive socket the bot's server has just closed resets the
   * first write (ECONNRESET before any answer) — Lark redelivers then, and so does this helper, once.
   */
  async function post(body: BodyInit | (() => BodyInit), headers: Record<string, string> = {}, init: RequestInit = {}): Promise<Response> {
    const send = () =>
      fetch(`${bot.url}/lark/events`, {
        method: 'POST',
        body: typeof body === 'function' ? body() : body,
        headers: { 'content-type': 'application/json', ...headers },
        ...init,
      });
    try {
      return await send();
    } catch (err) {
      // ECONNRESET, or undici's 'other side closed' (UND_ERR_SOCKET): the same reset, seen at another moment.
      if (!['ECONNRESET', 'UND_ERR_SOCKET'].includes((err as { cause?: { code?: string } }).cause?.code ?? '')) throw err;
      return send();
    }
  }

  describe('works', () => {
    it('answers the unsigned URL-verification challenge', async () => {
      const plain = JSON.stringify({ type: 'url_verification', challenge: 'ch-1', token: EMULATOR_CREDENTIALS.verificationToken });
      const res = await post(JSON.stringify({ encrypt: encryptEvent(KEY, plain) }));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ challenge: 'ch-1' });
    });
  });

  describe('refused', () => {
    it('refuses a body over 1 MiB with 413 from its declared length', async () => {
      const res = await post('x'.repeat(1024 * 1024 + 1));
      expect(res.status).toBe(413);
      await nothingStored();
    });

    it('refuses an unsigned event, though correctly encrypted, with 401', async () => {
      const plain = JSON.stringify({
        schema: '2.0',
        header: { event_id: 'ev_unsigned', event_type: 'im.message.receive_v1', token: EMULATOR_CREDENTIALS.verificationToken },
        event: {},
      });
      const res = await post(JSON.stringify({ encrypt: encryptEvent(KEY, plain) }));
      expect(res.status).toBe(401);
      await nothingStored();
    });
  });

  describe('attacked', () => {
    it('answers a message holding a NUL byte (PostgreSQL refuses 0x00 in text) instead of falling silent', async () => {
      const officer = 'ou_demo_wu_lei';
      const res = await bot.emulator.sendText(officer, '帮助\u0000');
      expect(res.status).toBe(200);
      await bot.settle();
      expect(bot.emulator.messages({ openId: officer, from: 'bot' })).toHaveLength(1);
    });

    it('cuts off a streamed body that never ends with 413', async () => {
      let sent = 0;
      const chunk = new TextEncoder().encode('a'.repeat(64 * 1024));
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          sent += chunk.length;
          // Far past the limit: a bot that kept reading would take this whole stream.
          if (sent > 64 * 1024 * 1024) controller.close();
          else controller.enqueue(chunk);
        },
      });
      const res = await post(endless, {}, { duplex: 'half' } as RequestInit);
      expect(res.status).toBe(413);
      expect(sent).toBeLessThan(8 * 1024 * 1024);
      await nothingStored();
    });

    it('refuses unsigned garbage ciphertext with 401 without answering anything else', async () => {
      const res = await post(JSON.stringify({ encrypt: 'A'.repeat(2000) }));
      expect(res.status).toBe(401);
      await nothingStored();
    });

    it('refuses a large unsigned body with 401 before decrypting it', async () => {
      const plain = JSON.stringify({
        type: 'url_verification',
        challenge: 'x'.repeat(10_000),
        token: EMULATOR_CREDENTIALS.verificationToken,
      });
      const res = await post(JSON.stringify({ encrypt: encryptEvent(KEY, plain) }));
      expect(res.status).toBe(401);
    });

    it('refuses a signed body with a forged signature before decrypting it', async () => {
      const ts = String(Math.floor(clock.now().getTime() / 1000));
      const body = JSON.stringify({ encrypt: 'not even base64 ciphertext' });
      const good = signRequest(ts, 'n', KEY, body);
      const res = await post(body, {
        'x-lark-request-timestamp': ts,
        'x-lark-request-nonce': 'n',
        'x-lark-signature': good.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
      });
      expect(res.status).toBe(401);
    });
  });
});
