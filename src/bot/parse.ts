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
  z.object({ name: z.literal('letter'), args: z.string() }),
  z.object({ name: z.literal('holidays'), args: z.string() }),
  z.object({ name: z.literal('query'), text: z.string() }),
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
  [/^(\/holidays|节假日|节假日安排)$/i, 'holidays'],
];

const BIND_KINDS: [RegExp, 'unit' | 'chain' | 'centre' | 'convenor'][] = [
  [/^(单位|unit)$/i, 'unit'],
  [/^(产业链|链|chain)$/i, 'chain'],
  [/^(项目中心|项目管理和推进中心|centre|center)$/i, 'centre'],
  [/^(召集人|convenor)$/i, 'convenor'],
];

export function parseCommand(raw: string): Command {
  const text = normalizeText(raw);
  // "填报XX项目" without a space still means 填报 + XX项目.
  const m = /^(\/[a-z]+|帮助|演示卡片|我的项目|填报|新建项目|推进|绑定|解绑|外出招商|导出|履约提醒函|履约函)\s*(.*)$/i.exec(text);
  const head = m ? m[1]! : (text.split(' ')[0] ?? '');
  const rest = m ? m[2]!.trim() : text.slice(head.length).trim();
  const found = ALIASES.find(([re]) => re.test(head));
  if (!found) return { name: 'query', text };
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
    case 'letter':
      return { name, args: rest };
    default:
      return Command.parse({ name });
  }
}
