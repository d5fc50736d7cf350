// Status at scale: the province card and a county card, as the bot answers `/status` in a group bound to the
// province or to a county, against one hand-written SQL statement returning the same counts (the floor).
// 100k projects, ~1.2M reports, 200k fund entries (bench/lib/seed.ts), on PostgreSQL and on PGlite.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { createCalendar } from '../src/domain/calendar.js';
import { DEFAULT_RULES } from '../src/domain/rules.js';
import { answerStatus } from '../src/status/answer.js';
import { lateCutoff, statusData } from '../src/status/view.js';
import { allScope, unitScope } from '../src/status/scope.js';
import { closedPeriod, last12Periods, monthWindow, yearWindow } from '../src/status/time.js';
import { personById, unitById } from '../src/store/directory.js';
import { migrate, openDb, type Db, type DbHandle } from '../src/store/db.js';
import { REPORTING_STAGES } from '../src/store/projects.js';
import { createPgDatabase, dropPgDatabase, median, ratio, type Bench, type BenchContext, type Row } from './lib/common.js';
import { BENCH_GROUPS, COUNTY_IDS, periodsEndingWith, seedScale, type ScaleResult } from './lib/seed.js';

const TODAY = '2026-11-13';
const SCALE = { projects: 100_000, owners: 5_000, funds: 200_000, problems: 10_000, trips: 3_000 };
/** 14 periods, 93 % reported each and 55 % of the current one: ~1.2M reports. */
const PERIODS = periodsEndingWith('2026-11', 14);
const REPORTED_SHARE = 0.93;
/** PGlite's data load is cut off after this long (at a whole period of reports). */
const PGLITE_LOAD_BUDGET_MS = 120_000;

type Json = Record<string, unknown>;

function rowsOf<T>(res: unknown): T[] {
  return ((res as { rows?: T[] }).rows ?? (res as T[])) as T[];
}

