import { readFileSync } from 'node:fs';
import { join } from 'node:path';
/*
 * Databases for the operations tests: fresh PGlite in memory, or a fresh PostgreSQL database on the server of
 * TEST_DATABASE_URL; the demo data plus rows in the tables the demo leaves empty; and a snapshot of every table
 * read through Drizzle's typed schema (not through the catalog code under test), to compare databases with.
 */
import { asc, getTableColumns, is, sql } from 'drizzle-orm';
import { PgTable, getTableConfig, type PgColumn } from 'drizzle-orm/pg-core';
import { seedDemo } from '../../db/seed/index.js';
import * as s from '../../db/schema.js';
import { migrate, openDb, type Db, type DbHandle } from '../../src/store/db.js';
import type { Endpoint } from '../../src/store/copy.js';
import { createDatabase, dropPostgresDatabase, TEST_PG_URL } from '../helpers/db.js';

export const SEED_DAY = '2026-11-13';

/** Opens databases and closes (and drops) them all at the end of the file. */
export function databases() {
  const opened: { handle: DbHandle; url: string }[] = [];
  return {
    /** A fresh PGlite in memory; migrated unless `migrated: false`. */
    async pglite(opts: { migrated?: boolean } = {}): Promise<Endpoint> {
      const url = 'memory://';
      const handle = await openDb(url);
      opened.push({ handle, url });
      if (opts.migrated !== false) await migrate(url, handle);
      return { url, handle };
    },
    /** A fresh PostgreSQL database (needs TEST_DATABASE_URL). */
    async postgres(opts: { migrated?: boolean } = {}): Promise<Endpoint> {
      if (!TEST_PG_URL) throw new Error('TEST_DATABASE_URL is not set');
      const url = await createDatabase(TEST_PG_URL, 'zb_ops');
      const handle = await openDb(url, { max: 3 });
      opened.push({ handle, url });
      if (opts.migrated !== false) await migrate(url);
      return { url, handle };
    },
    /** PostgreSQL in the PostgreSQL pass, PGlite otherwise. */
    async any(opts: { migrated?: boolean } = {}): Promise<Endpoint> {
      return TEST_PG_URL ? this.postgres(opts) : this.pglite(opts);
    },
    async closeAll(): Promise<void> {
      for (const { handle, url } of opened.splice(0)) {
        await handle.close();
        if (TEST_PG_URL && url.startsWith('postgres')) await dropPostgresDatabase(TEST_PG_URL, url);
      }
    },
  };
}

/** Every table of db/schema.ts. */
export const schemaTables: PgTable[] = (Object.values(s) as unknown[]).filter((v): v is PgTable => is(v, PgTable));

function orderColumns(table: PgTable): PgColumn[] {
  const config = getTableConfig(table);
  const composite = config.primaryKeys[0]?.columns;
  if (composite && composite.length > 0) return composite;
  const cols = Object.values(getTableColumns(table)) as PgColumn[];
  const pk = cols.filter((c) => c.primary);
  return pk.length > 0 ? pk : cols;
}

/** Every table's rows ordered by primary key, as JSON: what "identical table by table" compares. */
export async function snapshot(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of schemaTables) {
    const rows = await db
      .select()
      .from(table)
      .orderBy(...orderColumns(table).map((c) => asc(c)));
    out[getTableConfig(table).name] = JSON.stringify(rows);
  }
  return out;
}

export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of schemaTables) {
    const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(table);
    out[getTableConfig(table).name] = Number(r!.n);
  }
  return out;
}

/**
 * The demo city, plus a row or two in each table the demo leaves empty (outbox, audit, settings, the
 * de-duplication keys, job runs, revisions, letters, calendar, import sessions), with the awkward values:
 * an amount beyond 2^32 fen, a JSON `null` beside SQL NULL, Chinese text, quotes and newlines.
 */
