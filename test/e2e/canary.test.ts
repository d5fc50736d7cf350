/**
 * User text is data, never markup (issue 13, item 9): a canary holding a mention of everyone, a link, bold, an
 * HTML tag and a heading is typed into every field a person fills — a unit's name (ledger sent in chat), a
 * project's name (新建项目), progress and problem (填报), a trip's destination (/trip), command arguments
 * (/status, and text the bot does not understand) — and then read back where the bot shows it: the project view,
 * the group's status card, the weekly digest, the monthly summary, the "没有理解" reply.
 *
 * It must be there, escaped (shown as typed), and nowhere may it survive as markup: every card and text message
 * the bot sent (the emulator's copy and the outbox rows) is scanned.
 */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { outbox, problems, projects, trips, units } from '../../db/schema.js';
import { runJob } from '../../src/jobs/runner.js';
import { digestWeekly } from '../../src/jobs/digest.js';
import { summaryMonthly } from '../../src/jobs/summaries.js';
import { escapeMarkdown, forTextMessage } from '../../src/domain/markup.js';
import { checkCard } from '../../src/lark/card-rules.js';
import { useDemoBot } from '../helpers/bot.js';
import { button, walk } from '../helpers/cards.js';

type Node = Record<string, unknown>;

/** One canary per field, so a hit says which field it came from. Starts with "# " (a heading at a line start). */
const canary = (field: string) => `# ${field}金丝雀<at id=all></at>[x](https://evil.example)**粗**<b>b</b>`;
const UNIT = canary('单位');
const PROJECT = canary('项目');
const PROGRESS = canary('进展');
const PROBLEM = canary('问题');
const DESTINATION = canary('目的地');
// Shares no two characters with the other canaries: the plain-word matcher would otherwise (rightly) read it as
// naming the canary project, which shares 金丝雀.
const ARGUMENT = '# 指令试探<at id=all></at>[x](https://evil.example)**粗**<b>b</b>';

const ADMIN = 'ou_demo_he_jing';
const OFFICER = 'ou_demo_wu_lei'; // 东丰县商务局
const LEAD = 'ou_demo_yang_fan'; // 东丰县县长
const DF_GROUP = 'oc_demo_df_mech';

