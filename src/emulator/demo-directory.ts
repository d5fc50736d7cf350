import { demoGroups, demoPeople } from '../../db/seed/demo-data.js';
import type { EmuChat, EmuUser } from './types.js';

/**
 * The emulator's own directory for the demo: the same people and groups the demo data describes, handed over
 * as Lark would know them. (The emulator never reads the bot's database.)
 */
export function demoDirectory(): { users: EmuUser[]; chats: EmuChat[] } {
  const byKey = new Map(demoPeople.map((p) => [p.key, p]));
  return {
    users: demoPeople.map((p) => ({
      open_id: p.openId,
      user_id: p.key,
      name: p.name,
      mobile: `+86${p.mobile}`,
      email: `${p.key}@liaoyuan.example.gov.cn`,
    })),
    chats: demoGroups.map((g) => ({
      chat_id: g.chatId,
      name: g.name,
      members: g.members.map((k) => byKey.get(k)!.openId),
    })),
  };
}
