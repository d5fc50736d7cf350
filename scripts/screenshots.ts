/*
 * npm run screenshots — a PNG of every kind of card the bot sends, as a phone shows it (390 px wide), into
 * docs/screenshots/, with an index (docs/screenshots/README.md).
 *
 * It starts the bot on the demo city (PGlite in memory, the local emulator, a fixed clock walking through December
 * 2026), drives the emulator's console in headless Chromium as the officers, leads and the admin would — typing
 * commands, clicking buttons, submitting forms — runs the scheduled jobs at the times they fall due, and saves
 * each answer as the console draws it. Needs Debian's chromium (/usr/bin/chromium, or CHROMIUM=…).
 *
 * A step whose card does not come is reported at the end (and the script exits 1), so a card that disappears or
 * changes its title is noticed.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { serve, type ServerType } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Hono } from 'hono';
import { chromium } from 'playwright-core';
import { people } from '../db/schema.js';
import { demoBotMenu, demoDirectory } from '../db/seed/directory.js';
import { seedDemo } from '../db/seed/index.js';
import { nodeRegistry } from '../src/bot/node-registry.js';
import { FixedClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { createEmulator, type EmuMessage } from '../src/emulator/index.js';
import { allJobs } from '../src/jobs/index.js';
import { runJob } from '../src/jobs/runner.js';
import { silentLogger } from '../src/log.js';
import { createRuntime } from '../src/runtime.js';
import { migrate, openDb } from '../src/store/db.js';

const OUT = new URL('../docs/screenshots/', import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// The people of the demo city who do the talking.
const WU = 'ou_demo_wu_lei'; // 吴磊, 东丰县商务局干部: an officer with several projects
const YE = 'ou_demo_ye_qing'; // 叶青, 高新区招商局干部
const HE = 'ou_demo_he_jing'; // 何静, 市商务局招商科科长: admin
const CITY_GROUP = 'oc_demo_city_mech';
const CENTRE_GROUP = 'oc_demo_centre';
const CONVENORS = 'oc_demo_city_convenors';
const SENTENCE = '风电项目本月完成土地摘牌，投资方到位资金3000万，下月办理施工许可，用电增容需要市供电公司协调';

const directory = demoDirectory();
const job = (name: string) => allJobs().find((j) => j.name === name)!;

async function main() {
  // ---- the bot as `npm start` wires it, on a clock the script moves --------------------------------------------
  const clock = new FixedClock('2026-12-14T09:00:00+08:00');
  const handle = await openDb('memory://');
  await migrate('memory://', handle);
  await seedDemo(handle.db, '2026-12-01');
  let app: Hono | undefined;
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: (req) => app!.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const config = loadConfig({ DATABASE_URL: 'memory://', SCHEDULER: 'off' });
  const emulator = createEmulator({
    appId: config.lark.appId,
    appSecret: config.lark.appSecret,
    encryptKey: config.lark.encryptKey,
    verificationToken: config.lark.verificationToken,
    botWebhookUrl: `${url}/lark/events`,
    directory,
    botMenu: demoBotMenu(),
    now: () => clock.now().getTime(),
    limits: { enforce: false },
  });
  const runtime = await createRuntime({
    config,
    db: handle.db,
    clock,
    logger: silentLogger,
    larkDomain: url,
    register: [(a) => void a.route('/', emulator.app)],
    senderLoop: false,
    registry: nodeRegistry(),
    botOpenId: emulator.botOpenId,
  });
  app = runtime.app;

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // --lang: a date the officer picked reads 2026/12/12, as on a Chinese phone
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-sync',
      '--lang=zh-CN',
    ],
  });
  // Emptied only once the browser is up: a machine without Chromium keeps the pictures it had.
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  // A phone: 390 px wide; tall, so that a long card is drawn whole in one picture.
  const page = await browser.newPage({
    viewport: { width: 390, height: 2400 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(`${url}/emulator`);
  // While a picture is taken, the page lays the conversation out at its full height (no scrolling pane, no
  // sidebar or composer), so that a long card is drawn whole.
  await page.addStyleTag({
    content:
      'body.shoot .sidebar, body.shoot .chat-header, body.shoot .composer { display: none !important; } ' +
      'body.shoot #app { height: auto !important; } body.shoot #messages { overflow: visible !important; } body.shoot #toast { display: none !important; }',
  });

  const shots: { file: string; what: string }[] = [];
  const missing: string[] = [];
  let seen = 0;
  let me = '';
  let chat = '';

  /** Everything the bot sent since the last call. */
  const fresh = (): EmuMessage[] => {
    const all = emulator.messages();
    const out = all.slice(seen);
    seen = all.length;
    return out;
  };

  async function open(openId: string, chatId: string) {
    if (me !== openId) {
      await page.getByTestId('person-picker').selectOption(openId);
      me = openId;
      chat = '';
    }
    if (chat !== chatId) {
      await page.locator(`[data-testid="chat-item"][data-chat-id="${chatId}"]`).click();
      chat = chatId;
    }
  }
  const p2p = (openId: string) => emulator.p2pChatId(openId);
  const viewerOf = (m: EmuMessage) => m.open_id ?? directory.chats.find((c) => c.chat_id === m.chat_id)!.members[0]!;

  /** Types into the console's composer as `openId` in `chatId` and waits for the bot's answers. */
  async function say(openId: string, chatId: string, text: string): Promise<EmuMessage[]> {
    await open(openId, chatId);
    fresh();
    clock.advance(30_000);
    await page.getByTestId('message-input').fill(text);
    await page.getByTestId('send-button').click();
    await page.getByTestId('message-input').and(page.locator(':placeholder-shown')).waitFor();
    await runtime.settle();
    return fresh();
  }

  /** Saves one message as the console draws it. */
  async function shoot(m: EmuMessage | undefined, file: string, what: string, viewer?: string) {
    if (!m) {
      missing.push(`${file}: ${what}`);
      return;
    }
    await open(viewer ?? viewerOf(m), m.chat_id);
    const row = page.locator(`[data-message-id="${m.message_id}"].msg`);
    await row.waitFor({ timeout: 10_000 });
    // the console polls every second: wait until it shows the card's latest version
    await page.waitForFunction(
      ([id, n]) => {
        const el = document.querySelector(`.msg[data-message-id="${id}"] [data-testid="updated-label"]`);
        return n === 0 ? true : !!el && el.textContent!.includes(`已更新 ${n} 次`);
      },
      [m.message_id, m.update_count] as const,
      { timeout: 10_000 },
    );
    await page.waitForTimeout(150);
    await page.evaluate(() => document.body.classList.add('shoot'));
    await row.screenshot({ path: `${OUT}${file}.png` });
    await page.evaluate(() => document.body.classList.remove('shoot'));
    shots.push({ file: `${file}.png`, what });
    console.log(`  ${file}.png  ${what}`);
  }

  async function runAt(name: string, at: string): Promise<EmuMessage[]> {
    clock.set(at);
    fresh();
    const outcome = await runJob(runtime.deps, job(name), new Date(at));
    await runtime.settle();
    if (outcome.status !== 'done') console.log(`  (${name} at ${at}: ${outcome.status})`);
    return fresh();
  }
  /** Runs a job on the first of `days` (at `time`, China time) when it is due; the cards of that run. */
  async function runUntilDone(name: string, days: string[], time: string): Promise<EmuMessage[]> {
    for (const day of days) {
      const at = `${day}T${time}:00+08:00`;
      clock.set(at);
      fresh();
      const outcome = await runJob(runtime.deps, job(name), new Date(at));
      await runtime.settle();
      if (outcome.status === 'done') return fresh();
    }
    console.log(`  (${name}: not due on ${days.join(', ')})`);
    return [];
  }
  const first = (ms: EmuMessage[], where: (m: EmuMessage) => boolean) => ms.find(where);
  const isCard = (m: EmuMessage) => m.msg_type === 'interactive';

  // ---- 14 December, a Monday: the reminder day (five workdays before the deadline) ----------------------------
  console.log('14 December: reminders, an officer reports, the admin looks around');
  await open(WU, p2p(WU));
  await shoot((await say(WU, p2p(WU), '帮助'))[0], 'help', '帮助（私聊）：全部指令按填报、查询、管理员分组，干部从这里知道怎么填、怎么查');
  await shoot(
    (await say(WU, p2p(WU), '我的项目'))[0],
    'my-projects',
    '我的项目：本人负责的项目各占一行（名称、编号、阶段、承载地），未填报的带“填报”“本月无变化”按钮，已填报的带“修改”',
  );

  const reminderMsgs = await runAt('reminders', '2026-12-14T09:00:00+08:00');
  const reminder = first(reminderMsgs, (m) => m.open_id === YE && isCard(m));
  await shoot(reminder, 'reminder', '月度填报提醒：还差几个项目、截止哪天；每个项目一行，编号不折行，按钮就在旁边');

  if (reminder) {
    await open(YE, p2p(YE));
    const row = page.locator(`.msg[data-message-id="${reminder.message_id}"]`);
    await row.getByTestId('card-button-本月无变化').first().click();
    await page.waitForTimeout(300);
    await runtime.settle();
    await shoot(
      emulator.message(reminder.message_id),
      'reminder-after-no-change',
      '点了“本月无变化”之后：该行变为“✅ 本月无变化”并可修改，其余项目照旧',
    );
    await row.getByTestId('card-button-填报').first().click();
    await row.getByTestId('card-button-提交').waitFor({ timeout: 10_000 });
    await runtime.settle();
    await shoot(
      emulator.message(reminder.message_id),
      'form',
      '填报表单：阶段不变时，签约/落地日期、合同金额等变更阶段的字段收在一个可展开的面板里；日期与文字字段标注一致',
    );
    // A stage move to 签约 without the contract amount it needs: the form comes back with the error.
    await row.getByTestId('card-select-stage').selectOption({ label: '签约' });
    await row.getByTestId('card-input-progress').fill('完成合同谈判，双方签署投资协议，一期用地50亩');
    await row.getByTestId('card-button-提交').click();
    await page.waitForTimeout(500);
    await runtime.settle();
    await shoot(emulator.message(reminder.message_id), 'form-error', '表单出错：顶部红字说有几处要改，出错字段下方红字说明，已填内容保留');
    // Corrected: a 6亿 signing, which is also reported one level up (提级报备).
    fresh();
    await row.getByTestId('card-input-contract_amount').fill('6亿');
    await row.getByTestId('card-date-signed_on').fill('2026-12-12');
    await row.getByTestId('card-button-提交').click();
    await row
      .getByText('已收到')
      .first()
      .waitFor({ timeout: 10_000 })
      .catch(() => {});
    await runtime.settle();
    await shoot(
      emulator.message(reminder.message_id),
      'receipt',
      '填报回执：提交时间（12月14日 09:00 格式）、阶段变更、进展摘要，截止前可“修改”',
    );
    const upward = fresh().filter((m) => m.message_id !== reminder.message_id && isCard(m));
    await shoot(
      upward.find((m) => m.chat_type === 'group') ?? upward[0],
      'signing-report-up',
      '提级报备：6亿签约报上一级机制群，写明项目、金额、签约日期',
    );
  }

  const sentence = await say(WU, p2p(WU), SENTENCE);
  await shoot(sentence[0], 'sentence-form', '一句话填报：按原话预填的表单（到位资金、困难问题已读出），核对后提交才记录');
  await shoot((await say(WU, p2p(WU), '新建项目'))[0], 'new-project-form', '新建项目：带必填标记的产业链、首谈单位、承载地、计划投资等');
  await shoot(
    (await say(WU, p2p(WU), '推进 跨境电商 签约'))[0],
    'move-stage',
    '推进阶段：变更为签约需补充合同金额和日期时，直接给出已选好阶段的表单',
  );

  await shoot(
    (await say(HE, CITY_GROUP, '进展'))[0],
    'status',
    '进展（机制群）：项目分布与漏斗、签约（按签约日期计）、到位资金、填报与逾期、停滞、目标序时进度（按单位一行一项，手机上不截断）',
  );
  await shoot(
    (await say(HE, CITY_GROUP, '东丰县有哪些项目逾期'))[0],
    'status-question',
    '群里大白话提问“东丰县有哪些项目逾期”：直接给出名单',
  );
  await shoot(
    (await say(HE, p2p(HE), '/status 风电'))[0],
    'project-view',
    '单个项目视图：基本情况一行一项（阶段、产业链、承载地、首谈单位、金额、日期），合同约定只列有的；阶段历程、最近几次填报、未解决问题',
  );
  const exported = await say(HE, p2p(HE), '/export');
  await shoot(
    exported.find((m) => m.msg_type === 'file'),
    'export-file',
    '/export：台账文件按文件名显示，可点击下载',
  );

  // A ledger sent in chat: the preview before anything is written.
  await open(HE, p2p(HE));
  fresh();
  await page.getByTestId('file-input').setInputFiles({
    name: '东丰县台账.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: Buffer.from(await ledger()),
  });
  await page.waitForTimeout(500);
  await runtime.settle();
  await shoot(fresh().find(isCard), 'import-preview', 'Excel 台账导入预览：新增/修改/不变的条数和出错的行，确认前不写入');

  const digest = await runAt('digest-weekly', '2026-12-14T09:30:00+08:00');
  await shoot(
    first(digest, isCard),
    'digest',
    '每周简报（领导私聊）：上周阶段变化、签约、到位资金（写明认定口径）、新提出的困难问题、逾期未填报、待本单位协调的问题',
  );
  // (calendar-check writes to the province's admins only, and the demo city has none: no card to show.)

  // ---- 22 December: the first workday after the deadline (21 December) ---------------------------------------
  console.log('22 December: overdue, the month closes, the year’s reviews');
  const overdue1 = await runAt('overdue', '2026-12-22T09:30:00+08:00');
  await shoot(
    first(overdue1, (m) => isCard(m) && m.chat_type === 'p2p'),
    'overdue-owner',
    '逾期提醒（责任人私聊，截止后第1个工作日）：每个逾期项目带“填报”按钮补报',
  );
  const monthly = await runAt('summary-monthly', '2026-12-22T09:00:00+08:00');
  await shoot(
    first(monthly, (m) => isCard(m) && m.chat_id === CITY_GROUP) ?? first(monthly, isCard),
    'summary-monthly',
    '月度汇总（机制群）：本月签约、到位、逾期名单、建议推动的项目',
  );
  await shoot(
    first(monthly, (m) => isCard(m) && m.chat_id === CENTRE_GROUP),
    'summary-centre',
    '项目中心群：签约1亿元以上项目清单，一行一个项目，“本月未填报”紧跟项目名，手机上不截断',
  );
  const quarterly = await runAt('summary-quarterly', '2026-12-22T09:00:00+08:00');
  await shoot(first(quarterly, isCard), 'summary-quarterly', '季度汇总（召集人群，12月）：本季度的汇总；下半年汇总随1月的年度考核一起发');
  // (December's second half waits for the year card in January; June's comes merged with its quarter, below.)
  const ageing = await runAt('ageing', '2026-12-22T10:00:00+08:00');
  await shoot(first(ageing, isCard), 'ageing', '长期无实质性进展预警：项目、停滞天数、最近一次实质性进展，以及可转移或成立专班的政策');
  const letters = await runAt('letters', '2026-12-22T10:05:00+08:00');
  await shoot(
    first(letters, isCard),
    'letter',
    '履约提醒函：先说请项目责任人送达投资方并跟踪，再是函文全文、落实情况输入框；提示说明责任人用“答复”、首谈单位负责人用“关闭”',
  );
  await shoot(
    (await say(HE, p2p(HE), '/letter'))[0],
    'letters-list',
    '/letter：未关闭的履约提醒函，每份两行（项目与编号；原因与发出日期），提示写明“答复”和“关闭”各由谁用',
  );

  // 核查: 何静 stands in as the city's checker for the picture (the demo city names none); the demo's reported entries
  // wait for her (吴磊's sentence above was only shown as a form, not submitted, so its 3000万 is not among them).
  await handle.db
    .update(people)
    .set({ roles: ['admin', 'owner', 'checker'] })
    .where(eq(people.openId, HE));
  await shoot(
    (await say(HE, p2p(HE), '核查'))[0],
    'funds-check',
    '核查：标题下写明待核实几笔；每笔分行写项目与编号、到位金额与日期、报送人与凭证，“核实”“退回”并排，退回须填原因',
  );
  await shoot(
    (await say(HE, p2p(HE), '困难问题'))[0],
    'problems-list',
    '困难问题：开头写明共几个、几个已过时限、怎样办结；每个问题分行写项目、类别与内容、需协调单位、时限（逾期标红），按时限先后排列',
  );
  // 转移: offered by the mechanism office, asked of the first-talk unit's lead.
  const offer = await say(HE, p2p(HE), '/transfer 高端纺织 东辽县 洽谈半年以上无实质性进展');
  await shoot(
    first(offer, (m) => isCard(m) && m.open_id !== HE),
    'transfer',
    '项目转移征求意见（首谈单位负责人）：项目、最近实质性进展、拟转由、理由，“同意转移”/“不同意”（须填理由）',
  );

  // ---- 25 December: three workdays later, the unit leads and the groups are told -------------------------------
  const overdue4 = await runAt('overdue', '2026-12-25T09:30:00+08:00');
  await shoot(
    first(overdue4, (m) => isCard(m) && m.chat_type === 'p2p'),
    'overdue-lead',
    '逾期通报单位负责人：本单位逾期未报的项目名单，请督促补报',
  );
  await shoot(
    first(overdue4, (m) => isCard(m) && m.chat_type === 'group'),
    'overdue-group',
    '督办（机制群）：按责任单位列出逾期项目和责任人姓名，只 @ 各单位负责人督促，不再逐个 @ 十几位责任人',
  );

  // ---- the new year: the year card, the problems past their time limit; June: the merged review -------------
  console.log('January and June 2027: the year card, problems past due, the quarter and half year in one card');
  const year = await runUntilDone('assessment-annual', ['2027-01-04', '2027-01-05', '2027-01-06'], '09:30');
  await shoot(
    first(year, (m) => isCard(m) && m.chat_id === CITY_GROUP) ?? first(year, isCard),
    'year-card',
    '年度考核（1月第1个工作日，机制群）：县区与首谈部门排名，每个单位名称下各项指标一行一项，数字不折断；激励名单、招商渠道',
  );
  const late = await runUntilDone('problems', ['2027-01-20', '2027-01-21', '2027-01-22', '2027-02-22'], '10:00');
  await shoot(
    first(late, (m) => isCard(m) && m.chat_type === 'p2p') ?? first(late, isCard),
    'problems-overdue',
    '困难问题逾期未解决（升级提醒）：项目与问题、需协调单位、提出日期、时限与已逾期天数，提请上一级协调，附办结指令',
  );
  fresh();
  const june: EmuMessage[] = [];
  for (const day of ['2027-06-21', '2027-06-22', '2027-06-23', '2027-06-24']) {
    const q = await runAt('summary-quarterly', `${day}T09:30:00+08:00`);
    const h = await runAt('summary-halfyear', `${day}T09:30:00+08:00`);
    june.push(...q, ...h);
    if (june.length > 0) break;
  }
  await shoot(
    first(june, (m) => isCard(m) && m.chat_id === CONVENORS) ?? first(june, isCard),
    'summary-june-merged',
    '6月：第2季度暨上半年汇总合为一张卡片（召集人群）；提级管理日期在前，逾期项目按责任人列出，到位资金柱状图按月标注',
  );

  writeFileSync(
    `${OUT}README.md`,
    [
      '# Screenshots',
      '',
      'Every kind of card the bot sends, as the emulator console draws it at a phone’s width (390 px), made by',
      '`npm run screenshots` (scripts/screenshots.ts) on the demo city with the clock in December 2026.',
      '',
      '| file | what an officer reads on it |',
      '|---|---|',
      ...shots.map((s) => `| [${s.file}](${s.file}) | ${s.what} |`),
      '',
    ].join('\n'),
  );

  await browser.close();
  await runtime.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await handle.close();
  console.log(`${shots.length} screenshots in docs/screenshots/`);
  if (pageErrors.length) console.log(`page errors:\n  ${pageErrors.join('\n  ')}`);
  if (missing.length) {
    console.log(`no card came for:\n  ${missing.join('\n  ')}`);
    process.exit(1);
  }
}

/** A ledger as an admin would send it: one new person, one new project, and a row with a mistake. */
async function ledger(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ps = wb.addWorksheet('人员');
  ps.addRow(['姓名', '单位编码', '角色', '手机']);
  ps.addRow(['新同事', 'LY-DF', '项目责任人', '13900000001']);
  const pj = wb.addWorksheet('项目');
  pj.addRow(['项目编号', '项目名称', '投资方', '产业链', '项目阶段', '首谈单位编码', '承载地编码', '责任人', '计划总投资']);
  pj.addRow(['LY2026-900', '智能仓储机器人项目', '极智嘉科技', '装备制造', '洽谈', 'LY-DF', 'LY-DF', '新同事', '2亿']);
  pj.addRow(['LY2026-901', '冷链物流园项目', '某冷链集团', '农产品加工', '签了', 'LY-DF', 'LY-DF', '新同事', '1.5亿']);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

await main();
process.exit(0);
