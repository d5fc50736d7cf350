import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { FixedClock } from '../../src/clock.js';
import { seedDemo } from '../../db/seed/index.js';
import { demoGroups, demoPeople, demoProjects } from '../../db/seed/demo-data.js';
import { chatGroups, fundEntries, people, projects, stageHistory } from '../../db/schema.js';
import { wan } from '../../src/domain/amount.js';
import { truncateAll } from '../../src/store/db.js';
import { runJob } from '../../src/jobs/runner.js';
import { digestWeekly } from '../../src/jobs/digest.js';
import { summaryHalfYear, summaryMonthly, summaryQuarterly } from '../../src/jobs/summaries.js';
import { useTestDb } from '../helpers/db.js';
import { startTestBot, type TestBot } from '../helpers/bot.js';
import { messageText, walk } from '../helpers/cards.js';
import { formatAmount } from '../../src/words.js';

const textOf = messageText;

const LEADS = demoPeople.filter((p) => p.roles.includes('unit_lead') || p.roles.includes('dept_lead')).map((p) => p.openId);
const openIdOf = (key: string) => `ou_demo_${key}`;

/** Demo projects named in a text. */
function namedProjects(text: string) {
  // Longest names first, so a name inside another ("新能源" in "新能源汽车…") is not counted twice.
  return demoProjects.filter((p) => text.includes(p.name));
}

