/**
 * Issue 16: the checker (核查) opens the evidence of each entry from the 核查 card. An image comes to the checker
 * in p2p as a card showing it (an img element, uploaded by the bot), a file as a file message, both with the bytes
 * the owner sent; the checker's remit is asked again on every click, so another city's checker, a non-checker or a
 * forged id gets nothing.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { fundEntries, people, projects, units } from '../../db/schema.js';
import { yi } from '../../src/domain/amount.js';
import { useDemoBot } from '../helpers/bot.js';
import { button, buttons, messageText, walk } from '../helpers/cards.js';
import { addSecondCity, checkersDirectory, LY_CHECKER, SP_CHECKER } from '../helpers/second-city.js';

const NOW = '2026-11-13T09:00:00+08:00';
const ZHENG = 'ou_demo_zheng_hao'; // owner of LY2026-002 (东丰县)
const HE_JING = 'ou_demo_he_jing'; // 辽源 admin, not a checker

describe("核查: the checker opens each entry's evidence from the card", () => {
  const { t, bot, clock } = useDemoBot(NOW, '2026-11-13', { directory: checkersDirectory() });
  let projectId: number;

  beforeEach(async () => {
    await addSecondCity(t.db, '2026-11-10');
    const unit = async (code: string) => (await t.db.select().from(units).where(eq(units.code, code)))[0]!;
    const lySw = await unit('LY-SW');
    const spSw = await unit('SP-SW');
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

  /** The checker's 核查 card, as they see it. */
  async function checkCard(openId: string) {
    clock.advance(1100);
    await bot.emulator.sendText(openId, '核查');
    await bot.settle();
    return bot.emulator.messages({ openId }).at(-1)!;
  }

  const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);
  const PDF = new Uint8Array([37, 80, 68, 70, 45, 49, 46, 55, 9, 9]);

  /** The bytes Lark holds for a key the bot uploaded (the console's file route). */
  async function bytesOf(key: string): Promise<Uint8Array> {
    const res = await bot.emulator.app.request(`/emulator/api/files/${encodeURIComponent(key)}`);
    expect(res.status).toBe(200);
    return new Uint8Array(await res.arrayBuffer());
  }

  /** What the checker got after a click: the messages the bot sent them since `seen`. */
  const since = (openId: string, seen: number) => bot.emulator.messages({ openId }).slice(seen);

  it('works: an image opens as a card showing it, a file as a file message, each with the bytes the owner sent', async () => {
    await reportFunds('3000万', '2026-11-10');
    clock.advance(1100);
    await bot.emulator.sendImage(ZHENG, { name: '进账单.png', bytes: PNG });
    await bot.settle();
    const [image] = await entries();
    expect(image!.evidenceType).toBe('image');

    const card = await checkCard(LY_CHECKER);
    expect(buttons(card.content).map((b) => b.text)).toContain('查看凭证图片');
    let seen = bot.emulator.messages({ openId: LY_CHECKER }).length;
    const openImage = button(card.content, { a: 'fund_evidence', e: image!.id });
    const r1 = await bot.emulator.clickCard(card.message_id, LY_CHECKER, { value: openImage.value });
    expect(r1.toast?.type).toBe('success');
    await bot.settle();
    const [shown] = since(LY_CHECKER, seen);
    expect(shown!.msg_type).toBe('interactive');
    expect(shown!.chat_type).toBe('p2p');
    let imgKey = '';
    walk(shown!.content, (n) => {
      if (n.tag === 'img') imgKey = String(n.img_key);
    });
    // The bot's own upload (a card cannot show the owner's message resource), holding the owner's bytes.
    expect(imgKey).toMatch(/^img_v3_/);
    expect(imgKey).not.toBe(image!.evidenceKey);
    expect(await bytesOf(imgKey)).toEqual(PNG);
    expect(messageText(shown!)).toContain('3000万元');

    // Decided, it stays viewable.
    const verify = button(card.content, { a: 'fund_verify', e: image!.id });
    expect((await bot.emulator.clickCard(card.message_id, LY_CHECKER, { value: verify.value, form_value: {} })).toast?.type).toBe(
      'success',
    );
    await bot.settle();
    expect((await click(LY_CHECKER, { a: 'fund_evidence', e: image!.id })).toast?.type).toBe('success');

    // A second entry with a 验资报告 as a file: it comes as a file message.
    clock.advance(60_000);
    await reportFunds('1亿', '2026-11-12', '投资方第二笔资金到账');
    clock.advance(1100);
    await bot.emulator.sendFile(ZHENG, { name: '验资报告.pdf', bytes: PDF });
    await bot.settle();
    const file = (await entries()).find((e) => e.status === 'reported')!;
    expect(file.evidenceType).toBe('file');
    const card2 = await checkCard(LY_CHECKER);
    expect(buttons(card2.content).map((b) => b.text)).toContain('下载凭证文件 验资报告.pdf');
    seen = bot.emulator.messages({ openId: LY_CHECKER }).length;
    const openFile = button(card2.content, { a: 'fund_evidence', e: file.id });
    expect((await bot.emulator.clickCard(card2.message_id, LY_CHECKER, { value: openFile.value })).toast?.type).toBe('success');
    await bot.settle();
    const [sent] = since(LY_CHECKER, seen);
    expect(sent!.msg_type).toBe('file');
    const fileKey = String((sent!.content as { file_key: string }).file_key);
    expect(await bytesOf(fileKey)).toEqual(PDF);
  });

  it('refused: a non-checker and a checker of another city get nothing, however the id is sent', async () => {
    await reportFunds('3000万', '2026-11-10');
    clock.advance(1100);
    await bot.emulator.sendImage(ZHENG, { name: '进账单.png', bytes: PNG });
    await bot.settle();
    const [e] = await entries();
    for (const openId of [HE_JING, SP_CHECKER, ZHENG]) {
      const seen = bot.emulator.messages({ openId }).length;
      const r = await click(openId, { a: 'fund_evidence', e: e!.id });
      expect(r.toast?.type).toBe('error');
      // Only the help card the click was made on: no evidence came.
      expect(since(openId, seen).every((m) => m.msg_type !== 'file' && !JSON.stringify(m.content).includes('img_v3_'))).toBe(true);
    }
  });

  it('attacker: a forged or malformed id opens nothing, and an entry without evidence says so', async () => {
    await reportFunds('3000万', '2026-11-10');
    const [e] = await entries();
    for (const value of [
      { a: 'fund_evidence', e: 999_999 },
      { a: 'fund_evidence', e: 'x; drop table fund_entries' },
      { a: 'fund_evidence' },
    ]) {
      const seen = bot.emulator.messages({ openId: LY_CHECKER }).length;
      expect((await click(LY_CHECKER, value)).toast?.type).toBe('error');
      expect(since(LY_CHECKER, seen).some((m) => m.msg_type === 'file')).toBe(false);
    }
    expect((await click(LY_CHECKER, { a: 'fund_evidence', e: e!.id })).toast?.type).toBe('info');
  });
});
