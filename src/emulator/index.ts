/**
 * The local Lark: a fake Open API plus a web chat console, speaking only Lark's protocol.
 *
 * The bot cannot tell it from Lark: it fetches tokens, sends and patches messages over HTTP with the real SDK,
 * and receives events and card callbacks either as signed, encrypted webhooks at its request URL or over the
 * long connection its WSClient opens. The emulator keeps its own memory and never reads the bot's database.
 */
import { Hono } from 'hono';
import { registerConsole } from './console-api.js';
import { Delivery, EMULATOR_ERROR_HEADER, type Envelope } from './delivery.js';
import { Faults, RateLimiter } from './limits.js';
import { LongConnection, type AttemptReport } from './long-connection/index.js';
import { outcomeResponse, outcomeStatus } from './long-connection/answer.js';
import { applyCardUpdate, registerOpenApi } from './open-api/index.js';
import { larkCardRefusal } from '../lark/card-rules.js';
import { EmuState, hex, stableId } from './state.js';
import type {
  CardAction,
  ClickResult,
  DeliveredEvent,
  DeliverTamper,
  EmuCall,
  EmuMessage,
  EmuUser,
  Emulator,
  EmulatorOptions,
} from './types.js';

export type * from './types.js';
export type { LongConnectionControl, LongConnectionOptions, Outcome } from './long-connection/index.js';
export { EMULATOR_ERROR_HEADER } from './delivery.js';

type Json = Record<string, unknown>;

