/**
 * The fake Open API, driven by the real SDK over HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { failure, rig, text, type Rig } from './harness.js';

let r: Rig;
afterEach(async () => {
  await r?.close();
});

const card = (title: string) =>
  JSON.stringify({
    schema: '2.0',
    header: { title: { tag: 'plain_text', content: title }, template: 'blue' },
    body: { elements: [{ tag: 'markdown', content: '**本月待填报** 3 个项目' }] },
  });

describe('tokens', () => {
  it('issues a tenant_access_token once and the SDK caches it across sends', async () => {
    r = await rig();
    for (let i = 0; i < 3; i++) {
      const res = await r.client.im.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: 'ou_zhang', msg_type: 'text', content: text(`第${i}条`) },
      });
      expect(res.code).toBe(0);
    }
    expect(r.emu.tokenFetches()).toBe(1);
    expect(r.emu.calls.filter((c) => c.path === '/open-apis/auth/v3/tenant_access_token/internal')).toHaveLength(1);
    expect(r.emu.calls.filter((c) => c.path === '/open-apis/im/v1/messages')).toHaveLength(3);
  });

  it('answers the token endpoint in Lark shape and rejects a wrong secret', async () => {
    r = await rig();
    const ok = await fetch(`${r.emuUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: r.appId, app_secret: 'secret' }),
    });
    const body = (await ok.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 0, expire: 7200 });
    expect(String(body['tenant_access_token'])).toMatch(/^t-/);
    const bad = await fetch(`${r.emuUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: r.appId, app_secret: 'nope' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: number }).code).toBe(10014);
  });

  it('rejects a missing or revoked token with 99991661 / 99991663', async () => {
    r = await rig();
    const missing = await fetch(`${r.emuUrl}/open-apis/im/v1/chats/oc_mechanism`);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { code: number }).code).toBe(99991661);

    await r.client.im.chat.get({ path: { chat_id: 'oc_mechanism' } });
    r.emu.revokeTokens();
    const f = await failure(r.client.im.chat.get({ path: { chat_id: 'oc_mechanism' } }));
    expect(f.status).toBe(400);
    expect(f.data.code).toBe(99991663);
  });
});

describe('messages', () => {
  it('creates a text message to a person with Lark response shape', async () => {
    r = await rig();
    const res = await r.client.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: 'ou_zhang', msg_type: 'text', content: text('您好') },
    });
    expect(res.code).toBe(0);
    expect(res.msg).toBe('success');
    const d = res.data!;
    expect(d.message_id).toMatch(/^om_[0-9a-f]{32}$/);
    expect(d).toMatchObject({
      msg_type: 'text',
      chat_id: r.emu.p2pChatId('ou_zhang'),
      deleted: false,
      updated: false,
      sender: { id: r.appId, id_type: 'app_id', sender_type: 'app' },
      body: { content: text('您好') },
    });
    expect(Number(d.create_time)).toBeGreaterThan(1_600_000_000_000);
    const stored = r.emu.messages({ openId: 'ou_zhang' });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ content: { text: '您好' }, msg_type: 'text', chat_type: 'p2p', update_count: 0 });
  });

  it('reaches people by user_id and email and groups by chat_id', async () => {
    r = await rig();
    const by = async (type: 'user_id' | 'email' | 'chat_id', id: string) =>
      (
        await r.client.im.message.create({
          params: { receive_id_type: type },
          data: { receive_id: id, msg_type: 'text', content: text(type) },
        })
      ).data!.chat_id;
    expect(await by('user_id', 'u_li')).toBe(r.emu.p2pChatId('ou_li'));
    expect(await by('email', 'ZhangSan@gov.example.cn')).toBe(r.emu.p2pChatId('ou_zhang'));
    expect(await by('chat_id', 'oc_mechanism')).toBe('oc_mechanism');
    expect(r.emu.messages({ chatId: 'oc_mechanism' })[0]!.chat_type).toBe('group');
  });

  it('refuses unknown people, groups without the bot, and malformed content', async () => {
    r = await rig();
    const send = (receive_id_type: 'open_id' | 'chat_id', receive_id: string, msg_type: string, content: string) =>
      failure(r.client.im.message.create({ params: { receive_id_type }, data: { receive_id, msg_type, content } }));
    expect((await send('open_id', 'ou_nobody', 'text', text('x'))).data.code).toBe(230013);
    expect((await send('chat_id', 'oc_chain', 'text', text('x'))).data.code).toBe(230002);
    expect((await send('open_id', 'ou_zhang', 'text', '{"text":')).data.code).toBe(230001);
    expect((await send('open_id', 'ou_zhang', 'text', '{"txt":"x"}')).data.code).toBe(230001);
    const cardWithTopLevelElements = JSON.stringify({ schema: '2.0', elements: [] });
    expect((await send('open_id', 'ou_zhang', 'interactive', cardWithTopLevelElements)).data.code).toBe(230099);
    const huge = JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x'.repeat(31 * 1024) }] } });
    expect((await send('open_id', 'ou_zhang', 'interactive', huge)).data.code).toBe(230025);
    expect(r.emu.messages()).toHaveLength(0);
  });

  it('de-duplicates by uuid within an hour, then sends again', async () => {
    let now = Date.UTC(2025, 0, 20, 2, 0, 0);
    r = await rig({ now: () => now });
    const send = () =>
      r.client.im.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: 'ou_zhang', msg_type: 'interactive', content: card('月度填报提醒'), uuid: 'remind-2025-01-ou_zhang' },
      });
    const a = await send();
    const b = await send();
    expect(b.data!.message_id).toBe(a.data!.message_id);
    expect(r.emu.messages()).toHaveLength(1);
    expect(r.emu.messages()[0]!.uuid).toBe('remind-2025-01-ou_zhang');
    now += 61 * 60_000;
    const c = await send();
    expect(c.data!.message_id).not.toBe(a.data!.message_id);
    expect(r.emu.messages()).toHaveLength(2);
  });

  it('replies, patches a card, and reads a message back', async () => {
    r = await rig();
    const sent = await r.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: 'oc_mechanism', msg_type: 'interactive', content: card('项目进展') },
    });
    const id = sent.data!.message_id!;
    const reply = await r.client.im.message.reply({ path: { message_id: id }, data: { msg_type: 'text', content: text('收到') } });
    expect(reply.code).toBe(0);
    expect(reply.data).toMatchObject({ chat_id: 'oc_mechanism', parent_id: id, root_id: id });
    expect(r.emu.calls.find((c) => c.path.endsWith('/reply'))!.receiveId).toBe('oc_mechanism');

    const patched = await r.client.im.message.patch({ path: { message_id: id }, data: { content: card('项目进展（已更新）') } });
    expect(patched).toMatchObject({ code: 0 });
    const m = r.emu.message(id)!;
    expect(m.update_count).toBe(1);
    expect(m.updates[0]!.via).toBe('patch');
    expect((m.content as any).header.title.content).toBe('项目进展（已更新）');

    const got = await r.client.im.message.get({ path: { message_id: id } });
    expect(got.data!.items![0]).toMatchObject({
      message_id: id,
      msg_type: 'interactive',
      updated: true,
      body: { content: card('项目进展（已更新）') },
    });

    const textPatch = await failure(
      r.client.im.message.patch({ path: { message_id: reply.data!.message_id! }, data: { content: card('x') } }),
    );
    expect(textPatch.data.code).toBe(230001);
  });

  it('refuses a PATCH 14 days after sending', async () => {
    let now = Date.UTC(2025, 0, 1);
    // the SDK caches tokens on the real clock, so keep the token valid across the emulator's jump
    r = await rig({ now: () => now, tokenTtlSeconds: 30 * 86_400 });
    const sent = await r.client.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: 'ou_zhang', msg_type: 'interactive', content: card('a') },
    });
    now += 15 * 24 * 3_600_000;
    const f = await failure(r.client.im.message.patch({ path: { message_id: sent.data!.message_id! }, data: { content: card('b') } }));
    expect(f.data.code).toBe(230031);
  });
});

describe('chats, people, bot', () => {
  it('gets a chat and pages its members', async () => {
    r = await rig();
    const chat = await r.client.im.chat.get({ path: { chat_id: 'oc_mechanism' } });
    expect(chat.data).toMatchObject({ name: '市招商机制群', chat_mode: 'group', user_count: '3', bot_count: '1', external: false });

    const p1 = await r.client.im.chatMembers.get({
      path: { chat_id: 'oc_mechanism' },
      params: { member_id_type: 'open_id', page_size: 2 },
    });
    expect(p1.data).toMatchObject({ has_more: true, member_total: 3 });
    expect(p1.data!.items).toEqual([
      expect.objectContaining({ member_id: 'ou_zhang', member_id_type: 'open_id', name: '张三' }),
      expect.objectContaining({ member_id: 'ou_li', name: '李四' }),
    ]);
    const p2 = await r.client.im.chatMembers.get({
      path: { chat_id: 'oc_mechanism' },
      params: { member_id_type: 'open_id', page_size: 2, page_token: p1.data!.page_token! },
    });
    expect(p2.data).toMatchObject({ has_more: false, page_token: '' });
    expect(p2.data!.items!.map((x) => x.name)).toEqual(['王五']);

    const notIn = await failure(r.client.im.chat.get({ path: { chat_id: 'oc_chain' } }));
    expect(notIn.data.code).toBe(232011);
  });

  it('finds people by mobile and email with batch_get_id', async () => {
    r = await rig();
    const res = await r.client.contact.user.batchGetId({
      params: { user_id_type: 'open_id' },
      data: { mobiles: ['13800000001', '+8613800000002', '13999999999'], emails: ['lisi@gov.example.cn', 'nobody@x.cn'] },
    });
    expect(res.code).toBe(0);
    expect(res.data!.user_list).toEqual([
      expect.objectContaining({ user_id: 'ou_zhang', mobile: '13800000001' }),
      expect.objectContaining({ user_id: 'ou_li', mobile: '+8613800000002' }),
      { mobile: '13999999999' },
      expect.objectContaining({ user_id: 'ou_li', email: 'lisi@gov.example.cn' }),
      { email: 'nobody@x.cn' },
    ]);
    const byUserId = await r.client.contact.user.batchGetId({ params: { user_id_type: 'user_id' }, data: { mobiles: ['13800000001'] } });
    expect(byUserId.data!.user_list![0]!.user_id).toBe('u_zhang');
  });

  it('answers bot/v3/info with the bot at the top level', async () => {
    r = await rig();
    const res = await r.client.request<{ code: number; bot: { open_id: string; app_name: string } }>({
      url: '/open-apis/bot/v3/info',
      method: 'GET',
    });
    expect(res).toMatchObject({ code: 0, bot: { open_id: r.emu.botOpenId, app_name: '招商助手', activate_status: 2 } });
  });

  it('says loudly when the bot calls something not emulated', async () => {
    r = await rig();
    const f = await failure(r.client.request({ url: '/open-apis/im/v1/pins', method: 'POST', data: {} }));
    expect(f.status).toBe(404);
    expect(r.emu.warnings).toContain('not emulated: POST /open-apis/im/v1/pins');
  });
});

describe('files', () => {
  it('uploads a file, sends it, and the bot downloads what a person sent', async () => {
    r = await rig();
    const bytes = Buffer.from('项目名称,签约金额\n新能源电池,5000万\n');
    const up = await r.client.im.file.create({ data: { file_type: 'stream', file_name: '台账.csv', file: bytes } });
    expect(up!.file_key).toMatch(/^file_v3_/);
    const sent = await r.client.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: 'ou_zhang', msg_type: 'file', content: JSON.stringify({ file_key: up!.file_key }) },
    });
    expect(sent.code).toBe(0);

    const res = await r.emu.sendFile('ou_zhang', { name: '一月台账.xlsx', bytes: new Uint8Array([1, 2, 3, 4]) });
    expect(res.status).toBe(200);
    const msg = r.bot.received.at(-1)!.envelope['event'].message;
    expect(msg.message_type).toBe('file');
    const { file_key, file_name } = JSON.parse(msg.content);
    expect(file_name).toBe('一月台账.xlsx');
    const dl = await r.client.im.messageResource.get({ path: { message_id: msg.message_id, file_key }, params: { type: 'file' } });
    const chunks: Buffer[] = [];
    for await (const c of dl.getReadableStream()) chunks.push(c as Buffer);
    expect([...Buffer.concat(chunks)]).toEqual([1, 2, 3, 4]);

    const wrong = await failure(
      r.client.im.messageResource.get({ path: { message_id: msg.message_id, file_key: up!.file_key! }, params: { type: 'file' } }),
    );
    expect(wrong.status).toBe(400);
  });
});

describe('rate limits', () => {
  it('throttles sends to one chat past 5 per second with 429, 99991400 and x-ogw-ratelimit-reset', async () => {
    let now = 1_700_000_000_000;
    r = await rig({ now: () => now, limits: { enforce: true } });
    const send = (id = 'ou_zhang') =>
      r.client.im.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: id, msg_type: 'text', content: text('x') },
      });
    for (let i = 0; i < 5; i++) await send();
    const f = await failure(send());
    expect(f.status).toBe(429);
    expect(f.data).toEqual({ code: 99991400, msg: 'request trigger frequency limit' });
    expect(f.headers['x-ogw-ratelimit-reset']).toBe('1');
    expect((await send('ou_li')).code).toBe(0); // another person is another bucket
    now += 1000;
    expect((await send()).code).toBe(0);
    const sends = r.emu.calls.filter((c) => c.path === '/open-apis/im/v1/messages');
    expect(sends.map((c) => c.status)).toEqual([200, 200, 200, 200, 200, 429, 200, 200]);
    expect(sends[5]).toMatchObject({ code: 99991400, receiveId: 'ou_zhang' });
  });

  it('throttles the app per second and per minute', async () => {
    let now = 1_700_000_000_000;
    r = await rig({ now: () => now, limits: { enforce: true, appPerSecond: 2, appPerMinute: 3 } });
    const send = (id: string) =>
      r.client.im.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: id, msg_type: 'text', content: text('x') },
      });
    await send('ou_zhang');
    await send('ou_li');
    expect((await failure(send('ou_wang'))).headers['x-ogw-ratelimit-reset']).toBe('1');
    now += 10_000;
    await send('ou_wang');
    const f = await failure(send('ou_zhang'));
    expect(f.status).toBe(429);
    expect(f.headers['x-ogw-ratelimit-reset']).toBe('50'); // the first send leaves the minute window 50 s from now
    now += 50_000;
    expect((await send('ou_zhang')).code).toBe(0);
  });

  it('does not throttle when limits are not enforced', async () => {
    r = await rig();
    for (let i = 0; i < 8; i++) {
      await r.client.im.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: 'ou_zhang', msg_type: 'text', content: text(String(i)) },
      });
    }
    expect(r.emu.messages()).toHaveLength(8);
  });
});

describe('faults', () => {
  it('fails the next N calls with 429 and the reset header, leaving token fetches alone', async () => {
    r = await rig();
    r.emu.faults.fail({ status: 429, count: 2, resetSeconds: 7 });
    const send = () =>
      r.client.im.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: 'ou_zhang', msg_type: 'text', content: text('x') },
      });
    for (let i = 0; i < 2; i++) {
      const f = await failure(send());
      expect(f.status).toBe(429);
      expect(f.headers['x-ogw-ratelimit-reset']).toBe('7');
      expect(f.data.code).toBe(99991400);
    }
    expect((await send()).code).toBe(0);
    expect(r.emu.tokenFetches()).toBe(1);
  });

  it('injects 5xx and 400/230020 on chosen paths only', async () => {
    r = await rig();
    r.emu.faults.fail({ status: 503, count: 1, pathPrefix: '/open-apis/im/v1/messages' });
    r.emu.faults.fail({ status: 400, count: 1, pathPrefix: '/open-apis/im/v1/messages' });
    expect((await r.client.im.chat.get({ path: { chat_id: 'oc_mechanism' } })).code).toBe(0);
    const send = () =>
      r.client.im.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: 'ou_zhang', msg_type: 'text', content: text('x') },
      });
    expect((await failure(send())).status).toBe(503);
    const f = await failure(send());
    expect(f.status).toBe(400);
    expect(f.data.code).toBe(230020);
    expect((await send()).code).toBe(0);
    r.emu.faults.fail({ status: 500, count: 5 });
    r.emu.faults.clear();
    expect((await send()).code).toBe(0);
  });
});
