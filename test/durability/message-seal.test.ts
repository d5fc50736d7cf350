/**
 * Issue 18 (and 14): a chat message's replies are queued and its inbox record marked done in one statement (or
 * one transaction), and the admission that lets the message in also makes its message_id seen. So a crash can no
 * longer fall between the reply queued and the event done (which had the message handled again), and a message
 * Lark delivers under a second event id is still answered once.
 * Split as: works (a command's answer, sealed where it is queued); refused (nobody, or a group message not for the
 * bot: answered or acknowledged, marked done once); attacked (the same message replayed under its own and under a
 * new event id). A sender id written as SQL is the admission's own test (test/store/inbox.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people, processedEvents } from '../../db/schema.js';
import { useDemoBot } from '../helpers/bot.js';
import { marksDone } from '../helpers/statements.js';

const NOW = '2026-11-13T09:00:00+08:00';
const OFFICER = 'ou_demo_wu_lei';

describe('a chat message answered and sealed in one statement', () => {
  const { t, bot } = useDemoBot(NOW, NOW.slice(0, 10), { observe: true });

  async function observed(fn: () => Promise<unknown>): Promise<string[]> {
    await bot.settle();
    t.statements.length = 0;
    await fn();
    await bot.settle();
    return [...t.statements];
  }

  const record = async (eventId: string) =>
    (
      await t.db
        .select()
        .from(processedEvents)
        .where(eq(processedEvents.key, `event:${eventId}`))
    )[0];

  it('works: 我的项目 is answered once, its reply queued by the statement that marks the event done', async () => {
    const statements = await observed(() => bot.emulator.sendText(OFFICER, '我的项目'));
    expect(bot.emulator.messages({ openId: OFFICER })).toHaveLength(1);
    const sealing = statements.filter(marksDone);
    expect(sealing, 'the event is marked done once').toHaveLength(1);
    expect(sealing[0]).toMatch(/insert into "outbox"/);
    const ev = bot.emulator.events.at(-1)!;
    const row = await record(ev.event_id);
    expect(row?.doneAt).not.toBeNull();
    expect(row?.leaseUntil).toBeNull();
    // the admission made the message seen in its own statement: no separate insert of the message key
    const seen = await t.db
      .select()
      .from(processedEvents)
      .where(eq(processedEvents.key, `message:${messageIdOf(ev.envelope)}`));
    expect(seen).toHaveLength(1);
    expect(statements.filter((s) => /insert into "processed_events"/.test(s))).toHaveLength(1);
  });

  it('refused: a person the bot does not know (宋涛 left; Lark still knows him) is told so, sealed the same way', async () => {
    const stranger = 'ou_demo_song_tao';
    await t.db.update(people).set({ active: false }).where(eq(people.openId, stranger));
    const statements = await observed(() => bot.emulator.sendText(stranger, '我的项目'));
    const told = bot.emulator.messages({ openId: stranger });
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0]!.content)).toContain('还没有您的人员信息');
    const sealing = statements.filter(marksDone);
    expect(sealing).toHaveLength(1);
    expect(sealing[0]).toMatch(/insert into "outbox"/);
  });

  it('refused: a group message not addressed to the bot (Lark may deliver it) gets no answer, and is marked done on its own', async () => {
    const group = 'oc_demo_df_mech';
    await observed(() => bot.emulator.sendText(OFFICER, '/help', { chatId: group, mentionBot: true }));
    const before = bot.emulator.messages({ chatId: group }).length;
    const asked = bot.emulator.events.at(-1)!;
    // the same group message without its mention of the bot, under a new event and message id
    const envelope = structuredClone(asked.envelope) as {
      header: { event_id: string };
      event: { message: { message_id: string; mentions?: unknown; content: string } };
    };
    envelope.header.event_id = `${asked.event_id}_quiet`;
    envelope.event.message.message_id = `${envelope.event.message.message_id}_quiet`;
    delete envelope.event.message.mentions;
    envelope.event.message.content = JSON.stringify({ text: '大家好' });
    const statements = await observed(() => bot.emulator.deliverRaw(envelope));
    expect(bot.emulator.messages({ chatId: group })).toHaveLength(before);
    const sealing = statements.filter(marksDone);
    expect(sealing).toHaveLength(1);
    expect(sealing[0]).not.toMatch(/outbox/);
    expect((await record(`${asked.event_id}_quiet`))?.doneAt).not.toBeNull();
  });

  it('attacked: the same message again, under its own event id and under a new one, is answered once', async () => {
    await observed(() => bot.emulator.sendText(OFFICER, '我的项目'));
    const first = bot.emulator.events.at(-1)!;
    expect(bot.emulator.messages({ openId: OFFICER })).toHaveLength(1);
    await observed(() => bot.emulator.redeliver(first.event_id));
    // Lark's other duplicate: one message under a second event id
    const envelope = structuredClone(first.envelope) as { header: { event_id: string } };
    envelope.header.event_id = `${first.event_id}_again`;
    const statements = await observed(() => bot.emulator.deliverRaw(envelope));
    expect(bot.emulator.messages({ openId: OFFICER })).toHaveLength(1);
    // the second event id is acknowledged and done, with no reply queued for it
    expect((await record(`${first.event_id}_again`))?.doneAt).not.toBeNull();
    expect(statements.some((s) => /insert into "outbox"/.test(s))).toBe(false);
  });
});

function messageIdOf(envelope: Record<string, unknown>): string {
  const ev = envelope['event'] as { message?: { message_id?: string } } | undefined;
  return ev?.message?.message_id ?? '';
}
