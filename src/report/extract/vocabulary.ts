/*
 * The one-sentence reader's dictionaries. The Chinese strings here are input vocabulary (what officers write), not
 * output text, as in src/status/match.ts. Every pattern is a plain alternation or a bounded window: no nested
 * quantifiers, so a long input cannot make a pattern backtrack for long.
 */
import type { ProblemCategory } from '../../domain/reporting.js';
import type { ActiveStage } from '../../domain/stages.js';

/** Longest input read; the rest is cut (a report is a sentence or a short list). */
export const MAX_INPUT_CHARS = 2000;

/** Words that put a clause in the future: a plan, an expectation, a wait. */
export const FUTURE =
  /下月|下个月|下周|下星期|计划(?!投资|总投资)|(?<!模)拟(?!投资)|准备(?!工作|$)|争取|力争|预计(?!年(?!底|内|末)|产值|销售|营收|纳税|税收|利润|带动|新增就业|可实现|总投资|投资)|下步|将于|即将|将在|将会|将(?=[召开启举进完组建投])|下一步|(?<!等)待[^，。；]{0,20}?后|等(?!待|问题|方面|事项|等)[^，。；]{1,20}?后|(?:邀请|请)[^，。；]{0,10}?(?:出席|参加)|推迟到|推迟至|延期到|延期至|春节后|节后|开春后|近期|尽快|打算|约定|有望|后签约|后开工|后落地|明年|明天|后天/;

/** A plan that cannot be kept (年内签不了): the clause is no next step and its date no due. */
export const CANNOT = /不了|不成|来不及|无法|不能|不会/;

/** Words that say a thing did not happen (yet). Checked in a short window before a keyword. */
export const NEGATION = /没|未|无|不|尚未|还没|还未|没有/;

/** A plan that fell through or was moved: a visit "originally planned" is not a visit. */
export const CALLED_OFF = /原定|推迟|延期|取消|改期|上个月|上月/;

/** Money arrived (到位资金). */
export const ARRIVAL = /到位|到账|入账|打款|注资|打入|汇入|转入|拨付/;

/** Money that is not an arrival in this report: the word stands just before the amount in the clause. */
export const NOT_ARRIVAL =
  /累计|总投资|计划投资|协议投资|投资总额|合同额|合同金额|签约额|签约金额|注册资本|产值|纳税|税收|营收|销售额|有意投资|拟投资|意向投资|上月|此前|前期|之前|早前|去年|其中(?!本月|本期|当月|这个月|新)|还是|仍是|预计/;

/** Money not (yet) in: a clause with these is not an arrival. */
export const NOT_YET = /还没|尚未|未到位|没到位|没有到位|不到位|一直没/;

/** An amount in a sentence: Arabic or Chinese numerals, an optional 个, a 万/亿 unit, optional second part, 元. */
export const AMOUNT =
  /(?:人民币)?(?:\d[\d,]{0,15}(?:\.\d{1,6})?|[一二两三四五六七八九十][零〇一二两三四五六七八九十百千]{0,8})个?(?:亿|千万|百万|万)(?:(?:\d{1,5}|[一二两三四五六七八九][零〇一二两三四五六七八九十百千]{0,6})(?:千万|百万|万))?元?/g;

/** After an amount: a foreign currency (left out: the bot records RMB) or a measure that makes it not money. */
export const FOREIGN_AFTER = /^(?:美元|美金|港元|港币|欧元|日元|英镑|澳元|韩元|卢布)/;
export const MEASURE_AFTER = /^(?:吨|套|双|亩|台|件|人(?!民币)|户|头|只|千瓦|瓦|平方|平米|立方|标煤|度|辆|株|羽|袋|箱|瓶|份|个(?!亿))/;

