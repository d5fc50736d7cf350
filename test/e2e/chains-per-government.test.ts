import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { projects } from '../../db/schema.js';
import { demoPeople, demoProjects } from '../../db/seed/demo-data.js';
import { digestWeekly } from '../../src/jobs/digest.js';
import { summaryMonthly } from '../../src/jobs/summaries.js';
import { useDemoBot } from '../helpers/bot.js';
import { messageText } from '../helpers/cards.js';
import { addSecondCity, SP, twoCityDirectory } from '../helpers/second-city.js';

/*
 * Issue 13, item 3: chains belong to a government. With two cities each having a 新能源 chain group (linked to the
 * province's 新能源), neither group's status, monthly summary or any lead's digest names a project, person or
 * problem of the other city.
 */

const NOW = '2026-11-23T10:00:00+08:00'; // Monday, the first workday after the 2026-11-20 deadline
const LY_CHAIN_CHAT = 'oc_demo_chain_xny';
const CHEN = 'ou_demo_chen_gang'; // Liaoyuan's 新能源 chain leader

/** What of Liaoyuan's 新能源 a 四平 card must never show: its projects, their codes and owners. */
const lyXny = demoProjects.filter((p) => p.chain === '新能源');
const lyNames = [
  ...lyXny.map((p) => p.name),
  ...lyXny.map((p) => p.code),
  ...[...new Set(lyXny.map((p) => p.owner))].map((k) => demoPeople.find((x) => x.key === k)!.name),
];
/** What of 四平 a Liaoyuan card must never show. */
const spNames = [SP.projectName, SP.projectCode, SP.problemText, SP.ownerName, SP.offlineName, '四平梨树风光储一体化项目', '梨树县'];

function expectNone(text: string, names: readonly string[], where: string) {
  for (const n of names) expect(text, `${where} names “${n}”`).not.toContain(n);
}

describe('chains per government: two cities, two 新能源 groups', () => {
  const { t, bot, clock } = useDemoBot(NOW, '2026-11-23', { directory: twoCityDirectory() });
  beforeEach(async () => {
    const sp = await addSecondCity(t.db, '2026-11-20');
    // Before chains had governments (migration 0001), a chain was one row for the whole province: a 四平 project
    // may still point at Liaoyuan's 新能源. Liaoyuan's chain is Liaoyuan's projects only, whatever the tag says.
    await t.db.update(projects).set({ chainId: sp.chains.ly }).where(eq(projects.id, sp.offlineProject));
  });

  async function ask(openId: string, text: string, chatId?: string) {
    clock.advance(1100);
    const before = bot.emulator.messages().length;
    const res = await bot.emulator.sendText(openId, text, chatId ? { chatId, mentionBot: true } : undefined);
    expect(res.status).toBe(200);
    await bot.settle();
    return bot.emulator
      .messages()
      .slice(before)
      .map((m) => messageText(m))
      .join('\n');
  }

  it('status: each chain group sees its own city’s chain, and the other city’s project does not exist for it', async () => {
    const sp = await ask(SP.chain, '/status', SP.chainChat);
    expect(sp).toContain('新能源产业链');
    expectNone(sp, lyNames, '四平 chain status');
    expect(await ask(SP.chain, `/status ${SP.projectName}`, SP.chainChat)).toContain(SP.projectCode);

    const ly = await ask(CHEN, '/status', LY_CHAIN_CHAT);
    expect(ly).toContain('新能源产业链');
    expectNone(ly, spNames, 'Liaoyuan chain status');
    // Named by its full name or its code, 四平's project is answered as one that does not exist.
    for (const words of [SP.projectName, SP.projectCode, '四平梨树风光储一体化项目', '秘密']) {
      const answer = await ask(CHEN, `/status ${words}`, LY_CHAIN_CHAT);
      expect(answer).toContain('没有找到');
      expect(answer).not.toContain('不在'); // not "不在…的查询范围内": that would say something matched elsewhere
    }
    // The chain named in words is the group's own chain, not the other city's of the same name.
    expectNone(await ask(CHEN, '新能源链进展', LY_CHAIN_CHAT), spNames, 'Liaoyuan chain words');
  });

  it('p2p: a city chain leader sees the city’s chain only; the province chain leader sees both linked city chains', async () => {
    const sp = await ask(SP.chain, '/status 新能源');
    expectNone(sp, lyNames, '四平 chain leader p2p');
    expect(await ask(SP.chain, `/status ${lyXny[0]!.name}`)).toContain('没有找到');
    expect(await ask(SP.provinceChain, `/status ${SP.projectName}`)).toContain(SP.projectCode);
    expect(await ask(SP.provinceChain, `/status ${lyXny[0]!.name}`)).toContain(lyXny[0]!.code);
  });

  it('monthly summary: each chain group gets its own city’s roll-up', async () => {
    const result = await summaryMonthly.run(bot.runtime.deps, clock.now(), '2026-11');
    expect(result.sent).toBeGreaterThan(0);
    await bot.settle();
    const sp = bot.emulator.messages({ chatId: SP.chainChat }).map(messageText).join('\n');
    const ly = bot.emulator.messages({ chatId: LY_CHAIN_CHAT }).map(messageText).join('\n');
    expect(sp).toContain('新能源产业链');
    expect(ly).toContain('新能源产业链');
    expectNone(sp, lyNames, '四平 chain summary');
    expectNone(ly, spNames, 'Liaoyuan chain summary');
    // Every Liaoyuan group's summary keeps out of 四平.
    for (const chatId of ['oc_demo_city_mech', 'oc_demo_df_mech', 'oc_demo_chain_wy', 'oc_demo_centre']) {
      expectNone(bot.emulator.messages({ chatId }).map(messageText).join('\n'), spNames, chatId);
    }
  });

  it('weekly digest: each lead’s digest stays in their own government', async () => {
    clock.set('2026-11-30T09:30:00+08:00');
    const result = await digestWeekly.run(bot.runtime.deps, clock.now(), '2026-W49');
    expect(result.sent).toBeGreaterThan(0);
    await bot.settle();
    const spLead = bot.emulator.messages({ openId: SP.lead }).map(messageText).join('\n');
    expect(spLead).toContain('梨树县');
    expectNone(spLead, lyNames, '梨树县 lead digest');
    expectNone(bot.emulator.messages({ openId: SP.admin }).map(messageText).join('\n'), lyNames, '四平 admin digest');
    for (const key of ['yang_fan', 'zhang_wei', 'ma_dong', 'han_mei']) {
      expectNone(
        bot.emulator
          .messages({ openId: `ou_demo_${key}` })
          .map(messageText)
          .join('\n'),
        spNames,
        `${key} digest`,
      );
    }
  });
});
