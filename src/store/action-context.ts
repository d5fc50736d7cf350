/*
 * The reads of the hot paths folded into one statement each (issue 18): who clicked together with the calendar's
 * version stamp, and — for a card action about one project — the project, the period's report and its latest
 * revision, the actor's remit, the places of the projects listed on the card, the rules and the owner's missing
 * count, all in one round trip. Nothing here decides: services hand these values to the pure rules
 * (src/domain/remit.ts, permissions.ts), exactly as they did with the separate reads.
 */
import { and, eq, sql } from 'drizzle-orm';
import { people, projects, reports, settings } from '../../db/schema.js';
import type { Db, Tx } from './db.js';
import { intArray, preparedOn } from './db-core.js';
import type { Person } from './directory.js';
import type { Project } from './projects.js';
import type { Report } from './reports.js';
import { REPORTING_STAGES } from '../domain/reporting.js';
import { DEFAULT_RULES, Rules } from '../domain/rules.js';
import type { ProjectPlace } from '../domain/remit.js';
import { placesSql, remitFromRow, remitSql, type RemitRow, type RemitView } from './remit.js';

type Q = Db | Tx;

/** The version stamp as stored (settings 'calendar_version'), 0 when never set; as store/settings reads it. */
const versionOf = (v: unknown): number => (typeof v === 'number' ? v : 0);

/**
 * The active person with `openId` and, in the same statement, the calendar's version stamp (so the calendar is
 * re-checked before every decision without a round trip of its own). An unknown person: no row, no version.
 */
export async function actorByOpenId(q: Q, openId: string): Promise<{ person: Person; calendarVersion: number } | undefined> {
  const [row] = await preparedOn(actorStatements, q, buildActorByOpenId).execute({ openId });
  return row ? { person: row.person, calendarVersion: versionOf(row.version) } : undefined;
}

const buildActorByOpenId = (q: Q) =>
  q
    .select({
      person: people,
      version: sql<unknown>`(select ${settings.value} from ${settings} where ${settings.key} = 'calendar_version')`,
    })
    .from(people)
    .where(and(eq(people.openId, sql.placeholder('openId')), eq(people.active, true)))
    .prepare('actor_by_open_id');

/*
 * The hot reads as drizzle prepared queries (issue 18): their SQL text is built once per database handle instead
 * of on every click (building it was a fifth of the callback's CPU), and on PostgreSQL they run as named
 * statements. Kept per handle: a prepared query belongs to the session it was made on, so a transaction's handle
 * (a new one each time) gets its own.
 */
const actorStatements = new WeakMap<object, ReturnType<typeof buildActorByOpenId>>();
const contextStatements = new WeakMap<object, ReturnType<typeof buildActionContext>>();

const buildActionContext = (q: Q) => {
  const stages = sql.raw(`'{${REPORTING_STAGES.join(',')}}'`);
  const period = sql.placeholder('period');
  const actor = { id: sql.placeholder('actorId'), unitId: sql.placeholder('actorUnitId') };
  return q
    .select({
      p: projects,
      r: reports,
      ctx: sql<ContextRow>`json_build_object(
        'remit', (select row_to_json(x) from (${remitSql(actor)}) x),
        'places', (${placesSql(sql.placeholder('ids'))}),
        'rules', (select ${settings.value} from ${settings} where ${settings.key} = 'rules'),
        'missing', (select count(*)::int from projects mp
                     left join reports mr on mr.project_id = mp.id and mr.period = ${period}
                    where mr.id is null and mp.owner_id = ${projects.ownerId} and mp.stage = any(${stages}::stage[])),
        'content', (select rv.content from report_revisions rv where rv.report_id = ${reports.id} order by rv.revision desc limit 1))`,
    })
    .from(projects)
    .leftJoin(reports, and(eq(reports.projectId, projects.id), eq(reports.period, period)))
    .where(eq(projects.id, sql.placeholder('projectId')))
    .prepare('action_context');
};

/** What a card action about one project works with, read in one statement. */
export interface ActionContext {
  project: Project;
  /** The period's report of the project, if any, with the content of its current revision. */
  report: Report | null;
  reportContent: unknown;
  remit: RemitView;
  /** Where the project and each of the card's listed projects lie (unknown ids absent). */
  places: Map<number, ProjectPlace>;
  rules: Rules;
  /** The owner's projects in a reporting stage still missing the period's report (this one included). */
  ownerMissing: number;
}

interface ContextRow {
  remit: RemitRow | null;
  places: (ProjectPlace & { id: number })[] | null;
  rules: unknown;
  missing: number | null;
  content: unknown;
}

/**
 * The project `projectId` with everything a card action on it needs for `actor` on `today` and `period`, and the
 * places of `listed` (a card's other projects); undefined when the project does not exist.
 */
export async function loadActionContext(
  q: Q,
  actor: Person,
  today: string,
  projectId: number,
  period: string,
  listed: readonly number[],
): Promise<ActionContext | undefined> {
  const ids = [...new Set([projectId, ...listed])];
  const [row] = await preparedOn(contextStatements, q, buildActionContext).execute({
    actorId: actor.id,
    actorUnitId: actor.unitId,
    ids: intArray(ids),
    period,
    projectId,
  });
  if (!row) return undefined;
  const ctx = row.ctx;
  const rules = rulesOf(ctx.rules);
  return {
    project: row.p,
    report: row.r,
    reportContent: row.r ? (ctx.content ?? {}) : undefined,
    remit: remitFromRow(actor, ctx.remit, today),
    places: new Map(
      (ctx.places ?? []).map((r) => [
        Number(r.id),
        { hostPath: r.hostPath, firstTalkPath: r.firstTalkPath, chainId: r.chainId, ownerId: r.ownerId },
      ]),
    ),
    rules,
    ownerMissing: ctx.missing ?? 0,
  };
}

/**
 * The stored rules, validated: the same settings value on every click, so the last one's parse is kept (issue 18:
 * zod walked the whole rules object on each card action). The stored value is compared as its JSON text.
 */
let lastRules: { json: string; rules: Rules } | undefined;
function rulesOf(stored: unknown): Rules {
  if (stored == null) return DEFAULT_RULES;
  const json = JSON.stringify(stored);
  if (lastRules?.json === json) return lastRules.rules;
  const parsed = Rules.safeParse(stored);
  const rules = parsed.success ? parsed.data : DEFAULT_RULES;
  lastRules = { json, rules };
  return rules;
}