/** Date tokens inside a clause; each is read by domain/dates.ts readDate. Longest forms first. */
const N = '(?:\\d{1,2}|[一二三四五六七八九十]{1,3})';
const BY = '(?:之前|以前|前)?';
export const DATE_TOKEN = new RegExp(
  [
    `(?:\\d{4}年|明年|今年)?${N}月份?(?:${N}[日号]|底|末|初|上旬|中旬|下旬)?${BY}`,
    `\\d{4}年(?:底|末)${BY}`,
    `(?:本|这个|这|下个|下|上个|上)月(?:${N}[日号]|底|末|初|上旬|中旬|下旬|内)?${BY}`,
    `月(?:底|末|初|内)${BY}`,
    `(?<![\\d月.])${N}[日号](?!线)${BY}`,
    '(?<![\\d.])\\d{1,2}\\.\\d{1,2}(?![\\d万亿千百元%个.月日号])',
    '今天|昨天|前天|明天|后天|当天',
    '(?:上上|下下|上|下|本|这)?(?:周|星期|礼拜)[一二三四五六日天]',
    '(?:本|这|下)(?:周|星期)(?:内|末)?',
    `(?:明年|今年)(?:年底|底|年内|内|上半年|下半年|[一二三四1-4]季度)${BY}|年底${BY}|年末|年内|上半年|下半年|[一二三四]季度${BY}|明年`,
    '(?:\\d{1,3}|[一二三四五六七八九十两]{1,3})天内',
    '(?:春节|元旦|国庆|五一)(?:之前|以前|前|之后|后)?',
  ].join('|'),
  'g',
);

/** Stage moves the sentence states, most advanced last; `agreement` when the move is by a signature. */
export const STAGE_WORDS: ReadonlyArray<{ stage: ActiveStage; pattern: RegExp; agreement: boolean }> = [
  { stage: 'planning', pattern: /(?:纳入|列入|进入)[^，。；]{0,4}?谋划(?:项目)?库/, agreement: false },
  { stage: 'negotiating', pattern: /开始洽谈|进入实质性洽谈|进入洽谈|启动洽谈|开始接洽/, agreement: false },
  {
    stage: 'intent',
    pattern: /签(?:订|署)了?[\u4e00-\u9fa5]{0,6}?(?:意向|框架|备忘录)|签了?(?:意向|框架)(?:协议|书)/,
    agreement: true,
  },
  { stage: 'intent', pattern: /达成(?:投资|合作)?意向|(?:转入|进入|纳入)意向库/, agreement: false },
  {
    stage: 'signed',
    pattern:
      /签(?:订|署)了?(?:(?!意向|框架|补充|备忘|出让|租赁|土地|施工|设计|采购|监理|供电|供气|用工|劳动|购销|销售|委托)[\u4e00-\u9fa5]){0,8}?(?:协议|合同)|(?<!出让|租赁|施工|设计|采购|监理)(?:协议|合同)(?:已经|已)?(?:正式)?签(?:订|署|了)|已签约|签约了|签了(?!意向|框架)|正式签约|集中签约|成功签约|完成签约|顺利签约|签约成功|签约完成|签约仪式|签约(?=[，。；;,\s]|$)/,
    agreement: true,
  },
  {
    stage: 'landed',
    pattern:
      /已落地|落地了|正式落地|已落户|正式落户|(?<!未|没|没有)落地(?=[，。；;,\s]|$)|已开工|正式开工|开工建设|开工仪式|开始施工|开工了|破土动工|已动工|开工(?=[，。；;,\s]|$)/,
    agreement: false,
  },
];

/** A supplementary agreement: an agreement, no stage move. */
export const SUPPLEMENTARY = /签(?:订|署)了?补充(?:协议|合同)/;

/** Land secured (土地摘牌, 出让合同, 不动产权证, 供地, 征收 / 流转 done). */
export const LAND_MILESTONE = /摘牌|出让合同|不动产权证|土地使用权|土地证|供地|划拨|竞得|挂牌成交|拿地|拿到(?:了)?(?:土)?地/;
/** Land work that secures the land once done (征收, 流转, 征拆): a milestone with a completion word in the clause. */
export const LAND_WORK = /征收|征地|征拆|拆迁|流转/;
export const LAND_WORK_DONE = /完成|已|结束|完毕|到位|办结/;
/** Not done after the keyword (不动产权证还没办下来, 摘牌尚未完成). */
export const NOT_DONE_AFTER = /还没|还未|尚未|没有|暂未|未能|没办|没拿|没下来|不下来/;

/** Approvals; obtained only with a completion word in the clause and no "in progress" word. */
export const APPROVAL_KEYWORD =
  /备案|环评|能评|安评|稳评|水保|水土保持|核准|节能审查|规划许可|施工许可|排污许可|消防验收|用地预审|选址意见书|规划条件|生产许可|取水许可/;
