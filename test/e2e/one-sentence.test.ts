/**
 * Report in one sentence (issue 19), end to end through the emulator: a progress sentence on one's own project
 * opens its report form pre-filled; confirming records exactly that; not confirming records nothing; a sentence on
 * a project outside the sender's remit opens nothing.
 */
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { fundEntries, problems, projects, reportRevisions, reports } from '../../db/schema.js';
import { useDemoBot } from '../helpers/bot.js';
import { button, fields, messageText } from '../helpers/cards.js';

const NOW = '2026-12-02T10:00:00+08:00';
const WU = 'ou_demo_wu_lei'; // owner of 200MW风电项目 (LY2026-023)
const SENTENCE = '风电项目本月完成土地摘牌，投资方到位资金3000万，下月办理施工许可，用电增容需要市供电公司协调';

describe('a sentence becomes a pre-filled report form', () => {
  const { t, bot, clock } = useDemoBot(NOW, '2026-12-02');

  async function say(openId: string, text: string) {
    clock.advance(1100);
    const before = bot.emulator.messages({ openId }).length;
    expect((await bot.emulator.sendText(openId, text)).status).toBe(200);
    await bot.settle();
    return bot.emulator.messages({ openId }).slice(before);
  }

  const wind = async () => (await t.db.select().from(projects).where(eq(projects.code, 'LY2026-023')))[0]!;
  /** Every revision ever written: a report filed or edited adds one. */
  const revisions = async () => (await t.db.select().from(reportRevisions)).length;

  it('works: the form carries the land milestone, 3000万 arrived, the energy problem for 市供电公司 and next month’s step', async () => {
    const p = await wind();
    // The demo may hold a report for this month already: the form then edits it.
    await t.db.delete(reports).where(and(eq(reports.projectId, p.id), eq(reports.period, '2026-12')));
    const before = await revisions();
    const out = await say(WU, SENTENCE);
    expect(out).toHaveLength(1);
    expect(out[0]!.msg_type).toBe('interactive');
    expect(messageText(out[0]!)).toContain('已按您的话预填');
    const f = fields(out[0]!.content);
    expect(f.get('substantive')?.value).toBe('land_milestone');
    expect(f.get('fund_amount')?.value).toBe('3000万');
    expect(f.get('problem_category')?.value).toBe('energy');
    expect(String(f.get('problem_text')?.value)).toContain('市供电公司');
    expect(String(f.get('next_step')?.value)).toContain('施工许可');
    expect(f.get('next_step_due')?.value).toBe('2027-01-31');
    // Nothing is written until the officer submits.
    expect(await revisions()).toBe(before);

    const submit = button(out[0]!.content, { a: 'report_submit' });
    const values = Object.fromEntries(
      [...f].filter(([, x]) => x.value !== undefined && x.value !== '').map(([k, x]) => [k, String(x.value)]),
    );
    const res = await bot.emulator.clickCard(out[0]!.message_id, WU, { value: submit.value, form_value: values, tag: 'button' });
    expect(res.toast?.type, JSON.stringify(res.toast)).toBe('success');
    const [r] = await t.db
      .select()
      .from(reports)
      .where(and(eq(reports.projectId, p.id), eq(reports.period, '2026-12')));
    expect(r!.progress).toBe(SENTENCE);
    const funds = await t.db.select().from(fundEntries).where(eq(fundEntries.projectId, p.id));
    expect(funds.map((x) => x.amountFen)).toContain(3000 * 1_000_000);
    const probs = await t.db.select().from(problems).where(eq(problems.projectId, p.id));
    expect(probs.some((x) => x.category === 'energy' && x.description.includes('市供电公司'))).toBe(true);
  });

  it('not confirming records nothing', async () => {
    const before = await revisions();
    const out = await say(WU, '风电项目下周三与投资方洽谈施工方案');
    expect(out[0]?.msg_type).toBe('interactive');
    expect(messageText(out[0]!)).toContain('已按您的话预填');
    expect(await revisions()).toBe(before);
  });

  it('a question is still a question: 风电项目现在什么情况 gets the project view, not a form', async () => {
    const out = await say(WU, '风电项目现在什么情况');
    expect(out).toHaveLength(1);
    expect(messageText(out[0]!)).not.toContain('已按您的话预填');
  });

  it('refused: a sentence on a project outside the sender’s remit opens no form and names nothing', async () => {
    // 储能电站示范项目 is 高新区's (叶青); 吴磊 of 东丰县 may not see it.
    const before = await revisions();
    const out = await say(WU, '储能电站示范项目本月完成环评批复，投资方到位资金5000万');
    expect(out.length).toBeGreaterThan(0);
    for (const m of out) expect(messageText(m)).not.toContain('已按您的话预填');
    expect(await revisions()).toBe(before);
  });
});
