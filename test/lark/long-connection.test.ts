/**
 * The bot on the long connection, end to end: the real SDK WSClient (through our WS transport) connected to the
 * emulator's socket, the whole runtime behind it on the test database (PGlite, or PostgreSQL with
 * TEST_DATABASE_URL). Messages are answered in their chat; card callbacks are answered inside the response
 * frame and the clicker sees the toast and the new card; a failing handler comes back as an error, promptly; a
 * dropped socket reconnects and loses nothing; two bot processes share the events and answer each once.
 */
import { describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../src/bot/node-registry.js';
import { button, text } from '../helpers/cards.js';
import { useDemoWsBot } from '../helpers/ws-bot.js';

const AT = '2026-11-13T09:00:00+08:00';
const OFFICER = 'ou_demo_wu_lei';
const OTHERS = ['ou_demo_ye_qing', 'ou_demo_yang_fan', 'ou_demo_wu_lei', 'ou_demo_ye_qing'];

/** The bot's registry plus one card action whose handler throws, to see what the clicker gets. */
function registryWithBoom() {
  const r = nodeRegistry();
  r.actions.boom = async () => {
    throw new Error('boom: the handler failed');
  };
  return r;
}

function textOf(m: { content: unknown }): string {
  const c = m.content as { text?: unknown };
  return typeof c.text === 'string' ? c.text : text(m.content);
}

describe('long connection: one bot process', () => {
  const { bot } = useDemoWsBot(AT, { registry: registryWithBoom });

  it('works: a text message is answered in the sender’s chat, acknowledged on the socket', async () => {
    const res = await bot.emulator.sendText(OFFICER, '帮助');
    expect(res.status).toBe(200);
    await bot.settle();
    const replies = bot.emulator.messages({ openId: OFFICER });
    expect(replies).toHaveLength(1);
    expect(textOf(replies[0]!)).toContain('我的项目');
    expect(bot.emulator.events).toHaveLength(1);
    expect(bot.emulator.events[0]).toMatchObject({ event_type: 'im.message.receive_v1', via: 'ws', status: 200, attempt: 1 });
    expect(bot.emulator.calls.filter((c) => c.path === '/callback/ws/endpoint').length).toBe(0); // reset cleared the log
  });

  it('works: a card callback is answered inside the response frame — the clicker sees the toast and the new card', async () => {
    await bot.emulator.sendText(OFFICER, '演示卡片');
    await bot.settle();
    const [card] = bot.emulator.messages({ openId: OFFICER }).filter((m) => m.msg_type === 'interactive');
    expect(card).toBeDefined();
    const click = button(card!.content, { a: 'demo_click' });
    const result = await bot.emulator.clickCard(card!.message_id, OFFICER, { value: click.value });
    expect(result.status).toBe(200);
    expect(result.error).toBeUndefined();
    expect(result.toast?.type).toBe('success');
    expect(text(result.card)).toContain('已点击 1 次');
    // the card in the chat is the one the answer carried, replaced by the callback (not by a later PATCH)
    const now = bot.emulator.message(card!.message_id)!;
    expect(now.updates.map((u) => u.via)).toEqual(['callback']);
    expect(text(now.content)).toContain('已点击 1 次');
    expect(bot.emulator.events.at(-1)).toMatchObject({ event_type: 'card.action.trigger', via: 'ws', status: 200 });
  });

  it('refused: a callback whose handler throws comes back at once as an error toast, and the card stays', async () => {
    const sent = await bot.runtime.lark.sendMessage({
      receiveIdType: 'open_id',
      receiveId: OFFICER,
      msgType: 'interactive',
      content: {
        schema: '2.0',
        body: {
          elements: [
            { tag: 'button', text: { tag: 'plain_text', content: '试一下' }, behaviors: [{ type: 'callback', value: { a: 'boom' } }] },
          ],
        },
      },
    });
    const started = Date.now();
    const result = await bot.emulator.clickCard(sent.messageId, OFFICER, { value: { a: 'boom' } });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.status).toBe(200);
    expect(result.toast?.type).toBe('error');
    expect(result.card).toBeUndefined();
    expect(bot.emulator.message(sent.messageId)!.update_count).toBe(0);
  });

  it('works: a socket dropped while an event is in flight reconnects; the event is redelivered and answered once', async () => {
    const lc = bot.emulator.longConnection!;
    const before = lc.clients()[0]!.id;
    lc.faults.dropOnDelivery(1);
    const res = await bot.emulator.sendText(OFFICER, '帮助');
    expect(res.status).toBe(502);
    await lc.waitForClients(1);
    await bot.settle();
    expect(lc.clients()[0]!.id).not.toBe(before);
    expect(bot.emulator.messages({ openId: OFFICER })).toHaveLength(1);
    // dropped with the event; then, while the client was away, due redeliveries found nobody (503); then answered
    const statuses = bot.emulator.events.map((e) => e.status);
    expect(statuses[0]).toBe(502);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.slice(1, -1).every((s) => s === 503)).toBe(true);
    expect(bot.emulator.events.at(-1)!.attempt).toBe(2);
    expect(new Set(bot.emulator.events.map((e) => e.event_id)).size).toBe(1);
  });

  it('works: an event sent while no client is connected waits for the reconnection and is answered once', async () => {
    const lc = bot.emulator.longConnection!;
    expect(lc.drop()).toBe(1);
    const res = await bot.emulator.sendText(OFFICER, '帮助');
    expect(res.status).toBe(503);
    expect(lc.pending()).toBe(1);
    await lc.waitForClients(1);
    await bot.settle();
    expect(bot.emulator.messages({ openId: OFFICER })).toHaveLength(1);
    expect(bot.emulator.events.map((e) => e.status)).toEqual([503, 200]);
  });
});

describe('long connection: two bot processes on one database', () => {
  // alternate the emulator's pick between the two clients, so both are seen to take events
  let flip = 0;
  const random = () => (flip++ % 2 === 0 ? 0 : 0.99);
  const { bot } = useDemoWsBot(AT, { processes: 2, longConnection: { random, ackTimeoutMs: 1000 } });

  it('works: each event goes to one process and is answered once; both processes take events', async () => {
    expect(bot.emulator.longConnection!.clients()).toHaveLength(2);
    for (const who of OTHERS) expect((await bot.emulator.sendText(who, '帮助')).status).toBe(200);
    await bot.settle();
    expect(bot.emulator.events).toHaveLength(OTHERS.length);
    expect(new Set(bot.emulator.events.map((e) => e.clientId)).size).toBe(2);
    for (const who of new Set(OTHERS)) {
      expect(bot.emulator.messages({ openId: who })).toHaveLength(OTHERS.filter((x) => x === who).length);
    }
  });

  it('works: an answer lost on the way back is redelivered to the other process, which sees it was handled', async () => {
    const lc = bot.emulator.longConnection!;
    lc.faults.loseAnswers(1);
    const res = await bot.emulator.sendText(OFFICER, '帮助');
    expect(res.status).toBe(504);
    await bot.settle();
    const [first, second, ...rest] = bot.emulator.events;
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ attempt: 1, status: 504 });
    expect(second).toMatchObject({ attempt: 2, status: 200, event_id: first!.event_id });
    expect(second!.clientId).not.toBe(first!.clientId);
    expect(bot.emulator.messages({ openId: OFFICER })).toHaveLength(1);
  });
});
