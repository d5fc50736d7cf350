import { t } from '../../src/text.js';
import { demoGroups, demoPeople, demoUnits } from './demo-data.js';

/** A person as Lark's directory knows them (the shape the emulator's `directory` option takes). */
export interface DirectoryPerson {
  open_id: string;
  user_id: string;
  name: string;
  mobile: string;
  email: string;
  /** the unit's name, as Lark's directory would hold the department */
  department?: string;
  job_title?: string;
  /** the person's roles in the bot, in words (the console's person picker shows them) */
  roles?: string;
}

export interface DirectoryChat {
  chat_id: string;
  name: string;
  members: string[];
}

/**
 * The demo's people and groups as Lark would know them, for the entries to hand to the emulator: the emulator
 * keeps its own directory and never reads our demo data or database itself.
 */
export function demoDirectory(): { users: DirectoryPerson[]; chats: DirectoryChat[] } {
  const byKey = new Map(demoPeople.map((p) => [p.key, p]));
  return {
    users: demoPeople.map((p) => ({
      open_id: p.openId,
      user_id: p.key,
      name: p.name,
      mobile: `+86${p.mobile}`,
      email: `${p.key}@liaoyuan.example.gov.cn`,
      department: demoUnits.find((u) => u.code === p.unit)?.name ?? p.unit,
      job_title: p.title,
      roles: p.roles.map((r) => t(`ledger.role.${r}`)).join('、'),
    })),
    chats: demoGroups.map((g) => ({
      chat_id: g.chatId,
      name: g.name,
      members: g.members.map((k) => byKey.get(k)!.openId),
    })),
  };
}

/**
 * The demo app's bot menu as an operator would configure it in Lark's developer console (机器人自定义菜单,
 * each item "推送事件"): the event keys are the bot's command names, for the bot to map to its commands.
 */
export function demoBotMenu(): { name: string; eventKey: string }[] {
  return [
    { name: '我的项目', eventKey: 'mine' },
    { name: '填报', eventKey: 'report' },
    { name: '进展', eventKey: 'status' },
    { name: '帮助', eventKey: 'help' },
  ];
}
