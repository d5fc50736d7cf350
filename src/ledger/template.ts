// The import template: a 说明 sheet explaining every column, then one sheet per kind of record with example rows
// for a small city (辽源市 and its counties). Importing the template as it is succeeds, so it doubles as a fixture.
//
// The example rows are sample data, not interface text; headers, enumeration words and explanations come from
// prompts/ledger.ts through columns.ts.

import { writeFile } from 'node:fs/promises';
import type ExcelJS from 'exceljs';

/**
 * exceljs is loaded on first use, not at start: it holds ~27 MB of a process that may never write a workbook
 * (issue 18, the idle footprint).
 */
const loadExcel = async (): Promise<typeof ExcelJS> => (await import('exceljs')).default;
import { t } from '../text.js';
import { STAGES } from '../domain/stages.js';
import type { TemplateKey } from '../../prompts/index.js';
import {
  COLUMNS,
  bindingKinds,
  columnLabel,
  evidenceKinds,
  fundStatuses,
  orgKinds,
  problemCategories,
  problemStatuses,
  readmeSheetLabel,
  roles,
  sheetLabel,
  unitKinds,
  SHEET_IDS,
  type ColumnDef,
  type SheetId,
} from './columns.js';
import { stageLabel } from '../words.js';

type Cell = string | number | Date | null;

/** A calendar day as an Excel date cell (exceljs writes the UTC wall-clock, so the day is exact). */
const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

