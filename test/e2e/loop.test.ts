import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema.js';
import { useDemoBot } from '../helpers/bot.js';

const OFFICER = 'ou_demo_wu_lei';

describe('the Lark loop through the emulator', () => {
  const { t, bot } = useDemoBot('2026-11-13T09:00:00+08:00', '2026-11-13');

  it('answers 帮助 in p2p with the command list', async () => {
    const res = await bot.emulator.sendText(OFFICER, '帮助');
    expect(res.status).toBe(200);
    await bot.settle();
    const msgs = bot.emulator.messages({ openId: OFFICER });
    expect(msgs).toHaveLength(1);
    expect(JSON.stringify(msgs[0]!.content)).toContain('我的项目');
  });

  it('answers /help when @-mentioned in a group, and ignores the group otherwise', async () => {
    await bot.emulator.sendText(OFFICER, '/help', { chatId: 'oc_demo_df_mech', mentionBot: true });
    await bot.emulator.sendText(OFFICER, '/help', { chatId: 'oc_demo_df_mech', mentionBot: false });
    await bot.settle();
    expect(bot.emulator.messages({ chatId: 'oc_demo_df_mech' })).toHaveLength(1);
  });

  it('a demo card button updates the card in place', async () => {
    await bot.emulator.sendText(OFFICER, '演示卡片');
    await bot.settle();
    const [cardMsg] = bot.emulator.messages({ openId: OFFICER });
    expect(cardMsg).toBeDefined();
    const click = await bot.emulator.clickCard(cardMsg!.message_id, OFFICER, { value: { a: 'demo_click', count: 0 } });
    expect(click.status).toBe(200);
    const updated = bot.emulator.message(cardMsg!.message_id)!;
    expect(JSON.stringify(updated.content)).toContain('已点击 1 次');
  });

  it('processes a redelivered event once', async () => {
    await bot.emulator.sendText(OFFICER, '帮助');
    await bot.settle();
    const ev = bot.emulator.events.at(-1)!;
    await bot.emulator.redeliver(ev.event_id);
    await bot.settle();
    expect(bot.emulator.messages({ openId: OFFICER })).toHaveLength(1);
  });

  it('greets a group it is added to and explains how an admin binds it', async () => {
    await bot.emulator.addBotToChat('oc_demo_unbound', 'ou_demo_he_jing');
    await bot.settle();
    const msgs = bot.emulator.messages({ chatId: 'oc_demo_unbound' });
    expect(msgs).toHaveLength(1);
    expect(JSON.stringify(msgs[0]!.content)).toContain('/bind 单位');
  });

  it('greets a group added by an officer with one line and no binding commands', async () => {
    await bot.emulator.addBotToChat('oc_demo_unbound', OFFICER);
    await bot.settle();
    const msgs = bot.emulator.messages({ chatId: 'oc_demo_unbound' });
    expect(msgs).toHaveLength(1);
    const shown = JSON.stringify(msgs[0]!.content);
    expect(shown).not.toContain('/bind');
    expect(shown).toContain('帮助');
  });

  it('tells someone the directory does not know that they need registering, and still answers 帮助', async () => {
    // 宋涛 left: no longer active in our directory, though Lark still knows him.
    const stranger = 'ou_demo_song_tao';
    await t.db.update(people).set({ active: false }).where(eq(people.openId, stranger));
    await bot.emulator.sendText(stranger, '我的项目');
    await bot.emulator.sendText(stranger, '帮助');
    await bot.settle();
    const msgs = bot.emulator.messages({ openId: stranger });
    expect(msgs.map((m) => JSON.stringify(m.content)).join()).toContain('没有您的人员信息');
    expect(msgs.map((m) => JSON.stringify(m.content)).join()).toContain('我的项目');
  });
});
