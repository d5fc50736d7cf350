/**
 * Lark's card rules (src/lark/card-rules.ts): cards Lark takes, cards it refuses with the code it answers, and
 * every card the bot sends on a tour of its commands, callbacks and scheduled jobs through the emulator.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/index.js';
import {
  button,
  card,
  chart,
  columns,
  datePicker,
  form,
  hr,
  input,
  md,
  select,
  submitButton,
  table,
  type Element,
} from '../../src/lark/cards.js';
import {
  CARD_MAX_BYTES,
  CARD_MAX_ELEMENTS,
  cardErrors,
  checkCard,
  larkCardRefusal,
  type CardIssue,
  type CardIssueCode,
} from '../../src/lark/card-rules.js';
import { runJob } from '../../src/jobs/runner.js';
import { reminders } from '../../src/jobs/reminders.js';
import { overdue } from '../../src/jobs/overdue.js';
import { ageing } from '../../src/jobs/ageing.js';
import { letters } from '../../src/jobs/letters.js';
import { digestWeekly } from '../../src/jobs/digest.js';
import { summaryHalfYear, summaryMonthly, summaryQuarterly } from '../../src/jobs/summaries.js';
import type { Job } from '../../src/jobs/types.js';
import { useDemoBot } from '../helpers/bot.js';
import { button as findButton, buttons, text } from '../helpers/cards.js';

const codes = (issues: CardIssue[]) => issues.map((i) => i.code);
/** The tags used anywhere in a card. */
function tagsOf(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const x of node) tagsOf(x, out);
  else if (node && typeof node === 'object') {
    const tag = (node as { tag?: unknown }).tag;
    if (typeof tag === 'string') out.add(tag);
    for (const v of Object.values(node)) tagsOf(v, out);
  }
  return out;
}
const errorCodes = (c: unknown) => codes(cardErrors(c));

/** A 2.0 card around the given elements, as the bot's builder makes it. */
const cardOf = (elements: Element[]) => card({ title: 'Title', elements });
const submit = () => submitButton('Submit', { a: 'x' });

describe('cards Lark takes', () => {
  it('a plain card with text, a divider and buttons in columns', () => {
    const c = cardOf([
      md('**hello**'),
      hr(),
      columns([{ elements: [button('A', { a: 'a' })] }, { elements: [button('B', { a: 'b' }, { type: 'primary' })] }]),
    ]);
    expect(checkCard(c)).toEqual([]);
  });

  it('a form with an input, a select, a date picker and a submit button inside columns', () => {
    const c = cardOf([
      form('f', [
        input({ name: 'note', label: 'Note', placeholder: 'type' }),
        select({ name: 'kind', placeholder: 'pick', options: [{ text: 'One', value: '1' }] }),
        datePicker({ name: 'day', placeholder: 'day' }),
        columns([{ elements: [submit()] }]),
      ]),
    ]);
    expect(checkCard(c)).toEqual([]);
  });

  it('a table and a chart at the root', () => {
    const c = cardOf([
      table({
        columns: [
          { name: 'name', label: 'Name' },
          { name: 'n', label: 'Count', type: 'number' },
        ],
        rows: [
          { name: 'a', n: 1 },
          { name: 'b', n: 2 },
        ],
      }),
      chart({ kind: 'bar', title: 'Bars', data: [{ x: 'a', y: 1 }] }),
    ]);
    expect(checkCard(c)).toEqual([]);
  });

  it('a card of exactly 30 KB and exactly 200 elements', () => {
    const sized = cardOf([md('')]);
    const pad = CARD_MAX_BYTES - new TextEncoder().encode(JSON.stringify(sized)).length;
    (sized.body.elements[0] as { content: string }).content = 'x'.repeat(pad);
    expect(new TextEncoder().encode(JSON.stringify(sized)).length).toBe(CARD_MAX_BYTES);
    expect(checkCard(sized)).toEqual([]);
    // The header's title is a tagged element too: 1 + 199 markdown components.
    const counted = cardOf(Array.from({ length: CARD_MAX_ELEMENTS - 1 }, () => md('.')));
    expect(checkCard(counted)).toEqual([]);
  });

  it('a card that is not schema 2.0 is only measured, with a warning that its rules were not checked', () => {
    const issues = checkCard({ elements: [{ tag: 'action', actions: [] }] });
    expect(issues.map((i) => [i.code, i.severity])).toEqual([['not_schema_2', 'warning']]);
    expect(larkCardRefusal({ elements: [] })).toBeUndefined();
  });
});

