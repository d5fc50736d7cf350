import { daysSinceProgress, isStalled } from '../domain/progress.js';
import type { StageId } from '../domain/stages.js';
import { card, md, note } from '../lark/cards.js';
import { loadRules } from '../store/rules.js';
import type { Project } from '../store/projects.js';
import { projectsInStages } from '../store/projects-by-stage.js';
import { t } from '../text.js';
import { groupBy, leadsByUnit, onWorkdays, peopleById, reachable, unitsByIds } from './common.js';
import type { Job } from './types.js';
import { dateLabel, stalledText } from '../words.js';
import { sendToUser } from '../store/messages.js';

/**
 * Ageing: a project in 洽谈 or 意向 (configurable) without substantive progress for 180 days is flagged to its
 * owner and the unit's leads, with the seeds' options. Once a month; "no change" reports never reset the clock.
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
    const units = await unitsByIds(deps.db, [...new Set(stalled.map((p) => p.hostUnitId).filter((x): x is number => !!x))]);
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
      const leads = leadsByUnit(byId);
      for (const [unitId, ps] of groupBy(stalled, (p) => p.hostUnitId ?? -1)) {
        const unit = units.get(unitId);
        if (!unit) continue;
        for (const lead of leads.get(unitId) ?? []) {
          const to = reachable(lead, today, byId);
          if (!to) continue;
          const c = card({
            title: t('jobs.ageing_lead_title', { unit: unit.name }),
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
    });
    return { sent, detail: { stalled: stalled.length } };
  },
};
