/**
 * Events the emulator sends on a person's behalf besides messages and clicks: a press on the bot's custom menu
 * (application.bot.menu_v6) and the bot being added to a group (im.chat.member.bot.added_v1). By webhook
 * (checked and decrypted by the tiny bot) and over the long connection (the SDK's WSClient and dispatcher).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rig, type Rig } from './harness.js';
import { sdkClient, wsRig, type WsRig } from './ws-harness.js';

const MENU = [
  { name: '我的项目', eventKey: 'mine' },
  { name: '帮助', eventKey: 'help' },
];

let open: { close(): Promise<void> }[] = [];
const stops: (() => void)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) s();
  await Promise.all(open.map((r) => r.close()));
  open = [];
});

describe('bot menu and bot added, by webhook', () => {
  async function webhookRig(): Promise<Rig> {
    const r = await rig({ botMenu: MENU });
    open.push(r);
    return r;
  }

  it('works: a menu press arrives as application.bot.menu_v6 with the item’s key and who pressed it', async () => {
    const r = await webhookRig();
    const res = await r.emu.pressMenu('ou_zhang', 'mine');
    expect(res.status).toBe(200);
    const env = r.bot.received.at(-1)!.envelope;
    expect(env['header']).toMatchObject({ event_type: 'application.bot.menu_v6', app_id: r.appId });
    expect(env['event']).toMatchObject({
      event_key: 'mine',
      operator: { operator_name: '张三', operator_id: { open_id: 'ou_zhang', user_id: 'u_zhang' } },
    });
    expect(typeof env['event'].timestamp).toBe('number');
    expect(r.emu.botMenu.map((m) => m.name)).toEqual(['我的项目', '帮助']);
  });

  it('works: the console lists the menu and presses it', async () => {
    const r = await webhookRig();
    const dir = (await (await fetch(`${r.emuUrl}/emulator/api/directory`)).json()) as { menu: unknown };
    expect(dir.menu).toEqual(MENU);
    const res = await fetch(`${r.emuUrl}/emulator/api/menu`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'ou_li', eventKey: 'help' }),
    });
    expect(await res.json()).toMatchObject({ status: 200 });
    expect(r.bot.received.at(-1)!.envelope['event'].event_key).toBe('help');
  });

  it('refused: a key that is not on the menu, or a person not in the directory', async () => {
    const r = await webhookRig();
    await expect(r.emu.pressMenu('ou_zhang', 'delete_everything')).rejects.toThrow(/no menu item/);
    await expect(r.emu.pressMenu('ou_nobody', 'mine')).rejects.toThrow(/no person/);
    const res = await fetch(`${r.emuUrl}/emulator/api/menu`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'ou_zhang', eventKey: 'x'.repeat(31) }),
    });
    expect(res.status).toBe(400);
    expect(r.bot.received).toHaveLength(0);
  });

  it('works: adding the bot to a group sends im.chat.member.bot.added_v1 and lets the bot post there', async () => {
    const r = await webhookRig();
    expect((await r.emu.addBotToChat('oc_chain', 'ou_li')).status).toBe(200);
    const env = r.bot.received.at(-1)!.envelope;
    expect(env['header'].event_type).toBe('im.chat.member.bot.added_v1');
    expect(env['event']).toMatchObject({ chat_id: 'oc_chain', operator_id: { open_id: 'ou_li' }, name: '新能源产业链工作群' });
  });
});

describe('bot menu and bot added, over the long connection', () => {
  async function lcRig(): Promise<WsRig> {
    const r = await wsRig({}, { botMenu: MENU });
    open.push(r);
    return r;
  }

  it('works: both arrive at the SDK client’s handlers and are acknowledged', async () => {
    const r = await lcRig();
    const got: any[] = [];
    const c = await sdkClient(r, {
      'application.bot.menu_v6': (d) => void got.push(d),
      'im.chat.member.bot.added_v1': (d) => void got.push(d),
    });
    stops.push(c.stop);
    await r.emu.longConnection!.waitForClients(1);
    expect((await r.emu.pressMenu('ou_wang', 'help')).status).toBe(200);
    expect((await r.emu.addBotToChat('oc_chain', 'ou_zhang')).status).toBe(200);
    expect(got[0]).toMatchObject({
      event_type: 'application.bot.menu_v6',
      event_key: 'help',
      operator: { operator_id: { open_id: 'ou_wang' } },
    });
    expect(got[1]).toMatchObject({ event_type: 'im.chat.member.bot.added_v1', chat_id: 'oc_chain' });
    expect(r.emu.events.map((e) => [e.event_type, e.via, e.status])).toEqual([
      ['application.bot.menu_v6', 'ws', 200],
      ['im.chat.member.bot.added_v1', 'ws', 200],
    ]);
  });
});
