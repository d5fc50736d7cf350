import { z } from 'zod';
import { normalizeText } from '../domain/text.js';

/*
 * Text → command. Chinese and slash forms, forgiving about spaces and full-width punctuation.
 * The parser only recognises the shape; handlers resolve names (projects, units, chains) against the database.
 * Anything that is not a command is `{ name: 'query' }`: the status matcher reads it as plain words.
 */

export const Command = z.discriminatedUnion('name', [
  z.object({ name: z.literal('help') }),
  z.object({ name: z.literal('demo') }),
  z.object({ name: z.literal('mine') }),
  z.object({ name: z.literal('report'), project: z.string(), previous: z.boolean().optional() }),
  z.object({ name: z.literal('new') }),
  z.object({ name: z.literal('move'), project: z.string().min(1), stage: z.string() }),
  z.object({ name: z.literal('status'), target: z.string() }),
  z.object({
    name: z.literal('bind'),
    kind: z.enum(['unit', 'chain', 'centre', 'convenor']).optional(),
    target: z.string(),
  }),
  z.object({ name: z.literal('unbind') }),
  z.object({ name: z.literal('trip'), args: z.string() }),
  z.object({ name: z.literal('export') }),
  z.object({ name: z.literal('away'), kind: z.enum(['leave', 'trip']), args: z.string() }),
  z.object({ name: z.literal('back'), args: z.string() }),
  z.object({ name: z.literal('handover'), args: z.string() }),
  z.object({ name: z.literal('letter'), args: z.string() }),
  z.object({ name: z.literal('holidays'), args: z.string() }),
  /** 核查: the reported funds entries a checker may verify or return (seed 002's 到位资金 audit). */
  z.object({ name: z.literal('check') }),
  z.object({ name: z.literal('transfer'), args: z.string() }),
  // 困难问题 (001 三.六), 外部单位, 包保专班, 项目评估 (001 三.四): src/admin/problems.ts.
  z.object({ name: z.literal('problems'), args: z.string() }),
  z.object({ name: z.literal('orgs'), args: z.string() }),
  z.object({ name: z.literal('team'), args: z.string() }),
  z.object({ name: z.literal('evaluate'), args: z.string() }),
  z.object({ name: z.literal('greeting'), kind: z.enum(['hello', 'thanks']) }),
  /** Plain words; `suggest` names the command a mistyped first word most likely meant (`填保` → report). */
  z.object({ name: z.literal('query'), text: z.string(), suggest: z.string().optional() }),
]);
export type Command = z.infer<typeof Command>;

const ALIASES: [RegExp, string][] = [
  [/^(\/help|帮助|help|\?|菜单|怎么用|使用说明)$/i, 'help'],
  [/^(\/demo|演示卡片|演示)$/i, 'demo'],
  [/^(\/mine|我的项目|我的)$/i, 'mine'],
  [/^(\/report|填报|报送|填写进展|报进展)$/i, 'report'],
  [/^(\/new|新建项目|新增项目|录入项目)$/i, 'new'],
  [/^(\/move|推进|变更阶段|阶段变更)$/i, 'move'],
  [/^(\/status|状态|进展|查询)$/i, 'status'],
  [/^(\/bind|绑定)$/i, 'bind'],
  [/^(\/unbind|解绑|解除绑定)$/i, 'unbind'],
  [/^(\/trip|外出招商)$/i, 'trip'],
  [/^(\/export|导出)$/i, 'export'],
  [/^(\/letters?|履约提醒函|履约函)$/i, 'letter'],
  [/^(\/leave|请假|休假)$/i, 'away'],
  [/^(\/away|出差)$/i, 'away'],
  [/^(\/back|销假|返岗|结束请假|结束出差)$/i, 'back'],
  [/^(\/handover|交接|移交项目)$/i, 'handover'],
  [/^(\/holidays|节假日|节假日安排)$/i, 'holidays'],
  [/^(\/check|\/verify|核查|资金核查|到位资金核查)$/i, 'check'],
  // 转移 by offer and consent (000 三(一)); only as a separate word, so `转移的项目` stays a status question.
  [/^(\/transfer|转移|项目转移|转移项目)$/i, 'transfer'],
  [/^(\/problems?|问题|困难问题)$/i, 'problems'],
  [/^(\/orgs?|外部单位)$/i, 'orgs'],
  [/^(\/team|专班|包保专班)$/i, 'team'],
  [/^(\/evaluate|评估|项目评估)$/i, 'evaluate'],
];

