/**
 * The round-trip guard (issue 18): how many statements each hot path sends to the database, counted at the driver
 * (BEGIN and COMMIT included, which drizzle's logger never sees), from the moment Lark's callback reaches the bot
 * to its answer. A count, not a clock, so a regression shows in CI on any machine.
 *
 * BUDGETS are today's counts (a ratchet): lower them as the paths get leaner, never raise them without saying
 * why in the commit. Issue 18's goal for a report submission is 5. History: 12 / 4 / 12 (no change, open, submit) before the remit checks,
 * the inbox and the 提级 check (issue 13, 14, 15) added their reads; 18 / 10 / 20 after; 5 / 4 / 4 once the reads were
 * folded into one per path (src/store/action-context.ts) and a first report written in one statement with its inbox record;
 * 4 / 3 / 3 once who clicked was read in the admission's statement (every path one fewer: chat 7 → 6, /status 19 → 18);
 * a chat reply 6 → 4 once the message key was made seen by the admission and the reply queued with the event's done mark.
 */
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { people, processedEvents, projects, reports } from '../../db/schema.js';
import ExcelJS from 'exceljs';
import { desc } from 'drizzle-orm';
import { runJob } from '../../src/jobs/runner.js';
import { reminders } from '../../src/jobs/reminders.js';
import { useDemoBot } from '../helpers/bot.js';
import { button, buttons } from '../helpers/cards.js';
import { expectSealedInTransaction } from '../helpers/statements.js';

const NOV13 = '2026-11-13T09:00:00+08:00';

const BUDGETS = {
  /** 本月无变化 on a reminder card. */
  noChange: 4,
  /** 填报 on a reminder card: the form opens in place. */
  openForm: 3,
  /** A valid report submitted from the form. */
  submit: 3,
  /** 确认导入 on a ledger preview: the click's answer (the import itself runs after it). */
  importConfirm: 3,
  /**
   * 我的项目 in p2p: from the message event to its reply queued in the outbox and the event marked done (the outbox
   * sender's own statements, whose count depends on when it wakes, are not the bot's answer and are left out).
   */
  chatReply: 4,
  /**
   * /status in the city's mechanism group: the overview card, from the message event to its reply queued and the
   * event marked done. One statement per figure family and list (never one per project or per unit); the rules
   * are read once for all of them. 22 before the rules were handed down and the two funds figures read together; 19
   * before who asked was read with the event's admission.
   */
  statusCard: 18,
};

