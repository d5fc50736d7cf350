/**
 * Our Lark client (the real SDK behind one choke point) against the emulator, over real HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createLarkClient, isRetryable, LarkApiError, LarkNetworkError, type LarkClientOptions } from '../../src/lark/client.js';
import { silentLogger } from '../../src/log.js';
import { callsTo, GROUP, PEOPLE, startEmulator, type EmuServer } from './emulator-server.js';
import { maxInWindow } from './support.js';

const MESSAGES = '/open-apis/im/v1/messages';
const TOKEN = '/open-apis/auth/v3/tenant_access_token/internal';

let srv: EmuServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

function clientFor(s: EmuServer, opts: Partial<LarkClientOptions> = {}) {
  return createLarkClient(
    { appId: s.appId, appSecret: s.appSecret, domain: s.url },
    { logger: silentLogger, retry: { baseDelayMs: 5, maxDelayMs: 20 }, ...opts },
  );
}

const text = (t: string) => ({ text: t });

describe('tokens', () => {
  it('fetches the token once and reuses it across sends, concurrent first sends included', async () => {
    srv = await startEmulator();
    const lark = clientFor(srv, { limits: { perChatPerSecond: 50 } });
    await Promise.all(
      PEOPLE.slice(0, 5).map((p, i) =>
        lark.sendMessage({ receiveIdType: 'open_id', receiveId: p.open_id, msgType: 'text', content: text(`并发${i}`) }),
      ),
    );
    for (let i = 0; i < 5; i++) {
      await lark.sendMessage({ receiveIdType: 'chat_id', receiveId: GROUP, msgType: 'text', content: text(`第${i}条`) });
    }
    expect(srv.emulator.tokenFetches()).toBe(1);
    expect(callsTo(srv.emulator, 'POST', TOKEN)).toHaveLength(1);
    expect(callsTo(srv.emulator, 'POST', MESSAGES)).toHaveLength(10);
    expect(srv.emulator.messages()).toHaveLength(10);
  });

  it('fetches a new token once when Lark no longer honours the cached one', async () => {
    srv = await startEmulator();
    const lark = clientFor(srv);
    await lark.sendMessage({ receiveIdType: 'chat_id', receiveId: GROUP, msgType: 'text', content: text('一') });
    srv.emulator.revokeTokens();
    const sent = await lark.sendMessage({ receiveIdType: 'chat_id', receiveId: GROUP, msgType: 'text', content: text('二') });
    expect(sent.messageId).toMatch(/^om_/);
    expect(srv.emulator.tokenFetches()).toBe(2);
    expect(callsTo(srv.emulator, 'POST', MESSAGES).map((c) => [c.status, c.code])).toEqual([
      [200, 0],
      [400, 99991663],
      [200, 0],
    ]);
    expect(srv.emulator.messages()).toHaveLength(2);
  });
});

describe('throttling and retries', () => {
  it('waits out a 429 for x-ogw-ratelimit-reset and then sends exactly once', async () => {
    srv = await startEmulator();
    const lark = clientFor(srv);
    srv.emulator.faults.fail({ status: 429, count: 1, resetSeconds: 1, pathPrefix: MESSAGES });
    const sent = await lark.sendMessage({ receiveIdType: 'chat_id', receiveId: GROUP, msgType: 'text', content: text('限流后送达') });

    expect(srv.emulator.messages()).toHaveLength(1);
    expect(srv.emulator.messages()[0]!.message_id).toBe(sent.messageId);
    const calls = callsTo(srv.emulator, 'POST', MESSAGES);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    // the retry came no sooner than Lark's reset
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('treats HTTP 400 with code 230020 as throttling too', async () => {
    srv = await startEmulator();
    const lark = clientFor(srv);
    srv.emulator.faults.fail({ status: 400, code: 230020, count: 1, resetSeconds: 1, pathPrefix: MESSAGES });
    await lark.sendMessage({ receiveIdType: 'chat_id', receiveId: GROUP, msgType: 'text', content: text('x') });
    const calls = callsTo(srv.emulator, 'POST', MESSAGES);
    expect(calls.map((c) => [c.status, c.code])).toEqual([
      [400, 230020],
      [200, 0],
    ]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(srv.emulator.messages()).toHaveLength(1);
  });

  it('does not wait out a reset longer than it may: the caller gets a retryable error with the wait', async () => {
    srv = await startEmulator();
    const lark = clientFor(srv, { retry: { maxThrottleWaitMs: 2000 } });
    srv.emulator.faults.fail({ status: 429, count: 1, resetSeconds: 30, pathPrefix: MESSAGES });
    const err = await lark.sendMessage({ receiveIdType: 'chat_id', receiveId: GROUP, msgType: 'text', content: text('x') }).catch((e) => e);
    expect(err).toBeInstanceOf(LarkApiError);
    expect(err).toMatchObject({ code: 99991400, httpStatus: 429, retryAfterMs: 30_000, throttled: true });
    expect(isRetryable(err)).toBe(true);
    expect(callsTo(srv.emulator, 'POST', MESSAGES)).toHaveLength(1);
  });

  it('retries 5xx with backoff, then succeeds', async () => {
    srv = await startEmulator();
    const lark = clientFor(srv, { retry: { maxAttempts: 4, baseDelayMs: 5 } });
    srv.emulator.faults.fail({ status: 503, count: 2, pathPrefix: MESSAGES });
    await lark.sendMessage({ receiveIdType: 'chat_id', receiveId: GROUP, msgType: 'text', content: text('x') });
    expect(callsTo(srv.emulator, 'POST', MESSAGES).map((c) => c.status)).toEqual([503, 503, 200]);
    expect(srv.emulator.messages()).toHaveLength(1);
  });

  it('raises LarkNetworkError after max attempts of 5xx', async () => {
    srv = await startEmulator();
    const lark = clientFor(srv, { retry: { maxAttempts: 3, baseDelayMs: 5 } });
    srv.emulator.faults.fail({ status: 502, count: 100, pathPrefix: MESSAGES });
    const err = await lark.sendMessage({ receiveIdType: 'chat_id', receiveId: GROUP, msgType: 'text', content: text('x') }).catch((e) => e);
    expect(err).toBeInstanceOf(LarkNetworkError);
    expect(err).toMatchObject({ httpStatus: 502, attempts: 3 });
    expect(isRetryable(err)).toBe(true);
    expect(callsTo(srv.emulator, 'POST', MESSAGES)).toHaveLength(3);
  });

  it('raises LarkNetworkError when nothing answers', async () => {
    srv = await startEmulator();
    const url = srv.url;
    await srv.close();
    srv = undefined;
    const lark = createLarkClient(
      { appId: 'cli_x', appSecret: 's', domain: url },
      { logger: silentLogger, retry: { maxAttempts: 2, baseDelayMs: 1 } },
    );
    const err = await lark.getChat(GROUP).catch((e) => e);
    expect(err).toBeInstanceOf(LarkNetworkError);
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.attempts).toBe(2);
  });

  it('never retries a refusal that will not change (4xx)', async () => {
    srv = await startEmulator();
    const lark = clientFor(srv);
    const err = await lark
      .sendMessage({ receiveIdType: 'chat_id', receiveId: 'oc_outside', msgType: 'text', content: text('x') })
      .catch((e) => e);
    expect(err).toBeInstanceOf(LarkApiError);
    expect(err).toMatchObject({ code: 230002, httpStatus: 400 });
    expect(isRetryable(err)).toBe(false);
    expect(callsTo(srv.emulator, 'POST', MESSAGES)).toHaveLength(1);
  });
});

describe('rate limits over HTTP, emulator enforcing', () => {
  it('keeps app-wide sends within the app limit and each person within theirs, meeting no 429', async () => {
    srv = await startEmulator({ limits: { enforce: true, appPerSecond: 30, appPerMinute: 1000, perChatPerSecond: 5 } });
    const lark = clientFor(srv, { limits: { appSendsPerSecond: 30, perChatPerSecond: 5 } });
    // 90 messages to 30 people, all at once
    await Promise.all(
      PEOPLE.slice(0, 30).flatMap((p) =>
        [1, 2, 3].map((i) =>
          lark.sendMessage({ receiveIdType: 'open_id', receiveId: p.open_id, msgType: 'text', content: text(`${p.name} ${i}`) }),
        ),
      ),
    );
    const sends = callsTo(srv.emulator, 'POST', MESSAGES);
    expect(sends).toHaveLength(90);
    expect(sends.filter((c) => c.status !== 200)).toEqual([]);
    expect(
      maxInWindow(
        sends.map((c) => c.at),
        1000,
      ),
    ).toBeLessThanOrEqual(30);
    for (const p of PEOPLE.slice(0, 30)) {
      expect(
        maxInWindow(
          sends.filter((c) => c.receiveId === p.open_id).map((c) => c.at),
          1000,
        ),
      ).toBeLessThanOrEqual(5);
    }
  });
});

describe('per-chat limit across ways of addressing one chat', () => {
  it('counts sends to a person and replies in their p2p chat against the same chat, as Lark does', async () => {
    srv = await startEmulator({ limits: { enforce: true, perChatPerSecond: 5 } });
    const lark = clientFor(srv);
    const first = await lark.sendMessage({ receiveIdType: 'open_id', receiveId: 'ou_p01', msgType: 'text', content: text('开始') });
    await Promise.all(
      [1, 2, 3, 4, 5, 6].flatMap((i) => [
        lark.sendMessage({ receiveIdType: 'open_id', receiveId: 'ou_p01', msgType: 'text', content: text(`发 ${i}`) }),
        lark.replyMessage({ messageId: first.messageId, msgType: 'text', content: text(`回 ${i}`) }),
      ]),
    );
    const sends = srv.emulator.calls.filter((c) => c.method === 'POST' && c.path.startsWith(MESSAGES));
    expect(sends).toHaveLength(13);
    expect(sends.filter((c) => c.status !== 200)).toEqual([]);
    expect(new Set(sends.map((c) => (c.receiveId === 'ou_p01' ? first.chatId : c.receiveId))).size).toBe(1);
    expect(
      maxInWindow(
        sends.map((c) => c.at),
        1000,
      ),
    ).toBeLessThanOrEqual(5);
  });
});

describe('facade', () => {
  it('replies, patches a card, reads chats and members, looks up ids, uploads and downloads files, knows the bot', async () => {
    srv = await startEmulator();
    const lark = clientFor(srv);

    const card = (title: string) => ({ schema: '2.0', header: { title: { tag: 'plain_text', content: title } }, body: { elements: [] } });
    const sent = await lark.sendMessage({ receiveIdType: 'chat_id', receiveId: GROUP, msgType: 'interactive', content: card('待填报') });
    expect(sent.chatId).toBe(GROUP);
    const reply = await lark.replyMessage({ messageId: sent.messageId, msgType: 'text', content: text('好的') });
    expect(srv.emulator.message(reply.messageId)).toMatchObject({ parent_id: sent.messageId, chat_id: GROUP });
    await lark.patchMessage({ messageId: sent.messageId, content: card('已填报') });
    expect(srv.emulator.message(sent.messageId)).toMatchObject({ update_count: 1, content: card('已填报') });

    const chat = await lark.getChat(GROUP);
    expect(chat).toMatchObject({ chat_id: GROUP, name: '招商推进群' });
    const members = await lark.listChatMembers(GROUP);
    expect(members.map((m) => m.openId)).toEqual(PEOPLE.map((p) => p.open_id));

    // 55 mobiles: two Lark calls (≤ 50 each), answers in the order asked, unknown → null
    const mobiles = [...PEOPLE.slice(0, 54).map((p) => p.mobile!), '13999999999'];
    const before = callsTo(srv.emulator, 'POST', '/open-apis/contact/v3/users/batch_get_id').length;
    const ids = await lark.batchGetIdByMobiles(mobiles);
    expect(callsTo(srv.emulator, 'POST', '/open-apis/contact/v3/users/batch_get_id').length - before).toBe(2);
    expect(ids.map((x) => x.openId)).toEqual([...PEOPLE.slice(0, 54).map((p) => p.open_id), null]);
    const byMail = await lark.batchGetIdByEmails(['P03@gov.example.cn', 'nobody@gov.example.cn']);
    expect(byMail).toEqual([
      { key: 'P03@gov.example.cn', openId: 'ou_p03' },
      { key: 'nobody@gov.example.cn', openId: null },
    ]);

    const bytes = new TextEncoder().encode('项目名称,投资额\n新能源电池,5亿元\n');
    const fileKey = await lark.uploadFile({ fileType: 'stream', fileName: '台账.csv', data: bytes });
    const fileMsg = await lark.sendMessage({
      receiveIdType: 'open_id',
      receiveId: 'ou_p01',
      msgType: 'file',
      content: { file_key: fileKey },
    });
    const back = await lark.downloadMessageResource(fileMsg.messageId, fileKey);
    expect(back.toString('utf8')).toBe('项目名称,投资额\n新能源电池,5亿元\n');

    const bot = await lark.botInfo();
    expect(bot.openId).toBe(srv.emulator.botOpenId);
  });

  it('logs every call at debug and failures at warn, never the secret or the token', async () => {
    srv = await startEmulator();
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'debug' }, { write: (s: string) => lines.push(JSON.parse(s)) });
    const lark = clientFor(srv, { logger });
    srv.emulator.faults.fail({ status: 500, count: 1, pathPrefix: MESSAGES });
    await lark.sendMessage({ receiveIdType: 'chat_id', receiveId: GROUP, msgType: 'text', content: text('x') });

    const calls = lines.filter((l) => l['msg'] === 'lark call');
    expect(calls.map((l) => [l['method'], l['path'], l['status'], l['attempt']])).toEqual([
      ['POST', TOKEN, 200, 1],
      ['POST', MESSAGES, 200, 2],
    ]);
    expect(calls.every((l) => typeof l['ms'] === 'number' && l['level'] === 20)).toBe(true);
    const failed = lines.filter((l) => l['level'] === 40);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ method: 'POST', path: MESSAGES, status: 500, attempt: 1 });

    const all = JSON.stringify(lines);
    expect(all).not.toContain(srv.appSecret);
    expect(all).not.toMatch(/t-[0-9a-f]{40}/); // the emulator's token shape
  });
});