const BIND_KINDS: [RegExp, 'unit' | 'chain' | 'centre' | 'convenor'][] = [
  [/^(单位|unit)$/i, 'unit'],
  [/^(产业链|链|chain)$/i, 'chain'],
  [/^(项目中心|项目管理和推进中心|centre|center)$/i, 'centre'],
  [/^(召集人|convenor)$/i, 'convenor'],
];

/** The words a command starts with, for near-miss suggestions (`我得项目` → 我的项目, `填保` → 填报). */
const COMMAND_WORDS: [string, string][] = [
  ['帮助', 'help'],
  ['我的项目', 'mine'],
  ['填报', 'report'],
  ['新建项目', 'new'],
  ['推进', 'move'],
  ['绑定', 'bind'],
  ['解绑', 'unbind'],
  ['外出招商', 'trip'],
  ['导出', 'export'],
  ['履约提醒函', 'letter'],
  ['核查', 'check'],
];

/** Levenshtein distance, small strings only. */
function distance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length]!;
}

/** The command word a mistyped head most likely meant: one edit away from a word of two characters or more. */
function nearMiss(head: string): string | undefined {
  if ([...head].length < 2) return undefined;
  return COMMAND_WORDS.find(([w]) => w !== head && distance(head, w) === 1)?.[0];
}

const GREETING = /^(你好|您好|hi|hello|嗨|哈喽|早上好|上午好|下午好|晚上好|在吗|在不在|在么)$/i;
const THANKS = /^(谢谢|谢谢你|谢谢您|多谢|感谢|辛苦了?|辛苦您了|收到|好的|ok|知道了|明白了?)$/i;

/** A message that is only greetings or thanks (`你好`, `收到，辛苦了`): what kind, or null. */
function greeting(text: string): 'hello' | 'thanks' | null {
  const parts = text
    .split(/[\s,.!?;~，。！？；～、]+/)
    .map((p) => p.replace(/[啊呀哈啦嘛]+$/, ''))
    .filter(Boolean);
  if (parts.length === 0 || parts.length > 3) return null;
  if (parts.every((p) => GREETING.test(p) || THANKS.test(p))) return parts.some((p) => THANKS.test(p)) ? 'thanks' : 'hello';
  return null;
}

export function parseCommand(raw: string): Command {
  const text = normalizeText(raw);
  // "填报XX项目" without a space still means 填报 + XX项目; a colon separates as a space does (`填报：梅花鹿`).
  const m =
    /^(\/[a-z]+|帮助|演示卡片|我的项目|填报|新建项目|推进|绑定|解绑|外出招商|导出|履约提醒函|履约函|请假|休假|出差|销假|返岗|交接|困难问题|外部单位|包保专班|项目评估)\s*(.*)$/i.exec(
      text,
    );
  const head = m ? m[1]! : (text.split(/[ :]/)[0] ?? '');
  const rest = (m ? m[2]! : text.slice(head.length)).replace(/^\s*:\s*/, '').trim();
  const found = ALIASES.find(([re]) => re.test(head));
  if (!found) {
    const g = greeting(text);
    if (g) return { name: 'greeting', kind: g };
    const suggest = nearMiss(head);
    return suggest ? { name: 'query', text, suggest } : { name: 'query', text };
  }
  const name = found[1];
  switch (name) {
    case 'report': {
      // `填报 <项目> 上月`: last month's report, late (001 三.二: “首谈”单位每月20日…报备), until this month's deadline.
      const prev = /^(.*?)\s*(上月|上个月|last month)$/i.exec(rest);
      return prev && prev[1] ? { name, project: prev[1], previous: true } : { name, project: rest };
    }
    case 'move': {
      // The stage is the last word; the project is everything before it (names may contain spaces).
      const parts = rest.split(' ');
      const stage = parts.length > 1 ? parts.pop()! : '';
      return { name, project: parts.join(' '), stage };
    }
    case 'status':
      return { name, target: rest };
    case 'bind': {
      const [kindWord = '', ...more] = rest.split(' ');
      const kind = BIND_KINDS.find(([re]) => re.test(kindWord))?.[1];
      return kind ? { name, kind, target: more.join(' ') } : { name, target: rest };
    }
    case 'trip':
    case 'holidays':
    case 'transfer':
    case 'letter':
    case 'back':
    case 'handover':
    case 'problems':
    case 'orgs':
    case 'team':
    case 'evaluate':
      return { name, args: rest };
    case 'away':
      return { name, kind: /^(\/away|出差)$/i.test(head) ? 'trip' : 'leave', args: rest };
    default:
      return Command.parse({ name });
  }
}
