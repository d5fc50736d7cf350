import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { schema } from '../../src/store/db.js';
import { dropPostgresDatabase, TEST_PG_URL, useTestDb } from '../helpers/db.js';
import postgres from 'postgres';

describe('database', () => {
  const t = useTestDb();

  it('is migrated: every table of the schema exists', async () => {
    const res = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`,
    );
    const rows = (res as unknown as { rows?: { n: number }[] }).rows ?? (res as unknown as { n: number }[]);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(20);
  });

  it('stores amounts exactly as integer fen', async () => {
    const [u] = await t.db.insert(schema.units).values({ code: 'C1', name: '辽源市', kind: 'city' }).returning();
    const big = 1_234_567_890_123_45; // 1.2万亿元 in fen: beyond 2^32, within 2^53
    const [p] = await t.db
      .insert(schema.projects)
      .values({ code: 'P1', name: '测试项目', hostUnitId: u!.id, contractAmountFen: big })
      .returning();
    expect(p!.contractAmountFen).toBe(big);
    expect(typeof p!.contractAmountFen).toBe('number');
  });

  it('enforces one report per project and period', async () => {
    const [p] = await t.db.insert(schema.projects).values({ code: 'P2', name: '项目二' }).returning();
    await t.db.insert(schema.reports).values({ projectId: p!.id, period: '2026-11' });
    await expect(t.db.insert(schema.reports).values({ projectId: p!.id, period: '2026-11' })).rejects.toThrow();
  });
});

// Two processes migrating one fresh PostgreSQL database at once must both succeed (advisory lock).
// Runs in the PostgreSQL pass (TEST_DATABASE_URL set), which CI always makes; PGlite has one process only.
describe.skipIf(!TEST_PG_URL)('concurrent migration on PostgreSQL', () => {
  it('two processes migrate one fresh database at once, both succeed', async () => {
    const base = TEST_PG_URL;
    const admin = postgres(base!, { max: 1, onnotice: () => {} });
    const name = `zb_migrate_${process.pid}_${Date.now()}`;
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const u = new URL(base!);
    u.pathname = `/${name}`;
    const url = u.toString();
    try {
      const run = () =>
        new Promise<number>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/migrate-cli.ts', url], {
            stdio: ['ignore', 'inherit', 'inherit'],
          });
          child.on('exit', (code) => resolve(code ?? 1));
        });
      const codes = await Promise.all([run(), run()]);
      expect(codes).toEqual([0, 0]);
      const check = postgres(url, { max: 1, onnotice: () => {} });
      const rows = await check`select count(*)::int as n from drizzle.__drizzle_migrations`;
      await check.end();
      expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
    } finally {
      await dropPostgresDatabase(base!, url);
    }
  });
});
