/**
 * The emulator's own memory: directory, chats, messages, files, tokens. Nothing here reads the bot's database;
 * the only way in is Lark's protocol.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EmuChat, EmuMessage, EmuUser } from './types.js';

export function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A stable id derived from a seed, so p2p chat ids survive a restart of the emulator. */
export function stableId(prefix: string, seed: string, length = 32): string {
  return prefix + createHash('sha256').update(seed).digest('hex').slice(0, length);
}

export interface StoredFile {
  key: string;
  kind: 'file' | 'image';
  name: string;
  type: string;
  bytes: Uint8Array;
  at: number;
}

const HISTORY_VERSION = 1;

interface HistoryFile {
  version: number;
  tenantKey: string;
  messages: EmuMessage[];
  notices: { chat_id: string; text: string; at: number }[];
  files: (Omit<StoredFile, 'bytes'> & { bytes: string })[];
  uuids: [string, { messageId: string; at: number }][];
  botIn: Record<string, boolean>;
}

interface ChatState {
  chat: EmuChat;
  botIn: boolean;
}

export class EmuState {
  readonly users = new Map<string, EmuUser>();
  readonly chats = new Map<string, ChatState>();
  messages: EmuMessage[] = [];
  readonly files = new Map<string, StoredFile>();
  /** token → expiry (ms) */
  readonly tokens = new Map<string, number>();
  tokenFetches = 0;
  /** uuid → message_id and when it was first used */
  readonly uuids = new Map<string, { messageId: string; at: number }>();
  /** bumps on every change the console should see */
  rev = 0;
  /** system lines shown in the console (bot joined, etc.) */
  notices: { chat_id: string; text: string; at: number }[] = [];

  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * `historyFile`: where the chats are kept across restarts (Lark keeps a chat's history; the console should
   * too). Messages, files, notices, the bots' places in groups and the send uuids are written there shortly after
   * each change and read back at construction; tokens and call logs are not (a restarted bot fetches a new token).
   */
  constructor(
    private readonly seed: { users: EmuUser[]; chats: EmuChat[] },
    readonly tenantKey: string,
    private readonly historyFile?: string,
  ) {
    this.load();
    this.restore();
  }

  private load(): void {
    this.users.clear();
    this.chats.clear();
    for (const u of this.seed.users) this.users.set(u.open_id, { ...u });
    for (const c of this.seed.chats) {
      this.chats.set(c.chat_id, { chat: { ...c, members: [...c.members] }, botIn: c.botIn !== false });
    }
  }

  reset(): void {
    this.load();
    this.messages = [];
    this.files.clear();
    this.tokens.clear();
    this.tokenFetches = 0;
    this.uuids.clear();
    this.notices = [];
    this.touch();
  }

  touch(): void {
    this.rev++;
    if (this.historyFile && !this.saveTimer) {
      this.saveTimer = setTimeout(() => this.flush(), 150);
      this.saveTimer.unref?.();
    }
  }

  /** Writes the history file now (on close, and shortly after each change). Atomic: a temp file renamed. */
  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.historyFile) return;
    const data: HistoryFile = {
      version: HISTORY_VERSION,
      tenantKey: this.tenantKey,
      messages: this.messages,
      notices: this.notices,
      files: [...this.files.values()].map((f) => ({ ...f, bytes: Buffer.from(f.bytes).toString('base64') })),
      uuids: [...this.uuids.entries()],
      botIn: Object.fromEntries([...this.chats.values()].map((c) => [c.chat.chat_id, c.botIn])),
    };
    mkdirSync(dirname(this.historyFile), { recursive: true });
    const tmp = `${this.historyFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, this.historyFile);
  }

  /** Reads the history file when there is one of this format and tenant; anything else starts an empty history. */
  private restore(): void {
    if (!this.historyFile || !existsSync(this.historyFile)) return;
    let data: HistoryFile;
    try {
      data = JSON.parse(readFileSync(this.historyFile, 'utf8')) as HistoryFile;
    } catch {
      return;
    }
    if (data?.version !== HISTORY_VERSION || data.tenantKey !== this.tenantKey || !Array.isArray(data.messages)) return;
    this.messages = data.messages;
    this.notices = Array.isArray(data.notices) ? data.notices : [];
    for (const f of data.files ?? []) this.files.set(f.key, { ...f, bytes: new Uint8Array(Buffer.from(f.bytes, 'base64')) });
    for (const [k, v] of data.uuids ?? []) this.uuids.set(k, v);
    for (const [chatId, botIn] of Object.entries(data.botIn ?? {})) {
      const c = this.chats.get(chatId);
      if (c) c.botIn = botIn === true;
    }
    this.rev++;
  }

  userIds(u: EmuUser): { open_id: string; user_id: string; union_id: string } {
    return {
      open_id: u.open_id,
      user_id: u.user_id ?? stableId('', `user:${u.open_id}`, 8),
      union_id: u.union_id ?? stableId('on_', `union:${u.open_id}`),
    };
  }

  findUser(idType: string, id: string): EmuUser | undefined {
    if (idType === 'open_id') return this.users.get(id);
    for (const u of this.users.values()) {
      const ids = this.userIds(u);
      if (idType === 'user_id' && ids.user_id === id) return u;
      if (idType === 'union_id' && ids.union_id === id) return u;
      if (idType === 'email' && u.email !== undefined && u.email.toLowerCase() === id.toLowerCase()) return u;
    }
    return undefined;
  }

  findByMobile(mobile: string): EmuUser | undefined {
    const want = normaliseMobile(mobile);
    for (const u of this.users.values()) {
      if (u.mobile !== undefined && normaliseMobile(u.mobile) === want) return u;
    }
    return undefined;
  }

  p2pChatId(openId: string): string {
    return stableId('oc_', `p2p:${openId}`);
  }

  /** open_id of the person a p2p chat id belongs to */
  p2pOwner(chatId: string): string | undefined {
    for (const u of this.users.values()) if (this.p2pChatId(u.open_id) === chatId) return u.open_id;
    return undefined;
  }

  chat(chatId: string): ChatState | undefined {
    return this.chats.get(chatId);
  }

  message(id: string): EmuMessage | undefined {
    return this.messages.find((m) => m.message_id === id);
  }
}

/** +86 13800000000, 8613800000000 and 138-0000-0000 are the same phone. */
export function normaliseMobile(m: string): string {
  const digits = m.replace(/[^\d]/g, '');
  return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}