/** What would still be read as markup in card markdown or in a text message. */
const RAW_MARKUP: [string, RegExp][] = [
  ['a mention of everyone', /<at\s+(?:user_)?id\s*=\s*"?all/i],
  ['a link', /\]\(https:\/\/evil\.example/],
  ['an HTML tag', /<b>/i],
  ['bold', /\*\*粗\*\*/],
  ['a heading', /^\s*#\s+\S*金丝雀/m],
];

/** Every markdown text of a card: markdown elements, lark_md texts, and the cells of lark_md table columns. */
function markdownOf(card: unknown): string[] {
  const out: string[] = [];
  walk(card, (n) => {
    if ((n.tag === 'markdown' || n.tag === 'lark_md') && typeof n.content === 'string') out.push(n.content);
    if (n.tag === 'table' && Array.isArray(n.columns) && Array.isArray(n.rows)) {
      const md = (n.columns as Node[]).filter((c) => c.data_type === 'lark_md' || c.data_type === 'markdown').map((c) => String(c.name));
      for (const r of n.rows as Node[]) for (const k of md) if (typeof r[k] === 'string') out.push(r[k] as string);
    }
  });
  return out;
}

/** Where a message renders markup: card markdown, or the whole of a text message. */
function renderedTexts(msgType: string, content: unknown): string[] {
  if (msgType === 'text') return [String((content as Node).text ?? '')];
  if (msgType === 'interactive') return markdownOf(content);
  return [];
}

/**
 * A text message renders mentions, `<b>`-like tags and `[text](url)` links, not markdown emphasis or headings;
 * card markdown renders all of them.
 */
const TEXT_MARKUP = new Set(['a mention of everyone', 'a link', 'an HTML tag']);

function survivingMarkup(where: string, texts: string[], kind: 'card' | 'text' = 'card'): string[] {
  const found: string[] = [];
  for (const s of texts) {
    if (!s.includes('金丝雀')) continue;
    for (const [what, re] of RAW_MARKUP) {
      if (kind === 'text' && !TEXT_MARKUP.has(what)) continue;
      if (re.test(s)) found.push(`${where}: ${what} in ${JSON.stringify(s.slice(0, 200))}`);
    }
  }
  return found;
}
const kindOf = (msgType: string) => (msgType === 'text' ? 'text' : 'card');

async function ledgerWithUnit(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const us = wb.addWorksheet('单位');
  us.addRow(['单位编码', '单位名称', '类型', '上级单位编码']);
  us.addRow(['LY-DF-JSQ', UNIT, '开发区', 'LY-DF']);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('user text is data, never markup: a canary in every field', () => {
  const { t, bot, clock } = useDemoBot('2026-11-13T09:00:00+08:00', '2026-11-13');

  it('shows the canary escaped everywhere it is read back, and as markup nowhere', async () => {
    const lastTo = (openId: string) => bot.emulator.messages({ openId }).at(-1)!;

    // A unit's name, by the ledger sent in chat.
    await bot.emulator.sendFile(ADMIN, { name: '台账.xlsx', bytes: await ledgerWithUnit() });
    await bot.settle();
    const preview = lastTo(ADMIN);
    await bot.emulator.clickCard(preview.message_id, ADMIN, { value: button(preview.content, { a: 'import_confirm' }).value });
    await bot.settle();
    const [unit] = await t.db.select().from(units).where(eq(units.code, 'LY-DF-JSQ'));
    expect(unit?.name).toBe(UNIT);

    // A project's name (and its host, the canary unit), by 新建项目.
    await bot.emulator.sendText(OFFICER, '新建项目');
    await bot.settle();
    const newForm = lastTo(OFFICER);
    const create = await bot.emulator.clickCard(newForm.message_id, OFFICER, {
      value: button(newForm.content, { a: 'new_submit' }).value,
      form_value: { name: PROJECT, investor: '某新能源科技有限公司', chain: '新能源', planned: '2亿', host: UNIT },
      tag: 'button',
    });
    expect(create.toast?.type).toBe('success');
    await bot.settle();
    const [project] = await t.db.select().from(projects).where(eq(projects.name, PROJECT));
    expect(project).toBeDefined();

    // Progress, a problem and the unit that must act on it, by 填报.
    await bot.emulator.sendText(OFFICER, `填报 ${project!.code}`);
    await bot.settle();
    const form = lastTo(OFFICER);
    const submitted = await bot.emulator.clickCard(form.message_id, OFFICER, {
      value: button(form.content, { a: 'report_submit' }).value,
      form_value: { progress: PROGRESS, problem_category: 'land', problem_text: PROBLEM, problem_unit: UNIT },
      tag: 'button',
    });
    expect(submitted.toast?.type).toBe('success');
    await bot.settle();
    expect(await t.db.select().from(problems).where(eq(problems.projectId, project!.id))).toHaveLength(1);

    // A trip's destination, and command arguments.
    await bot.emulator.sendText(LEAD, `/trip ${DESTINATION} 2026-11-12`);
    await bot.settle();
    expect((await t.db.select().from(trips)).map((x) => x.destination)).toContain(DESTINATION);
    const tripReply = lastTo(LEAD);
    await bot.emulator.sendText(OFFICER, `/status ${ARGUMENT}`);
    await bot.emulator.sendText(OFFICER, ARGUMENT); // not a command: "没有理解…"
    await bot.settle();

    // Read back: the project view, the group's status card.
    await bot.emulator.sendText(OFFICER, `/status ${project!.code}`);
    await bot.emulator.sendText(LEAD, '进展', { chatId: DF_GROUP });
    await bot.settle();
    const projectView = lastTo(OFFICER);
    const statusCard = bot.emulator.messages({ chatId: DF_GROUP }).at(-1)!;

    // The weekly digest (Monday after), the monthly summary (the last workday of November).
    clock.set('2026-11-16T09:30:00+08:00');
    expect((await runJob(bot.runtime.deps, digestWeekly, clock.now())).status).toBe('done');
    await bot.settle();
    clock.set('2026-11-30T10:00:00+08:00');
    expect((await runJob(bot.runtime.deps, summaryMonthly, clock.now())).status).toBe('done');
    await bot.settle();

    const sent = bot.emulator.messages();
    const md = (m: { msg_type: string; content: unknown }) => renderedTexts(m.msg_type, m.content).join('\n');
    // Escaped, as card markdown must carry it; a prefix, since long texts are cut short in lists (before escaping).
    const escaped = (s: string) => escapeMarkdown(s.slice(0, 30));
    const title = (m: { content: unknown }) =>
      String(((m.content as Node).header as Node | undefined)?.title && (((m.content as Node).header as Node).title as Node).content);

    // Where it must be, escaped: shown as the characters typed, not as markup. The project's name is the view's
    // title, which is plain_text (no markup there): shown exactly as typed.
    expect(title(projectView)).toContain(PROJECT);
    expect(md(projectView)).toContain(escaped(PROGRESS));
    expect(md(projectView)).toContain(escaped(PROBLEM));
    expect(md(projectView)).toContain(escaped(UNIT));
    expect(md(statusCard)).toContain(escaped(UNIT)); // problems to coordinate, by the unit that must act
    const digests = sent.filter((m) => m.msg_type === 'interactive' && JSON.stringify(m.content).includes('每周简报'));
    expect(digests.some((m) => md(m).includes(escaped(PROJECT)))).toBe(true);
    const summaries = sent.filter((m) => m.msg_type === 'interactive' && JSON.stringify(m.content).includes('月度汇总'));
    expect(summaries.some((m) => md(m).includes(escaped(PROBLEM)))).toBe(true);
    const notUnderstood = sent.filter((m) => m.msg_type === 'text' && md(m).startsWith('没有理解'));
    expect(notUnderstood).toHaveLength(1);
    expect(md(notUnderstood[0]!)).toContain(forTextMessage(ARGUMENT.slice(0, 40)));
    expect(md(notUnderstood[0]!)).toContain('＜at id=all＞＜/at＞');
    // As the pipeline has it: the template escapes the value (t()), the text seam takes out only the bot's own marks.
    expect(md(tripReply)).toContain(forTextMessage(escapeMarkdown(DESTINATION)));

    // Where it must not be: markup, in any message the bot sent, as the emulator holds it and as the outbox wrote it.
    const found: string[] = [];
    for (const m of sent) {
      found.push(...survivingMarkup(`${m.msg_type} ${m.message_id}`, renderedTexts(m.msg_type, m.content), kindOf(m.msg_type)));
      // Lark's card rules as the emulator applies them: a mention of everyone in markdown is flagged.
      if (m.msg_type === 'interactive') {
        for (const i of checkCard(m.content).filter((x) => x.code === 'mention_all')) found.push(`${m.message_id}: ${i.code} at ${i.path}`);
      }
    }
    const rows = await t.db.select().from(outbox);
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      const content = r.msgType === 'text' ? r.content : ((r.content as Node).card ?? r.content);
      found.push(...survivingMarkup(`outbox ${r.idemKey}`, renderedTexts(r.msgType, content), kindOf(r.msgType)));
    }
    expect(found).toEqual([]);
    expect(bot.emulator.warnings.filter((w) => w.includes('mention_all'))).toEqual([]);
    // The scan can fail: the raw canary, put in a card's markdown, is caught.
    expect(survivingMarkup('probe', markdownOf({ tag: 'markdown', content: PROBLEM })).length).toBeGreaterThan(0);
  });
});
