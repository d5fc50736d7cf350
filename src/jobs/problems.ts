import { card, md, note } from '../lark/cards.js';
import { t } from '../text.js';
import { onWorkdays, peopleById, reachable } from './common.js';
import type { Job } from './types.js';
import { dateLabel } from '../words.js';
import { sendToChat, sendToUser } from '../store/messages.js';
import { allUnits, type Person } from '../store/directory.js';
import { nearestMechanismGroup } from '../store/groups.js';
import { markEscalated, problemsOverdue, type ProblemRow } from '../store/problems.js';
import { responsibleUnitOf } from '../store/responsibility.js';
import { governmentOf, type UnitNode } from '../domain/permissions.js';
import { daysBetween } from '../domain/calendar.js';
import { PROBLEM_ESCALATION_LEVELS, problemEscalationDue } from '../domain/problems.js';
import { categoryLabel } from '../status/sections.js';
import { partyText } from '../admin/problems.js';

/**
 * 限时推进 (001 三.六: "落实专人负责、全程领办协办、限时推进的工作机制"): an open problem past its due date is
 * escalated one level — to the mechanism group and the leads of the government above the unit that must act (a
 * county's → the city's; a city bureau's → the city's own mechanism), or, for an external organisation, of the
 * government it belongs to (its contact is told too, when they have a Lark id); a problem naming no party goes
 * above the project's responsible (first-talk) unit. The service team lead (包保专班) and the owner hear of it.
 * Once per problem and level: the problem row carries the level reached (a guarded update), and each message's
 * key names the problem and the level, so a second run, on the same day or a later one, sends nothing again.
 */
export const problemsJob: Job = {
  name: 'problems',
  description: t('jobs.description.problems'),
  cron: '0 10 * * *',
  due: onWorkdays('day'),
  async run(deps, at) {
    const today = deps.calendar.today(at);
    const level = PROBLEM_ESCALATION_LEVELS;
    const overdue = (await problemsOverdue(deps.db, today, level)).filter((p) => problemEscalationDue(p, today) > 0);
    if (overdue.length === 0) return { sent: 0 };
    const units = await allUnits(deps.db);
    const nodes = new Map<number, UnitNode>(units.map((u) => [u.id, { id: u.id, kind: u.kind, path: u.path }]));
    const byUnit = new Map(units.map((u) => [u.id, u]));
    const byId = await peopleById(deps.db);
    // The government one level above the party that must act (for an organisation: its own government).
    const above = (p: ProblemRow): number | null => {
      if (p.mustActOrgId !== null) return p.orgGovernmentId;
      const unitId = p.mustActUnitId ?? responsibleUnitOf(p);
      const unit = unitId !== null ? byUnit.get(unitId) : undefined;
      const node = unit ? nodes.get(unit.id) : undefined;
      if (!unit || !node) return null;
      const own = governmentOf(node, nodes);
      // A department stands for its government: its escalation goes to that government's mechanism.
      if (own && own.id !== unit.id) return own.id;
      const parent = unit.parentId !== null ? nodes.get(unit.parentId) : undefined;
      return (parent && governmentOf(parent, nodes)?.id) ?? null;
    };
    const targets = new Map(overdue.map((p) => [p.id, above(p)]));
    const groups = await nearestMechanismGroup(deps.db, [...new Set([...targets.values()].filter((x): x is number => x !== null))], {
      includeSelf: true,
    });
    const leadsOf = (unitId: number): Person[] =>
      [...byId.values()].filter(
        (x) => x.active && x.unitId === unitId && x.roles.some((r) => r === 'unit_lead' || r === 'convenor' || r === 'chief_convenor'),
      );
    let sent = 0;
    let escalated = 0;
    for (const p of overdue) {
      await deps.db.transaction(async (tx) => {
        if (!(await markEscalated(tx, p.id, level, today))) return; // done before: once per problem and level
        escalated++;
        const gov = targets.get(p.id) ?? null;
        const c = card({
          title: t('problems.escalation_title', { project: p.project }),
          template: 'red',
          elements: [
            md(
              t('problems.escalation_body', {
                project: p.project,
                code: p.code,
                category: categoryLabel(p.category),
                text: p.description,
                party: partyText(p),
                raised: dateLabel(p.raisedOn),
                due: p.dueOn ? dateLabel(p.dueOn) : '',
                // how late, in days, rather than today's date to subtract from the due date
                days: p.dueOn ? daysBetween(p.dueOn, today) : 0,
                level: gov !== null ? (byUnit.get(gov)?.name ?? '') : '',
              }),
            ),
            note(t('problems.escalation_note', { id: p.id })),
          ],
        });
        const key = (who: string) => `problem:${p.id}:escalate:${level}:${who}`;
        const group = gov !== null ? groups.get(gov) : undefined;
        if (group && (await sendToChat(tx, group.chatId, { msgType: 'interactive', card: c }, key(group.chatId)))) sent++;
        const people = [...(gov !== null ? leadsOf(gov) : []), byId.get(p.teamLeadId ?? -1), byId.get(p.ownerId ?? -1)];
        const seen = new Set<string>();
        for (const r of people) {
          const to = reachable(r, today, byId);
          if (!to || seen.has(to.openId!)) continue;
          seen.add(to.openId!);
          if (await sendToUser(tx, to.openId!, { msgType: 'interactive', card: c }, key(String(r!.id)))) sent++;
        }
        // The external organisation's contact, when they have a Lark id.
        if (p.orgContactOpenId && !seen.has(p.orgContactOpenId)) {
          if (await sendToUser(tx, p.orgContactOpenId, { msgType: 'interactive', card: c }, key(`org:${p.mustActOrgId}`))) sent++;
        }
      });
    }
    return { sent, detail: { escalated } };
  },
};
