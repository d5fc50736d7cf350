/**
 * 到位资金 in chat (issue 16 item 1): the owner reports money arrived on the form and sends the 进账单 as an image;
 * a checker (核查) of the project's government verifies or returns it on a card; only verified money counts, a
 * returned entry's owner gets the reason, and the ageing clock moves only on a verified entry. Two cities: a
 * checker of 四平 never sees or decides Liaoyuan's entries.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { fundEntries, people, projects, units } from '../../db/schema.js';
import { wan, yi } from '../../src/domain/amount.js';
import { DEFAULT_RULES } from '../../src/domain/rules.js';
import { fundsArrived } from '../../src/store/funds.js';
import { ageing } from '../../src/jobs/ageing.js';
import { runJob } from '../../src/jobs/runner.js';
import { useDemoBot } from '../helpers/bot.js';
import { button, fields, messageText, text } from '../helpers/cards.js';
import { addSecondCity, SP, checkersDirectory, LY_CHECKER, SP_CHECKER } from '../helpers/second-city.js';

const NOW = '2026-11-13T09:00:00+08:00';
const ZHENG = 'ou_demo_zheng_hao'; // owner of LY2026-002 (东丰县)
const HE_JING = 'ou_demo_he_jing'; // 辽源 admin, not a checker

describe('funds arrived: evidence, 核查 and the figures', () => {
  const { t, bot, clock } = useDemoBot(NOW, '2026-11-13', { directory: checkersDirectory() });
  let projectId: number;
  let lyPath: string;

  beforeEach(async () => {
    await addSecondCity(t.db, '2026-11-10');
    const unit = async (code: string) => (await t.db.select().from(units).where(eq(units.code, code)))[0]!;
    const lySw = await unit('LY-SW');
    const spSw = await unit('SP-SW');
    lyPath = (await unit('LY')).path;
    await t.db.insert(people).values([
      { name: '辽源核查', unitId: lySw.id, roles: ['checker'], openId: LY_CHECKER },
      { name: '四平核查', unitId: spSw.id, roles: ['checker'], openId: SP_CHECKER },
    ]);
    // An investor from 杭州 (outside 辽源), 1亿 planned, stalled since January in 洽谈.
    const [p] = await t.db
      .update(projects)
      .set({
        investorRegionCode: '330100',
        plannedInvestmentFen: yi(1),
        stage: 'negotiating',
        stageEnteredOn: '2026-01-05',
        lastProgressOn: '2026-01-05',
      })
      .where(eq(projects.code, 'LY2026-002'))
      .returning();
    projectId = p!.id;
    // The demo's own entries of this project out of the way: the test counts what it adds.
    await t.db.delete(fundEntries).where(eq(fundEntries.projectId, projectId));
  });

  /** A card in the person's chat to click on (the help card), then the click. */
  async function click(openId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>) {
    clock.advance(1100);
    await bot.emulator.sendText(openId, '帮助');
    await bot.settle();
    const holder = bot.emulator.messages({ openId }).at(-1)!;
    const r = await bot.emulator.clickCard(holder.message_id, openId, { value, ...(formValue ? { form_value: formValue } : {}) });
    expect(r.status).toBe(200);
    await bot.settle();
    return r;
  }

  const reportFunds = (amount: string, date: string, progress = '投资方首笔资金到账') =>
    click(
      ZHENG,
      { a: 'report_submit', p: projectId, period: '2026-11', ids: [projectId] },
      { progress, fund_amount: amount, fund_date: date },
    );

  const entries = () => t.db.select().from(fundEntries).where(eq(fundEntries.projectId, projectId)).orderBy(fundEntries.id);
  const project = async () => (await t.db.select().from(projects).where(eq(projects.id, projectId)))[0]!;

  /** The checker's 核查 card, as they see it. */
  async function checkCard(openId: string) {
    clock.advance(1100);
    await bot.emulator.sendText(openId, '核查');
    await bot.settle();
    return bot.emulator.messages({ openId }).at(-1)!;
  }

  async function snapshot() {
    const res = await t.db.execute(sql`select coalesce(string_agg(x::text, '|' order by x::text), '') as s from fund_entries x`);
    const p = await project();
    return `${((res as { rows?: { s: string }[] }).rows ?? (res as unknown as { s: string }[]))[0]!.s}#${p.lastProgressOn}`;
  }

  it('works: reported → evidence → 核实 counts and moves the ageing clock; 退回 sends the reason and never counts', async () => {
    const r1 = await reportFunds('3000万', '2026-11-10');
    expect(r1.toast?.type).toBe('success');
    let [e1] = await entries();
    expect(e1).toMatchObject({ status: 'reported', amountFen: wan(3000), entryDate: '2026-11-10', evidenceKey: null });
    // A report of money alone is not yet substantive progress: the clock waits for 核查.
    expect((await project()).lastProgressOn).toBe('2026-01-05');
    const year = { from: '2026-01-01', to: '2026-12-31' };
    const scope = { parts: [{ unitPath: lyPath }] };
    // The demo's other projects have verified money of their own: the figure is compared with what it was.
    const base = await fundsArrived(t.db, scope, year, DEFAULT_RULES.funds);
    const gained = async () => {
      const now = await fundsArrived(t.db, scope, year, DEFAULT_RULES.funds);
      return [now.projects - base.projects, now.amountFen - base.amountFen];
    };
    expect(await gained()).toEqual([0, 0]);
    // The ageing job still finds it stalled: an unverified entry is no substantive progress yet.
    const ownerSeen = bot.emulator.messages({ openId: ZHENG }).length;
    expect((await runJob(bot.runtime.deps, ageing, clock.now())).status).toBe('done');
    await bot.settle();
    const stallCards = bot.emulator.messages({ openId: ZHENG }).slice(ownerSeen).map(messageText);
    expect(stallCards.some((c) => c.includes('LY2026-002'))).toBe(true);

    // The 进账单, photographed and sent to the bot.
    clock.advance(1100);
    await bot.emulator.sendImage(ZHENG, { name: '进账单.png', bytes: new Uint8Array([137, 80, 78, 71]) });
    await bot.settle();
    expect(messageText(bot.emulator.messages({ openId: ZHENG }).at(-1)!)).toContain('已将凭证附到');
    [e1] = await entries();
    expect(e1!.evidenceType).toBe('image');
    expect(e1!.evidenceKey).toMatch(/^img_v3_/);

    // The checker of 辽源 sees it with its evidence and verifies it.
    const card = await checkCard(LY_CHECKER);
    const shown = messageText(card);
    expect(shown).toContain('LY2026-002');
    expect(shown).toContain('3000万元');
    expect(shown).toContain('图片');
    const verify = button(card.content, { a: 'fund_verify', e: e1!.id });
    const v = await bot.emulator.clickCard(card.message_id, LY_CHECKER, { value: verify.value, form_value: {} });
    expect(v.toast?.type).toBe('success');
    await bot.settle();
    [e1] = await entries();
    expect(e1!.status).toBe('verified');
    expect((await project()).lastProgressOn).toBe('2026-11-10');
    expect(await gained()).toEqual([1, wan(3000)]);
    // The status card shows the year's figure by the rule, and names the rule.
    clock.advance(1100);
    await bot.emulator.sendText(HE_JING, '进展');
    await bot.settle();
    const status = messageText(bot.emulator.messages({ openId: HE_JING }).at(-1)!);
    expect(status).toContain('本年市外1000万元以上有资金到位的项目');
    expect(status).toContain('认定口径：市外1000万元以上，仅计已核实的到位资金');

    // A second entry, returned with a reason: the owner is told why, and the figure does not move.
    clock.advance(60_000);
    await reportFunds('1亿', '2026-11-12', '投资方第二笔资金到账');
    const e2 = (await entries()).find((e) => e.status === 'reported')!;
    expect(e2.amountFen).toBe(yi(1));
    const card2 = await checkCard(LY_CHECKER);
    const reject = button(card2.content, { a: 'fund_reject', e: e2.id });
    // No reason: refused, nothing changed.
    const before = await snapshot();
    const noReason = await bot.emulator.clickCard(card2.message_id, LY_CHECKER, {
      value: reject.value,
      form_value: { [`reason_${e2.id}`]: '  ' },
    });
    expect(noReason.toast?.content).toContain('退回须填写原因');
    expect(await snapshot()).toBe(before);
    const sentBefore = bot.emulator.messages({ openId: ZHENG }).length;
    const rj = await bot.emulator.clickCard(card2.message_id, LY_CHECKER, {
      value: reject.value,
      form_value: { [`reason_${e2.id}`]: '进账单金额与报送不符' },
    });
    expect(rj.toast?.type).toBe('success');
    await bot.settle();
    const told = bot.emulator.messages({ openId: ZHENG }).slice(sentBefore).map(messageText);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('进账单金额与报送不符');
    expect(told[0]).toContain('1亿元');
    expect((await entries()).find((e) => e.id === e2.id)).toMatchObject({ status: 'rejected', rejectReason: '进账单金额与报送不符' });
    expect((await project()).lastProgressOn).toBe('2026-11-10');
    expect(await gained()).toEqual([1, wan(3000)]);
    // The card no longer offers it; a second click on the stale button changes nothing.
    expect(messageText(await checkCard(LY_CHECKER))).not.toContain('LY2026-002');
    const again = await bot.emulator.clickCard(card2.message_id, LY_CHECKER, {
      value: reject.value,
      form_value: { [`reason_${e2.id}`]: '再退一次' },
    });
    expect(again.toast?.type).toBe('info');
    expect((await entries()).find((e) => e.id === e2.id)!.rejectReason).toBe('进账单金额与报送不符');
  });

  it('refused: a checker of another city, a non-checker, and an owner checking his own entry', async () => {
    await reportFunds('3000万', '2026-11-10');
    const [e] = await entries();
    const before = await snapshot();
    // 四平's checker: Liaoyuan's entry is not on the card, and a click on it is "not found".
    const spCard = await checkCard(SP_CHECKER);
    expect(messageText(spCard)).not.toContain('LY2026-002');
    const sp = await click(SP_CHECKER, { a: 'fund_verify', e: e!.id });
    expect(sp.toast).toMatchObject({ type: 'error', content: '没有找到该笔到位资金' });
    // An admin who is no checker: told so, nothing listed.
    const he = await checkCard(HE_JING);
    expect(messageText(he)).toContain('只有到位资金核查人员可以核查');
    expect(messageText(he)).not.toContain('LY2026-002');
    expect((await click(HE_JING, { a: 'fund_verify', e: e!.id })).toast?.type).toBe('error');
    // 郑浩 made a checker too: his own entry is neither offered nor decided by him.
    await t.db.execute(sql`update people set roles = '{owner,checker}' where open_id = ${ZHENG}`);
    expect(messageText(await checkCard(ZHENG))).not.toContain('LY2026-002');
    const own = await click(ZHENG, { a: 'fund_verify', e: e!.id });
    expect(own.toast?.content).toContain('不能核查本人');
    expect(await snapshot()).toBe(before);
  });

  it('attacked: forged entry ids, another’s evidence, and a ledger-named file from an owner', async () => {
    await reportFunds('3000万', '2026-11-10');
    const [e] = await entries();
    const before = await snapshot();
    for (const forged of ['constructor', -1, 0, 99_999_999, `${e!.id} or 1=1`, null]) {
      const r = await click(LY_CHECKER, { a: 'fund_verify', e: forged });
      expect(r.toast?.type, String(forged)).toBe('error');
      expect(r.toast?.content, String(forged)).toBe('没有找到该笔到位资金');
    }
    // 四平's owner sends an image: it is tied to nothing of Liaoyuan's.
    clock.advance(1100);
    await bot.emulator.sendImage(SP.owner, { name: 'x.png', bytes: new Uint8Array([1, 2, 3]) });
    await bot.settle();
    expect(messageText(bot.emulator.messages({ openId: SP.owner }).at(-1)!)).toContain('没有待核实');
    // An image in a group is nobody's evidence.
    clock.advance(1100);
    await bot.emulator
      .sendImage(ZHENG, { name: 'g.png', bytes: new Uint8Array([1]) }, { chatId: 'oc_demo_df_mech' })
      .catch(() => undefined);
    await bot.settle();
    expect(await snapshot()).toBe(before);
    // The evidence key is the bot's to keep only from the owner's own p2p message, and never the bytes.
    const cols = await t.db.execute(
      sql`select column_name from information_schema.columns where table_name = 'fund_entries' and data_type = 'bytea'`,
    );
    expect(((cols as { rows?: unknown[] }).rows ?? (cols as unknown as unknown[])).length).toBe(0);
    expect(
      (
        await t.db
          .select()
          .from(fundEntries)
          .where(and(eq(fundEntries.projectId, projectId), eq(fundEntries.status, 'verified')))
      ).length,
    ).toBe(0);
  });

  it('the new-project form reads the investor region from the code list, and keeps what was typed when it cannot', async () => {
    const CHAIN = '新能源'; // 新建项目 asks for the chain (issue 17)
    const created = await click(
      HE_JING,
      { a: 'new_submit' },
      { name: '杭州客商测试项目', host: '东辽县', planned: '2亿', investor_region: '浙江杭州', chain: CHAIN },
    );
    expect(created.toast?.type).toBe('success');
    const [p] = await t.db.select().from(projects).where(eq(projects.name, '杭州客商测试项目'));
    expect([p!.investorRegion, p!.investorRegionCode]).toEqual(['浙江杭州', '330100']);
    // The project view names the region from the code list.
    clock.advance(1100);
    await bot.emulator.sendText(HE_JING, `/status ${p!.code}`);
    await bot.settle();
    expect(messageText(bot.emulator.messages({ openId: HE_JING }).at(-1)!)).toContain('浙江省杭州市');
    const before = await t.db.select().from(projects);
    clock.advance(1100);
    await bot.emulator.sendText(HE_JING, '新建项目');
    await bot.settle();
    const form = bot.emulator.messages({ openId: HE_JING }).at(-1)!;
    const bad = await bot.emulator.clickCard(form.message_id, HE_JING, {
      value: { a: 'new_submit' },
      form_value: { name: '火星客商测试项目', host: '东辽县', planned: '2亿', investor_region: '火星', chain: CHAIN },
    });
    expect(bad.toast?.type).toBe('error');
    const shown = text(bot.emulator.message(form.message_id)!.content);
    expect(shown).toContain('未能识别投资方所在地“火星”');
    const kept = fields(bot.emulator.message(form.message_id)!.content);
    expect([kept.get('name')?.value, kept.get('investor_region')?.value]).toEqual(['火星客商测试项目', '火星']);
    expect(await t.db.select().from(projects)).toHaveLength(before.length);
  });

  it('lists ten entries at a time and says how many more wait, the card within Lark’s limits', async () => {
    const ly = await t.db.execute(
      sql`select p.id from projects p join units h on h.id = p.host_unit_id where h.path like ${lyPath + '%'} order by p.id limit 11`,
    );
    const ids = ((ly as { rows?: { id: number }[] }).rows ?? (ly as unknown as { id: number }[])).map((r) => Number(r.id));
    expect(ids).toHaveLength(11);
    await t.db
      .insert(fundEntries)
      .values(ids.map((id, i) => ({ projectId: id, entryDate: '2026-11-02', amountFen: wan(100 + i), status: 'reported' as const })));
    // The demo's own reported entries wait too: all of 辽源's, dated by today, are counted.
    const all = await t.db.execute(
      sql`select count(*)::int as n from fund_entries f join projects p on p.id = f.project_id join units h on h.id = p.host_unit_id where f.status = 'reported' and f.entry_date <= '2026-11-13' and h.path like ${lyPath + '%'}`,
    );
    const n = Number(((all as { rows?: { n: number }[] }).rows ?? (all as unknown as { n: number }[]))[0]!.n);
    expect(n).toBeGreaterThanOrEqual(11);
    const card = await checkCard(LY_CHECKER);
    const shown = messageText(card);
    expect(shown).toContain(`另有 ${n - 10} 笔未列出`);
    expect(shown).toContain('以下 10 笔到位资金');
  });
});
