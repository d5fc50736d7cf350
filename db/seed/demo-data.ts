/*
 * The demo city, in the image of seed 001 (辽源市): a city under the province, three counties/districts and a
 * high-tech zone, departments, the project centre, the eight industry chains of seed 001, ~25 people in every
 * role, ~40 projects across all stages. Pure data: the seeder writes it to our database, and the emulator takes
 * the same people and groups as its directory (it never reads our database).
 */

export type DemoRole = 'owner' | 'unit_lead' | 'dept_lead' | 'convenor' | 'chief_convenor' | 'chain_leader' | 'secretary' | 'admin';

export interface DemoUnit {
  code: string;
  name: string;
  kind: 'province' | 'city' | 'county' | 'district' | 'zone' | 'department' | 'centre';
  parent?: string;
}

export interface DemoPerson {
  key: string;
  name: string;
  unit: string;
  roles: DemoRole[];
  title: string;
  mobile: string;
  openId: string;
}

export interface DemoGroup {
  chatId: string;
  name: string;
  binding: { kind: 'unit' | 'chain' | 'centre' | 'convenor'; unit?: string; chain?: string } | null;
  members: string[]; // person keys
}

export const demoUnits: DemoUnit[] = [
  { code: 'JL', name: '吉林省', kind: 'province' },
  { code: 'LY', name: '辽源市', kind: 'city', parent: 'JL' },
  { code: 'LY-DF', name: '东丰县', kind: 'county', parent: 'LY' },
  { code: 'LY-DL', name: '东辽县', kind: 'county', parent: 'LY' },
  { code: 'LY-LS', name: '龙山区', kind: 'district', parent: 'LY' },
  { code: 'LY-GX', name: '辽源高新区', kind: 'zone', parent: 'LY' },
  { code: 'LY-SW', name: '辽源市商务局', kind: 'department', parent: 'LY' },
  { code: 'LY-FG', name: '辽源市发展和改革委员会', kind: 'department', parent: 'LY' },
  { code: 'LY-GXJ', name: '辽源市工业和信息化局', kind: 'department', parent: 'LY' },
  { code: 'LY-ZR', name: '辽源市自然资源局', kind: 'department', parent: 'LY' },
  { code: 'LY-XM', name: '辽源市项目管理和推进中心', kind: 'centre', parent: 'LY' },
  { code: 'LY-DF-SW', name: '东丰县商务局', kind: 'department', parent: 'LY-DF' },
];

export const demoChains: { name: string; aliases: string[]; leader: string; secretary: string; leadUnit: string }[] = [
  { name: '袜业纺织', aliases: ['袜业', '纺织'], leader: 'wang_jian', secretary: 'zhao_min', leadUnit: 'LY-GXJ' },
  { name: '农产品加工', aliases: ['农产品', '食品'], leader: 'li_hua', secretary: 'sun_li', leadUnit: 'LY-FG' },
  { name: '装备制造', aliases: ['装备'], leader: 'wang_jian', secretary: 'zhao_min', leadUnit: 'LY-GXJ' },
  { name: '医药健康', aliases: ['医药', '大健康'], leader: 'li_hua', secretary: 'sun_li', leadUnit: 'LY-FG' },
  { name: '冶金建材', aliases: ['冶金', '建材'], leader: 'wang_jian', secretary: 'zhao_min', leadUnit: 'LY-GXJ' },
  { name: '新能源', aliases: ['新能源链'], leader: 'chen_gang', secretary: 'zhou_yan', leadUnit: 'LY-FG' },
  { name: '新文旅', aliases: ['文旅', '文化旅游'], leader: 'chen_gang', secretary: 'zhou_yan', leadUnit: 'LY-SW' },
  { name: '未来经济', aliases: ['数字经济', '未来产业'], leader: 'chen_gang', secretary: 'zhou_yan', leadUnit: 'LY-GXJ' },
];

