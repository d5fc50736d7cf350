import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { readWorkbook } from '../../src/ledger/read.js';
import { cellText, excelDateToDay, numberText } from '../../src/ledger/cells.js';
import { parseCsv } from '../../src/ledger/csv.js';
import { matchColumn, splitHeader } from '../../src/ledger/columns.js';
import { xlsx, xlsxFile, utcDay, PROJECT_HEADER } from './fixture.js';

describe('ledger reader', () => {
  it('matches headers whatever their spacing, width, markers and order, and keeps unit hints', () => {
    expect(matchColumn('projects', ' 项目 编号 ')?.field).toBe('code');
    expect(matchColumn('projects', '*项目名称')?.field).toBe('name');
    expect(matchColumn('projects', '计划总投资（万元）')?.field).toBe('plannedFen');
    expect(matchColumn('projects', '合同引资额(亿元)')?.field).toBe('contractFen');
    expect(matchColumn('projects', '项目编号（必填）')?.field).toBe('code');
    expect(matchColumn('groups', 'ＣＨＡＴ＿ＩＤ')?.field).toBe('chatId');
    expect(matchColumn('projects', '项目负责人')?.field).toBe('owner');
    expect(matchColumn('projects', '天气')).toBeNull();
    expect(splitHeader('计划总投资（亿元）')).toEqual({ name: '计划总投资', unit: 'yi' });
    expect(splitHeader('金额 (元)')).toEqual({ name: '金额', unit: 'yuan' });
  });

  it('turns cells into text as Excel shows them', () => {
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(13904370001)).toBe('13904370001');
    expect(cellText(utcDay('2026-03-05'))).toBe('2026-03-05');
    expect(excelDateToDay(new Date(Date.UTC(2026, 2, 5, 23, 59, 59, 999)))).toBe('2026-03-06');
    expect(excelDateToDay(new Date(Date.UTC(2026, 2, 5, 12)))).toBe('2026-03-05');
  });

  it('reads a sheet with a title row above the header, columns in any order, and every cell kind', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(' 项目 ');
    ws.addRow(['辽源市招商引资项目台账（2026年）']);
    ws.addRow([]);
    ws.addRow([
      '承载地编码',
      '项目阶段',
      '项目名称',
      '项目编号',
      '计划总投资（元）',
      '合同引资额（亿元）',
      '签约日期',
      '最近实质性进展日期',
      '备注',
      '首谈单位编码',
    ]);
    ws.addRow([
      'LY-DF',
      '已签约',
      { richText: [{ text: '风电' }, { text: '项目' }] },
      '  LY-001 ',
      120000000,
      1.3,
      utcDay('2026-03-05'),
      46086,
      { formula: '1+1', result: 2 },
      'LY-DF',
    ]);
    ws.getCell('G4').numFmt = 'yyyy-mm-dd';
    ws.addRow([
      'LY-DF',
      '洽谈库',
      { text: '链接项目', hyperlink: 'https://example.com' },
      'ＬＹ－００２',
      '5000万',
      null,
      null,
      '2026年3月5日',
      null,
      'LY-DF',
    ]);
    const r = await readWorkbook(Buffer.from(await wb.xlsx.writeBuffer()), { fileName: 'x.xlsx' });
    expect(r.errors).toEqual([]);
    const sheet = r.sheets.projects!;
    expect(sheet.name).toBe(' 项目 ');
    expect(sheet.headerRow).toBe(3);
    expect(sheet.rows.map((x) => x.row)).toEqual([4, 5]);
    expect(sheet.rows[0]!.data).toMatchObject({
      code: 'LY-001',
      name: '风电项目',
      stage: 'signed',
      plannedFen: 12_000_000_000,
      contractFen: 13_000_000_000,
      signedOn: '2026-03-05',
      lastProgressOn: '2026-03-05', // a bare day serial
      note: '2',
    });
    expect(sheet.rows[1]!.data).toMatchObject({
      code: 'LY-002',
      name: '链接项目',
      stage: 'negotiating',
      plannedFen: 5_000_000_000,
      lastProgressOn: '2026-03-05',
    });
  });

  it('parses CSV records with quotes, delimiters and line breaks inside fields', () => {
    const rows = [...parseCsv('a,"b,c","d""e"\n"x\r\ny",,\r\nlast')];
    expect(rows).toEqual([
      [1, ['a', 'b,c', 'd"e']],
      [2, ['x\r\ny', '', '']],
      [3, ['last']],
    ]);
    expect([...parseCsv('a\tb\n1\t2', '\t')]).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
    ]);
  });

  it('streams a large sheet from a file without garbling Chinese text at chunk boundaries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-read-'));
    try {
      const file = join(dir, 'big.xlsx');
      // Names of odd byte lengths, so three-byte characters land across every possible chunk boundary.
      const rows = function* () {
        yield PROJECT_HEADER;
        for (let i = 1; i <= 6000; i++) {
          yield [
            `S-${i}`,
            `项目${'东丰县辽源市龙山区'.slice(0, 1 + (i % 9))}${i}${i % 2 ? 'a' : ''}`,
            null,
            null,
            null,
            '洽谈',
            'X',
            'X',
            null,
            `${i}万`,
            null,
            null,
            null,
            null,
            i % 2 ? utcDay('2026-02-01') : '2026/2/1',
            null,
          ];
        }
      };
      await xlsxFile(file, { 项目: rows() });
      const r = await readWorkbook(file);
      expect(r.errors).toEqual([]);
      const got = r.sheets.projects!.rows;
      expect(got).toHaveLength(6000);
      expect(got.filter((x) => /\uFFFD/.test(x.data!.name ?? ''))).toEqual([]);
      expect(got[4]!.data).toMatchObject({ code: 'S-5', name: '项目东丰县辽源市5a', plannedFen: 5_000_000, lastProgressOn: '2026-02-01' });
      expect(got.every((x) => x.data!.lastProgressOn === '2026-02-01')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a file path by its content, not its extension', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-read-'));
    try {
      const file = join(dir, 'ledger.dat');
      writeFileSync(
        file,
        await xlsx({
          项目: [
            ['项目编号', '项目名称'],
            ['A-1', '名称'],
          ],
        }),
      );
      const r = await readWorkbook(file);
      expect(r.format).toBe('xlsx');
      expect(r.sheets.projects!.rows[0]!.data).toMatchObject({ code: 'A-1', name: '名称' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
