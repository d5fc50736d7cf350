import { describe, expect, it } from 'vitest';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { fundEntries, people, performanceLetters, projects, reportRevisions, reports, stageHistory, units } from '../../db/schema.js';
import { runJob } from '../../src/jobs/runner.js';
import { reminders } from '../../src/jobs/reminders.js';
import { overdue } from '../../src/jobs/overdue.js';
import { ageing } from '../../src/jobs/ageing.js';
import { letters } from '../../src/jobs/letters.js';
import { useDemoBot } from '../helpers/bot.js';
import { button, fields, text } from '../helpers/cards.js';

const NOV13 = '2026-11-13T09:00:00+08:00'; // Friday, 5 workdays before the 2026-11-20 deadline

describe('the reporting loop, end to end through the emulator', () => {
  const { t, bot, clock } = useDemoBot(NOV13, '2026-11-13');

  /** Independently: reporting projects without a 2026-11 report, by owner open_id. */
  async function expectedMissing(): Promise<Map<string, string[]>> {
    const rows = await t.db
      .select({ code: projects.code, openId: people.openId })
      .from(projects)
      .innerJoin(people, eq(people.id, projects.ownerId))
      .leftJoin(reports, and(eq(reports.projectId, projects.id), eq(reports.period, '2026-11')))
      .where(and(isNull(reports.id), inArray(projects.stage, ['planning', 'negotiating', 'intent', 'signed', 'landed'])));
    const m = new Map<string, string[]>();
    for (const r of rows) m.set(r.openId!, [...(m.get(r.openId!) ?? []), r.code]);
    return m;
  }

  const cardsTo = (openId: string) => bot.emulator.messages({ openId }).filter((m) => m.msg_type === 'interactive');

  it('sends each owner one card with exactly their missing projects, once, and the away owner’s to the delegate', async () => {
    const expected = await expectedMissing();
    expect(expected.size).toBeGreaterThan(3);
    const first = await runJob(bot.runtime.deps, reminders, clock.now());
    expect(first.status).toBe('done');
    await bot.settle();

    // 冯雪 (feng_xue) is away: her projects go to her delegate 郑浩 (zheng_hao), in a card of their own.
    const away = expected.get('ou_demo_feng_xue') ?? [];
    expect(away.length).toBeGreaterThan(0);
    expect(cardsTo('ou_demo_feng_xue')).toHaveLength(0);
    for (const [openId, codes] of expected) {
      if (openId === 'ou_demo_feng_xue') continue;
      const own = cardsTo(openId).filter((m) => !text(m.content).includes('外出期间'));
      expect(own, openId).toHaveLength(1);
      const shown = [...text(own[0]!.content).matchAll(/（(LY2026-\d{3})）/g)].map((x) => x[1]).sort();
      expect(shown).toEqual([...codes].sort());
    }
    const delegated = cardsTo('ou_demo_zheng_hao').filter((m) => text(m.content).includes('外出期间'));
    expect(delegated).toHaveLength(1);
    expect([...text(delegated[0]!.content).matchAll(/（(LY2026-\d{3})）/g)].map((x) => x[1]).sort()).toEqual([...away].sort());

    // Running again (same round), or in parallel, sends nothing more.
    const total = bot.emulator.messages().length;
    const again = await Promise.all([runJob(bot.runtime.deps, reminders, clock.now()), runJob(bot.runtime.deps, reminders, clock.now())]);
    expect(again.map((o) => o.status).sort()).toEqual(['already_done', 'already_done']);
    await bot.settle();
    expect(bot.emulator.messages().length).toBe(total);
  });

  it('tracks a performance letter to closure: listed, answered by its owner, closed by the first-talk unit’s lead only', async () => {
    await runJob(bot.runtime.deps, letters, clock.now());
    await bot.settle();
    const [open] = await t.db.select().from(performanceLetters).where(eq(performanceLetters.open, true));
    expect(open).toBeDefined();
    const [p] = await t.db.select().from(projects).where(eq(projects.id, open!.projectId));
    const [owner] = await t.db.select().from(people).where(eq(people.id, p!.ownerId!));
    await bot.emulator.sendText(owner!.openId!, '/letter');
    await bot.emulator.sendText('ou_demo_ye_qing', `/letter 关闭 ${p!.code} 已开工`); // not hers
    await bot.settle();
    expect(text(bot.emulator.messages({ openId: owner!.openId! }).at(-1)!.content)).toContain(p!.code);
    expect(text(bot.emulator.messages({ openId: 'ou_demo_ye_qing' }).at(-1)!.content)).toContain('没有找到');
    // The owner cannot close their own letter (001 三.四: answered by the owner, closed by the unit's lead).
    await bot.emulator.sendText(owner!.openId!, `/letter 关闭 ${p!.code} 已开工`);
    await bot.settle();
    expect(text(bot.emulator.messages({ openId: owner!.openId! }).at(-1)!.content)).toContain('没有找到');
    expect((await t.db.select().from(performanceLetters).where(eq(performanceLetters.id, open!.id)))[0]!.open).toBe(true);
    const [lead] = await t.db
      .select()
      .from(people)
      .where(and(eq(people.unitId, p!.firstTalkUnitId ?? p!.hostUnitId!), sql`'unit_lead' = any(${people.roles})`));
    await bot.emulator.sendText(lead!.openId!, `/letter 关闭 ${p!.code} 已于11月10日开工建设`);
    await bot.settle();
    const [closed] = await t.db.select().from(performanceLetters).where(eq(performanceLetters.id, open!.id));
    expect(closed).toMatchObject({ open: false, closedOn: '2026-11-13', closure: '已于11月10日开工建设' });
    // Closed is closed: the daily run does not issue the same letter again.
    await runJob(bot.runtime.deps, letters, new Date('2026-11-16T10:00:00+08:00'));
    expect(await t.db.select().from(performanceLetters).where(eq(performanceLetters.projectId, p!.id))).toHaveLength(1);
  });

  it('splits a long list over several cards, each under Lark’s 30 KB, every project exactly once', async () => {
    const [wu] = await t.db.select().from(people).where(eq(people.openId, 'ou_demo_wu_lei'));
    await t.db.update(projects).set({ ownerId: wu!.id });
    await t.db.delete(reports).where(eq(reports.period, '2026-11'));
    const expected = (await expectedMissing()).get('ou_demo_wu_lei')!;
    expect(expected.length).toBeGreaterThan(30);
    await runJob(bot.runtime.deps, reminders, clock.now());
    await bot.settle();
    const cards = cardsTo('ou_demo_wu_lei');
    expect(cards).toHaveLength(Math.ceil(expected.length / 15));
    for (const c of cards) expect(new TextEncoder().encode(c.raw).length).toBeLessThan(30 * 1024);
    const shown = cards.flatMap((c) => [...text(c.content).matchAll(/（(LY2026-\d{3})）/g)].map((x) => x[1]));
    expect(shown.sort()).toEqual([...expected].sort());
  });

  it('sends no reminder on a non-workday, and the last round only to those still missing', async () => {
    expect((await runJob(bot.runtime.deps, reminders, new Date('2026-11-14T09:00:00+08:00'))).status).toBe('not_due');
    expect((await runJob(bot.runtime.deps, reminders, new Date('2026-11-12T09:00:00+08:00'))).status).toBe('not_due');
    // 2026-11-19 is one workday before the deadline: round r1.
    const out = await runJob(bot.runtime.deps, reminders, new Date('2026-11-19T09:00:00+08:00'));
    expect(out).toMatchObject({ status: 'done', key: '2026-11:r1' });
  });

  it('records "本月无变化" once, however often it is clicked, and updates the card', async () => {
    await runJob(bot.runtime.deps, reminders, clock.now());
    await bot.settle();
    const officer = 'ou_demo_wu_lei';
    const [msg] = cardsTo(officer);
    const nochange = button(msg!.content, { a: 'report_nochange' });
    const projectId = Number(nochange.value.p);
    const r1 = await bot.emulator.clickCard(msg!.message_id, officer, { value: nochange.value });
    expect(r1.status).toBe(200);
    expect(r1.toast?.content).toContain('本月无变化');
    const r2 = await bot.emulator.clickCard(msg!.message_id, officer, { value: nochange.value });
    expect(r2.toast?.content).toContain('无需重复');
    const rows = await t.db
      .select()
      .from(reports)
      .where(and(eq(reports.projectId, projectId), eq(reports.period, '2026-11')));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.noChange).toBe(true);
    const shown = bot.emulator.message(msg!.message_id)!.content;
    expect(text(shown)).toContain('✅ 本月无变化');
    // "No change" keeps the project current but does not reset its ageing clock.
    const [p] = await t.db.select().from(projects).where(eq(projects.id, projectId));
    expect(p!.lastProgressOn).not.toBe('2026-11-13');
  });

  it('brings a bad submission back with the errors and every typed value, then records a good one once', async () => {
    const officer = 'ou_demo_zheng_hao';
    // 高端纺织面料生产线 (LY2026-002) is in 洽谈, owned by 郑浩.
    const [proj] = await t.db.select().from(projects).where(eq(projects.code, 'LY2026-002'));
    await bot.emulator.sendText(officer, '填报 LY2026-002');
    await bot.settle();
    const formMsg = cardsTo(officer).at(-1)!;
    expect(text(formMsg.content)).toContain('填报项目进展');
    const submit = button(formMsg.content, { a: 'report_submit' });
    const typed = {
      stage: 'signed',
      progress: '双方完成合同谈判',
      fund_amount: '0.5亿',
      fund_date: '2026-11-10 +0800',
      fund_evidence: 'bank_statement',
    };
    const bad = await bot.emulator.clickCard(formMsg.message_id, officer, { value: submit.value, form_value: typed, tag: 'button' });
    expect(bad.toast?.type).toBe('error');
    const again = bot.emulator.message(formMsg.message_id)!.content;
    expect(text(again)).toContain('合同引资额');
    const f = fields(again);
    expect(f.get('fund_amount')?.value).toBe('0.5亿');
    expect(f.get('progress')?.value).toBe('双方完成合同谈判');
    expect(f.get('stage')?.value).toBe('signed');
    expect(f.get('fund_date')?.value).toBe('2026-11-10');
    expect(
      await t.db
        .select()
        .from(reports)
        .where(and(eq(reports.projectId, proj!.id), eq(reports.period, '2026-11'))),
    ).toHaveLength(0);

    const good = { ...typed, contract_amount: '6亿', signed_on: '2026-11-12 +0800', substantive: 'agreement' };
    const ok = await bot.emulator.clickCard(formMsg.message_id, officer, { value: submit.value, form_value: good, tag: 'button' });
    expect(ok.toast?.type).toBe('success');
    expect(text(bot.emulator.message(formMsg.message_id)!.content)).toContain('已收到填报');
    // A double click: the same submission again records nothing new.
    await bot.emulator.clickCard(formMsg.message_id, officer, { value: submit.value, form_value: good, tag: 'button' });
    await bot.settle();

    const rs = await t.db
      .select()
      .from(reports)
      .where(and(eq(reports.projectId, proj!.id), eq(reports.period, '2026-11')));
    expect(rs).toHaveLength(1);
    expect(rs[0]!.revision).toBe(1);
    expect(await t.db.select().from(reportRevisions).where(eq(reportRevisions.reportId, rs[0]!.id))).toHaveLength(1);
    const funds = await t.db.select().from(fundEntries).where(eq(fundEntries.reportId, rs[0]!.id));
    expect(funds).toEqual([expect.objectContaining({ amountFen: 50_000_000 * 100, status: 'reported', entryDate: '2026-11-10' })]);
    const [after] = await t.db.select().from(projects).where(eq(projects.id, proj!.id));
    expect(after).toMatchObject({
      stage: 'signed',
      contractAmountFen: 600_000_000 * 100,
      signedOn: '2026-11-12',
      lastProgressOn: '2026-11-13',
    });
    expect(
      await t.db
        .select()
        .from(stageHistory)
        .where(and(eq(stageHistory.projectId, proj!.id), eq(stageHistory.toStage, 'signed'))),
    ).toHaveLength(1);

    // ≥5亿 signed in 东丰县 → announced once to the mechanism group one level up (辽源市), nowhere else.
    const city = bot.emulator.messages({ chatId: 'oc_demo_city_mech' });
    expect(city.filter((m) => text(m.content).includes('提级报备'))).toHaveLength(1);
    expect(bot.emulator.messages({ chatId: 'oc_demo_df_mech' }).filter((m) => text(m.content).includes('提级报备'))).toHaveLength(0);
  });

  it('accepts a first report after the deadline as late, but no edit of an existing one', async () => {
    const officer = 'ou_demo_zheng_hao';
    await bot.emulator.sendText(officer, '填报 LY2026-002');
    await bot.settle();
    const formMsg = cardsTo(officer).at(-1)!;
    const submit = button(formMsg.content, { a: 'report_submit' });
    clock.set('2026-11-23T10:00:00+08:00'); // after the 2026-11-20 deadline
    const first = await bot.emulator.clickCard(formMsg.message_id, officer, {
      value: submit.value,
      form_value: { progress: '补报：完成现场踏勘' },
    });
    expect(first.toast?.type).toBe('success');
    const edit = await bot.emulator.clickCard(formMsg.message_id, officer, { value: submit.value, form_value: { progress: '改一下' } });
    expect(edit.toast?.content).toContain('不能再修改');
    const [proj] = await t.db.select().from(projects).where(eq(projects.code, 'LY2026-002'));
    const rs = await t.db
      .select()
      .from(reports)
      .where(and(eq(reports.projectId, proj!.id), eq(reports.period, '2026-11')));
    expect(rs).toEqual([expect.objectContaining({ late: true, revision: 1, progress: '补报：完成现场踏勘' })]);
  });

  it('warns the late the next workday, then their unit leads and mechanism groups, each once', async () => {
    // Nobody reports: everything missing on 11-13 is late after the 11-20 deadline.
    const late = await expectedMissing();
    // On the deadline day the period in question is still October's (all reported): nothing for November yet.
    const onDeadline = await runJob(bot.runtime.deps, overdue, new Date('2026-11-20T18:00:00+08:00'));
    expect(onDeadline).toMatchObject({ key: '2026-10:escalate' });
    await bot.settle();
    expect(bot.emulator.messages()).toHaveLength(0);
    const day1 = await runJob(bot.runtime.deps, overdue, new Date('2026-11-23T09:30:00+08:00'));
    expect(day1).toMatchObject({ status: 'done', key: '2026-11:owner' });
    await bot.settle();
    const warned = (id: string) => cardsTo(id).filter((m) => text(m.content).includes('逾期'));
    // 冯雪 is away: her warning goes to her delegate 郑浩, who gets his own as well.
    const recipientOf = (id: string) => (id === 'ou_demo_feng_xue' ? 'ou_demo_zheng_hao' : id);
    const expectedCount = new Map<string, number>();
    for (const [openId] of late) expectedCount.set(recipientOf(openId), (expectedCount.get(recipientOf(openId)) ?? 0) + 1);
    for (const [openId, n] of expectedCount) expect(warned(openId), openId).toHaveLength(n);
    expect(bot.emulator.messages({ chatId: 'oc_demo_df_mech' })).toHaveLength(0);
    expect(warned('ou_demo_yang_fan')).toHaveLength(0);

    // Three workdays later: 东丰县's lead and mechanism group get the list; owners are not warned again.
    const day4 = await runJob(bot.runtime.deps, overdue, new Date('2026-11-26T09:30:00+08:00'));
    expect(day4).toMatchObject({ status: 'done', key: '2026-11:escalate' });
    await runJob(bot.runtime.deps, overdue, new Date('2026-11-27T09:30:00+08:00'));
    await bot.settle();
    for (const [openId, n] of expectedCount) if (openId !== 'ou_demo_yang_fan') expect(warned(openId), openId).toHaveLength(n);
    expect(warned('ou_demo_yang_fan')).toHaveLength(1);
    // 中药饮片加工项目 is hosted in 东丰县 but first-talked by 市商务局 (001 三.二): its lead 张伟 is warned of it,
    // the county's lead is not (the county's group still lists it: it is in the county's roll-up).
    expect(
      warned('ou_demo_zhang_wei')
        .map((m) => text(m.content))
        .join('\n'),
    ).toContain('中药饮片加工项目');
    expect(text(warned('ou_demo_yang_fan')[0]!.content)).not.toContain('中药饮片加工项目');
    const df = bot.emulator.messages({ chatId: 'oc_demo_df_mech' });
    expect(df).toHaveLength(1);
    // 督办 in the group mentions the responsible unit's leads (their phones ring), from their ids; owners by name.
    expect(df[0]!.raw).toMatch(/<at id=ou_demo_[a-z_]+><\/at>/);
    expect(df[0]!.raw).toContain('<at id=ou_demo_yang_fan></at>');
    // A few mentions (the leads), not one per late project: the owners are named in plain text.
    const mentions = new Set(df[0]!.raw.match(/<at id=[^>]+>/g) ?? []);
    expect(mentions.size).toBeLessThanOrEqual(3);
    expect(df[0]!.raw).not.toContain('<at id=ou_demo_zheng_hao>');
    expect(text(df[0]!.content)).toContain('- 郑浩负责：');
    const [dfUnit] = await t.db.select().from(units).where(eq(units.code, 'LY-DF'));
    const dfLate = await t.db
      .select({ code: projects.code })
      .from(projects)
      .leftJoin(reports, and(eq(reports.projectId, projects.id), eq(reports.period, '2026-11')))
      .where(
        and(
          isNull(reports.id),
          eq(projects.hostUnitId, dfUnit!.id),
          inArray(projects.stage, ['planning', 'negotiating', 'intent', 'signed', 'landed']),
        ),
      );
    for (const { code } of dfLate) expect(text(df[0]!.content)).toContain(code);
    expect(text(df[0]!.content)).not.toContain('东辽县');
  });

  it('flags stalled 洽谈/意向 projects to owner and unit lead once, and drafts a performance letter once', async () => {
    const stalled = await t.db
      .select({ code: projects.code, owner: people.openId })
      .from(projects)
      .innerJoin(people, eq(people.id, projects.ownerId))
      .where(and(inArray(projects.stage, ['negotiating', 'intent']), sql`${projects.lastProgressOn} <= '2026-05-17'`));
    expect(stalled.length).toBeGreaterThan(0);
    await runJob(bot.runtime.deps, ageing, clock.now());
    await runJob(bot.runtime.deps, ageing, new Date('2026-11-16T10:00:00+08:00'));
    await bot.settle();
    for (const s of stalled) {
      const flagged = cardsTo(s.owner!).filter(
        (m) => text(m.content).includes('长期无实质性进展') || text(m.content).includes('无实质性进展'),
      );
      expect(flagged.length, s.owner!).toBe(1);
      expect(text(flagged[0]!.content)).toContain(s.code);
    }

    await runJob(bot.runtime.deps, letters, clock.now());
    await runJob(bot.runtime.deps, letters, new Date('2026-11-16T10:00:00+08:00'));
    await bot.settle();
    const letterMsgs = bot.emulator.messages().filter((m) => text(m.content).includes('履约提醒函'));
    const overdueStarts = await t.db
      .select()
      .from(projects)
      .where(and(eq(projects.stage, 'signed'), sql`${projects.startPlannedOn} < '2026-11-13'`, isNull(projects.startedOn)));
    expect(overdueStarts.length).toBeGreaterThan(0);
    for (const p of overdueStarts) {
      const forP = letterMsgs.filter((m) => text(m.content).includes(p.code));
      expect(forP.length, p.code).toBeGreaterThanOrEqual(1);
      const recipients = forP.map((m) => m.open_id);
      expect(new Set(recipients).size).toBe(recipients.length);
    }
  });
});
