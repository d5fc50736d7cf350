/**
 * Repeated statements go to PostgreSQL as named prepared statements (issue 18, src/store/db-core.ts
 * `preparingRepeated`): drizzle runs its queries unnamed, which postgres.js sends in two round trips (parse and
 * describe, then bind and execute) and the server parses and plans every time. Read back from the connection's
 * own `pg_prepared_statements`. PostgreSQL only: PGlite runs in process, with no round trip to save.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { eq, sql } from 'drizzle-orm';
import { people } from '../../db/schema.js';
import { migrate } from '../../src/store/db.js';
import { openPostgres, preparingRepeated, type DbHandle } from '../../src/store/db-core.js';
import { createDatabase, dropPostgresDatabase, onPostgres, TEST_PG_URL } from '../helpers/db.js';

describe.skipIf(!onPostgres)('prepared statements on PostgreSQL', () => {
  let url = '';
  let handle: DbHandle;
  beforeAll(async () => {
    url = await createDatabase(TEST_PG_URL!);
    await migrate(url);
    // One connection: the prepared statements read back are those of the connection the queries ran on.
    handle = openPostgres(url, { max: 1 });
  });
  afterAll(async () => {
    await handle?.close();
    if (url) await dropPostgresDatabase(TEST_PG_URL!, url);
  });

  const preparedTexts = async (): Promise<string[]> => {
    const rows = (await handle.db.execute(sql`select statement from pg_prepared_statements`)) as unknown as { statement: string }[];
    return rows.map((r) => r.statement);
  };
  const byOpenId = (openId: string) => handle.db.select({ id: people.id }).from(people).where(eq(people.openId, openId));

  describe('works', () => {
    it('a statement run a second time is prepared, and answers as before', async () => {
      await handle.db.insert(people).values({ name: '甲', openId: 'ou_prep_a' });
      const once = await byOpenId('ou_prep_a');
      expect(once).toHaveLength(1);
      expect((await preparedTexts()).some((t) => t.includes('"open_id" = $1'))).toBe(false);
      const twice = await byOpenId('ou_prep_a');
      expect(twice).toEqual(once);
      const texts = await preparedTexts();
      expect(texts.filter((t) => t.includes('from "people" where "people"."open_id" = $1'))).toHaveLength(1);
      // Other values reuse it: still one statement for that text.
      expect(await byOpenId('ou_prep_none')).toEqual([]);
      expect((await preparedTexts()).filter((t) => t.includes('from "people" where "people"."open_id" = $1'))).toHaveLength(1);
    });

    it('statements inside transactions are prepared too', async () => {
      for (const name of ['乙', '丙']) {
        await handle.db.transaction(async (tx) => {
          await tx.update(people).set({ title: name }).where(eq(people.openId, 'ou_prep_a'));
        });
      }
      expect((await preparedTexts()).some((t) => /^update "people" set "title" = \$1/.test(t))).toBe(true);
      const [row] = await handle.db.select({ title: people.title }).from(people).where(eq(people.openId, 'ou_prep_a'));
      expect(row!.title).toBe('丙');
    });
  });

  describe('refused', () => {
    it('a text seen once stays unnamed, and no more than `max` texts are ever prepared', async () => {
      const raw = postgres(url, { max: 1, onnotice: () => {} });
      const client = preparingRepeated(raw, 2);
      try {
        // As drizzle calls it: unnamed unless told otherwise.
        const run = (text: string, v: number) => client.unsafe(text, [v], { prepare: false });
        const texts = ['select $1::int + 1 as n', 'select $1::int + 2 as n', 'select $1::int + 3 as n'];
        expect(await run(texts[0]!, 1)).toEqual([{ n: 2 }]);
        const named = async () =>
          ((await raw.unsafe('select statement from pg_prepared_statements', [], { prepare: false })) as unknown as { statement: string }[])
            .map((r) => r.statement)
            // postgres.js's own start-up read of the types is its business: only ours count.
            .filter((t) => /^select (\$1|42)/.test(t));
        expect(await named()).toEqual([]);
        for (const t of texts) {
          await run(t, 1);
          await run(t, 1);
        }
        // The first two repeated texts are prepared; the third is over the limit and stays unnamed.
        expect((await named()).sort()).toEqual([texts[0], texts[1]]);
        expect(await run(texts[2]!, 5)).toEqual([{ n: 8 }]);
        // A statement without parameters is never prepared (it is sent in one round trip anyway).
        await client.unsafe('select 42 as n', [], { prepare: false });
        await client.unsafe('select 42 as n', [], { prepare: false });
        expect(await named()).toHaveLength(2);
      } finally {
        await raw.end({ timeout: 5 });
      }
    });
  });
});
