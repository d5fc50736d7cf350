/**
 * Issue 16, "every new field is in the ledger template, the import (validated, row errors named) and the export":
 * external organisations (外部单位: name, kind, contact), evaluations before signing (项目评估: date, conclusion,
 * note), problems with their due dates and the unit or organisation that must act (困难问题), the service team lead
 * (专班负责人), and beside them project type, channels, investor region (境外 too, with 市外/省外 derived), agreed
 * terms and the funds' verification state. A workbook with every field round-trips: imported, exported, the
 * export read back gives the same values and re-imports with nothing to change.
 */
import { describe, expect, it } from 'vitest';
import { asc, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { schema, type Db } from '../../src/store/db.js';
import { readWorkbook } from '../../src/ledger/read.js';
import { applyImport, planImport, type ImportScope } from '../../src/ledger/import.js';
import { exportWorkbook } from '../../src/ledger/export.js';
import { templateWorkbook } from '../../src/ledger/template.js';
import { personById } from '../../src/store/directory.js';
import { loadRemit } from '../../src/store/remit.js';
import { useTestDb } from '../helpers/db.js';
import { xlsx, type Sheets } from './fixture.js';

const { projects, externalOrgs, projectEvaluations, problems, fundEntries, people, auditLog } = schema;
const TODAY = '2026-05-20';

const UNITS = ['单位编码', '单位名称', '类型', '上级单位编码'];
const PEOPLE = ['姓名', '单位编码', '角色', '手机'];
const PROJECTS = [
  '项目编号',
  '项目名称',
  '投资方',
  '投资方所在地',
  '项目类型',
  '招商渠道',
  '项目阶段',
  '首谈单位编码',
  '承载地编码',
  '责任人',
  '计划总投资',
  '合同引资额',
  '签约日期',
  '约定开工日期',
  '约定投资额',
  '约定投资期限',
  '专班负责人',
];
const FUNDS = ['项目编号', '日期', '金额', '凭证类型', '核实状态'];
const ORGS = ['外部单位名称', '所属政府编码', '单位类别', '联系人', '联系人飞书ID'];
const EVALUATIONS = ['项目编号', '评估日期', '评估结论', '评估说明'];
const PROBLEMS = [
  '项目编号',
  '问题描述',
  '问题类别',
  '提出日期',
  '办结时限',
  '责任单位编码',
  '责任外部单位',
  '办理状态',
  '办结日期',
  '办理结果',
];

const BASE: Sheets = {
  单位: [
    UNITS,
    ['JL', '吉林省', '省', null],
    ['LY', '辽源市', '市', 'JL'],
    ['LY-SW', '辽源市商务局', '部门', 'LY'],
    ['LY-DF', '东丰县', '县', 'LY'],
    ['DF-SW', '东丰县商务局', '部门', 'LY-DF'],
    ['DF-ZR', '东丰县自然资源局', '部门', 'LY-DF'],
    ['LY-DL', '东辽县', '县', 'LY'],
  ],
  人员: [
    PEOPLE,
    ['孙丽', 'DF-SW', '管理员', '13900000001'],
    ['吴磊', 'LY-DF', '项目责任人', '13900000002'],
    ['杨帆', 'LY-DF', '单位负责人', '13900000003'],
    ['曹宇', 'LY-DL', '项目责任人', '13900000004'],
  ],
};

/** Every new field, written as officers write them. */
const FULL: Sheets = {
  ...BASE,
  项目: [
    PROJECTS,
    [
      'F-1',
      '东丰风电项目',
      '国家电投',
      '北京市',
      '工业',
      '商协会、以商招商',
      '签约',
      'LY-DF',
      'LY-DF',
      '吴磊',
      '3亿',
      '2.5亿',
      '2026-03-01',
      '2026-06-30',
      '1亿',
      '2026-12-31',
      '杨帆',
    ],
    [
      'F-2',
      '东丰外资袜业项目',
      '韩国晓星集团',
      '韩国首尔',
      '生产性服务业',
      '驻外办事处',
      '洽谈',
      'LY-DF',
      'LY-DF',
      '吴磊',
      '1.2亿',
      null,
      null,
      null,
      null,
      null,
      null,
    ],
    [
      'F-3',
      '东丰本市项目',
      '辽源某公司',
      '吉林省辽源市',
      '农业',
      null,
      '谋划',
      'LY-DF',
      'LY-DF',
      '吴磊',
      '2000万',
      null,
      null,
      null,
      null,
      null,
      '13900000003',
    ],
    [
      'F-4',
      '东丰省内项目',
      '长春某公司',
      '长春',
      '文旅',
      '对口合作',
      '谋划',
      'LY-DF',
      'LY-DF',
      '吴磊',
      '5000万',
      null,
      null,
      null,
      null,
      null,
      null,
    ],
    ['L-1', '东辽光伏项目', '华能', '香港', '基础设施', null, '洽谈', 'LY-DL', 'LY-DL', '曹宇', '1亿', null, null, null, null, null, null],
  ],
  到位资金: [
    FUNDS,
    ['F-1', '2026-04-10', '2000万', '银行进账单', '已核实'],
    ['F-1', '2026-05-01', '1234.56万', '验资报告', '待核实'],
    ['F-2', '2026-05-02', '300万', '发票', '不予认定'],
  ],
  外部单位: [
    ORGS,
    ['辽源市供电公司', 'LY', '供电', '孙立', 'ou_contact01'],
    ['东丰县自来水公司', 'LY-DF', '水务', '李强', null],
    ['东辽县农商银行', 'LY-DL', '银行', null, null],
  ],
  项目评估: [EVALUATIONS, ['F-1', '2026-02-20', '同意签约', '市项目评审会论证'], ['F-2', '2026年5月10日', '暂缓', null]],
  困难问题: [
    PROBLEMS,
    ['F-1', '升压站并网接入需供电公司批复', '能源', '2026-04-01', '2026-04-16', null, '辽源市供电公司', '未办结', null, null],
    ['F-1', '项目用地指标待落实', '土地', '2026-02-01', '2026-04-01', 'DF-ZR', null, '已办结', '2026-03-20', '已调剂用地指标'],
    ['F-2', '厂区供水管网未接通', '用水', '2026-05-01', null, null, '东丰县自来水公司', null, null, null],
    ['L-1', '融资需银行授信', '资金', '2026-05-05', '2026-06-30', null, '东辽县农商银行', '未办结', null, null],
  ],
};

async function plan(db: Db, sheets: Sheets, scope: ImportScope = 'operator') {
  return planImport(db, await readWorkbook(await xlsx(sheets), { fileName: 'ledger.xlsx' }), scope);
}

async function load(db: Db, sheets: Sheets) {
  const p = await plan(db, sheets);
  expect(p.errors).toEqual([]);
  await applyImport(db, p, { today: TODAY });
  return p;
}

async function adminScope(db: Db, name: string): Promise<ImportScope> {
  const [row] = await db.select().from(people).where(eq(people.name, name));
  const person = (await personById(db, row!.id))!;
  return { actor: person, remit: (await loadRemit(db, person, TODAY)).remit };
}

/** A sheet of an exported workbook as header → value records. */
function records(wb: ExcelJS.Workbook, name: string): Record<string, unknown>[] {
  const ws = wb.getWorksheet(name)!;
  const header = (ws.getRow(1).values as unknown[]).map((v) => (v == null ? '' : String(v)));
  const out: Record<string, unknown>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const v = row.values as unknown[];
    out.push(Object.fromEntries(header.map((h, i) => [h, v[i] ?? null]).filter(([h]) => h !== '')));
  });
  return out;
}