export async function seedAll(db: Db): Promise<void> {
  await seedDemo(db, SEED_DAY);
  const [project] = await db.select().from(s.projects).orderBy(asc(s.projects.id)).limit(1);
  const [person] = await db.select().from(s.people).orderBy(asc(s.people.id)).limit(1);
  const [report] = await db.select().from(s.reports).orderBy(asc(s.reports.id)).limit(1);
  await db
    .update(s.projects)
    .set({ contractAmountFen: 1_234_567_890_123_45, note: '备注："引号" \'单引号\'\n第二行 \\ 反斜杠 🚀' })
    .where(sql`${s.projects.id} = ${project!.id}`);
  await db.insert(s.settings).values([
    { key: 'rules', value: { remindWorkdays: [5, 1], escalateDays: 3, thresholds: { bigFen: 50_000_000_000 } } },
    { key: 'deadline_day', value: 20 },
    { key: 'json_null', value: sql`'null'::jsonb` },
  ]);
  await db.insert(s.calendarOverrides).values([
    { day: '2027-01-01', kind: 'holiday', note: '元旦' },
    { day: '2027-02-07', kind: 'workday', note: null },
  ]);
  await db.insert(s.outbox).values([
    {
      idemKey: 'reminders:2026-11:ou_demo_wu_lei',
      op: 'create',
      receiveIdType: 'open_id',
      receiveId: 'ou_demo_wu_lei',
      msgType: 'interactive',
      content: { card: { header: { title: '本月填报提醒' }, elements: [{ tag: 'markdown', content: '**风电**项目' }] } },
      status: 'sent',
      attempts: 1,
      nextAttemptAt: new Date('2026-11-13T01:00:00.123Z'),
      larkMessageId: 'om_1',
      sentAt: new Date('2026-11-13T01:00:01.456Z'),
    },
    { idemKey: 'reply:om_2', op: 'reply', targetMessageId: 'om_2', msgType: 'text', content: { text: '收到' }, lastError: 'HTTP 429' },
  ]);
  // A declined transfer offer (000 三(一)): the demo has none.
  const [lead] = await db.select().from(s.people).orderBy(asc(s.people.id)).limit(1);
  await db.insert(s.projectTransfers).values({
    projectId: project!.id,
    fromUnitId: (project!.firstTalkUnitId ?? project!.hostUnitId)!,
    toUnitId: project!.hostUnitId!,
    reason: '洽谈半年以上无实质性进展',
    offeredById: lead!.id,
    offeredOn: '2026-10-09',
    status: 'declined',
    decidedById: lead!.id,
    decidedOn: '2026-10-12',
    declineReason: '投资方仍在考察，暂不转移',
  });
  await db.insert(s.processedEvents).values([{ key: 'event:ev_1' }, { key: 'message:om_2' }]);
  await db.insert(s.jobRuns).values({ job: 'reminders', periodKey: '2026-11-13', status: 'done', detail: { sent: 12, skipped: [] } });
  await db.insert(s.jobDeliveries).values([
    { job: 'reminders', periodKey: '2026-11-13', recipient: 'ou_demo_wu_lei' },
    { job: 'reminders', periodKey: '2026-11-13', recipient: 'ou_demo_zheng_hao' },
  ]);
  await db.insert(s.auditLog).values([
    {
      actorId: person!.id,
      action: 'stage.move',
      entity: 'project',
      entityId: String(project!.id),
      before: { stage: 'intent' },
      after: { stage: 'signed' },
    },
    { action: 'settings.set', entity: 'settings', entityId: 'json_null', before: null, after: sql`'null'::jsonb` },
  ]);
  await db
    .insert(s.reportRevisions)
    .values({ reportId: report!.id, revision: 1, content: { progress: '对接中', substantive: [] }, byPersonId: person!.id });
  await db
    .insert(s.performanceLetters)
    .values({ projectId: project!.id, reason: 'start_overdue', body: '履约提醒函正文', issuedOn: '2026-11-01' });
  await db.insert(s.importSessions).values({ personId: person!.id, fileName: '台账.xlsx', summary: { added: 3, changed: 0 } });
}

