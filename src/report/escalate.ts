import type { Rules } from '../domain/rules.js';
import { card, md } from '../lark/cards.js';
import type { Db, Tx } from '../store/db.js';
import { nearestMechanismGroup } from '../store/groups.js';
import type { Outgoing } from '../store/messages.js';
import { hostUnitNames, type Project } from '../store/projects.js';
import { loadRules } from '../store/rules.js';
import { t } from '../text.js';
import { formatAmount, dateLabel } from '../words.js';

/** Whether a project just moved to 签约 is big enough to be reported one level up (001 三.三: 5亿元以上提级报备). */
export function escalationDue(project: Project, rules: Rules): boolean {
  return (
    project.stage === 'signed' &&
    !!project.contractAmountFen &&
    project.contractAmountFen >= rules.escalateSignedFen &&
    project.hostUnitId !== null
  );
}

/**
 * The announcement of a big signing (提级报备) to the mechanism group one level above the host unit — the
 * parent's group, else the grandparent's… — or nothing when the signing is under the threshold or no group
 * above is bound. Called with the transaction that moved the project to 签约, so the announcement commits with
 * the move; the key makes it once per project however often the move is replayed.
 */
export async function escalation(q: Db | Tx, project: Project): Promise<Outgoing[]> {
  // Only a signing reads the rules: most moves are not one.
  if (project.stage !== 'signed') return [];
  const rules = await loadRules(q);
  if (!escalationDue(project, rules)) return [];
  const hostUnitId = project.hostUnitId!;
  const group = (await nearestMechanismGroup(q, [hostUnitId], { includeSelf: false })).get(hostUnitId);
  if (!group) return [];
  const hostName = (await hostUnitNames(q, [project])).get(hostUnitId) ?? '';
  const c = card({
    title: t('report.escalate_title', { name: project.name }),
    template: 'orange',
    elements: [
      md(
        t('report.escalate_body', {
          name: project.name,
          code: project.code,
          host: hostName,
          investor: project.investor ?? '',
          amount: formatAmount(project.contractAmountFen!),
          threshold: formatAmount(rules.escalateSignedFen),
          signed_on: project.signedOn ? dateLabel(project.signedOn) : '',
        }),
      ),
    ],
  });
  return [{ to: 'chat', chatId: group.chatId, content: { msgType: 'interactive', card: c }, key: `escalate:signed:${project.id}` }];
}
