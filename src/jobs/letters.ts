import { card, md, note } from '../lark/cards.js';
import { t } from '../text.js';
import { onWorkdays, peopleById, reachable, unitsByIds } from './common.js';
import { responsibilityFor } from '../store/responsibility.js';
import type { Job } from './types.js';
import { dateLabel } from '../words.js';
import { sendToUser } from '../store/messages.js';
import { issueLetter, projectsPastAgreedStart } from '../store/letters.js';

/**
 * 履约提醒函: a signed project past its agreed start date and not started gets one letter (unique per project
 * and reason), drafted from prompts/, sent to the owner and the first-talk unit's leads, and tracked open until closed.
 */
export const letters: Job = {
  name: 'letters',
  description: t('jobs.description.letters'),
  cron: '0 10 * * *',
  due: onWorkdays('day'),
  async run(deps, at) {
    const today = deps.calendar.today(at);
    const due = await projectsPastAgreedStart(deps.db, today);
    if (due.length === 0) return { sent: 0 };
    const byId = await peopleById(deps.db);
    const resp = await responsibilityFor(deps.db, due);
    const units = await unitsByIds(deps.db, [...new Set(due.map((p) => p.hostUnitId).filter((x): x is number => !!x))]);
    let sent = 0;
    let issued = 0;
    await deps.db.transaction(async (tx) => {
      for (const p of due) {
        const host = units.get(p.hostUnitId ?? -1)?.name ?? '';
        const body = t('jobs.letter_body', {
          investor: p.investor ?? '',
          project: p.name,
          code: p.code,
          signed_on: p.signedOn ? dateLabel(p.signedOn) : '',
          due: dateLabel(p.startPlannedOn!),
          today: dateLabel(today),
          host,
        });
        const letter = await issueLetter(tx, { projectId: p.id, reason: 'start_overdue', body, issuedOn: today });
        if (!letter) continue; // already issued: tracked until closed, not re-sent
        issued++;
        const c = card({
          title: t('jobs.letter_title', { project: p.name }),
          template: 'carmine',
          elements: [md(body), note(t('jobs.letter_notice', { project: p.name }))],
        });
        // To the owner and the responsible (first-talk) unit's leads (001 三.二, 三.四).
        const recipients = [byId.get(p.ownerId ?? -1), ...(resp.get(p.id)?.leads ?? [])];
        for (const r of recipients) {
          const to = reachable(r, today, byId);
          if (!to) continue;
          if (await sendToUser(tx, to.openId!, { msgType: 'interactive', card: c }, `letter:${letter.id}:${r!.id}`)) sent++;
        }
      }
    });
    return { sent, detail: { issued } };
  },
};
