/*
 * The deterministic one-sentence reader (issue 19): rules and dictionaries, no network. Pure: text and context in,
 * codes and values out. It finds the sender's projects in the text, gives each the clauses that follow its name,
 * and reads from those clauses the substantive kinds, money arrived, a stage move, problems and the next step.
 *
 * It never outputs an amount or a date that is not in the text: every amount is read from a token of the text by
 * domain/amount.ts and every date from a token by domain/dates.ts, and both tokens travel with the value.
 */
import { parseSpokenAmount } from '../../domain/amount.js';
import { daysBetween, type CalendarDate } from '../../domain/calendar.js';
import { readDate } from '../../domain/dates.js';
import type { ProblemCategory } from '../../domain/reporting.js';
import { stageOrder, type ActiveStage } from '../../domain/stages.js';
import { toHalfWidth } from '../../domain/text.js';
import type {
  ExtractContext,
  ExtractedFunds,
  ExtractedNextStep,
  ExtractedProblem,
  Extraction,
  ProjectExtraction,
  SubstantiveKind,
} from './types.js';
import {
  AMOUNT,
  APPROVAL_KEYWORD,
  ARRIVAL,
  CALLED_OFF,
  CLAUSE_SPLIT,
  DATE_TOKEN,
  DECISION_MAKER,
  DIFFICULTY,
  DONE,
  EARLIER_PERIOD,
  CANNOT,
  FOREIGN_AFTER,
  FUTURE,
  IN_PROGRESS,
  LAND_MILESTONE,
  LAND_WORK,
  LAND_WORK_DONE,
  NOT_DONE_AFTER,
  MAX_INPUT_CHARS,
  MEASURE_AFTER,
  NEGATION,
  NOT_ARRIVAL,
  NOT_YET,
  OUR_VISIT,
  NO_ANSWER,
  NO_DIFFICULTY,
  NOT_A_PARTY,
  NOT_A_PARTY_START,
  PARTY_CATEGORY,
  PLANNED_ASK,
  PROBLEM_WORDS,
  REQUEST,
  REQUEST_BARE,
  SOLVED,
  STUCK_AT,
  STAGE_WORDS,
  SUPPLEMENTARY,
  TOPIC_AFTER,
  VAGUE_PARTY,
  VAGUE_REQUEST,
  VISIT_VERB,
  WEAK_TOPIC,
} from './vocabulary.js';

/** A past date further back than this is not "just now": 1月15日 in December is next January's, not last January's. */
const RECENT_DAYS = 62;
/** Project names shorter than this are not searched for (a one-character "name" would match anywhere). */
const MIN_NAME_CHARS = 2;

// -------------------------------------------------------------------------------------------------------------
// Projects and their clauses

interface Mention {
  project: string;
  written: string;
  start: number;
  end: number;
}

/** The spellings of a project name an officer uses: as is, without a trailing 项目, without a leading place. */
function nameVariants(name: string): string[] {
  const base = toHalfWidth(name).trim();
  const out = new Set<string>([base]);
  const noSuffix = base.replace(/项目$/, '');
  if (noSuffix.length >= 4) out.add(noSuffix);
  const noPlace = base.replace(/^(?:[\u4e00-\u9fa5]{1,4}?(?:县|区|市))/, '');
  if (noPlace !== base && noPlace.length >= 4) {
    out.add(noPlace);
    const both = noPlace.replace(/项目$/, '');
    if (both.length >= 4) out.add(both);
  }
  // A leading size is often left out (风电项目 for 200MW风电项目, 袜业产业园 for 年产5亿双袜业产业园).
  for (const v of [...out]) {
    const noSize = v.replace(/^(?:年产)?[\d.]+(?:MWh|GWh|MW|GW|万吨|万套|亿双|万头|吨|套|双|头|亿|万)?/i, '');
    if (noSize !== v && noSize.length >= 4) out.add(noSize);
  }
  return [...out].filter((v) => v.length >= MIN_NAME_CHARS);
}

