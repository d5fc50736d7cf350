/**
 * Issue 13, item 8: delegation and handover in chat. 郑浩 and 冯雪 are officers of 东丰县 (LY-DF), 吴磊 of its
 * commerce bureau (LY-DF-SW, another unit), 杨帆 leads 东丰县, 韩梅 leads 东辽县. Wednesday 2026-11-25.
 */
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, people, projects } from '../../db/schema.js';
import { reminders } from '../../src/jobs/reminders.js';
import { runJob } from '../../src/jobs/runner.js';
import { useDemoBot } from '../helpers/bot.js';
import { messageText } from '../helpers/cards.js';

const ZHENG = 'ou_demo_zheng_hao';
const FENG = 'ou_demo_feng_xue';
const WU = 'ou_demo_wu_lei';
const YANG = 'ou_demo_yang_fan';
const HAN = 'ou_demo_han_mei';

describe('delegation and handover in chat', () => {
  const { t, bot, clock } = useDemoBot('2026-11-25T10:00:00+08:00', '2026-11-25');

  async function ask(openId: string, text: string): Promise<string> {
    clock.advance(1100);
    const before = bot.emulator.messages().length;
    const res = await bot.emulator.sendText(openId, text);
    expect(res.status).toBe(200);
    await bot.settle();
    return bot.emulator
      .messages()
      .slice(before)
      .filter((m) => m.open_id === openId)
      .map((m) => messageText(m))
      .join('\n');
  }
  const person = async (name: string) => (await t.db.select().from(people).where(eq(people.name, name)))[0]!;

  it('works: the owner sets 请假 with a delegate and an end date, the delegate is told, 销假 ends it; the lead does it for him', async () => {
    const set = await ask(ZHENG, '请假 冯雪 12月10日');
    expect(set).toContain('郑浩请假至2026年12月10日');
    const feng = await person('冯雪');
    expect(await person('郑浩')).toMatchObject({ delegateId: feng.id, awayUntil: '2026-12-10' });
    expect(
      bot.emulator
        .messages({ openId: FENG })
        .map((m) => messageText(m))
        .join(),
    ).toContain('期间由您代为填报');

    expect(await ask(ZHENG, '销假')).toContain('已销假');
    expect(await person('郑浩')).toMatchObject({ delegateId: null, awayUntil: null });
    expect(await ask(ZHENG, '销假')).toContain('没有在请假或出差代理中');

    expect(await ask(YANG, '出差 郑浩 冯雪 下周三')).toContain('郑浩出差至2026年12月2日');
    expect(await person('郑浩')).toMatchObject({ delegateId: feng.id, awayUntil: '2026-12-02' });
    expect(await ask(YANG, '销假 郑浩')).toContain('已销假');
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entity, 'person'));
    expect(audit.map((a) => a.action)).toEqual(['person.delegate', 'person.delegate_end', 'person.delegate', 'person.delegate_end']);
  });

  it('refuses: a delegate of another unit, an end date in the past, no date, a lead of another unit', async () => {
    // 吴磊 works for the county's bureau, a unit of its own: 郑浩 of the county is not his colleague.
    expect(await ask(WU, '请假 郑浩 12月10日')).toContain('本单位没有名为“郑浩”的同事');
    const past = await ask(ZHENG, '请假 冯雪 2026-11-01');
    expect(past).toContain('已经过去');
    expect(await ask(ZHENG, '请假 冯雪')).toContain('请这样写');
    expect(await ask(ZHENG, '请假 冯雪 13月40日')).toContain('13月40日');
    // 东辽县's lead finds nobody called 郑浩 under 东辽县: answered as someone who does not exist.
    expect(await ask(HAN, '请假 郑浩 冯雪 12月10日')).toContain('没有找到人员“郑浩”');
    expect(await ask(HAN, '销假 郑浩')).toContain('没有找到人员“郑浩”');
    // A colleague cannot put 郑浩 on leave.
    expect(await ask(FENG, '请假 郑浩 冯雪 12月10日')).toContain('只有郑浩本人或其单位负责人可以设置');
    expect(await person('郑浩')).toMatchObject({ delegateId: null, awayUntil: null });
    expect(await t.db.select().from(auditLog).where(eq(auditLog.entity, 'person'))).toHaveLength(0);
  });

  it('hands one or all of an officer’s projects to a colleague of the unit: the unit lead only, audited', async () => {
    const zheng = await person('郑浩');
    const feng = await person('冯雪');
    const owned = await t.db.select().from(projects).where(eq(projects.ownerId, zheng.id));
    expect(owned.length).toBeGreaterThan(1);
    const fengHad = (await t.db.select().from(projects).where(eq(projects.ownerId, feng.id))).length;

    // Refused: not a lead, another unit's lead, a receiver of another unit.
    expect(await ask(FENG, '交接 郑浩 冯雪')).toContain('只有郑浩所在单位的负责人可以交接');
    expect(await ask(HAN, '交接 郑浩 冯雪')).toContain('没有找到人员“郑浩”');
    expect(await ask(YANG, '交接 郑浩 吴磊')).toContain('项目只能交接给与郑浩同一单位的人员');
    expect(await t.db.select().from(projects).where(eq(projects.ownerId, zheng.id))).toHaveLength(owned.length);

    const one = owned[0]!;
    const single = await ask(YANG, `交接 郑浩 冯雪 ${one.code}`);
    expect(single).toContain('已将郑浩负责的1个项目交接给冯雪');
    expect(single).toContain(one.name);
    const rest = await ask(YANG, '交接 郑浩 冯雪');
    expect(rest).toContain(`已将郑浩负责的${owned.length - 1}个项目交接给冯雪`);
    expect(await t.db.select().from(projects).where(eq(projects.ownerId, zheng.id))).toHaveLength(0);
    expect(await t.db.select().from(projects).where(eq(projects.ownerId, feng.id))).toHaveLength(fengHad + owned.length);
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'project.handover'), eq(auditLog.actorId, (await person('杨帆')).id)));
    expect(audit).toHaveLength(owned.length);
    expect(audit[0]).toMatchObject({ before: { ownerId: zheng.id }, after: { ownerId: feng.id } });
    expect(
      bot.emulator
        .messages({ openId: FENG })
        .map((m) => messageText(m))
        .join(),
    ).toContain('已交接给您');
    expect(await ask(YANG, '交接 郑浩 冯雪')).toContain('名下没有项目');
  });

  it('sends the reminder of an owner without a Lark account to the unit lead, with the owner’s list', async () => {
    await t.db.update(people).set({ openId: null }).where(eq(people.name, '郑浩'));
    // 吴磊's bureau has no lead of its own: the county's lead above it is told.
    await t.db.update(people).set({ active: false }).where(eq(people.name, '吴磊'));
    clock.set('2026-11-19T09:00:00+08:00'); // the last round before the 20th
    const deps = bot.runtime.deps;
    await runJob(deps, reminders, clock.now());
    await bot.settle();
    const toLead = bot.emulator.messages({ openId: YANG }).map((m) => messageText(m));
    expect(toLead.join('\n')).toContain('郑浩');
    expect(toLead.join('\n')).toContain('吴磊');
    expect(bot.emulator.messages({ openId: WU })).toHaveLength(0);
  });
});
