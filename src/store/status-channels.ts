// Roll-ups by source channel and by outside office (issue 16 item 3): one grouped query each.

import { sql } from 'drizzle-orm';
import type { Channel } from '../domain/classification.js';
import type { Db, Tx } from './db.js';
import { scopeCondition, type ScopeFilter } from './status-scope.js';
import { rowsOf, type DayRange } from './status-sql.js';

export interface ChannelRollupRow {
  /** A channel code, or null for projects with none recorded. */
  channel: Channel | null;
  /** Projects of the scope on the line (not dropped or transferred). */
  projects: number;
  /** Entered the database (created) within the window. */
  added: number;
  signed: number;
  signedFen: number;
  landed: number;
}

export interface OfficeRollupRow extends Omit<ChannelRollupRow, 'channel'> {
  office: string;
}

const figures = (w: DayRange) => sql`
  (count(*) filter (where p.stage not in ('dropped', 'transferred')))::int as projects,
  (count(*) filter (where p.created_at::date between ${w.from} and ${w.to}))::int as added,
  (count(*) filter (where p.signed_on between ${w.from} and ${w.to}))::int as signed,
  coalesce(sum(p.contract_amount_fen) filter (where p.signed_on between ${w.from} and ${w.to}), 0)::text as signed_fen,
  (count(*) filter (where p.landed_on between ${w.from} and ${w.to}))::int as landed`;

type Figures = { projects: number; added: number; signed: number; signed_fen: string; landed: number };
const read = (r: Figures) => ({
  projects: Number(r.projects),
  added: Number(r.added),
  signed: Number(r.signed),
  signedFen: Number(r.signed_fen),
  landed: Number(r.landed),
});

/**
 * The scope's projects by source channel: a project with several channels counts under each (the channels are
 * the ways it came in, not a partition), one with none under null. Window figures: created, signed (with the
 * contract amounts), landed within it.
 */
export async function channelRollupRows(q: Db | Tx, scope: ScopeFilter, window: DayRange): Promise<ChannelRollupRow[]> {
  const res = await q.execute(sql`
    select c.channel, ${figures(window)}
    from (select * from projects where ${scopeCondition(scope)}) p
    left join lateral unnest(case when cardinality(p.channels) = 0 then array[null]::source_channel[] else p.channels end) as c(channel) on true
    group by c.channel
    order by c.channel nulls last
  `);
  return rowsOf<Figures & { channel: Channel | null }>(res).map((r) => ({ channel: r.channel ?? null, ...read(r) }));
}

/** The scope's projects brought in by an outside office (驻外办事处, the project's origin office), by office. */
export async function officeRollupRows(q: Db | Tx, scope: ScopeFilter, window: DayRange): Promise<OfficeRollupRow[]> {
  const res = await q.execute(sql`
    select p.origin_office as office, ${figures(window)}
    from (select * from projects where ${scopeCondition(scope)}) p
    where coalesce(p.origin_office, '') <> ''
    group by p.origin_office
    order by count(*) desc, p.origin_office
  `);
  return rowsOf<Figures & { office: string }>(res).map((r) => ({ office: r.office, ...read(r) }));
}
