import { mayKnowOwner, type Remit } from '../domain/remit.js';
import type { Deps } from '../context.js';
import { personById } from '../store/directory.js';
import type { Project } from '../store/projects.js';
import { projectPlaces } from '../store/remit.js';

/*
 * `填报 氢能` for a project inside the remit that is not the actor's to report (issue 17, item 5): the officer is
 * told whose it is ("该项目由宋涛负责"). Only a project the rules let the actor read is named (domain/remit
 * mayKnowOwner); anything outside the remit stays "没有找到" (the permission matrix checks it).
 */

export interface OwnedElsewhere {
  project: Project;
  ownerName: string;
}

export async function ownerOf(deps: Deps, project: Project, remit: Remit): Promise<OwnedElsewhere | undefined> {
  if (project.ownerId === null) return undefined;
  const place = (await projectPlaces(deps.db, [project.id])).get(project.id);
  if (!place || !mayKnowOwner(remit, place)) return undefined;
  const owner = await personById(deps.db, project.ownerId);
  return owner ? { project, ownerName: owner.name } : undefined;
}