describe('cards Lark refuses', () => {
  it('a 31 KB card: 230025, as Lark answers a message over 30 KB', () => {
    const c = cardOf([md('x'.repeat(31 * 1024))]);
    const [issue] = cardErrors(c);
    expect(issue).toMatchObject({ code: 'card_too_large', path: '', lark: { code: 230025 } });
    expect(larkCardRefusal(c)).toMatchObject({ status: 400, code: 230025 });
    expect(larkCardRefusal(c)!.msg).toMatch(/^The length of the message content reaches its limit/);
  });

  it('a table inside a form', () => {
    const c = cardOf([form('f', [table({ columns: [{ name: 'a', label: 'A' }], rows: [{ a: '1' }] }), submit()])]);
    expect(errorCodes(c)).toEqual(['table_in_form']);
    expect(cardErrors(c)[0]!.path).toBe('body.elements[0].elements[0]');
    expect(larkCardRefusal(c)).toMatchObject({ status: 400, code: 230099 });
    expect(larkCardRefusal(c)!.msg).toContain('ErrPath: ROOT -> body.elements[0].elements[0]');
  });

  it('a table inside columns', () => {
    const c = cardOf([columns([{ elements: [table({ columns: [{ name: 'a', label: 'A' }], rows: [] })] }])]);
    expect(errorCodes(c)).toEqual(['table_not_at_root']);
  });

  it('a form without a submit button, or whose only button does not submit', () => {
    expect(errorCodes(cardOf([form('f', [input({ name: 'a', label: 'A' })])]))).toEqual(['form_without_submit']);
    const callbackOnly = cardOf([form('f', [input({ name: 'a', label: 'A' }), button('Go', { a: 'go' }, { name: 'go' })])]);
    expect(errorCodes(callbackOnly)).toEqual(['form_button_without_action_type', 'form_without_submit']);
  });

  it('duplicate input names, in one form or across two', () => {
    const one = cardOf([form('f', [input({ name: 'a', label: 'A' }), input({ name: 'a', label: 'A again' }), submit()])]);
    expect(errorCodes(one)).toEqual(['form_field_name_duplicate']);
    expect(cardErrors(one)[0]!.path).toBe('body.elements[0].elements[1].name');
    const two = cardOf([
      form('f1', [input({ name: 'a', label: 'A' }), submitButton('S', { a: 1 }, 's1')]),
      form('f2', [input({ name: 'a', label: 'A' }), submitButton('S', { a: 2 }, 's2')]),
    ]);
    expect(errorCodes(two)).toEqual(['form_field_name_duplicate']);
  });

  it('a field without a name in a form, a form without a name, two forms of one name', () => {
    const c = cardOf([
      { tag: 'form', elements: [{ tag: 'input' }, submit()] },
      form('same', [submitButton('S', {}, 's2')]),
      form('same', [submitButton('S', {}, 's3')]),
    ]);
    expect(errorCodes(c)).toEqual(['form_name_missing', 'form_field_without_name', 'form_name_duplicate']);
  });

  it('a form inside a form, and a form inside columns', () => {
    const nested = cardOf([form('outer', [form('inner', [submitButton('S', {}, 's1')]), submitButton('S', {}, 's2')])]);
    expect(errorCodes(nested)).toEqual(['form_nested']);
    const inColumns = cardOf([columns([{ elements: [form('f', [submit()])] }])]);
    expect(errorCodes(inColumns)).toEqual(['form_not_at_root']);
  });

  it('201 elements: 230099 with ErrCode 11310', () => {
    const c = cardOf(Array.from({ length: CARD_MAX_ELEMENTS }, () => md('.')));
    expect(cardErrors(c)).toEqual([expect.objectContaining({ code: 'too_many_elements', lark: { code: 230099, subCode: 11310 } })]);
    expect(larkCardRefusal(c)!.msg).toContain('ErrCode: 11310');
  });

  it('text elements count: a select whose options carry plain_text texts', () => {
    const options = Array.from({ length: 196 }, (_, i) => ({ text: String(i), value: String(i) }));
    // header title 1 + form 1 + select 1 + placeholder 1 + 196 option texts + submit 1 + its text 1 = 202
    const c = cardOf([form('f', [select({ name: 's', placeholder: 'p', options }), submit()])]);
    expect(errorCodes(c)).toEqual(['too_many_elements']);
  });

  it('table rows and columns that disagree: an undeclared key (200915), a cell of the wrong type (200914)', () => {
    const c = cardOf([
      table({
        columns: [
          { name: 'name', label: 'Name' },
          { name: 'n', label: 'N', type: 'number' },
        ],
        rows: [
          { name: 'a', n: 'three' },
          { name: 'b', extra: 1 },
        ],
      }),
    ]);
    expect(cardErrors(c).map((i) => [i.code, i.path, i.lark?.subCode])).toEqual([
      ['table_cell_type_mismatch', 'body.elements[0].rows[0].n', 200914],
      ['table_row_unknown_column', 'body.elements[0].rows[1].extra', 200915],
    ]);
  });

  it('table shapes: no columns, a nameless or duplicate column, a bad data type, page_size over 10, rows not an array', () => {
    const base = { tag: 'table', rows: [] };
    expect(errorCodes(cardOf([{ ...base, columns: [] }]))).toEqual(['table_columns_missing']);
    expect(errorCodes(cardOf([{ ...base, columns: [{ display_name: 'x' }] }]))).toEqual(['table_column_invalid']);
    expect(errorCodes(cardOf([{ ...base, columns: [{ name: 'a' }, { name: 'a' }] }]))).toEqual(['table_column_duplicate']);
    expect(errorCodes(cardOf([{ ...base, columns: [{ name: 'a', data_type: 'money' }] }]))).toEqual(['table_column_invalid']);
    expect(errorCodes(cardOf([{ ...base, page_size: 11, columns: [{ name: 'a' }] }]))).toEqual(['table_page_size_invalid']);
    expect(errorCodes(cardOf([{ tag: 'table', columns: [{ name: 'a' }], rows: {} }]))).toEqual(['table_rows_invalid']);
  });

  it('six tables', () => {
    const t = () => table({ columns: [{ name: 'a', label: 'A' }], rows: [] });
    expect(errorCodes(cardOf([t(), t(), t(), t(), t(), t()]))).toEqual(['too_many_tables']);
  });

  it('a chart without chart_spec, or with a spec without a type, a bad aspect ratio or height (200550 for the spec)', () => {
    expect(cardErrors(cardOf([{ tag: 'chart' }]))).toEqual([
      expect.objectContaining({ code: 'chart_spec_missing', lark: { code: 230099, subCode: 200550 } }),
    ]);
    expect(errorCodes(cardOf([{ tag: 'chart', chart_spec: { data: {} } }]))).toEqual(['chart_spec_type_missing']);
    expect(errorCodes(cardOf([{ tag: 'chart', chart_spec: { type: 'bar' }, aspect_ratio: '3:1', height: '1200px' }]))).toEqual([
      'chart_aspect_ratio_invalid',
      'chart_height_invalid',
    ]);
  });

  it('button and behavior values that are not objects', () => {
    const c = cardOf([
      { tag: 'button', text: { tag: 'plain_text', content: 'A' }, behaviors: [{ type: 'callback', value: 'report' }] },
      { tag: 'button', text: { tag: 'plain_text', content: 'B' }, value: ['x'] },
      { tag: 'button', text: { tag: 'plain_text', content: 'C' }, behaviors: { type: 'callback', value: {} } },
      { tag: 'button', text: { tag: 'plain_text', content: 'D' }, behaviors: [{ type: 'jump' }] },
    ]);
    expect(errorCodes(c)).toEqual(['callback_value_not_object', 'button_value_not_object', 'behaviors_invalid', 'behaviors_invalid']);
  });

  it('a button type Lark does not have, a button text over 100 characters, an input max_length over 1000', () => {
    const c = cardOf([
      button('x'.repeat(101), { a: 1 }, { type: 'huge' as 'primary' }),
      form('f', [input({ name: 'a', label: 'A', maxLength: 5000 }), submit()]),
    ]);
    expect(errorCodes(c)).toEqual(['button_type_invalid', 'button_text_too_long', 'input_max_length_invalid']);
  });

  it('unknown top-level, config and body keys; update_multi false; a header without a title', () => {
    const c = {
      schema: '2.0',
      elements: [],
      config: { update_multi: false, wide_screen_mode: true },
      header: {},
      body: { elements: [], foo: 1 },
    };
    expect(cardErrors(c).map((i) => [i.code, i.path])).toEqual([
      ['unknown_key', 'elements'],
      ['unknown_key', 'config.wide_screen_mode'],
      ['config_invalid', 'config.update_multi'],
      ['header_invalid', 'header.title'],
      ['unknown_key', 'body.foo'],
    ]);
  });

  it('the 1.0 action module and note component (200861), a component without a tag, a body without elements', () => {
    expect(
      cardErrors(
        cardOf([
          { tag: 'action', actions: [] },
          { tag: 'note', elements: [] },
        ]),
      ),
    ).toEqual([
      expect.objectContaining({ code: 'tag_unsupported_in_v2', lark: { code: 230099, subCode: 200861 } }),
      expect.objectContaining({ code: 'tag_unsupported_in_v2' }),
    ]);
    expect(errorCodes(cardOf([{ content: 'no tag' }]))).toEqual(['tag_missing']);
    expect(errorCodes({ schema: '2.0', body: {} })).toEqual(['body_invalid']);
    expect(errorCodes('{"schema":"2.0"}')).toEqual(['card_not_object']);
  });

  it('containers six deep', () => {
    let inner: Element = md('deep');
    for (let i = 0; i < 6; i++) inner = { tag: 'interactive_container', elements: [inner] };
    expect(errorCodes(cardOf([inner]))).toEqual(['nesting_too_deep']);
  });

  it('element ids that break the format or repeat', () => {
    const c = cardOf([md('a', { element_id: '1abc' }), md('b', { element_id: 'same' }), md('c', { element_id: 'same' })]);
    expect(errorCodes(c)).toEqual(['element_id_invalid', 'element_id_duplicate']);
  });

  it('warns (accepted, but dropped or ignored): required outside a form, six charts, a chart in a form, an unknown tag', () => {
    const ch = () => chart({ kind: 'line', title: 'L', data: [{ x: 'a', y: 1 }] });
    const c = cardOf([
      input({ name: 'a', label: 'A', required: true }),
      ch(),
      ch(),
      ch(),
      ch(),
      ch(),
      form('f', [ch(), submit()]),
      { tag: 'sparkles' },
    ]);
    expect(cardErrors(c)).toEqual([]);
    expect(
      checkCard(c)
        .map((i) => i.code)
        .sort(),
    ).toEqual(['chart_in_form', 'required_outside_form', 'tag_unknown', 'too_many_charts'] satisfies CardIssueCode[]);
  });

  it('warns on a mention of everyone in markdown (a user’s text let through), not on the same text escaped or a person', () => {
    const raw = cardOf([md('进展：<at id=all></at>请全体注意'), md("<at user_id='all'></at>"), md('<at id=ou_demo_wu_lei></at>')]);
    expect(cardErrors(raw)).toEqual([]);
    expect(checkCard(raw).map((i) => [i.code, i.path])).toEqual([
      ['mention_all', 'body.elements[0].content'],
      ['mention_all', 'body.elements[1].content'],
    ]);
    expect(checkCard(cardOf([md('进展：&lt;at id=all&gt;&lt;/at&gt;请全体注意')]))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Every card the bot sends, on a tour of its commands, card callbacks and scheduled jobs.

const WU = 'ou_demo_wu_lei'; // officer
const ZHENG = 'ou_demo_zheng_hao'; // officer, owner of LY2026-002
const YANG = 'ou_demo_yang_fan'; // 东丰县 lead
const HE = 'ou_demo_he_jing'; // admin
const DF_GROUP = 'oc_demo_df_mech';

async function ledgerFile(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const pj = wb.addWorksheet('项目');
  pj.addRow(['项目编号', '项目名称', '投资方', '产业链', '项目阶段', '首谈单位编码', '承载地编码', '责任人', '计划总投资']);
  pj.addRow(['LY2026-901', '卡片校验测试项目', '测试投资方', '装备制造', '洽谈', 'LY-DF', 'LY-DF', '吴磊', '2亿']);
  pj.addRow(['LY2026-902', '', '测试投资方', '装备制造', '火星', 'LY-DF', 'LY-DF', '无此人', '很多']);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('every card the bot sends', () => {
  const { t, bot, clock } = useDemoBot('2026-11-13T09:00:00+08:00', '2026-11-13', { reseed: false });
  // One demo city for the whole tour: each step builds on the last, as the bot's day does.
  beforeAll(async () => {
    await seedDemo(t.db, '2026-11-13');
  });
  /** Each card version seen, by message: what was sent, and what replaced it (PATCH or callback answer). */
  const seen = new Map<string, { where: string; card: unknown }>();
  const collect = (step: string) => {
    for (const m of bot.emulator.messages()) {
      if (m.msg_type !== 'interactive') continue;
      const key = `${m.message_id}:${m.raw}`;
      if (!seen.has(key))
        seen.set(key, { where: `${step} → ${m.message_id} (${text(m.content).split('\n')[0]!.slice(0, 40)})`, card: m.content });
    }
  };
  const say = async (from: string, words: string, chatId?: string) => {
    clock.advance(1100); // Lark limits sends per chat per second
    await bot.emulator.sendText(from, words, chatId ? { chatId, mentionBot: true } : undefined);
    await bot.settle();
    collect(`${words}${chatId ? ` in ${chatId}` : ''}`);
  };
  const lastCard = (openId: string) =>
    bot.emulator
      .messages({ openId })
      .filter((m) => m.msg_type === 'interactive')
      .at(-1)!;
  const click = async (openId: string, messageId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>) => {
    clock.advance(1100);
    const r = await bot.emulator.clickCard(messageId, openId, { value, tag: 'button', ...(formValue ? { form_value: formValue } : {}) });
    await bot.settle();
    if (r.card)
      seen.set(`callback:${messageId}:${JSON.stringify(r.card)}`, { where: `callback answer ${JSON.stringify(value)}`, card: r.card });
    collect(`click ${JSON.stringify(value)}`);
    return r;
  };
  const job = async (j: Job, at: string) => {
    clock.set(at);
    const r = await runJob(bot.runtime.deps, j, new Date(at));
    await bot.settle();
    collect(`job ${j.name} at ${at}`);
    return r;
  };

  it('in chat: help, the demo card, my projects, report forms refused and accepted, moves, new projects, letters', async () => {
    await say(WU, '帮助');
    await say(WU, '演示卡片');
    await click(WU, lastCard(WU).message_id, { a: 'demo_click', count: 0 });
    await say(WU, '我的项目');
    const mine = lastCard(WU);
    const noChange = buttons(mine.content).find((b) => b.value.a === 'report_nochange');
    if (noChange) await click(WU, mine.message_id, noChange.value);
    await say(ZHENG, '填报 LY2026-002');
    const formMsg = lastCard(ZHENG);
    const sub = findButton(formMsg.content, { a: 'report_submit' });
    const typed = {
      stage: 'signed',
      progress: '双方完成合同谈判',
      fund_amount: '0.5亿',
      fund_date: '2026-11-10 +0800',
      fund_evidence: 'bank_statement',
    };
    await click(ZHENG, formMsg.message_id, sub.value, typed);
    const good = { ...typed, contract_amount: '6亿', signed_on: '2026-11-12 +0800', substantive: 'agreement' };
    await click(ZHENG, formMsg.message_id, sub.value, good);
    await say(WU, '填报 项目');
    await say(WU, '推进 跨境电商 签约');
    await say(WU, '新建项目');
    const created = lastCard(WU);
    const newSubmit = buttons(created.content).find((b) => b.submit);
    if (newSubmit) await click(WU, created.message_id, newSubmit.value, { name: '' });
    await say(WU, '/letter');
    expect(seen.size).toBeGreaterThan(8);
  });

  it('status: p2p and group scopes, a project, plain words, targets', async () => {
    clock.set('2026-11-25T10:00:00+08:00');
    await say(WU, '进展');
    await say(YANG, '进展');
    await say(YANG, '进展', DF_GROUP);
    await say(YANG, '/status 200MW风电项目', DF_GROUP);
    await say(HE, '东丰县有哪些项目逾期', DF_GROUP);
    await say(YANG, '目标', DF_GROUP);
  });

  it('the ledger in chat: a preview with errors, a preview to confirm, and the result', async () => {
    clock.set('2026-11-13T11:00:00+08:00');
    await bot.emulator.sendFile(HE, { name: '台账.xlsx', bytes: await ledgerFile() });
    await bot.settle();
    collect('ledger with errors');
    const wb = new ExcelJS.Workbook();
    const pj = wb.addWorksheet('项目');
    pj.addRow(['项目编号', '项目名称', '投资方', '产业链', '项目阶段', '首谈单位编码', '承载地编码', '责任人', '计划总投资']);
    pj.addRow(['LY2026-903', '卡片校验导入项目', '测试投资方', '装备制造', '洽谈', 'LY-DF', 'LY-DF', '吴磊', '2亿']);
    clock.advance(1100);
    await bot.emulator.sendFile(HE, { name: '台账2.xlsx', bytes: new Uint8Array(await wb.xlsx.writeBuffer()) });
    await bot.settle();
    collect('ledger preview');
    const preview = lastCard(HE);
    const confirm = buttons(preview.content).find((b) => b.value.a === 'import_confirm');
    if (confirm) await click(HE, preview.message_id, confirm.value);
  });

  it('scheduled jobs: reminders, letters, ageing, digests, overdue warnings and escalations, summaries', async () => {
    const runs = [
      await job(reminders, '2026-11-13T09:00:00+08:00'),
      await job(letters, '2026-11-13T10:00:00+08:00'),
      await job(ageing, '2026-11-13T10:00:00+08:00'),
      await job(digestWeekly, '2026-11-16T09:30:00+08:00'),
      await job(reminders, '2026-11-19T09:00:00+08:00'),
      await job(overdue, '2026-11-23T09:30:00+08:00'),
      await job(summaryMonthly, '2026-11-23T09:30:00+08:00'),
      await job(overdue, '2026-11-26T09:30:00+08:00'),
      await job(summaryHalfYear, '2026-12-22T09:30:00+08:00'),
      await job(summaryQuarterly, '2027-01-21T09:30:00+08:00'),
    ];
    expect(runs.filter((r) => r.status === 'done').length).toBeGreaterThanOrEqual(8);
  });

  it('breaks none of Lark’s rules (errors and warnings alike)', () => {
    const found = [...seen.values()].flatMap(({ where, card: c }) =>
      checkCard(c).map((i) => `${where}: ${i.severity} ${i.code} at ${i.path} — ${i.message}`),
    );
    console.log(`card rules: ${seen.size} card versions checked`);
    expect(seen.size).toBeGreaterThan(30);
    // The tour reached every shape the rules are about.
    const shapes = new Set([...seen.values()].flatMap(({ card: c }) => [...tagsOf(c)]));
    expect([...shapes].sort()).toEqual(
      expect.arrayContaining(['button', 'chart', 'column_set', 'date_picker', 'form', 'input', 'select_static', 'table']),
    );
    expect(found).toEqual([]);
  });

  it('would catch a rule broken in a card the bot sends: a table slipped into its report form', () => {
    const withForm = [...seen.values()].find(({ card: c }) => tagsOf(c).has('form'))!;
    const broken = structuredClone(withForm.card) as { body: { elements: { tag: string; elements?: Element[] }[] } };
    const f = broken.body.elements.find((e) => e.tag === 'form')!;
    f.elements!.unshift(table({ columns: [{ name: 'a', label: 'A' }], rows: [{ a: 1 }] }));
    expect(errorCodes(broken)).toEqual(['table_in_form']);
  });
});

describe('mention', () => {
  it('mentions a person with a Lark id and names one without, never trusting an id that is not an open_id', async () => {
    const { mention } = await import('../../src/lark/cards.js');
    // A mention is Markup (the one value a template takes as markup); its source is what goes into the card.
    expect(mention({ name: '吴磊', openId: 'ou_demo_wu_lei' }).source).toBe('<at id=ou_demo_wu_lei></at>');
    expect(mention({ name: '张三', openId: null }).source).toBe('张三');
    expect(mention({ name: '李四', openId: 'all' }).source).toBe('李四');
    expect(mention({ name: '王五', openId: 'ou_x></at><at id=all' }).source).toBe('王五');
  });

  it('escapes the name it shows instead of a mention: a name is user text', async () => {
    const { mention } = await import('../../src/lark/cards.js');
    expect(mention({ name: '<at id=all></at>赵六', openId: null }).source).toBe('&lt;at id=all&gt;&lt;/at&gt;赵六');
  });
});
