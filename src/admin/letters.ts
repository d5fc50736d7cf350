import { card, md, note } from '../lark/cards.js';
import { audit } from '../store/audit.js';
import type { Person } from '../store/directory.js';
import { z } from 'zod';
import { answerLetter, answerLetterById, closeLetter, openLetters } from '../store/letters.js';
import type { Tx } from '../store/db.js';
import { markDone, type CardInbox } from '../store/dedupe.js';
import type { CardActionResponse } from '../lark/events.js';
import { loadRemit, remitFilter } from '../store/remit.js';
import { letterClosingUnit } from '../domain/permissions.js';
import { responsibilityFor } from '../store/responsibility.js';
import { enqueueAll, reply, type Outgoing } from '../store/messages.js';
import { t } from '../text.js';
import { dateLabel, letterReasonLabel } from '../words.js';
import type { Deps } from '../context.js';
import { say, type Answer, type Asked } from './answer.js';

/*
 * 履约提醒函 are issued by the `letters` job and tracked open → closed here: `/letter` lists the open ones a
 * person may handle; `/letter 答复 <项目> <落实情况>` (or the letter card's form) is the owner's answer;
 * `/letter 关闭 <项目> <落实情况>` closes one, with what was done, audited.
 * Who sees them: whoever may change the project (domain/permissions `mayChange`). Who closes: only a lead of the
 * project's first-talk unit (`letterClosingUnit`, 001 三.四 with 三.二), never its owner. The host side and other
 * governments see none of its letters.
 */

/** The letters a person may handle: those of the projects they may change, as a filter on projects. */
async function handled(deps: Deps, person: Person) {
  const { remit } = await loadRemit(deps.db, person, deps.calendar.today(deps.clock.now()));
  return remitFilter(remit, 'change');
}

const reasonText = letterReasonLabel;

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
    return enqueueAll(tx, [
      ...say(asked, t('jobs.letter_answered', { project: hit.project })),
      ...(await answered(tx, now, today, person, hit, answer)),
    ]);
  });
  if (enqueued === null) return say(asked, t('jobs.letter_not_found', { text: needle }));
  return { enqueued };
}

type Answered = { id: number; project: string; place: { id: number; firstTalkUnitId: number | null; hostUnitId: number | null } };

/** The answer's audit row, and the notes telling the first-talk unit's leads (who close the letter). */
async function answered(tx: Tx, now: Date, today: string, person: Person, hit: Answered, answer: string): Promise<Outgoing[]> {
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
  return told;
}

/** What a letter card's form carries, re-checked: the letter's id from the button, the answer typed. */
const AnswerValue = z.object({ l: z.coerce.number().int().positive() });
const AnswerForm = z.object({ answer: z.string().trim().min(1).max(500) });

/**
 * 提交答复 on a letter card (001 三.四): the owner (or a delegate standing in) answers with what was done. A letter of
 * someone else's project, a closed or answered one, or a forged id is "not found"; an empty answer keeps the card.
 * The answer, its notices and the callback's inbox record (`inbox`, with this answer) commit together (issue 14).
 */
export async function answerLetterByCard(
  deps: Deps,
  person: Person | undefined,
  rawValue: Record<string, unknown>,
  rawForm: Record<string, unknown>,
  inbox?: CardInbox,
): Promise<CardActionResponse & { enqueued?: number }> {
  const v = AnswerValue.safeParse(rawValue);
  if (!v.success || !person) return { toast: { type: 'error', content: t('jobs.letter_card_not_found') } };
  const f = AnswerForm.safeParse(rawForm);
  if (!f.success) return { toast: { type: 'error', content: t('jobs.letter_card_answer_required') } };
  const now = deps.clock.now();
  const today = deps.calendar.today(now);
  const { remit } = await loadRemit(deps.db, person, today);
  const out = await deps.db.transaction(async (tx) => {
    const hit = await answerLetterById(tx, v.data.l, [...remit.ownerIds], { on: today, answer: f.data.answer });
    if (!hit) return null;
    const enqueued = await enqueueAll(tx, await answered(tx, now, today, person, hit, f.data.answer));
    const answer: CardActionResponse = {
      toast: { type: 'success', content: t('jobs.letter_answered', { project: hit.project }) },
      card: {
        type: 'raw',
        data: card({
          title: t('jobs.letter_title', { project: hit.project }),
          template: 'green',
          elements: [md(t('jobs.letter_card_answered', { answer: f.data.answer, date: dateLabel(today) }))],
        }),
      },
    };
    if (inbox) await markDone(tx, inbox.key, answer);
    return { answer, enqueued };
  });
  if (!out) return { toast: { type: 'error', content: t('jobs.letter_card_not_found') } };
  if (inbox) inbox.sealed = true;
  return { ...out.answer, enqueued: out.enqueued };
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
          .join('\n\n'),
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
  // Only the first-talk unit's lead closes (001 三.四 with 三.二); the owner answers, never closes their own.
  const unitId = letterClosingUnit(person);
  if (unitId === null) return say(asked, t('jobs.letter_not_found', { text: needle }));
  const enqueued = await deps.db.transaction(async (tx) => {
    const hit = await closeLetter(tx, unitId, needle, { on: today, closure });
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
