/**
 * The remit loader: one query gives the pure rules what they need (the actor's unit and its ancestors, their
 * chains and those linked below, their principals), and project places come back with both paths.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { chains, people, projects } from '../../db/schema.js';
import { useTestDb } from '../helpers/db.js';
import { upsertUnit } from '../../src/store/directory.js';
import { loadRemit, projectPlaces } from '../../src/store/remit.js';
import { mayChange, mayRead } from '../../src/domain/remit.js';

const t = useTestDb();

/** A unit with its path kept by the store (as the ledger creates them). */
const unit = (code: string, kind: 'province' | 'city' | 'county' | 'department', parent?: { id: number }) =>
  upsertUnit(t.db, { code, name: code, kind, parentId: parent?.id ?? null });

async function person(name: string, unitId: number | null, roles: ('owner' | 'admin' | 'chain_leader' | 'unit_lead')[], extra = {}) {
  const [p] = await t.db
    .insert(people)
    .values({ name, unitId, roles, ...extra })
    .returning();
  return p!;
}

describe('loadRemit and projectPlaces', () => {
  it('a city bureau admin reaches the city; a county admin only the county; a delegate the principal until the end date', async () => {
    const jl = await unit('JL', 'province');
    const ly = await unit('LY', 'city', jl);
    const sp = await unit('SP', 'city', jl);
    const bureau = await unit('LY-SWJ', 'department', ly);
    const df = await unit('DF', 'county', ly);
    const ly2 = await unit('SP-X', 'county', sp);
    const cityAdmin = await person('城管', bureau.id, ['admin']);
    const countyAdmin = await person('县管', df.id, ['admin']);
    const owner = await person('张', df.id, ['owner']);
    const delegate = await person('李', df.id, ['owner']);
    await t.db.execute(sql`update people set delegate_id = ${delegate.id}, away_until = '2026-12-10' where id = ${owner.id}`);
    const leader = await person('链长', null, ['chain_leader']);
    const [prov] = await t.db.insert(chains).values({ name: '新能源', governmentUnitId: jl.id, leaderId: leader.id }).returning();
    const [city] = await t.db.insert(chains).values({ name: '新能源', governmentUnitId: ly.id, parentChainId: prov!.id }).returning();
    const [a] = await t.db
      .insert(projects)
      .values({ code: 'A', name: 'A', hostUnitId: df.id, firstTalkUnitId: bureau.id, ownerId: owner.id, chainId: city!.id })
      .returning();
    const [b] = await t.db.insert(projects).values({ code: 'B', name: 'B', hostUnitId: ly2.id, firstTalkUnitId: ly2.id }).returning();

    const places = await projectPlaces(t.db, [a!.id, b!.id, 999999]);
    expect(places.size).toBe(2);
    const pa = places.get(a!.id)!;
    const pb = places.get(b!.id)!;
    expect(pa).toEqual({ hostPath: df.path, firstTalkPath: bureau.path, chainId: city!.id, ownerId: owner.id });

    const c = await loadRemit(t.db, cityAdmin, '2026-12-02');
    expect(c.remit.subtrees).toEqual([ly.path]);
    expect([mayRead(c.remit, pa), mayChange(c.remit, pa), mayRead(c.remit, pb)]).toEqual([true, true, false]);

    const k = await loadRemit(t.db, countyAdmin, '2026-12-02');
    expect(k.remit.subtrees).toEqual([df.path]);
    // The county hosts A but the city bureau first-talked it: the county reads, only the bureau's side changes it.
    expect([mayRead(k.remit, pa), mayChange(k.remit, pa), mayRead(k.remit, pb)]).toEqual([true, false, false]);

    expect(mayChange((await loadRemit(t.db, delegate, '2026-12-10')).remit, pa)).toBe(true);
    expect(mayRead((await loadRemit(t.db, delegate, '2026-12-11')).remit, pa)).toBe(false);

    const l = await loadRemit(t.db, leader, '2026-12-02');
    expect([...l.remit.chainIds].sort()).toEqual([prov!.id, city!.id].sort());
    expect(l.remit.subtrees).toEqual([]);
    expect(mayRead(l.remit, pa)).toBe(true);

    const nobody = await loadRemit(t.db, undefined, '2026-12-02');
    expect(mayRead(nobody.remit, pa)).toBe(false);
  });
});
