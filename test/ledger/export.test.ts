import { describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { schema } from '../../src/store/db.js';
import { readWorkbook } from '../../src/ledger/read.js';
import { applyImport, planImport } from '../../src/ledger/import.js';
import { exportRows, exportWorkbook, fenToWan } from '../../src/ledger/export.js';
import { useTestDb } from '../helpers/db.js';
import { realisticLedger, xlsx } from './fixture.js';

const { projects, units, fundEntries, people, chains } = schema;

const SHEETS = ['谋划库', '洽谈库', '意向库', '签约库', '落地库', '终止及转移'];
/** After the five databases, the import's own sheets for what is not one row per project (issue 16). */
const DETAIL_SHEETS = ['到位资金', '外部单位', '项目评估', '困难问题'];
const stageSheets = (wb: ExcelJS.Workbook) => wb.worksheets.filter((w) => SHEETS.includes(w.name));
const STAGE_OF: Record<string, string[]> = {
  谋划库: ['planning'],
  洽谈库: ['negotiating'],
  意向库: ['intent'],
  签约库: ['signed'],
  落地库: ['landed'],
  终止及转移: ['dropped', 'transferred'],
};

function text(v: ExcelJS.CellValue): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') return String(v);
  return v as string | number;
}

describe('ledger export', () => {
  const t = useTestDb();

  it('rounds fen to 万元 with two decimals on integers', () => {
    expect(fenToWan(0)).toBe(0);
    expect(fenToWan(12_345_650_000)).toBe(12345.65);
    expect(fenToWan(12_345_655_000)).toBe(12345.66); // half up
    expect(fenToWan(12_345_654_999)).toBe(12345.65);
    expect(fenToWan(5_000)).toBe(0.01);
  });

  it('writes the five databases, one sheet per stage, matching the database row for row', async () => {
    const ledger = realisticLedger(150);
    const plan = await planImport(t.db, await readWorkbook(await xlsx(ledger.sheets)), 'operator');
    expect(plan.errors).toEqual([]);
    await applyImport(t.db, plan, { today: '2026-05-20' });

    const buf = await exportWorkbook(t.db);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...SHEETS, ...DETAIL_SHEETS]);

    const dbProjects = await t.db.select().from(projects);
    const unitRows = await t.db.select().from(units);
    const unitName = new Map(unitRows.map((u) => [u.id, u.name]));
    const personRows = await t.db.select().from(people);
    const chainRows = await t.db.select().from(chains);
    const funds = await t.db.select().from(fundEntries).where(eq(fundEntries.status, 'verified'));
    let seen = 0;
    for (const ws of stageSheets(wb)) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(text);
      expect(header.slice(0, 3)).toEqual(['序号', '项目编号', '项目名称']);
      expect(header).toContain('计划总投资（万元）');
      expect(header).toContain('合同引资额（万元）');
      expect(header).toContain('到位资金（万元）');
      expect(header.includes('项目阶段')).toBe(ws.name === '终止及转移');
      expect(ws.getColumn(3).width).toBeGreaterThan(20);
      const col = (name: string) => header.indexOf(name) + 1;
      const expected = dbProjects.filter((p) => STAGE_OF[ws.name]!.includes(p.stage)).sort((a, b) => (a.code < b.code ? -1 : 1));
      expect(ws.rowCount - 1).toBe(expected.length);
      if (ws.name === '终止及转移')
        expected.sort((a, b) => (a.stage === b.stage ? (a.code < b.code ? -1 : 1) : a.stage === 'dropped' ? -1 : 1));
      expected.forEach((p, i) => {
        const row = ws.getRow(i + 2);
        const cell = (name: string) => text(row.getCell(col(name)).value);
        expect(cell('序号')).toBe(i + 1);
        expect(cell('项目编号')).toBe(p.code);
        expect(cell('项目名称')).toBe(p.name);
        expect(cell('首谈单位')).toBe(unitName.get(p.firstTalkUnitId!));
        expect(cell('承载地')).toBe(unitName.get(p.hostUnitId!));
        expect(cell('责任人')).toBe(personRows.find((x) => x.id === p.ownerId)!.name);
        expect(cell('产业链')).toBe(p.chainId === null ? null : chainRows.find((c) => c.id === p.chainId)!.name);
        expect(cell('计划总投资（万元）')).toBe(p.plannedInvestmentFen! / 1_000_000);
        expect(row.getCell(col('计划总投资（万元）')).numFmt).toBe('#,##0.00');
        expect(cell('合同引资额（万元）')).toBe(p.contractAmountFen === null ? null : p.contractAmountFen / 1_000_000);
        const arrived = funds.filter((f) => f.projectId === p.id).reduce((s, f) => s + f.amountFen, 0);
        expect(cell('到位资金（万元）')).toBe(arrived / 1_000_000);
        expect(cell('签约日期')).toBe(p.signedOn);
        expect(cell('落地日期')).toBe(p.landedOn);
        expect(cell('进入本阶段日期')).toBe(p.stageEnteredOn);
        expect(typeof cell('进入本阶段日期')).toBe('string');
      });
      seen += expected.length;
    }
    expect(seen).toBe(150);
  });

  it('limits the export to the scope unit subtree (host or first-talk unit)', async () => {
    const ledger = realisticLedger(100);
    const plan = await planImport(t.db, await readWorkbook(await xlsx(ledger.sheets)), 'operator');
    await applyImport(t.db, plan);
    const [df] = await t.db.select().from(units).where(eq(units.code, 'LY-DF'));
    const [sw] = await t.db.select().from(units).where(eq(units.code, 'LY-SW'));
    const [city] = await t.db.select().from(units).where(eq(units.code, 'LY'));
    const all = await t.db.select().from(projects).orderBy(asc(projects.code));
    const dfSubtree = (await t.db.select().from(units)).filter((u) => u.path.startsWith(df!.path)).map((u) => u.id);
    const inDf = all.filter((p) => dfSubtree.includes(p.hostUnitId!) || dfSubtree.includes(p.firstTalkUnitId!));
    expect(inDf.length).toBeGreaterThan(0);
    expect(inDf.length).toBeLessThan(all.length);
    const rows = await exportRows(t.db, { scopeUnitId: df!.id });
    expect(rows.map((r) => r.code).sort()).toEqual(inDf.map((p) => p.code).sort());
    // First-talk unit alone brings a project in: the city's 商务局 talked first to projects hosted by counties.
    const bySw = await exportRows(t.db, { scopeUnitId: sw!.id });
    expect(bySw.length).toBe(all.filter((p) => p.firstTalkUnitId === sw!.id || p.hostUnitId === sw!.id).length);
    expect((await exportRows(t.db, { scopeUnitId: city!.id })).length).toBe(all.length);
    expect(await exportRows(t.db, { scopeUnitId: 999_999 })).toEqual([]);

    const buf = await exportWorkbook(t.db, { scopeUnitId: df!.id });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const exported = stageSheets(wb).reduce((n, ws) => n + ws.rowCount - 1, 0);
    expect(exported).toBe(inDf.length);
  });

  it('writes an empty database as six sheets and the four detail sheets, with headers only', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportWorkbook(t.db)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => [w.name, w.rowCount])).toEqual([...SHEETS, ...DETAIL_SHEETS].map((s) => [s, 1]));
  });
});