describe('issue 16 fields in the ledger', () => {
  const t = useTestDb();

  it('works: a workbook with every new field is imported, exported with the same values, and re-imports unchanged', async () => {
    await load(t.db, FULL);

    // Stored as written.
    const orgs = await t.db.select().from(externalOrgs).orderBy(asc(externalOrgs.name));
    expect(orgs.map((o) => [o.name, o.kind, o.contactName, o.contactOpenId])).toEqual([
      ['东丰县自来水公司', 'water', '李强', null],
      ['东辽县农商银行', 'bank', null, null],
      ['辽源市供电公司', 'power', '孙立', 'ou_contact01'],
    ]);
    const evals = await t.db.select().from(projectEvaluations).orderBy(asc(projectEvaluations.evaluatedOn));
    expect(evals.map((e) => [e.evaluatedOn, e.conclusion, e.note])).toEqual([
      ['2026-02-20', '同意签约', '市项目评审会论证'],
      ['2026-05-10', '暂缓', null],
    ]);
    const probs = await t.db.select().from(problems).orderBy(asc(problems.raisedOn));
    const orgId = (name: string) => orgs.find((o) => o.name === name)!.id;
    expect(probs.map((p) => [p.category, p.raisedOn, p.dueOn, p.mustActOrgId, p.open, p.resolvedOn, p.resolution])).toEqual([
      ['land', '2026-02-01', '2026-04-01', null, false, '2026-03-20', '已调剂用地指标'],
      ['energy', '2026-04-01', '2026-04-16', orgId('辽源市供电公司'), true, null, null],
      // No due date written: the category's default from the rules (能源 15 days).
      ['energy', '2026-05-01', '2026-05-16', orgId('东丰县自来水公司'), true, null, null],
      ['funds', '2026-05-05', '2026-06-30', orgId('东辽县农商银行'), true, null, null],
    ]);
    const [yang] = await t.db.select().from(people).where(eq(people.name, '杨帆'));
    const leads = Object.fromEntries((await t.db.select().from(projects)).map((p) => [p.code, p.teamLeadId]));
    expect(leads).toEqual({ 'F-1': yang!.id, 'F-2': null, 'F-3': yang!.id, 'F-4': null, 'L-1': null });
    const regions = Object.fromEntries((await t.db.select().from(projects)).map((p) => [p.code, p.investorRegionCode]));
    expect(regions).toEqual({ 'F-1': '110000', 'F-2': '990000', 'F-3': '220400', 'F-4': '220100', 'L-1': '810000' });

    // Exported with the same values, in the import's own sheets and headers.
    const buf = await exportWorkbook(t.db);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const rows = [...records(wb, '谋划库'), ...records(wb, '洽谈库'), ...records(wb, '签约库')];
    const byCode = Object.fromEntries(rows.map((r) => [r['项目编号'], r]));
    const pick = (code: string) => {
      const r = byCode[code]!;
      return [r['项目类型'], r['招商渠道'], r['投资方所在地'], r['投资方地区代码'], r['投资方来源'], r['专班负责人']];
    };
    expect(pick('F-1')).toEqual(['工业', '商协会、以商招商', '北京市', '110000', '省外', '杨帆']);
    expect(pick('F-2')).toEqual(['生产性服务业', '驻外办事处/招商驻点', '韩国首尔', '990000', '境外', null]);
    expect(pick('F-3')).toEqual(['农业', null, '吉林省辽源市', '220400', '市内', '杨帆']);
    expect(pick('F-4')).toEqual(['文旅', '对口合作', '长春', '220100', '市外（省内）', null]);
    expect(pick('L-1')).toEqual(['基础设施', null, '香港', '810000', '境外', null]);
    expect([byCode['F-1']!['约定开工日期'], byCode['F-1']!['约定投资额（万元）'], byCode['F-1']!['约定投资期限']]).toEqual([
      '2026-06-30',
      10000,
      '2026-12-31',
    ]);
    expect(records(wb, '外部单位')).toEqual([
      { 外部单位名称: '辽源市供电公司', 所属政府编码: 'LY', 单位类别: '供电', 联系人: '孙立', 联系人飞书ID: 'ou_contact01' },
      { 外部单位名称: '东丰县自来水公司', 所属政府编码: 'LY-DF', 单位类别: '供水', 联系人: '李强', 联系人飞书ID: null },
      { 外部单位名称: '东辽县农商银行', 所属政府编码: 'LY-DL', 单位类别: '银行', 联系人: null, 联系人飞书ID: null },
    ]);
    expect(records(wb, '项目评估')).toEqual([
      { 项目编号: 'F-1', 评估日期: '2026-02-20', 评估结论: '同意签约', 评估说明: '市项目评审会论证' },
      { 项目编号: 'F-2', 评估日期: '2026-05-10', 评估结论: '暂缓', 评估说明: null },
    ]);
    expect(records(wb, '困难问题')).toEqual([
      {
        项目编号: 'F-1',
        问题描述: '项目用地指标待落实',
        问题类别: '土地',
        提出日期: '2026-02-01',
        办结时限: '2026-04-01',
        责任单位编码: 'DF-ZR',
        责任外部单位: null,
        办理状态: '已办结',
        办结日期: '2026-03-20',
        办理结果: '已调剂用地指标',
      },
      {
        项目编号: 'F-1',
        问题描述: '升压站并网接入需供电公司批复',
        问题类别: '能源',
        提出日期: '2026-04-01',
        办结时限: '2026-04-16',
        责任单位编码: null,
        责任外部单位: '辽源市供电公司',
        办理状态: '未办结',
        办结日期: null,
        办理结果: null,
      },
      {
        项目编号: 'F-2',
        问题描述: '厂区供水管网未接通',
        问题类别: '能源',
        提出日期: '2026-05-01',
        办结时限: '2026-05-16',
        责任单位编码: null,
        责任外部单位: '东丰县自来水公司',
        办理状态: '未办结',
        办结日期: null,
        办理结果: null,
      },
      {
        项目编号: 'L-1',
        问题描述: '融资需银行授信',
        问题类别: '资金',
        提出日期: '2026-05-05',
        办结时限: '2026-06-30',
        责任单位编码: null,
        责任外部单位: '东辽县农商银行',
        办理状态: '未办结',
        办结日期: null,
        办理结果: null,
      },
    ]);
    expect(records(wb, '到位资金')).toEqual([
      { 项目编号: 'F-1', 日期: '2026-04-10', '金额（元）': 20_000_000, 凭证类型: '银行进账单', 核实状态: '已核实' },
      { 项目编号: 'F-1', 日期: '2026-05-01', '金额（元）': 12_345_600, 凭证类型: '验资报告', 核实状态: '待核实' },
      { 项目编号: 'F-2', 日期: '2026-05-02', '金额（元）': 3_000_000, 凭证类型: '发票/付款凭证', 核实状态: '不予认定' },
    ]);

    // The export read back by the import: every detail row is found as it is (nothing to add, nothing to change).
    const audit = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(auditLog))[0]!.n;
    const before = await audit();
    const again = await planImport(t.db, await readWorkbook(buf, { fileName: 'export.xlsx' }), 'operator');
    expect(again.errors).toEqual([]);
    expect(again.counts).toEqual({
      funds: { add: 0, change: 0, same: 3 },
      orgs: { add: 0, change: 0, same: 3 },
      evaluations: { add: 0, change: 0, same: 2 },
      problems: { add: 0, change: 0, same: 4 },
    });
    await applyImport(t.db, again, { today: TODAY });
    expect(await audit()).toBe(before);
    expect((await t.db.select().from(fundEntries)).length).toBe(3);
  });

  it('works: a later file changes a problem, an evaluation, an organisation and the team lead by their keys', async () => {
    await load(t.db, FULL);
    await load(t.db, {
      人员: BASE['人员']!,
      项目: [
        ['项目编号', '专班负责人'],
        ['F-1', '13900000002'],
      ],
      外部单位: [ORGS, ['辽源市供电公司', 'LY', null, '赵军', null]],
      项目评估: [EVALUATIONS, ['F-2', '2026-05-10', '同意签约', '补充材料后复评']],
      困难问题: [PROBLEMS, ['F-1', '升压站并网接入需供电公司批复', null, null, null, null, null, '已办结', '2026-05-18', '已批复并网方案']],
    });
    const [wu] = await t.db.select().from(people).where(eq(people.name, '吴磊'));
    const [f1] = await t.db.select().from(projects).where(eq(projects.code, 'F-1'));
    expect(f1!.teamLeadId).toBe(wu!.id);
    const [org] = await t.db.select().from(externalOrgs).where(eq(externalOrgs.name, '辽源市供电公司'));
    expect([org!.kind, org!.contactName, org!.contactOpenId]).toEqual(['power', '赵军', 'ou_contact01']);
    expect((await t.db.select().from(projectEvaluations)).map((e) => e.conclusion).sort()).toEqual(['同意签约', '同意签约']);
    const [p] = await t.db.select().from(problems).where(eq(problems.description, '升压站并网接入需供电公司批复'));
    expect([p!.open, p!.resolvedOn, p!.resolution, p!.dueOn]).toEqual([false, '2026-05-18', '已批复并网方案', '2026-04-16']);
    expect((await t.db.select().from(problems)).length).toBe(4);
  });

  it('the template offers and documents every new sheet and column, and imports as written', async () => {
    const buf = await templateWorkbook();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const header = (name: string) => (wb.getWorksheet(name)!.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header('外部单位')).toEqual(ORGS);
    expect(header('项目评估')).toEqual(EVALUATIONS);
    expect(header('困难问题')).toEqual(PROBLEMS);
    expect(header('项目')).toContain('专班负责人');
    const readme = wb.getWorksheet('说明')!;
    const documented: string[] = [];
    readme.eachRow((row) => documented.push(`${String(row.getCell(1).value)}:${String(row.getCell(2).value)}`));
    for (const c of [
      ...ORGS.map((h) => `外部单位:${h}`),
      ...PROBLEMS.map((h) => `困难问题:${h}`),
      '项目:专班负责人',
      '项目评估:评估结论',
    ]) {
      expect(documented).toContain(c);
    }
    const p = await planImport(t.db, await readWorkbook(buf, { fileName: 'template.xlsx' }), 'operator');
    expect(p.errors).toEqual([]);
    await applyImport(t.db, p, { today: TODAY });
    expect((await t.db.select().from(problems)).map((x) => x.mustActOrgId !== null).sort()).toEqual([false, true]);
    expect((await t.db.select().from(projects).where(eq(projects.code, 'LY2026-001')))[0]!.teamLeadId).not.toBeNull();
  });

  it('refused: every bad value is named by sheet, row and column, and nothing is written', async () => {
    await load(t.db, BASE);
    const p = await plan(t.db, {
      项目: [
        PROJECTS,
        ['R-1', '某项目', null, '火星', '工业', null, '洽谈', 'LY-DF', 'LY-DF', '吴磊', '1亿', null, null, null, null, null, '曹宇'],
      ],
      外部单位: [
        ORGS,
        ['某电力公司', 'LY', '核电', null, null],
        ['某银行', 'DF-SW', '银行', null, null],
        ['某燃气公司', 'NOPE', '燃气', null, null],
        ['某水务公司', 'LY-DF', '供水', null, 'u_123'],
        ['某水务公司', 'LY-DF', '供水', null, null],
      ],
      项目评估: [EVALUATIONS, ['R-1', '明年', '同意', null], ['R-1', '2026-05-01', null, null], ['R-9', '2026-05-01', '同意', null]],
      困难问题: [
        PROBLEMS,
        ['R-1', '问题一', '天气', '2026-05-01', null, null, null, null, null, null],
        ['R-1', '问题二', '土地', '2026-05-10', '2026-05-01', null, null, null, null, null],
        ['R-1', '问题三', '土地', '2026-05-10', null, 'DF-ZR', '某水务公司', null, null, null],
        ['R-1', '问题四', '土地', '2026-05-10', null, null, '东辽县农商银行', null, null, null],
        ['R-1', '问题五', '土地', '2026-05-10', null, 'LY-DL', null, null, null, null],
        ['R-1', '问题六', '土地', '2026-05-10', null, null, null, '已办结', null, null],
        ['R-1', '问题七', null, '2026-05-10', null, null, null, null, null, null],
        ['R-1', '问题八', '土地', '5月10号前后', null, null, null, null, null, null],
      ],
    });
    const where = p.errors.map((e) => `${e.sheet}:${e.row}:${e.column}`);
    expect(where.sort()).toEqual(
      [
        '项目:2:专班负责人', // 曹宇 is of 东辽县, not the first-talk unit's government
        '外部单位:2:单位类别', // 核电 is no kind
        '外部单位:3:所属政府编码', // a department, not a government
        '外部单位:4:所属政府编码', // unknown unit
        '外部单位:5:联系人飞书ID', // not an open_id
        '项目评估:2:评估日期', // not a date
        '项目评估:3:评估结论', // a new evaluation without its conclusion
        '项目评估:4:项目编号', // unknown project
        '困难问题:2:问题类别', // 天气
        '困难问题:3:办结时限', // before it was raised
        '困难问题:4:责任外部单位', // both a unit and an organisation
        '困难问题:5:责任外部单位', // an organisation not registered
        '困难问题:6:责任单位编码', // another county's unit cannot act on 东丰's project
        '困难问题:7:办结日期', // closed without the day and what was done
        '困难问题:8:问题类别', // a new problem without its category
        '困难问题:9:提出日期', // not a date
      ].sort(),
    );
    expect(p.errors.find((e) => e.sheet === '外部单位' && e.row === 2)!.reason).toContain('供电、供水、燃气、银行、国企、其他');
    expect(p.errors.find((e) => e.sheet === '困难问题' && e.row === 3)!.reason).toBe('办结时限不能早于提出日期。');
    expect(p.errors.find((e) => e.sheet === '项目' && e.row === 2)!.reason).toContain('曹宇');
    await expect(applyImport(t.db, p, { today: TODAY })).rejects.toThrow();
    expect(await t.db.select().from(externalOrgs)).toEqual([]);
    expect(await t.db.select().from(problems)).toEqual([]);
  });

  it("attacker: a county admin's file cannot register an organisation of the city, touch another county's project or name its people", async () => {
    await load(t.db, FULL);
    const scope = await adminScope(t.db, '孙丽');
    const p = await plan(
      t.db,
      {
        项目: [
          ['项目编号', '专班负责人'],
          ['F-4', '曹宇'],
          ['L-1', '吴磊'],
        ],
        外部单位: [ORGS, ['东丰县燃气公司', 'LY-DF', '燃气', null, null], ['辽源市供电公司', 'LY', '供电', '冒名', null]],
        项目评估: [EVALUATIONS, ['L-1', '2026-05-11', '同意签约', null]],
        困难问题: [
          PROBLEMS,
          ['L-1', '融资需银行授信', null, null, null, null, null, '已办结', '2026-05-12', '已放款'],
          // 东辽县's bank is no party to a 东丰 project, even for its admin.
          ['F-4', '流动资金贷款', '资金', '2026-05-10', null, null, '东辽县农商银行', null, null, null],
        ],
      },
      scope,
    );
    const where = p.errors.map((e) => `${e.sheet}:${e.row}:${e.column}`);
    expect(where.sort()).toEqual(
      [
        '项目:2:专班负责人', // a person outside the remit is not found
        '项目:3:项目编号', // another county's project
        '外部单位:3:所属政府编码', // the city's organisation
        '项目评估:2:项目编号',
        '困难问题:2:项目编号',
        '困难问题:3:责任外部单位',
      ].sort(),
    );
    expect(p.errors.find((e) => e.sheet === '项目' && e.row === 2)!.reason).not.toContain('东辽');
    await expect(applyImport(t.db, p, { today: TODAY })).rejects.toThrow();
    const [org] = await t.db.select().from(externalOrgs).where(eq(externalOrgs.name, '辽源市供电公司'));
    expect(org!.contactName).toBe('孙立');
    expect((await t.db.select().from(problems).where(eq(problems.open, false))).length).toBe(1);
  });
});
