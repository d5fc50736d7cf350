// The plain-word matcher: `@bot 新能源链这个月怎么样`, `东丰县有哪些项目逾期`, `到位资金`. Deterministic, no language
// model: the longest name or alias of a unit, chain or project found in the text names the part, and a small
// vocabulary names the intent. The Chinese strings here are input vocabulary, not output text.

import type { Db, Tx } from '../store/db.js';
import type { Chain, Unit } from '../store/directory.js';
import { projectsNamedIn } from '../store/status-lookup.js';
import type { Directory } from './scope.js';
import { fold } from '../domain/text.js';

export const INTENTS = ['status', 'overdue', 'stalled', 'funds', 'signed', 'problems', 'targets'] as const;
export type Intent = (typeof INTENTS)[number];

/**
 * Intent words, in priority order: the first intent with a word in the text wins ("没进展" is stalled before it
 * is status; "逾期" wins over anything else a sentence says).
 */
export const INTENT_WORDS: ReadonlyArray<readonly [Exclude<Intent, 'status'>, readonly string[]]> = [
  [
    'overdue',
    [
      '逾期',
      '没报',
      '未报',
      '未填报',
      '没填报',
      '没有填报',
      '没有报',
      '没填',
      '未填',
      '漏报',
      '迟报',
      '晚报',
      '超期',
      '未上报',
      '没上报',
      '没交',
      '未交',
    ],
  ],
  ['stalled', ['停滞', '没进展', '没有进展', '无进展', '没动静', '卡住', '推不动', '不动了', '滞后', '沉睡']],
  ['funds', ['到位资金', '资金到位', '到位', '到账', '资金', '投资额', '钱']],
  ['signed', ['签约', '签了', '新签', '签下', '合同']],
  ['problems', ['问题', '困难', '难题', '堵点', '卡点', '诉求', '需协调', '要协调', '待协调', '协调']],
  ['targets', ['目标', '任务', '序时', '指标', '考核', '外出招商', '完成率']],
];

/** Words that ask for the overview (also the default when only a name is given). */
export const STATUS_WORDS: readonly string[] = [
  '进展',
  '怎么样',
  '怎样',
  '如何',
  '情况',
  '状态',
  '总览',
  '概况',
  '汇总',
  '进度',
  '报告',
  '看看',
  '咋样',
];

export type LexKind = 'unit' | 'chain' | 'project';

export interface LexEntry {
  kind: LexKind;
  id: number;
  /** The official name, for display. */
  name: string;
  /** What is looked for in the text: the name or an alias. */
  term: string;
}

export interface Lexicon {
  entries: LexEntry[];
}

/** What kind of answer a question asks for, beyond a status card of a part. */
export type Ask =
  /** Who has not reported this period: names, by unit. */
  | { kind: 'not_reported' }
  /** How many projects meet a filter (an amount threshold, a stage), with the list. */
  | { kind: 'count'; minWan?: number; stage?: CountStage }
  /** Why a project is where it is: its open problems and last reports. */
  | { kind: 'why' };

export type CountStage = 'planning' | 'negotiating' | 'intent' | 'signed' | 'landed';

export interface MatchResult {
  part: { kind: LexKind; id: number; name: string } | null;
  intent: Intent;
  /** Set when the question asks for more than the status card (names, a count, a reason). */
  ask?: Ask;
  /** Several projects fit a fragment of a name equally well (`梅花鹿项目`): the asker picks one. */
  choices?: { id: number; name: string }[];
}

/** Words that ask for names: who, which people, the list. */
const WHO_WORDS = ['谁', '哪些人', '哪几个', '哪几位', '哪些同志', '名单', '名字', '人员'];
/** Words that ask for a number. */
const COUNT_WORDS = ['几个', '多少个', '有多少', '多少', '有几', '几家', '数量'];
/** Words that ask for a reason. */
const WHY_WORDS = ['为什么', '为啥', '什么原因', '啥原因', '原因', '卡在哪', '怎么一直', '咋一直', '怎么还', '咋还', '怎么不动', '咋不动'];
/** Stage words a count can filter on (谋划库, 在谈, 落地…); longer first. */
const STAGE_WORDS: readonly (readonly [string, CountStage])[] = [
  ['谋划库', 'planning'],
  ['谋划', 'planning'],
  ['洽谈', 'negotiating'],
  ['在谈', 'negotiating'],
  ['意向', 'intent'],
  ['签约', 'signed'],
  ['签了', 'signed'],
  ['落地', 'landed'],
  ['开工', 'landed'],
];

