/**
 * Investor origin in the ledger (issue 16 item 1): the free text 投资方所在地 is mapped to a region code where it
 * matches the code list and flagged (a warning naming the row and the text) where it does not; the code column
 * 投资方地区代码 wins and is validated (an unknown code is a row error naming it); the export writes both.
 */
import { describe, expect, it } from 'vitest';
import { asc } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { schema } from '../../src/store/db.js';
import { readWorkbook } from '../../src/ledger/read.js';
import { applyImport, planImport } from '../../src/ledger/import.js';
import { exportWorkbook } from '../../src/ledger/export.js';
import { templateWorkbook } from '../../src/ledger/template.js';
import { useTestDb } from '../helpers/db.js';
import { CITY_UNITS, UNIT_HEADER, xlsx } from './fixture.js';

const HEADER = ['项目编号', '项目名称', '投资方所在地', '投资方地区代码', '项目阶段', '首谈单位编码', '承载地编码', '计划总投资'];

async function plan(db: Parameters<typeof planImport>[0], rows: (string | null)[][]) {
  const buf = await xlsx({ 单位: [UNIT_HEADER, ...CITY_UNITS], 项目: [HEADER, ...rows] });
  return planImport(db, await readWorkbook(buf, { fileName: 'ledger.xlsx' }), 'operator');
}

describe('ledger: investor region codes', () => {
  const t = useTestDb();

  it('maps known text, keeps a given code, flags unknown text, and exports both columns', async () => {
    const p = await plan(t.db, [
      ['R-1', '杭州投资项目', '浙江省杭州市', null, '洽谈', 'LY-SW', 'LY-DF', '1亿'],
      ['R-2', '长春投资项目', '长春', null, '洽谈', 'LY-SW', 'LY-DF', '1亿'],
      ['R-3', '代码为准项目', '某地', '210100', '洽谈', 'LY-SW', 'LY-DF', '1亿'],
      // Issue 16: an investor from abroad is 境外 (990000), counted as 市外 and 省外.
      ['R-4', '境外投资项目', '新加坡', null, '洽谈', 'LY-SW', 'LY-DL', '1亿'],
      ['R-5', '来源不明项目', '某乡镇', null, '洽谈', 'LY-SW', 'LY-DL', '1亿'],
    ]);
    expect(p.errors).toEqual([]);
    // Only the unmatched text is flagged, by its row, naming the text.
    const flagged = p.warnings.filter((w) => w.message.includes('未能对应到地区代码'));
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.row).toBe(6);
    expect(flagged[0]!.message).toContain('某乡镇');
    await applyImport(t.db, p, { today: '2026-05-20' });
    const rows = await t.db.select().from(schema.projects).orderBy(asc(schema.projects.code));
    expect(rows.map((r) => [r.code, r.investorRegion, r.investorRegionCode])).toEqual([
      ['R-1', '浙江省杭州市', '330100'],
      ['R-2', '长春', '220100'],
      ['R-3', '某地', '210100'],
      ['R-4', '新加坡', '990000'],
      // Nothing entered is lost: the text stays as written, the code empty until given.
      ['R-5', '某乡镇', null],
    ]);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportWorkbook(t.db)) as unknown as ArrayBuffer);
    const found: (string | null)[][] = [];
    wb.eachSheet((ws) => {
      const header = (ws.getRow(1).values as unknown[]).map((v) => (v == null ? '' : String(v)));
      const code = header.indexOf('投资方地区代码');
      const text = header.indexOf('投资方所在地');
      if (code < 0 || text < 0) return;
      ws.eachRow((r, n) => {
        if (n > 1) found.push([String(r.getCell(text).value ?? ''), r.getCell(code).value == null ? null : String(r.getCell(code).value)]);
      });
    });
    expect(found.sort()).toEqual(
      [
        ['浙江省杭州市', '330100'],
        ['长春', '220100'],
        ['某地', '210100'],
        ['新加坡', '990000'],
        ['某乡镇', null],
      ].sort(),
    );
  });

  it('refuses an unknown code with the row, the column and the value', async () => {
    const p = await plan(t.db, [
      ['R-9', '错误代码项目', '浙江省杭州市', '999999', '洽谈', 'LY-SW', 'LY-DF', '1亿'],
      ['R-8', '正常项目', '上海', null, '洽谈', 'LY-SW', 'LY-DF', '1亿'],
    ]);
    expect(p.errors).toEqual([
      expect.objectContaining({ row: 2, column: '投资方地区代码', value: '999999', reason: expect.stringContaining('不在地区代码表中') }),
    ]);
  });

  it('the template documents the code column and its example imports with its code', async () => {
    const wb = await readWorkbook(await templateWorkbook(), { fileName: 'template.xlsx' });
    const p = await planImport(t.db, wb, 'operator');
    expect(p.errors).toEqual([]);
    const ops = p.ops.projects.filter((o) => o.state.investorRegion === '福建省宁德市');
    expect(ops.map((o) => o.state.investorRegionCode)).toEqual(['350900']);
    const mapped = p.ops.projects.find((o) => o.state.investorRegion === '浙江省诸暨市');
    expect(mapped?.state.investorRegionCode).toBe('330600');
  });
});
