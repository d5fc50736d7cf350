import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { schema } from '../../src/store/db.js';
import { applyImport, planImportFile } from '../../src/ledger/import.js';
import { useTestDb } from '../helpers/db.js';
import { bigProjectRows, realisticLedger, xlsxFile, type Cell } from './fixture.js';

const { projects, auditLog, stageHistory } = schema;
const ROWS = 6_000;

// The 50,000-row measurement is bench/ledger-import.ts; this runs the same path (file → stream → plan → bulk writes
// in one transaction → bulk updates) at a size that keeps the suite fast, across several write batches.
describe('ledger import: a large file streamed from disk', () => {
  const t = useTestDb();

  it(`imports ${ROWS} project rows, then a re-import changing half of them`, { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-stream-'));
    try {
      const city = realisticLedger(0).sheets;
      const base = { 单位: city['单位']!, 人员: city['人员']!, 产业链: city['产业链']! };
      const file = join(dir, 'big.xlsx');
      await xlsxFile(file, { ...base, 项目: bigProjectRows(ROWS) });

      const plan = await planImportFile(t.db, file, 'operator');
      expect(plan.errors).toEqual([]);
      expect(plan.counts.projects).toEqual({ add: ROWS, change: 0, same: 0 });
      await applyImport(t.db, plan, { today: '2026-05-20' });
      const n = async (q: Promise<{ n: number }[]>) => (await q)[0]!.n;
      expect(await n(t.db.select({ n: sql<number>`count(*)::int` }).from(projects))).toBe(ROWS);
      expect(await n(t.db.select({ n: sql<number>`count(*)::int` }).from(stageHistory))).toBe(ROWS);
      const [p] = await t.db.select().from(projects).where(eq(projects.code, 'BIG-000003'));
      expect(p).toMatchObject({
        stage: 'signed',
        plannedInvestmentFen: 400_000_000,
        contractAmountFen: 400_000_000,
        signedOn: '2026-03-05',
        stageEnteredOn: '2026-03-05',
        lastProgressOn: '2026-02-01',
      });

      // The next month's ledger: every even row's planned investment revised, every 10th planning project advanced.
      const edited = function* (): Generator<Cell[]> {
        let i = 0;
        for (const row of bigProjectRows(ROWS)) {
          if (i > 0 && i % 2 === 0) row[9] = `${i * 2 + 1}万`; // odd: never the old value (a multiple of 100)
          if (i > 0 && i % 10 === 0 && row[5] === '洽谈') row[5] = '意向';
          i++;
          yield row;
        }
      };
      const file2 = join(dir, 'big2.xlsx');
      await xlsxFile(file2, { ...base, 项目: edited() });
      const auditBefore = await n(t.db.select({ n: sql<number>`count(*)::int` }).from(auditLog));
      const plan2 = await planImportFile(t.db, file2, 'operator');
      expect(plan2.errors).toEqual([]);
      expect(plan2.counts.projects).toEqual({ add: 0, change: ROWS / 2, same: ROWS / 2 });
      await applyImport(t.db, plan2, { today: '2026-06-20' });
      expect(await n(t.db.select({ n: sql<number>`count(*)::int` }).from(projects))).toBe(ROWS);
      expect(await n(t.db.select({ n: sql<number>`count(*)::int` }).from(auditLog))).toBe(auditBefore + ROWS / 2);
      const [p10] = await t.db.select().from(projects).where(eq(projects.code, 'BIG-000010'));
      expect(p10).toMatchObject({ plannedInvestmentFen: 21_000_000, stage: 'intent', stageEnteredOn: '2026-06-20' });
      const [p4] = await t.db.select().from(projects).where(eq(projects.code, 'BIG-000004'));
      expect(p4).toMatchObject({ plannedInvestmentFen: 9_000_000, stageEnteredOn: '2026-05-20' });
      const [audit] = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, String(p10!.id)), eq(auditLog.action, 'ledger.import.update')));
      expect(audit!.before).toEqual({ plannedInvestmentFen: 1_100_000_000, stage: 'negotiating', stageEnteredOn: '2026-05-20' });
      expect(audit!.after).toEqual({ plannedInvestmentFen: 21_000_000, stage: 'intent', stageEnteredOn: '2026-06-20' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
