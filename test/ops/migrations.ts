/*
 * The committed migrations, applied one by one: what drizzle's migrator cannot do (it always goes to the end).
 * A database "at migration k" has the SQL of the journal's entries 0…k applied and recorded in drizzle's own
 * table exactly as the migrator records them, so a later migrate() carries on from k+1.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { MIGRATIONS_FOLDER } from '../../src/store/db.js';
import type { Endpoint } from '../../src/store/copy.js';

export interface Migration {
  idx: number;
  tag: string;
  /** The journal's `when`: drizzle records it as created_at and compares it to decide what is pending. */
  when: number;
  /** sha256 of the file, as drizzle records it. */
  hash: string;
  statements: string[];
}

export function committedMigrations(folder = MIGRATIONS_FOLDER): Migration[] {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string; when: number }[];
  };
  return journal.entries.map((e) => {
    const text = readFileSync(join(folder, `${e.tag}.sql`), 'utf8');
    return {
      idx: e.idx,
      tag: e.tag,
      when: e.when,
      hash: createHash('sha256').update(text).digest('hex'),
      statements: text.split('--> statement-breakpoint').filter((s) => s.trim() !== ''),
    };
  });
}

/** Applies migrations 0…k to an empty database, in one transaction, recording them as drizzle does. */
export async function buildAt(e: Endpoint, k: number): Promise<void> {
  const all = committedMigrations();
  if (k < 0 || k >= all.length) throw new Error(`no migration ${k}`);
  await e.handle.db.transaction(async (tx) => {
    await tx.execute(sql.raw(`create schema if not exists "drizzle"`));
    await tx.execute(
      sql.raw(`create table if not exists "drizzle"."__drizzle_migrations" (id serial primary key, hash text not null, created_at bigint)`),
    );
    for (const m of all.slice(0, k + 1)) {
      for (const stmt of m.statements) await tx.execute(sql.raw(stmt));
      await tx.execute(sql`insert into "drizzle"."__drizzle_migrations" ("hash", "created_at") values (${m.hash}, ${m.when})`);
    }
  });
}
