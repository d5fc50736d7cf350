// Headless Chromium for the browser tests (the console, the e2e walks). They need Debian's chromium: skipped
// without it on a developer's machine, required in CI (CI=true).

import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const inCI = process.env['CI'] === 'true';

/** Chromium and one page of the given size, in Chinese, on China's time. */
export async function openBrowser(
  viewport: { width: number; height: number },
  deviceScaleFactor?: number,
): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport, deviceScaleFactor, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  return { browser, page };
}
