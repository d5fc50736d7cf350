/** Messages: create, reply, update a card, read, recall, and a message's file or image. */
import type { Context, Hono } from 'hono';
import { hex, type EmuState } from '../state.js';
import type { EmuMessage } from '../types.js';
import { ApiError, DAY, HOUR, type Json, type Kit } from './kit.js';

const TEXT_LIMIT = 150 * 1024;
const CARD_LIMIT = 30 * 1024;
const RECEIVE_ID_TYPES = new Set(['open_id', 'user_id', 'union_id', 'email', 'chat_id']);
const MSG_TYPES = new Set([
  'text',
  'post',
  'interactive',
  'image',
  'file',
  'audio',
  'media',
  'sticker',
  'share_chat',
  'share_user',
  'system',
]);

export function registerMessages(app: Hono, { d, note, ok, throttled, handle, jsonBody, download }: Kit): void {
  interface Target {
    chat_id: string;
    chat_type: 'p2p' | 'group';
    open_id?: string;
  }

  function resolveTarget(idType: string, id: string): Target {
    if (!RECEIVE_ID_TYPES.has(idType)) {
      throw new ApiError(400, 99992402, `field validation failed: receive_id_type must be one of ${[...RECEIVE_ID_TYPES].join(', ')}`);
    }
    if (typeof id !== 'string' || id === '') throw new ApiError(400, 99992402, 'field validation failed: receive_id is required');
    if (idType === 'chat_id') {
      const owner = d.state.p2pOwner(id);
      if (owner) return { chat_id: id, chat_type: 'p2p', open_id: owner };
      const chat = d.state.chat(id);
      if (!chat) throw new ApiError(400, 230001, `Your request contains an invalid request parameter, ext=invalid receive_id: ${id}`);
      if (!chat.botIn) throw new ApiError(400, 230002, 'Bot/User can NOT be out of the chat.');
      return { chat_id: id, chat_type: 'group' };
    }
    const user = d.state.findUser(idType, id);
    if (!user) throw new ApiError(400, 230013, `Bot has NO availability to this user. (${idType}=${id})`);
    return { chat_id: d.state.p2pChatId(user.open_id), chat_type: 'p2p', open_id: user.open_id };
  }

  function parseContent(msgType: unknown, content: unknown): unknown {
    if (typeof msgType !== 'string' || !MSG_TYPES.has(msgType)) {
      throw new ApiError(400, 230001, `Your request contains an invalid request parameter, ext=invalid msg_type: ${String(msgType)}`);
    }
    if (typeof content !== 'string') {
      throw new ApiError(400, 230001, 'Your request contains an invalid request parameter, ext=content must be a JSON string');
    }
    const size = new TextEncoder().encode(content).length;
    if (size > (msgType === 'interactive' ? CARD_LIMIT : TEXT_LIMIT)) {
      throw new ApiError(400, 230025, `The message is too long: content is ${size} bytes`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      throw new ApiError(400, 230001, 'Your request contains an invalid request parameter, ext=content is not valid JSON');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ApiError(400, 230001, 'Your request contains an invalid request parameter, ext=content must be a JSON object');
    }
    const o = parsed as Json;
    switch (msgType) {
      case 'text':
        if (typeof o['text'] !== 'string') throw new ApiError(400, 230001, 'invalid message content: text content needs a "text" string');
        break;
      case 'interactive':
        checkCard(o);
        break;
      case 'image':
        requireFile(o['image_key'], 'image');
        break;
      case 'file':
        requireFile(o['file_key'], 'file');
        break;
    }
    return parsed;
  }

  function checkCard(o: Json): void {
    if (o['type'] === 'template') {
      const data = o['data'] as Json | undefined;
      if (!data || typeof data['template_id'] !== 'string') {
        throw new ApiError(400, 230099, 'Failed to create card content, ext=template card needs data.template_id');
      }
      return;
    }
    if (o['schema'] === '2.0') {
      const body = o['body'] as Json | undefined;
      if ('elements' in o) {
        throw new ApiError(400, 230099, 'Failed to create card content, ext=card JSON 2.0 puts elements under body.elements');
      }
      if (body !== undefined && (typeof body !== 'object' || !Array.isArray(body['elements']))) {
        throw new ApiError(400, 230099, 'Failed to create card content, ext=body.elements must be an array');
      }
      return;
    }
    if (!Array.isArray(o['elements']) && !o['i18n_elements']) {
      throw new ApiError(400, 230099, 'Failed to create card content, ext=a card needs schema "2.0" with body.elements, or elements');
    }
  }

  function requireFile(key: unknown, kind: 'file' | 'image'): void {
    if (typeof key !== 'string' || !d.state.files.has(key) || d.state.files.get(key)!.kind !== kind) {
      throw new ApiError(400, 230001, `Your request contains an invalid request parameter, ext=unknown ${kind}_key: ${String(key)}`);
    }
  }

  function view(m: EmuMessage): Json {
    const v: Json = {
      message_id: m.message_id,
      msg_type: m.msg_type,
      create_time: String(m.created_at),
      update_time: String(m.updated_at),
      deleted: false,
      updated: m.update_count > 0,
      chat_id: m.chat_id,
      sender:
        m.sender.type === 'app'
          ? { id: d.appId, id_type: 'app_id', sender_type: 'app', tenant_key: d.state.tenantKey }
          : { id: m.sender.id, id_type: 'open_id', sender_type: 'user', tenant_key: d.state.tenantKey },
      body: { content: m.raw },
    };
    if (m.root_id) v['root_id'] = m.root_id;
    if (m.parent_id) v['parent_id'] = m.parent_id;
    if (m.mentions?.length) {
      v['mentions'] = m.mentions.map((x) => ({
        key: x.key,
        id: x.id.open_id,
        id_type: 'open_id',
        name: x.name,
        tenant_key: d.state.tenantKey,
      }));
    }
    return v;
  }

  function send(
    c: Context,
    target: Target,
    msgType: string,
    content: string,
    parsed: unknown,
    extra: { uuid?: string; parent?: EmuMessage; receive_id?: string; receive_id_type?: string },
  ): Response {
    const now = note(c).at ?? d.now();
    const t = d.limiter.send(target.chat_id, now);
    if (t) {
      note(c).code = t.code;
      return throttled(t);
    }
    if (extra.uuid) {
      const seen = d.state.uuids.get(extra.uuid);
      if (seen && now - seen.at < HOUR) {
        const prior = d.state.message(seen.messageId);
        if (prior) return ok(c, view(prior));
      }
    }
    const m: EmuMessage = {
      message_id: `om_${hex(16)}`,
      chat_id: target.chat_id,
      chat_type: target.chat_type,
      sender: { type: 'app', id: d.appId },
      msg_type: msgType,
      content: parsed,
      raw: content,
      created_at: now,
      updated_at: now,
      update_count: 0,
      updates: [],
    };
    if (target.open_id) m.open_id = target.open_id;
    if (extra.uuid) m.uuid = extra.uuid;
    if (extra.receive_id) m.receive_id = extra.receive_id;
    if (extra.receive_id_type) m.receive_id_type = extra.receive_id_type;
    if (extra.parent) {
      m.parent_id = extra.parent.message_id;
      m.root_id = extra.parent.root_id ?? extra.parent.message_id;
    }
    d.state.messages.push(m);
    if (extra.uuid) d.state.uuids.set(extra.uuid, { messageId: m.message_id, at: now });
    d.state.touch();
    return ok(c, view(m));
  }

  app.post(
    '/open-apis/im/v1/messages',
    handle(async (c) => {
      const idType = c.req.query('receive_id_type') ?? '';
      const body = await jsonBody(c);
      const receiveId = body['receive_id'] as string;
      note(c).receiveId = typeof receiveId === 'string' ? receiveId : undefined;
      const target = resolveTarget(idType, receiveId);
      const parsed = parseContent(body['msg_type'], body['content']);
      const uuid = typeof body['uuid'] === 'string' && body['uuid'] !== '' ? (body['uuid'] as string) : undefined;
      return send(c, target, body['msg_type'] as string, body['content'] as string, parsed, {
        ...(uuid ? { uuid } : {}),
        receive_id: receiveId,
        receive_id_type: idType,
      });
    }),
  );

  function existing(id: string): EmuMessage {
    const m = d.state.message(id);
    if (!m) throw new ApiError(400, 230001, `Your request contains an invalid request parameter, ext=message not found: ${id}`);
    if (m.deleted) throw new ApiError(400, 230011, 'The message was withdrawn.');
    return m;
  }

  app.post(
    '/open-apis/im/v1/messages/:message_id/reply',
    handle(async (c) => {
      const parent = existing(c.req.param('message_id')!);
      note(c).receiveId = parent.chat_id;
      const body = await jsonBody(c);
      const parsed = parseContent(body['msg_type'], body['content']);
      const target: Target = { chat_id: parent.chat_id, chat_type: parent.chat_type };
      if (parent.open_id) target.open_id = parent.open_id;
      if (target.chat_type === 'group' && !d.state.chat(parent.chat_id)?.botIn) {
        throw new ApiError(400, 230002, 'Bot/User can NOT be out of the chat.');
      }
      const uuid = typeof body['uuid'] === 'string' && body['uuid'] !== '' ? (body['uuid'] as string) : undefined;
      return send(c, target, body['msg_type'] as string, body['content'] as string, parsed, {
        ...(uuid ? { uuid } : {}),
        parent,
      });
    }),
  );

  app.patch(
    '/open-apis/im/v1/messages/:message_id',
    handle(async (c) => {
      const m = existing(c.req.param('message_id')!);
      const body = await jsonBody(c);
      if (m.msg_type !== 'interactive')
        throw new ApiError(400, 230001, 'Your request contains an invalid request parameter, ext=only card messages can be updated');
      if (m.sender.type !== 'app') throw new ApiError(400, 230027, 'Lack of necessary permissions: the message was not sent by this bot');
      if (d.now() - m.created_at > 14 * DAY) throw new ApiError(400, 230031, 'The message cannot be updated 14 days after it was sent.');
      const parsed = parseContent('interactive', body['content']);
      const t = d.limiter.update(m.message_id, note(c).at ?? d.now());
      if (t) {
        note(c).code = t.code;
        return throttled(t);
      }
      applyCardUpdate(d, m, parsed, body['content'] as string, 'patch');
      return ok(c, {});
    }),
  );

  app.get(
    '/open-apis/im/v1/messages/:message_id',
    handle((c) => {
      const m = d.state.message(c.req.param('message_id')!);
      if (!m) throw new ApiError(400, 230001, 'Your request contains an invalid request parameter, ext=message not found');
      const v = view(m);
      if (m.deleted) v['deleted'] = true;
      return ok(c, { items: [v] });
    }),
  );

  app.delete(
    '/open-apis/im/v1/messages/:message_id',
    handle((c) => {
      const m = existing(c.req.param('message_id')!);
      if (m.sender.type !== 'app') throw new ApiError(400, 230027, 'Lack of necessary permissions');
      m.deleted = true;
      d.state.touch();
      return ok(c, {});
    }),
  );

  app.get(
    '/open-apis/im/v1/messages/:message_id/resources/:file_key',
    handle((c) => {
      const m = existing(c.req.param('message_id')!);
      const key = c.req.param('file_key')!;
      const type = c.req.query('type');
      if (type !== 'file' && type !== 'image') throw new ApiError(400, 99992402, 'field validation failed: type must be file or image');
      const content = m.content as Json;
      const keys = [content?.['file_key'], content?.['image_key']];
      if (!keys.includes(key)) throw new ApiError(400, 234003, 'File not in msg.');
      const f = d.state.files.get(key);
      if (!f) throw new ApiError(400, 234003, 'File not in msg.');
      return download(c, f);
    }),
  );
}

/** Replaces a card the way Lark does after a PATCH or a callback answer. */
export function applyCardUpdate(
  d: { state: EmuState; now: () => number },
  m: EmuMessage,
  parsed: unknown,
  raw: string,
  via: 'patch' | 'callback',
): void {
  const at = d.now();
  m.content = parsed;
  m.raw = raw;
  m.updated_at = at;
  m.update_count++;
  m.updates.push({ at, via });
  d.state.touch();
}
