import { daysSinceProgress, isStalled } from '../domain/progress.js';
import type { StageId } from '../domain/stages.js';
import { card, md, note } from '../lark/cards.js';
import { loadRules } from '../store/rules.js';
import type { Project } from '../store/projects.js';
import { projectsInStages } from '../store/projects-by-stage.js';
import { t } from '../text.js';
import { groupBy, onWorkdays, peopleById, reachable } from './common.js';
import { responsibilityFor } from '../store/responsibility.js';
import type { Job } from './types.js';
import { dateLabel, stalledText } from '../words.js';
import { sendToChat, sendToUser } from '../store/messages.js';

/**
 * Ageing: a project in 洽谈 or 意向 (configurable) without substantive progress for 180 days is flagged to its
 * owner, the responsible (first-talk) unit's leads and that unit's mechanism group (the host's group too when it
 * is another), with the seeds' options (000 三(一): 洽谈对接超过半年仍无实质性进展的…重新洽谈；对进展缓慢的…包保专班). Once a month; "no change" reports never reset the clock.
 */
export const ageing: Job = {
  name: 'ageing',
  description: t('jobs.description.ageing'),
  cron: '0 10 * * *',
  due: onWorkdays('period'),
  async run(deps, at, key) {
    const today = deps.calendar.today(at);
    const rules = await loadRules(deps.db);
    const stages = Object.keys(rules.stallDays) as StageId[];
    if (stages.length === 0) return { sent: 0 };
    const candidates = await projectsInStages(deps.db, stages);
    const last = (p: Project) => p.lastProgressOn ?? p.stageEnteredOn ?? p.createdAt.toISOString().slice(0, 10);
    const stalled = candidates.filter((p) => isStalled(p.stage, last(p), today, rules.stallDays));
    const byId = await peopleById(deps.db);
    // The responsible unit (001 三.二: the first-talk unit leads “全程牵头参与洽谈、签约、落地各环节”), its leads and
    // its mechanism group: the one answer of store/responsibility.ts.
    const resp = await responsibilityFor(deps.db, stalled);
    const line = (p: Project) =>
      t('jobs.ageing_line', {
        project: p.name,
        code: p.code,
        text: stalledText(p.stage, daysSinceProgress(last(p), today)),
        last: dateLabel(last(p)),
      });
    let sent = 0;
    await deps.db.transaction(async (tx) => {
      for (const [ownerId, ps] of groupBy(stalled, (p) => p.ownerId)) {
        const to = reachable(byId.get(ownerId ?? -1), today, byId);
        if (!to) continue;
        const c = card({
          title: t('jobs.ageing_owner_title'),
          template: 'orange',
          elements: [md(t('jobs.ageing_owner_body', { name: to.name })), md(ps.map(line).join('\n')), note(t('jobs.ageing_options'))],
        });
        if (await sendToUser(tx, to.openId!, { msgType: 'interactive', card: c }, `ageing:${key}:owner:${ownerId}`)) sent++;
      }
      for (const [unitId, ps] of groupBy(stalled, (p) => resp.get(p.id)?.unitId ?? -1)) {
        const r = resp.get(ps[0]!.id);
        if (!r || unitId === -1) continue;
        for (const lead of r.leads) {
          const to = reachable(lead, today, byId);
          if (!to) continue;
          const c = card({
            title: t('jobs.ageing_lead_title', { unit: r.unitName }),
            template: 'orange',
            elements: [
              md(t('jobs.ageing_lead_body', { name: to.name, count: ps.length })),
              md(ps.map(line).join('\n')),
              note(t('jobs.ageing_options')),
            ],
          });
          if (await sendToUser(tx, to.openId!, { msgType: 'interactive', card: c }, `ageing:${key}:lead:${unitId}:${lead.id}`)) sent++;
        }
      }
      // The stall escalation to the responsible unit's mechanism group (and the host's, when another group).
      const toGroups = new Map<string, Project[]>();
      for (const p of stalled) {
        const r = resp.get(p.id);
        for (const g of [r?.group, r?.hostGroup]) if (g) toGroups.set(g.chatId, [...(toGroups.get(g.chatId) ?? []), p]);
      }
      for (const [chatId, ps] of toGroups) {
        const blocks = [...groupBy(ps, (p) => resp.get(p.id)?.unitName ?? '')].map(
          ([unit, xs]) => `${t('jobs.overdue_unit_heading', { unit, count: xs.length })}\n${xs.map(line).join('\n')}`,
        );
        const c = card({
          title: t('jobs.ageing_group_title'),
          template: 'orange',
          elements: [md(t('jobs.ageing_group_body', { count: ps.length })), md(blocks.join('\n\n')), note(t('jobs.ageing_options'))],
        });
        if (await sendToChat(tx, chatId, { msgType: 'interactive', card: c }, `ageing:${key}:group:${chatId}`)) sent++;
      }
    });
    return { sent, detail: { stalled: stalled.length } };
  },
};