const EXAMPLES: Record<SheetId, Record<string, Cell>[]> = {
  units: [
    { code: 'LY', name: '辽源市', kind: '市', parentCode: null },
    { code: 'LY-DF', name: '东丰县', kind: '县', parentCode: 'LY' },
    { code: 'LY-DL', name: '东辽县', kind: '县', parentCode: 'LY' },
    { code: 'LY-LS', name: '龙山区', kind: '区', parentCode: 'LY' },
    { code: 'LY-GX', name: '辽源高新技术产业开发区', kind: '开发区', parentCode: 'LY' },
    { code: 'LY-SW', name: '辽源市商务局', kind: '部门', parentCode: 'LY' },
    { code: 'LY-XM', name: '辽源市项目管理和推进中心', kind: '中心', parentCode: 'LY' },
  ],
  people: [
    { name: '陈刚', unitCode: 'LY', roles: '召集人、链长', title: '副市长', mobile: '13904379001', email: null, openId: null },
    { name: '王建', unitCode: 'LY', roles: '链长', title: '副市长', mobile: '13904379002', email: null, openId: null },
    {
      name: '张伟',
      unitCode: 'LY-SW',
      roles: '部门领导、管理员',
      title: '市商务局局长',
      mobile: '13904379003',
      email: 'zhangwei@example.gov.cn',
      openId: null,
    },
    { name: '何静', unitCode: 'LY-SW', roles: '管理员、项目责任人', title: '招商科科长', mobile: '13904379004', email: null, openId: null },
    { name: '赵敏', unitCode: 'LY-SW', roles: '服务秘书', title: '产业链服务秘书', mobile: '13904379005', email: null, openId: null },
    { name: '杨帆', unitCode: 'LY-DF', roles: '单位负责人，召集人', title: '东丰县县长', mobile: '13904379006', email: null, openId: null },
    { name: '吴磊', unitCode: 'LY-DF', roles: '项目责任人', title: '东丰县商务局干部', mobile: '13904379007', email: null, openId: null },
    { name: '曹宇', unitCode: 'LY-DL', roles: '项目责任人', title: '东辽县商务局干部', mobile: '13904379008', email: null, openId: null },
    { name: '叶青', unitCode: 'LY-GX', roles: '项目责任人', title: '高新区招商局干部', mobile: '13904379009', email: null, openId: null },
    { name: '邓欣', unitCode: 'LY-LS', roles: '项目责任人', title: '龙山区商务局干部', mobile: null, email: null, openId: null },
  ],
  chains: [
    { name: '新能源', aliases: '新能源链', leader: '陈刚', secretary: '赵敏', leadUnitCode: 'LY-SW' },
    { name: '袜业纺织', aliases: '袜业、纺织', leader: '王建', secretary: '赵敏', leadUnitCode: 'LY-SW' },
    { name: '装备制造', aliases: '装备', leader: '王建', secretary: '13904379005', leadUnitCode: 'LY-GX' },
  ],
  projects: [
    {
      code: 'LY2026-001',
      name: '200MW风电项目',
      investor: '国家电投集团吉林能源投资有限公司',
      investorRegion: '吉林省长春市',
      originOffice: null,
      chain: '新能源',
      projectType: '工业',
      channels: null,
      stage: '签约',
      firstTalkUnitCode: 'LY-DF',
      hostUnitCode: 'LY-DF',
      owner: '吴磊',
      plannedFen: '14亿',
      contractFen: '13亿元',
      signedOn: '2026-03-05',
      startedOn: null,
      landedOn: null,
      lastProgressOn: '2026-03-05',
      transferredTo: null,
      note: '提级报备',
      agreedStartOn: '2026-06-30',
      agreedInvestmentFen: '5亿',
      agreedInvestmentBy: '2026-12-31',
      agreedOutputFen: '8亿',
      agreedTaxFen: '4000万',
      agreedResultsBy: '2028-12-31',
      teamLead: '杨帆',
    },
    {
      code: 'LY2026-002',
      name: '年产5亿双智能袜业产业园',
      investor: '浙江诸暨华越袜业有限公司',
      investorRegion: '浙江省诸暨市',
      originOffice: '上海',
      chain: '袜业纺织',
      projectType: '工业',
      channels: '驻外办事处、以商招商',
      stage: '洽谈',
      firstTalkUnitCode: 'LY-DF',
      hostUnitCode: 'LY-DF',
      owner: '13904379007',
      plannedFen: '12亿',
      contractFen: null,
      signedOn: null,
      startedOn: null,
      landedOn: null,
      lastProgressOn: '2026/2/18',
      transferredTo: null,
      note: null,
    },
    {
      code: 'LY2026-003',
      name: '100MW光伏发电项目',
      investor: '华能吉林发电有限公司',
      investorRegion: '吉林省长春市',
      originOffice: null,
      chain: '新能源',
      projectType: '工业',
      channels: null,
      stage: '落地',
      firstTalkUnitCode: 'LY-DL',
      hostUnitCode: 'LY-DL',
      owner: '曹宇',
      plannedFen: '4.5亿',
      contractFen: '45000万',
      signedOn: '2025年6月10日',
      startedOn: day('2025-08-01'),
      landedOn: day('2025-11-20'),
      lastProgressOn: day('2026-01-20'),
      transferredTo: null,
      note: null,
    },
    {
      code: 'LY2026-004',
      name: '矿山机械智能装备项目',
      investor: '沈阳重型机械集团',
      investorRegion: '辽宁省沈阳市',
      originOffice: null,
      chain: '装备制造',
      projectType: '工业',
      channels: null,
      stage: '意向',
      firstTalkUnitCode: 'LY-SW',
      hostUnitCode: 'LY-GX',
      owner: '叶青',
      plannedFen: '5.5亿',
      contractFen: null,
      signedOn: null,
      startedOn: null,
      landedOn: null,
      lastProgressOn: '2026-01-08',
      transferredTo: null,
      note: '已签订投资意向书',
    },
    {
      code: 'LY2026-005',
      name: '储能电站示范项目',
      investor: '宁德时代新能源科技股份有限公司',
      investorRegion: '福建省宁德市',
      investorRegionCode: '350900',
      originOffice: '深圳',
      chain: '新能源链',
      projectType: '其他',
      channels: '驻外办事处、以商招商',
      stage: '谋划',
      firstTalkUnitCode: 'LY-GX',
      hostUnitCode: 'LY-GX',
      owner: '叶青',
      plannedFen: '6亿',
      contractFen: null,
      signedOn: null,
      startedOn: null,
      landedOn: null,
      lastProgressOn: null,
      transferredTo: null,
      note: null,
    },
    {
      code: 'LY2026-006',
      name: '工业遗址文创园',
      investor: '华侨城集团',
      investorRegion: '广东省深圳市',
      originOffice: '深圳',
      chain: null,
      projectType: '其他',
      channels: '驻外办事处、以商招商',
      stage: '终止',
      firstTalkUnitCode: 'LY-LS',
      hostUnitCode: 'LY-LS',
      owner: '邓欣',
      plannedFen: '1.2亿',
      contractFen: null,
      signedOn: null,
      startedOn: null,
      landedOn: null,
      lastProgressOn: null,
      transferredTo: null,
      note: '投资方战略调整，项目终止',
    },
    {
      code: 'LY2026-007',
      name: '农机装备制造基地',
      investor: '潍柴雷沃智慧农业科技股份有限公司',
      investorRegion: '山东省潍坊市',
      originOffice: null,
      chain: '装备制造',
      projectType: '工业',
      channels: null,
      stage: '转移',
      firstTalkUnitCode: 'LY-DL',
      hostUnitCode: 'LY-DL',
      owner: '曹宇',
      plannedFen: '3亿',
      contractFen: null,
      signedOn: null,
      startedOn: null,
      landedOn: null,
      lastProgressOn: null,
      transferredTo: '四平市',
      note: '洽谈超过半年无实质性进展，转由四平市洽谈',
    },
    {
      code: 'LY2026-008',
      name: '高端纺织面料生产线',
      investor: '江苏盛虹纺织集团',
      investorRegion: '江苏省苏州市',
      originOffice: '上海',
      chain: '袜业纺织',
      projectType: '工业',
      channels: '驻外办事处、以商招商',
      stage: '签约',
      firstTalkUnitCode: 'LY-DF',
      hostUnitCode: 'LY-DF',
      owner: '吴磊',
      plannedFen: '3.5亿',
      contractFen: '3亿',
      signedOn: day('2026-01-15'),
      startedOn: null,
      landedOn: null,
      lastProgressOn: day('2026-01-15'),
      transferredTo: null,
      note: null,
    },
  ],
  funds: [
    { projectCode: 'LY2026-001', date: '2026-04-10', fen: '2亿', evidenceKind: '银行进账单', status: '已核实' },
    { projectCode: 'LY2026-003', date: '2025-09-01', fen: '1.5亿', evidenceKind: '验资报告', status: '已核实' },
    { projectCode: 'LY2026-003', date: day('2026-01-20'), fen: '8000万', evidenceKind: '银行进账单', status: '待核实' },
  ],
  groups: [
    { chatId: 'oc_example_city_mechanism', name: '辽源市招商引资服务促进机制群', bindingKind: '单位', target: 'LY' },
    { chatId: 'oc_example_city_convenors', name: '辽源市招商机制召集人群', bindingKind: '召集人', target: 'LY' },
    { chatId: 'oc_example_chain_xny', name: '新能源产业链工作群', bindingKind: '产业链', target: '新能源' },
    { chatId: 'oc_example_centre', name: '市项目管理和推进中心群', bindingKind: '项目中心', target: 'LY-XM' },
  ],
  targets: [
    { unitCode: 'LY-DF', year: 2026, trips: 5, signedBig: 5, landed: 2 },
    { unitCode: 'LY-DL', year: 2026, trips: 5, signedBig: 5, landed: 2 },
    { unitCode: 'LY-GX', year: 2026, trips: 8, signedBig: 6, landed: 3 },
  ],
  orgs: [
    { name: '辽源市供电公司', governmentCode: 'LY', kind: '供电', contactName: '孙立', contactOpenId: null },
    { name: '东丰县自来水公司', governmentCode: 'LY-DF', kind: '供水', contactName: '李强', contactOpenId: null },
  ],
  evaluations: [{ projectCode: 'LY2026-001', date: '2026-02-20', conclusion: '同意签约', note: '市项目评审会论证' }],
  problems: [
    {
      projectCode: 'LY2026-001',
      description: '升压站并网接入需供电公司批复',
      category: '能源',
      raisedOn: '2026-04-01',
      dueOn: '2026-04-16',
      mustActUnitCode: null,
      mustActOrg: '辽源市供电公司',
      status: '未办结',
      resolvedOn: null,
      resolution: null,
    },
    {
      projectCode: 'LY2026-008',
      description: '厂房用地指标待落实',
      category: '土地',
      raisedOn: '2026-02-01',
      dueOn: '2026-04-01',
      mustActUnitCode: 'LY-DF',
      mustActOrg: null,
      status: '已办结',
      resolvedOn: '2026-03-20',
      resolution: '县自然资源局已调剂用地指标',
    },
  ],
};