/** The figures the overview card shows, in one plain SQL statement (the floor). */
async function plainStatus(db: Db, unitPath: string | null): Promise<Json> {
  const calendar = createCalendar({ timeZone: 'Asia/Shanghai' });
  const period = calendar.periodOf(TODAY);
  const w = monthWindow(period, TODAY);
  const y = yearWindow(Number(TODAY.slice(0, 4)), TODAY);
  const closed = closedPeriod(calendar, TODAY);
  const cutoff = lateCutoff(calendar, closed).toISOString();
  const months = last12Periods(period);
  const fFrom = [w.from, y.from, `${months[0]}-01`].sort()[0]!;
  const fTo = [w.to, y.to].sort()[1]!;
  const stall = Object.entries(DEFAULT_RULES.stallDays);
  const day = (d: string) => sql`${d}::date`;
  // The scope on alias p: every project (province) or host / first-talk unit in the county's subtree.
  const inScope = unitPath
    ? sql`(p.host_unit_id in (select id from units where path like ${unitPath + '%'})
          or p.first_talk_unit_id in (select id from units where path like ${unitPath + '%'}))`
    : sql`true`;
  const pd = sql`coalesce(p.last_progress_on, p.stage_entered_on, p.created_at::date)`;
  const stalledCond = sql.join(
    stall.map(([stage, days]) => sql`(p.stage = ${stage}::stage and ${pd} <= ${day(TODAY)} - ${days}::int)`),
    sql` or `,
  );
  // What counts toward the targets (store/status-targets.ts): trips recorded for the unit itself (a leader's own,
  // 001 二.二), and signed projects of a type the rules count as 产业项目 at or above the rules' line.
  const industrial = sql.join(
    DEFAULT_RULES.industrialTypes.map((x) => sql`${x}`),
    sql`, `,
  );
  const reporting = sql.join(
    REPORTING_STAGES.map((s) => sql`${s}::stage`),
    sql`, `,
  );
  const res = await db.execute(sql`
    with
    st as (
      select p.stage::text as stage, count(*)::int as n,
             count(*) filter (where p.stage_entered_on between ${day(w.from)} and ${day(w.to)})::int as entered
      from projects p where ${inScope} group by p.stage),
    sg as (
      select count(*) filter (where p.signed_on between ${day(w.from)} and ${day(w.to)})::int as wn,
             coalesce(sum(p.contract_amount_fen) filter (where p.signed_on between ${day(w.from)} and ${day(w.to)}), 0)::bigint as wfen,
             count(*) filter (where p.signed_on between ${day(y.from)} and ${day(y.to)})::int as yn,
             coalesce(sum(p.contract_amount_fen) filter (where p.signed_on between ${day(y.from)} and ${day(y.to)}), 0)::bigint as yfen
      from projects p where ${inScope} and p.signed_on between ${day(fFrom)} and ${day(y.to)}),
    fd as (
      select to_char(f.entry_date, 'YYYY-MM') as m, f.status::text as s, sum(f.amount_fen)::bigint as fen,
             coalesce(sum(f.amount_fen) filter (where f.entry_date between ${day(w.from)} and ${day(w.to)}), 0)::bigint as win
      from fund_entries f join projects p on p.id = f.project_id
      where ${inScope} and f.entry_date between ${day(fFrom)} and ${day(fTo)} and f.status <> 'rejected'
      group by 1, 2),
    rp as (
      select coalesce(p.first_talk_unit_id, p.host_unit_id) as u, count(*)::int as total, count(rc.id)::int as reported,
             count(*) filter (where rl.id is null and p.created_at < ${cutoff}::timestamptz)::int as late
      from projects p
      left join reports rc on rc.project_id = p.id and rc.period = ${period}
      left join reports rl on rl.project_id = p.id and rl.period = ${closed}
      where ${inScope} and p.stage in (${reporting})
      group by 1),
    sl as (select count(*)::int as n from projects p where ${inScope} and (${stalledCond})),
    sl5 as (select p.id from projects p where ${inScope} and (${stalledCond}) order by ${pd}, p.id limit 5),
    pr as (
      select pb.must_act_unit_id as u, count(*)::int as n
      from problems pb join projects p on p.id = pb.project_id where pb.open and ${inScope} group by 1),
    t as (
      select tg.unit_id, u.path from targets tg join units u on u.id = tg.unit_id
      where tg.year = ${Number(y.from.slice(0, 4))} and u.path like ${(unitPath ?? '/') + '%'}),
    tr as (
      select x.unit_id as u, count(*)::int as n
      from trips x
      where x.started_on between ${day(y.from)} and ${day(y.to)} and x.unit_id in (select unit_id from t)
      group by 1),
    pj as (
      select a.id as u,
             count(distinct p.id) filter (where p.signed_on between ${day(y.from)} and ${day(y.to)} and p.project_type::text in (${industrial})
               and p.contract_amount_fen >= ${DEFAULT_RULES.signedIndustrialMinFen})::int as sb,
             count(distinct p.id) filter (where p.landed_on between ${day(y.from)} and ${day(y.to)})::int as ld
      from projects p
      left join units hu on hu.id = p.host_unit_id
      left join units fu on fu.id = p.first_talk_unit_id
      cross join lateral unnest(string_to_array(trim(both '/' from coalesce(hu.path, '')), '/')::int[]
                              || string_to_array(trim(both '/' from coalesce(fu.path, '')), '/')::int[]) as a(id)
      where (p.signed_on between ${day(y.from)} and ${day(y.to)} or p.landed_on between ${day(y.from)} and ${day(y.to)})
        and a.id in (select unit_id from t)
      group by 1)
    select json_build_object(
      'stages', (select coalesce(json_agg(st), '[]') from st),
      'signings', (select row_to_json(sg) from sg),
      'funds', (select coalesce(json_agg(fd), '[]') from fd),
      'reporting', (select coalesce(json_agg(rp), '[]') from rp),
      'stalled', (select n from sl),
      'stalled5', (select coalesce(json_agg(id), '[]') from sl5),
      'problems', (select coalesce(json_agg(pr), '[]') from pr),
      'targets', (select coalesce(json_agg(json_build_object('u', t.unit_id, 'trips', coalesce(tr.n, 0),
                     'sb', coalesce(pj.sb, 0), 'ld', coalesce(pj.ld, 0))), '[]')
                  from t left join tr on tr.u = t.unit_id left join pj on pj.u = t.unit_id)
    ) as r`);
  const r = rowsOf<{ r: Json | string }>(res)[0]!.r;
  return typeof r === 'string' ? (JSON.parse(r) as Json) : r;
}

