import { describe, expect, it } from 'vitest';
import { extractReport, type ProjectExtraction } from '../../src/report/extract/index.js';
import { MAX_INPUT_CHARS } from '../../src/report/extract/vocabulary.js';

/*
 * The one-sentence reader's rules, one at a time (the labelled set scores them together: extract.test.ts).
 * Sentences here are written for the tests, not taken from the set.
 */

const TODAY = '2026-12-02'; // a Wednesday
const PROJECTS = ['化工项目', '风电装备项目', '生物医药产业园'];

function read(text: string, projects: readonly string[] = PROJECTS): ProjectExtraction[] {
  return extractReport(text, { today: TODAY, projects }).projects;
}
function only(text: string): ProjectExtraction {
  const [p, ...rest] = read(text);
  expect(rest).toEqual([]);
  expect(p).toBeDefined();
  return p!;
}
const wan = (p: ProjectExtraction) => p.funds.map((f) => f.fen / 1_000_000);

describe('works: what a sentence states', () => {
  it('reads the issue’s sentence: land, 3000万, next step next month, a problem for 市供电公司', () => {
    const p = only('风电装备项目本月完成土地摘牌，投资方到位资金3000万，下月办理施工许可，用电增容需要市供电公司协调');
    expect(p.project).toBe('风电装备项目');
    expect(p.substantive).toEqual(['land_milestone']);
    expect(p.funds).toEqual([{ fen: 3000 * 1_000_000, written: '3000万' }]);
    expect(p.problems).toEqual([{ category: 'energy', mustAct: '市供电公司', text: '用电增容需要市供电公司协调' }]);
    expect(p.nextStep).toEqual({ text: '下月办理施工许可', due: '2027-01-31', dueWritten: '下月' });
    expect(p.stageTo).toBeUndefined();
  });

  it.each([
    ['化工项目本月到账5千万', [5000]],
    ['化工项目到位资金三千万', [3000]],
    ['化工项目资金到位1.5个亿', [15000]],
    ['化工项目到位资金2,000万元', [2000]],
    ['化工项目到位资金0.3亿元', [3000]],
    ['化工项目本月到位一个亿', [10000]],
    ['化工项目投资方先期打款600万，注资1200万元', [600, 1200]],
    ['化工项目累计到位1.5亿元，其中本月到位2000万元', [2000]],
    ['化工项目港方到位300万港元，另有人民币1000万元本月到账', [1000]],
  ])('money arrived: %s', (text, amounts) => {
    expect(wan(only(text))).toEqual(amounts);
  });

  it('dates money by the day written, and only by a day', () => {
    expect(only('化工项目昨天到账500万元').funds[0]).toMatchObject({ date: '2026-12-01', dateWritten: '昨天' });
    expect(only('化工项目上周五到账1000万').funds[0]!.date).toBe('2026-11-27');
    expect(only('化工项目28号到账300万').funds[0]!.date).toBe('2026-11-28');
    expect(only('化工项目11月份到位资金2200万元').funds[0]!.date).toBeUndefined();
  });

  it.each([
    ['化工项目已签约', 'signed', true],
    ['化工项目正式签订投资协议', 'signed', true],
    ['化工项目签订框架协议', 'intent', true],
    ['化工项目双方达成投资意向', 'intent', false],
    ['化工项目进入实质性洽谈', 'negotiating', false],
    ['化工项目举行开工仪式', 'landed', false],
    ['化工项目已纳入谋划库', 'planning', false],
  ] as const)('stage: %s → %s', (text, stage, agreement) => {
    const p = only(text);
    expect(p.stageTo).toBe(stage);
    expect(p.substantive.includes('agreement')).toBe(agreement);
  });

  it.each([
    ['化工项目取得不动产权证', 'land_milestone'],
    ['化工项目已完成供地', 'land_milestone'],
    ['化工项目环评本月拿到批复', 'approval_milestone'],
    ['化工项目施工许可证已下发', 'approval_milestone'],
    ['化工项目投资方董事长来现场考察', 'decision_maker_visit'],
    ['化工项目签订补充协议', 'agreement'],
  ] as const)('substantive: %s → %s', (text, kind) => {
    expect(only(text).substantive).toEqual([kind]);
  });

  it.each([
    ['化工项目用地指标不足，需要市自然资源局统筹解决', 'land', '市自然资源局'],
    ['化工项目缺少标准化厂房，需要高新区管委会协调', 'plant', '高新区管委会'],
    ['化工项目流动资金紧张，需要吉林银行辽源分行给予贷款支持', 'funds', '吉林银行辽源分行'],
    ['化工项目能耗指标没有着落，需要省发改委单列解决', 'energy', '省发改委'],
    ['化工项目取水许可需要市水利局办理', 'approval', '市水利局'],
    ['化工项目技术工人招不来，需要市人社局对接职业院校', 'talent', '市人社局'],
    ['化工项目铁路专用线还没接轨，需要沈阳局集团公司配合施工', 'other', '沈阳局集团公司'],
    ['化工项目蒸汽供应不足，需要热电厂尽快解决', 'energy', '热电厂'],
  ] as const)('problem: %s → %s, %s', (text, category, mustAct) => {
    expect(only(text).problems.map(({ category, mustAct }) => ({ category, mustAct }))).toEqual([{ category, mustAct }]);
  });

  it('one party asked for two things gives two problems; a vague party is no party', () => {
    expect(only('化工项目用地和规划许可都需要市自然资源局协调').problems.map((p) => p.category)).toEqual(['land', 'approval']);
    expect(only('化工项目用地问题需要县里协调').problems).toEqual([expect.objectContaining({ category: 'land' })]);
    expect(only('化工项目用地问题需要县里协调').problems[0]!.mustAct).toBeUndefined();
  });

  it.each([
    ['化工项目下周三和设计院对接', '2026-12-09'],
    ['化工项目明年一季度投产', '2027-03-31'],
    ['化工项目10天内报送方案', '2026-12-12'],
    ['化工项目争取春节前投产', '2027-02-05'],
    ['化工项目元旦前开业', '2026-12-31'],
    ['化工项目1月下旬进行设备招标', '2027-01-31'],
    ['化工项目计划12.18召开推进会', '2026-12-18'],
    ['化工项目25号召开评审会', '2026-12-25'],
    ['化工项目本周内报送可研报告', '2026-12-06'],
    ['化工项目12月15日设备进场，明年3月投产', '2026-12-15'],
  ])('next step: %s → due %s', (text, due) => {
    expect(only(text).nextStep?.due).toBe(due);
  });

  it('a vague time is a next step without a due', () => {
    for (const text of ['化工项目准备春节后试车', '化工项目节后复工', '化工项目下一步办理规划许可', '化工项目近期组织专家评审']) {
      const p = only(text);
      expect(p.nextStep, text).toBeDefined();
      expect(p.nextStep!.due, text).toBeUndefined();
    }
  });

  it('several projects: each its own clauses; a shared clause applies to each', () => {
    const [a, b] = read('化工项目到位资金3000万；风电装备项目厂房不够用，需要高新区管委会协调');
    expect([a!.project, wan(a!), a!.problems.length]).toEqual(['化工项目', [3000], 0]);
    expect([b!.project, wan(b!), b!.problems[0]!.mustAct]).toEqual(['风电装备项目', [], '高新区管委会']);
    const both = read('化工项目和风电装备项目都需要市供电公司解决用电问题');
    expect(both.map((p) => p.problems[0]?.mustAct)).toEqual(['市供电公司', '市供电公司']);
  });

  it('finds a project written without its 项目 or its place, and text before the name goes to it', () => {
    expect(read('风电装备本月已签约', ['东丰县风电装备项目'])[0]).toMatchObject({ project: '东丰县风电装备项目', stageTo: 'signed' });
    expect(only('中粮生化总经理一行11月24日到东辽县考察化工项目选址').substantive).toEqual(['decision_maker_visit']);
    expect(read('风电项目已开工', ['200MW风电项目'])[0]).toMatchObject({ project: '200MW风电项目', written: '风电项目' });
    expect(read('储能电站项目已签约', ['500MWh储能电站项目'])[0]).toMatchObject({ written: '储能电站项目' });
    expect(read('智能袜业产业园到位资金3000万', ['年产5亿双智能袜业产业园'])[0]!.funds).toHaveLength(1);
  });
});

