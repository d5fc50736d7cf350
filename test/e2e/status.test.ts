import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { demoProjects } from '../../db/seed/demo-data.js';
import { auditLog, chatGroups, projects, trips, units } from '../../db/schema.js';
import { STAGES } from '../../src/domain/stages.js';
import type { EmuMessage } from '../../src/emulator/index.js';
import { exportSheets } from '../../src/ledger/export.js';
import { rowsOf as rows } from '../../src/store/status-sql.js';
import { useDemoBot } from '../helpers/bot.js';
import { messageText, walk } from '../helpers/cards.js';
import { formatAmount, stageLabel } from '../../src/words.js';

const NOW = '2026-11-25T10:00:00+08:00'; // Wednesday, after the 2026-11-20 deadline
const TODAY = '2026-11-25';
const DF_GROUP = 'oc_demo_df_mech';
const YANG = 'ou_demo_yang_fan'; // 东丰县县长 (unit_lead, convenor)
const HE = 'ou_demo_he_jing'; // admin
const WU = 'ou_demo_wu_lei'; // an officer (owner)

type Node = Record<string, unknown>;
const textOf = messageText;
function tableRows(m: EmuMessage): Node[][] {
  const out: Node[][] = [];
  walk(m.content, (n) => {
    if (n.tag === 'table') out.push(n.rows as Node[]);
  });
  return out;
}

