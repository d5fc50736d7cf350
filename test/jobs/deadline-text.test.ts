import { describe, expect, it } from 'vitest';
import { outbox, reports } from '../../db/schema.js';
import { createCalendar, deadlineDistance } from '../../src/domain/calendar.js';
import { reminders } from '../../src/jobs/reminders.js';
import { runJob } from '../../src/jobs/runner.js';
import { text } from '../helpers/cards.js';
import { useTestDb } from '../helpers/db.js';
import { depsAt, twoCities } from './fixture.js';

describe('reminder deadline texts: a date, the weekday and the workdays left', () => {
  const cal = createCalendar();

  it('2026-12-18 (Fri) for the 12-21 (Mon) deadline: later, 1 workday — never "tomorrow"', () => {
    expect(cal.deadline('2026-12')).toBe('2026-12-21');
    expect(deadlineDistance(cal, '2026-12-18', '2026-12-21')).toEqual({ kind: 'later', workdays: 1 });
    // Literally tomorrow, and the day itself.
    expect(deadlineDistance(cal, '2026-11-19', '2026-11-20')).toEqual({ kind: 'tomorrow', workdays: 1 });
    expect(deadlineDistance(cal, '2026-11-20', '2026-11-20')).toEqual({ kind: 'today', workdays: 0 });
    // Over a holiday: 2026-02-14 is a make-up Saturday before the Spring Festival; the deadline is after it.
    const feb = cal.deadline('2026-02');
    expect(deadlineDistance(cal, cal.addWorkdays(feb, -1), feb).workdays).toBe(1);
    expect(deadlineDistance(cal, '2026-11-21', '2026-11-20').kind).toBe('past');
  });

  const t = useTestDb();

  it('the last-call reminder sent on 2026-12-18 says 截止 12月21日（周一），还有 1 个工作日', async () => {
    const f = await twoCities(t.db);
    // Only the other city's owner (with a Lark id) has a project missing December's report.
    await t.db.insert(reports).values([
      { projectId: f.crossed.id, period: '2026-12' },
      { projectId: f.own.id, period: '2026-12' },
    ]);
    const deps = depsAt(t.db, '2026-12-18T09:00:00+08:00');
    const run = await runJob(deps, reminders, deps.clock.now());
    expect(run).toMatchObject({ status: 'done', key: '2026-12:r1' });
    const rows = await t.db.select().from(outbox);
    expect(rows.map((r) => r.receiveId)).toEqual(['ou_t_ja_owner']);
    const body = text(rows[0]!.content);
    expect(body).toContain('截止 12月21日（周一），还有 1 个工作日');
    expect(body).not.toContain('明天');
  });

  it('the first round (five workdays before) carries no last-call line', async () => {
    await twoCities(t.db);
    const deps = depsAt(t.db, '2026-12-14T09:00:00+08:00');
    expect(await runJob(deps, reminders, deps.clock.now())).toMatchObject({ status: 'done', key: '2026-12:r5' });
    for (const r of await t.db.select().from(outbox)) expect(text(r.content)).not.toContain('⏰');
  });
});
