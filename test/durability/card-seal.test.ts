/**
 * Issue 14: every card action that changes state commits its callback's inbox record (done, with the answer a
 * duplicate replays) together with the change — 核实 / 退回, 转移 consent, a 履约提醒函 answer, 新建项目, 确认导入
 * and 取消 — so a crash between the two can no longer leave a change made whose redelivered click runs again.
 * Each action: (works) the record is done with exactly the answer the click got, a redelivery of the same event
 * replays it and changes nothing; (sealed) the record is written inside the change's transaction, or in its very
 * statement, and the dispatcher does not mark it again; (attacked) another's id is refused, nothing changes, and the
 * dispatcher marks the record done with the refusal, outside any transaction.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import {
  fundEntries,
  importSessions,
  people,
  performanceLetters,
  processedEvents,
  projects,
  projectTransfers,
  units,
} from '../../db/schema.js';
import type { ClickResult } from '../../src/emulator/types.js';
import { responseForLark, type CardActionResponse } from '../../src/lark/events.js';
import { useDemoBot } from '../helpers/bot.js';
import { button } from '../helpers/cards.js';
import { addSecondCity, SP, checkersDirectory, LY_CHECKER, SP_CHECKER } from '../helpers/second-city.js';
import { expectMarkedOutsideTransaction, expectSealedInTransaction, marksDone } from '../helpers/statements.js';

const NOW = '2026-11-13T09:00:00+08:00';
const ZHENG = 'ou_demo_zheng_hao'; // owner of LY2026-002 (东丰县)
const HE_JING = 'ou_demo_he_jing'; // 辽源 city admin
const HAN_MEI = 'ou_demo_han_mei'; // 东辽县 unit lead

/** Every row of the tables a card action writes, and how many messages are queued: a replay must leave it as it was. */
const TABLES = ['projects', 'fund_entries', 'project_transfers', 'performance_letters', 'import_sessions', 'audit_log', 'stage_history'];

interface Click {
  result: ClickResult;
  eventId: string;
  /** The statements sent from the click to its answer (BEGIN and COMMIT included). */
  statements: string[];
}

