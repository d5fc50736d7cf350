// Annual targets against what was done (src/status/figures.ts targetsProgress): one statement for the whole tree.

import { sql } from 'drizzle-orm';
import type { Db, Tx } from './db.js';
import { intArray } from './db-core.js';
import { rowsOf, type DayRange } from './status-sql.js';

export interface TargetProgressRow {
  unitId: number;
  unitName: string;
  /** The annual targets as stored: trips per leader, industrial signings, landings. */
  trips: number;
  signedBig: number;
  landed: number;
  /** Active unit leads of the unit (trip targets are per leader). */
  leaders: number;
  tripsDone: number;
  signedBigDone: number;
  landedDone: number;
}

export interface LeaderTripsRow {
  unitId: number;
  personId: number;
  name: string;
  trips: number;
}

/** What counts as a signed 产业项目 (rules: industrialTypes, signedIndustrialMinFen). */
export interface SignedRule {
  industrialTypes: readonly string[];
  signedMinFen: number;
}

const typeList = (types: readonly string[]) =>
  types.length === 0
    ? sql`false`
    : sql`p.project_type in (${sql.join(
        types.map((x) => sql`${x}`),
        sql`, `,
      )})`;

/**
 * Units with targets for `year` inside the subtrees at `paths`, and what they did within `year`: trips led by the
 * unit's own leaders and recorded for the unit itself — a trip belongs to the leader who led it and to that
 * leader's unit only (001 二.二 "各县区政府、辽源高新区管委会主要负责同志…每人每年带队外出招商5次以上": the count is
 * per person), so a county bureau's trips never raise the county's —; projects of a type counted as 产业项目 with a
 * contract ≥ the line signed, and projects landed, whose host or first-talk unit lies in its subtree. Set-based:
 * a project is joined to its unit's ancestors (the materialised path), so the whole province is one pass.
 * Ordered by unit path.
 */
export async function targetProgressRows(
  q: Db | Tx,
  paths: readonly string[],
  year: DayRange,
  signed: SignedRule,
): Promise<TargetProgressRow[]> {
  const y = Number(year.from.slice(0, 4));
  const pathCond = sql.join(
    paths.map((p) => sql`u.path like ${p + '%'}`),
    sql` or `,
  );
  const res = await q.execute(sql`
    with t as (
      select tg.unit_id, u.name, u.path, tg.trips, tg.signed_big, tg.landed,
        (select count(*) from people pe
          where pe.unit_id = tg.unit_id and pe.active and 'unit_lead' = any(pe.roles))::int as leaders
      from targets tg join units u on u.id = tg.unit_id
      where tg.year = ${y} and (${pathCond})
    ),
    tr as (
      select x.unit_id, count(*)::int as n
      from trips x
      where x.started_on between ${year.from} and ${year.to} and x.unit_id in (select unit_id from t)
      group by x.unit_id
    ),
    pj as (
      select a.id as unit_id,
        (count(distinct p.id) filter (where p.signed_on between ${year.from} and ${year.to}
          and ${typeList(signed.industrialTypes)} and p.contract_amount_fen >= ${signed.signedMinFen}))::int as signed_big,
        (count(distinct p.id) filter (where p.landed_on between ${year.from} and ${year.to}))::int as landed
      from projects p
      left join units hu on hu.id = p.host_unit_id
      left join units fu on fu.id = p.first_talk_unit_id
      cross join lateral unnest(
        string_to_array(trim(both '/' from coalesce(hu.path, '')), '/')::int[]
        || string_to_array(trim(both '/' from coalesce(fu.path, '')), '/')::int[]
      ) as a(id)
      where (p.signed_on between ${year.from} and ${year.to} or p.landed_on between ${year.from} and ${year.to})
        and a.id in (select unit_id from t)
      group by a.id
    )
    select t.unit_id, t.name, t.trips, t.signed_big, t.landed, t.leaders,
      coalesce(tr.n, 0)::int as trips_done, coalesce(pj.signed_big, 0)::int as signed_big_done,
      coalesce(pj.landed, 0)::int as landed_done
    from t left join tr on tr.unit_id = t.unit_id left join pj on pj.unit_id = t.unit_id
    order by t.path
  `);
  type Row = {
    unit_id: number;
    name: string;
    trips: number;
    signed_big: number;
    landed: number;
    leaders: number;
    trips_done: number;
    signed_big_done: number;
    landed_done: number;
  };
  return rowsOf<Row>(res).map((r) => ({
    unitId: Number(r.unit_id),
    unitName: r.name,
    trips: Number(r.trips),
    signedBig: Number(r.signed_big),
    landed: Number(r.landed),
    leaders: Number(r.leaders),
    tripsDone: Number(r.trips_done),
    signedBigDone: Number(r.signed_big_done),
    landedDone: Number(r.landed_done),
  }));
}

/**
 * Each leader's own trips in `year` for the given units: the unit's active unit leads (with 0 when they led none)
 * and anyone else who led a trip recorded for the unit. Ordered by unit, then trips (most first), then name.
 */
export async function leaderTripRows(q: Db | Tx, unitIds: readonly number[], year: DayRange): Promise<LeaderTripsRow[]> {
  if (unitIds.length === 0) return [];
  // One bound array, so the statement's text is the same for any number of units (db-core.ts intArray).
  const ids = sql`${intArray(unitIds)}::int[]`;
  const res = await q.execute(sql`
    with led as (
      select x.unit_id, x.leader_id, count(*)::int as n
      from trips x
      where x.unit_id = any(${ids}) and x.leader_id is not null and x.started_on between ${year.from} and ${year.to}
      group by x.unit_id, x.leader_id
    ),
    who as (
      select pe.unit_id, pe.id as leader_id from people pe
      where pe.unit_id = any(${ids}) and pe.active and 'unit_lead' = any(pe.roles)
      union
      select unit_id, leader_id from led
    )
    select w.unit_id, w.leader_id, pe.name, coalesce(led.n, 0)::int as n
    from who w
    join people pe on pe.id = w.leader_id
    left join led on led.unit_id = w.unit_id and led.leader_id = w.leader_id
    order by w.unit_id, n desc, pe.name
  `);
  type Row = { unit_id: number; leader_id: number; name: string; n: number };
  return rowsOf<Row>(res).map((r) => ({ unitId: Number(r.unit_id), personId: Number(r.leader_id), name: r.name, trips: Number(r.n) }));
}
