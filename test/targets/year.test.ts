/*
 * Issue 16 item 4: the annual assessment. The 2026 year card goes to the top mechanism group and each city's on the
 * first workday of January, once; it agrees with `npm run export -- --year 2026` row for row; the incentive tally
 * takes a first-talk department over 1亿 landed ("超亿元", strictly above); the second-half summary waits for the
 * year and rides with the card.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { chatGroups, projects, units } from '../../db/schema.js';
import type { EmuMessage } from '../../src/emulator/index.js';
import { yi } from '../../src/domain/amount.js';
import { assessmentAnnual, assessmentYear } from '../../src/jobs/assessment.js';
import { runJob } from '../../src/jobs/runner.js';
import { summaryHalfYear } from '../../src/jobs/summaries.js';
import { exportYear } from '../../src/status/year.js';
import { useDemoBot } from '../helpers/bot.js';
import { decodeEntities } from '../../src/domain/markup.js';
import { messageText, walk } from '../helpers/cards.js';
import { addSecondCity, SP, twoCityDirectory } from '../helpers/second-city.js';

const AT = '2027-01-04T09:30:00+08:00'; // Monday, on or after the first workday of 2027

/** The card's items (`- **1 东丰县**：签约项目 5；…`), entities decoded, as an officer reads them on a phone. */
function cardItems(msgs: EmuMessage[]): string[] {
  const out: string[] = [];
  for (const m of msgs)
    walk(m.content, (n) => {
      if (n.tag !== 'markdown') return;
      // An item: its bold rank and name on the first line, a figure a line under it (a heading is one line).
      for (const item of String(n.content).split('\n\n')) if (item.startsWith('**') && item.includes('\n')) out.push(decodeEntities(item));
    });
  return out;
}

/** A sheet's row as the card lists it: rank and name, then each figure on a line of its own after its column's name. */
const asItem = (header: string[], row: string[]): string =>
  `**${row[0]} ${row[1]}**\n` +
  row
    .slice(2)
    .map((v, i) => [header[i + 2], v])
    .filter(([, v]) => v !== '')
    .map(([h, v]) => `${h}：${v}`)
    .join('\n');

async function xlsxTables(buf: Buffer): Promise<{ name: string; header: string[]; rows: string[][] }[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const rows: string[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
    return { name: ws.name, header: rows[0]!, rows: rows.slice(1) };
  });
}

