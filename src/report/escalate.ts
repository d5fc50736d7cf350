import type { Rules } from '../domain/rules.js';
import { card, md } from '../lark/cards.js';
import type { Db, Tx } from '../store/db.js';
import { unitById } from '../store/directory.js';
import { nearestMechanismGroup } from '../store/groups.js';
import type { Outgoing } from '../store/messages.js';
import { hostUnitNames, markEscalated, projectsByIds, type Project } from '../store/projects.js';
import { responsibleUnitOf } from '../store/responsibility.js';
import { loadRules } from '../store/rules.js';
import { t } from '../text.js';
import { formatAmount, dateLabel, stageLabel } from '../words.js';

/**
 * Whether a project is due for 提级报备: signed or landed (landed was signed first) at or above the threshold, and
 * not yet filed. 001 三.三: "建立重大项目提级报备机制，对新签约合同引资额5亿元以上的重大招商引资项目，实施提级管理";
 * 000 三(二) likewise. Whichever path got it there (the form, `推进`, a ledger import, a raised contract amount).
 */
export function escalationDue(project: Project, rules: Rules): boolean {
  return (
    (project.stage === 'signed' || project.stage === 'landed') &&
    project.escalatedOn === null &&
    !!project.contractAmountFen &&
    project.contractAmountFen >= rules.escalateSignedFen &&
    responsibleUnitOf(project) !== null
  );
}

/**
 * 提级报备 for each of `projectIds` that has just become due (escalationDue): marks it as under escalated
 * management (提级管理, with the day and the unit it was filed to) and returns the notices — to the mechanism
 * group one level above the first-talk unit (its parent's group, else the grandparent's…), and to the host's
 * group when the host is another unit with another group. Called in the transaction that changed the projects,
 * after the change, so mark and notices commit with it; the mark makes it once per project whatever the path.
 */
export async function escalateIfDue(q: Db | Tx, projectIds: readonly number[], today: string): Promise<Outgoing[]> {
  if (projectIds.length === 0) return [];
  const rules = await loadRules(q);
  const due = (await projectsByIds(q, projectIds)).filter((p) => escalationDue(p, rules));
  if (due.length === 0) return [];
  const unitIds = due.map((p) => responsibleUnitOf(p)!);
  const above = await nearestMechanismGroup(q, unitIds, { includeSelf: false });
  const hosts = await nearestMechanismGroup(
    q,
    due.map((p) => p.hostUnitId).filter((x): x is number => x !== null),
    { includeSelf: true },
  );
  const names = await hostUnitNames(q, [...due, ...due.map((p) => ({ hostUnitId: responsibleUnitOf(p) }))]);
  const out: Outgoing[] = [];
  for (const p of due) {
    const unitId = responsibleUnitOf(p)!;
    const group = above.get(unitId);
    // The level filed to: the group's unit, else (no group above is bound yet) the parent unit.
    const level = group?.unitId ?? (await unitById(q, unitId))?.parentId ?? null;
    if (!(await markEscalated(q, p.id, today, level))) continue;
    const c = card({
      title: t('report.escalate_title', { name: p.name }),
      template: 'orange',
      elements: [
        md(
          t('report.escalate_body', {
            name: p.name,
            code: p.code,
            host: names.get(p.hostUnitId ?? -1) ?? '',
            first_talk: names.get(unitId) ?? '',
            stage: stageLabel(p.stage),
            investor: p.investor ?? '',
            amount: formatAmount(p.contractAmountFen!),
            threshold: formatAmount(rules.escalateSignedFen),
            signed_on: p.signedOn ? dateLabel(p.signedOn) : '',
          }),
        ),
      ],
    });
    const content = { msgType: 'interactive', card: c } as const;
    if (group) out.push({ to: 'chat', chatId: group.chatId, content, key: `escalate:signed:${p.id}` });
    const hostGroup = p.hostUnitId !== null && p.hostUnitId !== unitId ? hosts.get(p.hostUnitId) : undefined;
    if (hostGroup && hostGroup.chatId !== group?.chatId) {
      out.push({ to: 'chat', chatId: hostGroup.chatId, content, key: `escalate:host:${p.id}` });
    }
  }
  return out;
}
