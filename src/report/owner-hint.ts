import { mayKnowOwner, type Remit } from '../domain/remit.js';
import type { Deps } from '../context.js';
import { personById, unitById, type Person } from '../store/directory.js';
import { findProjects, type Project } from '../store/projects.js';
import { projectPlaces } from '../store/remit.js';
import { scopeCondition } from '../store/status-scope.js';

/*
 * `填报 氢能` for a colleague's project (issue 17, item 5): the officer is told whose it is, not "没有找到". Only
 * projects the rules let the actor know of (domain/remit mayKnowOwner: readable, or first-talked by the actor's
 * own unit) are named; anything outside stays not found.
 */

export interface OwnedElsewhere {
  project: Project;
  ownerName: string;
}

export async function ownersOf(deps: Deps, actor: Person, needle: string, remit: Remit): Promise<OwnedElsewhere[]> {
  if (actor.unitId === null) return [];
  const unit = await unitById(deps.db, actor.unitId);
  if (!unit) return [];
  const found = await findProjects(deps.db, needle, { where: scopeCondition({ parts: [{ firstTalkPath: unit.path }] }), limit: 5 });
  const places = await projectPlaces(
    deps.db,
    found.map((p) => p.id),
  );
  const out: OwnedElsewhere[] = [];
  for (const p of found) {
    const place = places.get(p.id);
    if (!place || p.ownerId === null || p.ownerId === actor.id || !mayKnowOwner(remit, unit.path, place)) continue;
    const owner = await personById(deps.db, p.ownerId);
    if (owner) out.push({ project: p, ownerName: owner.name });
  }
  return out;
}
