// A seeded generator for benchmark data at scale: a province of units, owners with Lark open_ids, projects in
// every stage, monthly reports, fund entries, problems, trips and targets. Bulk INSERT … SELECT over
// generate_series, so the database does the work (PostgreSQL and PGlite alike). Deterministic: every "random"
// choice is a hash of the row number and a salt, never random(), so two runs (and both databases) get the same rows.

import { sql } from 'drizzle-orm';
import { PROJECT_TYPES } from '../../src/domain/classification.js';
import { DEFAULT_RULES } from '../../src/domain/rules.js';
import type { Db, Tx } from '../../src/store/db.js';

export interface ScaleOptions {
  projects: number;
  owners: number;
  /** Periods with reports, oldest first ('YYYY-MM'); the last one may be partly reported (`currentShare`). */
  periods: string[];
  /** Share of projects with a report in every period but the last (default 0.97). */
  reportedShare?: number;
  /** Share of projects reported in the last period (default 0.55); 0 leaves it empty (reminders have work). */
  currentShare?: number;
  funds: number;
  problems: number;
  trips: number;
  /** The day the data is "as of" ('YYYY-MM-DD'): dates are laid out before it. */
  today: string;
  /** Called between chunks with what is loaded so far; return false to stop loading reports (time box). */
  progress?: (done: { table: string; rows: number }) => boolean | void;
}

export interface ScaleResult {
  projects: number;
  reports: number;
  funds: number;
  problems: number;
  periodsLoaded: number;
  ms: number;
}

/** Units: 1 province, 10 cities (2..11), 8 counties each (101..180), 6 departments per county, 10 per city. */
export const CITIES = 10;
export const COUNTIES_PER_CITY = 8;
export const COUNTY_IDS = { first: 101, last: 100 + CITIES * COUNTIES_PER_CITY };
export const countyDeptId = (countyId: number, d: number) => 1000 + (countyId - COUNTY_IDS.first) * 6 + d;

/** Lark groups bound to the province and to the first county (the status bench asks in them). */
export const BENCH_GROUPS = { province: 'oc_bench_province', county: 'oc_bench_county' } as const;

/** The open_id of the n-th generated owner (1-based). */
export const ownerOpenId = (n: number) => `ou_bench_${n}`;

/** Runs statements one by one (PGlite's extended protocol takes one statement at a time). */
async function exec(db: Db | Tx, text: string): Promise<void> {
  for (const stmt of text.split(/;\s*\n/)) {
    if (stmt.trim() !== '') await db.execute(sql.raw(stmt.replace(/;\s*$/, '')));
  }
}