/** Lists offered as drop-downs (a hint only: other spellings the reader accepts are not refused by Excel). */
function dropDowns(): Partial<Record<SheetId, Record<string, string[]>>> {
  return {
    units: { kind: unitKinds.ids.map(unitKinds.label) },
    projects: { stage: STAGES.map(stageLabel) },
    funds: { evidenceKind: evidenceKinds.ids.map(evidenceKinds.label), status: fundStatuses.ids.map(fundStatuses.label) },
    groups: { bindingKind: bindingKinds.ids.map(bindingKinds.label) },
    orgs: { kind: orgKinds.ids.map(orgKinds.label) },
    problems: { category: problemCategories.ids.map(problemCategories.label), status: problemStatuses.ids.map(problemStatuses.label) },
  };
}

const REQUIRED_KEYS = {
  always: 'ledger.readme.required_always',
  new: 'ledger.readme.required_new',
  no: 'ledger.readme.required_no',
} as const satisfies Record<ColumnDef['required'], TemplateKey>;

/** A column's explanation; the ones about an enumeration list its words. */
function docText(c: ColumnDef): string {
  const sep = t('ledger.list_separator');
  switch (c.doc) {
    case 'ledger.doc.unit_kind':
      return t('ledger.doc.unit_kind', { options: unitKinds.options() });
    case 'ledger.doc.roles':
      return t('ledger.doc.roles', { options: roles.options() });
    case 'ledger.doc.stage':
      return t('ledger.doc.stage', { options: STAGES.map(stageLabel).join(sep) });
    case 'ledger.doc.evidence_kind':
      return t('ledger.doc.evidence_kind', { options: evidenceKinds.options() });
    case 'ledger.doc.fund_status':
      return t('ledger.doc.fund_status', { options: fundStatuses.options() });
    case 'ledger.doc.binding_kind':
      return t('ledger.doc.binding_kind', { options: bindingKinds.options() });
    case 'ledger.doc.org_kind':
      return t('ledger.doc.org_kind', { options: orgKinds.options() });
    case 'ledger.doc.problem_category':
      return t('ledger.doc.problem_category', { options: problemCategories.options() });
    case 'ledger.doc.problem_status':
      return t('ledger.doc.problem_status', { options: problemStatuses.options() });
    default:
      return t(c.doc as Parameters<typeof t>[0]);
  }
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', wrapText: true };
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL;
  });
}

