// Units and chains by what people type: the official name, the code, or an unambiguous alias.

import type { Chain, Unit } from '../store/directory.js';
import { chainAliases, fold, unitAliases } from './match.js';
import type { Directory } from './scope.js';

function unique<T>(xs: T[]): T | null {
  return xs.length === 1 ? xs[0]! : null;
}

export function resolveUnit(dir: Directory, text: string): Unit | null {
  const k = fold(text);
  if (k === '') return null;
  const byName = dir.units.filter((u) => fold(u.name) === k);
  if (byName.length > 0) return byName[0]!;
  const byCode = dir.units.filter((u) => u.code.toLowerCase() === k);
  if (byCode.length > 0) return byCode[0]!;
  return unique(dir.units.filter((u) => unitAliases(u, u.parentId ? dir.unitById.get(u.parentId) : undefined).some((a) => fold(a) === k)));
}

export function resolveChain(dir: Directory, text: string): Chain | null {
  const k = fold(text);
  if (k === '') return null;
  const byName = dir.chains.find((c) => fold(c.name) === k);
  if (byName) return byName;
  return unique(dir.chains.filter((c) => chainAliases(c).some((a) => fold(a) === k)));
}
