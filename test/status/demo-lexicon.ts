/** The demo city as a lexicon, without a database: ids are positions in the demo arrays (match and phrasing tests). */
import { demoChains, demoProjects, demoUnits } from '../../db/seed/demo-data.js';
import { buildLexicon } from '../../src/status/match.js';
import type { Chain, Unit } from '../../src/store/directory.js';

export function demoLexicon(opts: { codes?: boolean } = {}) {
  const ids = new Map(demoUnits.map((u, i) => [u.code, i + 1]));
  const us: Unit[] = demoUnits.map((u, i) => ({
    id: i + 1,
    code: u.code,
    name: u.name,
    kind: u.kind,
    parentId: u.parent ? ids.get(u.parent)! : null,
    path: '',
    createdAt: new Date(0),
  }));
  const cs: Chain[] = demoChains.map((c, i) => ({
    id: i + 1,
    name: c.name,
    aliases: c.aliases,
    leaderId: null,
    secretaryId: null,
    leadUnitId: null,
    governmentUnitId: null,
    parentChainId: null,
  }));
  const ps = demoProjects.map((p, i) => ({ id: i + 1, name: p.name, ...(opts.codes ? { code: p.code } : {}) }));
  return buildLexicon(us, cs, ps);
}
