// Who is responsible for a project: one answer for every reader (the overdue and ageing jobs, the 督办 cards, the
// status card's lateness counts and the summaries), so they cannot disagree.
//
// 001 三.二 推行首谈负责: "按照“谁对接、谁牵头”的原则，各市直“首谈”部门全程牵头参与洽谈、签约、落地各环节，会同项目所在地，
// 做好招商项目推动和服务工作。“首谈”单位每月20日向市商务局报备项目进展情况。" The first-talk unit (首谈单位) answers for
// the report on the 20th and for the project from first talk to landing; the host unit (承载地) sees the project
// in its roll-ups (its subtree's scope) but is not the one warned. A project without a first-talk unit falls back
// to its host.

import { inArray, sql } from 'drizzle-orm';
import { people, projects, units } from '../../db/schema.js';
import type { Db, Tx } from './db.js';
import type { Person } from './directory.js';
import { nearestMechanismGroup, type MechanismGroup } from './groups.js';

type Q = Db | Tx;

/** The responsible unit as SQL over `projects` (first-talk, else host), for the set-based status queries. */
export const responsibleUnitSql = sql<number | null>`coalesce(${projects.firstTalkUnitId}, ${projects.hostUnitId})`;

/** The responsible unit of one project row (first-talk, else host): the same rule as `responsibleUnitSql`. */
export function responsibleUnitOf(p: { firstTalkUnitId: number | null; hostUnitId: number | null }): number | null {
  return p.firstTalkUnitId ?? p.hostUnitId;
}

export interface Responsibility {
  /** The first-talk unit (else the host). */
  unitId: number | null;
  unitName: string;
  /** The responsible unit's active leads (unit_lead, dept_lead): late and stall escalations go to them. */
  leads: Person[];
  /** The mechanism group nearest up the responsible unit's path (the unit's own, else its parent's…). */
  group: MechanismGroup | null;
  /** The host unit, and its nearest group when that is another group than `group` (it is told too). */
  hostUnitId: number | null;
  hostGroup: MechanismGroup | null;
}

type Placed = { id: number; firstTalkUnitId: number | null; hostUnitId: number | null };

/**
 * Who is responsible for each project: the responsible unit, its leads and its mechanism group (with the host's
 * group when it differs). Three queries whatever the number of projects: units, leads, the groups' walk.
 */
export async function responsibilityFor(q: Q, ps: readonly Placed[]): Promise<Map<number, Responsibility>> {
  const result = new Map<number, Responsibility>();
  if (ps.length === 0) return result;
  const unitIds = [...new Set(ps.flatMap((p) => [responsibleUnitOf(p), p.hostUnitId]).filter((x): x is number => x !== null))];
  const [unitRows, leadRows, groups] = await Promise.all([
    unitIds.length ? q.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, unitIds)) : [],
    unitIds.length ? q.select().from(people).where(inArray(people.unitId, unitIds)) : [],
    nearestMechanismGroup(q, unitIds, { includeSelf: true }),
  ]);
  const names = new Map(unitRows.map((u) => [u.id, u.name]));
  const leads = new Map<number, Person[]>();
  for (const p of leadRows) {
    if (!p.active || p.unitId === null) continue;
    if (!p.roles.includes('unit_lead') && !p.roles.includes('dept_lead')) continue;
    leads.set(p.unitId, [...(leads.get(p.unitId) ?? []), p]);
  }
  for (const leadsOf of leads.values()) leadsOf.sort((a, b) => a.id - b.id);
  for (const p of ps) {
    const unitId = responsibleUnitOf(p);
    const group = unitId !== null ? (groups.get(unitId) ?? null) : null;
    const hostGroup = p.hostUnitId !== null ? (groups.get(p.hostUnitId) ?? null) : null;
    result.set(p.id, {
      unitId,
      unitName: unitId !== null ? (names.get(unitId) ?? '') : '',
      leads: unitId !== null ? (leads.get(unitId) ?? []) : [],
      group,
      hostUnitId: p.hostUnitId,
      hostGroup: hostGroup && hostGroup.chatId !== group?.chatId ? hostGroup : null,
    });
  }
  return result;
}
