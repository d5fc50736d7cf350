/**
 * Plain-word questions that ask for more than a status card (issue 17, item 4), end to end through the emulator:
 * who has not reported (names, by unit), a project by a piece of its name or a pick-list, counts by amount or
 * stage, and why a project stands still — each inside the asker's scope, with figures checked by plain SQL.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { projects, reports } from '../../db/schema.js';
import type { EmuMessage } from '../../src/emulator/index.js';
import { rowsOf as rows } from '../../src/store/status-sql.js';
import { useDemoBot } from '../helpers/bot.js';
import { messageText } from '../helpers/cards.js';

const NOW = '2026-12-02T10:00:00+08:00';
const TODAY = '2026-12-02';
const CITY_GROUP = 'oc_demo_city_mech';
const DF_GROUP = 'oc_demo_df_mech';
const CHEN = 'ou_demo_chen_gang'; // 副市长, convenor
const YANG = 'ou_demo_yang_fan'; // 东丰县县长

describe('plain words that ask for names, counts, a project or a reason', () => {
  const { t, bot, clock } = useDemoBot(NOW, TODAY);

  async function ask(openId: string, text: string, chatId: string): Promise<EmuMessage> {
    clock.advance(1100);
    const before = bot.emulator.messages().length;
    expect((await bot.emulator.sendText(openId, text, { chatId, mentionBot: true })).status).toBe(200);
    await bot.settle();
    const out = bot.emulator.messages().slice(before);
    expect(out, text).toHaveLength(1);
    return out[0]!;
  }

  it('这个月还有谁没填报: names by unit, every owner owing a report and no one else', async () => {
    const owing = rows<{ name: string }>(
      await t.db.execute(sql`select distinct pe.name from projects p join people pe on pe.id = p.owner_id
        where p.stage in ('planning','negotiating','intent','signed','landed')
          and not exists (select 1 from reports r where r.project_id = p.id and r.period = '2026-12')`),
    ).map((r) => r.name);
    expect(owing.length).toBeGreaterThan(3);
    const m = await ask(CHEN, '这个月还有谁没填报', CITY_GROUP);
    expect(m.msg_type).toBe('text');
    const text = messageText(m);
    expect(text).toContain('尚未填报');
    for (const name of owing) expect(text, name).toContain(name);
    // One owner reports everything: their name leaves the list.
    const [wu] = rows<{ id: number }>(await t.db.execute(sql`select id from people where open_id = 'ou_demo_wu_lei'`));
    const own = await t.db
      .select()
      .from(projects)
      .where(sql`owner_id = ${wu!.id}`);
    for (const p of own)
      await t.db.insert(reports).values({ projectId: p.id, period: '2026-12', reporterId: wu!.id, noChange: true }).onConflictDoNothing();
    expect(messageText(await ask(CHEN, '谁还没报', CITY_GROUP))).not.toContain('吴磊');
  });

  it('a county group hears only its own county’s names', async () => {
    const text = messageText(await ask(YANG, '东丰县谁还没填', DF_GROUP));
    expect(text).toContain('东丰');
    for (const other of ['曹宇', '彭博', '邓欣', '叶青', '宋涛']) expect(text).not.toContain(other);
  });

  it('亿元以上项目有多少 and 落地了几个项目: counts equal to plain SQL, with the projects', async () => {
    const [big] = rows<{ n: number }>(
      await t.db.execute(sql`select count(*)::int as n from projects
        where stage in ('planning','negotiating','intent','signed','landed')
          and coalesce(contract_amount_fen, planned_investment_fen) >= ${10_000 * 1_000_000}`),
    );
    const m = await ask(CHEN, '亿元以上项目有多少', CITY_GROUP);
    expect(m.msg_type).toBe('interactive');
    expect(messageText(m)).toContain(`共 **${big!.n}** 个项目`);
    const [landed] = rows<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from projects where stage = 'landed'`));
    expect(messageText(await ask(CHEN, '落地了几个项目', CITY_GROUP))).toContain(`共 **${landed!.n}** 个项目`);
  });

  it('a piece of a name finds the project, or offers the choice when it fits several', async () => {
    expect(messageText(await ask(CHEN, '风电项目现在什么情况', CITY_GROUP))).toContain('200MW风电项目');
    const choice = messageText(await ask(CHEN, '梅花鹿项目怎么样', CITY_GROUP));
    expect(choice).toContain('梅花鹿精深加工项目');
    expect(choice).toContain('梅花鹿主题乐园');
  });

  it('储能电站为什么停了: the reasons first', async () => {
    const text = messageText(await ask(CHEN, '储能电站为什么停了', CITY_GROUP));
    expect(text).toContain('储能电站示范项目');
    expect(text).toMatch(/距上次实质性进展 \d+ 天/);
  });

  it('refused: a pick-list never offers what lies outside the scope', async () => {
    // 东丰县's group asks about 光伏: the two 光伏 projects are 东辽县's, so the county hears "not found".
    const text = messageText(await ask(YANG, '光伏项目怎么样', DF_GROUP));
    expect(text).not.toContain('光伏发电');
    expect(text).not.toContain('整县推进');
  });
});
