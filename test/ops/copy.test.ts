import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import * as s from '../../db/schema.js';
import { copyDatabase, DbToolRefused, dependencyOrder, type Endpoint } from '../../src/store/copy.js';
import { openDb } from '../../src/store/db.js';
import { onPostgres } from '../helpers/db.js';
import {
  createExoticTables,
  databases,
  exoticRows,
  LATEST,
  LATEST_TEXT,
  NEXT_COUNT_TEXT,
  nextExoticId,
  rowCounts,
  schemaTables,
  seedAll,
  snapshot,
} from './helpers.js';

const dbs = databases();
afterAll(() => dbs.closeAll());

/** The demo city in PGlite, seeded once for the file (seeding is the slow part). */
let demo: Promise<Endpoint> | undefined;
function demoSource(): Promise<Endpoint> {
  demo ??= dbs.pglite().then(async (e) => {
    await seedAll(e.handle.db);
    return e;
  });
  return demo;
}

/** A migration this code does not know, as a newer release would have left it. */
async function addForeignMigration(e: Endpoint): Promise<void> {
  await e.handle.db.execute(
    sql.raw(`insert into drizzle.__drizzle_migrations (hash, created_at) values ('${'f'.repeat(64)}', 4102444800000)`),
  );
}

describe('db copy: works', { timeout: 120_000 }, () => {
  let source: Endpoint;
  let before: Record<string, string>;
  beforeAll(async () => {
    source = await demoSource();
    before = await snapshot(source.handle.db);
  }, 120_000);

  it(`copies the demo PGlite → ${onPostgres ? 'PostgreSQL' : 'PGlite'} → PGlite and it comes back identical, table by table`, async () => {
    const middle = await dbs.any({ migrated: false });
    const back = await dbs.pglite({ migrated: false });

    const there = await copyDatabase(source, middle);
    expect(there.migrated).toBe(true);
    const again = await copyDatabase(middle, back, { batchSize: 7 }); // small batches: the keyset walk crosses many pages
    expect(again.migrated).toBe(true);

    // Every table of the schema, and nothing else, was copied, with the counts it reports.
    const names = schemaTables.map((t) => getTableConfig(t).name).sort();
    expect(there.tables.map((t) => t.table).sort()).toEqual(names);
    const counts = await rowCounts(source.handle.db);
    for (const t of there.tables) expect(t.rows, t.table).toBe(counts[t.table]);
    expect(there.tables.every((t) => t.rows > 0)).toBe(true);
    expect(again.tables).toEqual(there.tables);

    const after = await snapshot(back.handle.db);
    for (const name of names) expect(after[name], name).toBe(before[name]);
    // The middle one reads the same through Drizzle as well (PostgreSQL's driver or PGlite's).
    const middleSnap = await snapshot(middle.handle.db);
    for (const name of names) expect(middleSnap[name], name).toBe(before[name]);
    // The source was only read.
    expect(await snapshot(source.handle.db)).toEqual(before);

    // Sequences continue after the copied ids.
    const [maxUnit] = await back.handle.db.select({ n: sql<number>`max(id)::int` }).from(s.units);
    const [unit] = await back.handle.db.insert(s.units).values({ code: 'NEW', name: '新单位', kind: 'county' }).returning();
    expect(unit!.id).toBe(maxUnit!.n + 1);
    const [maxOutbox] = await middle.handle.db.select({ n: sql<number>`max(id)::int` }).from(s.outbox);
    const [row] = await middle.handle.db
      .insert(s.outbox)
      .values({ idemKey: 'k-new', op: 'create', msgType: 'text', content: {} })
      .returning();
    expect(row!.id).toBe(maxOutbox!.n + 1);
  });

  it('copies a table no code knows, with every type exact: numeric, bigint past 2^53, timestamps, intervals, bytea, json, arrays, enum arrays', async () => {
    const src = await dbs.pglite();
    await createExoticTables(src.handle.db, true);
    const dst = await dbs.any();
    await createExoticTables(dst.handle.db, false);
    const want = await exoticRows(src.handle.db);
    expect(want.length).toBe(6);

    const result = await copyDatabase(src, dst, { batchSize: 1 });
    expect(result.tables.find((t) => t.table === 'exotic')!.rows).toBe(3);
    expect(result.tables.find((t) => t.table === 'exotic_log')!.rows).toBe(3); // no primary key, two equal rows
    expect(await exoticRows(dst.handle.db)).toEqual(want);
    // The source handed out id 4 and lost it: the target must not hand it out again.
    expect(await nextExoticId(dst.handle.db)).toBe('5');
  });

  it('orders tables so that every foreign key points backwards, cycles last', () => {
    expect(
      dependencyOrder(
        ['reports', 'projects', 'units', 'people', 'audit'],
        [
          ['reports', 'projects'],
          ['projects', 'units'],
          ['projects', 'people'],
          ['people', 'units'],
          ['units', 'units'],
        ],
      ),
    ).toEqual({ order: ['audit', 'units', 'people', 'projects', 'reports'], cycles: [] });
    expect(
      dependencyOrder(
        ['a', 'b', 'c'],
        [
          ['a', 'b'],
          ['b', 'a'],
        ],
      ),
    ).toEqual({ order: ['c', 'a', 'b'], cycles: ['a', 'b'] });
  });
});

