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
  /下月|下个月|下周|下星期|计划(?!投资|总投资)|(?<!模)拟(?!投资)|准备|争取|力争|预计|将于|即将|将在|将会|下一步|(?<!等)待[^，。；]{0,20}?后|推迟到|推迟至|延期到|延期至|春节后|节后|开春后|近期|尽快|打算|约定|有望|后签约|后开工|后落地|明年|明天|后天/;

/** Words that say a thing did not happen (yet). Checked in a short window before a keyword. */
export const NEGATION = /没|未|无|不|尚未|还没|还未|没有/;

/** A plan that fell through or was moved: a visit "originally planned" is not a visit. */
export const CALLED_OFF = /原定|推迟|延期|取消|改期|上个月|上月/;

/** Money arrived (到位资金). */
export const ARRIVAL = /到位|到账|打款|注资|打入|汇入|拨付/;

/** Money that is not an arrival in this report: the word stands just before the amount in the clause. */
export const NOT_ARRIVAL =
  /累计|总投资|计划投资|协议投资|投资总额|合同额|合同金额|签约额|签约金额|注册资本|产值|纳税|税收|营收|销售额|有意投资|拟投资|意向投资|上月|其中设备|还是|仍是|预计/;

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
    '(?<![\\d.])\\d{1,2}\\.\\d{1,2}(?![\\d万亿千百元%个.])',
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
  { stage: 'planning', pattern: /(?:纳入|列入|进入)谋划库/, agreement: false },
  { stage: 'negotiating', pattern: /开始洽谈|进入实质性洽谈|进入洽谈|启动洽谈|开始接洽/, agreement: false },
  {
    stage: 'intent',
    pattern: /签(?:订|署)了?(?:投资|合作)?(?:意向|框架)(?:协议|合同|书)?|签了?(?:意向|框架)(?:协议|书)/,
    agreement: true,
  },
  { stage: 'intent', pattern: /达成(?:投资|合作)?意向|(?:转入|进入|纳入)意向库/, agreement: false },
  {
    stage: 'signed',
    pattern:
      /签(?:订|署)了?(?:正式)?(?:的)?投资(?:协议|合同)|签订了?合同|已签约|签约了|签了(?!意向|框架)|正式签约|集中签约|成功签约|完成签约|签约仪式|签约(?=[，。；;,\s]|$)/,
    agreement: true,
  },
  {
    stage: 'landed',
    pattern:
      /已落地|落地了|正式落地|(?<!未|没|没有)落地(?=[，。；;,\s]|$)|已开工|正式开工|开工建设|开工仪式|开始施工|开工了|破土动工|已动工|开工(?=[，。；;,\s]|$)/,
    agreement: false,
  },
];

/** A supplementary agreement: an agreement, no stage move. */
export const SUPPLEMENTARY = /签(?:订|署)了?补充(?:协议|合同)/;

/** Land secured (土地摘牌, 出让合同, 不动产权证, 供地, 征收 / 流转 done). */
export const LAND_MILESTONE =
  /摘牌|土地出让合同|出让合同|不动产权证|土地使用权|土地证|供地|土地征收(?:工作)?(?:已)?完成|完成(?:了)?土地征收|土地(?:已|已经)?流转|流转(?:土地)?(?:已)?完成|挂牌成交/;

/** Approvals; obtained only with a completion word in the clause and no "in progress" word. */
export const APPROVAL_KEYWORD =
  /备案|环评|能评|安评|节能审查|规划许可|施工许可|排污许可|消防验收|用地预审|选址意见书|规划条件|生产许可|取水许可/;
export const DONE = /已|取得|拿到|批复|批了|过了|通过|下发|办下来|办完|办好|办理了|获批|完成|领取|下来了|领到|拿下/;
export const IN_PROGRESS = /正在|还在|迟迟|等待|需要|就差|还差|尚未|没|未|不下来|申请|办理(?![了完好])|预计|待/;

/** The investor's decision-makers; a technical team or our own delegation is not one. */
export const DECISION_MAKER = /董事长|总裁|总经理|老板|决策层|实际控制人|董事局主席|一把手|掌门人|创始人|CEO/i;
export const VISIT_VERB = /来|到|考察|出席|剪彩|莅临|调研|视察|实地|现场/;
export const OUR_VISIT = /拜访|走访|(?:我们|我方|我局|我县|我区|我市)[^，。]{0,4}(?:带队|赴|去)|带队(?:赴|去)/;

