/**
 * Seed 002's headline, "全市市外1000万元以上有资金到位的项目337个，实现到位资金218.82亿元", reproduced on a hand-built
 * fixture: two cities of one province (四平市, 辽源市), investors from inside and outside each, and one project per
 * exclusion — each removes exactly one project or one amount, and putting it back adds exactly that.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { fundEntries, people, projects } from '../../db/schema.js';
import { wan, yi } from '../../src/domain/amount.js';
import { DEFAULT_RULES } from '../../src/domain/rules.js';
import { upsertUnit } from '../../src/store/directory.js';
import { fundsArrived, fundsArrivedIn } from '../../src/store/funds.js';
import { fundsHeadline } from '../../src/words.js';
import { useTestDb } from '../helpers/db.js';

const t = useTestDb();
const YEAR = { from: '2025-01-01', to: '2025-12-31' };
const RULE = DEFAULT_RULES.funds;

interface Fixture {
  sp: { path: string };
  ly: { path: string };
  jl: { path: string };
  ids: Record<string, number>;
  entries: Record<string, number>;
}

async function build(): Promise<Fixture> {
  const jl = await upsertUnit(t.db, { code: 'JL', name: '吉林省', kind: 'province', parentId: null });
  const sp = await upsertUnit(t.db, { code: 'SP', name: '四平市', kind: 'city', parentId: jl.id });
  const ls = await upsertUnit(t.db, { code: 'SP-LS', name: '梨树县', kind: 'county', parentId: sp.id });
  const bureau = await upsertUnit(t.db, { code: 'SP-SW', name: '四平市商务局', kind: 'department', parentId: sp.id });
  const ly = await upsertUnit(t.db, { code: 'LY', name: '辽源市', kind: 'city', parentId: jl.id });
  const df = await upsertUnit(t.db, { code: 'LY-DF', name: '东丰县', kind: 'county', parentId: ly.id });
  const [owner] = await t.db
    .insert(people)
    .values({ name: '责任人', unitId: ls.id, roles: ['owner'] })
    .returning();
  const ids: Record<string, number> = {};
  const entries: Record<string, number> = {};
  const project = async (
    key: string,
    p: { region: string; planned: number; contract?: number; stage?: 'negotiating' | 'signed'; host?: number },
  ) => {
    const [row] = await t.db
      .insert(projects)
      .values({
        code: `T-${key}`,
        name: `项目${key}`,
        stage: p.stage ?? 'negotiating',
        // The first-talk unit is the city's bureau, the host a county: not the same unit.
        firstTalkUnitId: p.host === df.id ? df.id : bureau.id,
        hostUnitId: p.host ?? ls.id,
        ownerId: owner!.id,
        investorRegionCode: p.region,
        plannedInvestmentFen: p.planned,
        contractAmountFen: p.contract ?? null,
      })
      .returning();
    ids[key] = row!.id;
  };
  const entry = async (key: string, project: string, date: string, fen: number, status: 'reported' | 'verified' | 'rejected') => {
    const [row] = await t.db
      .insert(fundEntries)
      .values({ projectId: ids[project]!, entryDate: date, amountFen: fen, status, reportedById: owner!.id })
      .returning();
    entries[key] = row!.id;
  };
  // Counted: from 杭州 (another province), 5000万 planned.
  await project('A', { region: '330100', planned: wan(5000) });
  await entry('A1', 'A', '2025-03-10', wan(3000), 'verified');
  // Another year's money of A: not in 2025's figure.
  await entry('A0', 'A', '2024-12-20', wan(1000), 'verified');
  // Counted: signed for 2亿 (the contract amount counts once signed, though planned was 500万), from 沈阳.
  await project('B', { region: '210100', planned: wan(500), contract: yi(2), stage: 'signed' });
  await entry('B1', 'B', '2025-06-30', yi(1.5), 'verified');
  // Counted: from 长春, the same province but another city (市外 is not 省外).
  await project('C', { region: '220100', planned: yi(1) });
  await entry('C1', 'C', '2025-08-01', wan(2000), 'verified');
  // Excluded: the investor is from 四平 itself.
  await project('D', { region: '220300', planned: yi(1) });
  await entry('D1', 'D', '2025-04-01', wan(5000), 'verified');
  // Excluded: under 1000万.
  await project('E', { region: '440300', planned: wan(800) });
  await entry('E1', 'E', '2025-05-01', wan(300), 'verified');
  // Counted with 4000万: its 1亿 entry was rejected.
  await project('F', { region: '310000', planned: yi(2) });
  await entry('F1', 'F', '2025-09-01', wan(4000), 'verified');
  await entry('F2', 'F', '2025-09-15', yi(1), 'rejected');
  // Excluded: its only entry is reported, not verified.
  await project('G', { region: '110000', planned: yi(3) });
  await entry('G1', 'G', '2025-10-01', wan(6000), 'reported');
  // 辽源's project with an investor from 四平: outside 辽源, so it counts for 辽源 and for the province.
  await project('H', { region: '220300', planned: yi(1), host: df.id });
  await entry('H1', 'H', '2025-07-01', yi(1), 'verified');
  return { jl, sp, ly, ids, entries };
}

describe('funds arrived by the recognition rule (seed 002)', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await build();
  });
  const city = () => ({ parts: [{ unitPath: f.sp.path }] });

  it('reproduces the headline for 四平: 4 projects, 2.4亿元', async () => {
    const fig = await fundsArrived(t.db, city(), YEAR, RULE);
    expect(fundsHeadline(fig)).toBe('市外1000万元以上有资金到位的项目4个，实现到位资金2.4亿元');
    expect(fig.projects).toBe(4);
    expect(fig.amountFen).toBe(yi(2.4));
    expect(fig.amountWan).toBe('24000');
    expect(fig.rule).toEqual({ origin: 'outside_city', minInvestmentFen: wan(1000) });
    // D (investor from 四平 itself) and E (under 1000万), by reason.
    expect(fig.excluded).toEqual([
      { why: 'investor_inside', projects: 1, amountFen: wan(5000) },
      { why: 'under_minimum', projects: 1, amountFen: wan(300) },
    ]);
  });

  it('the province sums each city’s own: 四平’s investor counts in 辽源', async () => {
    const fig = await fundsArrived(t.db, { parts: [{ unitPath: f.jl.path }] }, YEAR, RULE);
    expect(fundsHeadline(fig)).toBe('市外1000万元以上有资金到位的项目5个，实现到位资金3.4亿元');
    const ly = await fundsArrived(t.db, { parts: [{ unitPath: f.ly.path }] }, YEAR, RULE);
    expect([ly.projects, ly.amountFen]).toEqual([1, yi(1)]);
  });

  it('each exclusion removes exactly one project or one amount', async () => {
    const base = await fundsArrived(t.db, city(), YEAR, RULE);
    const delta = async () => {
      const now = await fundsArrived(t.db, city(), YEAR, RULE);
      return [now.projects - base.projects, now.amountFen - base.amountFen];
    };
    const restore = async (key: string, region: string, planned: number) =>
      t.db.update(projects).set({ investorRegionCode: region, plannedInvestmentFen: planned }).where(eq(projects.id, f.ids[key]!));

    // Investor inside the city: moved to 长春, D comes in.
    await restore('D', '220100', yi(1));
    expect(await delta()).toEqual([1, wan(5000)]);
    await restore('D', '220300', yi(1));
    // Under 1000万: raised to 1000万 exactly (the line is inclusive), E comes in.
    await restore('E', '440300', wan(1000));
    expect(await delta()).toEqual([1, wan(300)]);
    await restore('E', '440300', wan(800));
    // The rejected entry: were it verified, F's amount would grow by it (F already counts).
    await t.db.update(fundEntries).set({ status: 'verified' }).where(eq(fundEntries.id, f.entries.F2!));
    expect(await delta()).toEqual([0, yi(1)]);
    await t.db.update(fundEntries).set({ status: 'rejected' }).where(eq(fundEntries.id, f.entries.F2!));
    // The unverified entry: verified, G comes in.
    await t.db.update(fundEntries).set({ status: 'verified' }).where(eq(fundEntries.id, f.entries.G1!));
    expect(await delta()).toEqual([1, wan(6000)]);
    await t.db.update(fundEntries).set({ status: 'reported' }).where(eq(fundEntries.id, f.entries.G1!));
    // Another year's entry: dated into 2025, A's amount grows by it.
    await t.db.update(fundEntries).set({ entryDate: '2025-01-02' }).where(eq(fundEntries.id, f.entries.A0!));
    expect(await delta()).toEqual([0, wan(1000)]);
  });

  it('the rule is a setting: 省外 drops 长春; no minimum lets 800万 in; each figure names its rule', async () => {
    const outsideProvince = await fundsArrived(t.db, city(), YEAR, { origin: 'outside_province', minInvestmentFen: wan(1000) });
    expect(fundsHeadline(outsideProvince)).toBe('省外1000万元以上有资金到位的项目3个，实现到位资金2.2亿元');
    const noMinimum = await fundsArrived(t.db, city(), YEAR, { origin: 'outside_city', minInvestmentFen: 0 });
    expect(fundsHeadline(noMinimum)).toBe('市外有资金到位的项目5个，实现到位资金2.43亿元');
    expect(noMinimum.amountFen).toBe(yi(2.4) + wan(300));
    const all = await fundsArrived(t.db, city(), YEAR, { origin: 'any', minInvestmentFen: 0 });
    expect([all.projects, all.amountFen]).toEqual([6, yi(2.4) + wan(5000) + wan(300)]);
  });

  it('an investor known only by the host’s own province is not counted as 市外 (which city is unknown)', async () => {
    await t.db.update(projects).set({ investorRegionCode: '220000' }).where(eq(projects.id, f.ids.C!));
    const fig = await fundsArrived(t.db, city(), YEAR, RULE);
    expect([fig.projects, fig.amountFen]).toEqual([3, yi(2.2)]);
    expect(fig.excluded.find((e) => e.why === 'investor_unknown')).toEqual({ why: 'investor_unknown', projects: 1, amountFen: wan(2000) });
  });

  it('several ranges in one pass give each range’s own figure (the status card’s year and window)', async () => {
    const june = { from: '2025-06-01', to: '2025-06-30' };
    // Across the new year: A's December 2024 entry only.
    const turn = { from: '2024-12-01', to: '2025-01-31' };
    const none = { from: '2023-01-01', to: '2023-12-31' };
    const ranges = [YEAR, june, turn, none];
    for (const scope of [city(), { parts: [{ unitPath: f.jl.path }] }, { parts: [{ unitPath: f.ly.path }] }]) {
      const together = await fundsArrivedIn(t.db, scope, ranges, RULE);
      const apart = await Promise.all(ranges.map((r) => fundsArrived(t.db, scope, r, RULE)));
      expect(together).toEqual(apart);
    }
    const [year, inJune, atTurn, empty] = await fundsArrivedIn(t.db, city(), ranges, RULE);
    expect([year!.projects, year!.amountFen]).toEqual([4, yi(2.4)]);
    expect([inJune!.projects, inJune!.amountFen]).toEqual([1, yi(1.5)]);
    expect([atTurn!.projects, atTurn!.amountFen]).toEqual([1, wan(1000)]);
    // A project is in a range's figure, or its exclusions, only when it has money in that range.
    expect(inJune!.excluded).toEqual([]);
    expect([empty!.projects, empty!.amountFen, empty!.excluded]).toEqual([0, 0, []]);
    expect(await fundsArrivedIn(t.db, city(), [], RULE)).toEqual([]);
  });

  it('a project without a host is left out as host_unknown, in one range or several', async () => {
    await t.db.update(projects).set({ hostUnitId: null }).where(eq(projects.id, f.ids.A!));
    const [fig] = await fundsArrivedIn(t.db, city(), [YEAR, YEAR], RULE);
    // A's first-talk unit (the city's bureau) keeps it in the scope; without a host the rule cannot place it.
    expect(fig!.excluded.find((e) => e.why === 'host_unknown')).toEqual({ why: 'host_unknown', projects: 1, amountFen: wan(3000) });
    expect([fig!.projects, fig!.amountFen]).toEqual([3, yi(2.4) - wan(3000)]);
  });

  it('projects alike to the rule are counted one by one, each by the amount the rule compares', async () => {
    const base = await fundsArrived(t.db, city(), YEAR, RULE);
    // Two more like A (杭州, planned ≥ 1000万, not signed): each counts, with its own money.
    for (const [k, fen] of [
      ['A2', wan(100)],
      ['A3', wan(200)],
    ] as const) {
      const [p] = await t.db
        .insert(projects)
        .values({
          code: `T-${k}`,
          name: `项目${k}`,
          stage: 'negotiating',
          hostUnitId: (await t.db.select().from(projects).where(eq(projects.id, f.ids.A!)))[0]!.hostUnitId,
          investorRegionCode: '330100',
          plannedInvestmentFen: wan(2000) + fen,
        })
        .returning();
      await t.db.insert(fundEntries).values({ projectId: p!.id, entryDate: '2025-04-04', amountFen: fen, status: 'verified' });
    }
    const more = await fundsArrived(t.db, city(), YEAR, RULE);
    expect([more.projects - base.projects, more.amountFen - base.amountFen]).toEqual([2, wan(300)]);
    // Signed: the contract amount decides, not the planned one. B's 2亿 contract over 500万 planned counts; a
    // contract under the line leaves it out though its planned investment is over it; no contract falls back to planned.
    await t.db
      .update(projects)
      .set({ contractAmountFen: wan(900), plannedInvestmentFen: yi(3) })
      .where(eq(projects.id, f.ids.B!));
    const under = await fundsArrived(t.db, city(), YEAR, RULE);
    expect(under.excluded.find((e) => e.why === 'under_minimum')).toEqual({
      why: 'under_minimum',
      projects: 2,
      amountFen: wan(300) + yi(1.5),
    });
    await t.db.update(projects).set({ contractAmountFen: null }).where(eq(projects.id, f.ids.B!));
    expect((await fundsArrived(t.db, city(), YEAR, RULE)).amountFen).toBe(more.amountFen);
    // Neither amount set: nothing to compare, under any minimum but none.
    await t.db.update(projects).set({ plannedInvestmentFen: null }).where(eq(projects.id, f.ids.B!));
    expect((await fundsArrived(t.db, city(), YEAR, RULE)).amountFen).toBe(more.amountFen - yi(1.5));
    expect(
      (await fundsArrived(t.db, city(), YEAR, { ...RULE, minInvestmentFen: 0 })).excluded.find((e) => e.why === 'under_minimum'),
    ).toBeUndefined();
  });
});