describe('db copy: refused', { timeout: 60_000 }, () => {
  /** Shared by the refusals: each of them must leave it as empty as it found it. */
  let empty: Endpoint;
  const isEmpty = async (e: Endpoint) => Object.values(await rowCounts(e.handle.db)).every((n) => n === 0);
  beforeAll(async () => {
    empty = await dbs.any();
  });

  it('refuses a target that holds rows, writes nothing, and overwrites it with --replace', async () => {
    const source = await demoSource();
    const target = await dbs.any();
    await target.handle.db.insert(s.units).values({ code: 'OLD', name: '旧数据', kind: 'city' });
    await target.handle.db.insert(s.projects).values({ code: 'P-OLD', name: '旧项目' });
    const before = await snapshot(target.handle.db);

    await expect(copyDatabase(source, target)).rejects.toThrow(/target is not empty \(units 1, projects 1 rows\).*--replace/);
    expect(await snapshot(target.handle.db)).toEqual(before);

    const result = await copyDatabase(source, target, { replace: true });
    expect(result.replaced).toEqual([
      { table: 'units', rows: 1 },
      { table: 'projects', rows: 1 },
    ]);
    expect(await snapshot(target.handle.db)).toEqual(await snapshot(source.handle.db));
  });

  it('refuses a target at another schema version, and a source at another one, writing nothing', async () => {
    const source = await demoSource();
    const newer = await dbs.any();
    await addForeignMigration(newer);
    await expect(copyDatabase(source, newer)).rejects.toThrow(
      new RegExp(
        `schema versions differ: the source is at ${LATEST_TEXT}, the target at an unknown migration \\(hash ffffffffffff…, created_at 4102444800000\\) \\(${NEXT_COUNT_TEXT}\\)`,
      ),
    );
    expect(await isEmpty(newer)).toBe(true);

    await expect(copyDatabase(newer, empty)).rejects.toThrow(
      new RegExp(`source is at an unknown migration .* the target at ${LATEST.tag}`),
    );
    expect(await isEmpty(empty)).toBe(true);
  });

  it('refuses to copy a database onto itself, even with --replace', async () => {
    const source = await demoSource();
    const before = await rowCounts(source.handle.db);
    await expect(copyDatabase(source, source, { replace: true })).rejects.toThrow(/same database/);
    expect(await rowCounts(source.handle.db)).toEqual(before);
  });

  it.skipIf(!onPostgres)('recognises one PostgreSQL database under two names (localhost and 127.0.0.1)', async () => {
    const a = await dbs.postgres();
    await a.handle.db.insert(s.units).values({ code: 'A', name: 'A', kind: 'city' });
    const u = new URL(a.url);
    u.hostname = u.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
    const alias = { url: u.toString(), handle: await openDb(u.toString(), { max: 1 }) };
    try {
      await expect(copyDatabase(a, alias, { replace: true })).rejects.toThrow(/same database/);
      expect((await rowCounts(a.handle.db)).units).toBe(1);
    } finally {
      await alias.handle.close();
    }
  });

  it('refuses a source without migration history', async () => {
    const bare = await dbs.pglite({ migrated: false });
    await expect(copyDatabase(bare, empty)).rejects.toThrow(/source has no migration history/);
    expect(await isEmpty(empty)).toBe(true);
  });

  it('refuses a source whose tables differ from the target (a table it lacks, a changed column), writing nothing', async () => {
    const src = await dbs.pglite();
    await src.handle.db.insert(s.units).values({ code: 'LY', name: '辽源市', kind: 'city' });
    await src.handle.db.execute(sql.raw(`create table "evil; drop table units; --" (id int primary key)`));
    await src.handle.db.execute(sql.raw(`alter table units alter column code type varchar(20)`));
    const err = await copyDatabase(src, empty).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DbToolRefused);
    expect(String(err)).toMatch(/column units.code is character varying\(20\) in the source but text in the target/);
    expect(String(err)).toMatch(/table evil; drop table units; -- is missing in the target/);
    expect(await isEmpty(empty)).toBe(true);
  });
});

describe('db copy: attacked', { timeout: 60_000 }, () => {
  it('rolls everything back when a row fails half-way (a constraint only the target has)', async () => {
    const src = await demoSource();
    const target = await dbs.any();
    // Accepts the units and people, then fails on a project: nothing may stay behind.
    await target.handle.db.execute(
      sql.raw(`alter table projects add constraint no_big check (coalesce(contract_amount_fen, 0) < 100000000000000)`),
    );
    await expect(copyDatabase(src, target)).rejects.toThrow(/no_big/);
    expect(Object.values(await rowCounts(target.handle.db)).every((n) => n === 0)).toBe(true);
  });
});