describe('refused: what a sentence does not state', () => {
  it.each([
    '化工项目总投资10亿元，目前还在洽谈中',
    '化工项目合同额3.5亿元，预计明年3月首笔资金到位',
    '化工项目计划投资8000万元，预计下月到位首笔资金2000万元',
    '化工项目投资方注册资本3000万',
    '化工项目到位资金没变化，还是上月的3000万',
    '化工项目外方到位资金800万美元',
    '化工项目年产值约5000万元，年产50万套',
    '化工项目投资方说下个月打款2000万',
    '化工项目首笔资金还没到位',
  ])('no money arrived: %s', (text) => {
    expect(only(text).funds).toEqual([]);
  });

  it.each([
    '化工项目本月没签约',
    '化工项目尚未签约',
    '化工项目预计下月签约',
    '化工项目争取年底前开工',
    '化工项目签约后一直没开工',
    '化工项目还在谋划阶段',
    '化工项目还在洽谈中',
    '化工项目评审通过后签约',
  ])('no stage move: %s', (text) => {
    const p = only(text);
    expect(p.stageTo).toBeUndefined();
    expect(p.substantive).not.toContain('agreement');
  });

  it.each([
    '化工项目本月完成土地组卷上报',
    '化工项目的地还没摘牌',
    '化工项目下月办理不动产权证',
    '化工项目环评公示结束，能评报告正在编制',
    '化工项目施工许可预计下周出',
    '化工项目环评迟迟批不下来',
    '化工项目对方技术团队来辽考察两次',
    '我们带队去杭州拜访了投资方董事长，化工项目对方表示年底前给答复',
    '化工项目投资方董事长原定本月来考察，因故推迟到下月',
    '化工项目投资方董事长下周来剪彩',
    '化工项目签订土地出让合同', // a land milestone, not an agreement
  ])('no agreement, visit or approval claimed: %s', (text) => {
    const kinds = only(text).substantive;
    expect(kinds.filter((k) => k !== 'land_milestone')).toEqual([]);
  });

  it('a problem solved is no problem; a party for a plain next step is no problem', () => {
    expect(only('化工项目用电问题已经解决，专线11月底送电').problems).toEqual([]);
    expect(only('化工项目明天和国网辽源供电公司对接').problems).toEqual([]);
    expect(only('化工项目12月20日前报市自然资源局审查').problems).toEqual([]);
  });

  it('a past date is not a due; carrying on is not a next step', () => {
    expect(only('化工项目施工许可证11月28日已下发').nextStep).toBeUndefined();
    expect(only('化工项目投资方董事长11月18日来实地考察').nextStep).toBeUndefined();
    expect(only('化工项目继续跟进').nextStep).toBeUndefined();
    expect(only('化工项目保持沟通').nextStep).toBeUndefined();
    expect(only('化工项目同意将规模由200MWh扩大到500MWh').nextStep).toBeUndefined();
  });

  it('chit-chat and names that are not the sender’s projects give nothing', () => {
    expect(read('收到')).toEqual([]);
    expect(read('辛苦了，谢谢何科长提醒')).toEqual([]);
    expect(read('光伏项目到位资金3000万')).toEqual([]);
    expect(read('化工项目到位资金3000万', [])).toEqual([]);
  });

  it('numbers that are not money are nothing, even in a project’s name', () => {
    expect(wan(read('年产5亿双袜业产业园本月到位资金3000万元', ['年产5亿双袜业产业园'])[0]!)).toEqual([3000]);
    expect(only('化工项目到位资金500万，用地200亩，能耗1.2万吨标煤').funds.map((f) => f.written)).toEqual(['500万']);
  });
});

