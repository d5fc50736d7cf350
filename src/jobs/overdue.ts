import { previousPeriod } from '../domain/calendar.js';
import { card, md, mention } from '../lark/cards.js';
import { loadRules } from '../store/rules.js';
import { projectsMissingReport, type Project } from '../store/projects.js';
import { t } from '../text.js';
import { groupBy, leadsByUnit, mechanismGroupsFor, peopleById, reachable, unitsByIds } from './common.js';
import type { Job } from './types.js';
import { dateLabel, periodLabel } from '../words.js';
import { type Deps } from '../context.js';
import { sendToChat, sendToUser } from '../store/messages.js';

/** The period whose deadline passed most recently as of `today`, and the days its warnings go out. */
function overduePeriod(deps: Deps, at: Date, escalateAfter: number) {
  const cal = deps.calendar;
  const today = cal.today(at);
  let period = cal.periodOf(at);
  if (today <= cal.deadline(period)) period = previousPeriod(period);
  const deadline = cal.deadline(period);
  const ownerDay = cal.nextWorkday(deadline);
  const escalateDay = cal.addWorkdays(ownerDay, escalateAfter);
  return { today, period, deadline, ownerDay, escalateDay };
}

/**
 * After the deadline: the owner is warned the next workday; N workdays later (default 3) the unit's leads get
 * their unit's late list and the mechanism groups the late list by unit (督办). Every message has a key per
 * period and recipient, so each warning goes out once however often the job runs.
 */
export const overdue: Job = {
  name: 'overdue',
  description: t('jobs.description.overdue'),
  cron: '30 9 * * *',
  async due(deps, at) {
    const rules = await loadRules(deps.db);
    const o = overduePeriod(deps, at, rules.overdueEscalateAfterWorkdays);
    if (!deps.calendar.isWorkday(o.today) || o.today < o.ownerDay) return null;
    return o.today >= o.escalateDay ? `${o.period}:escalate` : `${o.period}:owner`;
  },
  async run(deps, at, key) {
    const rules = await loadRules(deps.db);
    const o = overduePeriod(deps, at, rules.overdueEscalateAfterWorkdays);
    const period = key.split(':')[0]!;
    const escalate = key.endsWith(':escalate');
    // A project created after the deadline day (in the bot's zone, not a fixed +08:00) was never due this period.
    const late = (await projectsMissingReport(deps.db, period)).filter((p) => deps.calendar.today(p.createdAt) <= o.deadline);
    const byId = await peopleById(deps.db);
    const units = await unitsByIds(deps.db, [...new Set(late.map((p) => p.hostUnitId).filter((x): x is number => !!x))]);
    const ownerName = (p: Project) => byId.get(p.ownerId ?? -1)?.name ?? '';
    const line = (p: Project) => t('jobs.overdue_line', { name: p.name, code: p.code, owner: ownerName(p) });
    // In the mechanism group (督办) the responsible owners are mentioned, so their phones ring; someone without a
    // Lark account is named in plain text.
    const groupLine = (p: Project) => {
      const owner = byId.get(p.ownerId ?? -1);
      return t('jobs.overdue_line', { name: p.name, code: p.code, owner: owner ? mention(owner) : '' });
    };
    const vars = { period: periodLabel(period), deadline: dateLabel(o.deadline) };
    let sent = 0;

    await deps.db.transaction(async (tx) => {
      for (const [ownerId, projects] of groupBy(late, (p) => p.ownerId)) {
        const to = reachable(byId.get(ownerId ?? -1), o.today, byId);
        if (!to) continue;
        const c = card({
          title: t('jobs.overdue_owner_title', { period: vars.period }),
          template: 'red',
          elements: [
            md(t('jobs.overdue_owner_body', { name: to.name, count: projects.length, ...vars })),
            md(projects.map(line).join('\n')),
          ],
        });
        if (await sendToUser(tx, to.openId!, { msgType: 'interactive', card: c }, `overdue:${period}:owner:${ownerId}`)) sent++;
      }
      if (!escalate) return;

      const leads = leadsByUnit(byId);
      const byUnit = groupBy(late, (p) => p.hostUnitId ?? -1);
      for (const [unitId, projects] of byUnit) {
        const unit = units.get(unitId);
        if (!unit) continue;
        for (const lead of leads.get(unitId) ?? []) {
          const to = reachable(lead, o.today, byId);
          if (!to) continue;
          const c = card({
            title: t('jobs.overdue_lead_title', { unit: unit.name, period: vars.period }),
            template: 'red',
            elements: [
              md(t('jobs.overdue_lead_body', { name: to.name, count: projects.length, ...vars })),
              md(projects.map(line).join('\n')),
            ],
          });
          if (await sendToUser(tx, to.openId!, { msgType: 'interactive', card: c }, `overdue:${period}:lead:${unitId}:${lead.id}`)) sent++;
        }
      }
      const groups = await mechanismGroupsFor(tx, [...byUnit.keys()]);
      const byChat = groupBy(
        [...byUnit.keys()].filter((u) => groups.has(u)),
        (u) => groups.get(u)!.chatId,
      );
      for (const [chatId, unitIds] of byChat) {
        const count = unitIds.reduce((n, u) => n + byUnit.get(u)!.length, 0);
        const blocks = unitIds.map(
          (u) =>
            `${t('jobs.overdue_unit_heading', { unit: units.get(u)?.name ?? '', count: byUnit.get(u)!.length })}\n${byUnit.get(u)!.map(groupLine).join('\n')}`,
        );
        const c = card({
          title: t('jobs.overdue_group_title', { period: vars.period }),
          template: 'red',
          elements: [md(t('jobs.overdue_group_body', { today: dateLabel(o.today), count, ...vars })), md(blocks.join('\n\n'))],
        });
        if (await sendToChat(tx, chatId, { msgType: 'interactive', card: c }, `overdue:${period}:group:${chatId}`)) sent++;
      }
    });
    return { sent, detail: { late: late.length } };
  },
};