/** A table no migration knows, with a column of every awkward kind; `rows` inserts its rows too. */
export async function createExoticTables(db: Db, rows: boolean): Promise<void> {
  await db.execute(
    sql.raw(`create table exotic (
      id bigint generated always as identity primary key,
      parent_id bigint references exotic(id),
      amount numeric(30, 10),
      big bigint,
      ratio double precision,
      at timestamptz,
      local_at timestamp,
      day date,
      span interval,
      blob bytea,
      doc jsonb,
      raw_doc json,
      tags text[],
      roles role[],
      flag boolean,
      body text,
      shout text generated always as (upper(body)) stored
    )`),
  );
  await db.execute(sql.raw(`create table exotic_log (at timestamptz, note text)`));
  if (!rows) return;
  await db.execute(
    sql.raw(`insert into exotic (parent_id, amount, big, ratio, at, local_at, day, span, blob, doc, raw_doc, tags, roles, flag, body) values
      (null, 12345678901234567890.0123456789, 9007199254740993, 0.1, '2026-11-13 09:00:00.123456+08', '2026-11-13 09:00:00.5',
       '2026-11-13', '1 year 2 mons 3 days 04:05:06.789', '\\x00ff10', '{"a": [1, 2.50, "三"], "b": null}', '{"b":1,  "b":2}',
       '{"quote\\"d", NULL, "a,b", "{brace}", ""}', '{owner,admin}', true, E'line 1\\nline 2\\ttab \\\\ back ''single'' "double" 🚀 招商'),
      (1, -0.0000000001, -9223372036854775808, 'NaN', '-infinity', null, 'infinity', '-1 days', '\\x', 'null', 'null',
       '{}', '{}', false, ''),
      (2, 0, 0, 1e-300, '1999-12-31 23:59:59.999999+00', null, '0001-01-01', null, null, '"text"', null, null, null, null, null)`),
  );
  await db.execute(
    sql.raw(`insert into exotic_log values ('2026-01-01 00:00:00+00', 'same'), ('2026-01-01 00:00:00+00', 'same'), (null, null)`),
  );
  // Identity values handed out and then lost must not be reused after a copy.
  await db.execute(sql.raw(`select nextval(pg_get_serial_sequence('exotic', 'id'))`));
}

/** The exotic tables as PostgreSQL's own text form of each row, in UTC. */
export async function exoticRows(db: Db): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local timezone = 'UTC'`));
    const out: string[] = [];
    for (const q of [`select e::text as row from exotic e order by id`, `select l::text as row from exotic_log l order by 1`]) {
      const res = await tx.execute(sql.raw(q));
      const rows = (res as unknown as { rows?: { row: string }[] }).rows ?? (res as unknown as { row: string }[]);
      out.push(...rows.map((r) => r.row));
    }
    return out;
  });
}

/** The next value the identity of `exotic` would hand out. */
export async function nextExoticId(db: Db): Promise<string> {
  const res = await db.execute(sql.raw(`insert into exotic (body) values ('next') returning id::text as id`));
  const rows = (res as unknown as { rows?: { id: string }[] }).rows ?? (res as unknown as { id: string }[]);
  return rows[0]!.id;
}

/** The latest committed migration, as the tools word a schema version: "0001_x (2 migrations)". */
const journal = JSON.parse(readFileSync(join(import.meta.dirname, '../../db/migrations/meta/_journal.json'), 'utf8')) as {
  entries: { tag: string }[];
};
export const LATEST = { tag: journal.entries.at(-1)!.tag, count: journal.entries.length };
const plural = (n: number) => `${n} migration${n === 1 ? '' : 's'}`;
export const LATEST_TEXT = `${LATEST.tag} \\(${plural(LATEST.count)}\\)`;
export const NEXT_COUNT_TEXT = plural(LATEST.count + 1);
