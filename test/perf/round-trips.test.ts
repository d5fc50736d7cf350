/**
 * The round-trip guard (issue 18): how many statements each hot path sends to the database, counted at the driver
 * (BEGIN and COMMIT included, which drizzle's logger never sees), from the moment Lark's callback reaches the bot
 * to its answer. A count, not a clock, so a regression shows in CI on any machine.
 *
 * BUDGETS are today's counts (a ratchet): lower them as the paths get leaner, never raise them without saying
 * why in the commit. Issue 18's goal for a report submission is 5. History: 12 / 4 / 12 (no change, open, submit) before the remit checks,
 * the inbox and the 提级 check (issue 13, 14, 15) added their reads; 18 / 10 / 20 after.
 */
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { projects, reports } from '../../db/schema.js';
import { runJob } from '../../src/jobs/runner.js';
import { reminders } from '../../src/jobs/reminders.js';
import { useDemoBot } from '../helpers/bot.js';
import { button } from '../helpers/cards.js';

const NOV13 = '2026-11-13T09:00:00+08:00';

const BUDGETS = {
  /** 本月无变化 on a reminder card. */
  noChange: 18,
  /** 填报 on a reminder card: the form opens in place. */
  openForm: 10,
  /** A valid report submitted from the form. */
  submit: 20,
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
        form_value: { progress: '与投资方完成第二轮洽谈' },
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
  });
});
