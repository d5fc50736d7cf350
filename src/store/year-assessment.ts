// The year's figures per county and per first-talk department (src/status/year.ts assembles the year card and the
// .xlsx from them): one grouped statement per family.

import { sql } from 'drizzle-orm';
import type { Db, Tx } from './db.js';
import { rowsOf, type DayRange } from './status-sql.js';

type Q = Db | Tx;

export interface UnitYearRow {
  unitId: number;
  name: string;
  path: string;
  signed: number;
  signedFen: number;
  signedIndustrial: number;
  landed: number;
  landedFen: number;
  lettersRaised: number;
  lettersClosed: number;
  /** From the targets sheet for the year, null when the unit has none (the rules' numbers apply). */
  target: { trips: number; signedBig: number; landed: number } | null;
}

type Raw = {
  unit_id: number;
  name: string;
  path: string;
  signed: number;
  signed_fen: string;
  signed_industrial: number;
  landed: number;
  landed_fen: string;
  letters_raised: number;
  letters_closed: number;
  t_trips: number | null;
  t_signed: number | null;
  t_landed: number | null;
};

const read = (r: Raw): UnitYearRow => ({
  unitId: Number(r.unit_id),
  name: r.name,
  path: r.path,
  signed: Number(r.signed),
  signedFen: Number(r.signed_fen),
  signedIndustrial: Number(r.signed_industrial),
  landed: Number(r.landed),
  landedFen: Number(r.landed_fen),
  lettersRaised: Number(r.letters_raised),
  lettersClosed: Number(r.letters_closed),
  target: r.t_trips === null ? null : { trips: Number(r.t_trips), signedBig: Number(r.t_signed), landed: Number(r.t_landed) },
});

/**
 * Per unit of the given kinds inside `rootPath`: projects signed in the year (number, contract amount, of them
 * 产业项目 at or above the line), landed (number, contract amount or planned when none), performance letters
 * raised and closed in the year. `by`: 'subtree' counts a project whose host or first-talk unit lies in the unit's
 * subtree (a county and everything under it); 'first_talk' only the projects the unit itself first-talked
 * ("谁对接、谁牵头", 001 三.二) — how a department is assessed.
 */
export async function unitYearRows(
  q: Q,
  rootPath: string,
  kinds: readonly string[],
  by: 'subtree' | 'first_talk',
  year: DayRange,
  signed: { industrialTypes: readonly string[]; minFen: number },
): Promise<UnitYearRow[]> {
  const y = Number(year.from.slice(0, 4));
  const kindList = sql.join(
    kinds.map((k) => sql`${k}`),
    sql`, `,
  );
  const types =
    signed.industrialTypes.length === 0
      ? sql`false`
      : sql`p.project_type in (${sql.join(
          signed.industrialTypes.map((x) => sql`${x}`),
          sql`, `,
        )})`;
  const link = by === 'subtree' ? sql`(hu.path like u.path || '%' or fu.path like u.path || '%')` : sql`p.first_talk_unit_id = u.id`;
  const res = await q.execute(sql`
    with u as (
      select id, name, path from units where path like ${rootPath + '%'} and kind in (${kindList})
    ),
    pu as (
      select u.id as unit_id, p.*
      from u
      join projects p on true
      left join units hu on hu.id = p.host_unit_id
      left join units fu on fu.id = p.first_talk_unit_id
      where ${link}
    ),
    f as (
      select unit_id,
        (count(*) filter (where signed_on between ${year.from} and ${year.to}))::int as signed,
        coalesce(sum(contract_amount_fen) filter (where signed_on between ${year.from} and ${year.to}), 0)::text as signed_fen,
        (count(*) filter (where landed_on between ${year.from} and ${year.to}))::int as landed,
        coalesce(sum(coalesce(contract_amount_fen, planned_investment_fen)) filter (where landed_on between ${year.from} and ${year.to}), 0)::text as landed_fen
      from pu group by unit_id
    ),
    si as (
      select u.id as unit_id, count(*)::int as n
      from u
      join projects p on true
      left join units hu on hu.id = p.host_unit_id
      left join units fu on fu.id = p.first_talk_unit_id
      where ${link} and p.signed_on between ${year.from} and ${year.to} and ${types}
        and p.contract_amount_fen >= ${signed.minFen}
      group by u.id
    ),
    l as (
      select pu.unit_id,
        (count(*) filter (where pl.issued_on between ${year.from} and ${year.to}))::int as raised,
        (count(*) filter (where pl.closed_on between ${year.from} and ${year.to}))::int as closed
      from pu join performance_letters pl on pl.project_id = pu.id
      group by pu.unit_id
    )
    select u.id as unit_id, u.name, u.path,
      coalesce(f.signed, 0)::int as signed, coalesce(f.signed_fen, '0') as signed_fen,
      coalesce(si.n, 0)::int as signed_industrial,
      coalesce(f.landed, 0)::int as landed, coalesce(f.landed_fen, '0') as landed_fen,
      coalesce(l.raised, 0)::int as letters_raised, coalesce(l.closed, 0)::int as letters_closed,
      tg.trips as t_trips, tg.signed_big as t_signed, tg.landed as t_landed
    from u
    left join f on f.unit_id = u.id
    left join si on si.unit_id = u.id
    left join l on l.unit_id = u.id
    left join targets tg on tg.unit_id = u.id and tg.year = ${y}
    order by u.path
  `);
  return rowsOf<Raw>(res).map(read);
}
