import { STAGES } from '../domain/stages.js';
import { t } from '../text.js';
import { stageLabel } from '../words.js';
import type { OwnedElsewhere } from './owner-hint.js';

/** The stages a move may name, in order: 谋划、洽谈、意向、签约、落地、终止、转移. */
function stageList(): string {
  return STAGES.map(stageLabel).join(t('report.list_separator'));
}

/** A stage not understood (`推进 高端纺织 签咯`), with the valid ones; `null`: just the list of them. */
export function badStageText(input: string | null): string {
  return input === null ? stageList() : t('report.move_bad_stage', { input, stages: stageList() });
}

/** Projects matched in the actor's own unit but owned by a colleague: who to ask. */
export function ownedElsewhereText(found: readonly OwnedElsewhere[]): string {
  if (found.length === 1)
    return t('report.owned_by', { name: found[0]!.project.name, code: found[0]!.project.code, owner: found[0]!.ownerName });
  return t('report.owned_by_many', {
    items: found.map((f) => t('report.owned_by_item', { name: f.project.name, owner: f.ownerName })).join(t('report.list_separator')),
  });
}
