/*
 * Issue 16 item 2: outbound trips (外出招商, 001 二.二 "每人每年带队外出招商5次以上") belong to the leader who led
 * them and to that leader's unit only; /trip reads dates the way officers write them, refuses a trip without a
 * destination or a date with an example, and lets its leader correct or withdraw it within the month.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { people, targets, trips, units } from '../../db/schema.js';
import type { EmuMessage } from '../../src/emulator/index.js';
import { targetsProgress } from '../../src/status/figures.js';
import { loadDirectory, unitScope } from '../../src/status/scope.js';
import { yearWindow } from '../../src/status/time.js';
import { useDemoBot } from '../helpers/bot.js';
import { messageText } from '../helpers/cards.js';
import { addSecondCity, SP, twoCityDirectory } from '../helpers/second-city.js';

const NOW = '2026-11-25T10:00:00+08:00'; // a Wednesday
const TODAY = '2026-11-25';
const DF_GROUP = 'oc_demo_df_mech';
const YANG = 'ou_demo_yang_fan'; // 东丰县县长 (unit_lead): three trips seeded this year
const WU = 'ou_demo_wu_lei'; // 东丰县商务局: made the bureau's lead below

describe('trips: per leader, in the leader’s unit only', () => {
  const { t, bot, clock } = useDemoBot(NOW, TODAY, { directory: twoCityDirectory() });

  beforeEach(async () => {
    await addSecondCity(t.db, TODAY);
    // The seeded trips were recorded in their own month, not today (their row's time is the machine's).
    await t.db.execute(sql`update trips set created_at = (started_on::timestamp + interval '3 days') at time zone 'Asia/Shanghai'`);
    // 吴磊 leads the county's commerce bureau (东丰县商务局), a unit under the county.
    await t.db
      .update(people)
      .set({ roles: ['unit_lead', 'owner'] })
      .where(eq(people.openId, WU));
    const [sw] = await t.db.select().from(units).where(eq(units.code, 'LY-DF-SW'));
    await t.db.insert(targets).values({ unitId: sw!.id, year: 2026, trips: 5, signedBig: 1, landed: 1 });
  });

  async function say(openId: string, text: string, chatId?: string): Promise<string> {
    clock.advance(1100);
    const before = bot.emulator.messages().length;
    const res = await bot.emulator.sendText(openId, text, chatId ? { chatId, mentionBot: true } : undefined);
    expect(res.status).toBe(200);
    await bot.settle();
    const out: EmuMessage[] = bot.emulator.messages().slice(before);
    expect(out).toHaveLength(1);
    return messageText(out[0]!);
  }

  const tripsOf = async (openId: string) => {
    const [p] = await t.db.select().from(people).where(eq(people.openId, openId));
    return t.db
      .select({ destination: trips.destination, startedOn: trips.startedOn, unitId: trips.unitId })
      .from(trips)
      .where(eq(trips.leaderId, p!.id))
      .orderBy(trips.startedOn);
  };

  async function targetRows(code: string) {
    const dir = await loadDirectory(t.db);
    const u = dir.units.find((x) => x.code === code)!;
    return (await targetsProgress(t.db, unitScope(u), yearWindow(2026, TODAY)))!;
  }

  it('works: a county whose bureau recorded three trips keeps its own count; each leader’s trips appear under that leader', async () => {
    const before = (await targetRows('LY-DF')).find((r) => r.unitName === '东丰县')!;
    expect(before.actual.trips).toBe(3);

    for (const [dest, day] of [
      ['浙江省诸暨市', '11月3日'],
      ['上海市', '11月10日'],
      ['广东省深圳市', '11月17日'],
    ])
      expect(await say(WU, `/trip ${dest} ${day}`)).toContain('吴磊2026年带队');
    const wuTrips = await tripsOf(WU);
    expect(wuTrips.map((x) => x.startedOn)).toEqual(['2026-11-03', '2026-11-10', '2026-11-17']);

    const rows = await targetRows('LY-DF');
    const county = rows.find((r) => r.unitName === '东丰县')!;
    const bureau = rows.find((r) => r.unitName === '东丰县商务局')!;
    // Before the fix the county went from 3 to 6.
    expect(county.actual.trips).toBe(3);
    expect(county.leaders.map((l) => [l.name, l.trips])).toEqual([['杨帆', 3]]);
    expect(bureau.actual.trips).toBe(3);
    expect(bureau.leaders.map((l) => [l.name, l.trips])).toEqual([['吴磊', 3]]);

    // The county group's card: the county's figure and each leader against time elapsed (序时进度).
    const card = await say(YANG, '目标', DF_GROUP);
    expect(card).toContain('带队外出招商 · 东丰县：杨帆 3/5');
    expect(card).toContain('带队外出招商 · 东丰县商务局：吴磊 3/5');
    // 四平's leader's trips are 梨树县's: never in 东丰's card.
    expect(await say(SP.lead, '/trip 江苏省苏州市 昨天')).toContain('梨树县');
    expect(await say(YANG, '目标', DF_GROUP)).not.toContain('梨树县长');
  });

  it('works: dates as officers write them', async () => {
    const cases: [string, string, string][] = [
      ['/trip 上海 11月25日', '上海', '2026-11-25'],
      ['/trip 北京 24日', '北京', '2026-11-24'],
      ['/trip 天津 昨天', '天津', '2026-11-24'],
      ['/trip 广东省 广州市 上周三', '广东省 广州市', '2026-11-18'],
      ['/trip 杭州 2026-11-02', '杭州', '2026-11-02'],
      ['/trip 成都 11月20日 11月22日', '成都', '2026-11-20'],
    ];
    for (const [cmd, destination, day] of cases) {
      const reply = await say(YANG, cmd);
      expect(reply, cmd).toContain('已登记外出招商');
      const row = (await tripsOf(YANG)).find((x) => x.destination === destination);
      expect(row, cmd).toEqual({ destination, startedOn: day, unitId: row!.unitId });
    }
    const [yang] = await t.db.select().from(people).where(eq(people.openId, YANG));
    const [chengdu] = await t.db
      .select()
      .from(trips)
      .where(and(eq(trips.leaderId, yang!.id), eq(trips.destination, '成都')));
    expect(chengdu!.endedOn).toBe('2026-11-22');
    // 3 seeded + 6 recorded.
    expect(await say(YANG, '/trip 沈阳 11月1日')).toContain('杨帆2026年带队 10 次');
  });

  it('refused: no destination, no date, a date that is not one, the future, an officer', async () => {
    const n = (await tripsOf(YANG)).length;
    const noDate = await say(YANG, '/trip 上海');
    expect(noDate).toContain('请写明赴上海外出招商的日期');
    expect(noDate).toContain('/trip 上海 11月25日');
    expect(await say(YANG, '/trip 11月25日')).toContain('请写明外出招商的目的地和日期');
    expect(await say(YANG, '/trip')).toContain('请写明外出招商的目的地和日期');
    const bad = await say(YANG, '/trip 上海 11月32日');
    expect(bad).toContain('11月32日');
    expect(bad).toContain('/trip 浙江省诸暨市 11月25日');
    expect(await say(YANG, '/trip 北京 2026-12-01')).toContain('不能晚于今天');
    expect(await say('ou_demo_zheng_hao', '/trip 上海 昨天')).toContain('没有登记权限');
    expect((await tripsOf(YANG)).length).toBe(n);
  });

  it('works: the leader corrects or withdraws a trip recorded this month; not one of last month', async () => {
    expect(await say(YANG, '/trip 撤回')).toContain('本月没有登记过外出招商');
    expect((await tripsOf(YANG)).length).toBe(3);
    await say(YANG, '/trip 上海 11月24日');
    const fixed = await say(YANG, '/trip 更正 上海市 11月23日');
    expect(fixed).toContain('已更正外出招商：2026年11月24日赴上海 → 2026年11月23日赴上海市');
    expect((await tripsOf(YANG)).filter((x) => x.startedOn === '2026-11-23').map((x) => x.destination)).toEqual(['上海市']);
    const gone = await say(YANG, '/trip 撤回');
    expect(gone).toContain('已撤回外出招商：2026年11月23日赴上海市');
    expect(gone).toContain('杨帆2026年带队 3 次');
    expect((await tripsOf(YANG)).length).toBe(3);
  });

  it('attacker: another leader cannot correct or withdraw someone else’s trip, and a destination cannot ping a group', async () => {
    await say(YANG, '/trip 上海 11月24日');
    // 四平's county leader and the bureau's lead each try: they reach only their own (none this month).
    expect(await say(SP.lead, '/trip 撤回')).toContain('本月没有登记过外出招商');
    expect(await say(WU, '/trip 更正 北京 11月20日')).toContain('本月没有登记过外出招商');
    expect((await tripsOf(YANG)).map((x) => x.destination)).toContain('上海');
    const pinged = await say(YANG, '/trip <at id=all></at> 昨天');
    expect(pinged).not.toContain('<at id=all></at>');
    const audit = await t.db.execute(sql`select action from audit_log where entity = 'trip' order by id`);
    const actions = ((audit as { rows?: { action: string }[] }).rows ?? (audit as unknown as { action: string }[])).map((r) => r.action);
    expect(actions).toEqual(['trip.create', 'trip.create']);
  });
});