/** Every mention of a candidate, longest spelling first, no two overlapping, in text order. */
function findMentions(text: string, candidates: readonly string[]): Mention[] {
  const spellings: { project: string; spelling: string }[] = [];
  for (const project of candidates) for (const spelling of nameVariants(project)) spellings.push({ project, spelling });
  spellings.sort((a, b) => b.spelling.length - a.spelling.length);
  const taken: boolean[] = new Array<boolean>(text.length).fill(false);
  const mentions: Mention[] = [];
  for (const { project, spelling } of spellings) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(spelling, from);
      if (at < 0) break;
      from = at + 1;
      const end = at + spelling.length;
      let free = true;
      for (let i = at; i < end; i++) if (taken[i]) free = false;
      if (!free) continue;
      // Extend over a trailing 项目 the candidate's spelling left out ("风电装备" + "项目").
      const written = text.slice(at, end) + (text.startsWith('项目', end) && !spelling.endsWith('项目') ? '项目' : '');
      for (let i = at; i < at + written.length; i++) taken[i] = true;
      mentions.push({ project, written, start: at, end: at + written.length });
    }
  }
  return mentions.sort((a, b) => a.start - b.start);
}

/** Only a connector between two names: they share what follows (医疗器械项目和生物医药产业园都没有变化). */
const CONNECTOR = /^(?:和|与|及|以及|、|,|，|跟|同)$/;

/** A clause about all the projects named so far (两个项目都缺技术工人, 以上项目均需要…). */
const SHARED = /(?:两|三|四|五|几|这些|以上|上述|这两|这三|这几)个?项目/;

/**
 * Each project's pieces of text: what follows its name up to the next name; text before any name goes to the first;
 * a clause about all the projects named so far (两个项目都…) goes to each of them.
 */
function segment(text: string, mentions: Mention[]): Map<string, { written: string; pieces: string[] }> {
  const out = new Map<string, { written: string; pieces: string[] }>();
  const add = (m: Mention, piece: string) => {
    const entry = out.get(m.project) ?? { written: m.written, pieces: [] };
    if (piece.trim() !== '') entry.pieces.push(piece);
    out.set(m.project, entry);
  };
  let waiting: Mention[] = [];
  const named: Mention[] = [];
  mentions.forEach((m, i) => {
    const next = mentions[i + 1];
    const piece = text.slice(m.end, next ? next.start : text.length);
    if (next && CONNECTOR.test(piece.trim())) {
      waiting.push(m);
      return;
    }
    named.push(...waiting, m);
    // From a clause about all of them (两个项目都…) to the next name, the text is each named project's.
    const clauses = piece.split(CLAUSE_SPLIT);
    const from = clauses.findIndex((c) => SHARED.test(c));
    const own = from < 0 ? piece : clauses.slice(0, from).join('，');
    for (const w of [...waiting, m]) add(w, own);
    if (from >= 0) {
      const shared = clauses.slice(from).join('，');
      for (const w of new Map(named.map((x) => [x.project, x])).values()) add(w, shared);
    }
    waiting = [];
  });
  const first = mentions[0];
  if (first && first.start > 0) {
    const before = text.slice(0, first.start);
    const entry = out.get(first.project)!;
    entry.pieces.unshift(before);
  }
  return out;
}

function clausesOf(pieces: string[]): string[] {
  return pieces.flatMap((p) => p.split(CLAUSE_SPLIT)).filter((c) => c.trim() !== '');
}

// -------------------------------------------------------------------------------------------------------------
// Dates

interface DateToken {
  written: string;
  index: number;
}

function dateTokens(clause: string): DateToken[] {
  const out: DateToken[] = [];
  for (const m of clause.matchAll(DATE_TOKEN)) if (m[0] !== '') out.push({ written: m[0], index: m.index });
  return out;
}

/** A token read as a day already past (a visit, a signing, money in): within the last weeks, not after today. */
function pastDate(token: string, today: CalendarDate): { date: CalendarDate; approx: boolean } | null {
  if (/^(?:当天|今天|明天|后天)$|下|明年|内$|前$/.test(token)) return token === '今天' ? { date: today, approx: false } : null;
  const r = readDate(token, today, 'past');
  if (!r.ok) return null;
  const days = daysBetween(r.date, today);
  return days >= 0 && days <= RECENT_DAYS ? r : null;
}

/** A token read as a day ahead (a next step's due), or null when it names the past or nothing precise. */
function futureDate(token: string, today: CalendarDate, clauseIsFuture: boolean): CalendarDate | null {
  if (/^(?:当天|今天|本月|这个月|这月)$/.test(token)) return null;
  // 本周 alone is "this week" as a period that may be over; only a plan gives it a due.
  if (/^(?:本|这)(?:周|星期)$/.test(token) && !clauseIsFuture) return null;
  // A day in the recent past (11月28日, 11月底) is the past, whatever the lean.
  const explicitYear = /年/.test(token);
  if (!explicitYear && !/^(?:下|明)/.test(token)) {
    const near = readDate(token, today, 'near');
    if (near.ok && near.date < today && daysBetween(near.date, today) <= RECENT_DAYS) return null;
  }
  const r = readDate(token, today, 'future');
  if (!r.ok || r.date < today) return null;
  return r.date;
}

