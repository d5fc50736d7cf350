/**
 * Directory operations through the choked SDK: chats and their members, people by mobile or email, the bot.
 */
import type * as lark from '@larksuiteoapi/node-sdk';
import { need } from './need.js';

export interface ChatInfo {
  chat_id: string;
  name?: string;
  description?: string;
  owner_id?: string;
  owner_id_type?: string;
  chat_mode?: string;
  chat_type?: string;
  user_count?: string;
  bot_count?: string;
  [k: string]: unknown;
}

export interface ChatMember {
  openId: string;
  name?: string;
  tenantKey?: string;
}

export interface IdLookup {
  /** the mobile or email asked about, as Lark echoes it */
  key: string;
  /** null when Lark knows no such person (or the app may not see them) */
  openId: string | null;
}

export interface BotInfo {
  openId: string;
  appName?: string;
  avatarUrl?: string;
  activateStatus?: number;
}

const BATCH_ID_MAX = 50;

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

export function directoryOperations(sdk: lark.Client) {
  const getChat = async (chatId: string): Promise<ChatInfo> => {
    const res = await sdk.im.v1.chat.get({ path: { chat_id: chatId } });
    return { ...(res.data ?? {}), chat_id: chatId } as ChatInfo;
  };

  const listChatMembers = async (chatId: string): Promise<ChatMember[]> => {
    const out: ChatMember[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const res = await sdk.im.v1.chatMembers.get({
        path: { chat_id: chatId },
        params: { member_id_type: 'open_id', page_size: 100, ...(pageToken ? { page_token: pageToken } : {}) },
      });
      for (const m of res.data?.items ?? []) {
        if (m.member_id) out.push({ openId: m.member_id, name: m.name, tenantKey: m.tenant_key });
      }
      if (!res.data?.has_more || !res.data.page_token) break;
      pageToken = res.data.page_token;
    }
    return out;
  };

  /** ≤ 50 per Lark call; longer lists are chunked. Answers in the order asked. */
  const batchGetId = async (field: 'mobiles' | 'emails', keys: string[]): Promise<IdLookup[]> => {
    const out: IdLookup[] = [];
    for (const part of chunk(keys, BATCH_ID_MAX)) {
      const res = await sdk.contact.v3.user.batchGetId({
        params: { user_id_type: 'open_id' },
        data: { [field]: part },
      });
      const list = (res.data?.user_list ?? []) as { user_id?: string; mobile?: string; email?: string }[];
      const found = new Map<string, string | null>();
      for (const u of list) {
        const k = field === 'mobiles' ? u.mobile : u.email;
        if (k !== undefined) found.set(field === 'emails' ? k.toLowerCase() : k, u.user_id ?? null);
      }
      for (const k of part) {
        const hit = found.get(field === 'emails' ? k.toLowerCase() : k);
        out.push({ key: k, openId: hit ?? null });
      }
    }
    return out;
  };

  const botInfo = async (): Promise<BotInfo> => {
    const res = await sdk.request<{ bot?: { open_id?: string; app_name?: string; avatar_url?: string; activate_status?: number } }>({
      method: 'GET',
      url: '/open-apis/bot/v3/info',
    });
    const bot = need(res.bot, 'bot', 'GET /open-apis/bot/v3/info');
    return {
      openId: need(bot.open_id, 'bot.open_id', 'GET /open-apis/bot/v3/info'),
      appName: bot.app_name,
      avatarUrl: bot.avatar_url,
      activateStatus: bot.activate_status,
    };
  };

  return {
    getChat,
    listChatMembers,
    batchGetIdByMobiles: (mobiles: string[]) => batchGetId('mobiles', mobiles),
    batchGetIdByEmails: (emails: string[]) => batchGetId('emails', emails),
    botInfo,
  };
}