describe('attacker: long, odd or hostile input', () => {
  it('cuts very long input at the bound, quickly', () => {
    const text = '化工项目' + '到位资金3000万，'.repeat(200_000);
    const started = performance.now();
    const x = extractReport(text, { today: TODAY, projects: PROJECTS });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(x.truncated).toBe(true);
    expect(x.projects[0]!.funds.length).toBeLessThanOrEqual(Math.ceil(MAX_INPUT_CHARS / 10));
  });

  it.each([
    ['digits', '化工项目到位' + '1'.repeat(1990) + '万'],
    ['commas', '化工项目到位' + '1,'.repeat(995) + '万'],
    ['months', '化工项目' + '12月'.repeat(660)],
    ['requests', ('化工项目需要市' + '局'.repeat(30) + '缺').repeat(60)],
    ['waits', '化工项目待' + '后'.repeat(1990)],
    ['numerals', '化工项目到位' + '一二三四五六七八九十'.repeat(199) + '万'],
  ])('does not backtrack on %s', (_name, text) => {
    const started = performance.now();
    extractReport(text, { today: TODAY, projects: PROJECTS });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('reads markup as text: tags neither hide nor add values', () => {
    const p = only('<b>化工项目</b>到位资金<script>alert(1)</script>500万 {{amount}} ${due}');
    expect(wan(p)).toEqual([500]);
    expect(p.nextStep).toBeUndefined();
  });

  it('never outputs an amount or a date that is not written in the text', () => {
    const text = '化工项目上周五到账1.5个亿，下月底前投产';
    const p = only(text);
    for (const f of p.funds) expect(text).toContain(f.written);
    expect(text).toContain(p.funds[0]!.dateWritten);
    expect(text).toContain(p.nextStep!.dueWritten);
  });
});