function clauseIsFuture(clause: string, today: CalendarDate): boolean {
  if (CANNOT.test(clause)) return false;
  if (FUTURE.test(clause)) return true;
  // Money arriving is the past: its 28号 is last month's 28th, not a due.
  if (ARRIVAL.test(clause) && !NOT_YET.test(clause)) return false;
  return dateTokens(clause).some((t) => futureDate(t.written, today, false) !== null);
}

// -------------------------------------------------------------------------------------------------------------
// Fields

/** The keyword at `index` is negated: a negation word in the few characters before it, in the same clause. */
function negatedAt(clause: string, index: number): boolean {
  return NEGATION.test(clause.slice(Math.max(0, index - 4), index));
}

/** The last precise past day a clause writes (11月30日, 昨天), which a later 当天 ("that day") refers to. */
function lastPastDay(clause: string, today: CalendarDate): { date: CalendarDate; written: string } | undefined {
  let out: { date: CalendarDate; written: string } | undefined;
  for (const d of dateTokens(clause)) {
    const r = pastDate(d.written, today);
    if (r && !r.approx) out = { date: r.date, written: d.written };
  }
  return out;
}

/**
 * Money arrived in a clause. `earlier` is the last precise past day written before the clause, for a 当天 in it;
 * the date then carries that day's own words, so it is still a token of the text.
 */
function readFunds(clause: string, today: CalendarDate, earlier?: { date: CalendarDate; written: string }): ExtractedFunds[] {
  if (!ARRIVAL.test(clause) || NOT_YET.test(clause) || FUTURE.test(clause)) return [];
  const out: ExtractedFunds[] = [];
  const dates = dateTokens(clause);
  let from = 0;
  for (const m of clause.matchAll(AMOUNT)) {
    const written = m[0];
    const after = clause.slice(m.index + written.length);
    if (FOREIGN_AFTER.test(after) || MEASURE_AFTER.test(after)) continue;
    const before = clause.slice(from, m.index);
    from = m.index + written.length;
    if (NOT_ARRIVAL.test(before)) continue;
    const parsed = parseSpokenAmount(written);
    if (!parsed.ok || parsed.fen === 0) continue;
    const entry: ExtractedFunds = { fen: parsed.fen, written };
    // The day: the nearest precise past date before the amount in the clause (昨天, 上周五, 12月1日).
    // The day: the nearest precise past date before the amount in the clause (昨天, 上周五, 12月1日), else the first
    // one after it (1000万元于11月20日到位).
    const precise = dates.map((d) => ({ d, r: pastDate(d.written, today) })).filter((x) => x.r !== null && !x.r.approx);
    const day = precise.filter((x) => x.d.index < m.index).pop() ?? precise.find((x) => x.d.index > m.index);
    const sameDay = dates.some((d) => d.index < m.index && d.written === '当天');
    if (day) {
      entry.date = day.r!.date;
      entry.dateWritten = day.d.written;
    } else if (sameDay && earlier) {
      entry.date = earlier.date;
      entry.dateWritten = earlier.written;
    }
    out.push(entry);
  }
  return out;
}

interface ClauseInfo {
  text: string;
  future: boolean;
  problem: boolean;
}

function readStage(clauses: ClauseInfo[]): { stageTo?: ActiveStage; agreement: boolean } {
  let best: ActiveStage | undefined;
  let agreement = false;
  for (const c of clauses) {
    if (c.future || EARLIER_PERIOD.test(c.text)) continue;
    if (SUPPLEMENTARY.test(c.text) && !negatedAt(c.text, c.text.search(SUPPLEMENTARY))) agreement = true;
    for (const w of STAGE_WORDS) {
      const m = w.pattern.exec(c.text);
      if (!m) continue;
      if (negatedAt(c.text, m.index)) continue;
      if (/后/.test(c.text.slice(m.index + m[0].length, m.index + m[0].length + 1))) continue; // 签约后: an earlier signing
      if (w.stage === 'landed' && /投产|复工/.test(m[0])) continue;
      if (!best || stageOrder(w.stage) > stageOrder(best)) best = w.stage;
      if (w.agreement) agreement = true;
    }
  }
  return best ? { stageTo: best, agreement } : { agreement };
}