export const DONE =
  /已|出具|合格|获得|取得|拿到|批复|批了|过了|通过|下发|办下来|办完|办好|办妥|办结|办理了|办理完毕|获批|批准|批下来|核发|颁发|完成|领取|下来了|领到|拿下|到手/;
export const IN_PROGRESS =
  /正在|还在|迟迟|等待|需要|就差|还差|尚未|没|未|不下来|申请|办理(?![了完好])|预计|待|报[^，。；]{0,10}?(?:审批|审查|审核|批复|核准)|上报|报送|送审|报审|受理|公示(?!结束|期满)|[审评]中/;

/** The investor's decision-makers; a technical team or our own delegation is not one. */
export const DECISION_MAKER =
  /(?<!副)(?:董事长|总裁|总经理)(?!助理|秘书)|老板|老总|决策层|实际控制人|实控人|董事局主席|一把手|掌门人|创始人|CEO/i;
export const VISIT_VERB = /来|到|考察|出席|参加|剪彩|莅临|调研|视察|实地|现场|会见|座谈/;
export const OUR_VISIT = /拜访|走访|(?:我们|我方|我局|我县|我区|我市)[^，。]{0,4}(?:带队|赴|去)|带队(?:赴|去)/;

/** Difficulty words: a clause with one states a problem. */
export const DIFFICULTY =
  /缺(?!陷|席)|紧张|紧缺|纠纷|阻工|矛盾|堵点|难点|慢|影响|没有?(?:通|接通|接入|铺设|铺到|架设|建成)|未(?:通|接通|接入)|[进出招批办贷拿落用送接过通]不(?:来|去|到|下来|上|了|动|通|过)|时间长|周期长|时间过长|卡在|卡住|卡了|卡脖子|一直没|一直未|一直不|迟迟|还差|就差|尚差|不足|急需|亟需|亟待|招不来|招不到|不够|没有着落|没着落|困难|难题|难以|出了问题|有问题|存在问题|还没兑现|未兑现|没兑现|没修通|没接轨|没接通|谈不拢|没法|无法|(?:价格?|成本|费用?|租金|利率|利息)[^，。；]{0,6}?(?:较高|偏高|过高|太高|高)|有异议|破损|没铺到|进不来|负荷大|已满|短缺|制约|瓶颈|受阻|滞后|批不下来|办不下来|落实不了|解决不了|还没拨付|未拨付|没拨付|信号差|较差|太差|难度大|压力大|跟不上|不畅|不通|不到位|不满意|分歧|打不开|打不通|偏慢|进度慢|太慢|较慢|缓慢|停滞|搁置|拖欠|欠款|不配套|不完善|不具备|达不到|不符合|超标|不稳定|经常停/;

/** No answer from the party a matter was handed to (已提交…，尚未答复): a difficulty only after that party. */
export const NO_ANSWER = /(?:尚未|还没|没有?|未|迟迟未|一直未)(?:答复|回复|反馈|受理|批复)/;

/** A difficulty denied (用电没问题, 不缺工): the clause states no problem. */
export const NO_DIFFICULTY = /不影响|没有?(?:什么)?问题|无问题|不存在(?:问题|困难)|没有?困难|无困难|不缺|不紧张|够用|充足|有保障/;

/** A problem solved is no problem. */
export const SOLVED =
  /(?:已|已经|均已|都已|基本)(?:协调)?(?:解决|落实|理顺|办结|化解|复工|恢复)|恢复正常|(?:问题|困难)?(?:得到|获得)?解决了|得到解决|得到落实|问题解决/;

/*
 * Parties. A party is a name ending in an organisation word (局, 委, 办, 厅, 中心, 管委会, 政府, 公司, 集团, 银行,
 * 分行, 支行, 燃气, 水务, 热力 …), optionally followed by its branch or parent (吉林银行 + 辽源分行, 沈阳局 + 集团公司,
 * 市自然资源局 + 东丰分局). The name's start is fixed by the word before it (需要, 请, 希望, 卡在 …), so a party is
 * only read where a sentence asks or names one.
 */
