// The ledger workbook's layout: sheets, their columns, and the enumerations written in cells.
//
// Every name a user sees (sheet, column, enumeration word) is rendered from prompts/ledger.ts, and the same rendered
// label is what the reader matches headers and cells against, so the template, the export and the import cannot
// disagree. The extra Chinese strings in this file are input vocabulary only: other spellings officers use.

import { t } from '../text.js';
import type { TemplateKey } from '../../prompts/index.js';
import type { schema } from '../store/db.js';
import { toHalfWidth } from '../domain/text.js';
import type { EvidenceKind } from '../domain/reporting.js';
import type { Channel, ProjectType } from '../domain/classification.js';
import type { ExternalOrgKind } from '../domain/problems.js';
import type { ProblemCategory } from '../domain/reporting.js';

// The sheets of issue 16 (external organisations, evaluations before signing, problems with due dates) come last:
// a workbook of the earlier layout reads as before.
export const SHEET_IDS = [
  'units',
  'people',
  'chains',
  'projects',
  'funds',
  'groups',
  'targets',
  'orgs',
  'evaluations',
  'problems',
] as const;
export type SheetId = (typeof SHEET_IDS)[number];

const SHEET_KEYS = {
  units: 'ledger.sheet.units',
  people: 'ledger.sheet.people',
  chains: 'ledger.sheet.chains',
  projects: 'ledger.sheet.projects',
  funds: 'ledger.sheet.funds',
  groups: 'ledger.sheet.groups',
  targets: 'ledger.sheet.targets',
  orgs: 'ledger.sheet.orgs',
  evaluations: 'ledger.sheet.evaluations',
  problems: 'ledger.sheet.problems',
} as const satisfies Record<SheetId, TemplateKey>;

/** The sheet's name in the workbook: 单位, 人员, 产业链, 项目, 到位资金, 群聊, 目标. */
export function sheetLabel(id: SheetId): string {
  return t(SHEET_KEYS[id]);
}

export function readmeSheetLabel(): string {
  return t('ledger.sheet.readme');
}

/** How a header or a sheet name is compared: full-width folded, spaces and required-markers dropped, lower case. */
export function normalizeName(s: string): string {
  return toHalfWidth(s)
    .replace(/[\s*]+/g, '')
    .replace(/[：:]$/, '')
    .toLowerCase();
}

