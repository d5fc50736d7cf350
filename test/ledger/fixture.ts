// Ledger workbooks built in code (no binary fixtures): a generic sheet writer and a realistic city ledger with every
// sheet, amounts and dates written the many ways officers write them. Also used by bench/ledger-import.ts.

import ExcelJS from 'exceljs';

export type Cell = string | number | Date | null;
export type Sheets = Record<string, Cell[][]>;

/** An .xlsx with the given sheets (first row of each is its header). Dates become date-formatted cells. */
export async function xlsx(sheets: Sheets): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) {
      const row = ws.addRow(r);
      r.forEach((v, i) => {
        if (v instanceof Date) row.getCell(i + 1).numFmt = 'yyyy-mm-dd';
      });
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same, written with exceljs's streaming writer straight to a file (for very large sheets). */
export async function xlsxFile(path: string, sheets: Record<string, Iterable<Cell[]>>): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) {
      const row = ws.addRow(r);
      r.forEach((v, i) => {
        if (v instanceof Date) row.getCell(i + 1).numFmt = 'yyyy-mm-dd';
      });
      row.commit();
    }
    ws.commit();
  }
  await wb.commit();
}

export const utcDay = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** Deterministic pseudo-random numbers (mulberry32), so a failing test can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const UNIT_HEADER = ['单位编码', '单位名称', '类型', '上级单位编码'];
export const PEOPLE_HEADER = ['姓名', '单位编码', '角色', '手机', '邮箱', '飞书ID'];
export const CHAIN_HEADER = ['产业链名称', '链长', '服务秘书', '牵头单位编码'];
export const PROJECT_HEADER = [
  '项目编号',
  '项目名称',
  '投资方',
  '投资方所在地',
  '产业链',
  '项目阶段',
  '首谈单位编码',
  '承载地编码',
  '责任人',
  '计划总投资',
  '合同引资额',
  '签约日期',
  '开工日期',
  '落地日期',
  '最近实质性进展日期',
  '备注',
];
export const FUND_HEADER = ['项目编号', '日期', '金额', '凭证类型', '核实状态'];
export const GROUP_HEADER = ['群ID', '群名称', '绑定类型', '绑定对象'];
export const TARGET_HEADER = ['单位编码', '年度', '外出招商次数', '签约5000万以上项目数', '落地项目数'];

export const CITY_UNITS: Cell[][] = [
  ['JL', '吉林省', '省', null],
  ['LY', '辽源市', '市', 'JL'],
  ['LY-DF', '东丰县', '县', 'LY'],
  ['LY-DL', '东辽县', '县', 'LY'],
  ['LY-LS', '龙山区', '区', 'LY'],
  ['LY-XA', '西安区', '区', 'LY'],
  ['LY-GX', '辽源高新技术产业开发区', '开发区', 'LY'],
  ['LY-SW', '辽源市商务局', '部门', 'LY'],
  ['LY-FG', '辽源市发展和改革委员会', '部门', 'LY'],
  ['LY-GXJ', '辽源市工业和信息化局', '部门', 'LY'],
  ['LY-XM', '辽源市项目管理和推进中心', '中心', 'LY'],
  ['LY-DF-SW', '东丰县商务局', '部门', 'LY-DF'],
];

export const COUNTIES = ['LY-DF', 'LY-DL', 'LY-LS', 'LY-XA', 'LY-GX'];
export const CHAINS = ['袜业纺织', '农产品加工', '装备制造', '医药健康', '冶金建材', '新能源', '新文旅', '未来经济'];
const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
  '建华',
  '海燕',
  '志强',
  '晓东',
  '红梅',
  '立新',
];
const INVESTORS = [
  '华润',
  '中粮',
  '国家电投',
  '华能',
  '宁德时代',
  '比亚迪',
  '海尔',
  '美的',
  '修正药业',
  '同仁堂',
  '娃哈哈',
  '万达',
  '华侨城',
  '京东方',
  '商汤',
  '亿航',
  '一汽富维',
  '远大住宅',
  '北新建材',
  '正泰',
];
const REGIONS = [
  '北京市',
  '上海市',
  '广东省深圳市',
  '浙江省杭州市',
  '江苏省苏州市',
  '山东省青岛市',
  '吉林省长春市',
  '辽宁省沈阳市',
  '福建省宁德市',
  '天津市',
];
const KINDS = ['产业园', '生产线', '基地', '加工项目', '示范项目', '综合体', '研发中心', '仓储中心'];

