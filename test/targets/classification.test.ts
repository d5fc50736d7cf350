/*
 * Issue 16 item 2 (project type) and item 3 (source channels) in the ledger: the template documents them, the
 * import reads them (validated, a bad value named with its row and column), and the export writes them back.
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { schema, type Db } from '../../src/store/db.js';
import { readWorkbook } from '../../src/ledger/read.js';
import { applyImport, planImport, previewText } from '../../src/ledger/import.js';
import { exportWorkbook } from '../../src/ledger/export.js';
import { templateWorkbook } from '../../src/ledger/template.js';
import { classification } from '../../src/report/new-project.js';
import { useTestDb } from '../helpers/db.js';
import { CHAIN_HEADER, CHAINS, CITY_UNITS, UNIT_HEADER, xlsx } from '../ledger/fixture.js';

const { projects } = schema;

const HEADER = ['项目编号', '项目名称', '项目阶段', '首谈单位编码', '承载地编码', '项目类型', '招商渠道', '驻外办事处'];

async function importRows(db: Db, rows: (string | null)[][]) {
  const buf = await xlsx({
    单位: [UNIT_HEADER, ...CITY_UNITS],
    产业链: [CHAIN_HEADER, ...CHAINS.map((c) => [c, null, null, 'LY-FG'])],
    项目: [HEADER, ...rows],
  });
  return planImport(db, await readWorkbook(buf, { fileName: 'types.xlsx' }), 'operator');
}

describe('project type and channels in the ledger', () => {
  const t = useTestDb();

  it('works: types and channels as officers write them are imported, and exported as the ledger words', async () => {
    const plan = await importRows(t.db, [
      ['T-1', '智能袜机项目', '洽谈', 'LY-DF', 'LY-DF', '工业', '商协会、以商招商', null],
      ['T-2', '物流园项目', '洽谈', 'LY-DF', 'LY-DF', '生产性服务', '招商顾问', '上海'],
      ['T-3', '温泉度假区项目', '谋划', 'LY-DL', 'LY-DL', '文化旅游', '对口合作 / 驻外办事处', null],
      ['T-4', '未分类项目', '谋划', 'LY-DL', 'LY-DL', null, null, null],
    ]);
    expect(plan.errors).toEqual([]);
    await applyImport(t.db, plan, { today: '2026-05-20' });
    const got = Object.fromEntries((await t.db.select().from(projects)).map((p) => [p.code, [p.projectType, p.channels]]));
    expect(got).toEqual({
      'T-1': ['industry', ['chamber', 'business_referral']],
      'T-2': ['producer_services', ['commissioned']],
      'T-3': ['tourism', ['outside_office', 'paired_cooperation']],
      'T-4': ['other', []],
    });

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportWorkbook(t.db)) as unknown as ArrayBuffer);
    const cells = new Map<string, [unknown, unknown]>();
    wb.eachSheet((ws) => {
      const header = (ws.getRow(1).values as unknown[]).map((v) => (v == null ? '' : String(v)));
      const code = header.indexOf('项目编号');
      const type = header.indexOf('项目类型');
      const ch = header.indexOf('招商渠道');
      // The five databases (the detail sheets after them name projects by code but have no project columns).
      if (code < 0 || !header.includes('项目名称')) return;
      expect(type).toBeGreaterThan(0);
      expect(ch).toBeGreaterThan(0);
      ws.eachRow((row, n) => {
        if (n === 1) return;
        const v = row.values as unknown[];
        if (typeof v[code] === 'string') cells.set(v[code], [v[type], v[ch] ?? null]);
      });
    });
    expect(cells.get('T-1')).toEqual(['工业', '商协会、以商招商']);
    expect(cells.get('T-3')).toEqual(['文旅', '驻外办事处/招商驻点、对口合作']);
    expect(cells.get('T-4')).toEqual(['其他', null]);

    // A re-import of a row without the two columns leaves them as they are.
    const again = await importRows(t.db, [['T-1', null, null, null, null, null, null, null]]);
    expect(again.errors).toEqual([]);
    await applyImport(t.db, again, { today: '2026-05-21' });
    const [t1] = await t.db.select().from(projects).where(eq(projects.code, 'T-1'));
    expect([t1!.projectType, t1!.channels]).toEqual(['industry', ['chamber', 'business_referral']]);
  });

  it('refused: an unknown type or channel is named with its row and column, and nothing is written', async () => {
    const plan = await importRows(t.db, [
      ['T-1', '某项目', '洽谈', 'LY-DF', 'LY-DF', '重工', null, null],
      ['T-2', '某项目二', '洽谈', 'LY-DF', 'LY-DF', '工业', '商协会、朋友介绍', null],
    ]);
    expect(plan.errors.map((e) => [e.sheet, e.row, e.column, e.value])).toEqual([
      ['项目', 2, '项目类型', '重工'],
      ['项目', 3, '招商渠道', '商协会、朋友介绍'],
    ]);
    expect(previewText(plan)).toContain('工业、生产性服务业、农业、文旅、基础设施、其他');
    expect(previewText(plan)).toContain('朋友介绍');
  });

  it('the template documents and exemplifies both columns, and imports as written', async () => {
    const buf = await templateWorkbook();
    const wb = await readWorkbook(buf, { fileName: 'template.xlsx' });
    const plan = await planImport(t.db, wb, 'operator');
    expect(plan.errors).toEqual([]);
    await applyImport(t.db, plan, { today: '2026-05-20' });
    const rows = await t.db.select().from(projects);
    expect(rows.some((p) => p.projectType === 'industry')).toBe(true);
    expect(rows.some((p) => p.channels.includes('business_referral'))).toBe(true);
  });

  it('attacker: a forged card value for type or channel is refused, never stored as given', () => {
    expect(classification({ type: 'industry', channel: 'chamber' })).toEqual({ type: 'industry', channels: ['chamber'] });
    expect(classification({})).toEqual({ type: 'other', channels: [] });
    expect(classification({ type: "industry'); drop table projects;--" })).toHaveProperty('errors.type');
    expect(classification({ channel: '<at id=all></at>' })).toHaveProperty('errors.channel');
  });
});