/** The sheet a (normalised) sheet name refers to. */
export function sheetIdOf(name: string): SheetId | null {
  const n = normalizeName(name);
  for (const id of SHEET_IDS) if (normalizeName(sheetLabel(id)) === n) return id;
  const aliases: Record<string, SheetId> = {
    单位表: 'units',
    组织机构: 'units',
    人员表: 'people',
    人员名单: 'people',
    产业链表: 'chains',
    项目表: 'projects',
    项目台账: 'projects',
    项目清单: 'projects',
    资金到位: 'funds',
    到位资金表: 'funds',
    群: 'groups',
    群聊表: 'groups',
    目标表: 'targets',
    年度目标: 'targets',
    外部单位表: 'orgs',
    外部协作单位: 'orgs',
    评估: 'evaluations',
    项目评估表: 'evaluations',
    事前评估: 'evaluations',
    问题: 'problems',
    问题清单: 'problems',
    困难问题清单: 'problems',
  };
  return aliases[n] ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Columns

/**
 * text: a string; code: an identifier (spaces inside are dropped); amount: money parsed by domain/amount;
 * date: a calendar day; int: a non-negative integer; year: a four-digit year.
 */
export type ColumnKind = 'text' | 'code' | 'amount' | 'date' | 'int' | 'year';

/** When a column must be filled: always, only when the row creates a record, or never. */
export type Requirement = 'always' | 'new' | 'no';

export interface ColumnDef {
  field: string;
  key: TemplateKey;
  kind: ColumnKind;
  /** The column must exist in the sheet's header (the row key). */
  keyColumn?: boolean;
  required: Requirement;
  /** Other spellings of the header officers use. */
  aliases?: readonly string[];
  /** Description in the 说明 sheet. */
  doc: TemplateKey;
  /** Width in the template, in characters. */
  width: number;
}

const col = (
  field: string,
  key: TemplateKey,
  kind: ColumnKind,
  required: Requirement,
  doc: TemplateKey,
  width: number,
  extra: { keyColumn?: boolean; aliases?: readonly string[] } = {},
): ColumnDef => ({ field, key, kind, required, doc, width, ...extra });

export const COLUMNS = {
  units: [
    col('code', 'ledger.col.unit_code', 'code', 'always', 'ledger.doc.unit_code', 14, { keyColumn: true, aliases: ['编码', '单位代码'] }),
    col('name', 'ledger.col.unit_name', 'text', 'new', 'ledger.doc.unit_name', 28, { aliases: ['名称', '单位'] }),
    col('kind', 'ledger.col.unit_kind', 'text', 'new', 'ledger.doc.unit_kind', 10, { aliases: ['单位类型', '级别'] }),
    col('parentCode', 'ledger.col.parent_code', 'code', 'no', 'ledger.doc.parent_code', 14, { aliases: ['上级编码', '上级单位'] }),
  ],
  people: [
    col('name', 'ledger.col.person_name', 'text', 'always', 'ledger.doc.person_name', 10, {
      keyColumn: true,
      aliases: ['人员姓名', '名字'],
    }),
    col('unitCode', 'ledger.col.unit_code', 'code', 'always', 'ledger.doc.person_unit_code', 14, {
      keyColumn: true,
      aliases: ['所在单位编码', '单位代码'],
    }),
    col('roles', 'ledger.col.roles', 'text', 'no', 'ledger.doc.roles', 22, { aliases: ['角色类型', '身份'] }),
    col('title', 'ledger.col.title', 'text', 'no', 'ledger.doc.title', 22, { aliases: ['职位'] }),
    col('mobile', 'ledger.col.mobile', 'text', 'no', 'ledger.doc.mobile', 14, { aliases: ['手机号', '手机号码', '电话', '联系电话'] }),
    col('email', 'ledger.col.email', 'text', 'no', 'ledger.doc.email', 26, { aliases: ['电子邮箱', '邮件'] }),
    col('openId', 'ledger.col.open_id', 'text', 'no', 'ledger.doc.open_id', 24, { aliases: ['openid', 'open_id', '飞书openid'] }),
  ],
  chains: [
    col('name', 'ledger.col.chain_name', 'text', 'always', 'ledger.doc.chain_name', 14, { keyColumn: true, aliases: ['产业链', '链名称'] }),
    col('aliases', 'ledger.col.aliases', 'text', 'no', 'ledger.doc.aliases', 20, { aliases: ['其他名称'] }),
    col('leader', 'ledger.col.chain_leader', 'text', 'no', 'ledger.doc.chain_leader', 12),
    col('secretary', 'ledger.col.secretary', 'text', 'no', 'ledger.doc.secretary', 12, { aliases: ['秘书'] }),
    col('leadUnitCode', 'ledger.col.lead_unit_code', 'code', 'no', 'ledger.doc.lead_unit_code', 14, { aliases: ['牵头单位'] }),
    // Whose chain it is (chains are per government): empty means the government of the lead unit.
    col('governmentCode', 'ledger.col.chain_government', 'code', 'no', 'ledger.doc.chain_government', 14, {
      aliases: ['所属政府', '所属地区编码', '政府编码'],
    }),
    col('parentChain', 'ledger.col.parent_chain', 'text', 'no', 'ledger.doc.parent_chain', 14, { aliases: ['上级链', '所属省级产业链'] }),
  ],
  projects: [
    col('code', 'ledger.col.project_code', 'code', 'always', 'ledger.doc.project_code', 14, {
      keyColumn: true,
      aliases: ['项目编码', '编号'],
    }),
    col('name', 'ledger.col.project_name', 'text', 'new', 'ledger.doc.project_name', 30, { aliases: ['名称', '项目'] }),
    col('investor', 'ledger.col.investor', 'text', 'no', 'ledger.doc.investor', 28, {
      aliases: ['投资方名称', '投资主体', '投资企业', '投资单位'],
    }),
    col('investorRegion', 'ledger.col.investor_region', 'text', 'no', 'ledger.doc.investor_region', 16, {
      aliases: ['投资方所在地区', '投资来源地', '投资方来源地'],
    }),
    col('investorRegionCode', 'ledger.col.investor_region_code', 'code', 'no', 'ledger.doc.investor_region_code', 12, {
      aliases: ['投资方地区代码', '地区代码', '行政区划代码'],
    }),
    col('originOffice', 'ledger.col.origin_office', 'text', 'no', 'ledger.doc.origin_office', 12, { aliases: ['招商站', '来源办事处'] }),
    col('chain', 'ledger.col.chain', 'text', 'no', 'ledger.doc.chain', 12, { aliases: ['所属产业链', '产业链名称'] }),
    col('projectType', 'ledger.col.project_type', 'text', 'no', 'ledger.doc.project_type', 12, {
      aliases: ['项目性质', '行业类别', '项目分类'],
    }),
    col('channels', 'ledger.col.channels', 'text', 'no', 'ledger.doc.channels', 20, { aliases: ['招商方式', '来源渠道', '引进渠道'] }),
    col('stage', 'ledger.col.stage', 'text', 'new', 'ledger.doc.stage', 10, { aliases: ['阶段', '项目状态', '所处阶段'] }),
    col('firstTalkUnitCode', 'ledger.col.first_talk_unit_code', 'code', 'new', 'ledger.doc.first_talk_unit_code', 14, {
      aliases: ['首谈单位'],
    }),
    col('hostUnitCode', 'ledger.col.host_unit_code', 'code', 'new', 'ledger.doc.host_unit_code', 14, {
      aliases: ['承载地', '承载地单位编码', '落地地编码'],
    }),
    col('owner', 'ledger.col.owner', 'text', 'no', 'ledger.doc.owner', 12, { aliases: ['项目责任人', '项目负责人', '负责人'] }),
    col('plannedFen', 'ledger.col.planned_investment', 'amount', 'no', 'ledger.doc.planned_investment', 14, {
      aliases: ['总投资', '计划投资', '计划投资额'],
    }),
    col('contractFen', 'ledger.col.contract_amount', 'amount', 'no', 'ledger.doc.contract_amount', 14, {
      aliases: ['合同金额', '签约金额', '合同引资'],
    }),
    col('signedOn', 'ledger.col.signed_on', 'date', 'no', 'ledger.doc.date', 13, { aliases: ['签约时间'] }),
    col('startedOn', 'ledger.col.started_on', 'date', 'no', 'ledger.doc.date', 13, { aliases: ['开工时间'] }),
    col('landedOn', 'ledger.col.landed_on', 'date', 'no', 'ledger.doc.date', 13, { aliases: ['落地时间'] }),
    col('lastProgressOn', 'ledger.col.last_progress_on', 'date', 'no', 'ledger.doc.last_progress_on', 16, {
      aliases: ['最近进展日期', '实质性进展日期'],
    }),
    col('transferredTo', 'ledger.col.transferred_to', 'text', 'no', 'ledger.doc.transferred_to', 12, { aliases: ['转移至', '转入地'] }),
    col('note', 'ledger.col.note', 'text', 'no', 'ledger.doc.note', 30, { aliases: ['说明'] }),
    // The contract's agreed terms (001 三.四: 履约提醒函 on a missed one), added at the end of the sheet.
    col('agreedStartOn', 'ledger.col.agreed_start_on', 'date', 'no', 'ledger.doc.agreed_date', 14, {
      aliases: ['约定开工日期', '合同约定开工日期'],
    }),
    col('agreedInvestmentFen', 'ledger.col.agreed_investment', 'amount', 'no', 'ledger.doc.agreed_amount', 14, {
      aliases: ['约定投资额', '合同约定投资额'],
    }),
    col('agreedInvestmentBy', 'ledger.col.agreed_investment_by', 'date', 'no', 'ledger.doc.agreed_date', 14, {
      aliases: ['约定投资期限', '投资完成期限'],
    }),
    col('agreedOutputFen', 'ledger.col.agreed_output', 'amount', 'no', 'ledger.doc.agreed_amount', 14, {
      aliases: ['约定年产值', '约定产值'],
    }),
    col('agreedTaxFen', 'ledger.col.agreed_tax', 'amount', 'no', 'ledger.doc.agreed_amount', 14, { aliases: ['约定年税收', '约定税收'] }),
    col('agreedResultsBy', 'ledger.col.agreed_results_by', 'date', 'no', 'ledger.doc.agreed_date', 14, {
      aliases: ['约定达效期限', '达效期限'],
    }),
    // The service team lead (包保专班负责人, issue 16), after the agreed terms.
    col('teamLead', 'ledger.col.team_lead', 'text', 'no', 'ledger.doc.team_lead', 12, {
      aliases: ['包保专班负责人', '专班负责人姓名', '包保负责人'],
    }),
  ],
  funds: [
    col('projectCode', 'ledger.col.project_code', 'code', 'always', 'ledger.doc.fund_project_code', 14, {
      keyColumn: true,
      aliases: ['项目编码', '编号'],
    }),
    col('date', 'ledger.col.entry_date', 'date', 'always', 'ledger.doc.entry_date', 13, {
      keyColumn: true,
      aliases: ['到位日期', '到账日期'],
    }),
    col('fen', 'ledger.col.amount', 'amount', 'always', 'ledger.doc.amount', 14, {
      keyColumn: true,
      aliases: ['到位金额', '到位资金', '到账金额'],
    }),
    col('evidenceKind', 'ledger.col.evidence_kind', 'text', 'no', 'ledger.doc.evidence_kind', 14, { aliases: ['凭证'] }),
    col('status', 'ledger.col.fund_status', 'text', 'no', 'ledger.doc.fund_status', 10, { aliases: ['状态', '是否核实'] }),
  ],
  groups: [
    col('chatId', 'ledger.col.chat_id', 'code', 'always', 'ledger.doc.chat_id', 26, {
      keyColumn: true,
      aliases: ['chat_id', 'chatid', '群聊ID'],
    }),
    col('name', 'ledger.col.chat_name', 'text', 'no', 'ledger.doc.chat_name', 30, { aliases: ['群名'] }),
    col('bindingKind', 'ledger.col.binding_kind', 'text', 'no', 'ledger.doc.binding_kind', 10, { aliases: ['类型'] }),
    col('target', 'ledger.col.binding_target', 'text', 'no', 'ledger.doc.binding_target', 14, { aliases: ['绑定单位', '绑定范围'] }),
  ],
  targets: [
    col('unitCode', 'ledger.col.unit_code', 'code', 'always', 'ledger.doc.target_unit_code', 14, { keyColumn: true }),
    col('year', 'ledger.col.year', 'year', 'always', 'ledger.doc.year', 8, { keyColumn: true, aliases: ['年份'] }),
    col('trips', 'ledger.col.trips', 'int', 'new', 'ledger.doc.target_count', 14, { aliases: ['外出招商'] }),
    col('signedBig', 'ledger.col.signed_big', 'int', 'new', 'ledger.doc.target_count', 20, { aliases: ['签约项目数'] }),
    col('landed', 'ledger.col.landed_count', 'int', 'new', 'ledger.doc.target_count', 12, { aliases: ['落地项目'] }),
  ],
  // 外部单位: parties outside government that may have to act on a problem, per government (name + government).
  orgs: [
    col('name', 'ledger.col.org_name', 'text', 'always', 'ledger.doc.org_name', 24, { keyColumn: true, aliases: ['单位名称', '名称'] }),
    col('governmentCode', 'ledger.col.chain_government', 'code', 'always', 'ledger.doc.org_government', 14, {
      keyColumn: true,
      aliases: ['政府编码', '所属地区编码'],
    }),
    col('kind', 'ledger.col.org_kind', 'text', 'no', 'ledger.doc.org_kind', 10, { aliases: ['类别', '类型', '单位类型'] }),
    col('contactName', 'ledger.col.contact_name', 'text', 'no', 'ledger.doc.contact_name', 10, { aliases: ['联系人姓名', '对接人'] }),
    col('contactOpenId', 'ledger.col.contact_open_id', 'text', 'no', 'ledger.doc.contact_open_id', 24, {
      aliases: ['联系人openid', '联系人open_id'],
    }),
  ],
  // 项目评估: the evaluation before signing (001 三.四 事前综合评估), one row per project and day.
  evaluations: [
    col('projectCode', 'ledger.col.project_code', 'code', 'always', 'ledger.doc.evaluation_project_code', 14, {
      keyColumn: true,
      aliases: ['项目编码', '编号'],
    }),
    col('date', 'ledger.col.evaluated_on', 'date', 'always', 'ledger.doc.evaluated_on', 13, { keyColumn: true, aliases: ['评估时间'] }),
    col('conclusion', 'ledger.col.conclusion', 'text', 'new', 'ledger.doc.conclusion', 20, { aliases: ['结论', '评估意见'] }),
    col('note', 'ledger.col.evaluation_note', 'text', 'no', 'ledger.doc.evaluation_note', 30, { aliases: ['说明', '备注', '附件说明'] }),
  ],
  // 困难问题: with the party that must act (a unit, or an external organisation) and the due date (001 三.六 限时推进).
  problems: [
    col('projectCode', 'ledger.col.project_code', 'code', 'always', 'ledger.doc.problem_project_code', 14, {
      keyColumn: true,
      aliases: ['项目编码', '编号'],
    }),
    col('description', 'ledger.col.problem_description', 'text', 'always', 'ledger.doc.problem_description', 36, {
      keyColumn: true,
      aliases: ['问题', '困难问题', '问题内容'],
    }),
    col('category', 'ledger.col.problem_category', 'text', 'new', 'ledger.doc.problem_category', 10, { aliases: ['类别', '问题类型'] }),
    col('raisedOn', 'ledger.col.raised_on', 'date', 'no', 'ledger.doc.raised_on', 13, { aliases: ['提出时间', '反映日期'] }),
    col('dueOn', 'ledger.col.due_on', 'date', 'no', 'ledger.doc.due_on', 13, { aliases: ['限时', '办结期限', '限办日期'] }),
    col('mustActUnitCode', 'ledger.col.must_act_unit_code', 'code', 'no', 'ledger.doc.must_act_unit_code', 14, {
      aliases: ['责任单位', '承办单位编码'],
    }),
    col('mustActOrg', 'ledger.col.must_act_org', 'text', 'no', 'ledger.doc.must_act_org', 20, { aliases: ['外部单位', '责任企业'] }),
    col('status', 'ledger.col.problem_status', 'text', 'no', 'ledger.doc.problem_status', 10, { aliases: ['状态', '是否办结'] }),
    col('resolvedOn', 'ledger.col.resolved_on', 'date', 'no', 'ledger.doc.resolved_on', 13, { aliases: ['解决日期'] }),
    col('resolution', 'ledger.col.resolution', 'text', 'no', 'ledger.doc.resolution', 30, { aliases: ['处理情况', '解决情况'] }),
  ],
} as const satisfies Record<SheetId, readonly ColumnDef[]>;

export function columnLabel(c: ColumnDef): string {
  return t(c.key);
}

/**
 * A header split into its name and a unit hint in brackets: "计划总投资（万元）" → 计划总投资 + 万元. Other bracketed
 * notes ("（必填）") are dropped.
 */
export function splitHeader(header: string): { name: string; unit: 'yuan' | 'wan' | 'yi' | null } {
  const half = toHalfWidth(header).trim();
  let unit: 'yuan' | 'wan' | 'yi' | null = null;
  const name = half.replace(/[([【]([^)\]】]*)[)\]】]/g, (_, inner: string) => {
    const u = inner.replace(/\s+/g, '').replace(/^单位[:：]?/, '');
    if (u === '万元' || u === '万') unit = 'wan';
    else if (u === '亿元' || u === '亿') unit = 'yi';
    else if (u === '元') unit = 'yuan';
    return '';
  });
  return { name: normalizeName(name), unit };
}

