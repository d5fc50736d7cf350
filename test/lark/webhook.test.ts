/**
 * Security of POST /lark/events: every forged, stale, tampered or replayed delivery is refused and changes
 * nothing; a genuine duplicate is processed once. Deliveries come from the emulator, signed and encrypted
 * exactly as Lark does, with one thing wrong at a time.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { EMULATOR_CREDENTIALS } from '../../src/config.js';
import { outbox, processedEvents } from '../../db/schema.js';
import { useDemoBot } from '../helpers/bot.js';

const OFFICER = 'ou_demo_wu_lei';

function helpEvent(eventId: string, messageId: string) {
  return {
    schema: '2.0',
    header: {
      event_id: eventId,
      event_type: 'im.message.receive_v1',
      create_time: String(Date.now()),
      token: EMULATOR_CREDENTIALS.verificationToken,
    },
    event: {
      sender: { sender_id: { open_id: OFFICER }, sender_type: 'user' },
      message: {
        message_id: messageId,
        chat_id: 'oc_p2p_x',
        chat_type: 'p2p',
        message_type: 'text',
        content: JSON.stringify({ text: '帮助' }),
      },
    },
  };
}

describe('webhook security', () => {
  const { t, bot, clock } = useDemoBot('2026-11-13T09:00:00+08:00', '2026-11-13');

  async function nothingChanged() {
    await bot.settle();
    const [o] = await t.db.select({ n: sql<number>`count(*)::int` }).from(outbox);
    const [p] = await t.db.select({ n: sql<number>`count(*)::int` }).from(processedEvents);
    expect(o!.n).toBe(0);
    expect(p!.n).toBe(0);
    expect(bot.emulator.messages()).toHaveLength(0);
  }

  it('accepts a genuine delivery (the control case)', async () => {
    const res = await bot.emulator.sendText(OFFICER, '帮助');
    expect(res.status).toBe(200);
    await bot.settle();
    expect(bot.emulator.messages({ openId: OFFICER })).toHaveLength(1);
  });

  it.each([
    ['a forged signature', { badSignature: true }, 401],
    ['a missing signature', { omitSignature: true }, 401],
    ['a wrong verification token', { token: 'not-the-token' }, 403],
    ['a stale timestamp (10 minutes old)', { staleSeconds: 600 }, 401],
    ['a timestamp from the future', { timestamp: Math.floor(new Date('2026-11-13T09:10:00+08:00').getTime() / 1000) }, 401],
    ['a body encrypted with another key', { encryptKey: 'someone-elses-key' }, 400],
    ['a plaintext body where encryption is required', { plaintext: true }, 400],
    ['a body that is not JSON', { rawBody: 'not json' }, 400],
    ['an undecryptable body', { rawBody: JSON.stringify({ encrypt: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }) }, 400],
  ] as const)('refuses %s and changes nothing', async (_name, tamper, status) => {
    const res = await bot.emulator.deliverRaw(helpEvent('ev_bad', 'om_bad'), tamper);
    expect(res.status).toBe(status);
    await nothingChanged();
  });

  it('refuses a replay of a captured request once it is outside the window, and dedupes one inside it', async () => {
    expect((await bot.emulator.sendText(OFFICER, '帮助')).status).toBe(200);
    await bot.settle();
    const first = bot.emulator.events.at(-1)!;
    // Inside the window: the same event again (Lark's redelivery) is acknowledged and not processed again.
    expect((await bot.emulator.redeliver(first.event_id)).status).toBe(200);
    // The same message under a new event id (a re-sent message) is not processed again either.
    const again = structuredClone(first.envelope) as { header: { event_id: string } };
    again.header.event_id = `${first.event_id}_2`;
    expect((await bot.emulator.deliverRaw(again)).status).toBe(200);
    await bot.settle();
    expect(bot.emulator.messages({ openId: OFFICER })).toHaveLength(1);
    // An attacker replaying the captured bytes later is outside the window.
    clock.advance(6 * 60 * 1000);
    expect((await bot.emulator.deliverRaw(helpEvent('ev_replay_3', 'om_replay_3'), { staleSeconds: 360 })).status).toBe(401);
    clock.set('2026-11-13T09:00:00+08:00');
  });

  it('answers the URL verification challenge only with the right token', async () => {
    expect(await bot.emulator.verifyUrl()).toBe(true);
  });
});
