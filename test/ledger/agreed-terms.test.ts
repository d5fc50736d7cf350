import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { schema } from '../../src/store/db.js';
import { readWorkbook } from '../../src/ledger/read.js';
import { applyImport, planImport } from '../../src/ledger/import.js';
import { exportWorkbook } from '../../src/ledger/export.js';
import { templateWorkbook } from '../../src/ledger/template.js';
import { useTestDb } from '../helpers/db.js';
import { CHAIN_HEADER, CHAINS, CITY_UNITS, mobileOf, PEOPLE_HEADER, PROJECT_HEADER, UNIT_HEADER, xlsx } from './fixture.js';

const { projects } = schema;

/*
 * The contract's agreed terms (001 三.四: 履约提醒函 on a missed one) in the ledger: six new columns at the end of the
 * project sheet, read like every amount and date officers write, validated (an amount without its date is an error
 * named sheet:row:column), written back by the export and offered by the template.
 */
const AGREED = ['约定开工日期', '约定投资额', '约定投资期限', '约定年产值', '约定年税收', '约定达效期限'];
const base = (code: string, stage = '签约') => [
  code,
  `${code}项目`,
  '某公司',
  '北京市',
  '新能源',
  stage,
  'LY-DF',
  'LY-DL',
  '周涛',
  '3亿',
  '2亿',
  '2026-03-01',
  null,
  null,
  null,
  null,
];

describe('agreed terms in the ledger', () => {
  const t = useTestDb();

  async function plan(rows: unknown[][]) {
    const buf = await xlsx({
      单位: [UNIT_HEADER, ...CITY_UNITS],
      人员: [PEOPLE_HEADER, ['周涛', 'LY-DF', '项目责任人', mobileOf(30), null, null]],
      产业链: [CHAIN_HEADER, ...CHAINS.map((c) => [c, null, null, 'LY-FG'])],
      项目: [[...PROJECT_HEADER, ...AGREED], ...rows],
    } as never);
    return planImport(t.db, await readWorkbook(buf, { fileName: 'agreed.xlsx' }), 'operator');
  }

  it('imports the terms as officers write them, and exports them in the same columns', async () => {
    const p = await plan([[...base('A-1'), '2026-06-30', '1.5亿元', '2026年12月31日', '8亿', '4000万', '2028-12-31']]);
    expect(p.errors).toEqual([]);
    await applyImport(t.db, p, { today: '2026-05-20' });
    const [row] = await t.db.select().from(projects).where(eq(projects.code, 'A-1'));
    expect(row).toMatchObject({
      startPlannedOn: '2026-06-30',
      agreedInvestmentFen: 1.5e10,
      agreedInvestmentBy: '2026-12-31',
      agreedOutputFen: 8e10,
      agreedTaxFen: 4e9,
      agreedResultsBy: '2028-12-31',
    });

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportWorkbook(t.db)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('签约库')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    // At the end of the sheet (then issue 16's 专班负责人 and 投资方来源): the office's own layout keeps its columns.
    expect(header.slice(-2)).toEqual(['专班负责人', '投资方来源']);
    expect(header.slice(-8, -2)).toEqual([
      '约定开工日期',
      '约定投资额（万元）',
      '约定投资期限',
      '约定年产值（万元）',
      '约定年税收（万元）',
      '约定达效期限',
    ]);
    const values = (ws.getRow(2).values as unknown[]).slice(1).slice(-8);
    // An investor from 北京 for a project of 辽源: 省外.
    expect(values).toEqual(['2026-06-30', 15000, '2026-12-31', 80000, 4000, '2028-12-31', undefined, '省外']);
  });

  it('refuses an amount without its date and a bad value, naming sheet, row and column', async () => {
    const p = await plan([
      [...base('B-1'), null, '1亿', null, null, null, null],
      [...base('B-2'), null, null, null, '8亿', null, null],
      [...base('B-3'), '明年', '约1亿', '2026-12-31', null, null, null],
    ]);
    const got = p.errors.map((e) => [e.sheet, e.row, e.column]);
    expect(got).toEqual(
      expect.arrayContaining([
        ['项目', 2, '约定投资期限'],
        ['项目', 3, '约定达效期限'],
        ['项目', 4, '约定开工日期'],
        ['项目', 4, '约定投资额'],
      ]),
    );
    expect(p.errors).toHaveLength(4);
    expect(p.errors.find((e) => e.row === 2)!.reason).toBe('填写了约定投资额，请同时填写约定投资期限。');
  });

  it('the template offers the columns, with an example', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await templateWorkbook()) as unknown as ArrayBuffer);
    const ws = wb.worksheets.find((w) => (w.getRow(1).values as unknown[]).map(String).includes('约定开工日期'))!;
    expect(ws).toBeDefined();
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    for (const h of AGREED) expect(header).toContain(h);
  });
});