let mobileSeq = 0;
const person = (key: string, name: string, unit: string, roles: DemoRole[], title: string): DemoPerson => ({
  key,
  name,
  unit,
  roles,
  title,
  mobile: `1390437${String(++mobileSeq).padStart(4, '0')}`,
  openId: `ou_demo_${key}`,
});

export const demoPeople: DemoPerson[] = [
  person('liu_shuji', '刘国强', 'LY', ['chief_convenor'], '市长、机制总召集人'),
  person('chen_gang', '陈刚', 'LY', ['convenor', 'chain_leader'], '副市长、机制召集人、链长'),
  person('wang_jian', '王建', 'LY', ['convenor', 'chain_leader'], '副市长、链长'),
  person('li_hua', '李华', 'LY', ['chain_leader'], '副市长、链长'),
  person('zhang_wei', '张伟', 'LY-SW', ['dept_lead', 'admin'], '市商务局局长'),
  person('he_jing', '何静', 'LY-SW', ['admin', 'owner'], '市商务局招商科科长'),
  person('zhao_min', '赵敏', 'LY-GXJ', ['secretary', 'owner'], '服务秘书'),
  person('sun_li', '孙丽', 'LY-FG', ['secretary', 'owner'], '服务秘书'),
  person('zhou_yan', '周燕', 'LY-FG', ['secretary', 'owner'], '服务秘书'),
  person('ma_dong', '马东', 'LY-FG', ['dept_lead'], '市发改委主任'),
  person('guo_qiang', '郭强', 'LY-GXJ', ['dept_lead'], '市工信局局长'),
  person('lin_feng', '林峰', 'LY-ZR', ['dept_lead'], '市自然资源局局长'),
  person('xu_lan', '徐兰', 'LY-XM', ['dept_lead'], '项目中心主任'),
  person('yang_fan', '杨帆', 'LY-DF', ['unit_lead', 'convenor'], '东丰县县长'),
  person('wu_lei', '吴磊', 'LY-DF-SW', ['owner'], '东丰县商务局干部'),
  person('zheng_hao', '郑浩', 'LY-DF', ['owner'], '东丰县招商服务中心干部'),
  person('feng_xue', '冯雪', 'LY-DF', ['owner'], '东丰县经开区干部'),
  person('han_mei', '韩梅', 'LY-DL', ['unit_lead', 'convenor'], '东辽县县长'),
  person('cao_yu', '曹宇', 'LY-DL', ['owner'], '东辽县商务局干部'),
  person('peng_bo', '彭博', 'LY-DL', ['owner'], '东辽县招商服务中心干部'),
  person('tang_jie', '唐杰', 'LY-LS', ['unit_lead', 'convenor'], '龙山区区长'),
  person('deng_xin', '邓欣', 'LY-LS', ['owner'], '龙山区商务局干部'),
  person('xiao_ran', '肖然', 'LY-GX', ['unit_lead', 'convenor'], '高新区管委会主任'),
  person('ye_qing', '叶青', 'LY-GX', ['owner'], '高新区招商局干部'),
  person('song_tao', '宋涛', 'LY-GX', ['owner'], '高新区招商局干部'),
];

