/**
 * The emulator's long connection, as the SDK's WSClient expects it: the endpoint request, the socket on the
 * same port, protobuf frames with ping/pong, events and card callbacks as `type=event` data frames (split with
 * sum/seq when large), the response frame read back, one client per event, redelivery of what goes unanswered.
 * Clients are the real SDK (WSClient + EventDispatcher, no bot) or raw sockets speaking the frames by hand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeFrame, encodeFrame, FrameError, headerOf } from '../../src/emulator/long-connection/frame.js';
import { b64, endpoint, rawClient, sdkClient, until, wsRig, type WsRig } from './ws-harness.js';

const card = (title: string) => ({
  schema: '2.0',
  header: { title: { tag: 'plain_text', content: title } },
  body: {
    elements: [{ tag: 'button', text: { tag: 'plain_text', content: '确认' }, behaviors: [{ type: 'callback', value: { a: 'ok' } }] }],
  },
});

let rigs: WsRig[] = [];
const stops: (() => void)[] = [];
async function rig(...args: Parameters<typeof wsRig>) {
  const r = await wsRig(...args);
  rigs.push(r);
  return r;
}
afterEach(async () => {
  for (const s of stops.splice(0)) s();
  await Promise.all(rigs.map((r) => r.close()));
  rigs = [];
});

async function postCard(r: WsRig, openId: string) {
  const res = await r.api.im.v1.message.create({
    params: { receive_id_type: 'open_id' },
    data: { receive_id: openId, msg_type: 'interactive', content: JSON.stringify(card('待确认')) },
  });
  return res.data!.message_id!;
}

describe('frames', () => {
  it('works: round-trips every field, zero scalars included', () => {
    const f = {
      SeqID: 0,
      LogID: 2 ** 40,
      service: 7,
      method: 1,
      headers: [
        { key: 'type', value: 'event' },
        { key: 'trace_id', value: '链路' },
      ],
      payloadType: 'json',
      payload: new TextEncoder().encode('{"a":1}'),
      LogIDNew: 'x',
    };
    expect(decodeFrame(encodeFrame(f))).toEqual(f);
  });

  it('attacked: truncated, overlong or incomplete frames are refused, not misread', () => {
    const good = encodeFrame({
      SeqID: 1,
      LogID: 1,
      service: 1,
      method: 1,
      headers: [{ key: 'type', value: 'event' }],
      payload: new Uint8Array(9),
    });
    expect(() => decodeFrame(good.subarray(0, good.length - 3))).toThrow(FrameError);
    expect(() => decodeFrame(new Uint8Array([8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))).toThrow(FrameError);
    expect(() => decodeFrame(new Uint8Array([8, 1, 16, 1]))).toThrow(/missing required 'service'/);
    expect(() => decodeFrame(new Uint8Array([8, 1, 16, 1, 24, 1, 32, 1, 42, 2, 10, 0]))).toThrow(/header without key or value/);
  });
});

describe('long connection: works', () => {
  it('hands out a socket URL on the same port and the ClientConfig it was given', async () => {
    const r = await rig({ pingIntervalSeconds: 5, reconnectIntervalSeconds: 3, reconnectNonceSeconds: 2, reconnectCount: 7 });
    const ep = await endpoint(r, { AppID: r.appId, AppSecret: r.appSecret });
    expect(ep).toMatchObject({ status: 200, code: 0 });
    expect(ep.data.ClientConfig).toEqual({ PingInterval: 5, ReconnectInterval: 3, ReconnectNonce: 2, ReconnectCount: 7 });
    const u = new URL(ep.data.URL);
    expect(u.protocol).toBe('ws:');
    expect(u.host).toBe(new URL(r.url).host);
    // the SDK reads these two with qs.parse over the whole URL: neither may be the first parameter
    expect([...u.searchParams.keys()][0]).not.toMatch(/device_id|service_id/);
    expect(u.searchParams.get('device_id')).toMatch(/^[0-9a-f]+$/);
    expect(Number(u.searchParams.get('service_id'))).toBeGreaterThan(0);
  });

  it('delivers a message to the SDK client as a type=event frame and reads its answer', async () => {
    const r = await rig();
    const got: any[] = [];
    const c = await sdkClient(r, { 'im.message.receive_v1': (d) => void got.push(d) });
    stops.push(c.stop);
    await r.emu.longConnection!.waitForClients(1);
    const res = await r.emu.sendText('ou_zhang', '帮助');
    expect(res.status).toBe(200);
    expect(got).toHaveLength(1);
    expect(got[0].message.chat_type).toBe('p2p');
    expect(JSON.parse(got[0].message.content)).toEqual({ text: '帮助' });
    expect(got[0].sender.sender_id.open_id).toBe('ou_zhang');
    expect(r.emu.events).toEqual([expect.objectContaining({ event_type: 'im.message.receive_v1', via: 'ws', status: 200, attempt: 1 })]);
  });

  it('answers a card click with the toast and card the client returned in its response frame', async () => {
    const r = await rig();
    const c = await sdkClient(r, {
      'card.action.trigger': (d) => ({
        toast: { type: 'success', content: `已确认 ${d.action.value.a}` },
        card: { type: 'raw', data: card('已确认') },
      }),
    });
    stops.push(c.stop);
    await r.emu.longConnection!.waitForClients(1);
    const id = await postCard(r, 'ou_li');
    const result = await r.emu.clickCard(id, 'ou_li', { value: { a: 'ok' } });
    expect(result).toMatchObject({ status: 200, toast: { type: 'success', content: '已确认 ok' } });
    expect(result.error).toBeUndefined();
    expect(JSON.stringify(result.card)).toContain('已确认');
    expect(r.emu.message(id)!.updates).toEqual([expect.objectContaining({ via: 'callback' })]);
  });

  it('splits a large event into frames with sum/seq under one message_id, which the SDK puts back together', async () => {
    const r = await rig({ fragmentBytes: 200, redeliverAfterMs: [50] });
    const raw = await rawClient(r);
    await r.emu.longConnection!.waitForClients(1);
    const long = '进展'.repeat(400);
    void r.emu.sendText('ou_zhang', long);
    const frames = await raw.dataFrames(2);
    const sum = Number(headerOf(frames[0]!, 'sum'));
    expect(sum).toBeGreaterThan(5);
    const all = await raw.dataFrames(sum);
    expect(new Set(all.map((f) => headerOf(f, 'message_id'))).size).toBe(1);
    expect(all.map((f) => Number(headerOf(f, 'seq')))).toEqual([...Array(sum).keys()]);
    expect(all.every((f) => headerOf(f, 'type') === 'event')).toBe(true);
    raw.close();

    const got: string[] = [];
    const c = await sdkClient(r, { 'im.message.receive_v1': (d) => void got.push(JSON.parse(d.message.content).text) });
    stops.push(c.stop);
    // the raw client never answered: the event is redelivered, to the SDK client this time
    await until(() => got.length === 1);
    expect(got[0]).toBe(long);
  });

  it('answers a ping with a pong carrying the ClientConfig', async () => {
    const r = await rig({ pingIntervalSeconds: 4, reconnectIntervalSeconds: 3, reconnectNonceSeconds: 1 });
    const raw = await rawClient(r);
    await until(() => raw.frames.some((f) => f.method === 0));
    const pong = raw.frames.find((f) => f.method === 0)!;
    expect(headerOf(pong, 'type')).toBe('pong');
    expect(pong.service).toBe(raw.serviceId);
    expect(JSON.parse(new TextDecoder().decode(pong.payload))).toEqual({
      PingInterval: 4,
      ReconnectInterval: 3,
      ReconnectNonce: 1,
      ReconnectCount: -1,
    });
    expect(r.emu.longConnection!.clients()[0]).toMatchObject({ pings: 1, ready: true });
    raw.close();
  });

  it('sends each event to one client, and redelivers a withheld answer to another', async () => {
    let pick = 0;
    const r = await rig({ ackTimeoutMs: 300, redeliverAfterMs: [50, 50], random: () => [0, 0.99][pick++ % 2]! });
    const silent = await rawClient(r); // takes events, never answers
    await r.emu.longConnection!.waitForClients(1);
    const got: string[] = [];
    const c = await sdkClient(r, { 'im.message.receive_v1': (d) => void got.push(d.event_id) });
    stops.push(c.stop);
    await r.emu.longConnection!.waitForClients(2);
    const [first, second] = r.emu.longConnection!.clients();
    expect(first!.id).toBe(new URL(silent.url).searchParams.get('device_id'));

    const res = await r.emu.sendText('ou_zhang', '帮助'); // random 0 → the silent client
    expect(res.status).toBe(504);
    await r.emu.longConnection!.idle();
    expect(got).toHaveLength(1);
    expect(r.emu.events.map((e) => [e.clientId, e.status, e.attempt])).toEqual([
      [first!.id, 504, 1],
      [second!.id, 200, 2],
    ]);
    expect((await silent.dataFrames(1)).length).toBe(1); // the silent client saw it once, and only once
    silent.close();
  });

  it('redelivers an event whose client answered code 500 (its handler threw)', async () => {
    const r = await rig({ redeliverAfterMs: [20] });
    let calls = 0;
    const c = await sdkClient(r, {
      'im.message.receive_v1': () => {
        if (++calls === 1) throw new Error('first time fails');
      },
    });
    stops.push(c.stop);
    await r.emu.longConnection!.waitForClients(1);
    expect((await r.emu.sendText('ou_zhang', '帮助')).status).toBe(500);
    await r.emu.longConnection!.idle();
    expect(calls).toBe(2);
    expect(r.emu.events.map((e) => e.status)).toEqual([500, 200]);
  });
});

describe('long connection: refused', () => {
  it('refuses wrong app credentials at the endpoint, and the SDK client gives up instead of knocking for ever', async () => {
    const r = await rig();
    expect(await endpoint(r, { AppID: r.appId, AppSecret: 'wrong' })).toMatchObject({ status: 200, code: 514, data: {} });
    expect(await endpoint(r, { AppID: 'cli_0000000000000000', AppSecret: r.appSecret })).toMatchObject({ code: 514 });
    const c = await sdkClient(r, {}, { appSecret: 'wrong' });
    stops.push(c.stop);
    expect(c.error?.message).toMatch(/code=514/);
    expect(r.emu.longConnection!.clients()).toEqual([]);
    expect(r.emu.warnings.join('\n')).toContain('app id or app secret invalid');
  });

  it('a card callback fails with Lark’s error when the client’s handler throws — at once, not after a hang', async () => {
    const r = await rig();
    const c = await sdkClient(r, {
      'card.action.trigger': () => {
        throw new Error('the handler failed');
      },
    });
    stops.push(c.stop);
    await r.emu.longConnection!.waitForClients(1);
    const id = await postCard(r, 'ou_li');
    const started = Date.now();
    const result = await r.emu.clickCard(id, 'ou_li', { value: { a: 'ok' } });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.status).toBe(500);
    expect(result.error).toContain('code 500');
    expect(result.toast).toBeUndefined();
    expect(r.emu.message(id)!.update_count).toBe(0);
    // a click is not redelivered: the person who clicked has already been told it failed
    await r.emu.longConnection!.idle();
    expect(r.emu.events).toHaveLength(1);
  });

  it('a card click with no client connected fails at once', async () => {
    const r = await rig();
    const id = await postCard(r, 'ou_li');
    const result = await r.emu.clickCard(id, 'ou_li', { value: { a: 'ok' } });
    expect(result).toMatchObject({ status: 503, error: 'no long-connection client is connected' });
    expect(r.emu.longConnection!.pending()).toBe(0);
  });

  it('refuses more connections than the app may hold', async () => {
    const r = await rig({ maxConnections: 1 });
    const raw = await rawClient(r);
    await r.emu.longConnection!.waitForClients(1);
    expect(await endpoint(r, { AppID: r.appId, AppSecret: r.appSecret })).toMatchObject({ code: 1000040350 });
    raw.close();
  });

  it('webhook-only things are refused with ws delivery', async () => {
    const r = await rig();
    await expect(r.emu.verifyUrl()).rejects.toThrow(/webhook/);
    await expect(
      r.emu.deliverRaw({ schema: '2.0', header: { event_id: 'e', event_type: 'x' }, event: {} }, { badSignature: true }),
    ).rejects.toThrow(/webhook/);
  });
});

describe('long connection: attacked', () => {
  async function handshake(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.on('unexpected-response', (_req, res) => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers });
        ws.terminate();
      });
      ws.on('open', () => {
        ws.terminate();
        reject(new Error('the handshake was accepted'));
      });
      ws.on('error', () => {});
    });
  }

  it('refuses a guessed, tampered or replayed socket URL with Lark’s handshake headers', async () => {
    const r = await rig();
    const ep = await endpoint(r, { AppID: r.appId, AppSecret: r.appSecret });
    const u = new URL(ep.data.URL);
    const guessed = new URL(u);
    guessed.searchParams.set('ticket', 'f'.repeat(32));
    expect(await handshake(guessed.toString())).toMatchObject({ status: 403, headers: { 'handshake-status': '403' } });
    // the guess burned nothing: the real ticket still opens once…
    const ok = new WebSocket(u.toString());
    await new Promise((res, rej) => (ok.once('open', res), ok.once('error', rej)));
    ok.terminate();
    // …and only once
    const again = await handshake(u.toString());
    expect(again.status).toBe(403);
    expect(again.headers['handshake-msg']).toContain('ticket');
    // a ticket with someone else's device id
    const ep2 = await endpoint(r, { AppID: r.appId, AppSecret: r.appSecret });
    const other = new URL(ep2.data.URL);
    other.searchParams.set('device_id', 'deadbeef');
    expect((await handshake(other.toString())).status).toBe(403);
  });

  it('ignores garbage frames, text frames and answers to nothing, and keeps serving', async () => {
    const r = await rig({ ackTimeoutMs: 2000 });
    const raw = await rawClient(r);
    await r.emu.longConnection!.waitForClients(1);
    raw.ws.send(Buffer.from([0xff, 0xff, 0xff]));
    raw.ws.send('{"code":200}');
    raw.answer({ SeqID: 1, LogID: 1, service: raw.serviceId, method: 1, headers: [{ key: 'message_id', value: 'nope' }] }, { code: 200 });
    const delivered = r.emu.sendText('ou_zhang', '帮助');
    const [frame] = await raw.dataFrames(1);
    raw.answer(frame!, { code: 200, data: b64({}) });
    expect((await delivered).status).toBe(200);
    const warnings = r.emu.warnings.join('\n');
    expect(warnings).toContain('unreadable frame');
    expect(warnings).toContain('text frame');
    expect(warnings).toContain('to no event in flight');
    raw.close();
  });

  it('takes an answer only from the client the event went to', async () => {
    const r = await rig({ ackTimeoutMs: 400, redeliverAfterMs: [] });
    const a = await rawClient(r);
    await r.emu.longConnection!.waitForClients(1);
    const delivered = r.emu.sendText('ou_zhang', '帮助');
    const [frame] = await a.dataFrames(1);
    const b = await rawClient(r);
    b.answer(frame!, { code: 200 }); // B never got this event
    expect((await delivered).status).toBe(504);
    expect(r.emu.warnings.join('\n')).toContain('to no event in flight');
    a.close();
    b.close();
  });

  it.each([
    ['not JSON', 'nope', /not JSON/],
    ['no code', { data: b64({}) }, /not \{code/],
    ['data not base64 JSON', { code: 200, data: '%%%' }, /not base64 of JSON/],
    ['a callback answered with a list', { code: 200, data: b64([1, 2]) }, /must answer a JSON object/],
  ])('reads a bad answer (%s) as a failed delivery, with a warning', async (_name, payload, warning) => {
    const r = await rig({ redeliverAfterMs: [] });
    const raw = await rawClient(r);
    await r.emu.longConnection!.waitForClients(1);
    const id = await postCard(r, 'ou_li');
    const click = r.emu.clickCard(id, 'ou_li', { value: { a: 'ok' } });
    const [frame] = await raw.dataFrames(1);
    raw.answer(frame!, payload);
    const result = await click;
    expect(result.status).toBe(502);
    expect(result.error).toMatch(/unreadable/);
    expect(r.emu.warnings.join('\n')).toMatch(warning);
    expect(r.emu.message(id)!.update_count).toBe(0);
    raw.close();
  });
});
