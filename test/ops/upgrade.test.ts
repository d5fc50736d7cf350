/*
 * Upgrades lose nothing. For every committed migration k (db/migrations/meta/_journal.json), a database is built
 * at k by applying the journal's SQL up to k, the demo data goes in (from the oldest k whose tables it fits), and
 * migrate() takes it to the latest migration; then every table that existed at k still has the same rows, by
 * count and by checksum over the columns it had. With one migration today this is short; each new migration adds
 * a case on its own.
 *
 * The same check runs on the backups of earlier releases kept in test/fixtures/upgrade/ (restored into a
 * database built at their own migration, then migrated): data as a real earlier release left it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { MIGRATIONS_FOLDER, migrate, type Db } from '../../src/store/db.js';
import { rawDb, readSchemaVersion, summariseColumns, summariseDatabase, type Endpoint, type TableSummary } from '../../src/store/copy.js';
import { readBackupHeader, restoreDatabase } from '../../src/store/backup.js';
import { buildAt, committedMigrations } from './migrations.js';
import { databases, seedAll } from './helpers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/upgrade', import.meta.url));
const migrations = committedMigrations();
const latest = migrations.at(-1)!;

/**
 * Rows a migration changes or drops on purpose: tag → table → why. A migration that rewrites or drops data
 * names it here, so the test still fails for anything else. Empty today.
 */
const INTENDED: Record<string, Record<string, string>> = {};

const dbs = databases();
afterAll(() => dbs.closeAll());

type Summaries = Map<string, TableSummary & { columns: string[] }>;

async function expectAtLatest(e: Endpoint): Promise<void> {
  expect(await readSchemaVersion(rawDb(e.handle))).toMatchObject({ migrations: migrations.length, hash: latest.hash, tag: latest.tag });
}

/** Every table present at migration `from` keeps its rows, over the columns it had, unless INTENDED says otherwise. */
async function expectNothingLost(e: Endpoint, before: Summaries, from: number): Promise<void> {
  const after = await summariseDatabase(e.handle);
  const intended = Object.assign({}, ...migrations.slice(from + 1).map((m) => INTENDED[m.tag] ?? {})) as Record<string, string>;
  for (const [table, was] of before) {
    if (intended[table]) continue;
    const now = after.get(table);
    expect(now, `table ${table} is gone after migrating`).toBeDefined();
    const missing = was.columns.filter((c) => !now!.columns.includes(c));
    expect(missing, `columns of ${table} gone after migrating`).toEqual([]);
    const same = await summariseColumns(e.handle, table, was.columns);
    expect(same.rows, `rows of ${table}`).toBe(was.rows);
    expect(same.checksum, `checksum of ${table} over its earlier columns`).toBe(was.checksum);
  }
}

/** PostgreSQL's undefined_table / undefined_column, wherever the driver or Drizzle put it. */
const undefinedObject = (e: unknown): boolean => {
  const err = e as { code?: string; cause?: unknown } | undefined;
  return err?.code === '42P01' || err?.code === '42703' || (err?.cause !== undefined && undefinedObject(err.cause));
};

// Seeding and migrating PGlite takes seconds, more on a busy machine.
describe('upgrade', { timeout: 120_000 }, () => {
  it('reads the journal exactly as drizzle does (files, hashes, statements)', () => {
    const theirs = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.map((m) => m.idx)).toEqual(migrations.map((_, i) => i));
    expect(migrations.map((m) => [m.hash, m.when])).toEqual(theirs.map((t) => [t.hash, t.folderMillis]));
    expect(migrations.map((m) => m.statements)).toEqual(theirs.map((t) => t.sql.filter((s) => s.trim() !== '')));
  });

  for (const [k, m] of migrations.entries()) {
    it(`a database left at ${m.tag} with the demo data loses nothing when migrated to ${latest.tag}`, async () => {
      const e = await dbs.any({ migrated: false });
      await buildAt(e, k);
      expect(await readSchemaVersion(rawDb(e.handle))).toMatchObject({ migrations: k + 1, hash: m.hash, tag: m.tag });

      const seeded = await e.handle.db
        .transaction(async (tx) => {
          await seedAll(tx as unknown as Db);
        })
        .then(
          () => true,
          (err: unknown) => {
            // Too early for the demo (a table or column it writes is not there yet): only the empty upgrade is left.
            if (k === migrations.length - 1 || !undefinedObject(err)) throw err;
            return false;
          },
        );
      const before = await summariseDatabase(e.handle);
      if (seeded) expect([...before.values()].reduce((n, t) => n + t.rows, 0)).toBeGreaterThan(300);

      await migrate(e.url, e.handle);
      await expectAtLatest(e);
      await expectNothingLost(e, before, k);
      // Migrating again is a no-op.
      await migrate(e.url, e.handle);
      await expectAtLatest(e);
    });
  }

  const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl.gz'));
  it('keeps at least one earlier release’s backup as a fixture', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  for (const f of fixtures) {
    it(`the backup test/fixtures/upgrade/${f} restores at its own migration and loses nothing when migrated`, async () => {
      const file = join(FIXTURES, f);
      const header = await readBackupHeader(file);
      const k = migrations.findIndex((m) => m.hash === header.schema.hash && String(m.when) === header.schema.createdAt);
      expect(k, `${f} was written at a migration the journal no longer has: committed migrations must never change`).toBeGreaterThanOrEqual(
        0,
      );

      const e = await dbs.any({ migrated: false });
      await buildAt(e, k);
      const restored = await restoreDatabase(file, e, { migrate: false });
      expect(restored.version).toMatchObject({ migrations: k + 1, hash: migrations[k]!.hash });
      const before = await summariseDatabase(e.handle);
      for (const t of header.tables) expect(before.get(t.name)?.rows, t.name).toBe(t.rows);

      await migrate(e.url, e.handle);
      await expectAtLatest(e);
      await expectNothingLost(e, before, k);
    });
  }
});