describe('card actions seal their inbox record with their change (issue 14)', () => {
  const { t, bot, clock } = useDemoBot(NOW, '2026-11-13', { directory: checkersDirectory(), observe: true });

  beforeEach(async () => {
    await addSecondCity(t.db, '2026-11-10');
    const unit = async (code: string) => (await t.db.select().from(units).where(eq(units.code, code)))[0]!;
    await t.db.insert(people).values([
      { name: '辽源核查', unitId: (await unit('LY-SW')).id, roles: ['checker'], openId: LY_CHECKER },
      { name: '四平核查', unitId: (await unit('SP-SW')).id, roles: ['checker'], openId: SP_CHECKER },
    ]);
  });

  const rowsOf = <T>(res: unknown): T[] => ((res as { rows?: T[] }).rows ?? (res as T[])) as T[];

  async function state(): Promise<string> {
    const out: string[] = [];
    for (const name of TABLES) {
      const res = await t.db.execute(sql.raw(`select coalesce(string_agg(x::text, '|' order by x::text), '') as s from ${name} x`));
      out.push(`${name}:${rowsOf<{ s: string }>(res)[0]!.s}`);
    }
    const res = await t.db.execute(sql`select count(*)::int as n from outbox`);
    out.push(`outbox:${rowsOf<{ n: number }>(res)[0]!.n}`);
    return out.join('\n');
  }

  const personId = async (openId: string) => (await t.db.select().from(people).where(eq(people.openId, openId)))[0]!.id;
  const project = async (code: string) => (await t.db.select().from(projects).where(eq(projects.code, code)))[0]!;

  /** A card in the person's chat to click on (the help card). */
  async function holder(openId: string): Promise<string> {
    clock.advance(1100);
    await bot.emulator.sendText(openId, '帮助');
    await bot.settle();
    return bot.emulator.messages({ openId }).at(-1)!.message_id;
  }

  /** A click, its event id and the statements it sent up to its answer. */
  async function click(openId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>, on?: string): Promise<Click> {
    const messageId = on ?? (await holder(openId));
    clock.advance(1100);
    await bot.settle();
    t.statements.length = 0;
    const result = await bot.emulator.clickCard(messageId, openId, { value, ...(formValue ? { form_value: formValue } : {}) });
    const statements = [...t.statements];
    const ev = bot.emulator.events.at(-1)!;
    expect(ev.event_type).toBe('card.action.trigger');
    expect(result.status).toBe(200);
    await bot.settle();
    return { result, eventId: ev.event_id, statements };
  }

  const record = async (eventId: string) =>
    (
      await t.db
        .select()
        .from(processedEvents)
        .where(eq(processedEvents.key, `event:${eventId}`))
    )[0]!;

  /** The record is done with the very answer the click got; Lark's redelivery gets it replayed and changes nothing. */
  async function expectReplayed(c: Click) {
    const row = await record(c.eventId);
    expect(row.doneAt).not.toBeNull();
    expect(row.leaseUntil).toBeNull();
    expect(c.result.body).toBeDefined();
    // What the click answered is the kept answer as it goes to Lark (the toast's entities decoded).
    expect(responseForLark(row.response as CardActionResponse)).toEqual(c.result.body);
    const before = await state();
    const again = await bot.emulator.redeliver(c.eventId);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(c.result.body);
    await bot.settle();
    expect(await state()).toBe(before);
  }

  /**
   * A click refused: nothing changed (the state taken just before the click, on the card already in the chat), and
   * the dispatcher marked the record done with the refusal, outside any transaction, as before issue 14.
   */
  async function refused(openId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>): Promise<Click> {
    const on = await holder(openId);
    await bot.settle();
    const before = await state();
    const c = await click(openId, value, formValue, on);
    expect(c.result.toast?.type).not.toBe('success');
    expect(await state()).toBe(before);
    const row = await record(c.eventId);
    expect(row.doneAt).not.toBeNull();
    expect(responseForLark(row.response as CardActionResponse)).toEqual(c.result.body);
    expectMarkedOutsideTransaction(c.statements);
    return c;
  }

  const outboxInsert = (s: string) => /^\s*insert\s+into\s+"?outbox/i.test(s);

  /** The messages the action queued were queued in its transaction (`tx`, as expectSealedInTransaction found it). */
  function expectQueuedInside(c: Click, tx: string[]) {
    expect(tx.filter(outboxInsert).length, 'messages queued with the change').toBeGreaterThan(0);
    expect(c.statements.filter(outboxInsert)).toHaveLength(tx.filter(outboxInsert).length);
  }

  describe('核实 / 退回', () => {
    async function reported(): Promise<number> {
      const p = await project('LY2026-002');
      const [e] = await t.db
        .insert(fundEntries)
        .values({
          projectId: p.id,
          entryDate: '2026-11-10',
          amountFen: 300_000_000,
          status: 'reported',
          reportedById: await personId(ZHENG),
        })
        .returning();
      return e!.id;
    }
    const status = async (id: number) => (await t.db.select().from(fundEntries).where(eq(fundEntries.id, id)))[0]!.status;

    it('works: 核实 is sealed in its transaction and replayed to a redelivery', async () => {
      const id = await reported();
      const c = await click(LY_CHECKER, { a: 'fund_verify', e: id }, {});
      expect(c.result.toast?.type).toBe('success');
      expect(await status(id)).toBe('verified');
      expectSealedInTransaction(c.statements);
      await expectReplayed(c);
    });

    it('works: 退回 commits the decision, the owner’s notice and the record together', async () => {
      const id = await reported();
      const c = await click(LY_CHECKER, { a: 'fund_reject', e: id }, { [`reason_${id}`]: '进账单金额与报送不符' });
      expect(c.result.toast?.type).toBe('success');
      expect(await status(id)).toBe('rejected');
      expectQueuedInside(c, expectSealedInTransaction(c.statements));
      await expectReplayed(c);
    });

    it('attacked: another city’s checker names the entry; refused, the dispatcher marks it done', async () => {
      const id = await reported();
      for (const a of ['fund_verify', 'fund_reject']) {
        const c = await refused(SP_CHECKER, { a, e: id }, { [`reason_${id}`]: '伪造' });
        expect(c.result.toast?.type).toBe('error');
      }
      expect(await status(id)).toBe('reported');
    });
  });

  describe('转移 consent', () => {
    /** 辽源's office offers LY2026-006 (stalled, first-talked by 东辽县) to 东丰县; 东辽县's lead gets the card. */
    async function offered() {
      await t.db.execute(
        sql`update projects set stage = 'negotiating', last_progress_on = '2026-01-01', first_talk_unit_id = (select id from units where code = 'LY-DL') where code = 'LY2026-006'`,
      );
      clock.advance(1100);
      await bot.emulator.sendText(HE_JING, '/transfer LY2026-006 东丰县 洽谈半年以上无实质性进展');
      await bot.settle();
      const [offer] = await t.db.select().from(projectTransfers);
      expect(offer).toBeDefined();
      const consent = bot.emulator.messages({ openId: HAN_MEI }).at(-1)!;
      return { offer: offer!, consent };
    }
    const offerStatus = async (id: number) => (await t.db.select().from(projectTransfers).where(eq(projectTransfers.id, id)))[0]!.status;

    it('works: 同意 moves the project, queues the notices and seals the record in one transaction', async () => {
      const { offer, consent } = await offered();
      const agree = button(consent.content, { a: 'transfer_decide', v: 'agree' });
      const c = await click(HAN_MEI, agree.value, { reason: '' }, consent.message_id);
      expect(c.result.toast?.type).toBe('success');
      expect(await offerStatus(offer.id)).toBe('accepted');
      const [df] = await t.db.select().from(units).where(eq(units.code, 'LY-DF'));
      expect((await project('LY2026-006')).firstTalkUnitId).toBe(df!.id);
      expectQueuedInside(c, expectSealedInTransaction(c.statements));
      await expectReplayed(c);
    });

    it('works: 不同意 with a reason, sealed the same way', async () => {
      const { offer, consent } = await offered();
      const decline = button(consent.content, { a: 'transfer_decide', v: 'decline' });
      const c = await click(HAN_MEI, decline.value, { reason: '投资方下月来考察' }, consent.message_id);
      expect(c.result.toast?.type).toBe('success');
      expect(await offerStatus(offer.id)).toBe('declined');
      expectSealedInTransaction(c.statements);
      await expectReplayed(c);
    });

    it('attacked: another unit’s lead answers the offer; refused, the dispatcher marks it done', async () => {
      const { offer } = await offered();
      const c = await refused(SP.lead, { a: 'transfer_decide', t: offer.id, v: 'agree' }, { reason: '' });
      expect(c.result.toast?.type).toBe('error');
      expect(await offerStatus(offer.id)).toBe('offered');
    });
  });

  describe('履约提醒函 answer', () => {
    async function letter(): Promise<number> {
      const p = await project('LY2026-002');
      const [l] = await t.db
        .insert(performanceLetters)
        .values({ projectId: p.id, reason: 'start_overdue', body: '测试函', issuedOn: '2026-11-01' })
        .returning();
      return l!.id;
    }
    const answerOf = async (id: number) => (await t.db.select().from(performanceLetters).where(eq(performanceLetters.id, id)))[0]!.answer;

    it('works: the answer, the leads’ notices and the record commit together, and a redelivery replays it', async () => {
      const id = await letter();
      const c = await click(ZHENG, { a: 'letter_answer', l: id }, { answer: '已于11月10日开工' });
      expect(c.result.toast?.type).toBe('success');
      expect(await answerOf(id)).toBe('已于11月10日开工');
      expectQueuedInside(c, expectSealedInTransaction(c.statements));
      await expectReplayed(c);
    });

    it('attacked: another city’s owner answers the letter; refused, the dispatcher marks it done', async () => {
      const id = await letter();
      const c = await refused(SP.owner, { a: 'letter_answer', l: id }, { answer: '伪造的答复' });
      expect(c.result.toast?.type).toBe('error');
      expect(await answerOf(id)).toBeNull();
    });
  });

  describe('新建项目', () => {
    const form = (host: string) => ({ name: '封存测试冷链项目', host, planned: '1亿', chain: '新能源' });
    const named = () => t.db.select().from(projects).where(eq(projects.name, '封存测试冷链项目'));

    it('works: the project, its audit entry and the record commit together; a redelivery is not "name taken"', async () => {
      const c = await click(ZHENG, { a: 'new_submit' }, form('东丰县'));
      expect(c.result.toast?.type).toBe('success');
      expect(await named()).toHaveLength(1);
      expectSealedInTransaction(c.statements);
      await expectReplayed(c);
      expect(await named()).toHaveLength(1);
    });

    it('attacked: a host unit of another city is refused, nothing is created, the dispatcher marks it done', async () => {
      const c = await refused(ZHENG, { a: 'new_submit' }, form('梨树县'));
      expect(c.result.toast?.type).toBe('error');
      expect(await named()).toHaveLength(0);
    });
  });

  describe('确认导入 / 取消', () => {
    /** The admin sends a ledger; the preview card with its session. */
    async function preview() {
      const wb = new ExcelJS.Workbook();
      const pj = wb.addWorksheet('项目');
      pj.addRow(['项目编号', '项目名称', '投资方', '产业链', '项目阶段', '首谈单位编码', '承载地编码', '计划总投资']);
      pj.addRow(['LY2026-901', '冷链物流园项目', '顺丰速运', '装备制造', '洽谈', 'LY-DF', 'LY-DF', '3亿']);
      clock.advance(1100);
      await bot.emulator.sendFile(HE_JING, { name: '台账.xlsx', bytes: new Uint8Array(await wb.xlsx.writeBuffer()) });
      await bot.settle();
      const card = bot.emulator.messages({ openId: HE_JING }).at(-1)!;
      const [session] = await t.db
        .select()
        .from(importSessions)
        .where(eq(importSessions.personId, await personId(HE_JING)));
      expect(session!.status).toBe('preview');
      return { card, session: session! };
    }
    const sessionStatus = async (id: number) => (await t.db.select().from(importSessions).where(eq(importSessions.id, id)))[0]!.status;

    it('works: 确认导入 moves the session to applying and seals the record in that one statement', async () => {
      const { card, session } = await preview();
      const confirm = button(card.content, { a: 'import_confirm' });
      const c = await click(HE_JING, confirm.value, undefined, card.message_id);
      expect(c.result.toast?.content).toContain('正在导入');
      // One statement takes the session and marks the record done; nothing marks it again.
      const sealing = c.statements.filter(marksDone);
      expect(sealing).toHaveLength(1);
      expect(sealing[0]).toMatch(/update\s+import_sessions\s+set\s+status\s*=\s*'applying'/i);
      // The import ran after the answer, once.
      expect(await sessionStatus(session.id)).toBe('applied');
      expect(await t.db.select().from(projects).where(eq(projects.code, 'LY2026-901'))).toHaveLength(1);
      await expectReplayed(c);
      expect(await sessionStatus(session.id)).toBe('applied');
    });

    it('works: 取消 drops the session and seals the record in its transaction', async () => {
      const { card, session } = await preview();
      const cancel = button(card.content, { a: 'import_cancel' });
      const c = await click(HE_JING, cancel.value, undefined, card.message_id);
      expect(await sessionStatus(session.id)).toBe('cancelled');
      expectSealedInTransaction(c.statements);
      await expectReplayed(c);
    });

    it('attacked: another admin confirms or cancels the session; refused, the dispatcher marks it done', async () => {
      const { session } = await preview();
      for (const a of ['import_confirm', 'import_cancel']) {
        const c = await refused(SP.admin, { a, s: session.id });
        expect(c.result.toast?.type).toBe('info');
        expect(c.result.toast?.content).toContain('已经处理过');
      }
      expect(await sessionStatus(session.id)).toBe('preview');
      expect(await t.db.select().from(projects).where(eq(projects.code, 'LY2026-901'))).toHaveLength(0);
    });
  });
});