describe('status in groups and p2p, end to end through the emulator', () => {
  const { t, bot, clock } = useDemoBot(NOW, TODAY);

  async function ask(openId: string, text: string, chatId?: string): Promise<EmuMessage[]> {
    clock.advance(1100); // Lark limits sends per chat per second; the test's clock moves like a person typing
    const before = bot.emulator.messages().length;
    const res = await bot.emulator.sendText(openId, text, chatId ? { chatId, mentionBot: true } : undefined);
    expect(res.status).toBe(200);
    await bot.settle();
    return bot.emulator.messages().slice(before);
  }

  async function unitPath(code: string): Promise<string> {
    return (await t.db.select({ path: units.path }).from(units).where(eq(units.code, code)))[0]!.path;
  }

  /** Plain SQL, independent of the status code: the projects whose host or first-talk unit is in the subtree. */
  const inSubtree = (path: string) =>
    sql`(p.host_unit_id in (select id from units where path like ${path + '%'}) or p.first_talk_unit_id in (select id from units where path like ${path + '%'}))`;

  it('answers 进展 in a bound county group with numbers equal to independent counts, and charts', async () => {
    const msgs = await ask(YANG, '进展', DF_GROUP);
    expect(msgs).toHaveLength(1);
    const m = msgs[0]!;
    expect(m.chat_id).toBe(DF_GROUP);
    expect(m.msg_type).toBe('interactive');
    const text = textOf(m);
    expect(text).toContain('东丰县 · 项目推进情况');
    const df = await unitPath('LY-DF');

    // Projects per stage
    const counts = rows<{ stage: string; n: number }>(
      await t.db.execute(sql`select stage::text as stage, count(*)::int as n from projects p where ${inSubtree(df)} group by 1`),
    );
    const stageTable = tableRows(m)[0]!;
    for (const s of STAGES) {
      const row = stageTable.find((r) => r.stage === stageLabel(s))!;
      expect(row.count, s).toBe(counts.find((c) => c.stage === s)?.n ?? 0);
    }
    expect(counts.reduce((n, c) => n + c.n, 0)).toBe(demoProjects.filter((p) => p.hostUnit === 'LY-DF').length);

    // Signings this year, funds (verified / reported apart), late reports, stalled, open problems
    const [sign] = rows<{ n: number; fen: string }>(
      await t.db.execute(sql`select count(*)::int as n, coalesce(sum(contract_amount_fen), 0)::text as fen from projects p
        where ${inSubtree(df)} and signed_on between '2026-01-01' and ${TODAY}`),
    );
    expect(text).toContain(`本年 ${sign!.n} 个，${formatAmount(Number(sign!.fen))}`);
    const [fund] = rows<{ v: string; r: string }>(
      await t.db.execute(sql`select coalesce(sum(amount_fen) filter (where status = 'verified'), 0)::text as v,
          coalesce(sum(amount_fen) filter (where status = 'reported'), 0)::text as r
        from fund_entries f join projects p on p.id = f.project_id
        where ${inSubtree(df)} and f.entry_date between '2026-01-01' and ${TODAY}`),
    );
    expect(text).toContain(`本年 ${formatAmount(Number(fund!.v))}`);
    expect(text).toContain(`本年 ${formatAmount(Number(fund!.r))}（核实后计入）`);
    const [late] = rows<{ n: number }>(
      await t.db.execute(sql`select count(*)::int as n from projects p where ${inSubtree(df)}
        and stage in ('planning','negotiating','intent','signed','landed')
        and not exists (select 1 from reports r where r.project_id = p.id and r.period = '2026-11')`),
    );
    expect(late!.n).toBeGreaterThan(0);
    expect(text).toContain(`**逾期未填报**：${late!.n} 个（2026年11月，截止 2026年11月20日）`);
    const stalledN = demoProjects.filter(
      (p) => p.hostUnit === 'LY-DF' && (p.stage === 'negotiating' || p.stage === 'intent') && p.daysSinceProgress >= 180,
    ).length;
    expect(text).toContain(`：${stalledN} 个`);
    const [probs] = rows<{ n: number }>(
      await t.db.execute(sql`select count(*)::int as n from problems pr join projects p on p.id = pr.project_id
        where pr.open and ${inSubtree(df)}`),
    );
    expect(text).toContain(`**待协调问题**：${probs!.n} 个`);
    // Targets against time elapsed, and the two charts
    expect(text).toContain('3/5');
    const tags: string[] = [];
    walk(m.content, (n) => typeof n.tag === 'string' && tags.push(n.tag));
    expect(tags.filter((x) => x === 'chart')).toHaveLength(2);
    // Nothing of another county
    for (const p of demoProjects.filter((x) => x.hostUnit !== 'LY-DF')) expect(text).not.toContain(p.name);
  });

  it('refuses another county from a county group, with no data', async () => {
    for (const q of ['/status 东辽县', '东辽县有哪些项目逾期', '龙山区到位资金']) {
      const msgs = await ask(YANG, q, DF_GROUP);
      expect(msgs, q).toHaveLength(1);
      expect(msgs[0]!.msg_type, q).toBe('text');
      const text = textOf(msgs[0]!);
      expect(text, q).toContain('不在东丰县的查询范围内');
      expect(text, q).not.toMatch(/\d+ 个|万元|亿元/);
    }
  });

  it('explains binding to an unbound group, and says when it did not understand', async () => {
    const [m] = await ask(HE, '进展', 'oc_demo_unbound');
    expect(m!.msg_type).toBe('text');
    expect(textOf(m!)).toContain('/bind 单位');
    const [n] = await ask(YANG, '今天天气不错', DF_GROUP);
    expect(textOf(n!)).toContain('没有理解');
    // A greeting is answered briefly with the way in; a mistyped command word gets the word it likely meant.
    const [hi] = await ask(YANG, '你好', DF_GROUP);
    expect(textOf(hi!)).toContain('帮助');
    expect(textOf(hi!)).not.toContain('没有理解');
    const [typo] = await ask(WU, '我得项目');
    expect(textOf(typo!)).toContain('是不是想发送“我的项目”');
  });

  it('reads plain words: scope part and intent', async () => {
    const [chain] = await ask('ou_demo_zhou_yan', '新能源链这个月怎么样', 'oc_demo_chain_xny');
    expect(textOf(chain!)).toContain('新能源产业链 · 项目推进情况');

    const [overdue] = await ask(YANG, '东丰县有哪些项目逾期', DF_GROUP);
    const df = await unitPath('LY-DF');
    const lateNames = rows<{ name: string }>(
      await t.db.execute(sql`select name from projects p where ${inSubtree(df)}
        and stage in ('planning','negotiating','intent','signed','landed')
        and not exists (select 1 from reports r where r.project_id = p.id and r.period = '2026-11')`),
    ).map((r) => r.name);
    const text = textOf(overdue!);
    expect(text).toContain('东丰县 · 逾期未填报');
    for (const name of lateNames) expect(text).toContain(name);
    for (const p of demoProjects.filter((x) => x.hostUnit === 'LY-DF' && !lateNames.includes(x.name))) {
      expect(text).not.toContain(`- ${p.name}（`);
    }

    // The chain group asking about a county gets the chain's projects in that county.
    const [both] = await ask('ou_demo_wu_lei', '东丰县签约情况', 'oc_demo_chain_xny');
    expect(textOf(both!)).toContain('新能源产业链 · 东丰县 · 签约情况');

    const [funds] = await ask(YANG, '到位资金', DF_GROUP);
    expect(textOf(funds!)).toContain('东丰县 · 到位资金');
    const [targets] = await ask(YANG, '序时进度', DF_GROUP);
    expect(textOf(targets!)).toContain('年度目标序时进度');
  });

  it('shows one project with its history and last reports, inside the scope only', async () => {
    const [m] = await ask(YANG, '/status 200MW风电项目', DF_GROUP);
    const text = textOf(m!);
    expect(text).toContain('200MW风电项目');
    expect(text).toContain('**阶段变化**');
    expect(text).toContain('**最近填报**');
    expect(text).toContain('洽谈 → 意向');
    // A project outside the group's scope is answered as one that does not exist: nothing tells the asker that
    // it exists elsewhere (units, being public names, are still refused by name).
    for (const q of ['/status 200MW风电项目', '/status 风电']) {
      const [refused] = await ask('ou_demo_han_mei', q, 'oc_demo_dl_mech');
      expect(refused!.msg_type).toBe('text');
      expect(textOf(refused!)).toMatch(/没有找到/);
      expect(textOf(refused!)).not.toContain('查询范围');
      expect(textOf(refused!)).not.toContain('LY2026-');
    }
  });

  it('in p2p a person gets the scope of their roles', async () => {
    const [own] = await ask(WU, '进展');
    expect(textOf(own!)).toContain('吴磊负责的项目 · 项目推进情况');
    const mine = demoProjects.filter((p) => p.owner === 'wu_lei');
    const count = tableRows(own!)[0]!.reduce((n, r) => n + Number(r.count), 0);
    expect(count).toBe(mine.length);
    const [lead] = await ask(YANG, '进展');
    expect(textOf(lead!)).toContain('东丰县 · 项目推进情况');
    const [refused] = await ask(WU, '/status 东辽县');
    expect(textOf(refused!)).toContain('不在吴磊负责的项目的查询范围内');
  });

  it('binds and unbinds: admins only, in groups, audited', async () => {
    const [notAdmin] = await ask(WU, '/bind 单位 东辽县', 'oc_demo_unbound');
    expect(textOf(notAdmin!)).toContain('只有管理员');
    const [p2p] = await ask(HE, '/bind 单位 东辽县');
    expect(textOf(p2p!)).toContain('群聊中');
    const [usage] = await ask(HE, '/bind', 'oc_demo_unbound');
    expect(textOf(usage!)).toContain('/bind 产业链');
    const [unknown] = await ask(HE, '/bind 单位 不存在县', 'oc_demo_unbound');
    expect(textOf(unknown!)).toContain('没有找到单位');

    const [done] = await ask(HE, '/bind 单位 东辽', 'oc_demo_unbound');
    expect(textOf(done!)).toContain('东辽县机制群');
    const g = (await t.db.select().from(chatGroups).where(eq(chatGroups.chatId, 'oc_demo_unbound')))[0]!;
    expect(g.bindingKind).toBe('unit');
    const [status] = await ask(HE, '进展', 'oc_demo_unbound');
    expect(textOf(status!)).toContain('东辽县 · 项目推进情况');

    const [rebound] = await ask(HE, '/bind 产业链 新能源链', 'oc_demo_unbound');
    expect(textOf(rebound!)).toContain('原为：东辽县机制群');
    // A project-centre group names its unit (issue 13: a bare `/bind 项目中心` gave the whole province).
    const [bare] = await ask(HE, '/bind 项目中心', 'oc_demo_unbound');
    expect(textOf(bare!)).toContain('请写明所服务的单位');
    const [centre] = await ask(HE, '/bind 项目中心 辽源市', 'oc_demo_unbound');
    expect(textOf(centre!)).toContain('项目管理和推进中心群');
    const [unbound] = await ask(HE, '/unbind', 'oc_demo_unbound');
    expect(textOf(unbound!)).toContain('已解除本群绑定');
    const [again] = await ask(HE, '/unbind', 'oc_demo_unbound');
    expect(textOf(again!)).toContain('尚未绑定');
    const [status2] = await ask(HE, '进展', 'oc_demo_unbound');
    expect(textOf(status2!)).toContain('/bind 单位');

    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, 'oc_demo_unbound')).orderBy(auditLog.id);
    expect(audit.map((a) => a.action)).toEqual(['group.bind', 'group.bind', 'group.bind', 'group.unbind']);
    expect(audit[1]!.before).toMatchObject({ bindingKind: 'unit' });
  });

  it('records an outbound trip for the sender’s unit and counts it in the targets', async () => {
    const [refused] = await ask(WU, '/trip 上海市 2026-11-20');
    expect(textOf(refused!)).toContain('没有登记权限');
    const [done] = await ask(YANG, '/trip 浙江省杭州市 2026-11-20');
    expect(textOf(done!)).toContain('杨帆（东丰县）2026年11月20日赴浙江省杭州市');
    expect(textOf(done!)).toContain('已登记 4 次');
    const [dup] = await ask(YANG, '/trip 浙江省杭州市 2026-11-20');
    expect(textOf(dup!)).toContain('登记过了');
    const [future] = await ask(YANG, '/trip 北京市 2026-12-01');
    expect(textOf(future!)).toContain('不能晚于今天');
    const [ancient] = await ask(YANG, '/trip 上海 0001-01-01');
    expect(textOf(ancient!)).toContain('不在2026年内');
    const [lastYear] = await ask(YANG, '/trip 上海 2025-12-31');
    expect(textOf(lastYear!)).toContain('不在2026年内');
    const rowsT = await t.db.select().from(trips).where(eq(trips.destination, '浙江省杭州市'));
    expect(rowsT).toHaveLength(1);
    const [status] = await ask(YANG, '目标', DF_GROUP);
    expect(textOf(status!)).toContain('4/5');
  });

  it('exports the five databases of the admin’s scope as an .xlsx file message', async () => {
    const [notAdmin] = await ask(WU, '/export');
    expect(textOf(notAdmin!)).toContain('只有管理员');
    const [inGroup] = await ask(HE, '/export', DF_GROUP);
    expect(textOf(inGroup!)).toContain('私聊');
    const msgs = await ask(HE, '/export');
    const file = msgs.find((m) => m.msg_type === 'file')!;
    expect(file).toBeDefined();
    expect(file.open_id).toBe(HE);
    const receipt = msgs.find((m) => m.msg_type === 'text')!;
    const total = (await t.db.select({ n: sql<number>`count(*)::int` }).from(projects))[0]!.n;
    expect(textOf(receipt)).toContain(`共 ${total} 个项目`);
    const key = (file.content as { file_key: string }).file_key;
    const res = await fetch(`${bot.url}/emulator/api/files/${key}`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    // The five databases' sheets hold one row per project; the detail sheets after them (外部单位, 项目评估, 困难问题)
    // hold rows of their own.
    const databases = exportSheets().map((s) => s.name);
    expect(wb.worksheets.slice(0, databases.length).map((ws) => ws.name)).toEqual(databases);
    const dataRows = wb.worksheets.filter((ws) => databases.includes(ws.name)).reduce((n, ws) => n + Math.max(0, ws.actualRowCount - 1), 0);
    expect(dataRows).toBe(total);
  });

  it('leaves file messages to the ledger import (no "not understood")', async () => {
    await bot.emulator.sendFile(WU, { name: 'x.txt', bytes: new TextEncoder().encode('hello') });
    await bot.settle();
    expect(bot.emulator.messages({ openId: WU }).some((m) => textOf(m).includes('没有理解'))).toBe(false);
  });

  it('keeps bindings to the group they were made in', async () => {
    // The DF group is still the DF group after someone binds another group.
    await ask(HE, '/bind 单位 龙山区', 'oc_demo_unbound');
    const [m] = await ask(YANG, '进展', DF_GROUP);
    expect(textOf(m!)).toContain('东丰县 · 项目推进情况');
    const g = await t.db
      .select()
      .from(chatGroups)
      .where(and(eq(chatGroups.bindingKind, 'unit')));
    expect(g.length).toBe(5);
  });
});