/** The counts both sides must agree on, as text lines (the bot's from its StatusData, the floor's from SQL). */
function countsOfBot(d: Awaited<ReturnType<typeof statusData>>): string[] {
  return [
    `stages ${d.stages!.map((s) => `${s.stage}:${s.count}/${s.entered}`).join(' ')}`,
    `signings ${d.signings!.window.count}/${d.signings!.window.fen} ${d.signings!.year.count}/${d.signings!.year.fen}`,
    `funds year ${d.funds!.year.verifiedFen}/${d.funds!.year.reportedFen} window ${d.funds!.window.verifiedFen}/${d.funds!.window.reportedFen}`,
    `reporting ${d.reporting!.current.reported}/${d.reporting!.current.total} late ${d.reporting!.closed.late} in ${d.reporting!.closed.byUnit.length} units`,
    `stalled ${d.stalled!.total}`,
    `problems ${d.problems!.total} in ${d.problems!.byUnit.length} units`,
    `targets ${[...(d.targets ?? [])]
      .sort((a, b) => a.unitId - b.unitId)
      .map((t) => `${t.unitId}:${t.actual.trips}/${t.actual.signedBig}/${t.actual.landed}`)
      .join(' ')}`,
  ];
}

function countsOfFloor(f: Json): string[] {
  const stages = f.stages as { stage: string; n: number; entered: number }[];
  const by = new Map(stages.map((s) => [s.stage, s]));
  const order = ['planning', 'negotiating', 'intent', 'signed', 'landed', 'dropped', 'transferred'];
  const sg = f.signings as { wn: number; wfen: number; yn: number; yfen: number };
  const fd = f.funds as { m: string; s: string; fen: number; win: number }[];
  const year = TODAY.slice(0, 4);
  const sum = (s: string, pick: (r: (typeof fd)[number]) => number) => fd.filter((r) => r.s === s).reduce((a, r) => a + Number(pick(r)), 0);
  const yearSum = (s: string) => sum(s, (r) => (r.m.startsWith(year) ? r.fen : 0));
  const rp = f.reporting as { u: number; total: number; reported: number; late: number }[];
  const pr = f.problems as { u: number; n: number }[];
  const tg = (f.targets as { u: number; trips: number; sb: number; ld: number }[]).sort((a, b) => a.u - b.u);
  return [
    `stages ${order.map((s) => `${s}:${by.get(s)?.n ?? 0}/${by.get(s)?.entered ?? 0}`).join(' ')}`,
    `signings ${sg.wn}/${Number(sg.wfen)} ${sg.yn}/${Number(sg.yfen)}`,
    `funds year ${yearSum('verified')}/${yearSum('reported')} window ${sum('verified', (r) => r.win)}/${sum('reported', (r) => r.win)}`,
    `reporting ${rp.reduce((a, r) => a + r.reported, 0)}/${rp.reduce((a, r) => a + r.total, 0)} late ${rp.reduce((a, r) => a + r.late, 0)} in ${rp.filter((r) => r.late > 0).length} units`,
    `stalled ${f.stalled as number}`,
    `problems ${pr.reduce((a, r) => a + r.n, 0)} in ${pr.length} units`,
    `targets ${tg.map((t) => `${t.u}:${t.trips}/${t.sb}/${t.ld}`).join(' ')}`,
  ];
}

