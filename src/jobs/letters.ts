import { card, md, note } from '../lark/cards.js';
import { t } from '../text.js';
import { onWorkdays, peopleById, reachable, unitsByIds } from './common.js';
import { responsibilityFor } from '../store/responsibility.js';
import type { Job } from './types.js';
import { dateLabel, formatAmount } from '../words.js';
import { sendToUser } from '../store/messages.js';
import { issueLetter, projectsPastAgreedStart, projectsShortOfAgreedInvestment } from '../store/letters.js';
import type { Project } from '../store/projects.js';

/**
 * 履约提醒函 (001 三.四: 及时规范未按规定建设、未按约定达效的违约项目，及时发出履约提醒函，督促项目单位加快建设进度或调整
 * 投资计划): one letter per missed agreed term — not started by the agreed start date (`start_overdue`), less verified
 * money arrived by the agreed date than agreed (`investment_short`) — unique per project and term, drafted from
 * prompts/, sent to the owner and the first-talk unit's leads, and tracked open until closed.
 */
export const letters: Job = {
  name: 'letters',
  description: t('jobs.description.letters'),
  cron: '0 10 * * *',
  due: onWorkdays('day'),
  async run(deps, at) {
    const today = deps.calendar.today(at);
    const [late, short] = await Promise.all([projectsPastAgreedStart(deps.db, today), projectsShortOfAgreedInvestment(deps.db, today)]);
    const due: { p: Project; reason: 'start_overdue' | 'investment_short'; body: (host: string) => string; notice: string }[] = [
      ...late.map((p) => ({
        p,
        reason: 'start_overdue' as const,
        notice: t('jobs.letter_notice', { project: p.name }),
        body: (host: string) =>
          t('jobs.letter_body', {
            investor: p.investor ?? '',
            project: p.name,
            code: p.code,
            signed_on: p.signedOn ? dateLabel(p.signedOn) : '',
            due: dateLabel(p.startPlannedOn!),
            today: dateLabel(today),
            host,
          }),
      })),
      ...short.map((p) => ({
        p,
        reason: 'investment_short' as const,
        notice: t('jobs.letter_notice_investment', { project: p.name }),
        body: (host: string) =>
          t('jobs.letter_body_investment', {
            investor: p.investor ?? '',
            project: p.name,
            code: p.code,
            signed_on: p.signedOn ? dateLabel(p.signedOn) : '',
            due: dateLabel(p.agreedInvestmentBy!),
            agreed: formatAmount(p.agreedInvestmentFen!),
            arrived: formatAmount(p.arrivedFen, { nil: 'none' }),
            today: dateLabel(today),
            host,
          }),
      })),
    ];
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
      for (const d of due) {
        const body = d.body(units.get(d.p.hostUnitId ?? -1)?.name ?? '');
        const letter = await issueLetter(tx, { projectId: d.p.id, reason: d.reason, body, issuedOn: today });
        if (!letter) continue; // already issued: tracked until closed, not re-sent
        issued++;
        const c = card({
          title: t('jobs.letter_title', { project: d.p.name }),
          template: 'carmine',
          elements: [md(body), note(d.notice), note(t('jobs.letter_answer_hint', { code: d.p.code }))],
        });
        // To the owner and the responsible (first-talk) unit's leads (001 三.二, 三.四).
        const recipients = [byId.get(d.p.ownerId ?? -1), ...(resp.get(d.p.id)?.leads ?? [])];
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
