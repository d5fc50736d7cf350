/**
 * Issue 13, items 3–5: `/bind` and `/unbind` within the admin's remit, on both sides (the scope asked for and the
 * group's current binding); a project-centre binding names its unit; chains are per government. Data unlike the
 * demo: a second city (四平市) with its own 新能源 chain, a province chain, and a county admin (吴磊 of 东丰县).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, chains, chatGroups, people, units } from '../../db/schema.js';
import type { EmuMessage } from '../../src/emulator/index.js';
import { useDemoBot } from '../helpers/bot.js';
import { messageText } from '../helpers/cards.js';

const GROUP = 'oc_demo_unbound'; // members: 何静 (city admin), 吴磊, 叶青, 张伟
const HE = 'ou_demo_he_jing'; // 辽源市商务局, admin: the city
const WU = 'ou_demo_wu_lei'; // made a county admin of 东丰县 below

describe('binding groups within the remit', () => {
  const { t, bot, clock } = useDemoBot('2026-11-25T10:00:00+08:00', '2026-11-25');
  const ids: Record<string, number> = {};

  beforeEach(async () => {
    await t.db
      .update(people)
      .set({ roles: ['owner', 'admin'] })
      .where(eq(people.name, '吴磊'));
    const [jl] = await t.db.select().from(units).where(eq(units.code, 'JL'));
    const [sp] = await t.db.insert(units).values({ code: 'SP', name: '四平市', kind: 'city', parentId: jl!.id, path: '' }).returning();
    await t.db
      .update(units)
      .set({ path: `${jl!.path}${sp!.id}/` })
      .where(eq(units.id, sp!.id));
    const [spXny] = await t.db.insert(chains).values({ name: '新能源', governmentUnitId: sp!.id }).returning();
    const [car] = await t.db.insert(chains).values({ name: '汽车', governmentUnitId: jl!.id }).returning();
    const [lyXny] = await t.db
      .select()
      .from(chains)
      .where(eq(chains.name, '新能源'))
      .then((cs) => cs.filter((c) => c.id !== spXny!.id));
    Object.assign(ids, { sp: sp!.id, spXny: spXny!.id, car: car!.id, lyXny: lyXny!.id });
  });

  async function ask(openId: string, text: string): Promise<string> {
    clock.advance(1100);
    const before = bot.emulator.messages().length;
    await bot.emulator.sendText(openId, text, { chatId: GROUP, mentionBot: true });
    await bot.settle();
    const out: EmuMessage[] = bot.emulator.messages().slice(before);
    return out.map((m) => messageText(m)).join('\n');
  }
  const binding = async () => (await t.db.select().from(chatGroups).where(eq(chatGroups.chatId, GROUP)))[0];

  it('works: the city admin binds the city, its own 新能源 (not another city’s), and a centre named by its unit', async () => {
    expect(await ask(HE, '/bind 单位 辽源市')).toContain('辽源市机制群');
    expect(await ask(HE, '/bind 产业链 新能源')).toContain('原为：辽源市机制群');
    expect((await binding())!.chainId).toBe(ids.lyXny);
    expect(await ask(HE, '/bind 项目中心 辽源市项目管理和推进中心')).toContain('项目管理和推进中心群');
    const [ly] = await t.db.select().from(units).where(eq(units.code, 'LY'));
    expect(await binding()).toMatchObject({ bindingKind: 'centre', unitId: ly!.id });
    // The county admin binds an unbound group to the county.
    expect(await ask(HE, '/unbind')).toContain('已解除本群绑定');
    expect(await ask(WU, '/bind 单位 东丰县')).toContain('东丰县机制群');
  });

  it('refuses: a centre without its unit or with a department, another city, a province chain', async () => {
    expect(await ask(HE, '/bind 项目中心')).toContain('请写明所服务的单位');
    expect(await ask(HE, '/bind 项目中心 辽源市商务局')).toContain('不是项目管理和推进中心');
    expect(await ask(HE, '/bind 单位 四平市')).toContain('“四平市”不在您管理的范围（辽源市）内');
    // A chain outside the remit is answered as one that does not exist.
    expect(await ask(HE, '/bind 产业链 汽车')).toContain('没有找到产业链“汽车”');
    expect(await binding()).toMatchObject({ bindingKind: null });
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, GROUP));
    expect(audit).toHaveLength(0);
  });

  it('an attacker: the county admin neither rebinds nor unbinds the city’s group, nor binds beyond the county', async () => {
    await ask(HE, '/bind 单位 辽源市');
    const before = await binding();
    const rebind = await ask(WU, '/bind 单位 东丰县');
    expect(rebind).toContain('本群当前绑定的范围不在您管理的范围内');
    expect(await ask(WU, '/unbind')).toContain('本群当前绑定的范围不在您管理的范围内');
    expect(await binding()).toMatchObject({ bindingKind: before!.bindingKind, unitId: before!.unitId });
    await ask(HE, '/unbind');
    expect(await ask(WU, '/bind 单位 东辽县')).toContain('“东辽县”不在您管理的范围（东丰县）内');
    // The city's chain and another city's are not the county's: not found, whatever exists.
    expect(await ask(WU, '/bind 产业链 新能源')).toContain('没有找到产业链“新能源”');
    expect(await ask(WU, '/bind 项目中心 辽源市项目管理和推进中心')).toContain('不在您管理的范围');
    expect(await binding()).toMatchObject({ bindingKind: null });
  });
});
