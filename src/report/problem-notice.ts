import type { Tx } from '../store/db.js';
import type { Outgoing } from '../store/messages.js';
import { activePerson, problemsOfReport } from '../store/problems.js';
import type { Project } from '../store/projects.js';
import { categoryLabel } from '../status/sections.js';
import { t } from '../text.js';
import { dateLabel } from '../words.js';

/**
 * The project's new problem, to its service team lead (包保专班负责人): what, who must act (a unit, or an external
 * organisation with its contact) and by when (001 三.六 限时推进). Keyed by the report's revision, so an edit that
 * raises it again is told again and a redelivery is not.
 */
export async function newProblemNotice(tx: Tx, project: Project, reportId: number, revision: number): Promise<Outgoing[]> {
  if (!project.teamLeadId) return [];
  const lead = await activePerson(tx, project.teamLeadId);
  if (!lead?.openId) return [];
  return (await problemsOfReport(tx, reportId)).map((p) => ({
    to: 'user' as const,
    openId: lead.openId!,
    content: {
      msgType: 'text' as const,
      text: t('problems.new_team_lead', {
        project: project.name,
        code: project.code,
        category: categoryLabel(p.category),
        text: p.description,
        party:
          p.mustActUnitName ??
          (p.orgName ? t('problems.party_org', { name: p.orgName, contact: p.orgContact ?? t('common.none') }) : t('problems.party_none')),
        due: p.dueOn ? dateLabel(p.dueOn) : t('common.none'),
      }),
    },
    key: `problem:${p.id}:new:${lead.id}:r${revision}`,
  }));
}