const CN_NUM: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/** `亿元以上` → 10000, `5000万以上` → 5000, `十亿以上` → 100000 (in 万元); null when no threshold is asked. */
export function thresholdWan(folded: string): number | null {
  const m = /(\d+(?:\.\d+)?|[一二两三四五六七八九十]+)?(万|亿)元?(?:及)?以上/.exec(folded);
  if (!m) return null;
  let n = 1;
  if (m[1]) {
    if (/^\d/.test(m[1])) n = Number(m[1]);
    else {
      const cn = [...m[1]];
      n =
        cn.length === 1 ? CN_NUM[cn[0]!]! : cn[0] === '十' ? 10 + (CN_NUM[cn[1]!] ?? 0) : CN_NUM[cn[0]!]! * 10 + (CN_NUM[cn[2] ?? ''] ?? 0);
    }
  }
  return m[2] === '亿' ? n * 10000 : n;
}

/** Parts of project names too common to name one (`产业园` still does: it offers the choice). */
const GENERIC = new Set([
  '项目',
  '产业',
  '中心',
  '基地',
  '工程',
  '智能',
  '科技',
  '建设',
  '生产',
  '加工',
  '制造',
  '发展',
  '新型',
  '示范',
  '年产',
  '综合',
]);

/** At least two Chinese characters: `0万` (from 5000万 and 20万吨) names nothing. */
const HAN2 = /\p{Script=Han}.*\p{Script=Han}/u;

/** The longest piece (≥ 2 characters) the text and a name share. */
function sharedPiece(text: string, name: string): string {
  let best = '';
  for (let i = 0; i < name.length; i++) {
    for (let j = name.length; j - i > best.length && j - i >= 2; j--) {
      const piece = name.slice(i, j);
      if (text.includes(piece)) {
        best = piece;
        break;
      }
    }
  }
  return best;
}

/** Reads what kind of answer the words ask for (outside the matched name). */
function askOf(rest: string, part: MatchResult['part']): Ask | undefined {
  if (part?.kind === 'project') return WHY_WORDS.some((w) => rest.includes(w)) ? { kind: 'why' } : undefined;
  if (WHO_WORDS.some((w) => rest.includes(w)) && INTENT_WORDS[0]![1].some((w) => rest.includes(w))) return { kind: 'not_reported' };
  const min = thresholdWan(rest);
  const stage = STAGE_WORDS.find(([w]) => rest.includes(w))?.[1];
  if (min !== null) return { kind: 'count', minWan: min, ...(stage && COUNT_WORDS.some((w) => rest.includes(w)) ? { stage } : {}) };
  if (stage && COUNT_WORDS.some((w) => rest.includes(w))) return { kind: 'count', stage };
  return undefined;
}

const KIND_RANK: Record<LexKind, number> = { project: 0, unit: 1, chain: 2 };

export { fold };

/**
 * Reads a question. Returns null when neither a known name nor an intent word is in it (the caller then says it
 * did not understand). A name without an intent word is a status request.
 */
export function matchQuery(text: string, lex: Lexicon): MatchResult | null {
  let folded = fold(text);
  if (folded === '') return null;
  let best: { entry: LexEntry; at: number } | null = null;
  for (const entry of lex.entries) {
    const term = fold(entry.term);
    if (term.length < 2) continue;
    const at = folded.indexOf(term);
    if (at < 0) continue;
    const len = term.length;
    const bestLen = best ? fold(best.entry.term).length : -1;
    if (!best || len > bestLen || (len === bestLen && KIND_RANK[entry.kind] < KIND_RANK[best.entry.kind])) {
      best = { entry, at };
    }
  }
  // No name in full: a piece of project names (`风电项目` → 200MW风电项目, `梅花鹿项目` → a choice of two) counts
  // when it is longer than any unit or chain name found.
  let choices: { id: number; name: string }[] | undefined;
  const bestLen = best ? fold(best.entry.term).length : 0;
  if (!best || best.entry.kind !== 'project') {
    const byProject = new Map<number, { name: string; piece: string }>();
    for (const e of lex.entries) {
      if (e.kind !== 'project' || byProject.has(e.id)) continue;
      const piece = sharedPiece(folded, fold(e.name.replace(/项目$/, '')));
      if (HAN2.test(piece) && piece.length > bestLen && !GENERIC.has(piece)) byProject.set(e.id, { name: e.name, piece });
    }
    const longest = Math.max(0, ...[...byProject.values()].map((v) => v.piece.length));
    const top = [...byProject.entries()].filter(([, v]) => v.piece.length === longest);
    if (top.length === 1) {
      const [id, v] = top[0]!;
      best = { entry: { kind: 'project', id, name: v.name, term: v.piece }, at: folded.indexOf(v.piece) };
    } else if (top.length > 1) {
      choices = top.map(([id, v]) => ({ id, name: v.name }));
      const piece = top[0]![1].piece;
      best = null;
      folded = folded.replace(piece, '\u0000');
    }
  }
  // Intent words are read outside the matched name: a project called "…资金…" is not a funds question.
  const rest = best ? folded.slice(0, best.at) + '\u0000' + folded.slice(best.at + fold(best.entry.term).length) : folded;
  let intent: Intent | null = null;
  for (const [name, words] of INTENT_WORDS) {
    if (words.some((w) => rest.includes(w))) {
      intent = name;
      break;
    }
  }
  if (!intent && STATUS_WORDS.some((w) => rest.includes(w))) intent = 'status';
  const part = best ? { kind: best.entry.kind, id: best.entry.id, name: best.entry.name } : null;
  const ask = askOf(rest, part);
  if (!best && !intent && !ask && !choices) return null;
  return { part, intent: intent ?? 'status', ...(ask ? { ask } : {}), ...(choices ? { choices } : {}) };
}

