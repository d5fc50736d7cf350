import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { outbox, people, reports } from '../../db/schema.js';
import { parseCommand } from '../../src/bot/parse.js';
import { overdue } from '../../src/jobs/overdue.js';
import { runJob } from '../../src/jobs/runner.js';
import { formFor, openForm, submit } from '../../src/report/service.js';
import { buttons, text } from '../helpers/cards.js';
import { useTestDb } from '../helpers/db.js';
import { depsAt, twoCities } from '../jobs/fixture.js';

const msg = { messageId: 'om_test' };

describe('late filing: last period’s report until this period’s deadline, marked late', () => {
  const t = useTestDb();
  const admin = async () => (await t.db.select().from(people).where(eq(people.name, '章台')))[0]!;

  it('parses `填报 <项目> 上月`, and the project name alone stays this month', () => {
    expect(parseCommand('填报 四平氢能装备 上月')).toEqual({ name: 'report', project: '四平氢能装备', previous: true });
    expect(parseCommand('填报四平氢能装备上个月')).toEqual({ name: 'report', project: '四平氢能装备', previous: true });
    expect(parseCommand('填报 四平氢能装备')).toEqual({ name: 'report', project: '四平氢能装备' });
    // "上月" alone is not a project.
    expect(parseCommand('填报 上月')).toEqual({ name: 'report', project: '上月' });
  });

  it('a November report filed on 2026-12-03 is recorded for 2026-11, marked late', async () => {
    const f = await twoCities(t.db);
    const deps = depsAt(t.db, '2026-12-03T10:00:00+08:00');
    const out = await formFor(deps, await admin(), msg, 'T-1', { previous: true });
    const form = Array.isArray(out) ? out[0]! : undefined;
    expect(form && 'content' in form && form.content.msgType).toBe('interactive');
    const card = form && 'content' in form && form.content.msgType === 'interactive' ? form.content.card : null;
    const submitButton = buttons(card).find((b) => b.submit)!;
    expect(submitButton.value).toMatchObject({ p: f.crossed.id, period: '2026-11' });
    const a = await submit(deps, await admin(), { p: f.crossed.id, period: '2026-11' }, { progress: '补报：完成厂房选址' });
    expect(a.toast?.type).toBe('success');
    const [r] = await t.db
      .select()
      .from(reports)
      .where(and(eq(reports.projectId, f.crossed.id), eq(reports.period, '2026-11')));
    expect(r).toMatchObject({ period: '2026-11', late: true, progress: '补报：完成厂房选址' });
    expect(await t.db.select().from(reports).where(eq(reports.period, '2026-12'))).toHaveLength(0);
  });

  it('refused: after this period’s deadline last month is closed, and older periods always', async () => {
    const f = await twoCities(t.db);
    const after = depsAt(t.db, '2026-12-22T10:00:00+08:00'); // December's deadline was Monday 12-21
    const out = await formFor(after, await admin(), msg, 'T-1', { previous: true });
    expect(JSON.stringify(out)).toContain('不能补报');
    const late = await submit(after, await admin(), { p: f.crossed.id, period: '2026-11' }, { progress: 'x' });
    expect(late.toast?.type).toBe('error');
    // A forged old period on 12-03 is refused too.
    const early = depsAt(t.db, '2026-12-03T10:00:00+08:00');
    const old = await openForm(early, await admin(), { p: f.crossed.id, period: '2026-10' });
    expect(old.toast?.type).toBe('error');
    expect(await t.db.select().from(reports)).toHaveLength(0);
  });

  it('the overdue warning carries a 填报 button per project for the late period', async () => {
    const f = await twoCities(t.db);
    const deps = depsAt(t.db, '2026-11-23T09:30:00+08:00');
    expect(await runJob(deps, overdue, deps.clock.now())).toMatchObject({ status: 'done', key: '2026-11:owner' });
    const [warning] = await t.db.select().from(outbox).where(eq(outbox.receiveId, 'ou_t_ja_owner'));
    expect(text(warning!.content)).toContain('集安人参饮片');
    const fill = buttons(warning!.content).filter((b) => b.value.a === 'report_open');
    expect(fill).toEqual([expect.objectContaining({ text: '填报', value: expect.objectContaining({ p: f.other.id, period: '2026-11' }) })]);
  });
});
