/**
 * The fake Open API: the endpoints the bot calls, with Lark's request and response shapes
 * (`{code, msg, data}`, `code: 0` on success, `Authorization: Bearer <tenant_access_token>`).
 */
import { Buffer } from 'node:buffer';
import type { Context, Hono } from 'hono';
import type { Faults, RateLimiter, Throttle } from './limits.js';
import { parseMultipart, type Part } from './multipart.js';
import { hex, type EmuState, type StoredFile } from './state.js';
import type { EmuCall, EmuMessage } from './types.js';

export interface OpenApiDeps {
  state: EmuState;
  limiter: RateLimiter;
  faults: Faults;
  calls: EmuCall[];
  warnings: string[];
  now: () => number;
  appId: string;
  appSecret: string;
  botOpenId: string;
  botName: string;
  tokenTtlSeconds: number;
}

interface Note {
  /** when the request arrived: the time calls are logged at and rate limits count */
  at?: number;
  code?: number;
  receiveId?: string;
}

type Json = Record<string, unknown>;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TEXT_LIMIT = 150 * 1024;
const CARD_LIMIT = 30 * 1024;
const FILE_LIMIT = 30 * 1024 * 1024;
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

export class ApiError {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly msg: string,
  ) {}
}

export function registerOpenApi(app: Hono, d: OpenApiDeps): void {
  const notes = new WeakMap<Request, Note>();
  const note = (c: Context): Note => {
    let n = notes.get(c.req.raw);
    if (!n) {
      n = {};
      notes.set(c.req.raw, n);
    }
    return n;
  };

  const ok = (c: Context, data: unknown, extra: Json = {}) => {
    note(c).code = 0;
    return c.json({ code: 0, msg: 'success', data, ...extra });
  };
  const fail = (c: Context, e: ApiError) => {
    note(c).code = e.code;
    return c.json({ code: e.code, msg: e.msg }, e.status as 400);
  };
  const throttled = (t: Throttle): Response => {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (t.status === 429 || t.status === 400) {
      headers['x-ogw-ratelimit-limit'] = String(t.limit);
      headers['x-ogw-ratelimit-reset'] = String(t.resetSeconds);
    }
    return new Response(JSON.stringify({ code: t.code, msg: t.msg }), { status: t.status, headers });
  };
  const record = (c: Context, status: number, n: Note) => {
    const call: EmuCall = { method: c.req.method, path: c.req.path, at: n.at ?? d.now(), status };
    if (n.code !== undefined) call.code = n.code;
    if (n.receiveId !== undefined) call.receiveId = n.receiveId;
    d.calls.push(call);
  };
  /** runs a handler, turning ApiError into Lark's error body */
  const handle = (fn: (c: Context) => Promise<Response> | Response) => async (c: Context) => {
    try {
      return await fn(c);
    } catch (e) {
      if (e instanceof ApiError) return fail(c, e);
      throw e;
    }
  };

  // ---- gateway: faults, auth, call log ----
  app.use('/open-apis/*', async (c, next) => {
    const n = note(c);
    n.at = d.now();
    const path = c.req.path;
    const fault = d.faults.take(path);
    if (fault) {
      n.code = fault.code;
      record(c, fault.status, n);
      return throttled(fault);
    }
    if (!path.startsWith('/open-apis/auth/')) {
      const denied = checkToken(c.req.header('authorization'));
      if (denied) {
        n.code = denied.code;
        record(c, denied.status, n);
        return c.json({ code: denied.code, msg: denied.msg }, denied.status as 400);
      }
    }
    await next();
    record(c, c.res.status, n);
  });

  function checkToken(header: string | undefined): ApiError | undefined {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!m) {
      return new ApiError(400, 99991661, 'Missing access token for authorization. Please make a request with token attached.');
    }
    const expires = d.state.tokens.get(m[1]!);
    if (expires === undefined || expires <= d.now()) {
      return new ApiError(400, 99991663, 'Invalid access token for authorization. Please make a request with token attached.');
    }
    return undefined;
  }

  async function jsonBody(c: Context): Promise<Json> {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ApiError(400, 9499, 'Bad Request: body is not valid JSON');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 9499, 'Bad Request: body must be a JSON object');
    return body as Json;
  }

  // ---- auth ----
  const issue = (c: Context, kind: 'tenant' | 'app') =>
    handle(async () => {
      const body = await jsonBody(c);
      if (body['app_id'] !== d.appId) throw new ApiError(400, 10003, 'invalid param: app_id');
      if (body['app_secret'] !== d.appSecret) throw new ApiError(400, 10014, 'app secret invalid');
      d.state.tokenFetches++;
      const now = d.now();
      // Like Lark: a token with more than 30 minutes left is handed out again, with its remaining lifetime.
      let token: string | undefined;
      let expiresAt = 0;
      for (const [t, exp] of d.state.tokens) {
        if (exp - now > 30 * 60_000 && exp > expiresAt) {
          token = t;
          expiresAt = exp;
        }
      }
      if (!token) {
        token = `t-${hex(20)}`;
        expiresAt = now + d.tokenTtlSeconds * 1000;
        d.state.tokens.set(token, expiresAt);
      }
      const expire = Math.floor((expiresAt - now) / 1000);
      note(c).code = 0;
      if (kind === 'tenant') return c.json({ code: 0, msg: 'ok', tenant_access_token: token, expire });
      return c.json({ code: 0, msg: 'ok', app_access_token: `a-${token.slice(2)}`, tenant_access_token: token, expire });
    })(c);
  app.post('/open-apis/auth/v3/tenant_access_token/internal', (c) => issue(c, 'tenant'));
  app.post('/open-apis/auth/v3/app_access_token/internal', (c) => issue(c, 'app'));

  // ---- bot ----
  app.get('/open-apis/bot/v3/info', (c) => {
    note(c).code = 0;
    return c.json({
      code: 0,
      msg: 'ok',
      bot: { activate_status: 2, app_name: d.botName, avatar_url: '', ip_white_list: [], open_id: d.botOpenId },
    });
  });

  // ---- messages ----
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

  function download(c: Context, f: StoredFile): Response {
    note(c).code = 0;
    return new Response(f.bytes.slice(), {
      status: 200,
      headers: {
        'content-type': f.type || 'application/octet-stream',
        'content-length': String(f.bytes.length),
        'content-disposition': `attachment; filename="${encodeURIComponent(f.name)}"; filename*=UTF-8''${encodeURIComponent(f.name)}`,
      },
    });
  }

  // ---- files & images ----
  async function formFile(c: Context, field: string): Promise<{ fields: Record<string, string>; file: Part }> {
    let parts: Part[];
    try {
      parts = parseMultipart(c.req.header('content-type') ?? '', new Uint8Array(await c.req.arrayBuffer()));
    } catch {
      throw new ApiError(400, 9499, 'Bad Request: expected multipart/form-data');
    }
    const fields: Record<string, string> = {};
    for (const p of parts) if (p.name !== field) fields[p.name] = new TextDecoder().decode(p.data);
    const file = parts.find((p) => p.name === field);
    if (!file) throw new ApiError(400, 99992402, `field validation failed: ${field} is required`);
    if (file.data.length === 0) throw new ApiError(400, 234010, 'File size can not be 0.');
    if (file.data.length > FILE_LIMIT) throw new ApiError(400, 234006, 'The file size exceeds the limit.');
    return { fields, file };
  }

  app.post(
    '/open-apis/im/v1/files',
    handle(async (c) => {
      const { fields, file } = await formFile(c, 'file');
      const fileType = fields['file_type'] ?? '';
      if (!['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'].includes(fileType)) {
        throw new ApiError(400, 99992402, 'field validation failed: file_type must be opus, mp4, pdf, doc, xls, ppt or stream');
      }
      const name = fields['file_name'] || file.filename || 'file';
      const key = `file_v3_${hex(12)}`;
      d.state.files.set(key, {
        key,
        kind: 'file',
        name,
        type: file.contentType ?? 'application/octet-stream',
        bytes: file.data,
        at: d.now(),
      });
      return ok(c, { file_key: key });
    }),
  );

  app.get(
    '/open-apis/im/v1/files/:file_key',
    handle((c) => {
      const f = d.state.files.get(c.req.param('file_key')!);
      if (!f || f.kind !== 'file') throw new ApiError(400, 234003, 'File not found.');
      return download(c, f);
    }),
  );

  app.post(
    '/open-apis/im/v1/images',
    handle(async (c) => {
      const { fields, file } = await formFile(c, 'image');
      const imageType = fields['image_type'] ?? '';
      if (imageType !== 'message' && imageType !== 'avatar') {
        throw new ApiError(400, 99992402, 'field validation failed: image_type must be message or avatar');
      }
      const key = `img_v3_${hex(12)}`;
      d.state.files.set(key, {
        key,
        kind: 'image',
        name: file.filename ?? 'image',
        type: file.contentType && file.contentType !== 'application/octet-stream' ? file.contentType : 'image/png',
        bytes: file.data,
        at: d.now(),
      });
      return ok(c, { image_key: key });
    }),
  );

  app.get(
    '/open-apis/im/v1/images/:image_key',
    handle((c) => {
      const f = d.state.files.get(c.req.param('image_key')!);
      if (!f || f.kind !== 'image') throw new ApiError(400, 234003, 'Image not found.');
      return download(c, f);
    }),
  );

  // ---- chats ----
  function groupFor(c: Context) {
    const id = c.req.param('chat_id')!;
    const chat = d.state.chat(id);
    if (!chat) throw new ApiError(400, 232011, `Operator and chat can NOT be in different tenants, or chat not found: ${id}`);
    if (!chat.botIn) throw new ApiError(400, 232011, 'The bot is not in the chat.');
    return chat;
  }

  app.get(
    '/open-apis/im/v1/chats',
    handle((c) => {
      const all = [...d.state.chats.values()].filter((x) => x.botIn);
      const { items, page_token, has_more } = page(all, c.req.query('page_size'), c.req.query('page_token'), 100);
      return ok(c, {
        items: items.map((x) => ({
          chat_id: x.chat.chat_id,
          name: x.chat.name,
          avatar: '',
          description: '',
          owner_id: x.chat.members[0] ?? '',
          owner_id_type: 'open_id',
          external: false,
          tenant_key: d.state.tenantKey,
          chat_status: 'normal',
        })),
        page_token,
        has_more,
      });
    }),
  );

  app.get(
    '/open-apis/im/v1/chats/:chat_id',
    handle((c) => {
      const { chat } = groupFor(c);
      return ok(c, {
        avatar: '',
        name: chat.name,
        description: '',
        i18n_names: { zh_cn: chat.name },
        add_member_permission: 'all_members',
        share_card_permission: 'allowed',
        at_all_permission: 'all_members',
        edit_permission: 'all_members',
        owner_id_type: 'open_id',
        owner_id: chat.members[0] ?? '',
        user_manager_id_list: [],
        bot_manager_id_list: [],
        chat_mode: 'group',
        chat_type: 'private',
        chat_tag: 'inner',
        join_message_visibility: 'all_members',
        leave_message_visibility: 'all_members',
        membership_approval: 'no_approval_required',
        moderation_permission: 'all_members',
        external: false,
        tenant_key: d.state.tenantKey,
        user_count: String(chat.members.length),
        bot_count: '1',
      });
    }),
  );

  app.get(
    '/open-apis/im/v1/chats/:chat_id/members',
    handle((c) => {
      const { chat } = groupFor(c);
      const idType = c.req.query('member_id_type') ?? 'open_id';
      if (!['open_id', 'user_id', 'union_id'].includes(idType)) {
        throw new ApiError(400, 99992402, 'field validation failed: member_id_type');
      }
      const people = chat.members.map((id) => d.state.users.get(id)).filter((u) => u !== undefined);
      const { items, page_token, has_more } = page(people, c.req.query('page_size'), c.req.query('page_token'), 100);
      return ok(c, {
        items: items.map((u) => ({
          member_id_type: idType,
          member_id: d.state.userIds(u)[idType as 'open_id'],
          name: u.name,
          tenant_key: d.state.tenantKey,
        })),
        page_token,
        has_more,
        member_total: people.length,
      });
    }),
  );

  // ---- contact ----
  app.post(
    '/open-apis/contact/v3/users/batch_get_id',
    handle(async (c) => {
      const idType = c.req.query('user_id_type') ?? 'open_id';
      if (!['open_id', 'user_id', 'union_id'].includes(idType)) throw new ApiError(400, 99992402, 'field validation failed: user_id_type');
      const body = await jsonBody(c);
      const mobiles = Array.isArray(body['mobiles']) ? (body['mobiles'] as unknown[]).map(String) : [];
      const emails = Array.isArray(body['emails']) ? (body['emails'] as unknown[]).map(String) : [];
      if (mobiles.length > 50 || emails.length > 50)
        throw new ApiError(400, 99992402, 'field validation failed: at most 50 mobiles and 50 emails');
      const status = { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false };
      const user_list: Json[] = [];
      for (const mobile of mobiles) {
        const u = d.state.findByMobile(mobile);
        user_list.push(u ? { user_id: d.state.userIds(u)[idType as 'open_id'], mobile, status } : { mobile });
      }
      for (const email of emails) {
        const u = d.state.findUser('email', email);
        user_list.push(u ? { user_id: d.state.userIds(u)[idType as 'open_id'], email, status } : { email });
      }
      return ok(c, { user_list });
    }),
  );

  app.get(
    '/open-apis/contact/v3/users/:user_id',
    handle((c) => {
      const idType = c.req.query('user_id_type') ?? 'open_id';
      const u = d.state.findUser(idType, c.req.param('user_id')!);
      if (!u) throw new ApiError(400, 41050, 'no user authority error');
      const ids = d.state.userIds(u);
      const user: Json = {
        ...ids,
        name: u.name,
        en_name: '',
        status: { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false },
      };
      if (u.mobile) user['mobile'] = u.mobile;
      if (u.email) user['email'] = u.email;
      return ok(c, { user });
    }),
  );

  // anything else under /open-apis is not emulated: say so loudly
  app.all('/open-apis/*', (c) => {
    d.warnings.push(`not emulated: ${c.req.method} ${c.req.path}`);
    note(c).code = 404;
    return c.json({ code: 404, msg: `404 page not found (not emulated: ${c.req.method} ${c.req.path})` }, 404);
  });
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

function page<T>(all: T[], sizeQ: string | undefined, tokenQ: string | undefined, max: number) {
  const size = Math.min(Math.max(Number(sizeQ ?? 20) || 20, 1), max);
  const offset = tokenQ ? Number(Buffer.from(tokenQ, 'base64url').toString('utf8')) || 0 : 0;
  const items = all.slice(offset, offset + size);
  const next = offset + size;
  const has_more = next < all.length;
  return { items, has_more, page_token: has_more ? Buffer.from(String(next)).toString('base64url') : '' };
}