async function measure(ctx: BenchContext, kind: string, db: Db, loaded: ScaleResult, reps: number): Promise<Row[]> {
  const calendar = createCalendar({ timeZone: 'Asia/Shanghai' });
  const person = (await personById(db, 1))!;
  const county = (await unitById(db, COUNTY_IDS.first))!;
  const size = `${Math.round(loaded.projects / 1000)}k projects, ${(loaded.reports / 1e6).toFixed(2)}M reports, ${Math.round(loaded.funds / 1000)}k funds`;
  const rows: Row[] = [];
  for (const [label, chatId, scope, path] of [
    ['province card', BENCH_GROUPS.province, allScope(), null],
    ['county card', BENCH_GROUPS.county, unitScope(county), county.path],
  ] as const) {
    const bot = async () => {
      const a = await answerStatus({ db, calendar, today: TODAY, chatType: 'group', chatId, person }, '', 'command');
      if (!a || a.kind !== 'card') throw new Error(`status: no card for ${chatId}`);
      return a.card;
    };
    const floor = () => plainStatus(db, path);
    // Same counts? (statusData is what answerStatus renders; compared once, outside the timing.)
    const data = await statusData(db, scope, 'status', { calendar, today: TODAY, thresholds: DEFAULT_RULES.stallDays });
    const a = countsOfBot(data);
    const b = countsOfFloor(await floor());
    const diff = a.filter((line, i) => line !== b[i]);
    if (diff.length > 0)
      ctx.log(
        `  ${kind} ${label}: counts differ:\n    bot   ${diff.join('\n    bot   ')}\n    floor ${b.filter((l, i) => l !== a[i]).join('\n    floor ')}`,
      );
    await bot(); // warm-up (plans, caches)
    const tb: number[] = [];
    const tf: number[] = [];
    for (let i = 0; i < reps; i++) {
      let t0 = performance.now();
      await bot();
      tb.push(performance.now() - t0);
      t0 = performance.now();
      await floor();
      tf.push(performance.now() - t0);
    }
    const vb = median(tb)!;
    const vf = median(tf)!;
    const r = ratio(vb, vf);
    ctx.log(`  ${kind} ${label}: bot ${vb.toFixed(0)} ms, plain SQL ${vf.toFixed(0)} ms (${r?.toFixed(2)}×)`);
    rows.push({
      bench: 'status',
      case: `${kind}: ${label} (median of ${reps})`,
      value: vb,
      unit: 'ms',
      floor: vf,
      floorLabel: 'one plain SQL statement, same counts',
      ratio: r,
      target: '≤ 2× floor',
      ok: r !== null && r <= 2,
      note: `${size}${diff.length > 0 ? `; COUNTS DIFFER in ${diff.map((l) => l.split(' ')[0]).join(', ')} (see the log)` : '; same counts'}`,
    });
  }
  return rows;
}

export const status: Bench = async (ctx) => {
  const rows: Row[] = [];
  const seedOpts = { ...SCALE, periods: PERIODS, reportedShare: REPORTED_SHARE, today: TODAY };

  // PostgreSQL
  const url = await createPgDatabase(ctx.pgUrl, 'status');
  let handle: DbHandle | undefined;
  try {
    await migrate(url);
    handle = await openDb(url);
    const loaded = await seedScale(handle.db, seedOpts);
    ctx.log(`  PostgreSQL: loaded ${loaded.reports} reports in ${(loaded.ms / 1000).toFixed(0)} s`);
    rows.push(...(await measure(ctx, 'PostgreSQL', handle.db, loaded, 5)));
  } finally {
    await handle?.close();
    await dropPgDatabase(ctx.pgUrl, url);
  }

  // PGlite, in a fresh folder as `npm start` uses it; the load is time-boxed.
  const dir = mkdtempSync(join(tmpdir(), 'zb-bench-status-'));
  let lite: DbHandle | undefined;
  try {
    lite = await openDb(join(dir, 'pglite'));
    await migrate('pglite', lite);
    const t0 = performance.now();
    let cut = false;
    const loaded = await seedScale(lite.db, {
      ...seedOpts,
      progress: ({ table }) => {
        if (table === 'reports' && performance.now() - t0 > PGLITE_LOAD_BUDGET_MS) {
          cut = true;
          return false;
        }
        return true;
      },
    });
    ctx.log(`  PGlite: loaded ${loaded.reports} reports in ${(loaded.ms / 1000).toFixed(0)} s${cut ? ' (time box reached)' : ''}`);
    const measured = await measure(ctx, 'PGlite', lite.db, loaded, 3);
    if (cut)
      for (const r of measured)
        r.note = `${r.note}; load cut at ${PGLITE_LOAD_BUDGET_MS / 1000} s (${loaded.periodsLoaded} of ${PERIODS.length} periods)`;
    rows.push(...measured);
  } finally {
    await lite?.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
};
