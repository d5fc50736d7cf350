/*
 * The host unit (承载地) is told when its land, approvals or services are the problem. 001 三.二: the first-talk unit
 * leads "会同项目所在地，做好招商项目推动和服务工作" — together with the place the project lands; 001 三.六 (限时推进):
 * problems are solved by the unit that must act. The first-talk unit answers for the report, but when the problem is
 * the host's to solve, the host must hear of it.
 */
import { inSubtree } from './remit.js';
import type { ProblemCategory } from './reporting.js';

/** Problems the host side provides for: land and plant (用地、厂房), energy (水电气等要素), approvals (审批). */
export const HOST_CATEGORIES: readonly ProblemCategory[] = ['land', 'plant', 'energy', 'approval'];

/**
 * Whether the host unit's lead must hear of a problem: the unit that must act lies on the host side (the host or a unit
 * under it), or — for a project hosted elsewhere than its first-talk unit — the problem is of a kind the host provides.
 */
export function hostShouldHear(p: {
  category: ProblemCategory;
  mustActPath: string | null;
  hostUnitId: number | null;
  hostPath: string | null;
  firstTalkUnitId: number | null;
}): boolean {
  if (p.hostUnitId === null || !p.hostPath) return false;
  if (p.mustActPath && inSubtree(p.mustActPath, p.hostPath)) return true;
  return p.firstTalkUnitId !== null && p.firstTalkUnitId !== p.hostUnitId && HOST_CATEGORIES.includes(p.category);
}