describe('the annual assessment', () => {
  const { t, bot, clock } = useDemoBot(AT, '2026-12-20', { directory: twoCityDirectory() });

  beforeEach(async () => {
    await addSecondCity(t.db, '2026-12-20');
    const unit = async (code: string) => (await t.db.select().from(units).where(eq(units.code, code)))[0]!;
    const [df, fg, gxj, spBureau, sp] = await Promise.all(['LY-DF', 'LY-FG', 'LY-GXJ', 'SP-SW', 'SP'].map(unit));
    const landed = (code: string, name: string, firstTalk: number, host: number, fen: number, on: string) =>
      t.db.insert(projects).values({
        code,
        name,
        stage: 'landed',
        firstTalkUnitId: firstTalk,
        hostUnitId: host,
        contractAmountFen: fen,
        plannedInvestmentFen: fen,
        signedOn: '2026-02-01',
        landedOn: on,
        projectType: 'industry',
      });
    // 发改委 first-talked 1.2亿 landed in 2026: over 1亿. 工信局 exactly 1亿: not "超亿元". One landed in 2025: not this year.
    await landed('Y-FG-1', '发改委首谈落地项目', fg!.id, df!.id, yi(1.2), '2026-06-01');
    await landed('Y-GXJ-1', '工信局首谈落地项目', gxj!.id, df!.id, yi(1), '2026-05-01');
    await landed('Y-GXJ-0', '工信局去年落地项目', gxj!.id, df!.id, yi(3), '2025-12-30');
    // 四平's bureau landed 5亿: 四平's card only.
    await landed('Y-SP-1', '四平商务局首谈落地项目', spBureau!.id, sp!.id, yi(5), '2026-07-01');
    await t.db.update(chatGroups).set({ bindingKind: 'unit', unitId: sp!.id }).where(eq(chatGroups.chatId, SP.matrixChat));
    const exists = await t.db.select().from(chatGroups).where(eq(chatGroups.chatId, SP.matrixChat));
    if (exists.length === 0)
      await t.db.insert(chatGroups).values({ chatId: SP.matrixChat, name: '四平机制群', bindingKind: 'unit', unitId: sp!.id });
  });

  it('works: due on the first workday of January; the card goes to the top group and each city’s, once, and agrees with the .xlsx', async () => {
    const deps = bot.runtime.deps;
    expect(assessmentYear(deps, new Date('2026-12-31T10:00:00+08:00'))).toBeNull();
    // The first workday of January (1 January is a holiday when the calendar knows the year).
    const firstDay = deps.calendar.workdayOnOrAfter('2027-01-01');
    expect(firstDay <= '2027-01-04').toBe(true);
    expect(assessmentYear(deps, new Date(`${firstDay}T08:30:00+08:00`))).toBeNull();
    expect(assessmentYear(deps, new Date(`${firstDay}T09:30:00+08:00`))).toBe('2026');
    expect(assessmentYear(deps, new Date('2027-01-15T10:00:00+08:00'))).toBe('2026'); // catch-up later in January
    expect(assessmentYear(deps, new Date('2027-02-01T10:00:00+08:00'))).toBeNull();

    const first = await runJob(deps, assessmentAnnual, clock.now());
    expect(first).toMatchObject({ status: 'done', key: '2026' });
    expect((await runJob(deps, assessmentAnnual, clock.now())).status).toBe('already_done');
    expect((await assessmentAnnual.run(deps, clock.now(), '2026')).sent).toBe(0);
    await bot.settle();

    const byChat = (chatId: string) => bot.emulator.messages({ chatId });
    const chats = [...new Set(bot.emulator.messages().map((m) => m.chat_id))].sort();
    expect(chats).toEqual(['oc_demo_city_convenors', 'oc_demo_city_mech', SP.matrixChat].sort());
    const city = byChat('oc_demo_city_mech');
    expect(city).toHaveLength(1); // once, however often the job ran
    const text = messageText(city[0]!);
    expect(text).toContain('2026年度招商引资考核 · 辽源市');
    expect(text).toContain('辽源市发展和改革委员会');
    expect(text).not.toContain('四平');

    // The card lists the .xlsx's sheets row for row (a list, not a table: eleven columns do not fit a phone).
    const card = cardItems(city);
    const file = await xlsxTables((await exportYear(t.db, 2026, 'LY'))!.buffer);
    expect(file.map((f) => f.name)).toEqual(['县区', '首谈部门']);
    const listed = [...file[0]!.rows.map((r) => asItem(file[0]!.header, r)), ...file[1]!.rows.map((r) => asItem(file[1]!.header, r))];
    expect(card.slice(0, listed.length)).toEqual(listed);
    expect(listed.length).toBeGreaterThan(4);
    expect(file[0]!.rows.map((r) => r[1]).sort()).toEqual(['东丰县', '东辽县', '辽源高新区', '龙山区'].sort());
    // 东丰县: 杨帆's own trips, under him.
    const dfRow = file[0]!.rows.find((r) => r[1] === '东丰县')!;
    expect(dfRow[9]).toMatch(/^杨帆 \d+\/5$/);
    // The incentive column: 发改委 (1.2亿) yes, 工信局 (exactly 1亿 this year; 3亿 last year) no.
    const dept = (name: string) => file[1]!.rows.find((r) => r[1] === name)!;
    expect(dept('辽源市发展和改革委员会')[8]).toBe('超亿元落地');
    expect(dept('辽源市工业和信息化局')[8]).toBe('');
    expect(dept('辽源市工业和信息化局')[4]).toBe('1');
    expect(dept('辽源市发展和改革委员会')[0]).toBe('1'); // ranked first by the amount landed
    expect(text).toMatch(/激励名单\*?\*?：本年度首谈项目落地金额超过1亿元的部门 1 个：辽源市发展和改革委员会/);

    // The chief convenor's group: the year card with the second-half summary, which December did not send.
    const chiefMsgs = byChat('oc_demo_city_convenors');
    const chief = chiefMsgs.map(messageText).join('\n');
    // One card (split only past Lark's size limit), the half year inside it, after the year's tables.
    expect(messageText(chiefMsgs[0]!)).toContain('2026年度招商引资考核 · 辽源市');
    expect(chief).toContain('2026年下半年汇总 · 辽源市');
    expect(chief.indexOf('2026年下半年汇总')).toBeGreaterThan(chief.indexOf('首谈部门排名'));
    // 四平's group: its own city only.
    const sp = byChat(SP.matrixChat).map(messageText).join('\n');
    expect(sp).toContain('2026年度招商引资考核 · 四平市');
    expect(sp).toContain('四平市商务局');
    expect(sp).not.toContain('东丰县');
  });

  it('refused: the second-half summary is not sent in December beside the year; an export names an unknown unit', async () => {
    const deps = bot.runtime.deps;
    expect(summaryHalfYear.due(deps, new Date('2026-12-22T10:00:00+08:00'))).toBeNull();
    expect(summaryHalfYear.due(deps, new Date('2026-06-23T10:00:00+08:00'))).toBe('2026-H1');
    expect(await exportYear(t.db, 2026, 'NOPE')).toBeNull();
  });

  it('attacker: a county’s figures never include another city’s projects, and a unit name with markup stays text', async () => {
    await t.db.update(units).set({ name: '<at id=all></at>东丰县' }).where(eq(units.code, 'LY-DF'));
    await runJob(bot.runtime.deps, assessmentAnnual, clock.now());
    await bot.settle();
    const city = bot.emulator.messages({ chatId: 'oc_demo_city_mech' });
    const raw = JSON.stringify(city.map((m) => m.content));
    // Names in the card's markdown are escaped: it never carries the mention.
    walk(city[0]!.content, (n) => {
      if (n.tag === 'markdown') expect(String(n.content)).not.toContain('<at');
    });
    expect(raw).toContain('东丰县');
    const file = await xlsxTables((await exportYear(t.db, 2026, 'LY'))!.buffer);
    const n = await t.db.execute(sql`select count(*)::int as n from projects p join units u on u.id = p.host_unit_id where u.code = 'SP'`);
    expect(((n as { rows?: { n: number }[] }).rows ?? (n as unknown as { n: number }[]))[0]!.n).toBeGreaterThan(0);
    expect(file.flatMap((f) => f.rows.flat()).join()).not.toContain('四平');
  });
});