export function createEmulator(opts: EmulatorOptions): Emulator {
  const now = opts.now ?? Date.now;
  const tenantKey = opts.tenantKey ?? stableId('', `tenant:${opts.appId}`, 16);
  const botOpenId = opts.botOpenId ?? stableId('ou_', `bot:${opts.appId}`);
  const botName = opts.botName ?? '招商助手';
  const state = new EmuState(opts.directory ?? { users: [], chats: [] }, tenantKey, opts.historyFile);
  const limiter = new RateLimiter(opts.limits);
  const faults = new Faults();
  const calls: EmuCall[] = [];
  const events: DeliveredEvent[] = [];
  const warnings: string[] = [];
  const callbackTimeoutMs = opts.callbackTimeoutMs ?? 3000;
  const mode = opts.delivery ?? 'webhook';
  const webhookUrl = opts.botWebhookUrl;
  if (mode === 'webhook' && webhookUrl === undefined) throw new Error('emulator: webhook delivery needs botWebhookUrl');
  const delivery = new Delivery({
    appId: opts.appId,
    encryptKey: opts.encryptKey,
    verificationToken: opts.verificationToken,
    tenantKey,
    url: typeof webhookUrl === 'function' ? webhookUrl : () => webhookUrl ?? '',
    now,
    fetch: opts.fetch ?? ((req) => fetch(req)),
  });

  const app = new Hono();
  const longConnection =
    mode === 'ws'
      ? new LongConnection(opts.longConnection ?? {}, {
          appId: opts.appId,
          appSecret: opts.appSecret,
          now,
          warn: (text) => warnings.push(text),
          attempted: (r: AttemptReport) => {
            const status = outcomeStatus(r.outcome);
            const clientId = r.outcome.kind === 'no-client' ? undefined : r.outcome.clientId;
            events.push({
              event_id: r.eventId,
              event_type: r.eventType,
              envelope: r.envelope,
              at: now(),
              status,
              via: 'ws',
              attempt: r.attempt,
              ...(clientId !== undefined ? { clientId } : {}),
            });
          },
          called: (method, path, status, code) => calls.push({ method, path, at: now(), status, code }),
        })
      : undefined;
  longConnection?.register(app);
  registerOpenApi(app, {
    state,
    limiter,
    faults,
    calls,
    warnings,
    now,
    appId: opts.appId,
    appSecret: opts.appSecret,
    botOpenId,
    botName,
    tokenTtlSeconds: opts.tokenTtlSeconds ?? 7200,
  });

  function user(openId: string): EmuUser {
    const u = state.users.get(openId);
    if (!u) throw new Error(`emulator: no person ${openId} in the directory`);
    return u;
  }

  function group(chatId: string) {
    const c = state.chat(chatId);
    if (!c) throw new Error(`emulator: no group ${chatId}`);
    return c;
  }

  /**
   * Delivers an envelope the way the app is subscribed, and answers with what the bot said as a Response: the
   * webhook's HTTP answer, or on the long connection the response frame's code and decoded data.
   */
  async function post(envelope: Envelope | Json, tamper?: DeliverTamper, timeoutMs?: number, callback = false): Promise<Response> {
    if (longConnection) {
      if (tamper && Object.keys(tamper).length) throw new Error('emulator: tampering applies to webhook delivery only');
      const header = (envelope as Envelope).header;
      if (!header?.event_id) throw new Error('emulator: the long connection carries schema 2.0 envelopes only');
      const outcome = await longConnection.deliver(envelope as Json, { callback, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
      return outcomeResponse(outcome);
    }
    const res = await delivery.post(envelope, tamper, timeoutMs);
    const header = (envelope as Envelope).header;
    if (header?.event_id) {
      events.push({
        event_id: header.event_id,
        event_type: header.event_type,
        envelope: envelope as Json,
        at: now(),
        status: res.status,
        via: 'webhook',
      });
    }
    if (res.headers.get(EMULATOR_ERROR_HEADER))
      warnings.push(`delivery of ${header?.event_type ?? 'payload'}: ${res.headers.get(EMULATOR_ERROR_HEADER)}`);
    return res;
  }

  /** Turns "@张三" in typed text into Lark's "@_user_N" keys with a mentions list. */
  function mentionize(text: string, chatId: string | undefined, mentionBot: boolean) {
    const candidates: { name: string; id: { open_id: string; user_id?: string; union_id?: string }; bot: boolean }[] = [
      { name: botName, id: { open_id: botOpenId }, bot: true },
    ];
    const pool = chatId ? group(chatId).chat.members : [...state.users.keys()];
    for (const id of pool) {
      const u = state.users.get(id);
      if (u) candidates.push({ name: u.name, id: state.userIds(u), bot: false });
    }
    candidates.sort((a, b) => b.name.length - a.name.length);
    let source = text;
    if (mentionBot && !source.includes(`@${botName}`)) source = `@${botName} ${source}`;
    const mentions: NonNullable<EmuMessage['mentions']> = [];
    let out = '';
    let botMentioned = false;
    for (let i = 0; i < source.length; i++) {
      const ch = source[i]!;
      if (ch === '@') {
        const hit = candidates.find((c) => source.startsWith(c.name, i + 1));
        if (hit) {
          const key = `@_user_${mentions.length + 1}`;
          mentions.push({ key, id: hit.id, name: hit.name });
          if (hit.bot) botMentioned = true;
          out += key;
          i += hit.name.length;
          continue;
        }
      }
      out += ch;
    }
    return { text: out, mentions, botMentioned };
  }

  function place(fromOpenId: string, chatId: string | undefined) {
    const u = user(fromOpenId);
    if (chatId === undefined) return { u, chat_id: state.p2pChatId(fromOpenId), chat_type: 'p2p' as const, open_id: fromOpenId };
    const g = group(chatId);
    if (!g.chat.members.includes(fromOpenId)) throw new Error(`emulator: ${u.name} is not in ${g.chat.name}`);
    return { u, chat_id: chatId, chat_type: 'group' as const };
  }

  async function deliverMessage(m: EmuMessage, u: EmuUser, botMentioned: boolean): Promise<Response> {
    state.messages.push(m);
    state.touch();
    if (m.chat_type === 'group') {
      if (!group(m.chat_id).botIn) {
        return new Response(JSON.stringify({ delivered: false, reason: 'the bot is not in this group' }), {
          status: 202,
          headers: { 'content-type': 'application/json', 'x-emulator-not-delivered': 'bot-not-in-group' },
        });
      }
      if (!botMentioned && (opts.groupMessages ?? 'mentions') === 'mentions') {
        return new Response(JSON.stringify({ delivered: false, reason: 'Lark only delivers group messages that @ the bot' }), {
          status: 202,
          headers: { 'content-type': 'application/json', 'x-emulator-not-delivered': 'no-mention' },
        });
      }
    }
    const message: Json = {
      message_id: m.message_id,
      create_time: String(m.created_at),
      update_time: String(m.updated_at),
      chat_id: m.chat_id,
      chat_type: m.chat_type,
      message_type: m.msg_type,
      content: m.raw,
    };
    if (m.mentions?.length) {
      message['mentions'] = m.mentions.map((x) => ({ key: x.key, id: x.id, name: x.name, tenant_key: tenantKey }));
    }
    const envelope = delivery.envelope('im.message.receive_v1', {
      sender: { sender_id: state.userIds(u), sender_type: 'user', tenant_key: tenantKey },
      message,
    });
    return post(envelope);
  }

  function userMessage(place_: ReturnType<typeof place>, msgType: string, content: Json): EmuMessage {
    const at = now();
    const m: EmuMessage = {
      message_id: `om_${hex(16)}`,
      chat_id: place_.chat_id,
      chat_type: place_.chat_type,
      sender: { type: 'user', id: place_.u.open_id },
      msg_type: msgType,
      content,
      raw: JSON.stringify(content),
      created_at: at,
      updated_at: at,
      update_count: 0,
      updates: [],
    };
    if (place_.chat_type === 'p2p') m.open_id = place_.u.open_id;
    return m;
  }

  async function sendText(fromOpenId: string, text: string, o: { chatId?: string; mentionBot?: boolean } = {}) {
    const p = place(fromOpenId, o.chatId);
    const {
      text: keyed,
      mentions,
      botMentioned,
    } = p.chat_type === 'group' ? mentionize(text, o.chatId, o.mentionBot ?? true) : mentionize(text, undefined, false);
    const m = userMessage(p, 'text', { text: keyed });
    if (mentions.length) m.mentions = mentions;
    return deliverMessage(m, p.u, botMentioned);
  }

  async function sendFile(fromOpenId: string, file: { name: string; bytes: Uint8Array }, o: { chatId?: string } = {}) {
    const p = place(fromOpenId, o.chatId);
    const key = `file_v3_${hex(12)}`;
    state.files.set(key, { key, kind: 'file', name: file.name, type: 'application/octet-stream', bytes: file.bytes, at: now() });
    const m = userMessage(p, 'file', { file_key: key, file_name: file.name });
    return deliverMessage(m, p.u, false);
  }

  /** A user sends a picture (a photographed 进账单): Lark's `image` message, whose content is `{image_key}`. */
  async function sendImage(fromOpenId: string, file: { name: string; bytes: Uint8Array }, o: { chatId?: string } = {}) {
    const p = place(fromOpenId, o.chatId);
    const key = `img_v3_${hex(12)}`;
    state.files.set(key, { key, kind: 'image', name: file.name, type: 'image/png', bytes: file.bytes, at: now() });
    const m = userMessage(p, 'image', { image_key: key });
    return deliverMessage(m, p.u, false);
  }

  function canSee(openId: string, m: EmuMessage): boolean {
    if (m.chat_type === 'p2p') return m.open_id === openId;
    return group(m.chat_id).chat.members.includes(openId);
  }

  async function clickCard(messageId: string, operatorOpenId: string, action: CardAction): Promise<ClickResult> {
    const m = state.message(messageId);
    if (!m || m.deleted) throw new Error(`emulator: no message ${messageId}`);
    if (m.msg_type !== 'interactive') throw new Error(`emulator: ${messageId} is not a card`);
    const op = user(operatorOpenId);
    if (!canSee(operatorOpenId, m)) throw new Error(`emulator: ${op.name} cannot see message ${messageId}`);
    const act: Json = { tag: action.tag ?? 'button' };
    for (const k of ['value', 'name', 'form_value', 'option', 'options', 'input_value', 'checked', 'timezone'] as const) {
      if (action[k] !== undefined) act[k] = action[k];
    }
    const envelope = delivery.envelope('card.action.trigger', {
      operator: { tenant_key: tenantKey, ...state.userIds(op) },
      token: `c-${hex(16)}`,
      action: act,
      host: 'im_message',
      context: { open_message_id: m.message_id, open_chat_id: m.chat_id },
    });
    const res = await post(envelope, undefined, callbackTimeoutMs, true);
    const text = await res.text();
    const result: ClickResult = { status: res.status, body: undefined };
    if (text.trim() !== '') {
      try {
        result.body = JSON.parse(text);
      } catch {
        result.body = text;
      }
    }
    if (res.status !== 200) {
      result.error = res.headers.get(EMULATOR_ERROR_HEADER) ?? `the bot answered HTTP ${res.status}`;
      return result;
    }
    if (typeof result.body === 'string') {
      result.error = 'the callback answer is not JSON';
      warnings.push(`card.action.trigger on ${messageId}: ${result.error}`);
      return result;
    }
    const body = (result.body ?? {}) as Json;
    if (body['toast'] && typeof body['toast'] === 'object') result.toast = body['toast'] as ClickResult['toast'];
    const card = body['card'] as Json | undefined;
    if (card !== undefined) {
      const refused = card?.['type'] === 'raw' ? larkCardRefusal(card['data']) : undefined;
      if (refused) {
        result.error = `the card in the callback answer is refused: ${refused.code} ${refused.msg}`;
        warnings.push(`card.action.trigger on ${messageId}: ${result.error}; Lark leaves the card as it was`);
      } else if (card && (card['type'] === 'raw' || card['type'] === 'template') && card['data'] && typeof card['data'] === 'object') {
        const shown = card['type'] === 'raw' ? card['data'] : { type: 'template', data: card['data'] };
        applyCardUpdate({ state, now }, m, shown, JSON.stringify(shown), 'callback');
        result.card = shown;
      } else {
        result.error = 'card in the callback answer must be {type: "raw" | "template", data}';
        warnings.push(`card.action.trigger on ${messageId}: ${result.error}; Lark leaves the card as it was`);
      }
    } else if ('schema' in body || 'elements' in body || 'header' in body) {
      warnings.push(
        `card.action.trigger on ${messageId}: answered with a bare card; card.action.trigger needs {toast?, card: {type: "raw", data}}`,
      );
    }
    return result;
  }

  async function addBotToChat(chatId: string, operatorOpenId: string): Promise<Response> {
    const g = group(chatId);
    const op = user(operatorOpenId);
    g.botIn = true;
    state.notices.push({ chat_id: chatId, text: `${op.name} 将 ${botName} 添加到群聊`, at: now() });
    state.touch();
    return post(
      delivery.envelope('im.chat.member.bot.added_v1', {
        chat_id: chatId,
        operator_id: state.userIds(op),
        external: false,
        operator_tenant_key: tenantKey,
        name: g.chat.name,
        i18n_names: { zh_cn: g.chat.name, en_us: '', ja_jp: '' },
      }),
    );
  }

  const botMenu = (opts.botMenu ?? []).map((m) => ({ ...m }));

  async function pressMenu(operatorOpenId: string, eventKey: string): Promise<Response> {
    const op = user(operatorOpenId);
    if (eventKey.length < 1 || eventKey.length > 30) throw new Error('emulator: a menu event_key has 1 to 30 characters');
    if (botMenu.length && !botMenu.some((m) => m.eventKey === eventKey))
      throw new Error(`emulator: no menu item with event key ${eventKey}`);
    const ids = state.userIds(op);
    return post(
      delivery.envelope('application.bot.menu_v6', {
        operator: { operator_name: op.name, operator_id: { union_id: ids.union_id, user_id: ids.user_id, open_id: ids.open_id } },
        event_key: eventKey,
        // the SDK types it a number; seconds, like the other Unix times Lark puts in event bodies
        timestamp: Math.floor(now() / 1000),
      }),
    );
  }

  async function verifyUrl(): Promise<boolean> {
    if (longConnection) throw new Error('emulator: URL verification belongs to webhook delivery');
    const challenge = hex(16);
    // Lark's url_verification carries the token in the body and, unlike events, no signature headers.
    const res = await delivery.post({ challenge, token: opts.verificationToken, type: 'url_verification' }, { omitSignature: true });
    if (res.status !== 200) return false;
    try {
      const body = (await res.json()) as Json;
      return body['challenge'] === challenge;
    } catch {
      return false;
    }
  }

  async function deliverRaw(payload: object, tamper?: DeliverTamper): Promise<Response> {
    const p = payload as Json;
    if (!('schema' in p) && !('header' in p) && typeof p['event_type'] === 'string' && p['event'] && typeof p['event'] === 'object') {
      return post(delivery.envelope(p['event_type'] as string, p['event'] as Json), tamper);
    }
    return post(p, tamper);
  }

  async function redeliver(eventId: string): Promise<Response> {
    const e = events.find((x) => x.event_id === eventId);
    if (!e) throw new Error(`emulator: event ${eventId} was never delivered`);
    return post(e.envelope);
  }

  function messages(filter: { chatId?: string; openId?: string; from?: 'bot' | 'user' | 'any' } = {}): EmuMessage[] {
    const from = filter.from ?? 'bot';
    return state.messages.filter(
      (m) =>
        (from === 'any' || (from === 'bot' ? m.sender.type === 'app' : m.sender.type === 'user')) &&
        (filter.chatId === undefined || m.chat_id === filter.chatId) &&
        (filter.openId === undefined || (m.chat_type === 'p2p' && m.open_id === filter.openId)),
    );
  }

  function reset(): void {
    longConnection?.reset();
    state.reset();
    limiter.reset();
    faults.clear();
    calls.length = 0;
    events.length = 0;
    warnings.length = 0;
  }

  const emulator: Emulator = {
    app,
    delivery: mode,
    attach: (server) => longConnection?.attach(server) ?? (() => {}),
    longConnection,
    close: () => {
      state.flush();
      longConnection?.close();
    },
    botOpenId,
    sendText,
    sendFile,
    sendImage,
    clickCard,
    addBotToChat,
    pressMenu,
    botMenu,
    verifyUrl,
    deliverRaw,
    redeliver,
    messages,
    message: (id) => state.message(id),
    calls,
    events,
    warnings,
    tokenFetches: () => state.tokenFetches,
    revokeTokens: () => state.tokens.clear(),
    p2pChatId: (openId) => state.p2pChatId(openId),
    faults: { fail: (f) => faults.fail(f), clear: () => faults.clear() },
    reset,
  };

  registerConsole(app, { emulator, state, botName, botOpenId });
  return emulator;
}
