/**
 * The bot menu (机器人自定义菜单, event application.bot.menu_v6): each item pushes an event key the bot maps to a
 * command, answered in the presser's p2p chat as if they had typed it.
 */
import { describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS } from '../../src/config.js';
import { useDemoBot } from '../helpers/bot.js';
import { text } from '../helpers/cards.js';

const OFFICER = 'ou_demo_wu_lei';

describe('bot menu', () => {
  const { bot } = useDemoBot('2026-11-13T09:00:00+08:00', '2026-11-13');

  async function press(openId: string, key: string) {
    const res = await bot.emulator.pressMenu(openId, key);
    expect(res.status).toBe(200);
    await bot.settle();
    return bot.emulator.messages({ openId, from: 'bot' });
  }

  it('我的项目 answers with the officer’s own list, as the typed command does', async () => {
    const got = await press(OFFICER, 'mine');
    expect(got.length).toBeGreaterThan(0);
    expect(text(got[0]!.content)).toContain('LY2026-');
  });

  it('帮助 and 进展 answer in the presser’s chat', async () => {
    expect(text((await press(OFFICER, 'help'))[0]!.content)).toContain('填报');
    const status = await press(OFFICER, 'status');
    expect(status.length).toBeGreaterThan(1);
  });

  it('ignores keys that are not menu items, prototype names included', async () => {
    // Lark only pushes configured items; a forged delivery is what could carry another key.
    for (const [i, key] of ['constructor', '__proto__', 'no_such_item'].entries()) {
      const res = await bot.emulator.deliverRaw({
        schema: '2.0',
        header: {
          event_id: `ev_menu_forged_${i}`,
          event_type: 'application.bot.menu_v6',
          create_time: String(Date.now()),
          token: EMULATOR_CREDENTIALS.verificationToken,
        },
        event: { operator: { operator_id: { open_id: OFFICER } }, event_key: key },
      });
      expect(res.status).toBe(200);
    }
    await bot.settle();
    expect(bot.emulator.messages({ openId: OFFICER, from: 'bot' })).toHaveLength(0);
  });
});
