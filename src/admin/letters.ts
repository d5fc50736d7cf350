import { card, md, note } from '../lark/cards.js';
import { audit } from '../store/audit.js';
import type { Person } from '../store/directory.js';
import { answerLetter, closeLetter, openLetters } from '../store/letters.js';
import { loadRemit, remitFilter } from '../store/remit.js';
import { responsibilityFor } from '../store/responsibility.js';
import { enqueueAll, reply, type Outgoing } from '../store/messages.js';
import { t } from '../text.js';
import { dateLabel } from '../words.js';
import type { Deps } from '../context.js';
import { say, type Answer, type Asked } from './answer.js';

/*
 * 履约提醒函 are issued by the `letters` job and tracked open → closed here: `/letter` lists the open ones a
 * person may handle; `/letter 关闭 <项目> <落实情况>` closes one, with what was done, audited.
 * Who may: whoever may change the project (domain/permissions `mayChange`): its owner (or the owner's delegate
 * while the delegation is in force), and the admins, leads and convenors of the government holding its first-talk
 * unit. The host side and other governments see none of its letters.
 */

/** The letters a person may handle: those of the projects they may change, as a filter on projects. */
async function handled(deps: Deps, person: Person) {
  const { remit } = await loadRemit(deps.db, person, deps.calendar.today(deps.clock.now()));
  return remitFilter(remit, 'change');
}

const reasonText = (reason: string) =>
  reason === 'start_overdue'
    ? t('jobs.letter_reason.start_overdue')
    : reason === 'investment_short'
      ? t('jobs.letter_reason.investment_short')
      : reason;

/**
 * `/letter 答复 <项目> <落实情况>`: the owner answers the oldest open, unanswered letter of their own project with
 * what was done; the first-talk unit's leads are told, and one of them closes it (`/letter 关闭`).
 */
export async function answerLetterOf(deps: Deps, asked: Asked, person: Person, needle: string, answerText: string): Promise<Answer> {
  const answer = answerText.slice(0, 500);
  const now = deps.clock.now();
  const today = deps.calendar.today(now);
  const enqueued = await deps.db.transaction(async (tx) => {
    const hit = await answerLetter(tx, person.id, needle, { on: today, answer });
    if (!hit) return null;
    await audit(tx, {
      at: now,
      actorId: person.id,
      action: 'letter.answer',
      entity: 'performance_letter',
      entityId: hit.id,
      before: { answer: null },
      after: { answer, answeredOn: today },
    });
    const leads = (await responsibilityFor(tx, [hit.place])).get(hit.place.id)?.leads ?? [];
    const told: Outgoing[] = leads
      .filter((l) => l.active && l.openId)
      .map((l) => ({
        to: 'user' as const,
        openId: l.openId!,
        content: { msgType: 'text' as const, text: t('jobs.letter_answered_lead', { project: hit.project, owner: person.name, answer }) },
        key: `letter:${hit.id}:answered:${l.id}`,
      }));
    return enqueueAll(tx, [...say(asked, t('jobs.letter_answered', { project: hit.project })), ...told]);
  });
  if (enqueued === null) return say(asked, t('jobs.letter_not_found', { text: needle }));
  return { enqueued };
}

/** `/letter`: the open letters the person may handle, as one card. */
export async function listLetters(deps: Deps, asked: Asked, person: Person): Promise<Answer> {
  const open = await openLetters(deps.db, await handled(deps, person));
  if (open.length === 0) return say(asked, t('jobs.letter_none'));
  const c = card({
    title: t('jobs.letter_list_title', { count: open.length }),
    template: 'carmine',
    elements: [
      md(
        open
          .map((l) =>
            t('jobs.letter_list_line', { project: l.project, code: l.code, reason: reasonText(l.reason), issued: dateLabel(l.issued) }),
          )
          .join('\n'),
      ),
      note(t('jobs.letter_close_hint')),
    ],
  });
  return [reply(asked, { msgType: 'interactive', card: c })];
}

/** `/letter 关闭 <项目> <落实情况>`: closes the oldest open letter of the project, recording what was done. */
export async function closeLetterOf(deps: Deps, asked: Asked, person: Person, needle: string, closureText: string): Promise<Answer> {
  const closure = closureText.slice(0, 500);
  const now = deps.clock.now();
  const today = deps.calendar.today(now);
  const scope = await handled(deps, person);
  const enqueued = await deps.db.transaction(async (tx) => {
    const hit = await closeLetter(tx, scope, needle, { on: today, closure });
    if (!hit) return null;
    await audit(tx, {
      at: now,
      actorId: person.id,
      action: 'letter.close',
      entity: 'performance_letter',
      entityId: hit.id,
      before: { open: true },
      after: { open: false, closedOn: today, closure },
    });
    return enqueueAll(tx, say(asked, t('jobs.letter_closed', { project: hit.project, closure })));
  });
  if (enqueued === null) return say(asked, t('jobs.letter_not_found', { text: needle }));
  return { enqueued };
}
