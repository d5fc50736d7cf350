import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createExtractor, deterministicExtractor, extractReport } from '../../src/report/extract/index.js';
import { startFakeLlm, type FakeLlm } from '../helpers/fake-llm.js';

/*
 * The language-model reader behind the Extractor interface, against a fake OpenAI-compatible endpoint: the request
 * it sends, the merge with the rules (the model adds, never invents an amount, a date or a party), and the fall
 * back to the rules on any failure.
 */

const TODAY = '2026-12-02';
const ctx = { today: TODAY, projects: ['化工项目', '风电装备项目'] };
let fake: FakeLlm;

beforeAll(async () => {
  fake = await startFakeLlm();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

const extractor = () => {
  const config = loadConfig({ LLM_BASE_URL: fake.baseUrl, LLM_MODEL: 'fake-model', LLM_API_KEY: 'test-key' });
  return createExtractor(config.llm && { ...config.llm, timeoutMs: 500 });
};

describe('createExtractor', () => {
  it('is the rules when no model is configured', () => {
    expect(createExtractor(loadConfig({}).llm)).toBe(deterministicExtractor);
  });
});

describe('the model reader against a fake OpenAI-compatible endpoint', () => {
  it('posts the sentence with the prompt from prompts/, the model and the key', async () => {
    fake.answer(() => '{"projects":[]}');
    await extractor().extract('化工项目本月无变化', ctx);
    expect(fake.requests).toHaveLength(1);
    const r = fake.requests[0]!;
    expect(r.path).toBe('/v1/chat/completions');
    expect(r.headers.authorization).toBe('Bearer test-key');
    expect(r.body.model).toBe('fake-model');
    expect(r.body.messages![0]!.role).toBe('system');
    expect(r.body.messages![0]!.content).toContain('2026-12-02');
    expect(r.body.messages![0]!.content).toContain('化工项目、风电装备项目');
    expect(r.body.messages![1]).toEqual({ role: 'user', content: '化工项目本月无变化' });
  });

  it('adds what the rules missed, when it is written in the sentence', async () => {
    const text = '化工项目本月投资方掌舵人亲临厂区，到位资金三千万';
    expect(extractReport(text, ctx).projects[0]!.substantive).toEqual([]); // the rules do not know 掌舵人
    fake.answer(() =>
      JSON.stringify({
        projects: [
          {
            project: '化工项目',
            substantive: ['decision_maker_visit'],
            funds: [{ amount: '三千万' }],
            stageTo: null,
            problems: [{ category: 'talent' }],
            nextStep: { text: '下月投产', due: '下月' },
          },
        ],
      }),
    );
    const x = await extractor().extract(text, ctx);
    const p = x.projects[0]!;
    expect(p.substantive).toContain('decision_maker_visit');
    expect(p.funds).toEqual([{ fen: 3000 * 1_000_000, written: '三千万' }]); // not twice
    expect(p.problems).toEqual([{ category: 'talent', text: '' }]);
    expect(p.nextStep).toEqual({ text: '下月投产' }); // 下月 is not in the sentence: no due
  });

  it('never takes an amount, a date, a party or a project the sentence does not hold', async () => {
    const text = '化工项目昨天到账500万元，用电需要协调';
    fake.answer(
      () =>
        '```json\n' +
        JSON.stringify({
          projects: [
            {
              project: '化工项目',
              substantive: [],
              funds: [{ amount: '5000万' }, { amount: '500万元', date: '11月3日' }, { amount: '一千万' }],
              problems: [{ category: 'energy', mustAct: '市供电公司' }],
              nextStep: { text: '尽快', due: '12月31日' },
            },
            { project: '风电装备项目', substantive: ['agreement'], funds: [{ amount: '500万元' }] },
            { project: '别人的项目', substantive: ['agreement'] },
          ],
        }) +
        '\n```',
    );
    const x = await extractor().extract(text, ctx);
    expect(x.projects.map((p) => p.project)).toEqual(['化工项目']);
    const p = x.projects[0]!;
    expect(p.funds).toEqual(extractReport(text, ctx).projects[0]!.funds); // the rules' 500万元 on 12-01 only
    expect(p.funds[0]).toMatchObject({ written: '500万元', date: '2026-12-01' });
    expect(p.problems.every((q) => q.mustAct === undefined)).toBe(true);
    expect(p.nextStep?.due).toBeUndefined();
  });

  it.each([
    ['a server error', { status: 500, body: '{"error":"boom"}' }],
    ['a malformed envelope', { status: 200, body: '{"nope":1}' }],
    ['content that is not JSON', 'sorry, I cannot help with that'],
    ['an answer of the wrong shape', '{"projects":[{"project":"化工项目","stageTo":"launched"}]}'],
    ['a timeout', { delayMs: 2000, content: '{"projects":[]}' }],
  ] as const)('falls back to the rules on %s', async (_name, reply) => {
    fake.answer(() => reply);
    const text = '风电装备项目本月完成土地摘牌，投资方到位资金3000万，下月办理施工许可，用电增容需要市供电公司协调';
    expect(await extractor().extract(text, ctx)).toEqual(extractReport(text, ctx));
  });

  it('falls back to the rules when the endpoint cannot be reached', async () => {
    const off = createExtractor({ baseUrl: 'http://127.0.0.1:1/v1', model: 'm', timeoutMs: 500 });
    const text = '化工项目已签约';
    expect(await off.extract(text, ctx)).toEqual(extractReport(text, ctx));
  });
});
