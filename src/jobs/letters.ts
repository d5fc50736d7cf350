import { ACTIONS } from '../actions.js';
import { card, form, hr, input, md, note, submitButton } from '../lark/cards.js';
import { t } from '../text.js';
import { onWorkdays, peopleById, reachable, unitsByIds } from './common.js';
import { responsibilityFor } from '../store/responsibility.js';
import type { Job } from './types.js';
import { dateLabel, formatAmount } from '../words.js';
import { sendToUser } from '../store/messages.js';
import { issueLetter, projectsPastAgreedStart, projectsShortOfAgreedInvestment, projectsShortOfAgreedResult } from '../store/letters.js';
import type { Db } from '../store/db.js';
import type { Project } from '../store/projects.js';

/**
 * An agreed term of the contract (001 三.四: 及时规范未按规定建设、未按约定达效的违约项目，及时发出履约提醒函): how to find the
 * projects that missed it on `today`, and the letter's body and notice. One letter per project and term.
 */
interface Term {
  reason: 'start_overdue' | 'investment_short' | 'output_short' | 'tax_short';
  missed(db: Db, today: string): Promise<(Project & { arrivedFen?: number })[]>;
  notice(p: Project): string;
  body(p: Project & { arrivedFen?: number }, host: string, today: string): string;
}

const common = (p: Project, host: string, today: string) => ({
  investor: p.investor ?? '',
  project: p.name,
  code: p.code,
  signed_on: p.signedOn ? dateLabel(p.signedOn) : '',
  today: dateLabel(today),
  host,
});

/** Agreed results (未按约定达效): yearly output or tax, as the contract states them, by the agreed date. */
const resultTerm = (what: 'output' | 'tax'): Term => ({
  reason: what === 'output' ? 'output_short' : 'tax_short',
  missed: (db, today) => projectsShortOfAgreedResult(db, today, what),
  notice: (p) => t('jobs.letter_notice_results', { project: p.name, what: t(`jobs.letter_what.${what}`) }),
  body: (p, host, today) => {
    const reported = what === 'output' ? p.reportedOutputFen : p.reportedTaxFen;
    return t('jobs.letter_body_results', {
      ...common(p, host, today),
      what: t(`jobs.letter_what.${what}`),
      due: dateLabel(p.agreedResultsBy!),
      agreed: formatAmount((what === 'output' ? p.agreedOutputFen : p.agreedTaxFen)!),
      reported: reported === null ? t('jobs.letter_not_reported') : formatAmount(reported),
    });
  },
});

/** The terms, in the order their letters go out. */
const TERMS: readonly Term[] = [
  // Not started by the agreed start date (未按约定开工).
  {
    reason: 'start_overdue',
    missed: projectsPastAgreedStart,
    notice: (p) => t('jobs.letter_notice', { project: p.name }),
    body: (p, host, today) => t('jobs.letter_body', { ...common(p, host, today), due: dateLabel(p.startPlannedOn!) }),
  },
  // Less verified money arrived by the agreed date than agreed.
  {
    reason: 'investment_short',
    missed: projectsShortOfAgreedInvestment,
    notice: (p) => t('jobs.letter_notice_investment', { project: p.name }),
    body: (p, host, today) =>
      t('jobs.letter_body_investment', {
        ...common(p, host, today),
        due: dateLabel(p.agreedInvestmentBy!),
        agreed: formatAmount(p.agreedInvestmentFen!),
        arrived: formatAmount(p.arrivedFen ?? 0),
      }),
  },
  resultTerm('output'),
  resultTerm('tax'),
];

/**
 * 履约提醒函 (001 三.四): one letter per missed agreed term (TERMS) — unique per project and term, drafted from
 * prompts/, sent to the owner and the first-talk unit's leads with a form for the owner's answer, and tracked open
 * until the first-talk unit's lead closes it.
 */
export const letters: Job = {
  name: 'letters',
  description: t('jobs.description.letters'),
  cron: '0 10 * * *',
  due: onWorkdays('day'),
  async run(deps, at) {
    const today = deps.calendar.today(at);
    const found = await Promise.all(TERMS.map((term) => term.missed(deps.db, today)));
    const due = TERMS.flatMap((term, i) => found[i]!.map((p) => ({ p, term })));
    if (due.length === 0) return { sent: 0 };
    const byId = await peopleById(deps.db);
    const resp = await responsibilityFor(
      deps.db,
      due.map((d) => d.p),
    );
    const units = await unitsByIds(deps.db, [...new Set(due.map((d) => d.p.hostUnitId).filter((x): x is number => !!x))]);
    let sent = 0;
    let issued = 0;
    await deps.db.transaction(async (tx) => {
      for (const { p, term } of due) {
        const body = term.body(p, units.get(p.hostUnitId ?? -1)?.name ?? '', today);
        const letter = await issueLetter(tx, { projectId: p.id, reason: term.reason, body, issuedOn: today });
        if (!letter) continue; // already issued: tracked until closed, not re-sent
        issued++;
        const c = card({
          title: t('jobs.letter_title', { project: p.name }),
          template: 'carmine',
          // What the owner is to do first (deliver it, follow it up), then the letter itself (issue 17).
          elements: [
            md(term.notice(p)),
            hr(),
            md(body),
            hr(),
            // The owner's answer (what was done), for the first-talk unit's lead to check and close.
            form(`letter_${letter.id}`, [
              input({ name: 'answer', label: t('jobs.letter_card_answer_field'), multiline: true, maxLength: 500 }),
              submitButton(t('jobs.letter_card_answer_submit'), { a: ACTIONS.letterAnswer, l: letter.id }),
            ]),
            note(t('jobs.letter_answer_hint', { code: p.code })),
          ],
        });
        // To the owner and the responsible (first-talk) unit's leads (001 三.二, 三.四).
        const recipients = [byId.get(p.ownerId ?? -1), ...(resp.get(p.id)?.leads ?? [])];
        const seen = new Set<string>();
        for (const r of recipients) {
          const to = reachable(r, today, byId);
          if (!to || seen.has(to.openId!)) continue;
          seen.add(to.openId!);
          if (await sendToUser(tx, to.openId!, { msgType: 'interactive', card: c }, `letter:${letter.id}:${r!.id}`)) sent++;
        }
      }
    });
    return { sent, detail: { issued } };
  },
};
