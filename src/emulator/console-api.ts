/**
 * The console: GET /emulator (the page; its CSS and script modules under /emulator/console/) and its JSON API
 * under /emulator/api. The page only ever acts
 * through the same helpers the tests use (sendText, clickCard, addBotToChat), so what works in the browser
 * works in a test and the other way round.
 */
import type { Context, Hono } from 'hono';
import { consoleAssets } from './console-assets.js';
import type { EmuState } from './state.js';
import type { CardAction, EmuMessage, Emulator } from './types.js';

interface ConsoleDeps {
  emulator: Emulator;
  state: EmuState;
  botName: string;
  botOpenId: string;
}

type Json = Record<string, unknown>;

export function registerConsole(app: Hono, d: ConsoleDeps): void {
  const { state, emulator } = d;

  const body = async (c: Context): Promise<Json> => {
    try {
      const b = await c.req.json();
      return b && typeof b === 'object' ? (b as Json) : {};
    } catch {
      return {};
    }
  };
  const bad = (c: Context, e: unknown) => c.json({ error: e instanceof Error ? e.message : String(e) }, 400);

  const assets = consoleAssets();
  const serve = (c: Context, name: string) => {
    const a = assets.get(name);
    if (!a) return c.json({ error: 'not found' }, 404);
    return c.body(a.body, 200, { 'content-type': a.type, 'cache-control': 'no-cache' });
  };
  app.get('/emulator', (c) => serve(c, 'index.html'));
  // only the files the console is made of: a name outside that list is a 404, never a path on disk
  app.get('/emulator/console/:file', (c) => serve(c, c.req.param('file')));
  app.get('/emulator/', (c) => c.redirect('/emulator'));

  app.get('/emulator/api/directory', (c) =>
    c.json({
      bot: { open_id: d.botOpenId, name: d.botName },
      delivery: emulator.delivery,
      menu: emulator.botMenu,
      users: [...state.users.values()].map((u) => ({
        open_id: u.open_id,
        name: u.name,
        ...(u.department ? { department: u.department } : {}),
        ...(u.job_title ? { job_title: u.job_title } : {}),
        ...(u.roles ? { roles: u.roles } : {}),
      })),
      chats: [...state.chats.values()].map((x) => ({
        chat_id: x.chat.chat_id,
        name: x.chat.name,
        members: x.chat.members,
        botIn: x.botIn,
      })),
    }),
  );

  app.get('/emulator/api/rev', (c) => c.json({ rev: state.rev }));

  /** the chats one person sees: the p2p chat with the bot, then their groups */
  app.get('/emulator/api/conversations', (c) => {
    const openId = c.req.query('openId') ?? '';
    const u = state.users.get(openId);
    if (!u) return c.json({ error: 'unknown person' }, 404);
    const last = (chatId: string) => {
      const ms = state.messages.filter((m) => m.chat_id === chatId && !m.deleted);
      const m = ms[ms.length - 1];
      return m ? { preview: preview(m), at: m.created_at } : null;
    };
    const p2p = state.p2pChatId(openId);
    const items = [
      { chat_id: p2p, chat_type: 'p2p', name: d.botName, botIn: true, members: 2, last: last(p2p) },
      ...[...state.chats.values()]
        .filter((x) => x.chat.members.includes(openId))
        .map((x) => ({
          chat_id: x.chat.chat_id,
          chat_type: 'group',
          name: x.chat.name,
          botIn: x.botIn,
          members: x.chat.members.length + (x.botIn ? 1 : 0),
          last: last(x.chat.chat_id),
        })),
    ];
    return c.json({ rev: state.rev, items });
  });

  app.get('/emulator/api/messages', (c) => {
    const chatId = c.req.query('chatId') ?? '';
    const items = state.messages.filter((m) => m.chat_id === chatId).map((m) => view(m));
    const notices = state.notices.filter((n) => n.chat_id === chatId);
    return c.json({ rev: state.rev, items, notices });
  });

  app.post('/emulator/api/send', async (c) => {
    const b = await body(c);
    try {
      const opts: { chatId?: string; mentionBot?: boolean } = {};
      if (typeof b['chatId'] === 'string' && b['chatId'] !== '' && !state.p2pOwner(b['chatId'])) opts.chatId = b['chatId'];
      if (typeof b['mentionBot'] === 'boolean') opts.mentionBot = b['mentionBot'];
      const res = await emulator.sendText(String(b['from'] ?? ''), String(b['text'] ?? ''), opts);
      return c.json({ status: res.status, delivered: !res.headers.get('x-emulator-not-delivered'), detail: await res.text() });
    } catch (e) {
      return bad(c, e);
    }
  });

  app.post('/emulator/api/send-file', async (c) => {
    try {
      const form = (await c.req.parseBody()) as Record<string, unknown>;
      const file = form['file'];
      if (!(file instanceof File)) throw new Error('no file');
      const chatId = typeof form['chatId'] === 'string' && form['chatId'] && !state.p2pOwner(form['chatId']) ? form['chatId'] : undefined;
      const res = await emulator.sendFile(
        String(form['from'] ?? ''),
        { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) },
        chatId ? { chatId } : {},
      );
      return c.json({ status: res.status, delivered: !res.headers.get('x-emulator-not-delivered'), detail: await res.text() });
    } catch (e) {
      return bad(c, e);
    }
  });

  app.post('/emulator/api/click', async (c) => {
    const b = await body(c);
    try {
      const r = await emulator.clickCard(String(b['messageId'] ?? ''), String(b['operator'] ?? ''), (b['action'] ?? {}) as CardAction);
      return c.json(r);
    } catch (e) {
      return bad(c, e);
    }
  });

  app.post('/emulator/api/menu', async (c) => {
    const b = await body(c);
    try {
      const res = await emulator.pressMenu(String(b['from'] ?? ''), String(b['eventKey'] ?? ''));
      return c.json({ status: res.status, detail: await res.text() });
    } catch (e) {
      return bad(c, e);
    }
  });

  app.post('/emulator/api/add-bot', async (c) => {
    const b = await body(c);
    try {
      const res = await emulator.addBotToChat(String(b['chatId'] ?? ''), String(b['operator'] ?? ''));
      return c.json({ status: res.status });
    } catch (e) {
      return bad(c, e);
    }
  });

  app.get('/emulator/api/files/:key', (c) => {
    const f = state.files.get(c.req.param('key'));
    if (!f) return c.json({ error: 'no such file' }, 404);
    return new Response(f.bytes.slice(), {
      headers: {
        'content-type': f.type || 'application/octet-stream',
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`,
      },
    });
  });

  app.get('/emulator/api/debug', (c) =>
    c.json({ calls: emulator.calls.slice(-200), events: emulator.events.slice(-50), warnings: emulator.warnings }),
  );

  app.post('/emulator/api/reset', (c) => {
    emulator.reset();
    return c.json({ ok: true });
  });

  function view(m: EmuMessage): Json {
    let senderName = d.botName;
    if (m.sender.type === 'user') senderName = state.users.get(m.sender.id)?.name ?? m.sender.id;
    let content = m.content;
    if (m.msg_type === 'text' && m.mentions?.length && content && typeof content === 'object') {
      let text = String((content as Json)['text'] ?? '');
      for (const x of m.mentions) text = text.split(x.key).join(`@${x.name}`);
      content = { ...(content as Json), text };
    }
    // Lark shows a file message by the name it was uploaded with (im/v1/files file_name), whatever the content
    // carries: a bot's file message holds only the file_key.
    if (m.msg_type === 'file' && content && typeof content === 'object') {
      const f = state.files.get(String((content as Json)['file_key'] ?? ''));
      if (f) content = { ...(content as Json), file_name: (content as Json)['file_name'] ?? f.name, file_size: f.bytes.length };
    }
    return {
      message_id: m.message_id,
      sender: { type: m.sender.type, id: m.sender.id, name: senderName },
      msg_type: m.msg_type,
      content,
      created_at: m.created_at,
      updated_at: m.updated_at,
      update_count: m.update_count,
      parent_id: m.parent_id ?? null,
      deleted: m.deleted === true,
    };
  }

  function preview(m: EmuMessage): string {
    const c = m.content as Json;
    if (m.deleted) return '[已撤回]';
    switch (m.msg_type) {
      case 'text': {
        let t = String(c?.['text'] ?? '');
        for (const x of m.mentions ?? []) t = t.split(x.key).join(`@${x.name}`);
        return t.slice(0, 40);
      }
      case 'interactive': {
        const header = c?.['header'] as Json | undefined;
        const title = (header?.['title'] as Json | undefined)?.['content'];
        return `[卡片] ${typeof title === 'string' ? title : ''}`.trim();
      }
      case 'file':
        return `[文件] ${String(c?.['file_name'] ?? state.files.get(String(c?.['file_key'] ?? ''))?.name ?? '')}`;
      case 'image':
        return '[图片]';
      case 'post':
        return '[富文本]';
      default:
        return `[${m.msg_type}]`;
    }
  }
}
