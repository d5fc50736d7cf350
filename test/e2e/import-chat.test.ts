/**
 * A ledger sent in chat: the admin sends an .xlsx in p2p, sees the preview, confirms, and the card turns into
 * the result; people without a Lark account are matched by mobile through batch_get_id, the rest listed.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { importSessions, people, projects, units } from '../../db/schema.js';
import { useDemoBot } from '../helpers/bot.js';
import { button, text } from '../helpers/cards.js';

const ADMIN = 'ou_demo_he_jing';

async function ledger(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ps = wb.addWorksheet('人员');
  ps.addRow(['姓名', '单位编码', '角色', '手机']);
  ps.addRow(['新同事', 'LY-DF', '项目责任人', '13900000001']);
  const pj = wb.addWorksheet('项目');
  pj.addRow(['项目编号', '项目名称', '投资方', '产业链', '项目阶段', '首谈单位编码', '承载地编码', '责任人', '计划总投资']);
  pj.addRow(['LY2026-900', '智能仓储机器人项目', '极智嘉科技', '装备制造', '洽谈', 'LY-DF', 'LY-DF', '新同事', '2亿']);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('ledger import in chat', () => {
  const { t, bot } = useDemoBot('2026-11-13T09:00:00+08:00', '2026-11-13');
  beforeEach(async () => {
    // 宋涛 has no Lark id yet: the import resolves it from his mobile.
    await t.db.update(people).set({ openId: null }).where(eq(people.name, '宋涛'));
  });

  it('previews, writes nothing until confirmed, then imports once and resolves Lark ids', async () => {
    await bot.emulator.sendFile(ADMIN, { name: '东丰县台账.xlsx', bytes: await ledger() });
    await bot.settle();
    const preview = bot.emulator.messages({ openId: ADMIN }).at(-1)!;
    expect(text(preview.content)).toContain('台账导入预览');
    expect(await t.db.select().from(projects).where(eq(projects.code, 'LY2026-900'))).toHaveLength(0);

    const confirm = button(preview.content, { a: 'import_confirm' });
    const click = await bot.emulator.clickCard(preview.message_id, ADMIN, { value: confirm.value });
    expect(click.toast?.content).toContain('正在导入');
    const again = await bot.emulator.clickCard(preview.message_id, ADMIN, { value: confirm.value });
    expect(again.toast?.content).toContain('已经处理过');
    await bot.settle();

    const result = bot.emulator.message(preview.message_id)!;
    expect(text(result.content)).toContain('导入完成');
    expect(text(result.content)).toContain('新同事'); // no Lark account found for the new person: listed
    const [p] = await t.db.select().from(projects).where(eq(projects.code, 'LY2026-900'));
    expect(p).toMatchObject({ name: '智能仓储机器人项目', stage: 'negotiating', plannedInvestmentFen: 200_000_000 * 100 });
    const [song] = await t.db.select().from(people).where(eq(people.name, '宋涛'));
    expect(song!.openId).toBe('ou_demo_song_tao');
    const [session] = await t.db.select().from(importSessions);
    expect(session!.status).toBe('applied');
  });

  it('resumes an import a crash left applying once its lease lapsed, and applies it once', async () => {
    await bot.emulator.sendFile(ADMIN, { name: '东丰县台账.xlsx', bytes: await ledger() });
    await bot.settle();
    const preview = bot.emulator.messages({ openId: ADMIN }).at(-1)!;
    // 确认导入 was taken and the process died before applying: the session stays 'applying' with a lapsed lease.
    const [s0] = await t.db.select().from(importSessions);
    await t.db
      .update(importSessions)
      .set({ status: 'applying', cardMessageId: preview.message_id, leaseUntil: new Date(Date.now() - 1000) })
      .where(eq(importSessions.id, s0!.id));
    expect(await bot.runtime.sweepInbox()).toBe(1);
    await bot.settle();
    expect(text(bot.emulator.message(preview.message_id)!.content)).toContain('导入完成');
    expect(await t.db.select().from(projects).where(eq(projects.code, 'LY2026-900'))).toHaveLength(1);
    const [s1] = await t.db.select().from(importSessions);
    expect(s1).toMatchObject({ status: 'applied', leaseUntil: null });
    // nothing left to resume; a session still held by a live process is not taken
    expect(await bot.runtime.sweepInbox()).toBe(0);
    await t.db.update(importSessions).set({ status: 'applying', leaseUntil: new Date(Date.now() + 60_000) });
    expect(await bot.runtime.sweepInbox()).toBe(0);
  });

  it('refuses a non-admin and a file that is not a ledger, and shows errors without a confirm button', async () => {
    await bot.emulator.sendFile('ou_demo_wu_lei', { name: 'a.xlsx', bytes: await ledger() });
    await bot.emulator.sendFile(ADMIN, { name: 'photo.png', bytes: new Uint8Array([1, 2, 3]) });
    const wb = new ExcelJS.Workbook();
    const pj = wb.addWorksheet('项目');
    pj.addRow(['项目编号', '项目名称', '项目阶段', '承载地编码', '计划总投资']);
    pj.addRow(['LY2026-901', '坏数据项目', '不知道', 'NOPE', '约5000万']);
    await bot.emulator.sendFile(ADMIN, { name: 'bad.xlsx', bytes: new Uint8Array(await wb.xlsx.writeBuffer()) });
    await bot.settle();
    expect(JSON.stringify(bot.emulator.messages({ openId: 'ou_demo_wu_lei' }).at(-1)!.content)).toContain('只有管理员');
    const adminMsgs = bot.emulator.messages({ openId: ADMIN });
    // A file that is not a spreadsheet is read as the evidence of a funds entry (核查, seed 002), never as a ledger:
    // the admin has no reported entry waiting for one, and is told how to report it first.
    expect(JSON.stringify(adminMsgs.map((m) => m.content))).toContain('尚未附凭证的到位资金记录');
    const bad = adminMsgs.at(-1)!;
    expect(text(bad.content)).toContain('第2行 项目阶段“不知道”');
    expect(text(bad.content)).toContain('约5000万');
    expect(() => button(bad.content, { a: 'import_confirm' })).toThrow();
    expect(await t.db.select().from(projects).where(eq(projects.code, 'LY2026-901'))).toHaveLength(0);
  });

  it("refuses a city admin's file reaching the province or granting herself 总召集人, naming the rows, writing nothing", async () => {
    const wb = new ExcelJS.Workbook();
    const us = wb.addWorksheet('单位');
    us.addRow(['单位编码', '单位名称', '类型', '上级单位编码']);
    us.addRow(['LY-DF-YQ', '东丰县园区', '开发区', 'LY-DF']);
    us.addRow(['JL', '吉林省（改名）', null, null]);
    const ps = wb.addWorksheet('人员');
    ps.addRow(['姓名', '单位编码', '角色', '手机']);
    ps.addRow(['何静', 'LY-SW', '管理员、项目责任人、总召集人', null]);
    await bot.emulator.sendFile(ADMIN, { name: '越权.xlsx', bytes: new Uint8Array(await wb.xlsx.writeBuffer()) });
    await bot.settle();
    const preview = bot.emulator.messages({ openId: ADMIN }).at(-1)!;
    expect(text(preview.content)).toContain('「单位」第3行');
    expect(text(preview.content)).toContain('「人员」第2行');
    expect(text(preview.content)).toContain('不能给自己增加角色');
    expect(() => button(preview.content, { a: 'import_confirm' })).toThrow();
    const [jl] = await t.db.select().from(units).where(eq(units.code, 'JL'));
    expect(jl!.name).toBe('吉林省');
    expect(await t.db.select().from(units).where(eq(units.code, 'LY-DF-YQ'))).toHaveLength(0);
  });
});
