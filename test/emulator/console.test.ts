/**
 * The web console in headless Chromium: a card the test posts through the real SDK renders, a form submits
 * form_value keyed by component name, a button click comes back from the tiny bot as an updated card, and the
 * composer delivers text to the bot. Screenshots go to test-output/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, inCI, openBrowser } from '../helpers/browser.js';
import { rig, type Rig } from './harness.js';

const OUT = 'test-output';

const reminderCard = {
  schema: '2.0',
  config: { update_multi: true },
  header: {
    title: { tag: 'plain_text', content: '1月项目进展填报提醒' },
    subtitle: { tag: 'plain_text', content: '截止 1月20日（周一）18:00' },
    template: 'blue',
    text_tag_list: [{ tag: 'text_tag', text: { tag: 'plain_text', content: '待填报 3' }, color: 'orange' }],
  },
  body: {
    elements: [
      {
        tag: 'markdown',
        content:
          '张三，您负责的 **3 个项目** 本月尚未填报进展：\n- 新能源电池材料项目（洽谈）\n- 袜业智能制造产业园（意向）\n- 医药冷链物流中心（签约）\n\n请在截止前填报，详见 [填报说明](https://example.gov.cn/guide)。',
      },
      {
        tag: 'column_set',
        background_style: 'grey',
        columns: [
          { tag: 'column', width: 'weighted', weight: 1, elements: [{ tag: 'markdown', content: '签约额\n**12.5 亿元**' }] },
          { tag: 'column', width: 'weighted', weight: 1, elements: [{ tag: 'markdown', content: '到位资金\n**3.2 亿元**' }] },
          {
            tag: 'column',
            width: 'weighted',
            weight: 1,
            elements: [{ tag: 'markdown', content: "序时进度\n<font color='red'>**落后 8%**</font>" }],
          },
        ],
      },
      { tag: 'hr' },
      {
        tag: 'table',
        page_size: 5,
        columns: [
          { name: 'name', display_name: '项目', data_type: 'text' },
          { name: 'stage', display_name: '阶段', data_type: 'options' },
          { name: 'amount', display_name: '计划投资（万元）', data_type: 'number', format: { precision: 0 } },
          { name: 'days', display_name: '未进展天数', data_type: 'number' },
        ],
        rows: [
          { name: '新能源电池材料项目', stage: [{ text: '洽谈', color: 'blue' }], amount: 50000, days: 187 },
          { name: '袜业智能制造产业园', stage: [{ text: '意向', color: 'orange' }], amount: 32000, days: 64 },
          { name: '医药冷链物流中心', stage: [{ text: '签约', color: 'green' }], amount: 12000, days: 21 },
        ],
      },
      {
        tag: 'chart',
        chart_spec: {
          type: 'bar',
          title: { text: '各县区签约额（亿元）' },
          data: {
            values: [
              { county: '龙山区', amount: 4.2 },
              { county: '西安区', amount: 2.1 },
              { county: '东丰县', amount: 3.6 },
              { county: '东辽县', amount: 2.6 },
            ],
          },
          xField: 'county',
          yField: 'amount',
        },
      },
      {
        tag: 'form',
        name: 'report',
        elements: [
          {
            tag: 'select_static',
            name: 'stage',
            placeholder: { tag: 'plain_text', content: '当前阶段' },
            options: ['洽谈', '意向', '签约', '落地'].map((s) => ({ text: { tag: 'plain_text', content: s }, value: s })),
            required: true,
          },
          {
            tag: 'input',
            name: 'amount',
            label: { tag: 'plain_text', content: '签约金额' },
            placeholder: { tag: 'plain_text', content: '如 5000万 或 0.5亿' },
          },
          { tag: 'date_picker', name: 'signed_on', placeholder: { tag: 'plain_text', content: '签约日期' } },
          {
            tag: 'column_set',
            columns: [
              {
                tag: 'column',
                width: 'auto',
                elements: [
                  {
                    tag: 'button',
                    name: 'submit_report',
                    text: { tag: 'plain_text', content: '提交进展' },
                    type: 'primary_filled',
                    form_action_type: 'submit',
                    behaviors: [{ type: 'callback', value: { action: 'submit', project: 'p1' } }],
                  },
                ],
              },
              {
                tag: 'column',
                width: 'auto',
                elements: [{ tag: 'button', text: { tag: 'plain_text', content: '重置' }, form_action_type: 'reset', name: 'reset' }],
              },
            ],
          },
        ],
      },
      {
        tag: 'button',
        text: { tag: 'plain_text', content: '本月无变化' },
        type: 'default',
        behaviors: [{ type: 'callback', value: { action: 'no_change', project: 'p1' } }],
      },
    ],
  },
};

const doneCard = {
  schema: '2.0',
  header: { title: { tag: 'plain_text', content: '1月项目进展填报提醒' }, template: 'green' },
  body: {
    elements: [
      { tag: 'markdown', content: '✅ **已确认**：新能源电池材料项目本月无变化。\n该记录不重置项目的「未进展天数」。' },
      { tag: 'markdown', content: "<font color='grey'>张三 · 1月15日 10:32</font>", text_size: 'notation' },
    ],
  },
};

describe('web console', () => {
  let r: Rig;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!hasChromium) return;
    mkdirSync(OUT, { recursive: true });
    r = await rig();
    r.bot.state.onCard = (env) => {
      const value = env['event'].action.value as { action?: string };
      if (value?.action === 'no_change')
        return { toast: { type: 'success', content: '已记录本月无变化' }, card: { type: 'raw', data: doneCard } };
      return { toast: { type: 'info', content: '已收到填报' } };
    };
    ({ browser, page } = await openBrowser({ width: 1280, height: 900 }, 1));
  });

  afterAll(async () => {
    await browser?.close();
    await r?.close();
  });

  it.skipIf(!hasChromium && !inCI)('renders a posted card, submits its form, and updates it in place after a click', async () => {
    if (!hasChromium) throw new Error(`CI=true but ${CHROMIUM} is missing: apt-get install -y chromium`);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    await page.goto(`${r.emuUrl}/emulator`);
    await page.getByTestId('person-picker').selectOption('ou_zhang');
    const p2p = r.emu.p2pChatId('ou_zhang');
    await page.locator(`[data-testid="chat-item"][data-chat-id="${p2p}"]`).click();

    // the person talks to the bot through the composer
    await page.getByTestId('message-input').fill('帮助');
    await page.getByTestId('send-button').click();
    await expect.poll(() => r.bot.received.length).toBe(1);
    expect(JSON.parse(r.bot.received[0]!.envelope['event'].message.content)).toEqual({ text: '帮助' });

    // the bot's card arrives through the Open API and shows up within a poll
    const sent = await r.client.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: 'ou_zhang', msg_type: 'interactive', content: JSON.stringify(reminderCard) },
    });
    const id = sent.data!.message_id!;
    const card = page.locator(`[data-testid="card"][data-message-id="${id}"]`);
    await card.waitFor({ timeout: 5000 });
    await expect.poll(() => card.getByTestId('card-title').innerText()).toContain('1月项目进展填报提醒');
    expect(await card.locator('.md b').first().innerText()).toBe('3 个项目');
    expect(await card.locator('.md li').count()).toBe(3);
    expect(await card.locator('.md a[href="https://example.gov.cn/guide"]').count()).toBe(1);
    expect(await card.getByTestId('card-table').locator('tbody tr').count()).toBe(3);
    expect(await card.getByTestId('card-chart').locator('rect').count()).toBeGreaterThanOrEqual(4);
    // tall enough for the whole card: the message pane scrolls inside the page
    await page.setViewportSize({ width: 1280, height: 1600 });
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${OUT}/emulator-card.png` });
    await page.setViewportSize({ width: 1280, height: 900 });

    // a required field left empty stops the submit in the client, as in Lark
    await card.getByTestId('card-button-提交进展').click();
    await expect.poll(() => card.locator('.err').count()).toBe(1);
    expect(r.bot.received).toHaveLength(1);

    await card.getByTestId('card-select-stage').selectOption('签约');
    await card.getByTestId('card-input-amount').fill('5000万');
    await card.getByTestId('card-date-signed_on').fill('2025-01-20');
    await card.getByTestId('card-button-提交进展').click();
    await expect.poll(() => r.bot.received.length).toBe(2);
    expect(r.bot.received[1]!.envelope['event'].action).toEqual({
      tag: 'button',
      name: 'submit_report',
      value: { action: 'submit', project: 'p1' },
      form_value: { stage: '签约', amount: '5000万', signed_on: '2025-01-20 +0800' },
    });
    await expect.poll(() => page.getByTestId('toast').innerText()).toBe('已收到填报');

    // a callback button: the bot answers with a new card, which replaces the old one in place
    await card.getByTestId('card-button-本月无变化').click();
    await expect.poll(() => r.emu.message(id)!.update_count).toBe(1);
    await expect.poll(() => card.innerText(), { timeout: 5000 }).toContain('已确认');
    expect(await page.locator(`[data-testid="card"][data-message-id="${id}"]`).count()).toBe(1);
    expect(await page.getByTestId('toast').innerText()).toBe('已记录本月无变化');
    await page.screenshot({ path: `${OUT}/emulator-card-updated.png` });

    // in a group, the @机器人 toggle decides whether the bot hears it
    await page.locator('[data-testid="chat-item"][data-chat-id="oc_mechanism"]').click();
    await expect.poll(() => page.getByTestId('chat-title').innerText()).toBe('市招商机制群');
    await page.getByTestId('message-input').fill('本周汇总');
    await page.getByTestId('send-button').click();
    await expect.poll(() => r.bot.received.length).toBe(4);
    const groupMsg = r.bot.received[3]!.envelope['event'].message;
    expect(groupMsg.chat_type).toBe('group');
    expect(JSON.parse(groupMsg.content)).toEqual({ text: '@_user_1 本周汇总' });
    await page.getByTestId('mention-toggle').uncheck();
    await page.getByTestId('message-input').fill('大家辛苦了');
    await page.getByTestId('send-button').click();
    await expect.poll(() => page.getByTestId('composer-hint').innerText()).toContain('需要 @机器人');
    expect(r.bot.received).toHaveLength(4);
    await page.screenshot({ path: `${OUT}/emulator-group.png` });

    expect(errors).toEqual([]);
  });

  it.skipIf(!hasChromium && !inCI)('draws each of Lark’s chart types as its own kind of SVG: pie, line, funnel, bar', async () => {
    if (!hasChromium) throw new Error(`CI=true but ${CHROMIUM} is missing: apt-get install -y chromium`);
    const values = [
      { k: '谋划', v: 6 },
      { k: '洽谈', v: 10 },
      { k: '意向', v: 0 },
      { k: '签约', v: 4 },
    ];
    const chart = (spec: Record<string, unknown>) => ({ tag: 'chart', chart_spec: { data: { values }, ...spec } });
    const card = {
      schema: '2.0',
      header: { title: { tag: 'plain_text', content: '图表' } },
      body: {
        elements: [
          chart({ type: 'pie', categoryField: 'k', valueField: 'v' }),
          chart({ type: 'line', xField: 'k', yField: 'v' }),
          chart({ type: 'funnel', categoryField: 'k', valueField: 'v' }),
          chart({ type: 'bar', xField: 'k', yField: 'v' }),
        ],
      },
    };
    await page.goto(`${r.emuUrl}/emulator`);
    await page.getByTestId('person-picker').selectOption('ou_zhang');
    await page.locator(`[data-testid="chat-item"][data-chat-id="${r.emu.p2pChatId('ou_zhang')}"]`).click();
    const sent = await r.client.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: 'ou_zhang', msg_type: 'interactive', content: JSON.stringify(card) },
    });
    const el = page.locator(`[data-testid="card"][data-message-id="${sent.data!.message_id!}"]`);
    await el.waitFor({ timeout: 5000 });
    const svgs = el.locator('[data-testid="card-chart"] svg');
    expect(await svgs.evaluateAll((xs) => xs.map((x) => x.getAttribute('data-chart-type')))).toEqual(['pie', 'line', 'funnel', 'bar']);
    // pie: one slice per non-empty category, no axes
    expect(await svgs.nth(0).locator('path').count()).toBe(3);
    expect(await svgs.nth(0).locator('polyline, line').count()).toBe(0);
    // line: one polyline through every category
    expect(await svgs.nth(1).locator('polyline').count()).toBe(1);
    expect(await svgs.nth(1).locator('circle').count()).toBe(4);
    // funnel: a layer per category (an empty one still shown, narrow), top to bottom, no line
    const layers = await svgs
      .nth(2)
      .locator('polygon[data-funnel-layer]')
      .evaluateAll((ps) => ps.map((p) => [p.getAttribute('data-funnel-layer'), (p as SVGGraphicsElement).getBBox().width]));
    expect(layers.map((l) => l[0])).toEqual(['谋划', '洽谈', '意向', '签约']);
    const width = Object.fromEntries(layers) as Record<string, number>;
    expect(width['洽谈']).toBeGreaterThan(width['谋划']!);
    expect(width['谋划']).toBeGreaterThan(width['签约']!);
    expect(width['签约']).toBeGreaterThan(width['意向']!);
    expect(await svgs.nth(2).locator('polyline').count()).toBe(0);
    // bar: a bar per category
    expect(await svgs.nth(3).locator('rect').count()).toBe(4);
  });
});