describe('weekly digests and periodic summaries, end to end', () => {
  const t = useTestDb({ truncate: false });
  let bot: TestBot;
  const clock = new FixedClock('2026-11-16T09:30:00+08:00');

  beforeAll(async () => {
    bot = await startTestBot({ db: t.db, clock });
  });
  afterAll(async () => {
    await bot?.close();
  });

  async function reset(now: string) {
    await truncateAll(t.db);
    bot.emulator.reset();
    clock.set(now);
    await seedDemo(t.db, now.slice(0, 10));
  }

  it('digest-weekly: due on the first workday of the week from 09:00, keyed by ISO week', async () => {
    await reset('2026-11-16T09:30:00+08:00');
    const deps = bot.runtime.deps;
    const due = (at: string) => digestWeekly.due(deps, new Date(at));
    expect(due('2026-11-15T12:00:00+08:00')).toBe('2026-W46'); // Sunday: the catch-up of its own week
    expect(due('2026-11-16T08:59:00+08:00')).toBeNull();
    expect(due('2026-11-16T09:00:00+08:00')).toBe('2026-W47');
    expect(due('2026-11-18T15:00:00+08:00')).toBe('2026-W47');
    // National Day week: Monday 5 October is a holiday; the first workday is Thursday 8 October.
    expect(due('2026-10-05T09:30:00+08:00')).toBeNull();
    expect(due('2026-10-07T09:30:00+08:00')).toBeNull();
    expect(due('2026-10-08T09:30:00+08:00')).toBe('2026-W41');
    // Spring Festival week (16–22 February 2026) has no workday at all.
    expect(due('2026-02-16T09:30:00+08:00')).toBeNull();
    expect(due('2026-02-20T09:30:00+08:00')).toBeNull();
  });

  it('digest-weekly: one DM per unit and department lead, for their scope, once', async () => {
    await reset('2026-11-16T09:30:00+08:00');
    // Last week (9–15 November): a DF project moved, money arrived for a DL project.
    const [dfProject] = await t.db.select().from(projects).where(eq(projects.name, '高端纺织面料生产线'));
    const [dlProject] = await t.db.select().from(projects).where(eq(projects.name, '装配式建筑构件项目'));
    await t.db
      .insert(stageHistory)
      .values({ projectId: dfProject!.id, fromStage: 'negotiating', toStage: 'intent', changedOn: '2026-11-12' });
    await t.db.insert(fundEntries).values({
      projectId: dlProject!.id,
      entryDate: '2026-11-10',
      amountFen: wan(3000),
      status: 'verified',
      evidenceKind: 'bank_statement',
    });

    const first = await runJob(bot.runtime.deps, digestWeekly, clock.now());
    expect(first).toMatchObject({ status: 'done', key: '2026-W47' });
    await bot.settle();
    const again = await runJob(bot.runtime.deps, digestWeekly, clock.now());
    expect(again.status).toBe('already_done');
    // A crashed run taken over resumes without sending anything twice.
    expect((await digestWeekly.run(bot.runtime.deps, clock.now(), '2026-W47')).sent).toBe(0);
    await bot.settle();

    const all = bot.emulator.messages();
    expect(all.every((m) => m.chat_type === 'p2p')).toBe(true);
    expect(all.map((m) => m.open_id).sort()).toEqual([...LEADS].sort());

    const to = (key: string) => bot.emulator.messages({ openId: openIdOf(key) });
    const yang = textOf(to('yang_fan')[0]!);
    expect(yang).toContain('每周简报 · 东丰县');
    expect(yang).toContain('高端纺织面料生产线：洽谈 → 意向');
    expect(yang).not.toContain('装配式建筑构件项目');
    const han = textOf(to('han_mei')[0]!);
    expect(han).toContain(`已核实）：上周 ${formatAmount(wan(3000))}；`);
    expect(han).not.toContain('高端纺织面料生产线');
    // The city's departments see the city, and what waits on their own unit.
    const lin = textOf(to('lin_feng')[0]!);
    expect(lin).toContain('每周简报 · 辽源市');
    expect(lin).toMatch(/待辽源市自然资源局协调的问题\*\*：[1-9]/);
    // Nothing happened in 龙山区: a one-line digest, not silence.
    const tang = to('tang_jie');
    expect(tang).toHaveLength(1);
    expect(tang[0]!.msg_type).toBe('text');
    expect(textOf(tang[0]!)).toContain('【每周简报】龙山区上周');
    // Officers get nothing.
    expect(to('wu_lei')).toHaveLength(0);
  });

  it('summary-monthly: each bound unit and chain group its roll-up, the centre the ≥1亿 list, once', async () => {
    await reset('2026-11-23T09:30:00+08:00');
    const deps = bot.runtime.deps;
    expect(summaryMonthly.due(deps, new Date('2026-11-20T10:00:00+08:00'))).toBeNull();
    expect(summaryMonthly.due(deps, new Date('2026-11-23T08:30:00+08:00'))).toBeNull();
    expect(summaryMonthly.due(deps, new Date('2026-11-30T10:00:00+08:00'))).toBe('2026-11');
    expect(summaryMonthly.due(deps, new Date('2026-12-01T10:00:00+08:00'))).toBeNull();
    expect((await runJob(deps, summaryQuarterly, clock.now())).status).toBe('not_due');
    expect((await runJob(deps, summaryHalfYear, clock.now())).status).toBe('not_due');

    const first = await runJob(deps, summaryMonthly, clock.now());
    expect(first).toMatchObject({ status: 'done', key: '2026-11' });
    expect((await runJob(deps, summaryMonthly, clock.now())).status).toBe('already_done');
    expect((await summaryMonthly.run(deps, clock.now(), '2026-11')).sent).toBe(0);
    await bot.settle();

    const all = bot.emulator.messages();
    expect(all.every((m) => m.chat_type === 'group')).toBe(true);
    const expectedGroups = demoGroups.filter((g) => g.binding && g.binding.kind !== 'convenor').map((g) => g.chatId);
    expect(all.map((m) => m.chat_id).sort()).toEqual([...expectedGroups].sort()); // one card each, nobody else

    // Routing follows the bindings: a group sees only its own scope's projects.
    for (const g of demoGroups.filter((x) => x.binding?.kind === 'unit' && x.binding.unit !== 'LY')) {
      const text = textOf(bot.emulator.messages({ chatId: g.chatId })[0]!);
      expect(text).toContain('2026年11月月度汇总');
      const named = namedProjects(text);
      expect(named.length, g.chatId).toBeGreaterThan(0);
      for (const p of named) expect(p.hostUnit, `${p.name} in ${g.chatId}`).toBe(g.binding!.unit);
    }
    for (const g of demoGroups.filter((x) => x.binding?.kind === 'chain')) {
      const text = textOf(bot.emulator.messages({ chatId: g.chatId })[0]!);
      for (const p of namedProjects(text)) expect(p.chain, `${p.name} in ${g.chatId}`).toBe(g.binding!.chain);
    }
    // The DF roll-up lists exactly DF's late projects (no November report after the 20th).
    const dfText = textOf(bot.emulator.messages({ chatId: 'oc_demo_df_mech' })[0]!);
    const late = await t.db.execute(sql`select p.name from projects p join units u on u.id = p.host_unit_id
      where u.code = 'LY-DF' and p.stage in ('planning','negotiating','intent','signed','landed')
      and not exists (select 1 from reports r where r.project_id = p.id and r.period = '2026-11')`);
    const lateNames = ((late as { rows?: { name: string }[] }).rows ?? (late as unknown as { name: string }[])).map((r) => r.name);
    expect(lateNames.length).toBeGreaterThan(0);
    expect(dfText).toContain(`：${lateNames.length} 个`);
    for (const n of lateNames) expect(dfText).toMatch(new RegExp(`- \\S+负责：${n}（`));
    expect(dfText).toContain('建议推动的项目');

    // The project centre: exactly the signed (or landed) projects with a contract ≥1亿.
    const centre = bot.emulator.messages({ chatId: 'oc_demo_centre' });
    expect(centre).toHaveLength(1);
    const shown: string[] = [];
    // A list that fits a phone (issue 17): one `- **name**（…）` line per project.
    walk(centre[0]!.content, (n) => {
      if (n.tag === 'markdown' && typeof n.content === 'string')
        for (const m of n.content.matchAll(/^- \*\*(.+?)\*\*（/gm)) shown.push(m[1]!);
    });
    const big = await t.db
      .select({ name: projects.name })
      .from(projects)
      .where(sql`${projects.stage} in ('signed', 'landed') and ${projects.contractAmountFen} >= ${wan(10000)}`);
    expect(shown.sort()).toEqual(big.map((b) => b.name).sort());
    expect(shown.length).toBe(
      demoProjects.filter((p) => (p.stage === 'signed' || p.stage === 'landed') && (p.contractWan ?? 0) >= 10000).length,
    );
  });

  it('summary-quarterly goes to convenor groups only, after a quarter-end period', async () => {
    await reset('2026-09-21T09:30:00+08:00');
    const deps = bot.runtime.deps;
    expect(summaryQuarterly.due(deps, new Date('2026-08-24T10:00:00+08:00'))).toBeNull();
    const r = await runJob(deps, summaryQuarterly, clock.now());
    expect(r).toMatchObject({ status: 'done', key: '2026-Q3' });
    expect((await runJob(deps, summaryQuarterly, clock.now())).status).toBe('already_done');
    await bot.settle();
    const all = bot.emulator.messages();
    expect(all.map((m) => m.chat_id)).toEqual(['oc_demo_city_convenors']);
    expect(textOf(all[0]!)).toContain('2026年第3季度汇总 · 辽源市（召集人）');
    expect(textOf(all[0]!)).toContain('本季度');
  });

  it('summary-halfyear goes to the chief convenor’s group (else the top unit group), after June; December’s waits for the year card', async () => {
    await reset('2026-06-23T09:30:00+08:00');
    const deps = bot.runtime.deps;
    expect(summaryHalfYear.due(deps, new Date('2026-06-22T10:00:00+08:00'))).toBeNull();
    // The second half goes out inside the year card in January (jobs/assessment.ts), not around 22 December.
    expect(summaryHalfYear.due(deps, new Date('2026-12-22T10:00:00+08:00'))).toBeNull();
    const r = await runJob(deps, summaryHalfYear, clock.now());
    expect(r).toMatchObject({ status: 'done', key: '2026-H1' });
    await bot.settle();
    expect(bot.emulator.messages().map((m) => m.chat_id)).toEqual(['oc_demo_city_convenors']);
    expect(textOf(bot.emulator.messages()[0]!)).toContain('2026年第2季度暨上半年汇总');

    // Without a convenor group, the highest unit group gets it.
    await t.db.update(chatGroups).set({ bindingKind: null, unitId: null }).where(eq(chatGroups.chatId, 'oc_demo_city_convenors'));
    bot.emulator.reset();
    await summaryHalfYear.run(deps, clock.now(), '2026-H1');
    await bot.settle();
    expect(bot.emulator.messages().map((m) => m.chat_id)).toEqual(['oc_demo_city_mech']);
  });

  it('leads without an open_id are skipped, not failed', async () => {
    await reset('2026-11-16T09:30:00+08:00');
    await t.db
      .update(people)
      .set({ openId: null })
      .where(eq(people.openId, openIdOf('tang_jie')));
    const r = await runJob(bot.runtime.deps, digestWeekly, clock.now());
    expect(r.status).toBe('done');
    await bot.settle();
    expect(bot.emulator.messages().length).toBe(LEADS.length - 1);
  });
});