describe('round trips per hot path (counted at the driver)', () => {
  const { t, bot, clock } = useDemoBot(NOV13, '2026-11-13', { observe: true });
  const officer = 'ou_demo_wu_lei';

  async function counted<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    await bot.settle();
    t.statements.length = 0;
    const result = await fn();
    const statements = [...t.statements];
    return { result, statements };
  }

  /** The statements up to the one that marks the event done (the answer kept): work after it is not the answer's. */
  function throughDone(all: string[]): string[] {
    const done = all.findIndex((s) => /processed_events/.test(s) && /done_at" = now\(\)|done_at = now\(\)/.test(s));
    expect(done).toBeGreaterThan(0);
    return all.slice(0, done + 1);
  }

  async function reminderCard() {
    await runJob(bot.runtime.deps, reminders, clock.now());
    await bot.settle();
    const msg = bot.emulator.messages({ openId: officer }).find((m) => m.msg_type === 'interactive');
    expect(msg).toBeDefined();
    return msg!;
  }

  it('本月无变化 stays within its budget, and records the report', async () => {
    const msg = await reminderCard();
    const nochange = button(msg.content, { a: 'report_nochange' });
    const { result, statements } = await counted(() => bot.emulator.clickCard(msg.message_id, officer, { value: nochange.value }));
    expect(result.toast?.content).toContain('本月无变化');
    console.log(`noChange: ${statements.length} statements\n  ${statements.map((s) => s.slice(0, 90)).join('\n  ')}`);
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.length).toBeLessThanOrEqual(BUDGETS.noChange);
  });

  it('opening the form and submitting a report stay within their budgets', async () => {
    const msg = await reminderCard();
    const open = button(msg.content, { a: 'report_open' });
    const opened = await counted(() => bot.emulator.clickCard(msg.message_id, officer, { value: open.value }));
    console.log(`openForm: ${opened.statements.length} statements`);
    expect(opened.statements.length).toBeGreaterThan(0);
    expect(opened.statements.length).toBeLessThanOrEqual(BUDGETS.openForm);

    const form = bot.emulator.message(msg.message_id)!.content;
    const submit = button(form, { a: 'report_submit' });
    const projectId = Number(submit.value.p);
    const sent = await counted(() =>
      bot.emulator.clickCard(msg.message_id, officer, {
        value: submit.value,
        // As the bench submits it: progress and a fund entry (written in the same statement as the report).
        form_value: { progress: '与投资方完成第二轮洽谈', fund_amount: '0.5亿' },
        tag: 'button',
      }),
    );
    expect(sent.result.toast?.type).toBe('success');
    console.log(`submit: ${sent.statements.length} statements\n  ${sent.statements.map((s) => s.slice(0, 90)).join('\n  ')}`);
    expect(sent.statements.length).toBeLessThanOrEqual(BUDGETS.submit);
    const rows = await t.db
      .select()
      .from(reports)
      .where(and(eq(reports.projectId, projectId), eq(reports.period, '2026-11')));
    expect(rows).toHaveLength(1);
    expect((await t.db.select().from(projects).where(eq(projects.id, projectId)))[0]).toBeDefined();
    // The callback's inbox record committed with the report (issue 14): done, with the answer a duplicate replays.
    const [event] = await t.db.select().from(processedEvents).orderBy(desc(processedEvents.receivedAt)).limit(1);
    expect(event!.doneAt).not.toBeNull();
    expect(event!.leaseUntil).toBeNull();
    expect((event!.response as { toast?: { type?: string } }).toast?.type).toBe('success');

    // An edit takes the long way (writeReport's transaction): its inbox record is marked done inside that
    // transaction, before its COMMIT, never after it (issue 14: the change and the dedupe record commit together).
    const edited = await counted(() =>
      bot.emulator.clickCard(msg.message_id, officer, {
        value: submit.value,
        form_value: { progress: '与投资方完成第三轮洽谈，确定选址', fund_amount: '0.5亿' },
        tag: 'button',
      }),
    );
    expect(edited.result.toast?.type).toBe('success');
    expectSealedInTransaction(edited.statements);
    const [again] = await t.db.select().from(processedEvents).orderBy(desc(processedEvents.receivedAt)).limit(1);
    expect(again!.doneAt).not.toBeNull();
    expect((again!.response as { toast?: { type?: string } }).toast?.type).toBe('success');
  });

  it('the hot statements keep one text whichever project they name (prepared once, not per click)', async () => {
    // On PostgreSQL the driver prepares each new statement text with a round trip of its own (parse and describe)
    // and keeps it on the connection for good: a project id inlined in the SQL made every click a new statement.
    await reminderCard();
    // Two owners' reminder cards, each about another project.
    const clicks: { messageId: string; openId: string; value: Record<string, unknown> }[] = [];
    for (const person of await t.db.select({ openId: people.openId }).from(people).orderBy(people.id)) {
      if (!person.openId || clicks.length === 2) continue;
      for (const m of bot.emulator.messages({ openId: person.openId }).filter((x) => x.msg_type === 'interactive')) {
        const b = buttons(m.content).find((x) => x.value.a === 'report_nochange');
        if (b && !clicks.some((c) => c.value.p === b.value.p) && !clicks.some((c) => c.openId === person.openId)) {
          clicks.push({ messageId: m.message_id, openId: person.openId, value: b.value });
        }
      }
    }
    expect(clicks).toHaveLength(2);
    const texts: string[][] = [];
    for (const c of clicks) {
      const { result, statements } = await counted(() => bot.emulator.clickCard(c.messageId, c.openId, { value: c.value }));
      expect(result.toast?.content).toContain('本月无变化');
      texts.push(statements);
    }
    expect(texts[0]!.length).toBeGreaterThan(0);
    expect(texts[1]).toEqual(texts[0]);
  });

  it('确认导入 answers within its budget', async () => {
    const admin = 'ou_demo_he_jing';
    const wb = new ExcelJS.Workbook();
    const pj = wb.addWorksheet('项目');
    pj.addRow(['项目编号', '项目名称', '投资方', '产业链', '项目阶段', '首谈单位编码', '承载地编码', '计划总投资']);
    pj.addRow(['LY2026-901', '冷链物流园项目', '顺丰速运', '装备制造', '洽谈', 'LY-DF', 'LY-DF', '3亿']);
    await bot.emulator.sendFile(admin, { name: '台账.xlsx', bytes: new Uint8Array(await wb.xlsx.writeBuffer()) });
    await bot.settle();
    const preview = bot.emulator.messages({ openId: admin }).at(-1)!;
    const confirm = button(preview.content, { a: 'import_confirm' });
    const { result, statements: all } = await counted(() => bot.emulator.clickCard(preview.message_id, admin, { value: confirm.value }));
    expect(result.toast?.content).toContain('正在导入');
    // The import itself runs after the answer and may have begun already on PostgreSQL: counted up to the answer kept.
    const statements = throughDone(all);
    console.log(`importConfirm: ${statements.length} statements\n  ${statements.map((s) => s.slice(0, 90)).join('\n  ')}`);
    expect(statements.length).toBeLessThanOrEqual(BUDGETS.importConfirm);
    await bot.settle();
    expect(await t.db.select().from(projects).where(eq(projects.code, 'LY2026-901'))).toHaveLength(1);
  });

  it('/status in a bound group is answered within its budget, the rules read once', async () => {
    const { statements: all } = await counted(async () => {
      await bot.emulator.sendText('ou_demo_he_jing', '/status', { chatId: 'oc_demo_city_mech', mentionBot: true });
      await bot.settle();
    });
    const card = bot.emulator
      .messages()
      .filter((m) => m.chat_id === 'oc_demo_city_mech')
      .at(-1);
    expect(card?.msg_type).toBe('interactive');
    const statements = throughDone(all);
    console.log(`statusCard: ${statements.length} statements\n  ${statements.map((s) => s.slice(0, 90)).join('\n  ')}`);
    // The rules (settings 'rules') once, however many families need them.
    expect(statements.filter((s) => /^\s*select "key", "value", "updated_at" from "settings"/.test(s))).toHaveLength(1);
    expect(statements.length).toBeLessThanOrEqual(BUDGETS.statusCard);
  });

  it('a chat message is answered within its budget', async () => {
    const { statements: all } = await counted(async () => {
      await bot.emulator.sendText(officer, '我的项目');
      await bot.settle();
    });
    const replies = bot.emulator.messages({ openId: officer });
    expect(replies.length).toBeGreaterThan(0);
    // Up to the statement that marks the event done: what follows is the outbox sender's.
    const statements = throughDone(all);
    console.log(`chatReply: ${statements.length} statements\n  ${statements.map((s) => s.slice(0, 90)).join('\n  ')}`);
    expect(statements.length).toBeLessThanOrEqual(BUDGETS.chatReply);
  });
});