/** The column a header names, in the given sheet. */
export function matchColumn(sheet: SheetId, header: string): ColumnDef | null {
  const { name } = splitHeader(header);
  if (name === '') return null;
  const cols: readonly ColumnDef[] = COLUMNS[sheet];
  for (const c of cols) if (normalizeName(columnLabel(c)) === name) return c;
  for (const c of cols) if ((c.aliases ?? []).some((a) => normalizeName(a) === name)) return c;
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Enumerations written in cells

type UnitKind = (typeof schema.unitKind.enumValues)[number];
type Role = (typeof schema.role.enumValues)[number];
type BindingKind = (typeof schema.bindingKind.enumValues)[number];
type FundStatus = (typeof schema.fundStatus.enumValues)[number];
export type { EvidenceKind } from '../domain/reporting.js';

export interface Vocabulary<T extends string> {
  ids: readonly T[];
  label(id: T): string;
  parse(text: string): T | null;
  /** The labels joined for a message: 省、市、县… */
  options(): string;
}

function vocabulary<T extends string>(labels: Record<T, TemplateKey>, synonyms: Partial<Record<T, readonly string[]>>): Vocabulary<T> {
  const ids = Object.keys(labels) as T[];
  let index: Map<string, T> | null = null;
  const build = () => {
    const m = new Map<string, T>();
    for (const id of ids) {
      m.set(normalizeName(id), id);
      m.set(normalizeName(t(labels[id])), id);
    }
    for (const id of ids) for (const s of synonyms[id] ?? []) if (!m.has(normalizeName(s))) m.set(normalizeName(s), id);
    return m;
  };
  return {
    ids,
    label: (id) => t(labels[id]),
    parse: (text) => (index ??= build()).get(normalizeName(text)) ?? null,
    options: () => ids.map((id) => t(labels[id])).join(t('ledger.list_separator')),
  };
}

export const unitKinds = vocabulary<UnitKind>(
  {
    province: 'ledger.unit_kind.province',
    city: 'ledger.unit_kind.city',
    county: 'ledger.unit_kind.county',
    district: 'ledger.unit_kind.district',
    zone: 'ledger.unit_kind.zone',
    department: 'ledger.unit_kind.department',
    centre: 'ledger.unit_kind.centre',
  },
  {
    province: ['省级', '省份', '自治区'],
    city: ['市级', '市州', '地级市', '州', '地区'],
    county: ['县级', '县级市', '县市', '旗'],
    district: ['市辖区', '城区'],
    zone: ['园区', '开发区（园区）', '高新区', '经开区', '经济开发区', '工业园区'],
    department: ['厅', '局', '委', '办', '部门单位', '委办局'],
    centre: ['项目中心', '推进中心', '事业单位'],
  },
);

export const roles = vocabulary<Role>(
  {
    owner: 'ledger.role.owner',
    unit_lead: 'ledger.role.unit_lead',
    dept_lead: 'ledger.role.dept_lead',
    convenor: 'ledger.role.convenor',
    chief_convenor: 'ledger.role.chief_convenor',
    chain_leader: 'ledger.role.chain_leader',
    secretary: 'ledger.role.secretary',
    admin: 'ledger.role.admin',
    checker: 'ledger.role.checker',
  },
  {
    owner: ['责任人', '项目负责人'],
    unit_lead: ['单位领导', '单位主要负责人'],
    dept_lead: ['部门负责人'],
    convenor: ['副召集人'],
    chain_leader: ['产业链链长'],
    secretary: ['秘书'],
    admin: ['系统管理员'],
    checker: ['核查员', '到位资金核查', '资金核查'],
  },
);

export const bindingKinds = vocabulary<BindingKind>(
  {
    unit: 'ledger.binding.unit',
    chain: 'ledger.binding.chain',
    centre: 'ledger.binding.centre',
    convenor: 'ledger.binding.convenor',
  },
  {
    unit: ['机制群', '单位群'],
    chain: ['链', '产业链群', '产业链工作群'],
    centre: ['中心', '项目管理和推进中心'],
    convenor: ['召集人群'],
  },
);

export const fundStatuses = vocabulary<FundStatus>(
  {
    verified: 'ledger.fund_status.verified',
    reported: 'ledger.fund_status.reported',
    rejected: 'ledger.fund_status.rejected',
  },
  {
    verified: ['核实', '已认定', '是'],
    reported: ['未核实', '已上报', '上报', '否'],
    rejected: ['驳回', '已驳回', '未认定'],
  },
);

export const evidenceKinds = vocabulary<EvidenceKind>(
  {
    bank_statement: 'ledger.evidence.bank_statement',
    capital_verification: 'ledger.evidence.capital_verification',
    invoice: 'ledger.evidence.invoice',
    other: 'ledger.evidence.other',
  },
  {
    bank_statement: ['银行回单', '进账单', '银行流水', '银行进账'],
    capital_verification: ['验资'],
    invoice: ['发票', '付款凭证'],
  },
);

export const projectTypes = vocabulary<ProjectType>(
  {
    industry: 'ledger.project_type.industry',
    producer_services: 'ledger.project_type.producer_services',
    agriculture: 'ledger.project_type.agriculture',
    tourism: 'ledger.project_type.tourism',
    infrastructure: 'ledger.project_type.infrastructure',
    other: 'ledger.project_type.other',
  },
  {
    industry: ['工业项目', '制造业', '工业类'],
    producer_services: ['生产性服务', '生产性服务业项目'],
    agriculture: ['农业项目', '现代农业'],
    tourism: ['文化旅游', '文旅项目', '旅游'],
    infrastructure: ['基础设施项目', '基建'],
    other: ['其它'],
  },
);

export const channels = vocabulary<Channel>(
  {
    outside_office: 'ledger.channel.outside_office',
    chamber: 'ledger.channel.chamber',
    commissioned: 'ledger.channel.commissioned',
    business_referral: 'ledger.channel.business_referral',
    paired_cooperation: 'ledger.channel.paired_cooperation',
    other: 'ledger.channel.other',
  },
  {
    outside_office: ['驻外办事处', '招商驻点', '驻点招商', '招商站', '工作站'],
    chamber: ['商会', '协会', '商协会招商'],
    commissioned: ['委托招商', '招商顾问', '中介招商', '第三方机构'],
    business_referral: ['以企引企', '以商引商'],
    paired_cooperation: ['对口合作城市', '区域合作'],
    other: ['其它'],
  },
);

export const orgKinds = vocabulary<ExternalOrgKind>(
  {
    power: 'problems.org_kind.power',
    water: 'problems.org_kind.water',
    gas: 'problems.org_kind.gas',
    bank: 'problems.org_kind.bank',
    soe: 'problems.org_kind.soe',
    other: 'problems.org_kind.other',
  },
  {
    power: ['电力', '供电公司', '电网'],
    water: ['水务', '自来水'],
    gas: ['燃气公司', '天然气'],
    bank: ['金融', '金融机构'],
    soe: ['国有企业', '国有'],
    other: ['其它'],
  },
);

export const problemCategories = vocabulary<ProblemCategory>(
  {
    land: 'status.category.land',
    plant: 'status.category.plant',
    funds: 'status.category.funds',
    energy: 'status.category.energy',
    approval: 'status.category.approval',
    talent: 'status.category.talent',
    other: 'status.category.other',
  },
  {
    land: ['用地', '土地问题'],
    plant: ['厂房问题', '标准厂房'],
    funds: ['融资', '资金问题'],
    energy: ['水电气', '用电', '用水', '用气', '能耗'],
    approval: ['审批手续', '手续', '行政审批'],
    talent: ['用工', '人才问题'],
    other: ['其它'],
  },
);

/** A problem's state in the ledger: open (未办结) or closed (已办结). */
export const problemStatuses = vocabulary<'open' | 'closed'>(
  { open: 'ledger.problem_status.open', closed: 'ledger.problem_status.closed' },
  { open: ['未解决', '办理中', '未完成', '否'], closed: ['已解决', '已完成', '办结', '是'] },
);

export type { UnitKind, Role, BindingKind, FundStatus };