const NAME_CHAR = '[\\u4e00-\\u9fa5A-Za-z0-9]';
const ORG_END =
  '(?:管理委员会|管委会|村委会|居委会|委员会|办公室|办事处|人民政府|政府|集团公司|集团|有限公司|分公司|公司|分行|支行|银行|信用社|农商行|分局|局|委|办|厅|署|服务中心|中心|经开区|开发区|高新区|示范区|工业园区管委会|街道办|街道|(?<![城乡])镇|(?<![城])乡|供电所|热电厂|电厂|水厂|(?:电网|燃气|水务|热力)(?!局|站|所|处|办|中心)|设计院|研究院|学院|大学|商会|协会)';
const ORG_CONT =
  '(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|[\\u4e00-\\u9fa5]{0,4}?(?:分行|支行|分公司|分局|营业部|供电公司|办事处)|管委会|办公室|公司|(?<=[镇乡])(?:人民)?政府|(?<=委)[省市县区](?:人民)?政府|(?<=政府)办(?:公室)?)';
/** A zone's own office (高新区经发局, 经开区管委会). */
const ZONE_CONT = '(?<=区)[\\u4e00-\\u9fa5]{0,4}?(?:管理委员会|管委会|局|办|中心|公司)';
const PARTY = `${NAME_CHAR}{1,14}?${ORG_END}(?:${ZONE_CONT}|${ORG_CONT}){0,2}`;
/** The same without a branch or office after the name: the fallback when the longer reading is no name. */
const PARTY_BARE = `${NAME_CHAR}{1,14}?${ORG_END}`;
/** Words between the asking verb and the party (需要尽快协调市供电公司, 建议由县政府牵头). */
const FILLER =
  '(?:尽快|抓紧|加快|积极|进一步|帮助|帮忙|能够|能|由|向|与|和|跟|协调|对接|联系|请求|请|商请|督促|推动|争取|得到|获得|通过|报请|报|提交|依靠|上级|主管部门){0,3}';
/** Asking someone to act. */
const ASK = '(?:需要|需(?!求|要)|亟需|急需|亟待|希望|恳请|请求|提请|(?<![申邀聘宴报])请|建议|要求|盼望|盼|^(?:协调|督促|商请))';

/** A request naming a party: the party is group 1. */
export const REQUEST = new RegExp(`${ASK}${FILLER}(${PARTY})`);
export const REQUEST_BARE = new RegExp(`${ASK}${FILLER}(${PARTY_BARE})`);
/** Where a matter is stuck, naming the party holding it (卡在省林草局, 在市住建局卡着, 已向省发改委申请): a fallback party. */
export const STUCK_AT = new RegExp(
  `卡在(${PARTY})|在(${PARTY})(?:那里|那边|这里)?(?:卡|压|搁)|(?:已|已经)?向(${PARTY})(?:反映|汇报|报告|申请|请示|提出|争取)|提交(?:给|至|到)?(${PARTY})|由(${PARTY})(?:负责|承担|实施|建设|办理|施工|牵头)|^(${NAME_CHAR}{1,12}?(?:局|委|厅|公司|集团|银行|分行|支行|政府|管委会))(?:一直|迟迟|始终|至今|还|仍)?(?:不|没有?|未)`,
);
/** The party of a request that is a plan, not a demand (下周请市供电公司来现场): a time or plan word before the ask. */
export const PLANNED_ASK = new RegExp(
  `(?:下周|下星期|下月|下个月|明天|后天|计划|准备|拟|将|近期)[^，。；]{0,6}?(?:请|邀请|约)(?:${PARTY})`,
);
/** Not a party: a verb, a pronoun or a vague word caught before an organisation word. */
export const NOT_A_PARTY =
  /办理|尽快|加快|协调|解决|支持|研究|落实|我们|我方|企业|帮助|抓紧|进一步|对接|相关|有关|调整|加大|改造|迟迟|一直|没|不|未/;
/** A party cannot start with a preposition or a verb (需要对电网改造, 需要用燃气). */
export const NOT_A_PARTY_START = /^(?:对|把|将|在|给|为|从|让|使|用|建|进行|做|搞|开|修|办|上|去|来|要|能|可|会|再)/;
/** 需要…协调 without a named party (需要县里协调): still a request, no party. */
export const VAGUE_REQUEST =
  /(?:需要|需|亟需|急需|希望|恳请|请求|请|建议)[^，。；]{0,12}?(?:协调|解决|支持|帮助|研究|落实|推动|督促|出面|帮忙|争取)|(?:需要|希望|请|建议)(?:县里|市里|省里|区里|镇里|乡里|相关部门|有关部门|政府|园区|上级)[^，。；]{0,4}?(?:加快|尽快|抓紧)/;