export const mobileOf = (i: number) => `1390437${String(5000 + i).padStart(4, '0')}`;

export interface RealisticLedger {
  sheets: Sheets;
  /** Expected counts after import. */
  expect: { units: number; people: number; chains: number; projects: number; funds: number; groups: number; targets: number };
  /** The stage each project code was given (English id). */
  stages: Map<string, string>;
}

const STAGE_WORDS: [string, string][] = [
  ['planning', '谋划'],
  ['negotiating', '洽谈'],
  ['intent', '意向'],
  ['signed', '签约'],
  ['landed', '落地'],
  ['dropped', '终止'],
  ['transferred', '转移'],
  ['negotiating', '在谈'],
  ['signed', '已签约'],
  ['planning', '谋划库'],
];

/**
 * A city's ledger: 12 units, 48 people (two namesakes 张伟 told apart by mobile, one officer without a mobile),
 * the 8 chains, `projects` projects over every stage, fund entries for signed and landed ones, group chats and
 * targets.
 */
export function realisticLedger(projects = 300, seed = 42): RealisticLedger {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

  const people: Cell[][] = [PEOPLE_HEADER];
  const owners: { ref: string; unit: string }[] = [];
  let n = 0;
  const used = new Set<string>();
  const add = (name: string, unit: string, roles: string, mobile: string | null) => {
    people.push([name, unit, roles, mobile, mobile ? `p${n}@liaoyuan.example.gov.cn` : null, null]);
    n++;
  };
  add('刘国强', 'LY', '总召集人', mobileOf(0));
  add('陈刚', 'LY', '召集人、链长', mobileOf(1));
  add('王建', 'LY', '召集人,链长', mobileOf(2));
  add('李华', 'LY', '链长', mobileOf(3));
  add('张伟', 'LY-SW', '部门领导、管理员', mobileOf(4));
  add('张伟', 'LY-DF', '项目责任人', mobileOf(5)); // a namesake: referenced by mobile, or by name within 东丰县
  add('赵敏', 'LY-GXJ', '服务秘书，项目责任人', mobileOf(6));
  add('孙丽', 'LY-FG', '服务秘书', mobileOf(7));
  add('邓欣', 'LY-LS', '项目责任人', null); // no mobile: keyed by name + unit
  for (const u of ['刘国强', '陈刚', '王建', '李华', '张伟', '赵敏', '孙丽', '邓欣']) used.add(u);
  owners.push({ ref: mobileOf(5), unit: 'LY-DF' }, { ref: '邓欣', unit: 'LY-LS' });
  while (n < 48) {
    const name = pick([...SURNAMES]) + pick(GIVEN);
    if (used.has(name)) continue;
    used.add(name);
    const unit = COUNTIES[n % COUNTIES.length]!;
    add(name, unit, n % 7 === 0 ? '单位负责人、召集人' : '项目责任人', mobileOf(n));
    owners.push({ ref: n % 3 === 0 ? mobileOf(n - 1) : name, unit });
  }

  const chains: Cell[][] = [CHAIN_HEADER];
  CHAINS.forEach((c, i) => chains.push([c, ['陈刚', '王建', '李华'][i % 3]!, i % 2 ? '赵敏' : mobileOf(7), i % 2 ? 'LY-GXJ' : 'LY-FG']));

  const projectsSheet: Cell[][] = [PROJECT_HEADER];
  const funds: Cell[][] = [FUND_HEADER];
  const stages = new Map<string, string>();
  const amountWays = [
    (wan: number) => `${wan}万`,
    (wan: number) => `${wan / 10000}亿`,
    (wan: number) => `${wan.toLocaleString('en-US')}万元`,
    (wan: number) => wan, // a bare number: 万元
    (wan: number) => `${wan * 10000}元`,
  ];
  const dateWays = [
    (d: string) => d,
    (d: string) => d.replace(/-0?/g, '/'),
    (d: string) => `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`,
    (d: string) => utcDay(d),
  ];
  const day = (y: number) =>
    `${y}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
  let fundCount = 0;
  for (let i = 1; i <= projects; i++) {
    const code = `LY${2025 + (i % 2)}-${String(i).padStart(5, '0')}`;
    const [stage, word] = STAGE_WORDS[i % STAGE_WORDS.length]!;
    stages.set(code, stage);
    const owner = owners[i % owners.length]!;
    const county = owner.unit;
    const planned = (1 + Math.floor(r() * 200)) * 500; // 万元
    const signed = stage === 'signed' || stage === 'landed';
    const signedOn = signed ? day(2025) : null;
    const landedOn = stage === 'landed' ? `2026-${signedOn!.slice(5)}` : null;
    const fmt = pick(amountWays);
    const dfmt = pick(dateWays);
    projectsSheet.push([
      code,
      `${pick(INVESTORS)}${pick(CHAINS)}${pick(KINDS)}${i}`,
      `${pick(INVESTORS)}集团有限公司`,
      pick(REGIONS),
      i % 11 === 0 ? null : i % 5 === 0 ? `${CHAINS[i % 8]}链` : CHAINS[i % 8]!,
      word,
      i % 4 === 0 ? 'LY-SW' : county,
      county,
      owner.ref,
      fmt(planned),
      signed ? fmt(Math.max(500, planned - 500)) : null,
      signedOn ? dfmt(signedOn) : null,
      landedOn ? dfmt(`2026-01-0${1 + (i % 9)}`) : null,
      landedOn ? dfmt(landedOn) : null,
      i % 3 === 0 ? dfmt(day(2026)) : null,
      i % 13 === 0 ? `第${i}号项目备注，含逗号,和"引号"` : null,
    ]);
    if (signed) {
      const entries = 1 + (i % 2);
      for (let k = 0; k < entries; k++) {
        funds.push([
          code,
          dfmt(`2026-0${1 + k * 3}-1${k}`),
          `${500 * (k + 1) + i}万`,
          k ? '验资报告' : '银行进账单',
          k ? '待核实' : '已核实',
        ]);
        fundCount++;
      }
    }
  }

  const groups: Cell[][] = [GROUP_HEADER];
  groups.push(['oc_ly_mechanism', '辽源市招商引资服务促进机制群', '单位', 'LY']);
  groups.push(['oc_ly_convenors', '辽源市召集人群', '召集人', 'LY']);
  groups.push(['oc_ly_centre', '市项目管理和推进中心群', '项目中心', 'LY-XM']);
  for (const c of COUNTIES) groups.push([`oc_${c.toLowerCase().replace('-', '_')}`, `${c}机制群`, '单位', c]);
  CHAINS.forEach((c, i) => groups.push([`oc_chain_${i}`, `${c}产业链工作群`, '产业链', c]));
  groups.push(['oc_unbound_chat', '招商工作交流群', null, null]);

  const targetsSheet: Cell[][] = [TARGET_HEADER];
  for (const c of COUNTIES) for (const y of [2025, 2026]) targetsSheet.push([c, y, 5, 5, 2]);

  return {
    sheets: {
      说明: [['这是说明页，不导入']],
      单位: [UNIT_HEADER, ...CITY_UNITS],
      人员: people,
      产业链: chains,
      项目: projectsSheet,
      到位资金: funds,
      群聊: groups,
      目标: targetsSheet,
    },
    expect: {
      units: CITY_UNITS.length,
      people: people.length - 1,
      chains: CHAINS.length,
      projects,
      funds: fundCount,
      groups: groups.length - 1,
      targets: targetsSheet.length - 1,
    },
    stages,
  };
}

/** `rows` project rows for a streaming import: every row valid, owners among the realistic ledger's people. */
export function* bigProjectRows(rows: number): Generator<Cell[]> {
  yield PROJECT_HEADER;
  for (let i = 1; i <= rows; i++) {
    const signed = i % 5 === 3;
    yield [
      `BIG-${String(i).padStart(6, '0')}`,
      `辽源市大型测试项目第${i}号（${CHAINS[i % 8]}）`,
      `${INVESTORS[i % INVESTORS.length]}集团有限公司`,
      REGIONS[i % REGIONS.length]!,
      CHAINS[i % 8]!,
      signed ? '签约' : ['谋划', '洽谈', '意向'][i % 3]!,
      COUNTIES[i % 5]!,
      COUNTIES[i % 5]!,
      mobileOf(9 + (i % 39)),
      `${(i % 400) + 1}00万`,
      signed ? `${(i % 400) + 1}00万` : null,
      signed ? '2026-03-05' : null,
      null,
      null,
      i % 2 ? utcDay('2026-02-01') : null,
      null,
    ];
  }
}