/**
 * Aliases of a unit: its name; without 省/市/县/区 (东丰县 → 东丰, 龙山区 → 龙山); without its parent's name
 * (辽源高新区 → 高新区). Aliases that two units share are dropped by buildLexicon.
 */
export function unitAliases(u: Unit, parent?: Unit): string[] {
  const out = new Set<string>([u.name]);
  const m = /^(.{2,}?)(省|市|县|区)$/.exec(u.name);
  if (m && !/(新区|园区|开发区|高新区|经开区)$/.test(u.name)) out.add(m[1]!);
  if (parent) {
    const parentShort = parent.name.replace(/(省|市|县|区)$/, '');
    for (const prefix of [parent.name, parentShort]) {
      if (prefix.length >= 2 && u.name.startsWith(prefix) && u.name.length - prefix.length >= 2) out.add(u.name.slice(prefix.length));
    }
  }
  return [...out];
}

/** Aliases of a chain: its name and aliases, each also with 链 / 产业链 after it (新能源 → 新能源链, 新能源产业链). */
export function chainAliases(c: Chain): string[] {
  const out = new Set<string>();
  for (const n of [c.name, ...c.aliases]) {
    out.add(n);
    if (!n.endsWith('链')) {
      out.add(`${n}链`);
      out.add(`${n}产业链`);
    }
  }
  return [...out];
}

/** A project's terms: its name, and its name without a trailing 项目 (风电项目 → 风电 is too short to be safe). */
export function projectTerms(name: string): string[] {
  const short = name.replace(/项目$/, '');
  return short !== name && short.length >= 4 ? [name, short] : [name];
}

/** Builds the lexicon; an alias (not an official name) shared by two entities of one kind is dropped. */
export function buildLexicon(
  us: readonly Unit[],
  cs: readonly Chain[],
  ps: readonly { id: number; name: string; code?: string }[],
): Lexicon {
  const byId = new Map(us.map((u) => [u.id, u]));
  const entries: LexEntry[] = [];
  const add = (kind: LexKind, id: number, name: string, terms: string[]) => {
    for (const term of terms) entries.push({ kind, id, name, term });
  };
  for (const u of us) add('unit', u.id, u.name, unitAliases(u, u.parentId ? byId.get(u.parentId) : undefined));
  for (const c of cs) add('chain', c.id, c.name, chainAliases(c));
  for (const p of ps) add('project', p.id, p.name, p.code ? [...projectTerms(p.name), p.code] : projectTerms(p.name));
  // Drop ambiguous aliases: a term naming two different entities, unless it is one of them's official name.
  const owners = new Map<string, Set<string>>();
  for (const e of entries) {
    const k = fold(e.term);
    if (!owners.has(k)) owners.set(k, new Set());
    owners.get(k)!.add(`${e.kind}:${e.id}`);
  }
  const seen = new Set<string>();
  return {
    entries: entries.filter((e) => {
      const k = fold(e.term);
      const dedupe = `${e.kind}:${e.id}:${k}`;
      if (seen.has(dedupe)) return false;
      seen.add(dedupe);
      return owners.get(k)!.size === 1 || fold(e.name) === k;
    }),
  };
}

/**
 * The lexicon for one question: every unit and chain (small tables), and only the projects whose name (or name
 * without 项目) occurs in the text, found in SQL so 100k project names never travel.
 */
export async function lexiconFor(q: Db | Tx, dir: Directory, text: string): Promise<Lexicon> {
  const folded = fold(text);
  const ps = folded.length < 2 ? [] : await projectsNamedIn(q, folded, 50);
  return buildLexicon(dir.units, dir.chains, ps);
}
