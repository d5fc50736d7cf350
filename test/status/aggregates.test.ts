import { beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { demoProjects } from '../../db/seed/demo-data.js';
import { seedDemo } from '../../db/seed/index.js';
import { people, projects, trips, units } from '../../db/schema.js';
import { createCalendar } from '../../src/domain/calendar.js';
import { isStalled } from '../../src/domain/progress.js';
import { STAGES } from '../../src/domain/stages.js';
import { wan, yi } from '../../src/domain/amount.js';
import { funds, reporting, signings, stageCounts, targetsProgress } from '../../src/status/figures.js';
import { centreList, lateProjects, openProblems, promising, stalled } from '../../src/status/lists.js';
import {
  allScope,
  centreScope,
  chainScope,
  loadDirectory,
  narrow,
  scopeOfPerson,
  unitScope,
  type Directory,
} from '../../src/status/scope.js';
import { scopeCondition } from '../../src/store/status-scope.js';
import { last12Periods, monthWindow, startOfDay, yearWindow } from '../../src/status/time.js';
import { lateCutoff, statusData } from '../../src/status/view.js';
import { statusCard } from '../../src/status/status-card.js';
import { cardBytes, CARD_MAX_BYTES } from '../../src/lark/cards.js';
import { useTestDb } from '../helpers/db.js';

const TODAY = '2026-11-25'; // after the November deadline (2026-11-20): November is the closed period
const cal = createCalendar();

function rows<T>(res: unknown): T[] {
  return ((res as { rows?: T[] }).rows ?? (res as T[])) as T[];
}

describe('status aggregates on the demo city', () => {
  const t = useTestDb();
  let dir: Directory;
  let dfPath: string;

  beforeEach(async () => {
    await seedDemo(t.db, TODAY);
    // A project that entered planning this month, and a trip recorded by a department under the county.
    const [df] = await t.db
      .select()
      .from(units)
      .where(sql`${units.code} = 'LY-DF'`);
    const [dfsw] = await t.db
      .select()
      .from(units)
      .where(sql`${units.code} = 'LY-DF-SW'`);
    const [wu] = await t.db
      .select()
      .from(people)
      .where(sql`${people.openId} = 'ou_demo_wu_lei'`);
    await t.db.insert(projects).values({
      code: 'T-NEW',
      name: '测试新谋划项目',
      stage: 'planning',
      hostUnitId: dfsw!.id,
      firstTalkUnitId: dfsw!.id,
      ownerId: wu!.id,
      stageEnteredOn: '2026-11-10',
      createdAt: new Date('2026-11-10T10:00:00+08:00'),
    });
    await t.db.insert(projects).values({
      code: 'T-AFTER',
      name: '测试新项目（截止后录入）',
      stage: 'planning',
      hostUnitId: dfsw!.id,
      firstTalkUnitId: dfsw!.id,
      ownerId: wu!.id,
      stageEnteredOn: '2026-11-22',
      createdAt: new Date('2026-11-22T10:00:00+08:00'),
    });
    await t.db.insert(trips).values({ unitId: dfsw!.id, leaderId: wu!.id, destination: '上海市', startedOn: '2026-03-01' });
    dir = await loadDirectory(t.db);
    dfPath = df!.path;
  });

  /** Plain SQL: the DF projects (host unit in the county's subtree; the demo's host is the first-talk unit). */
  const dfProjects = () =>
    t.db.execute(sql`select p.* from projects p join units u on u.id = p.host_unit_id where u.path like ${dfPath + '%'}`);

  it('counts per stage, and new this month, as the demo data says', async () => {
    const scope = unitScope(dir.unitById.get(dir.units.find((u) => u.code === 'LY-DF')!.id)!);
    const got = await stageCounts(t.db, scope, monthWindow('2026-11', TODAY));
    const expected = Object.fromEntries(STAGES.map((s) => [s, demoProjects.filter((p) => p.hostUnit === 'LY-DF' && p.stage === s).length]));
    expected.planning! += 2; // the projects added above
    expect(Object.fromEntries(got.map((g) => [g.stage, g.count]))).toEqual(expected);
    expect(got.find((g) => g.stage === 'planning')!.entered).toBe(2);
    expect(got.filter((g) => g.stage !== 'planning').every((g) => g.entered === 0)).toBe(true);
  });

  it('signings, funds, late reports, stalled projects and problems equal plain queries', async () => {
    const df = dir.units.find((u) => u.code === 'LY-DF')!;
    const scope = unitScope(df);
    const month = monthWindow('2026-11', TODAY);
    const year = yearWindow(2026, TODAY);
    const ps = rows<{ id: number; stage: string; signed_on: string | Date | null; contract_amount_fen: string | number | null }>(
      await dfProjects(),
    );
    const ids = ps.map((p) => p.id);
    const day = (d: string | Date | null) => (d === null ? null : typeof d === 'string' ? d : d.toISOString().slice(0, 10));

    // Signings
    const s = await signings(t.db, scope, month, year);
    const signedYear = ps.filter((p) => day(p.signed_on) !== null && day(p.signed_on)! >= year.from && day(p.signed_on)! <= year.to);
    expect(s.year.count).toBe(signedYear.length);
    expect(s.year.fen).toBe(signedYear.reduce((n, p) => n + Number(p.contract_amount_fen ?? 0), 0));
    expect(s.year.count).toBeGreaterThan(0);

    // Funds: verified apart from reported, rejected never
    const f = rows<{ status: string; month: string; fen: string }>(
      await t.db.execute(sql`select status::text as status, to_char(entry_date, 'YYYY-MM') as month, sum(amount_fen)::text as fen
        from fund_entries where project_id in (${sql.join(
          ids.map((i) => sql`${i}`),
          sql`, `,
        )}) and entry_date <= ${TODAY}
        group by 1, 2`),
    );
    const sumOf = (status: string, pred: (m: string) => boolean) =>
      f.filter((r) => r.status === status && pred(r.month)).reduce((n, r) => n + Number(r.fen), 0);
    const figures = await funds(t.db, scope, month, year, last12Periods('2026-11'));
    expect(figures.year.verifiedFen).toBe(sumOf('verified', (m) => m.startsWith('2026')));
    expect(figures.year.reportedFen).toBe(sumOf('reported', (m) => m.startsWith('2026')));
    expect(figures.window.verifiedFen).toBe(sumOf('verified', (m) => m === '2026-11'));
    expect(figures.months.find((m) => m.period === '2026-10')!.verifiedFen).toBe(sumOf('verified', (m) => m === '2026-10'));
    expect(figures.year.verifiedFen).toBeGreaterThan(0);
    expect(figures.year.reportedFen).toBeGreaterThan(0);

    // Late: reporting projects without a November report, created before the deadline's end
    const cutoff = lateCutoff(cal, '2026-11');
    expect(cutoff.toISOString()).toBe('2026-11-20T16:00:00.000Z');
    const late = rows<{ n: number }>(
      await t.db.execute(sql`select count(*)::int as n from projects p join units u on u.id = p.host_unit_id
        where u.path like ${dfPath + '%'} and p.stage in ('planning','negotiating','intent','signed','landed')
          and p.created_at < ${cutoff.toISOString()}::timestamptz
          and not exists (select 1 from reports r where r.project_id = p.id and r.period = '2026-11')`),
    )[0]!.n;
    const rep = await reporting(t.db, scope, { current: '2026-11', closed: '2026-11', createdBefore: cutoff });
    expect(rep.closed.late).toBe(late);
    expect(late).toBeGreaterThan(0);
    expect(rep.closed.byUnit.reduce((n, u) => n + u.count, 0)).toBe(late);
    const list = await lateProjects(t.db, scope, { period: '2026-11', createdBefore: cutoff, limit: 50 });
    expect(list.total).toBe(late);
    // Created this month before the deadline and never reported: late. Created after the deadline: not yet due.
    expect(list.list.map((p) => p.name)).toContain('测试新谋划项目');
    expect(list.list.map((p) => p.name)).not.toContain('测试新项目（截止后录入）');

    // Stalled, by the domain rule on every DF project
    const all = await t.db.select().from(projects);
    const stalledIds = all
      .filter((p) => ids.includes(p.id))
      .filter((p) => isStalled(p.stage, p.lastProgressOn ?? p.stageEnteredOn ?? p.createdAt.toISOString().slice(0, 10), TODAY));
    const st = await stalled(t.db, scope, TODAY);
    expect(st.total).toBe(stalledIds.length);
    expect(st.list.map((p) => p.id).sort()).toEqual(stalledIds.map((p) => p.id).sort());

    // Open problems by the unit that must act
    const probs = rows<{ unit: number; n: number }>(
      await t.db.execute(sql`select must_act_unit_id as unit, count(*)::int as n from problems
        where open and project_id in (${sql.join(
          ids.map((i) => sql`${i}`),
          sql`, `,
        )}) group by 1`),
    );
    const op = await openProblems(t.db, scope, { limit: 3 });
    expect(op.total).toBe(probs.reduce((n, r) => n + r.n, 0));
    expect(Object.fromEntries(op.byUnit.map((u) => [u.unitId, u.count]))).toEqual(Object.fromEntries(probs.map((r) => [r.unit, r.n])));
  });

  it('targets: trips led for the unit itself (not units under it), signed ≥5000万 产业项目, landed this year', async () => {
    const df = dir.units.find((u) => u.code === 'LY-DF')!;
    const rowsT = await targetsProgress(t.db, unitScope(df), yearWindow(2026, TODAY));
    expect(rowsT!.map((r) => r.unitName)).toEqual(['东丰县']);
    const r = rowsT![0]!;
    const tripsN = rows<{ n: number }>(
      await t.db.execute(sql`select count(*)::int as n from trips x
        where x.unit_id = ${df.id} and x.started_on between '2026-01-01' and ${TODAY}`),
    )[0]!.n;
    const signedBig = rows<{ n: number }>(
      await t.db.execute(sql`select count(*)::int as n from projects p join units u on u.id = p.host_unit_id
        where u.path like ${df.path + '%'} and p.project_type in ('industry', 'producer_services') and p.contract_amount_fen >= ${wan(5000)}
          and p.signed_on between '2026-01-01' and ${TODAY}`),
    )[0]!.n;
    const landed = rows<{ n: number }>(
      await t.db.execute(sql`select count(*)::int as n from projects p join units u on u.id = p.host_unit_id
        where u.path like ${df.path + '%'} and p.landed_on between '2026-01-01' and ${TODAY}`),
    )[0]!.n;
    expect(r.actual).toEqual({ trips: tripsN, signedBig, landed });
    // Three seeded for the county; the one its commerce bureau recorded is the bureau's, not the county's.
    expect(tripsN).toBe(3);
    expect(r.leaders.map((l) => [l.name, l.trips])).toContainEqual(['杨帆', 3]);
    expect(r.annual).toEqual({ trips: 5, signedBig: 5, landed: 2 });
    // The city sees every county's row; a chain scope has no unit targets.
    const city = dir.units.find((u) => u.code === 'LY')!;
    expect((await targetsProgress(t.db, unitScope(city), yearWindow(2026, TODAY)))!.map((x) => x.unitName)).toEqual([
      '东丰县',
      '东辽县',
      '龙山区',
      '辽源高新区',
    ]);
    expect(await targetsProgress(t.db, chainScope(dir.chains[0]!, dir), yearWindow(2026, TODAY))).toBeNull();
  });

  it('the centre list holds exactly the signed or landed projects with a contract ≥1亿', async () => {
    const list = await centreList(t.db, centreScope(undefined, yi(1)), '2026-11');
    const expected = demoProjects
      .filter((p) => (p.stage === 'signed' || p.stage === 'landed') && (p.contractWan ?? 0) >= 10000)
      .map((p) => p.name)
      .sort();
    expect(list.map((p) => p.name).sort()).toEqual(expected);
    expect(list.length).toBeGreaterThan(5);
    // Largest first; funds are the verified ones only.
    expect(list[0]!.name).toBe('200MW风电项目');
    const landedOne = list.find((p) => p.name === '100MW光伏发电项目')!;
    expect(landedOne.verifiedFen).toBe(2 * Math.round(45000 / 4) * wan(1));
  });

  it('scopes: a group or a person sees its part only; narrowing outside is refused', async () => {
    const code = (c: string) => dir.units.find((u) => u.code === c)!;
    const df = unitScope(code('LY-DF'));
    expect(narrow(df, { kind: 'unit', unit: code('LY-DL') })).toBeNull();
    expect(narrow(df, { kind: 'unit', unit: code('LY') })).toBeNull();
    expect(narrow(df, { kind: 'unit', unit: code('LY-DF-SW') })!.label).toBe('东丰县商务局');
    const xny = dir.chains.find((c) => c.name === '新能源')!;
    const dfXny = narrow(df, { kind: 'chain', chain: xny })!;
    expect(dfXny.label).toBe('东丰县 · 新能源产业链');
    const n = await t.db.select({ id: projects.id }).from(projects).where(scopeCondition(dfXny));
    expect(n.map((r) => r.id).length).toBe(demoProjects.filter((p) => p.hostUnit === 'LY-DF' && p.chain === '新能源').length);
    const chain = chainScope(xny, dir);
    expect(narrow(chain, { kind: 'chain', chain: dir.chains.find((c) => c.name === '袜业纺织')! })).toBeNull();
    expect(narrow(chain, { kind: 'unit', unit: code('LY-DF') })!.label).toBe('新能源产业链 · 东丰县');

    const person = async (key: string) =>
      (
        await t.db
          .select()
          .from(people)
          .where(sql`${people.openId} = ${'ou_demo_' + key}`)
      )[0]!;
    expect(scopeOfPerson(await person('wu_lei'), dir)).toMatchObject({ kind: 'owner', parts: [{ ownerId: (await person('wu_lei')).id }] });
    expect(scopeOfPerson(await person('yang_fan'), dir)).toMatchObject({
      kind: 'unit',
      label: '东丰县',
      parts: [{ unitPath: code('LY-DF').path }],
    });
    // A city bureau's lead stands for the city.
    expect(scopeOfPerson(await person('zhang_wei'), dir)).toMatchObject({ kind: 'unit', label: '辽源市' });
    const chen = scopeOfPerson(await person('chen_gang'), dir)!;
    expect(chen.kind).toBe('person');
    // His unit's subtree, then each of his chains inside its own government (the city's: chains are per government).
    expect(chen.parts).toHaveLength(4);
    expect(chen.parts.slice(1).map((p) => dir.chainById.get(p.chainIds![0]!)!.name)).toEqual(['新能源', '新文旅', '未来经济']);
    expect(chen.parts.slice(1).every((p) => p.unitPath === code('LY').path)).toBe(true);
    const nobody = { ...(await person('wu_lei')), roles: [] };
    expect(scopeOfPerson(nobody, dir)).toBeNull();
  });

  it('the overview card of the whole city stays under 30 KB, with both charts', async () => {
    const d = await statusData(t.db, allScope(), 'status', { calendar: cal, today: TODAY });
    const c = statusCard(d);
    expect(cardBytes(c)).toBeLessThan(CARD_MAX_BYTES);
    const charts = c.body.elements.filter((e) => e.tag === 'chart');
    expect(charts).toHaveLength(2);
  });

  it('promising projects: 洽谈/意向 with substantive progress in the last 60 days', async () => {
    const p = await promising(t.db, allScope(), TODAY);
    const expected = demoProjects.filter((x) => (x.stage === 'negotiating' || x.stage === 'intent') && x.daysSinceProgress <= 60);
    expect(p.total).toBe(expected.length);
  });

  it('zone midnights', () => {
    expect(startOfDay('2026-11-21', 'Asia/Shanghai').toISOString()).toBe('2026-11-20T16:00:00.000Z');
    expect(startOfDay('2026-07-01', 'Europe/Berlin').toISOString()).toBe('2026-06-30T22:00:00.000Z');
  });
});
