/**
 * The long connection's hand-over, through the real SDK: `lark.EventDispatcher.invoke` is what `WSClient`
 * calls for every event frame (with `needCheck: false`), and it hands our handler a flat object carrying the
 * SDK's Symbol event-type marker. These tests feed it schema 2.0 payloads exactly as Lark sends them and check
 * the bot answers — the message in its chat, the card callback in the returned body — as it does by webhook.
 */
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { outbox, projects, reports } from '../../db/schema.js';
import { runJob } from '../../src/jobs/runner.js';
import { reminders } from '../../src/jobs/reminders.js';
import { createWsDispatcher, toEnvelope } from '../../src/lark/ws.js';
import { silentLogger } from '../../src/log.js';
import { useDemoBot } from '../helpers/bot.js';
import { button, text } from '../helpers/cards.js';

const OFFICER = 'ou_demo_wu_lei';

function header(eventId: string, eventType: string) {
  return {
    event_id: eventId,
    event_type: eventType,
    create_time: '1763000000000',
    token: 'verification-token',
    app_id: 'cli_x',
    tenant_key: 'tk',
  };
}

describe('long connection: events through the SDK dispatcher', () => {
  const { t, bot } = useDemoBot('2026-11-13T09:00:00+08:00', '2026-11-13');

  function dispatcher() {
    return createWsDispatcher({
      logger: silentLogger,
      receive: bot.runtime.receive,
      defer: (label, fn) => void bot.runtime.background.run(label, fn),
    });
  }

  it('answers a text message (schema 2.0) in the sender’s chat, once even when Lark delivers it twice', async () => {
    const payload = {
      schema: '2.0',
      header: header('ev_ws_msg_1', 'im.message.receive_v1'),
      event: {
        sender: { sender_id: { open_id: OFFICER }, sender_type: 'user' },
        message: {
          message_id: 'om_ws_1',
          chat_id: bot.emulator.p2pChatId(OFFICER),
          chat_type: 'p2p',
          message_type: 'text',
          content: JSON.stringify({ text: '帮助' }),
        },
      },
    };
    const d = dispatcher();
    await d.invoke(payload, { needCheck: false });
    await d.invoke(structuredClone(payload), { needCheck: false });
    await bot.runtime.background.settle();
    // The reply is queued against the Lark message it answers (the emulator never saw om_ws_1, so the row is
    // checked rather than the delivery).
    const rows = await t.db.select().from(outbox).where(eq(outbox.targetMessageId, 'om_ws_1'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.op).toBe('reply');
    expect(JSON.stringify(rows[0]!.content)).toContain('填报');
  });

  it('answers a card callback with the toast in the returned body and records the report', async () => {
    await runJob(bot.runtime.deps, reminders, bot.clock.now());
    await bot.settle();
    const [card] = bot.emulator.messages({ openId: OFFICER }).filter((m) => m.msg_type === 'interactive');
    expect(card).toBeDefined();
    const nochange = button(card!.content, { a: 'report_nochange' });
    const payload = {
      schema: '2.0',
      header: header('ev_ws_card_1', 'card.action.trigger'),
      event: {
        operator: { open_id: OFFICER, tenant_key: 'tk' },
        token: 'c-card-update-token',
        action: { tag: 'button', value: nochange.value },
        host: 'im_message',
        context: { open_message_id: card!.message_id, open_chat_id: card!.chat_id },
      },
    };
    const answer = (await dispatcher().invoke(payload, { needCheck: false })) as { toast?: { content: string }; card?: unknown };
    expect(answer.toast?.content).toContain('本月无变化');
    expect(answer.card).toBeDefined();
    expect(text(answer.card)).toContain('本月无变化');
    const projectId = Number(nochange.value.p);
    const rows = await t.db
      .select()
      .from(reports)
      .where(and(eq(reports.projectId, projectId), eq(reports.period, '2026-11')));
    expect(rows).toHaveLength(1);
    const [p] = await t.db.select().from(projects).where(eq(projects.id, projectId));
    expect(p).toBeDefined();
  });
});

describe('long connection: rebuilding the envelope from the SDK’s flat object', () => {
  const marker = Symbol('event-type');

  it('copies only string keys (the SDK’s Symbol marker is left behind) and keeps the card token in the event', () => {
    const flat = {
      [marker]: 'card.action.trigger',
      schema: '2.0',
      ...header('ev_1', 'card.action.trigger'),
      operator: { open_id: 'ou_1' },
      token: 'c-update',
      action: { value: { a: 'x' } },
    };
    const env = toEnvelope('card.action.trigger', flat);
    expect(env).not.toBeNull();
    expect(env!.header.event_id).toBe('ev_1');
    expect(env!.event.token).toBe('c-update');
    expect(Object.getOwnPropertySymbols(env!.event)).toHaveLength(0);
    expect(env!.event).not.toHaveProperty('event_id');
  });

  it('refuses an event without an id', () => {
    expect(toEnvelope('im.message.receive_v1', { [marker]: 'x', message: {} })).toBeNull();
  });
});
