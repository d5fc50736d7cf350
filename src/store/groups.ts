import { and, eq, inArray } from 'drizzle-orm';
import { chatGroups, units } from '../../db/schema.js';
import type { Db, Tx } from './db.js';

type Q = Db | Tx;

export interface MechanismGroup {
  chatId: string;
  /** The unit the group is bound to (the unit itself or the ancestor where the walk stopped). */
  unitId: number;
  unitName: string;
}

/**
 * For each unit, the unit-bound mechanism group nearest up its path. One walk for both callers:
 * - 督办 (late and stall warnings) go to the unit's own group, else its parent's…: `includeSelf: true`;
 * - 提级报备 goes one level *above* the unit (001 三.三: 签约5亿元以上项目提级报备): `includeSelf: false`.
 * Two queries whatever the number of units: their paths, then the groups bound to any unit on them.
 */
export async function nearestMechanismGroup(
  q: Q,
  unitIds: readonly number[],
  opts: { includeSelf: boolean },
): Promise<Map<number, MechanismGroup>> {
  const result = new Map<number, MechanismGroup>();
  if (unitIds.length === 0) return result;
  const own = await q
    .select({ id: units.id, path: units.path })
    .from(units)
    .where(inArray(units.id, [...new Set(unitIds)]));
  const chainOf = new Map<number, number[]>();
  const onPaths = new Set<number>();
  for (const u of own) {
    const chain = u.path
      .split('/')
      .filter(Boolean)
      .map(Number)
      .filter((id) => opts.includeSelf || id !== u.id)
      .reverse();
    chainOf.set(u.id, chain);
    for (const id of chain) onPaths.add(id);
  }
  if (onPaths.size === 0) return result;
  const groups = await q
    .select({ chatId: chatGroups.chatId, unitId: chatGroups.unitId, unitName: units.name })
    .from(chatGroups)
    .innerJoin(units, eq(units.id, chatGroups.unitId))
    .where(and(eq(chatGroups.bindingKind, 'unit'), inArray(chatGroups.unitId, [...onPaths])));
  const byUnit = new Map(groups.map((g) => [g.unitId!, g]));
  for (const [id, chain] of chainOf) {
    const hit = chain.find((u) => byUnit.has(u));
    if (hit !== undefined) {
      const g = byUnit.get(hit)!;
      result.set(id, { chatId: g.chatId, unitId: hit, unitName: g.unitName });
    }
  }
  return result;
}