export const demoGroups: DemoGroup[] = [
  {
    chatId: 'oc_demo_city_mech',
    name: '辽源市招商引资服务促进机制群',
    binding: { kind: 'unit', unit: 'LY' },
    members: [
      'liu_shuji',
      'chen_gang',
      'wang_jian',
      'li_hua',
      'zhang_wei',
      'he_jing',
      'ma_dong',
      'guo_qiang',
      'lin_feng',
      'yang_fan',
      'han_mei',
      'tang_jie',
      'xiao_ran',
    ],
  },
  {
    chatId: 'oc_demo_city_convenors',
    name: '辽源市招商机制召集人群',
    binding: { kind: 'convenor', unit: 'LY' },
    members: ['liu_shuji', 'chen_gang', 'wang_jian', 'zhang_wei', 'he_jing'],
  },
  {
    chatId: 'oc_demo_df_mech',
    name: '东丰县招商引资服务促进机制群',
    binding: { kind: 'unit', unit: 'LY-DF' },
    members: ['yang_fan', 'wu_lei', 'zheng_hao', 'feng_xue', 'he_jing'],
  },
  {
    chatId: 'oc_demo_dl_mech',
    name: '东辽县招商引资服务促进机制群',
    binding: { kind: 'unit', unit: 'LY-DL' },
    members: ['han_mei', 'cao_yu', 'peng_bo', 'he_jing'],
  },
  {
    chatId: 'oc_demo_gx_mech',
    name: '高新区招商引资服务促进机制群',
    binding: { kind: 'unit', unit: 'LY-GX' },
    members: ['xiao_ran', 'ye_qing', 'song_tao', 'he_jing'],
  },
  {
    chatId: 'oc_demo_chain_xny',
    name: '新能源产业链工作群',
    binding: { kind: 'chain', chain: '新能源' },
    members: ['chen_gang', 'zhou_yan', 'ye_qing', 'wu_lei', 'he_jing'],
  },
  {
    chatId: 'oc_demo_chain_wy',
    name: '袜业纺织产业链工作群',
    binding: { kind: 'chain', chain: '袜业纺织' },
    members: ['wang_jian', 'zhao_min', 'wu_lei', 'deng_xin', 'he_jing'],
  },
  {
    chatId: 'oc_demo_centre',
    name: '市项目管理和推进中心群',
    binding: { kind: 'centre' },
    members: ['xu_lan', 'zhang_wei', 'he_jing'],
  },
  {
    chatId: 'oc_demo_unbound',
    name: '招商工作交流群（未绑定）',
    binding: null,
    members: ['he_jing', 'wu_lei', 'ye_qing', 'zhang_wei'],
  },
];

export type DemoStage = 'planning' | 'negotiating' | 'intent' | 'signed' | 'landed' | 'dropped' | 'transferred';

export interface DemoProject {
  code: string;
  name: string;
  investor: string;
  investorRegion: string;
  originOffice?: string;
  chain: string;
  stage: DemoStage;
  firstTalkUnit: string;
  hostUnit: string;
  owner: string;
  plannedWan: number; // 万元, whole numbers
  contractWan?: number;
  /** Months before "now" that the stage was entered / the project signed / landed. */
  monthsInStage: number;
  /** Days since the last substantive progress. */
  daysSinceProgress: number;
}