/** Parties too vague to name (县里, 相关部门, 园区). */
export const VAGUE_PARTY =
  /^(?:县里|市里|省里|区里|镇里|乡里|相关部门|有关部门|相关单位|有关单位|职能部门|主管部门|上级部门|各部门|园区|政府|当地政府|属地政府|地方政府|上级|领导|部门|管委会|工业园区)$/;

/** A difficulty word whose topic follows it (缺少厂房, 还差消防审验, 急需资金), not precedes it (厂房不够). */
export const TOPIC_AFTER = /^(?:缺|还差|就差|尚差|急需|亟需|亟待)/;
/** Topic words too general to name a topic when a more specific one stands before them (林地手续, 用地审批). */
export const WEAK_TOPIC = /^(?:手续|审批)$/;
/** A time before this period: a stage or an agreement stated with it is an earlier one (上月签约). */
export const EARLIER_PERIOD = /上月|上个月|去年|前年|此前|早在|之前已/;

/** Problem categories by keyword, most specific first (取水许可 is an approval, not water; 能耗指标 energy, not land). */
export const PROBLEM_WORDS: ReadonlyArray<readonly [ProblemCategory, RegExp]> = [
  [
    'approval',
    /用地预审|选址意见书|规划条件|审批|核准|备案|环评|能评|安评|稳评|水保|水土保持|施工许可|规划许可|取水许可|排污许可|生产许可|经营许可|消防|价格批复|定价|手续|审验|验收|许可证|批复|批文|资质|证照|执照|审查|审核|立项/,
  ],
  [
    'energy',
    /缺电|缺气|缺水|断电|断水|停水|停气|水电气|能耗指标|用能指标|能耗|用能|标煤|用电|供电|电力|电网|电价|电费|电压|电源|停电|限电|接电|送电|并网|增容|专线|双回路|变电|变压器|线路|送出|用气|天然气|燃气|供气|气源|气价|管网|管线|供水|用水|水压|水源|自来水|蒸汽|供热|用热|供暖|热力|热源/,
  ],
  ['land', /用地|土地|地块|指标|征拆|征地|征收|拆迁|动迁|迁坟|林地|草地|耕地|农田|占补平衡|调规|地价|摘牌|招拍挂|供地|红线|选址|压覆/],
  ['plant', /厂房|车间|代建|仓库|库房|冷库|仓储用房|办公用房|标准化厂房|租金/],
  ['funds', /配套资金|融资|贷款|资金|贴息|补贴|补助|奖补|奖励|基金|担保|授信|抵押|回款|欠款|拨付|兑现|银行|放款|利率|利息|税收|退税|财政/],
  [
    'talent',
    /用工|招工|工人|技工|焊工|普工|操作工|挡车工|缝纫工|装配工|电工|人才|招聘|员工|职工|劳动力|人手|人员|工程师|技术骨干|高管|务工/,
  ],
  [
    'other',
    /道路|公路|路网|铁路|专用线|交通|网络|宽带|带宽|信号|物流|快递|渠道|市场|销售|宣传|推介|客流|配套|学校|医院|住房|环境|治安|通勤/,
  ],
];

/** The category a party stands for, when the problem names no topic of its own (需要市供电公司协调). */
export const PARTY_CATEGORY: ReadonlyArray<readonly [ProblemCategory, RegExp]> = [
  ['energy', /供电|电网|电力|燃气|水务|热力|供水|供热|电厂|水厂|能源/],
  ['talent', /人社|人力资源|人才/],
  ['land', /自然资源|国土|林业|林草|农业农村/],
  ['approval', /住建|生态环境|环保|审批|应急|市场监督|市场监管|消防|行政/],
  ['funds', /金融|财政|银行|分行|支行|信用社|农商行|担保|税务/],
  ['other', /交通|文旅|商务|邮政|通信|联通|移动|电信|铁路|局集团/],
];

/** Clause separators: Chinese punctuation, newlines, spaces, and an ASCII comma or colon not between digits. */
export const CLAUSE_SPLIT = /[，。；;！!？?\n\r\t：:]|\s+|(?<!\d),|,(?!\d{3})/;
