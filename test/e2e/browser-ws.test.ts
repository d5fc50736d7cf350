/**
 * The console in a browser with the bot on the long connection: the same page, the same clicks as with
 * webhooks, while events and card callbacks travel as frames to the real SDK WSClient. Sends 帮助 and sees the
 * answer, then clicks the demo card's button and sees the card change in place (the answer came back inside
 * the response frame), then presses an item of the bot menu. Needs Debian's chromium: skipped without it on a developer's machine, required in CI.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/index.js';
import { FixedClock } from '../../src/clock.js';
import { CHROMIUM, hasChromium, inCI, openBrowser } from '../helpers/browser.js';
import { useTestDb } from '../helpers/db.js';
import { startWsTestBot, type WsTestBot } from '../helpers/ws-bot.js';

const OUT = 'test-output';
const OFFICER = 'ou_demo_ye_qing';

describe('the console in a browser, the bot on the long connection', () => {
  const t = useTestDb({ truncate: false });
  let bot: WsTestBot;
  let browser: Browser;
  let page: Page;
  const clock = new FixedClock('2026-11-13T09:00:00+08:00');

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    await seedDemo(t.db, '2026-11-13');
    bot = await startWsTestBot({ db: t.db, clock });
    if (!hasChromium) return;
    ({ browser, page } = await openBrowser({ width: 1280, height: 1200 }));
  });
  afterAll(async () => {
    await browser?.close();
    await bot?.close();
  });

  it.skipIf(!hasChromium && !inCI)('sends a message, sees the reply, clicks a card button', { timeout: 90_000 }, async () => {
    if (!hasChromium) throw new Error(`CI=true but ${CHROMIUM} is missing: apt-get install -y chromium`);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${bot.url}/emulator`);
    await page.getByTestId('person-picker').selectOption(OFFICER);
    await page.locator(`[data-testid="chat-item"][data-chat-id="${bot.emulator.p2pChatId(OFFICER)}"]`).click();

    await page.getByTestId('message-input').fill('帮助');
    await page.getByTestId('send-button').click();
    await expect.poll(() => bot.emulator.events.length).toBe(1);
    await bot.settle();
    await expect.poll(async () => page.getByTestId('bot-message').last().innerText(), { timeout: 8000 }).toContain('我的项目');
    expect(bot.emulator.events[0]).toMatchObject({ via: 'ws', status: 200 });

    await page.getByTestId('message-input').fill('演示卡片');
    await page.getByTestId('send-button').click();
    await expect.poll(() => bot.emulator.events.length).toBe(2);
    await bot.settle();
    await expect.poll(() => page.getByTestId('card-button-点我试试').count(), { timeout: 8000 }).toBe(1);
    await page.getByTestId('card-button-点我试试').click();
    await expect.poll(() => page.getByTestId('bot-message').last().innerText(), { timeout: 8000 }).toContain('已点击 1 次');
    await expect.poll(() => page.getByTestId('toast').innerText(), { timeout: 8000 }).not.toBe('');
    await page.screenshot({ path: `${OUT}/ws-demo-card.png` });
    expect(bot.emulator.events.at(-1)).toMatchObject({ event_type: 'card.action.trigger', via: 'ws', status: 200 });

    // The bot menu in the p2p chat: a press goes out as application.bot.menu_v6 and is acknowledged.
    await page.getByTestId('menu-帮助').click();
    await expect.poll(() => bot.emulator.events.at(-1)?.event_type).toBe('application.bot.menu_v6');
    expect(bot.emulator.events.at(-1)).toMatchObject({ via: 'ws', status: 200 });
    expect(bot.emulator.warnings).toEqual([]);
    expect(errors).toEqual([]);
  });
});
