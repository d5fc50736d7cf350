import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/index.js';
import { lexiconFor, matchQuery, type Intent, type LexKind } from '../../src/status/match.js';
import { loadDirectory } from '../../src/status/scope.js';
import { demoLexicon } from './demo-lexicon.js';
import { useTestDb } from '../helpers/db.js';

type Expect = [text: string, part: [LexKind, string] | null, intent: Intent] | [text: string, null];

// The phrasings people actually use in a group (@bot …) or in p2p, and what they mean.
const CASES: Expect[] = [
  ['新能源链这个月怎么样', ['chain', '新能源'], 'status'],
  ['东丰县有哪些项目逾期', ['unit', '东丰县'], 'overdue'],
  ['到位资金', null, 'funds'],
  ['东丰进展', ['unit', '东丰县'], 'status'],
  ['新能源', ['chain', '新能源'], 'status'],
  ['新能源产业链签约情况', ['chain', '新能源'], 'signed'],
  ['东辽县停滞项目', ['unit', '东辽县'], 'stalled'],
  ['龙山区有没有没报的', ['unit', '龙山区'], 'overdue'],
  ['高新区资金到位多少', ['unit', '辽源高新区'], 'funds'],
  ['辽源高新区目标完成得怎么样', ['unit', '辽源高新区'], 'targets'],
  ['袜业纺织链有什么困难', ['chain', '袜业纺织'], 'problems'],
  ['袜业', ['chain', '袜业纺织'], 'status'],
  ['文旅项目进展', ['chain', '新文旅'], 'status'],
  ['200MW风电项目进展', ['project', '200MW风电项目'], 'status'],
  ['梅花鹿精深加工怎么样', ['project', '梅花鹿精深加工项目'], 'status'],
  ['序时进度', null, 'targets'],
  ['哪些项目没有进展', null, 'stalled'],
  ['有哪些问题需要协调', null, 'problems'],
  ['本月签约', null, 'signed'],
  ['东丰县未填报项目', ['unit', '东丰县'], 'overdue'],
  ['全市情况', null, 'status'],
  ['新能源汽车零部件项目', ['project', '新能源汽车零部件项目'], 'status'],
  ['医药健康链资金', ['chain', '医药健康'], 'funds'],
  ['大健康', ['chain', '医药健康'], 'status'],
  ['数字经济有哪些项目停滞', ['chain', '未来经济'], 'stalled'],
  ['今天天气不错', null],
  ['你好', null],
  ['龙山逾期情况', ['unit', '龙山区'], 'overdue'],
  ['辽源市到位资金', ['unit', '辽源市'], 'funds'],
  ['农产品加工链的任务完成了吗', ['chain', '农产品加工'], 'targets'],
  ['冷链物流仓储中心卡住了吗', ['project', '冷链物流仓储中心'], 'stalled'],
  ['东辽合同', ['unit', '东辽县'], 'signed'],
  ['吉林省', ['unit', '吉林省'], 'status'],
  ['新能源链 到位资金', ['chain', '新能源'], 'funds'],
  ['东丰县商务局的问题', ['unit', '东丰县商务局'], 'problems'],
  ['商务局', null],
  ['玉米深加工20万吨项目有什么困难', ['project', '玉米深加工20万吨项目'], 'problems'],
  ['年产5亿双智能袜业产业园签约了吗', ['project', '年产5亿双智能袜业产业园'], 'signed'],
  ['ＬＹ２０２６ 东丰县，逾期！', ['unit', '东丰县'], 'overdue'],
  ['东丰县这个月的资金和签约', ['unit', '东丰县'], 'funds'],
];

describe('plain-word matcher', () => {
  const lex = demoLexicon();

  it('has at least 30 phrasings', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)('%s', (text, part, intent?) => {
    const m = matchQuery(text, lex);
    if (part === null && intent === undefined) {
      expect(m).toBeNull();
      return;
    }
    expect(m).not.toBeNull();
    expect(m!.intent).toBe(intent);
    expect(m!.part ? [m!.part.kind, m!.part.name] : null).toEqual(part);
  });

  it('drops an alias two units share, but keeps official names', () => {
    const terms = lex.entries.filter((e) => e.term === '商务局');
    expect(terms).toEqual([]);
    expect(lex.entries.some((e) => e.kind === 'unit' && e.term === '东丰县商务局')).toBe(true);
  });
});

describe('lexicon from the database', () => {
  const t = useTestDb();

  it('finds projects by name (and name without 项目) in SQL, units and chains from the directory', async () => {
    await seedDemo(t.db, '2026-11-25');
    const dir = await loadDirectory(t.db);
    for (const [text, kind, name] of [
      ['梅花鹿精深加工怎么样', 'project', '梅花鹿精深加工项目'],
      ['@机器人 200mw风电项目进展', 'project', '200MW风电项目'],
      ['新能源链这个月怎么样', 'chain', '新能源'],
      ['东丰县有哪些项目逾期', 'unit', '东丰县'],
    ] as const) {
      const lex = await lexiconFor(t.db, dir, text);
      const m = matchQuery(text, lex);
      expect(m?.part, text).toMatchObject({ kind, name });
    }
    // Only the projects sharing a piece of two characters with the text travel, not the whole table, and a
    // shorter shared piece does not beat the chain's name.
    const lex = await lexiconFor(t.db, dir, '新能源链这个月怎么样');
    const travelled = lex.entries.filter((e) => e.kind === 'project');
    expect(travelled.length).toBeLessThan(10);
    for (const e of travelled)
      expect(
        ['新能', '能源', '这个', '个月', '怎么', '么样'].some((b) => e.name.includes(b)),
        e.name,
      ).toBe(true);
    expect(matchQuery('新能源链这个月怎么样', lex)?.part).toMatchObject({ kind: 'chain', name: '新能源' });
  });
});
