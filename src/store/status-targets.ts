// Annual targets against what was done (src/status/figures.ts targetsProgress): one statement for the whole tree.

import { sql } from 'drizzle-orm';
import type { Db, Tx } from './db.js';
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

/**
 * Units with targets for `year` inside the subtrees at `paths`, and what they did within `year`: trips recorded
 * for the unit or a unit under it; industrial projects with a contract ≥ `signedMinFen` signed, and projects
 * landed, whose host or first-talk unit lies in its subtree. Set-based: a project or trip is joined to its unit's
 * ancestors (the materialised path), so the whole province is one pass. Ordered by unit path.
 */
export async function targetProgressRows(
  q: Db | Tx,
  paths: readonly string[],
  year: DayRange,
  signedMinFen: number,
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
      select a.id as unit_id, count(*)::int as n
      from trips x
      join units xu on xu.id = x.unit_id
      cross join lateral unnest(string_to_array(trim(both '/' from xu.path), '/')::int[]) as a(id)
      where x.started_on between ${year.from} and ${year.to} and a.id in (select unit_id from t)
      group by a.id
    ),
    pj as (
      select a.id as unit_id,
        (count(distinct p.id) filter (where p.signed_on between ${year.from} and ${year.to}
          and p.industrial and p.contract_amount_fen >= ${signedMinFen}))::int as signed_big,
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