function readSubstantive(clauses: ClauseInfo[], agreement: boolean): SubstantiveKind[] {
  const kinds = new Set<SubstantiveKind>();
  let previousFuture = false;
  for (const c of clauses) {
    const inheritsFuture = previousFuture && !DONE.test(c.text) && dateTokens(c.text).length === 0;
    previousFuture = c.future;
    if (c.future || c.problem) continue;
    const land = LAND_MILESTONE.exec(c.text);
    const landDenied = land !== null && NOT_DONE_AFTER.test(c.text.slice(land.index));
    if (land && !landDenied && !negatedAt(c.text, land.index) && !/挂牌期|组卷/.test(c.text)) kinds.add('land_milestone');
    const work = LAND_WORK.exec(c.text);
    if (work && /土地|地块|用地|征收|征地|征拆/.test(c.text) && LAND_WORK_DONE.test(c.text) && !IN_PROGRESS.test(c.text)) {
      if (!negatedAt(c.text, work.index) && !NOT_DONE_AFTER.test(c.text.slice(work.index))) kinds.add('land_milestone');
    }
    const approval = APPROVAL_KEYWORD.exec(c.text);
    if (approval && DONE.test(c.text) && !IN_PROGRESS.test(c.text)) kinds.add('approval_milestone');
    const boss = DECISION_MAKER.exec(c.text);
    // The investor's visit as the subject's own verb, not negated (董事长暂时没时间过来).
    const after = boss ? c.text.slice(boss.index + boss[0].length) : '';
    const verb = VISIT_VERB.exec(after);
    const refused = verb !== null && NEGATION.test(after.slice(0, verb.index));
    if (boss && VISIT_VERB.test(c.text) && !refused && !OUR_VISIT.test(c.text) && !CALLED_OFF.test(c.text) && !inheritsFuture) {
      kinds.add('decision_maker_visit');
    }
  }
  if (agreement) kinds.add('agreement');
  const order: SubstantiveKind[] = ['land_milestone', 'approval_milestone', 'agreement', 'decision_maker_visit'];
  return order.filter((k) => kinds.has(k));
}

/** Categories named in a problem's text, in text order; a keyword taken by an earlier category is not read again. */
function categoriesIn(text: string): { category: ProblemCategory; index: number }[] {
  let masked = text;
  const found: { category: ProblemCategory; index: number }[] = [];
  for (const [category, pattern] of PROBLEM_WORDS) {
    const global = new RegExp(pattern.source, 'g');
    let first = -1;
    masked = masked.replace(global, (m: string, offset: number) => {
      if (first < 0) first = offset;
      return '\u0000'.repeat(m.length);
    });
    if (first >= 0) found.push({ category, index: first });
  }
  return found.sort((a, b) => a.index - b.index);
}

interface TopicWord {
  category: ProblemCategory;
  word: string;
  index: number;
}

/** Every topic word in a text, in text order; a span taken by an earlier category is not read again. */
function topicWords(text: string): TopicWord[] {
  let masked = text;
  const found: TopicWord[] = [];
  for (const [category, pattern] of PROBLEM_WORDS) {
    masked = masked.replace(new RegExp(pattern.source, 'g'), (word: string, index: number) => {
      found.push({ category, word, index });
      return '\u0000'.repeat(word.length);
    });
  }
  return found.sort((a, b) => a.index - b.index);
}

/**
 * The topic of one clause. With a difficulty word, the topic is what the word is said of: the nearest topic word
 * before it (用地指标不足, 厂房建设资金紧张 → 资金), or the first after it for the words that take their topic after
 * them (缺少厂房, 还差消防审验); a general word (手续, 审批) gives way to a specific one before it (林地手续卡在…).
 * Without a difficulty word, the first topic word.
 */
function clauseTopic(clause: string): TopicWord | undefined {
  const words = topicWords(clause);
  if (words.length === 0) return undefined;
  const d = DIFFICULTY.exec(clause);
  if (!d) return words[0];
  const after = words.filter((w) => w.index >= d.index + 1);
  const before = words.filter((w) => w.index + w.word.length <= d.index);
  if (TOPIC_AFTER.test(clause.slice(d.index)) && after[0]) return after[0];
  const specific = before.filter((w) => !WEAK_TOPIC.test(w.word));
  return specific[specific.length - 1] ?? before[before.length - 1] ?? after[0];
}

