/**
 * The console as someone trying the bot sees it (issue 17 item 9, issue 19), in headless Chromium against the real
 * bot: the person picker names each person's job and unit; a one-sentence progress message becomes the pre-filled
 * form, and submitting it records the report; the status card's stage funnel is drawn as a funnel and its funds
 * chart as bars; an exported ledger shows by its file name with a link that downloads it; and after the emulator
 * restarts (as `npm start` does) the chat history is still there. A line chart and a pie, which no card of the bot
 * uses yet, are drawn as Lark draws them.
 * Needs Debian's chromium: skipped without it on a developer's machine, required in CI.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { FixedClock } from '../../src/clock.js';
import { seedDemo } from '../../db/seed/index.js';
import { fundEntries, projects, reports } from '../../db/schema.js';
import { card, chart } from '../../src/lark/cards.js';
import { useTestDb } from '../helpers/db.js';
import { startTestBot, type TestBot } from '../helpers/bot.js';
import { CHROMIUM, hasChromium, inCI, openBrowser } from '../helpers/browser.js';

const WU = 'ou_demo_wu_lei'; // 吴磊, 东丰县商务局干部, owner of 200MW风电项目 (LY2026-023)
const HE = 'ou_demo_he_jing'; // 何静, 市商务局招商科科长, admin
const CITY_GROUP = 'oc_demo_city_mech';
// Issue 19's sentence, on the project 吴磊 owns.
const SENTENCE = '风电项目本月完成土地摘牌，投资方到位资金3000万，下月办理施工许可，用电增容需要市供电公司协调';

describe.skipIf(!hasChromium && !inCI)('the emulator console against the real bot', () => {
  const t = useTestDb({ truncate: false });
  const clock = new FixedClock('2026-12-02T10:00:00+08:00');
  const dir = mkdtempSync(join(tmpdir(), 'emu-history-'));
  const historyFile = join(dir, 'pglite-emulator.json');
  let bot: TestBot;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`CI=true but ${CHROMIUM} is missing: apt-get install -y chromium`);
    await seedDemo(t.db, '2026-12-02');
    bot = await startTestBot({ db: t.db, clock, historyFile });
    ({ browser, page } = await openBrowser({ width: 1280, height: 1400 }));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${bot.url}/emulator`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await bot?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openChat(openId: string, chatId: string) {
    await page.getByTestId('person-picker').selectOption(openId);
    await page.locator(`[data-testid="chat-item"][data-chat-id="${chatId}"]`).click();
  }
  async function say(text: string) {
    const before = bot.emulator.events.length;
    await page.getByTestId('message-input').fill(text);
    await page.getByTestId('send-button').click();
    await expect.poll(() => bot.emulator.events.length, { timeout: 8000 }).toBeGreaterThan(before);
    await bot.settle();
  }
  const lastBot = () => page.getByTestId('bot-message').last();

  it('the person picker shows each name with job title, roles and unit', async () => {
    const wu = page.locator(`[data-testid="person-picker"] option[value="${WU}"]`);
    expect(await wu.innerText()).toBe('吴磊 · 东丰县商务局干部（项目责任人）');
    expect(await wu.evaluate((o) => (o.parentElement as HTMLOptGroupElement).label)).toBe('东丰县商务局');
    const he = page.locator(`[data-testid="person-picker"] option[value="${HE}"]`);
    expect(await he.innerText()).toContain('管理员');
    expect(await he.evaluate((o) => (o.parentElement as HTMLOptGroupElement).label)).toBe('辽源市商务局');
    // The value is still the open_id: selecting by it keeps working.
    await page.getByTestId('person-picker').selectOption(WU);
    expect(await page.getByTestId('person-picker').inputValue()).toBe(WU);
  });

  it('a sentence about one’s own project opens the pre-filled form; submitting records exactly that', { timeout: 60_000 }, async () => {
    const [wind] = await t.db.select().from(projects).where(eq(projects.code, 'LY2026-023'));
    await t.db.delete(reports).where(and(eq(reports.projectId, wind!.id), eq(reports.period, '2026-12')));
    const fundsBefore = (await t.db.select().from(fundEntries).where(eq(fundEntries.projectId, wind!.id))).length;

    await openChat(WU, bot.emulator.p2pChatId(WU));
    await say(SENTENCE);
    await expect.poll(() => lastBot().innerText(), { timeout: 8000 }).toContain('已按您的话预填');
    const form = lastBot();
    // What the officer sees before confirming: the sentence read into the fields, nothing written yet.
    expect(await form.getByTestId('card-input-fund_amount').inputValue()).toBe('3000万');
    expect(await form.getByTestId('card-input-problem_text').inputValue()).toContain('市供电公司');
    expect(await form.getByTestId('card-select-substantive').inputValue()).toBe('land_milestone');
    expect(
      await t.db
        .select()
        .from(reports)
        .where(and(eq(reports.projectId, wind!.id), eq(reports.period, '2026-12'))),
    ).toHaveLength(0);

    await form.getByTestId('card-button-提交').click();
    await expect.poll(() => form.innerText(), { timeout: 8000 }).toContain('已收到填报');
    const [r] = await t.db
      .select()
      .from(reports)
      .where(and(eq(reports.projectId, wind!.id), eq(reports.period, '2026-12')));
    expect(r!.progress).toBe(SENTENCE);
    const funds = await t.db.select().from(fundEntries).where(eq(fundEntries.projectId, wind!.id));
    expect(funds).toHaveLength(fundsBefore + 1);
  });

  it('the status card draws its stage funnel as a funnel and its funds as bars', { timeout: 30_000 }, async () => {
    await openChat(HE, CITY_GROUP);
    await say('进展');
    await expect.poll(() => page.locator('[data-testid="card-chart"] svg[data-chart-type="funnel"]').count(), { timeout: 8000 }).toBe(1);
    const funnel = page.locator('svg[data-chart-type="funnel"]').last();
    // One layer per active stage, top to bottom, none wider than the one above: a funnel, not a line.
    const layers = await funnel.locator('polygon[data-funnel-layer]').evaluateAll((ps) =>
      ps.map((p) => {
        const b = (p as SVGGraphicsElement).getBBox();
        return { stage: p.getAttribute('data-funnel-layer'), y: b.y, width: b.width };
      }),
    );
    expect(layers.map((l) => l.stage)).toEqual(['谋划', '洽谈', '意向', '签约', '落地']);
    for (let i = 1; i < layers.length; i++) expect(layers[i]!.y).toBeGreaterThan(layers[i - 1]!.y);
    // Widths follow the counts: the stage with the most projects is the widest layer.
    const counts = await funnel.locator('text').allTextContents();
    const n = counts.map((x) => Number(x.split(' ')[1]));
    const widest = layers.reduce((a, l, i) => (l.width > layers[a]!.width ? i : a), 0);
    expect(n[widest]).toBe(Math.max(...n));
    expect(await funnel.locator('polyline').count()).toBe(0);
    const bars = page.locator('svg[data-chart-type="bar"]').last();
    expect(await bars.locator('rect').count()).toBeGreaterThan(1);
    expect(await page.locator('[data-testid="card"]').last().innerText()).not.toContain('模拟器未渲染');
  });

  it('a line chart is drawn as a line and a pie as slices, as Lark draws them', { timeout: 30_000 }, async () => {
    // The bot's cards use funnels and bars today; the emulator draws the other chart types Lark has, so a card
    // that adds one is seen as Lark shows it. Sent through the bot's own Lark client, as any card is.
    const months = ['7月', '8月', '9月', '10月', '11月'];
    const trend = chart({ kind: 'line', title: '到位资金', data: months.map((x, i) => ({ x, y: (i + 1) * 1000 })) });
    const shares = {
      tag: 'chart',
      aspect_ratio: '16:9',
      chart_spec: {
        type: 'pie',
        data: {
          values: [
            { type: '签约', value: 6 },
            { type: '落地', value: 3 },
            { type: '意向', value: 1 },
          ],
        },
        categoryField: 'type',
        valueField: 'value',
      },
    };
    await bot.runtime.lark.sendMessage({
      receiveIdType: 'chat_id',
      receiveId: CITY_GROUP,
      msgType: 'interactive',
      content: card({ title: 'charts', elements: [trend, shares] }),
    });
    await openChat(HE, CITY_GROUP);
    const line = page.locator('svg[data-chart-type="line"]').last();
    await expect.poll(() => line.count(), { timeout: 8000 }).toBe(1);
    const points = await line.locator('polyline').first().getAttribute('points');
    const ys = points!.split(' ').map((pt) => Number(pt.split(',')[1]));
    expect(ys).toHaveLength(months.length);
    // Rising values: each point higher on the screen (a smaller y) than the one before.
    for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeLessThan(ys[i - 1]!);
    const pie = page.locator('svg[data-chart-type="pie"]').last();
    expect(await pie.locator('path').count()).toBe(3);
    expect(await pie.locator('polyline').count()).toBe(0);
  });

  it('an exported ledger shows by its name, and its link downloads the file', { timeout: 30_000 }, async () => {
    await openChat(HE, bot.emulator.p2pChatId(HE));
    await say('/export');
    const chip = page.getByTestId('file-message').last();
    await expect.poll(() => chip.count(), { timeout: 8000 }).toBe(1);
    const link = chip.getByTestId('file-link');
    const name = await link.innerText();
    expect(name).toMatch(/\.xlsx$/);
    expect(name).not.toContain('file_v3_');
    // The same name as the bot uploaded it with.
    const sent = bot.emulator
      .messages({ openId: HE })
      .filter((m) => m.msg_type === 'file')
      .at(-1)!;
    const key = (sent.content as { file_key: string }).file_key;
    expect(await link.getAttribute('href')).toBe(`/emulator/api/files/${key}`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(name);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK'); // an .xlsx is a zip
  });

  it('refused: a file key that was never uploaded is not served, nor a path outside the files', async () => {
    expect((await page.request.get(`${bot.url}/emulator/api/files/file_v3_000000000000000000000000`)).status()).toBe(404);
    expect((await page.request.get(`${bot.url}/emulator/api/files/..%2F..%2Fpackage.json`)).status()).toBe(404);
  });

  it('the chat history survives a restart of the emulator and the bot', { timeout: 60_000 }, async () => {
    const before = await page.getByTestId('bot-message').count();
    expect(before).toBeGreaterThan(0);
    await bot.close();
    expect(existsSync(historyFile)).toBe(true);
    bot = await startTestBot({ db: t.db, clock, historyFile });
    await page.goto(`${bot.url}/emulator`);
    await openChat(WU, bot.emulator.p2pChatId(WU));
    await expect.poll(() => page.getByTestId('bot-message').count(), { timeout: 8000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('message-list').innerText()).toContain('已收到填报');
    expect(await page.getByTestId('message-list').innerText()).toContain(SENTENCE);
    await openChat(HE, bot.emulator.p2pChatId(HE));
    await expect.poll(() => page.getByTestId('file-link').count(), { timeout: 8000 }).toBe(1);
    // The restored history is live: the bot can still update a card it sent before the restart.
    expect(bot.emulator.messages({ openId: WU }).length).toBeGreaterThan(0);
    // A new message after the restart lands after the old ones.
    await say('帮助');
    await expect.poll(() => lastBot().innerText(), { timeout: 8000 }).toContain('我的项目');
    expect(errors).toEqual([]);
  });
});