// prettier-ignore
const projectRows: [string, string, string, string, DemoStage, string, string, number, number | undefined, number, number, string?][] = [
  // name, investor, region, chain, stage, host, owner, planned 万元, contract 万元, months in stage, days since progress, office
  ['年产5亿双智能袜业产业园', '浙江诸暨华越袜业有限公司', '浙江省诸暨市', '袜业纺织', 'signed', 'LY-DF', 'wu_lei', 120000, 80000, 3, 20, '上海'],
  ['高端纺织面料生产线', '江苏盛虹纺织集团', '江苏省苏州市', '袜业纺织', 'negotiating', 'LY-DF', 'zheng_hao', 35000, undefined, 8, 210],
  ['袜业电商直播基地', '杭州云袜科技有限公司', '浙江省杭州市', '袜业纺织', 'intent', 'LY-LS', 'deng_xin', 8000, undefined, 2, 35],
  ['无缝针织内衣项目', '广东德润针织有限公司', '广东省佛山市', '袜业纺织', 'landed', 'LY-LS', 'deng_xin', 15000, 15000, 14, 60, '广州'],
  ['梅花鹿精深加工项目', '吉林鹿乡生物科技有限公司', '吉林省长春市', '农产品加工', 'signed', 'LY-DF', 'feng_xue', 30000, 25000, 5, 40],
  ['玉米深加工20万吨项目', '中粮生化能源有限公司', '北京市', '农产品加工', 'negotiating', 'LY-DL', 'cao_yu', 60000, undefined, 4, 90, '北京'],
  ['冷链物流仓储中心', '顺丰冷运控股有限公司', '广东省深圳市', '农产品加工', 'intent', 'LY-DL', 'peng_bo', 12000, undefined, 6, 190, '深圳'],
  ['有机杂粮加工项目', '辽源农投集团', '吉林省辽源市', '农产品加工', 'planning', 'LY-DL', 'cao_yu', 5000, undefined, 1, 30],
  ['预制菜中央厨房项目', '上海味和食品有限公司', '上海市', '农产品加工', 'landed', 'LY-DF', 'wu_lei', 9000, 9000, 10, 25, '上海'],
  ['矿山机械智能装备项目', '沈阳重型机械集团', '辽宁省沈阳市', '装备制造', 'signed', 'LY-GX', 'ye_qing', 55000, 52000, 2, 15],
  ['新能源汽车零部件项目', '天津汽车模具股份有限公司', '天津市', '装备制造', 'negotiating', 'LY-GX', 'song_tao', 40000, undefined, 7, 200, '天津'],
  ['工业机器人集成项目', '深圳大族机器人有限公司', '广东省深圳市', '装备制造', 'intent', 'LY-GX', 'ye_qing', 20000, undefined, 3, 50, '深圳'],
  ['轨道交通配件项目', '中车长春轨道客车股份有限公司', '吉林省长春市', '装备制造', 'planning', 'LY-LS', 'deng_xin', 18000, undefined, 1, 10],
  ['农机装备制造基地', '潍柴雷沃智慧农业科技股份有限公司', '山东省潍坊市', '装备制造', 'transferred', 'LY-DL', 'peng_bo', 30000, undefined, 2, 250],
  ['生物医药产业园', '修正药业集团', '吉林省通化市', '医药健康', 'signed', 'LY-GX', 'song_tao', 80000, 60000, 4, 30],
  ['中药饮片加工项目', '北京同仁堂科技发展股份有限公司', '北京市', '医药健康', 'negotiating', 'LY-DF', 'zheng_hao', 15000, undefined, 5, 120, '北京'],
  ['医疗器械生产项目', '迈瑞医疗器械有限公司', '广东省深圳市', '医药健康', 'intent', 'LY-GX', 'ye_qing', 25000, undefined, 9, 260, '深圳'],
  ['康养综合体项目', '泰康之家投资有限公司', '北京市', '医药健康', 'planning', 'LY-LS', 'deng_xin', 45000, undefined, 2, 40, '北京'],
  ['特钢精深加工项目', '辽源麦达斯铝业股份有限公司', '吉林省辽源市', '冶金建材', 'landed', 'LY-LS', 'deng_xin', 28000, 28000, 20, 80],
  ['装配式建筑构件项目', '远大住宅工业集团', '湖南省长沙市', '冶金建材', 'signed', 'LY-DL', 'cao_yu', 16000, 15000, 1, 12],
  ['新型墙材生产线', '北新建材集团', '北京市', '冶金建材', 'negotiating', 'LY-DL', 'peng_bo', 9000, undefined, 3, 70, '北京'],
  ['铝合金精深加工项目', '忠旺铝业有限公司', '辽宁省辽阳市', '冶金建材', 'dropped', 'LY-GX', 'song_tao', 50000, undefined, 5, 300],
  ['200MW风电项目', '国家电投集团吉林能源投资有限公司', '吉林省长春市', '新能源', 'signed', 'LY-DF', 'wu_lei', 140000, 130000, 1, 8],
  ['100MW光伏发电项目', '华能吉林发电有限公司', '吉林省长春市', '新能源', 'landed', 'LY-DL', 'cao_yu', 45000, 45000, 12, 45],
  ['储能电站示范项目', '宁德时代新能源科技股份有限公司', '福建省宁德市', '新能源', 'intent', 'LY-GX', 'ye_qing', 60000, undefined, 7, 195],
  ['氢能产业园', '中石化新星能源有限公司', '北京市', '新能源', 'negotiating', 'LY-GX', 'song_tao', 100000, undefined, 4, 100, '北京'],
  ['生物质热电联产项目', '光大环境科技有限公司', '广东省深圳市', '新能源', 'planning', 'LY-DF', 'feng_xue', 35000, undefined, 1, 15, '深圳'],
  ['分布式光伏整县推进项目', '正泰新能源开发有限公司', '浙江省杭州市', '新能源', 'signed', 'LY-DL', 'peng_bo', 20000, 18000, 6, 65, '上海'],
  ['魁满湖旅游度假区', '长白山文旅集团', '吉林省延边州', '新文旅', 'intent', 'LY-DF', 'zheng_hao', 30000, undefined, 4, 80],
  ['冰雪运动小镇项目', '万达文化旅游规划研究院', '北京市', '新文旅', 'negotiating', 'LY-DL', 'cao_yu', 80000, undefined, 9, 240, '北京'],
  ['工业遗址文创园', '华侨城集团', '广东省深圳市', '新文旅', 'planning', 'LY-LS', 'deng_xin', 12000, undefined, 2, 20, '深圳'],
  ['梅花鹿主题乐园', '吉林森工集团', '吉林省长春市', '新文旅', 'signed', 'LY-DF', 'feng_xue', 25000, 7000, 8, 150],
  ['大数据中心项目', '华为技术有限公司', '广东省深圳市', '未来经济', 'intent', 'LY-GX', 'song_tao', 50000, undefined, 3, 30, '深圳'],
  ['低空经济无人机基地', '亿航智能设备有限公司', '广东省广州市', '未来经济', 'negotiating', 'LY-GX', 'ye_qing', 30000, undefined, 2, 60, '广州'],
  ['人工智能算力中心', '商汤科技有限公司', '上海市', '未来经济', 'planning', 'LY-GX', 'ye_qing', 40000, undefined, 1, 5, '上海'],
  ['智能制造工业互联网平台', '海尔卡奥斯物联生态科技有限公司', '山东省青岛市', '未来经济', 'signed', 'LY-LS', 'deng_xin', 10000, 8000, 2, 25],
  ['新型显示模组项目', '京东方科技集团', '北京市', '未来经济', 'negotiating', 'LY-GX', 'song_tao', 70000, undefined, 6, 185, '北京'],
  ['跨境电商产业园', '深圳前海跨境电商有限公司', '广东省深圳市', '未来经济', 'intent', 'LY-DF', 'wu_lei', 6000, undefined, 2, 45, '深圳'],
  ['汽车零部件再制造项目', '一汽富维汽车零部件股份有限公司', '吉林省长春市', '装备制造', 'signed', 'LY-DF', 'zheng_hao', 22000, 20000, 7, 100],
  ['健康食品产业园', '娃哈哈集团', '浙江省杭州市', '农产品加工', 'negotiating', 'LY-GX', 'ye_qing', 18000, undefined, 1, 30, '上海'],
];

/**
 * Projects first-talked by a city bureau and hosted in a county or zone (001 三.二 “谁对接、谁牵头”…“会同项目所在地”):
 * the bureau answers for them (reports, late and stall warnings), the host sees them in its roll-ups.
 */
const firstTalkedBy: Record<string, string> = {
  '200MW风电项目': 'LY-FG',
  中药饮片加工项目: 'LY-SW',
  矿山机械智能装备项目: 'LY-GXJ',
  冰雪运动小镇项目: 'LY-SW',
  新型显示模组项目: 'LY-GXJ',
};

export const demoProjects: DemoProject[] = projectRows.map((r, i) => ({
  code: `LY2026-${String(i + 1).padStart(3, '0')}`,
  name: r[0],
  investor: r[1],
  investorRegion: r[2],
  chain: r[3],
  stage: r[4],
  firstTalkUnit: firstTalkedBy[r[0]] ?? r[5],
  hostUnit: r[5],
  owner: r[6],
  plannedWan: r[7],
  contractWan: r[8],
  monthsInStage: r[9],
  daysSinceProgress: r[10],
  originOffice: r[11],
}));
