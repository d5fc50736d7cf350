import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { calendarOverrides, outbox, people } from '../../db/schema.js';
import { enterYearTable } from '../../src/admin/calendar.js';
import { parseCommand } from '../../src/bot/parse.js';
import { calendarCheck } from '../../src/jobs/calendar-check.js';
import { runJob } from '../../src/jobs/runner.js';
import { silentLogger } from '../../src/log.js';
import { loadCalendar } from '../../src/runtime.js';
import { useTestDb } from '../helpers/db.js';
import { depsAt, twoCities } from './fixture.js';

const asked = { messageId: 'om_cal', chatId: 'oc_p2p_cal', chatType: 'p2p' as const, senderOpenId: 'ou_t_prov_admin' };
const TABLE_2027 = '2027 放假 1-1 2-8~2-12 4-5 5-3~5-5 6-9 9-15 10-1~10-7 上班 2-20 10-9';

describe('the calendar beyond the package: a year entered in chat, reminders while next year is unknown', () => {
  const t = useTestDb();

  async function setup(at: string) {
    const f = await twoCities(t.db);
    const [admin] = await t.db
      .insert(people)
      .values({ name: '省管理员', unitId: f.province.id, roles: ['admin'], openId: 'ou_t_prov_admin' })
      .returning();
    const live = await loadCalendar(t.db, 'Asia/Shanghai', silentLogger, new Date(at));
    const deps = { ...depsAt(t.db, at), calendar: live, refreshCalendar: () => live.refresh() };
    return { f, admin: admin!, live, deps };
  }

  it('with no 2027 data the province’s admins are reminded on 2026-11-02; a 2027 table entered in chat makes 2027-01-01 a holiday at once', async () => {
    const { admin, live, deps } = await setup('2026-11-02T09:00:00+08:00');
    expect(live.knownYear(2027)).toBe(false);
    expect(live.isWorkday('2027-01-01')).toBe(true); // a Friday, answered as weekends-only
    expect(await runJob(deps, calendarCheck, deps.clock.now())).toMatchObject({ status: 'done', key: '2027:2026-11-02' });
    const sent = await t.db.select().from(outbox);
    // The province's admin, not the city's.
    expect(sent.map((r) => r.receiveId)).toEqual(['ou_t_prov_admin']);
    expect(JSON.stringify(sent[0]!.content)).toContain('2027年');
    // Not on Tuesday (once a week).
    expect((await runJob(deps, calendarCheck, new Date('2026-11-03T09:00:00+08:00'))).status).toBe('not_due');

    // Another instance of the bot, started before the change.
    const other = await loadCalendar(t.db, 'Asia/Shanghai', silentLogger, new Date('2026-11-02T09:00:00+08:00'));
    expect(parseCommand(`节假日 ${TABLE_2027}`)).toEqual({ name: 'holidays', args: TABLE_2027 });
    const out = await enterYearTable(deps, asked, admin, TABLE_2027);
    expect(out).toEqual({ enqueued: 1 });
    expect(live.isWorkday('2027-01-01')).toBe(false);
    expect(live.isWorkday('2027-02-20')).toBe(true); // a make-up Saturday
    expect(live.knownYear(2027)).toBe(true);
    // The other instance sees it before its next decision (a version check), not a restart.
    await other.refresh();
    expect(other.isWorkday('2027-01-01')).toBe(false);
    expect(other.deadline('2027-02')).toBe('2027-02-20'); // the make-up Saturday is a workday: due that day
    // Known now: no more reminders.
    expect((await runJob(deps, calendarCheck, new Date('2026-11-09T09:00:00+08:00'))).status).toBe('not_due');
  });

  it('refused: a non-admin, a holiday on a weekend, a make-up day on a weekday, an incomplete year — nothing stored', async () => {
    const { f, admin, live, deps } = await setup('2026-11-02T09:00:00+08:00');
    const [lead] = await t.db.select().from(people).where(eq(people.id, f.bureauLead.id));
    expect(JSON.stringify(await enterYearTable(deps, asked, lead!, TABLE_2027))).toContain('只有省级管理员');
    // A city's admin may not change the calendar the whole province works on.
    const [cityAdmin] = await t.db
      .insert(people)
      .values({ name: '市管理员', unitId: f.sp.id, roles: ['admin'] })
      .returning();
    expect(JSON.stringify(await enterYearTable(deps, asked, cityAdmin!, TABLE_2027))).toContain('只有省级管理员');
    const weekend = JSON.stringify(await enterYearTable(deps, asked, admin, `${TABLE_2027.replace(' 上班', ' 1-2 上班')}`));
    expect(weekend).toContain('是周末，无需录入');
    const weekday = JSON.stringify(await enterYearTable(deps, asked, admin, `${TABLE_2027} 2-22`));
    expect(weekday).toContain('不是周末');
    const incomplete = JSON.stringify(await enterYearTable(deps, asked, admin, '2027 放假 1-1 2-8~2-12'));
    expect(incomplete).toContain('缺少国庆节');
    expect(JSON.stringify(await enterYearTable(deps, asked, admin, '2027 乱写'))).toContain('用法');
    expect(await t.db.select().from(calendarOverrides)).toHaveLength(0);
    expect(live.knownYear(2027)).toBe(false);
  });
});