/** Difficulty words: a clause with one states a problem. */
export const DIFFICULTY =
  /缺|紧张|卡在|卡住|卡脖子|一直没|迟迟|还差|就差|不足|急需|招不来|招不到|不够|没有着落|没着落|困难|难题|出了问题|有问题|还没兑现|未兑现|没兑现|还没修通|没修通|还没接轨|谈不拢|没法|无法|价格高|有异议|破损|没铺到|进不来|负荷大|已满|短缺|制约|瓶颈|受阻|滞后|批不下来|办不下来|落实不了|还没拨付|未拨付|没拨付|信号差|成本高|费用高|较差|太差|偏高|过高|较高|难度大|压力大|跟不上|不畅|不通|不到位|不满意|分歧|打不开|打不通/;

/** Where a matter is stuck, naming the party holding it (卡在省林草局): that party, when no one else is asked. */
export const STUCK_AT = /卡在([\u4e00-\u9fa5]{1,14}?(?:局|委|办|厅|公司|集团|政府|管委会|中心|银行|分行))/;

/** A problem solved is no problem. */
export const SOLVED = /已经解决|已解决|已协调解决|已落实|问题解决了|已经落实/;

/** The party asked to act: 需要 / 希望 / 请 + a name ending in an organisation word + an action. */
const ORG_END =
  '(?:管委会|集团公司|集团|公司|分公司|分行|支行|银行|政府|局|委|办|厅|署|中心|院|所|站|处|经开区|开发区|园区管委会|街道|镇|乡|厂|商会|协会|联合会|社|队|大学|学校|学院)';
export const REQUEST = new RegExp(
  `(?:需要|需|亟需|希望|请|恳请|建议)([\\u4e00-\\u9fa5A-Za-z0-9]{1,14}?${ORG_END})(?=协调|支持|尽快|加快|给予|帮助|研究|落实|安排|配合|办理|统筹|单列|改造|延伸|对接|列入|向|提前|解决|批复|审批|出面|推动|推进|帮忙|予以|积极|加大|抓紧|牵头|指导|规划|完成|在|于|年底|月底|本月|下月|兑现|拨付|审查|审核|核准|批准|出具|提供|回复|答复|沟通|调度|跟进|处理|督促|接入|送电|供气|供汽|修|建设|组织|开展|明确|认定|考虑|同意|帮|做|给|进行|予|重新|牵线|打通|疏通|\\d)`,
);
/** The fallback when no action word follows the party (需要市供电公司增容): the longest name ending in an org word. */
export const REQUEST_LOOSE = new RegExp(`(?:需要|希望|请|恳请)([\\u4e00-\\u9fa5A-Za-z]{2,13}${ORG_END})(?!房)`);
/** Not a party: a verb or a vague word caught by the loose pattern. */
export const NOT_A_PARTY = /办理|尽快|加快|协调|解决|支持|研究|落实|我们|企业|帮助|抓紧|进一步/;
/** 需要…协调 without a named party (需要县里协调): still a request, no party. */
export const VAGUE_REQUEST = /(?:需要|需|亟需|希望|请)[^，。；]{0,12}?(?:协调|解决|支持|加快|帮助|研究|落实|推动)/;
/** Parties too vague to name (县里, 相关部门, 园区). */
export const VAGUE_PARTY = /^(?:县里|市里|省里|区里|相关部门|有关部门|园区|政府|上级|领导|部门)$/;

/** Problem categories by keyword, longest and most specific first (取水许可 is an approval, not water). */
export const PROBLEM_WORDS: ReadonlyArray<readonly [ProblemCategory, RegExp]> = [
  ['energy', /能耗指标|能耗|用能指标|用电|供电|电力|电网|增容|专线|双回路|变电|用气|天然气|燃气|供气|管网|供水|用水|蒸汽|供热|用热|热力/],
  ['approval', /审批|环评|能评|安评|施工许可|规划许可|取水许可|排污许可|消防|价格批复|定价|手续|备案|审验|验收|许可证|批复/],
  ['land', /用地|土地|地块|指标|征拆|征地|拆迁|林地|基本农田|农田|调规|地价|摘牌|招拍挂|选址/],
  ['plant', /厂房|标准化厂房|车间|代建|仓库|库房/],
  ['funds', /融资|贷款|资金|贴息|补贴|专项资金|奖补|资金链|流动资金|担保|授信|回款|欠款/],
  ['talent', /用工|招工|技术工人|工人|焊工|技工|人才|招聘|员工|劳动力|人手/],
  ['other', /道路|铁路|专用线|网络|销售渠道|渠道|物流|宣传|推介|客流|交通|运输|配套|市场|商超/],
];

/** Clause separators: Chinese punctuation, newlines, spaces, and an ASCII comma or colon not between digits. */
export const CLAUSE_SPLIT = /[，。；;！!？?\n\r\t：:]|\s+|,(?!\d{3})/;
