import { previousPeriod } from '../domain/calendar.js';
import { card, md, mention } from '../lark/cards.js';
import { lateRow, PROJECTS_PER_CARD } from '../report/cards.js';
import { loadRules } from '../store/rules.js';
import { projectsMissingReport, type Project } from '../store/projects.js';
import { joinMarkup, t } from '../text.js';
import { groupBy, peopleById, reachable } from './common.js';
import { responsibilityFor } from '../store/responsibility.js';
import { boundGroups, loadDirectory } from '../status/scope.js';
import { lateProjects } from '../status/lists.js';
import { lateCutoff } from '../status/view.js';
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
 * After the deadline: the owner is warned the next workday; N workdays later (default 3) the leads of the
 * responsible unit — the first-talk unit (001 三.二: “首谈”单位每月20日向市商务局报备项目进展情况), else the host —
 * get their unit's late list, and each unit-bound mechanism group the late list of its scope by responsible
 * unit (督办), the same list its monthly summary shows. Every message has a key per
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
    // Who answers for each late project (001 三.二: the first-talk unit, its leads, its mechanism group): the
    // one answer the status card and the summaries give too.
    const resp = await responsibilityFor(deps.db, late);
    const lateById = new Map(late.map((p) => [p.id, p]));
    const ownerName = (p: Project) => byId.get(p.ownerId ?? -1)?.name ?? '';
    const line = (p: Project) =>
      ownerName(p)
        ? t('jobs.overdue_line', { name: p.name, code: p.code, owner: ownerName(p) })
        : t('jobs.overdue_line_no_owner', { name: p.name, code: p.code });
    // In the mechanism group (督办) the owners are listed by name and the responsible unit's leads are mentioned, so
    // that a few phones ring rather than one per late project (issue 17: sixteen mentions in one card).
    const leadsLine = (ps: Project[]): string[] => {
      const leads = resp.get(ps[0]!.id)?.leads ?? [];
      return leads.length === 0
        ? []
        : [t('jobs.overdue_unit_leads', { leads: joinMarkup(leads.map(mention), t('report.list_separator')) })];
    };
    const vars = { period: periodLabel(period), deadline: dateLabel(o.deadline) };
    // 督办 to each unit-bound mechanism group: the late list of the group's own scope, from the very query the
    // monthly summary to that group shows (status/lists lateProjects), so the two agree project for project.
    const groupLists: { chatId: string; projects: Project[] }[] = [];
    if (escalate) {
      const dir = await loadDirectory(deps.db);
      const bound = (await boundGroups(deps.db, dir, rules.centreListFen)).filter((b) => b.group.bindingKind === 'unit');
      const cutoff = lateCutoff(deps.calendar, period);
      for (const { group, scope } of bound) {
        const { list } = await lateProjects(deps.db, scope, { period, createdBefore: cutoff, limit: 10_000 });
        const ps = list.map((x) => lateById.get(x.id)).filter((p): p is Project => !!p);
        if (ps.length > 0) groupLists.push({ chatId: group.chatId, projects: ps });
      }
    }
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
            // Each with a 填报 button: last period's form, open until this period's deadline, recorded as late.
            ...projects.slice(0, PROJECTS_PER_CARD).map((p) => lateRow(p, period)),
            // The owner's own card does not tell them they are the owner (issue 17).
            ...(projects.length > PROJECTS_PER_CARD
              ? [
                  md(
                    projects
                      .slice(PROJECTS_PER_CARD)
                      .map((p) => t('jobs.overdue_line_own', { name: p.name, code: p.code }))
                      .join('\n'),
                  ),
                ]
              : []),
          ],
        });
        if (await sendToUser(tx, to.openId!, { msgType: 'interactive', card: c }, `overdue:${period}:owner:${ownerId}`)) sent++;
      }
      if (!escalate) return;

      // The responsible (first-talk) unit's leads get their unit's late list.
      const byUnit = groupBy(late, (p) => resp.get(p.id)?.unitId ?? -1);
      for (const [unitId, projects] of byUnit) {
        const r = resp.get(projects[0]!.id);
        if (!r || unitId === -1) continue;
        for (const lead of r.leads) {
          const to = reachable(lead, o.today, byId);
          if (!to) continue;
          const c = card({
            title: t('jobs.overdue_lead_title', { unit: r.unitName, period: vars.period }),
            template: 'red',
            elements: [
              md(t('jobs.overdue_lead_body', { name: to.name, count: projects.length, ...vars })),
              md(projects.map(line).join('\n')),
            ],
          });
          if (await sendToUser(tx, to.openId!, { msgType: 'interactive', card: c }, `overdue:${period}:lead:${unitId}:${lead.id}`)) sent++;
        }
      }
      for (const { chatId, projects } of groupLists) {
        // By responsible unit, in the order the summary lists them.
        const blocks = [...groupBy(projects, (p) => resp.get(p.id)?.unitName ?? '')].map(([unitName, ps]) =>
          [t('jobs.overdue_unit_heading', { unit: unitName, count: ps.length }), ...ps.map(line), ...leadsLine(ps)].join('\n'),
        );
        const c = card({
          title: t('jobs.overdue_group_title', { period: vars.period }),
          template: 'red',
          elements: [
            md(t('jobs.overdue_group_body', { today: dateLabel(o.today), count: projects.length, ...vars })),
            md(blocks.join('\n\n')),
          ],
        });
        if (await sendToChat(tx, chatId, { msgType: 'interactive', card: c }, `overdue:${period}:group:${chatId}`)) sent++;
      }
    });
    return { sent, detail: { late: late.length } };
  },
};