/** A party as read by a pattern: a real name, not a verb phrase or a vague word. */
function namedParty(name: string | undefined): string | undefined {
  if (name === undefined || NOT_A_PARTY.test(name) || NOT_A_PARTY_START.test(name)) return undefined;
  return name;
}

/** The party a clause asks to act (需要市供电公司协调), or undefined. */
function askedParty(clause: string): string | undefined {
  if (PLANNED_ASK.test(clause)) return undefined;
  const m = REQUEST.exec(clause);
  const full = m ? namedParty(m[1]) : undefined;
  if (full !== undefined) return full;
  const bare = REQUEST_BARE.exec(clause);
  return bare ? namedParty(bare[1]) : undefined;
}

/** The party a clause says holds the matter (卡在省林草局), or undefined. */
function stuckParty(clause: string): string | undefined {
  const m = STUCK_AT.exec(clause);
  return m ? namedParty(m.slice(1).find((g) => g !== undefined)) : undefined;
}

/** The clause states a difficulty (缺, 紧张, 一直没 …) that is neither denied nor solved. */
function isDifficulty(clause: string): boolean {
  return DIFFICULTY.test(clause) && !NO_DIFFICULTY.test(clause) && !SOLVED.test(clause);
}

/** The clause asks someone to act, naming them or not. */
function isRequest(clause: string | undefined): boolean {
  if (clause === undefined || PLANNED_ASK.test(clause)) return false;
  return askedParty(clause) !== undefined || VAGUE_REQUEST.test(clause);
}

/**
 * Problems: a run of difficulty clauses closed by a request (需要 / 请 / 希望 + party + action), or a request alone;
 * a run solved in its own or the next clause is none. The party is the one asked; failing that, the one holding the
 * matter (卡在…, 已向…申请, 由…负责); a vague one (县里, 相关部门) is no party. The category is the topic of the
 * first clause of the run that has one (clauseTopic), read before the ask with the party's name left out; else the
 * clause or two before the run; else what is asked (需要市交通局修路); else the party's own field (供电公司 →
 * energy); else 'other'. Two topics joined in one clause (用地和规划许可都需要…) are two problems.
 */
