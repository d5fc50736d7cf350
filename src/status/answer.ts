// Answering a status question: whose scope, which part of it, which intent, and the card(s) to reply with.
// The handlers (bot/handlers/status.ts) only call this and put the reply in the outbox.

import type { StallThresholds } from '../domain/progress.js';
import type { WorkCalendar } from '../domain/calendar.js';
import type { Card } from '../lark/cards.js';
import type { Db } from '../store/db.js';
import { groupByChatId, type Person } from '../store/directory.js';
import { projectById } from '../store/projects.js';
import { loadRules } from '../store/rules.js';
import { loadRemit } from '../store/remit.js';
import { t } from '../text.js';
import { projectCard, projectChoiceCard } from './project-card.js';
import { statusCard } from './status-card.js';
import { fold, lexiconFor, matchQuery, type Ask, type Intent, type LexEntry } from './match.js';
import { findProjectsIn, projectInScope, projectsInScope, scopeHasProjects } from '../store/status-scope.js';
import { notReportedText, countCard } from './asks.js';
import { chainInScope, loadDirectory, narrow, scopeOfGroup, scopeOfPerson, type Directory, type Part, type Scope } from './scope.js';
import { projectDetail, statusData } from './view.js';

export type Answer = { kind: 'card'; card: Card } | { kind: 'text'; text: string };

export interface AskContext {
  db: Db;
  calendar: WorkCalendar;
  today: string;
  chatType: 'p2p' | 'group';
  chatId: string;
  person: Person;
}

/** The scope of the place a question is asked in: the group's binding, or in p2p the person's roles. */
export async function askerScope(
  ctx: AskContext,
  dir: Directory,
  centreMinFen: number,
): Promise<{ ok: true; scope: Scope } | { ok: false; text: string }> {
  if (ctx.chatType === 'group') {
    const scope = scopeOfGroup(await groupByChatId(ctx.db, ctx.chatId), dir, centreMinFen);
    return scope ? { ok: true, scope } : { ok: false, text: t('status.unbound') };
  }
  const base = scopeOfPerson(ctx.person, dir);
  // A delegate sees the projects of those they stand in for, while the delegation is in force (domain/remit).
  const { remit } = await loadRemit(ctx.db, ctx.person, ctx.today);
  const principals = [...remit.ownerIds].filter((id) => id !== ctx.person.id).map((ownerId) => ({ ownerId }));
  const scope = principals.length === 0 ? base : base ? { ...base, parts: [...base.parts, ...principals] } : null;
  return scope ? { ok: true, scope } : { ok: false, text: t('status.no_scope') };
}

function toPart(dir: Directory, e: { kind: 'unit' | 'chain'; id: number }): Part | null {
  if (e.kind === 'unit') {
    const unit = dir.unitById.get(e.id);
    return unit ? { kind: 'unit', unit } : null;
  }
  const chain = dir.chainById.get(e.id);
  return chain ? { kind: 'chain', chain } : null;
}

/**
 * `/status [X]` (mode 'command') or plain words (mode 'words'). Returns null for plain words that match nothing,
 * so the caller can say it did not understand.
 */
export async function answerStatus(ctx: AskContext, text: string, mode: 'command' | 'words'): Promise<Answer | null> {
  const [dir, rules] = await Promise.all([loadDirectory(ctx.db), loadRules(ctx.db)]);
  const thresholds = rules.stallDays as StallThresholds;
  const needle = text.trim();

  let part: { kind: 'unit' | 'chain' | 'project'; id: number; name: string } | null = null;
  let intent: Intent = 'status';
  let ask: Ask | undefined;
  let choices: { id: number; name: string }[] | undefined;
  let matched = needle === '';
  if (needle !== '') {
    const lex = await lexiconFor(ctx.db, dir, needle);
    // `/status 东丰` names a part exactly; otherwise read it as words.
    const exact = lex.entries.filter((e: LexEntry) => fold(e.term) === fold(needle));
    const m =
      exact.length > 0
        ? { part: { kind: exact[0]!.kind, id: exact[0]!.id, name: exact[0]!.name }, intent: 'status' as const }
        : matchQuery(needle, lex);
    if (!m && mode === 'words') return null;
    if (m) {
      matched = true;
      part = m.part;
      intent = m.intent;
      ask = 'ask' in m ? m.ask : undefined;
      choices = 'choices' in m ? m.choices : undefined;
    }
  }

  const where = await askerScope(ctx, dir, rules.centreListFen);
  if (!where.ok) return { kind: 'text', text: where.text };
  const scope = where.scope;
  const opts = { calendar: ctx.calendar, today: ctx.today, thresholds, rules };

  // A command naming nothing we know: a project by a fragment of its name or its code, inside the scope.
  if (!matched) {
    const inside = await findProjectsIn(ctx.db, scope, needle, 10);
    if (inside.length === 1) return { kind: 'card', card: projectCard(await projectDetail(ctx.db, inside[0]!), ctx.today) };
    if (inside.length > 1) return { kind: 'card', card: projectChoiceCard(needle, inside) };
    // Outside the scope a project is answered exactly as one that does not exist: a refusal by name would tell
    // the asker that something matching their words exists elsewhere (DOMAIN.md, jurisdiction).
    return { kind: 'text', text: t('status.not_found', { text: needle.slice(0, 40) }) };
  }

  // A fragment several projects share (`梅花鹿项目`): those inside the scope, to pick from.
  if (choices) {
    const inside = await projectsInScope(
      ctx.db,
      scope,
      choices.map((c) => c.id),
    );
    if (inside.length === 1) return { kind: 'card', card: projectCard(await projectDetail(ctx.db, inside[0]!), ctx.today) };
    if (inside.length > 1) return { kind: 'card', card: projectChoiceCard(needle.slice(0, 40), inside) };
    return { kind: 'text', text: t('status.not_found', { text: needle.slice(0, 40) }) };
  }

  if (part?.kind === 'project') {
    if (!(await projectInScope(ctx.db, scope, part.id))) {
      // A project is not a public name like a county: outside the scope it does not exist for the asker.
      return { kind: 'text', text: t('status.not_found', { text: needle.slice(0, 40) }) };
    }
    const project = await projectById(ctx.db, part.id);
    if (!project) return { kind: 'text', text: t('status.not_found', { text: needle.slice(0, 40) }) };
    return { kind: 'card', card: projectCard(await projectDetail(ctx.db, project), ctx.today, { why: ask?.kind === 'why' }) };
  }

  let target = scope;
  if (part) {
    const found = toPart(dir, part as { kind: 'unit' | 'chain'; id: number });
    // A chain's name may be several governments' chains: the one this scope means.
    const p: Part | null = found?.kind === 'chain' ? { kind: 'chain', chain: chainInScope(scope, found.chain, dir) } : found;
    const narrowed = p ? narrow(scope, p) : null;
    // An intersection (a county among one person's projects, a chain inside a county) that holds nothing is a
    // part outside the scope, not an empty report.
    if (!narrowed || (narrowed.intersected && !(await scopeHasProjects(ctx.db, narrowed)))) {
      return { kind: 'text', text: t('status.outside_scope', { part: part.name, scope: scope.label }) };
    }
    target = narrowed;
  }
  if (ask?.kind === 'not_reported') return { kind: 'text', text: await notReportedText(ctx.db, target, opts) };
  if (ask?.kind === 'count') return { kind: 'card', card: await countCard(ctx.db, target, ask) };
  return { kind: 'card', card: statusCard(await statusData(ctx.db, target, intent, opts)) };
}
