/*
 * Problems (困难问题) solved within a time limit, the parties that must act on them (a unit, or an organisation
 * outside government), the service team (包保专班) and the evaluation before signing. Pure: codes and values,
 * never words; the services load the rows and ask.
 *
 * 001 三.六 优化落地服务: "推行重大项目部门专员服务，针对每项审批手续所涉职能部门，落实专人负责、全程领办协办、限时推进的工作
 * 机制，形成跨部门协同办理的闭环服务体系。" Each problem has a due date (by category, from the rules settings,
 * editable when raised); one not solved by then is escalated one level: to the mechanism of the government above
 * the unit that must act (for an external organisation, the mechanism of the government it belongs to).
 *
 * 001 三.四 开展项目评价: "按照“事前综合评估、事中科学决策、事后及时跟踪”的原则，组织召开项目评审会议，对引入项目以及项目
 * 主体进行论证评估、科学决策，推进符合产业发展需求的项目尽早签约落地。" A project is evaluated (date, conclusion, note)
 * before it is signed: a move to 签约 without an evaluation is answered with what is missing (a rule, on by default).
 */
import { addDays, type CalendarDate } from './calendar.js';
import type { ProblemCategory } from './reporting.js';
import type { Rules } from './rules.js';
import { governmentOf, inSubtree, type Remit, type UnitNode } from './remit.js';
import type { Actor } from './actor.js';

/** Kinds of an external organisation (外部单位): power, water, gas companies, banks, state-owned firms, other. */
export const EXTERNAL_ORG_KINDS = ['power', 'water', 'gas', 'bank', 'soe', 'other'] as const;
export type ExternalOrgKind = (typeof EXTERNAL_ORG_KINDS)[number];

export function isExternalOrgKind(v: unknown): v is ExternalOrgKind {
  return typeof v === 'string' && (EXTERNAL_ORG_KINDS as readonly string[]).includes(v);
}

/** The default due date of a problem raised on `raisedOn`: the category's days from the rules (else 30). */
export function problemDueOn(category: ProblemCategory, raisedOn: CalendarDate, rules: Pick<Rules, 'problemDueDays'>): CalendarDate {
  return addDays(raisedOn, rules.problemDueDays[category] ?? rules.problemDueDays.other ?? 30);
}

/** The escalation levels (001 三.六 escalates one level: the government above the party that must act). */
export const PROBLEM_ESCALATION_LEVELS = 1;

/**
 * The escalation level an open problem is owed on `today` (0: none). Past its due date, one level; a level
 * already done is not owed again (idempotent per problem and level).
 */
export function problemEscalationDue(
  p: { open: boolean; dueOn: CalendarDate | null; escalatedLevel: number },
  today: CalendarDate,
): number {
  if (!p.open || !p.dueOn || today <= p.dueOn) return 0;
  return p.escalatedLevel < PROBLEM_ESCALATION_LEVELS ? p.escalatedLevel + 1 : 0;
}

/** A due date typed when raising a problem: not before the day it is raised, not more than a year ahead. */
export function problemDueInRange(due: CalendarDate, raisedOn: CalendarDate): 'ok' | 'past' | 'too_far' {
  if (due < raisedOn) return 'past';
  if (due > addDays(raisedOn, 366)) return 'too_far';
  return 'ok';
}

/**
 * An external organisation may be named on a project's problem when it belongs to the project's government or
 * a government up its line (the same rule as a unit, `unitMayAct`): never a sibling county's or another city's,
 * so two cities' 市供电公司 do not cross.
 */
export function orgMayAct(
  orgGovernment: UnitNode | undefined,
  projectUnit: UnitNode | undefined,
  unitsById: ReadonlyMap<number, UnitNode>,
): boolean {
  const gov = projectUnit && governmentOf(projectUnit, unitsById);
  if (!gov || !orgGovernment) return false;
  return inSubtree(gov.path, orgGovernment.path);
}

/**
 * Who may close a problem with what was done: someone of the unit that must act, or whoever may change the
 * project (its owner side and the first-talk unit's side, 001 三.二 "谁对接、谁牵头").
 */
export function mayCloseProblem(
  actor: Actor & { unitId: number | null },
  problem: { mustActUnitId: number | null },
  projectAccess: 'change' | 'comment' | 'none',
): boolean {
  if (actor.active === false) return false;
  if (projectAccess === 'change') return true;
  return problem.mustActUnitId !== null && actor.unitId === problem.mustActUnitId;
}

/**
 * Who may set a project's service team lead (包保专班负责人): a lead (unit_lead, dept_lead) of the project's
 * first-talk unit (000 三(一): 对推进缓慢的项目…成立包保服务专班; 001 三.二: the first-talk unit leads the project).
 * The person named must belong to the first-talk unit's government.
 */
export function maySetTeamLead(actor: Actor & { unitId: number | null }, project: { firstTalkUnitId: number | null }): boolean {
  if (actor.active === false || actor.unitId === null || project.firstTalkUnitId === null) return false;
  return actor.unitId === project.firstTalkUnitId && actor.roles.some((r) => r === 'unit_lead' || r === 'dept_lead');
}

/** Whether a person (by unit path) may lead a project's service team: inside the first-talk unit's government. */
export function teamLeadInPlace(
  personUnit: UnitNode | undefined,
  firstTalkUnit: UnitNode | undefined,
  unitsById: ReadonlyMap<number, UnitNode>,
): boolean {
  const gov = firstTalkUnit && governmentOf(firstTalkUnit, unitsById);
  return !!gov && !!personUnit && inSubtree(personUnit.path, gov.path);
}

/** A move to 签约 needs an evaluation first (001 三.四) when the rule is on and none is recorded. */
export function evaluationMissing(to: string, rules: Pick<Rules, 'evaluationBeforeSigning'>, evaluations: number): boolean {
  return to === 'signed' && rules.evaluationBeforeSigning && evaluations === 0;
}

/** The open problems an actor's unit must act on are those addressed to their unit or to a unit in their remit. */
export function problemForActor(remit: Remit, ownUnitId: number | null, mustActUnit: { id: number; path: string } | null): boolean {
  if (!mustActUnit) return false;
  if (ownUnitId !== null && mustActUnit.id === ownUnitId) return true;
  return remit.subtrees.some((s) => inSubtree(mustActUnit.path, s));
}