async function count(db: Db, table: string): Promise<number> {
  const r = (await db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { rows?: { n: number }[] } & {
    n: number;
  }[];
  const rows = r.rows ?? r;
  return Number(rows[0]?.n ?? 0);
}

/**
 * Seeds an empty, migrated database, in one transaction with foreign-key triggers off (the rows are consistent
 * by construction; checking 1.2M references one by one triples the load time).
 */
export async function seedScale(db: Db, o: ScaleOptions): Promise<ScaleResult> {
  const t0 = performance.now();
  const periodsLoaded = await db.transaction(async (tx) => {
    await exec(tx, 'set local session_replication_role = replica');
    return load(tx, o);
  });
  await exec(db, 'analyze');
  return {
    projects: o.projects,
    reports: await count(db, 'reports'),
    funds: await count(db, 'fund_entries'),
    problems: await count(db, 'problems'),
    periodsLoaded,
    ms: performance.now() - t0,
  };
}

async function load(db: Tx, o: ScaleOptions): Promise<number> {
  const reportedShare = o.reportedShare ?? 0.97;
  const currentShare = o.currentShare ?? 0.55;
  const today = o.today;
  // h(x, salt) ∈ [0, 1): a hash, not random(), so the data is the same every run.
  await exec(
    db,
    `create or replace function bench_h(x bigint, s int) returns double precision immutable language sql as
     $$ select ((hashint8(x * 1000003 + s)::bigint + 2147483648) % 1000000) / 1000000.0 $$`,
  );

  await exec(
    db,
    `insert into units (id, code, name, kind, parent_id, path) values (1, 'P00', '吉林省', 'province', null, '/1/');
     insert into units (id, code, name, kind, parent_id, path)
       select 1 + c, 'C' || c, '第' || c || '市', 'city', 1, '/1/' || (1 + c) || '/' from generate_series(1, ${CITIES}) c;
     insert into units (id, code, name, kind, parent_id, path)
       select 100 + (c - 1) * ${COUNTIES_PER_CITY} + k, 'X' || c || '_' || k, '第' || c || '市第' || k || '县', 'county', 1 + c,
              '/1/' || (1 + c) || '/' || (100 + (c - 1) * ${COUNTIES_PER_CITY} + k) || '/'
       from generate_series(1, ${CITIES}) c, generate_series(1, ${COUNTIES_PER_CITY}) k;
     insert into units (id, code, name, kind, parent_id, path)
       select 1000 + (x - ${COUNTY_IDS.first}) * 6 + d, 'D' || x || '_' || d, u.name || (array['发改局','商务局','工信局','自然资源局','招商中心','开发区'])[d],
              'department', x, u.path || (1000 + (x - ${COUNTY_IDS.first}) * 6 + d) || '/'
       from generate_series(${COUNTY_IDS.first}, ${COUNTY_IDS.last}) x join units u on u.id = x, generate_series(1, 6) d;
     insert into units (id, code, name, kind, parent_id, path)
       select 2000 + (c - 1) * 10 + d, 'CD' || c || '_' || d, '第' || c || '市部门' || d, 'department', 1 + c,
              '/1/' || (1 + c) || '/' || (2000 + (c - 1) * 10 + d) || '/'
       from generate_series(1, ${CITIES}) c, generate_series(1, 10) d;
     select setval(pg_get_serial_sequence('units', 'id'), (select max(id) from units));`,
  );

  // Owners: people 1..owners, each in a county department; then one unit lead per city and county.
  await exec(
    db,
    `insert into people (id, name, unit_id, roles, open_id)
       select i, '责任人' || i, 1000 + ((i - 1) % ${CITIES * COUNTIES_PER_CITY * 6}) + 1, '{owner}'::role[], 'ou_bench_' || i
       from generate_series(1, ${o.owners}) i;
     insert into people (id, name, unit_id, roles, open_id)
       select ${o.owners} + u.id, '领导' || u.id, u.id, '{unit_lead}'::role[], 'ou_bench_lead_' || u.id
       from units u where u.kind in ('city', 'county');
     select setval(pg_get_serial_sequence('people', 'id'), (select max(id) from people));
     insert into chains (id, name, leader_id, lead_unit_id)
       select c, '产业链' || c, null, 1 from generate_series(1, 12) c;
     select setval(pg_get_serial_sequence('chains', 'id'), 12);
     insert into chat_groups (chat_id, name, binding_kind, unit_id)
       values ('${BENCH_GROUPS.province}', '全省招商机制群', 'unit', 1), ('${BENCH_GROUPS.county}', '县招商机制群', 'unit', ${COUNTY_IDS.first});
     insert into targets (unit_id, year, trips, signed_big, landed)
       select id, ${Number(today.slice(0, 4))}, 4, case when kind = 'city' then 20 else 3 end, case when kind = 'city' then 10 else 2 end
       from units where kind in ('province', 'city', 'county');`,
  );

  // Projects: a county hosts it, one of its departments first talked to the investor; stages by share. 80 % are
  // 工业 (project_type 'industry'); the other 20 % are spread evenly over the other types.
  const nCounties = CITIES * COUNTIES_PER_CITY;
  const otherTypes = PROJECT_TYPES.filter((x) => x !== 'industry');
  const otherTypeArray = `array[${otherTypes.map((x) => `'${x}'`).join(',')}]`;
  await exec(
    db,
    `insert into projects (id, code, name, investor, chain_id, stage, first_talk_unit_id, host_unit_id, owner_id,
                           planned_investment_fen, contract_amount_fen, project_type, stage_entered_on, signed_on,
                           started_on, landed_on, last_progress_on, created_at)
     select i, 'B' || lpad(i::text, 7, '0'), '项目' || i, '投资方' || (i % 997), 1 + (i % 12), st.stage::stage,
            ${countyDeptId(COUNTY_IDS.first, 0)} + (cty - ${COUNTY_IDS.first}) * 6 + 1 + (i % 6), cty,
            1 + ((i - 1) % ${o.owners}),
            ((1 + floor(bench_h(i, 3) * 200))::bigint * 10000000 * 100),
            case when st.stage in ('signed', 'landed') then ((1 + floor(bench_h(i, 4) * 150))::bigint * 10000000 * 100) end,
            (case when bench_h(i, 5) < 0.8 then 'industry'
                  else (${otherTypeArray})[1 + least(floor((bench_h(i, 5) - 0.8) / 0.2 * ${otherTypes.length})::int, ${otherTypes.length - 1})]
             end)::project_type,
            date '${today}' - (10 + floor(bench_h(i, 6) * 700))::int,
            case when st.stage in ('signed', 'landed') then date '${today}' - (1 + floor(bench_h(i, 7) * 600))::int end,
            case when st.stage = 'landed' then date '${today}' - (1 + floor(bench_h(i, 8) * 300))::int end,
            case when st.stage = 'landed' then date '${today}' - (1 + floor(bench_h(i, 9) * 300))::int end,
            date '${today}' - floor(bench_h(i, 10) * 400)::int,
            (date '${today}' - (60 + floor(bench_h(i, 11) * 700))::int)::timestamptz
     from generate_series(1, ${o.projects}) i
     cross join lateral (select ${COUNTY_IDS.first} + floor(bench_h(i, 1) * ${nCounties})::int as cty) c
     cross join lateral (select case
         when bench_h(i, 2) < 0.15 then 'planning' when bench_h(i, 2) < 0.45 then 'negotiating'
         when bench_h(i, 2) < 0.65 then 'intent' when bench_h(i, 2) < 0.85 then 'signed'
         when bench_h(i, 2) < 0.95 then 'landed' when bench_h(i, 2) < 0.98 then 'dropped' else 'transferred' end as stage) st;
     select setval(pg_get_serial_sequence('projects', 'id'), ${o.projects});`,
  );
  o.progress?.({ table: 'projects', rows: o.projects });

  // 提级报备 is filed once per project, the day it is signed at or above the threshold (5亿元, the rules' default) or
  // the day its ledger is imported (src/ledger/import.ts files the signed ones it brings in). A database in use
  // has every such project filed already: the seed marks them so, filed to the first-talk unit's parent, as
  // escalateIfDue would have. (Left unmarked, a fifth of the callback bench's submissions filed a first 提级 each.)
  await exec(
    db,
    `update projects p set escalated_on = p.signed_on, escalated_to_unit_id = u.parent_id
       from units u
      where u.id = p.first_talk_unit_id and p.stage in ('signed', 'landed') and p.contract_amount_fen >= ${DEFAULT_RULES.escalateSignedFen}`,
  );

  // Reports: one INSERT per period (the unit of the time box), reporting-stage projects only.
  let periodsLoaded = 0;
  for (const [k, period] of o.periods.entries()) {
    const last = k === o.periods.length - 1;
    const share = last ? currentShare : reportedShare;
    if (share > 0) {
      await exec(
        db,
        `insert into reports (project_id, period, reporter_id, no_change, progress, substantive, late, submitted_at)
         select p.id, '${period}', p.owner_id, bench_h(p.id, ${100 + k}) < 0.3,
                case when bench_h(p.id, ${100 + k}) < 0.3 then null else '本月推进：完成第' || ${k + 1} || '轮洽谈' end,
                '{}'::text[], bench_h(p.id, ${200 + k}) < 0.05, '${period}-15'::date::timestamptz
         from projects p
         where p.stage in ('planning', 'negotiating', 'intent', 'signed', 'landed') and bench_h(p.id, ${300 + k}) < ${share}`,
      );
    }
    periodsLoaded++;
    if (o.progress?.({ table: 'reports', rows: periodsLoaded }) === false) break;
  }

  // Fund entries over the last 12 months; problems; trips.
  await exec(
    db,
    `insert into fund_entries (project_id, entry_date, amount_fen, evidence_kind, status)
     select 1 + floor(bench_h(i, 20) * ${o.projects})::int, date '${today}' - floor(bench_h(i, 21) * 365)::int,
            ((1 + floor(bench_h(i, 22) * 5000))::bigint * 10000 * 100),
            'bank_statement',
            (case when bench_h(i, 23) < 0.6 then 'verified' when bench_h(i, 23) < 0.95 then 'reported' else 'rejected' end)::fund_status
     from generate_series(1, ${o.funds}) i;
     insert into problems (project_id, category, description, must_act_unit_id, open, raised_on)
     select 1 + floor(bench_h(i, 30) * ${o.projects})::int,
            (array['land','plant','funds','energy','approval','talent','other'])[1 + floor(bench_h(i, 31) * 7)::int]::problem_category,
            '问题' || i, ${countyDeptId(COUNTY_IDS.first, 1)} + floor(bench_h(i, 32) * ${nCounties * 6})::int,
            bench_h(i, 33) < 0.6, date '${today}' - floor(bench_h(i, 34) * 300)::int
     from generate_series(1, ${o.problems}) i;
     insert into trips (unit_id, leader_id, destination, started_on)
     select ${COUNTY_IDS.first} + floor(bench_h(i, 40) * ${nCounties})::int, null, '深圳', date '${today}' - floor(bench_h(i, 41) * 300)::int
     from generate_series(1, ${o.trips}) i;`,
  );
  return periodsLoaded;
}

/** 'YYYY-MM' periods ending with `last`, `n` of them, oldest first. */
export function periodsEndingWith(last: string, n: number): string[] {
  const [y, m] = last.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let k = n - 1; k >= 0; k--) {
    const d = new Date(Date.UTC(y, m - 1 - k, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}