function readProblems(clauses: string[]): { problems: ExtractedProblem[]; problemClauses: Set<number> } {
  const problems: ExtractedProblem[] = [];
  const problemClauses = new Set<number>();
  let group: number[] = [];
  let start = 0;
  const close = () => {
    if (group.length === 0) return;
    const texts = group.map((i) => clauses[i]!);
    const text = texts.join('，');
    group.forEach((i) => problemClauses.add(i));
    group = [];
    if (SOLVED.test(text)) return;
    let party: string | undefined;
    for (const t of texts) party ??= askedParty(t);
    for (const t of texts) party ??= stuckParty(t);
    const named = party !== undefined && !VAGUE_PARTY.test(party) ? party : undefined;
    // The topic is stated before the ask (用电增容需要…); else in the clause or two before; else in what is asked
    // (需要市交通局修路); else it is the party's own field (需要市供电公司协调 → energy).
    const last = texts[texts.length - 1]!;
    const askAt = (REQUEST.exec(last) ?? REQUEST_BARE.exec(last) ?? VAGUE_REQUEST.exec(last))?.index ?? last.length;
    const headLength = text.length - last.length + askAt;
    const names = [party, ...texts.map(stuckParty)].filter((n): n is string => n !== undefined);
    const drop = (t: string) => names.reduce((acc, n) => acc.split(n).join('，'), t);
    let topicText = drop(text.slice(0, headLength));
    let cats = categoriesIn(topicText);
    // One clause's own topic comes first: the first clause of the run that names one.
    const heads = topicText.split('，');
    for (let k = 0, offset = 0; k < heads.length; offset += heads[k]!.length + 1, k++) {
      const topic = clauseTopic(heads[k]!);
      if (!topic) continue;
      const rest = cats.filter((c) => c.category !== topic.category && c.index > offset + topic.index);
      cats = [{ category: topic.category, index: offset + topic.index }, ...rest];
      break;
    }
    for (let back = 1; cats.length === 0 && back <= 2; back++) {
      const prev = clauses[start - back];
      if (prev !== undefined && !problemClauses.has(start - back)) {
        topicText = prev;
        cats = categoriesIn(prev);
      }
    }
    if (cats.length === 0) {
      topicText = drop(text.slice(headLength));
      cats = categoriesIn(topicText);
    }
    const chosen: ProblemCategory[] = [];
    const firstCat = cats[0];
    if (firstCat) {
      chosen.push(firstCat.category);
      for (const c of cats.slice(1)) {
        const between = topicText.slice(firstCat.index, c.index);
        if (/^[^，]{0,8}(?:和|及|以及|、|与)[^，]{0,8}$/.test(between) && !chosen.includes(c.category)) chosen.push(c.category);
      }
    } else {
      chosen.push(PARTY_CATEGORY.find(([, pattern]) => party !== undefined && pattern.test(party))?.[0] ?? 'other');
    }
    for (const category of chosen) problems.push({ category, text, ...(named ? { mustAct: named } : {}) });
  };
  clauses.forEach((clause, i) => {
    const request = isRequest(clause);
    const difficult = isDifficulty(clause);
    if (group.length === 0) start = i;
    if (request) {
      group.push(i);
      close();
    } else if (difficult || (group.length > 0 && NO_ANSWER.test(clause))) {
      group.push(i);
    } else if (
      stuckParty(clause) !== undefined &&
      (group.length > 0 || isDifficulty(clauses[i + 1] ?? '') || NO_ANSWER.test(clauses[i + 1] ?? ''))
    ) {
      // A difficulty, or where the matter is stuck (卡在…, 已向…申请) after one: the run goes on to an ask or its end.
      group.push(i);
    } else if (group.length > 0 && isRequest(clauses[i + 1])) {
      group.push(i); // one clause between the difficulty and the request asked about it (用气价格高，企业希望…，需要…协调)
    } else {
      if (group.length > 0 && SOLVED.test(clause)) group.push(i); // solved just after (…停工一周，现已复工)
      close();
    }
  });
  close();
  return { problems, problemClauses };
}

function readNextStep(clauses: ClauseInfo[], today: CalendarDate): ExtractedNextStep | undefined {
  const steps = clauses.filter((c) => c.future && !c.problem);
  if (steps.length === 0) return undefined;
  let due: { date: CalendarDate; written: string } | undefined;
  for (const c of steps) {
    for (const t of dateTokens(c.text)) {
      const d = futureDate(t.written, today, true);
      if (d && (!due || d < due.date)) due = { date: d, written: t.written };
    }
  }
  const text = steps.map((c) => c.text).join('，');
  return due ? { text, due: due.date, dueWritten: due.written } : { text };
}

function readProject(project: string, written: string, pieces: string[], today: CalendarDate): ProjectExtraction {
  const raw = clausesOf(pieces);
  const { problems, problemClauses } = readProblems(raw);
  const clauses: ClauseInfo[] = raw.map((text, i) => ({ text, future: clauseIsFuture(text, today), problem: problemClauses.has(i) }));
  const funds: ExtractedFunds[] = [];
  let earlier: { date: CalendarDate; written: string } | undefined;
  for (const c of clauses) {
    if (!c.problem) funds.push(...readFunds(c.text, today, earlier));
    earlier = lastPastDay(c.text, today) ?? earlier;
  }
  const { stageTo, agreement } = readStage(clauses.filter((c) => !c.problem));
  const substantive = readSubstantive(clauses, agreement);
  const nextStep = readNextStep(clauses, today);
  return {
    project,
    written,
    substantive,
    funds,
    ...(stageTo ? { stageTo } : {}),
    problems,
    ...(nextStep ? { nextStep } : {}),
  };
}

/** Reads a one-sentence report. Pure and synchronous; input beyond MAX_INPUT_CHARS is cut. */
export function extractReport(input: string, ctx: ExtractContext): Extraction {
  const truncated = input.length > MAX_INPUT_CHARS;
  const text = toHalfWidth(truncated ? input.slice(0, MAX_INPUT_CHARS) : input);
  const mentions = findMentions(
    text,
    ctx.projects.filter((p) => p.trim().length >= MIN_NAME_CHARS),
  );
  const segments = segment(text, mentions);
  const projects: ProjectExtraction[] = [];
  for (const [project, { written, pieces }] of segments) projects.push(readProject(project, written, pieces, ctx.today));
  return { projects, truncated };
}
