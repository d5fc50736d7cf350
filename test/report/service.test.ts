import { describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { auditLog, people, projects, stageHistory, units } from '../../db/schema.js';
import { useDemoBot } from '../helpers/bot.js';
import { button, text } from '../helpers/cards.js';
import { nextProjectCode } from '../../src/store/projects.js';

/*
 * The reporting commands beyond the monthly form (which test/e2e/reporting.test.ts drives): 我的项目, 推进, 新建项目,
 * the pick-list, delegation, and what a forged button value gets. Through the emulator, as officers use them.
 */

const NOV13 = '2026-11-13T09:00:00+08:00';
const ZHENG = 'ou_demo_zheng_hao'; // owner in 东丰县; delegate of 冯雪 (away until 11-23)
const FENG = 'ou_demo_feng_xue';

describe('the reporting commands', () => {
  const { t, bot, clock } = useDemoBot(NOV13, '2026-11-13');

  const lastTo = (openId: string) => bot.emulator.messages({ openId }).at(-1)!;
  /** Sends a text and waits for the bot's answer (under load, delivery may need more than one settle). */
  async function say(openId: string, words: string) {
    const before = bot.emulator.messages({ openId }).length;
    await bot.emulator.sendText(openId, words);
    await expect
      .poll(
        async () => {
          await bot.settle();
          return bot.emulator.messages({ openId }).length;
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThan(before);
    return lastTo(openId);
  }
  async function personId(openId: string) {
    return (await t.db.select().from(people).where(eq(people.openId, openId)))[0]!.id;
  }

  describe('works', () => {
    it('我的项目 lists exactly the person’s reporting projects, with the counts', async () => {
      const own = await t.db
        .select({ code: projects.code })
        .from(projects)
        .where(
          and(
            eq(projects.ownerId, await personId(ZHENG)),
            inArray(projects.stage, ['planning', 'negotiating', 'intent', 'signed', 'landed']),
          ),
        );
      expect(own.length).toBeGreaterThan(0);
      const m = await say(ZHENG, '我的项目');
      const shown = text(m.content);
      expect(shown).toContain('我的项目');
      expect(shown).toContain(`共 ${own.length} 个项目`);
      expect([...shown.matchAll(/（(LY2026-\d{3})）/g)].map((x) => x[1]).sort()).toEqual(own.map((p) => p.code).sort());
    });

    it('推进 moves a project at once when nothing more is needed, once, and asks for the form when more is', async () => {
      const [before] = await t.db.select().from(projects).where(eq(projects.code, 'LY2026-002'));
      expect(before!.stage).toBe('negotiating');
      const m = await say(ZHENG, '推进 LY2026-002 意向');
      expect(text(m.content)).toContain('已将');
      const ev = bot.emulator.events.at(-1)!;
      await bot.emulator.redeliver(ev.event_id);
      await bot.settle();
      const [after] = await t.db.select().from(projects).where(eq(projects.id, before!.id));
      expect(after!.stage).toBe('intent');
      expect(
        await t.db
          .select()
          .from(stageHistory)
          .where(and(eq(stageHistory.projectId, before!.id), eq(stageHistory.toStage, 'intent'))),
      ).toHaveLength(1);

      const form = await say(ZHENG, '推进 LY2026-002 签约');
      expect(text(form.content)).toContain('还需要补充信息');
      expect(text(form.content)).toContain('填报项目进展');
    });

    it('填报 with several matches offers a pick-list whose buttons open the form', async () => {
      const m = await say(ZHENG, '填报 项目');
      expect(text(m.content)).toContain('找到多个项目');
      const pick = button(m.content, { a: 'report_open' });
      const opened = await bot.emulator.clickCard(m.message_id, ZHENG, { value: pick.value });
      expect(opened.status).toBe(200);
      expect(text(bot.emulator.message(m.message_id)!.content)).toContain('填报项目进展');
    });

    it('新建项目 enters a project into 谋划 with the next code, once, and refuses the same name again', async () => {
      const m = await say(ZHENG, '新建项目');
      expect(text(m.content)).toContain('新建项目');
      const submit = button(m.content, { a: 'new_submit' });
      const empty = await bot.emulator.clickCard(m.message_id, ZHENG, { value: submit.value, form_value: { planned: '很多' } });
      expect(empty.toast?.type).toBe('error');
      expect(text(bot.emulator.message(m.message_id)!.content)).toContain('请填写项目名称');

      const typed = { name: '测试新材料项目', investor: '某某新材料有限公司', planned: '1.5亿', host: '东丰县', chain: '新能源' };
      // The ledgers' scheme (issue 17): the city's code, the year, the next number after the imported ones.
      const code = await nextProjectCode(t.db, 2026, 'LY');
      expect(code).toMatch(/^LY2026-\d{3}$/);
      const ok = await bot.emulator.clickCard(m.message_id, ZHENG, { value: submit.value, form_value: typed });
      expect(ok.toast?.type).toBe('success');
      const [created] = await t.db.select().from(projects).where(eq(projects.name, typed.name));
      const [df] = await t.db.select().from(units).where(eq(units.code, 'LY-DF'));
      expect(created).toMatchObject({
        code,
        stage: 'planning',
        ownerId: await personId(ZHENG),
        hostUnitId: df!.id,
        plannedInvestmentFen: 150_000_000 * 100,
        stageEnteredOn: '2026-11-13',
      });
      expect(text(bot.emulator.message(m.message_id)!.content)).toContain(code);
      expect(
        await t.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.action, 'project.create'), eq(auditLog.entityId, String(created!.id)))),
      ).toHaveLength(1);

      const again = await say(ZHENG, '新建项目');
      const dup = await bot.emulator.clickCard(again.message_id, ZHENG, {
        value: button(again.content, { a: 'new_submit' }).value,
        form_value: typed,
      });
      expect(dup.toast?.type).toBe('error');
      expect(text(bot.emulator.message(again.message_id)!.content)).toContain(code);
      expect(await t.db.select().from(projects).where(eq(projects.name, typed.name))).toHaveLength(1);

      // A name with pattern characters is a name, not a pattern: '%' matches no other project, reveals no code.
      const third = await say(ZHENG, '新建项目');
      const wild = await bot.emulator.clickCard(third.message_id, ZHENG, {
        value: button(third.content, { a: 'new_submit' }).value,
        form_value: { ...typed, name: '%' },
      });
      expect(wild.toast?.type).toBe('success');
      const [made] = await t.db.select().from(projects).where(eq(projects.name, '%'));
      const codes = [...text(bot.emulator.message(third.message_id)!.content).matchAll(/LY2026-\d+/g)].map((x) => x[0]);
      expect(codes).toEqual([made!.code]);
    });
  });

  describe('refused', () => {
    it('a delegate reports for the away owner only while the delegation lasts', async () => {
      const [p] = await t.db
        .select()
        .from(projects)
        .where(and(eq(projects.ownerId, await personId(FENG)), eq(projects.stage, 'signed')));
      const m = await say(ZHENG, '帮助'); // any card in 郑浩's chat will carry the click
      const click = (value: Record<string, unknown>) => bot.emulator.clickCard(m.message_id, ZHENG, { value });
      const during = await click({ a: 'report_open', p: p!.id, period: '2026-11' });
      expect(during.toast).toBeUndefined();
      expect(text(bot.emulator.message(m.message_id)!.content)).toContain('填报项目进展');

      clock.set('2026-11-30T09:00:00+08:00'); // 冯雪 is back: the delegation is over
      const after = await click({ a: 'report_open', p: p!.id, period: '2026-11' });
      // Outside his remit again, her project is answered as one that does not exist (issue 13, refusals).
      expect(after.toast?.content).toBe('没有找到该项目');
    });

    it('推进 finds only the person’s own projects', async () => {
      const m = await say(ZHENG, '推进 200MW风电项目 落地'); // 吴磊's
      expect(text(m.content)).toContain('没有找到');
      const [p] = await t.db.select().from(projects).where(eq(projects.name, '200MW风电项目'));
      expect(p!.stage).toBe('signed');
    });
  });

  describe('attacked', () => {
    it('a forged button value changes nothing and gets only a refusal toast', async () => {
      const m = await say(ZHENG, '帮助');
      const before = JSON.stringify(bot.emulator.message(m.message_id)!.content);
      for (const value of [
        { a: 'report_open', p: '1 or 1=1' },
        { a: 'report_nochange', p: -1, period: "2026-11'; drop table reports; --" },
        { a: 'report_submit', p: { id: 1 } },
      ]) {
        const r = await bot.emulator.clickCard(m.message_id, ZHENG, { value });
        expect(r.status).toBe(200);
        expect(r.toast).toEqual({ type: 'error', content: '没有找到该项目' });
      }
      expect(JSON.stringify(bot.emulator.message(m.message_id)!.content)).toBe(before);
      const list = await bot.emulator.clickCard(m.message_id, ZHENG, { value: { a: 'report_list', ids: ['x', -1, 2.5, 'constructor'] } });
      expect(list.status).toBe(200);
      expect(text(bot.emulator.message(m.message_id)!.content)).not.toContain('LY2026-');
    });
  });
});