function readme(wb: ExcelJS.Workbook): void {
  const ws = wb.addWorksheet(readmeSheetLabel());
  ws.columns = [{ width: 12 }, { width: 22 }, { width: 12 }, { width: 80 }];
  const title = ws.addRow([t('ledger.readme.title')]);
  title.font = { bold: true, size: 14 };
  for (const key of [
    'ledger.readme.intro',
    'ledger.readme.keys',
    'ledger.readme.blank',
    'ledger.readme.amounts',
    'ledger.readme.dates',
    'ledger.readme.refs',
    'ledger.readme.csv',
  ] as const) {
    const row = ws.addRow([t(key)]);
    ws.mergeCells(row.number, 1, row.number, 4);
    row.alignment = { wrapText: true, vertical: 'top' };
    row.height = 36;
  }
  ws.addRow([]);
  const head = ws.addRow([
    t('ledger.readme.head_sheet'),
    t('ledger.readme.head_column'),
    t('ledger.readme.head_required'),
    t('ledger.readme.head_description'),
  ]);
  styleHeader(head);
  for (const id of SHEET_IDS) {
    for (const c of COLUMNS[id] as readonly ColumnDef[]) {
      const row = ws.addRow([sheetLabel(id), columnLabel(c), t(REQUIRED_KEYS[c.required]), docText(c)]);
      row.alignment = { wrapText: true, vertical: 'top' };
    }
  }
}

/** The template workbook as .xlsx bytes. */
export async function templateWorkbook(): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'zhaoshang-bot';
  readme(wb);
  const lists = dropDowns();
  for (const id of SHEET_IDS) {
    const cols = COLUMNS[id] as readonly ColumnDef[];
    const ws = wb.addWorksheet(sheetLabel(id), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = cols.map((c) => ({ width: c.width }));
    styleHeader(ws.addRow(cols.map(columnLabel)));
    for (const example of EXAMPLES[id]) {
      const row = ws.addRow(cols.map((c) => example[c.field] ?? null));
      cols.forEach((c, i) => {
        const cell = row.getCell(i + 1);
        if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd';
        // Codes and mobiles stay text, so Excel does not turn 13904379001 into 1.39E+10.
        else if (c.kind === 'code' || c.field === 'mobile') cell.numFmt = '@';
      });
    }
    for (const [field, options] of Object.entries(lists[id] ?? {})) {
      const index = cols.findIndex((c) => c.field === field) + 1;
      const letter = ws.getColumn(index).letter;
      // exceljs has worksheet.dataValidations (a range → rule map written as one sqref) but does not type it.
      (ws as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }).dataValidations.add(
        `${letter}2:${letter}5000`,
        {
          type: 'list',
          allowBlank: true,
          showErrorMessage: false,
          formulae: [`"${options.join(',')}"`],
        },
      );
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Writes the template to a file. */
export async function writeTemplate(path: string): Promise<void> {
  await writeFile(path, await templateWorkbook());
}
