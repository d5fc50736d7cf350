/**
 * What the emulator delivers to the bot's request URL: schema 2.0 envelopes, encrypted and signed like Lark.
 * The tiny bot in the harness checks every delivery with src/lark/crypto.ts.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { ENCRYPT_KEY, rig, text, VERIFICATION_TOKEN, type Rig } from './harness.js';

let r: Rig;
afterEach(async () => {
  await r?.close();
});

const last = () => r.bot.received.at(-1)!.envelope as Record<string, any>;

const confirmCard = (state: string) => ({
  schema: '2.0',
  header: { title: { tag: 'plain_text', content: '月度进展填报' }, template: state === 'done' ? 'green' : 'blue' },
  body: {
    elements: [
      { tag: 'markdown', content: state === 'done' ? '✅ 已确认本月无变化' : '**新能源电池项目** 本月尚未填报' },
      ...(state === 'done'
        ? []
        : [
            {
              tag: 'button',
              text: { tag: 'plain_text', content: '本月无变化' },
              type: 'primary',
              behaviors: [{ type: 'callback', value: { action: 'no_change', project: 'p1' } }],
            },
          ]),
    ],
  },
});

async function sendCard(to = 'ou_zhang') {
  const res = await r.client.im.message.create({
    params: { receive_id_type: 'open_id' },
    data: { receive_id: to, msg_type: 'interactive', content: JSON.stringify(confirmCard('open')) },
  });
  return res.data!.message_id!;
}

describe('im.message.receive_v1', () => {
  it('delivers a p2p text as a signed, encrypted schema 2.0 event', async () => {
    r = await rig();
    const res = await r.emu.sendText('ou_zhang', '帮助');
    expect(res.status).toBe(200);
    expect(r.bot.rejected).toEqual([]);
    const { envelope, headers, rawBody } = r.bot.received[0]!;
    expect(Object.keys(JSON.parse(rawBody))).toEqual(['encrypt']);
    expect(headers['x-lark-request-timestamp']).toMatch(/^\d{10}$/);
    expect(headers['x-lark-request-nonce']).toBeTruthy();
    expect(headers['x-lark-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(envelope['schema']).toBe('2.0');
    expect(envelope['header']).toEqual({
      event_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      event_type: 'im.message.receive_v1',
      create_time: expect.stringMatching(/^\d{13}$/),
      token: VERIFICATION_TOKEN,
      app_id: r.appId,
      tenant_key: expect.any(String),
    });
    const ev = envelope['event'];
    expect(ev.sender).toEqual({
      sender_id: { open_id: 'ou_zhang', user_id: 'u_zhang', union_id: expect.stringMatching(/^on_/) },
      sender_type: 'user',
      tenant_key: envelope['header'].tenant_key,
    });
    expect(ev.message).toEqual({
      message_id: expect.stringMatching(/^om_/),
      create_time: expect.stringMatching(/^\d{13}$/),
      update_time: expect.stringMatching(/^\d{13}$/),
      chat_id: r.emu.p2pChatId('ou_zhang'),
      chat_type: 'p2p',
      message_type: 'text',
      content: '{"text":"帮助"}',
    });
    // the person's message is part of the chat history too
    expect(r.emu.messages({ chatId: r.emu.p2pChatId('ou_zhang'), from: 'user' })).toHaveLength(1);
  });

  it('passes the SDK EventDispatcher (signature and decryption)', async () => {
    r = await rig();
    await r.emu.sendText('ou_li', '本周汇总');
    const { headers, rawBody } = r.bot.received[0]!;
    let seen: any;
    const dispatcher = new lark.EventDispatcher({
      encryptKey: ENCRYPT_KEY,
      verificationToken: VERIFICATION_TOKEN,
      logger: { error() {}, warn() {}, info() {}, debug() {}, trace() {} },
    }).register({
      'im.message.receive_v1': (data) => {
        seen = data;
        return 'ok';
      },
    });
    const data = Object.assign(Object.create({ headers }), JSON.parse(rawBody));
    expect(await dispatcher.invoke(data)).toBe('ok');
    expect(seen.message.content).toBe('{"text":"本周汇总"}');
    expect(seen.sender.sender_id.open_id).toBe('ou_li');
  });

  it('in a group, delivers only messages that @ the bot, as @_user_1 with mentions', async () => {
    r = await rig();
    const res = await r.emu.sendText('ou_zhang', '项目 新能源电池 进展 @李四 跟进', { chatId: 'oc_mechanism', mentionBot: true });
    expect(res.status).toBe(200);
    const msg = last()['event'].message;
    expect(msg.chat_type).toBe('group');
    expect(msg.chat_id).toBe('oc_mechanism');
    expect(JSON.parse(msg.content)).toEqual({ text: '@_user_1 项目 新能源电池 进展 @_user_2 跟进' });
    expect(msg.mentions).toEqual([
      { key: '@_user_1', id: { open_id: r.emu.botOpenId }, name: '招商助手', tenant_key: expect.any(String) },
      {
        key: '@_user_2',
        id: { open_id: 'ou_li', user_id: 'u_li', union_id: expect.any(String) },
        name: '李四',
        tenant_key: expect.any(String),
      },
    ]);

    const quiet = await r.emu.sendText('ou_zhang', '大家辛苦了', { chatId: 'oc_mechanism', mentionBot: false });
    expect(quiet.status).toBe(202);
    expect(quiet.headers.get('x-emulator-not-delivered')).toBe('no-mention');
    expect(r.bot.received).toHaveLength(1);
  });

  it('delivers unmentioned group messages when the app may read all group messages', async () => {
    r = await rig({ groupMessages: 'all' });
    await r.emu.sendText('ou_zhang', '大家辛苦了', { chatId: 'oc_mechanism', mentionBot: false });
    expect(JSON.parse(last()['event'].message.content)).toEqual({ text: '大家辛苦了' });
    expect(last()['event'].message.mentions).toBeUndefined();
  });

  it('redelivers the same event with the same event_id', async () => {
    r = await rig();
    await r.emu.sendText('ou_zhang', '帮助');
    const id = last()['header'].event_id;
    await r.emu.redeliver(id);
    expect(r.bot.received.map((x) => x.envelope['header'].event_id)).toEqual([id, id]);
    expect(r.bot.received[0]!.headers['x-lark-request-nonce']).not.toBe(r.bot.received[1]!.headers['x-lark-request-nonce']);
  });
});

describe('card.action.trigger', () => {
  it('delivers a click and applies the card in the answer, like Lark', async () => {
    r = await rig();
    const id = await sendCard();
    r.bot.state.onCard = () => ({ toast: { type: 'success', content: '已记录' }, card: { type: 'raw', data: confirmCard('done') } });
    const result = await r.emu.clickCard(id, 'ou_zhang', { value: { action: 'no_change', project: 'p1' } });
    expect(result).toMatchObject({ status: 200, toast: { type: 'success', content: '已记录' }, card: confirmCard('done') });

    const env = last();
    expect(env['header']).toMatchObject({ event_type: 'card.action.trigger', token: VERIFICATION_TOKEN, app_id: r.appId });
    expect(env['event']).toEqual({
      operator: { tenant_key: expect.any(String), open_id: 'ou_zhang', user_id: 'u_zhang', union_id: expect.any(String) },
      token: expect.stringMatching(/^c-/),
      action: { tag: 'button', value: { action: 'no_change', project: 'p1' } },
      host: 'im_message',
      context: { open_message_id: id, open_chat_id: r.emu.p2pChatId('ou_zhang') },
    });

    const m = r.emu.message(id)!;
    expect(m.content).toEqual(confirmCard('done'));
    expect(m.update_count).toBe(1);
    expect(m.updates[0]!.via).toBe('callback');
  });

  it('sends form values keyed by component name', async () => {
    r = await rig();
    const id = await sendCard();
    await r.emu.clickCard(id, 'ou_zhang', { name: 'submit', form_value: { stage: '签约', amount: '5000万', date: '2025-01-20 +0800' } });
    expect(last()['event'].action).toEqual({
      tag: 'button',
      name: 'submit',
      form_value: { stage: '签约', amount: '5000万', date: '2025-01-20 +0800' },
    });
    expect(r.emu.message(id)!.update_count).toBe(0); // an empty answer leaves the card alone
  });

  it('ignores a bare card in the answer and says why', async () => {
    r = await rig();
    const id = await sendCard();
    r.bot.state.onCard = () => confirmCard('done');
    const result = await r.emu.clickCard(id, 'ou_zhang', { value: {} });
    expect(result.card).toBeUndefined();
    expect(r.emu.message(id)!.update_count).toBe(0);
    expect(r.emu.warnings.join('\n')).toMatch(/bare card/);
  });

  it('gives up after the callback deadline, like Lark', async () => {
    r = await rig({ callbackTimeoutMs: 150 });
    const id = await sendCard();
    r.bot.state.delayMs = 400;
    r.bot.state.onCard = () => ({ card: { type: 'raw', data: confirmCard('done') } });
    const result = await r.emu.clickCard(id, 'ou_zhang', { value: {} });
    expect(result.status).toBe(504);
    expect(result.error).toMatch(/no answer within 150 ms/);
    expect(r.emu.message(id)!.update_count).toBe(0);
  });

  it('only lets people who can see the card click it', async () => {
    r = await rig();
    const id = await sendCard('ou_zhang');
    await expect(r.emu.clickCard(id, 'ou_li', { value: {} })).rejects.toThrow(/cannot see/);
  });
});

describe('im.chat.member.bot.added_v1', () => {
  it('puts the bot in the group and tells it', async () => {
    r = await rig();
    const res = await r.emu.addBotToChat('oc_chain', 'ou_li');
    expect(res.status).toBe(200);
    expect(last()['header'].event_type).toBe('im.chat.member.bot.added_v1');
    expect(last()['event']).toEqual({
      chat_id: 'oc_chain',
      operator_id: { open_id: 'ou_li', user_id: 'u_li', union_id: expect.any(String) },
      external: false,
      operator_tenant_key: expect.any(String),
      name: '新能源产业链工作群',
      i18n_names: { zh_cn: '新能源产业链工作群', en_us: '', ja_jp: '' },
    });
    const sent = await r.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: 'oc_chain', msg_type: 'text', content: text('大家好，我是招商助手') },
    });
    expect(sent.code).toBe(0);
  });
});

describe('url verification and tampering', () => {
  it('sends the url_verification challenge', async () => {
    r = await rig();
    expect(await r.emu.verifyUrl()).toBe(true);
  });

  it('produces the bad requests a secure intake must refuse', async () => {
    r = await rig();
    const payload = { event_type: 'im.message.receive_v1', event: { message: { content: '{"text":"x"}' } } };
    await r.emu.deliverRaw(payload, { token: 'wrong-token' });
    await r.emu.deliverRaw(payload, { badSignature: true });
    await r.emu.deliverRaw(payload, { omitSignature: true });
    await r.emu.deliverRaw(payload, { staleSeconds: 600 });
    await r.emu.deliverRaw(payload, { encryptKey: 'another-key' });
    expect(r.bot.rejected.map((x) => x.reason)).toEqual([
      'bad token',
      'bad signature',
      'bad signature',
      'stale timestamp',
      'cannot decrypt',
    ]);
    const ok = await r.emu.deliverRaw(payload);
    expect(ok.status).toBe(200);
    expect(last()['header'].event_type).toBe('im.message.receive_v1');
  });

  it('reports an unreachable bot without throwing', async () => {
    r = await rig({ botWebhookUrl: 'http://127.0.0.1:9/lark/events' });
    const res = await r.emu.sendText('ou_zhang', '帮助');
    expect(res.status).toBe(502);
    expect(r.emu.warnings.join('\n')).toMatch(/unreachable/);
  });
});
