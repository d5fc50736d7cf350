/**
 * What an officer sees: the emulator console in headless Chromium, talking to the real bot (same process,
 * real SDK, signed webhooks). Sends 帮助, clicks the demo card, then walks the monthly report: the reminder
 * card, "本月无变化", the form with a mistake and its correction, the receipt. Screenshots in test-output/.
 * Needs Debian's chromium: skipped without it on a developer's machine, required in CI.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { FixedClock } from '../../src/clock.js';
import { seedDemo } from '../../db/seed/index.js';
import { projects, reports } from '../../db/schema.js';
import { runJob } from '../../src/jobs/runner.js';
import { reminders } from '../../src/jobs/reminders.js';
import { useTestDb } from '../helpers/db.js';
import { startTestBot, type TestBot } from '../helpers/bot.js';
import { CHROMIUM, hasChromium, inCI, openBrowser } from '../helpers/browser.js';

const OUT = 'test-output';
const OFFICER = 'ou_demo_ye_qing'; // 叶青, with several projects missing this month's report

describe('the console in a browser, against the real bot', () => {
  const t = useTestDb({ truncate: false });
  let bot: TestBot;
  let browser: Browser;
  let page: Page;
  const clock = new FixedClock('2026-11-13T09:00:00+08:00');

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    await seedDemo(t.db, '2026-11-13');
    bot = await startTestBot({ db: t.db, clock });
    if (!hasChromium) return;
    ({ browser, page } = await openBrowser({ width: 1280, height: 1400 }));
  });
  afterAll(async () => {
    await browser?.close();
    await bot?.close();
  });

  /** The outbox sends in the background of a running bot; here the test drains it while the page polls. */
  async function settleAndSee(check: () => Promise<unknown>) {
    await bot.settle();
    await expect.poll(check, { timeout: 8000 }).toBeTruthy();
  }

  it.skipIf(!hasChromium && !inCI)(
    'help, the demo card, and the whole monthly report as an officer sees them',
    { timeout: 90_000 },
    async () => {
      if (!hasChromium) throw new Error(`CI=true but ${CHROMIUM} is missing: apt-get install -y chromium`);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${bot.url}/emulator`);
      await page.getByTestId('person-picker').selectOption(OFFICER);
      await page.locator(`[data-testid="chat-item"][data-chat-id="${bot.emulator.p2pChatId(OFFICER)}"]`).click();

      // 帮助 → the command list.
      await page.getByTestId('message-input').fill('帮助');
      await page.getByTestId('send-button').click();
      await expect.poll(() => bot.emulator.events.length).toBeGreaterThan(0);
      await settleAndSee(async () => (await page.getByTestId('bot-message').last().innerText()).includes('我的项目'));

      // The demo card: its button updates the card in place.
      await page.getByTestId('message-input').fill('演示卡片');
      await page.getByTestId('send-button').click();
      await expect.poll(() => bot.emulator.events.length).toBe(2);
      await settleAndSee(async () => (await page.getByTestId('card-button-点我试试').count()) === 1);
      await page.getByTestId('card-button-点我试试').click();
      await expect.poll(() => page.getByTestId('bot-message').last().innerText(), { timeout: 8000 }).toContain('已点击 1 次');
      await page.screenshot({ path: `${OUT}/loop-demo-card.png` });

      // The monthly reminder arrives.
      await runJob(bot.runtime.deps, reminders, clock.now());
      await settleAndSee(async () => (await page.getByTestId('bot-message').last().innerText()).includes('项目进展填报提醒'));
      const reminder = page.getByTestId('bot-message').last();
      await page.screenshot({ path: `${OUT}/loop-reminder.png`, fullPage: true });

      // "本月无变化" on the first project: recorded, and the card shows it.
      await reminder.getByTestId('card-button-本月无变化').first().click();
      await expect.poll(() => reminder.innerText(), { timeout: 8000 }).toContain('✅ 本月无变化');

      // "填报" on the next one: the form. A stage move to 签约 without its contract amount comes back with the
      // error, and what was typed is still there.
      await reminder.getByTestId('card-button-填报').first().click();
      await expect.poll(() => reminder.innerText(), { timeout: 8000 }).toContain('填报项目进展');
      const title = await reminder.getByTestId('card-title').innerText();
      const projectName = title.split('·')[1]!.trim();
      await reminder.getByTestId('card-select-stage').selectOption({ label: '签约' });
      await reminder.getByTestId('card-input-progress').fill('完成合同谈判，双方签署投资协议');
      await reminder.getByTestId('card-input-fund_amount').fill('0.5亿');
      await reminder.getByTestId('card-button-提交').click();
      await expect.poll(() => reminder.innerText(), { timeout: 8000 }).toContain('进入“签约”阶段需要填写合同引资额');
      expect(await reminder.getByTestId('card-input-fund_amount').inputValue()).toBe('0.5亿');
      expect(await reminder.getByTestId('card-input-progress').inputValue()).toBe('完成合同谈判，双方签署投资协议');
      await page.screenshot({ path: `${OUT}/loop-form-error.png`, fullPage: true });

      await reminder.getByTestId('card-input-contract_amount').fill('3亿');
      await reminder.getByTestId('card-date-signed_on').fill('2026-11-12');
      await reminder.getByTestId('card-button-提交').click();
      await expect.poll(() => reminder.innerText(), { timeout: 8000 }).toContain('已收到填报');
      await page.screenshot({ path: `${OUT}/loop-receipt.png`, fullPage: true });

      const [p] = await t.db.select().from(projects).where(eq(projects.name, projectName));
      expect(p).toMatchObject({ stage: 'signed', contractAmountFen: 300_000_000 * 100 });
      expect(
        await t.db
          .select()
          .from(reports)
          .where(and(eq(reports.projectId, p!.id), eq(reports.period, '2026-11'))),
      ).toHaveLength(1);
      expect(errors).toEqual([]);
    },
  );

  it.skipIf(!hasChromium && !inCI)('a convenor asks for status in the county group, in plain words', { timeout: 60_000 }, async () => {
    if (!hasChromium) throw new Error(`CI=true but ${CHROMIUM} is missing: apt-get install -y chromium`);
    await page.goto(`${bot.url}/emulator`);
    await page.getByTestId('person-picker').selectOption('ou_demo_yang_fan'); // 杨帆, 东丰县县长
    await page.locator('[data-testid="chat-item"][data-chat-id="oc_demo_df_mech"]').click();
    const before = bot.emulator.events.length;
    await page.getByTestId('message-input').fill('东丰县这个月怎么样');
    await page.getByTestId('send-button').click();
    await expect.poll(() => bot.emulator.events.length).toBe(before + 1);
    await settleAndSee(async () => (await page.getByTestId('bot-message').count()) > 0);
    const answer = page.getByTestId('bot-message').last();
    await expect.poll(() => answer.innerText(), { timeout: 8000 }).toContain('东丰县');
    await page.setViewportSize({ width: 1280, height: 2200 });
    await page.screenshot({ path: `${OUT}/status-county-group.png`, fullPage: true });
    // Another county from this group: a polite refusal, no figures.
    const shown = await page.getByTestId('bot-message').count();
    await page.getByTestId('message-input').fill('/status 东辽县');
    await page.getByTestId('send-button').click();
    await expect.poll(() => bot.emulator.events.length).toBe(before + 2);
    await settleAndSee(async () => (await page.getByTestId('bot-message').count()) === shown + 1);
    const refusal = await page.getByTestId('bot-message').last().innerText();
    expect(refusal).toContain('东辽县');
    expect(refusal).not.toMatch(/签约|万元|亿元/);
  });
});
