/**
 * The remit rules on an organisation unlike the demo: a province with two cities, each with a county, a city
 * bureau that first-talks a county-hosted project, and three chains of the same name (the province's and each
 * city's, the city chains linked to the province's).
 */
import { describe, expect, it } from 'vitest';
import {
  chainInRemit,
  governmentOf,
  mayBind,
  mayChange,
  mayGrant,
  mayRead,
  remitOf,
  type ChainNode,
  type ProjectPlace,
  type UnitNode,
} from '../../src/domain/remit.js';

const U = {
  jilin: { id: 1, kind: 'province', path: '/1/' },
  liaoyuan: { id: 2, kind: 'city', path: '/1/2/' },
  dongfeng: { id: 3, kind: 'county', path: '/1/2/3/' },
  dongliao: { id: 4, kind: 'county', path: '/1/2/4/' },
  siping: { id: 5, kind: 'city', path: '/1/5/' },
  lishu: { id: 6, kind: 'county', path: '/1/5/6/' },
  lyBureau: { id: 7, kind: 'department', path: '/1/2/7/' },
  provDept: { id: 8, kind: 'department', path: '/1/8/' },
  dfBureau: { id: 9, kind: 'department', path: '/1/2/3/9/' },
} satisfies Record<string, UnitNode>;
const unitsById = new Map<number, UnitNode>(Object.values(U).map((u) => [u.id, u]));

const chains: ChainNode[] = [
  { id: 10, governmentId: 1, parentChainId: null, leaderId: 100, secretaryId: 101 }, // 吉林省 新能源
  { id: 20, governmentId: 2, parentChainId: 10, leaderId: 200, secretaryId: 201 }, // 辽源市 新能源
  { id: 30, governmentId: 5, parentChainId: 10, leaderId: 300, secretaryId: null }, // 四平市 新能源
];

const today = '2026-12-02';
const ctx = { unitsById, chains, principals: [], today };

const place = (
  host: UnitNode | null,
  firstTalk: UnitNode | null,
  chainId: number | null = null,
  ownerId: number | null = null,
): ProjectPlace => ({
  hostPath: host?.path ?? null,
  firstTalkPath: firstTalk?.path ?? null,
  chainId,
  ownerId,
});

describe('governmentOf', () => {
  it('is the unit itself for a government and the nearest government for a department', () => {
    expect(governmentOf(U.dongfeng, unitsById)?.id).toBe(3);
    expect(governmentOf(U.lyBureau, unitsById)?.id).toBe(2);
    expect(governmentOf(U.dfBureau, unitsById)?.id).toBe(3);
    expect(governmentOf(U.provDept, unitsById)?.id).toBe(1);
  });
});

describe('works', () => {
  it('a city bureau admin acts in the whole city: the bureau stands for its government', () => {
    const r = remitOf({ id: 1, roles: ['admin'], unitId: U.lyBureau.id }, ctx);
    expect(r.subtrees).toEqual(['/1/2/']);
    expect(mayRead(r, place(U.dongliao, U.dongliao))).toBe(true);
    expect(mayChange(r, place(U.dongfeng, U.lyBureau))).toBe(true);
  });

  it('the first-talk side changes a project hosted elsewhere; the host side reads it but may not change it', () => {
    // Project first-talked by the Liaoyuan bureau, hosted in 东丰县.
    const p = place(U.dongfeng, U.lyBureau);
    const cityLead = remitOf({ id: 2, roles: ['unit_lead'], unitId: U.lyBureau.id }, ctx);
    const countyLead = remitOf({ id: 3, roles: ['unit_lead'], unitId: U.dongfeng.id }, ctx);
    expect(mayChange(cityLead, p)).toBe(true);
    expect(mayRead(countyLead, p)).toBe(true);
    expect(mayChange(countyLead, p)).toBe(false);
  });

  it('an owner reaches their own projects, and a principal’s until the delegation ends (inclusive)', () => {
    const principals = [{ id: 50, delegateId: 51, awayUntil: '2026-12-02' }];
    const delegate = remitOf({ id: 51, roles: ['owner'], unitId: U.dongfeng.id }, { ...ctx, principals });
    expect(mayChange(delegate, place(U.lishu, U.lishu, null, 50))).toBe(true);
    const after = remitOf({ id: 51, roles: ['owner'], unitId: U.dongfeng.id }, { ...ctx, principals, today: '2026-12-03' });
    expect(mayChange(after, place(U.lishu, U.lishu, null, 50))).toBe(false);
    expect(mayChange(after, place(U.lishu, U.lishu, null, 51))).toBe(true);
  });

  it('the province chain leader reaches the city chains linked to the province chain', () => {
    const r = remitOf({ id: 100, roles: ['chain_leader'], unitId: null }, ctx);
    expect([...r.chainIds].sort()).toEqual([10, 20, 30]);
    expect(mayRead(r, place(U.lishu, U.lishu, 30))).toBe(true);
  });
});

describe('refused', () => {
  it('a county admin reads nothing of another county, its city or another city', () => {
    const r = remitOf({ id: 4, roles: ['admin'], unitId: U.dongfeng.id }, ctx);
    expect(mayRead(r, place(U.dongliao, U.dongliao))).toBe(false);
    expect(mayRead(r, place(U.lyBureau, U.lyBureau))).toBe(false);
    expect(mayRead(r, place(U.lishu, U.lishu))).toBe(false);
  });

  it('a city chain is its own city’s: the Liaoyuan 新能源 leader does not reach Siping’s 新能源 projects', () => {
    const r = remitOf({ id: 200, roles: ['chain_leader'], unitId: U.liaoyuan.id }, ctx);
    expect([...r.chainIds]).toEqual([20]);
    expect(mayRead(r, place(U.lishu, U.lishu, 30))).toBe(false);
    expect(mayRead(r, place(U.dongfeng, U.dongfeng, 20))).toBe(true);
  });

  it('an officer without a government role has no subtree, only their own projects', () => {
    const r = remitOf({ id: 60, roles: ['owner'], unitId: U.dongfeng.id }, ctx);
    expect(r.subtrees).toEqual([]);
    expect(mayRead(r, place(U.dongfeng, U.dongfeng, null, 61))).toBe(false);
  });

  it('an inactive person has no remit at all', () => {
    const r = remitOf({ id: 5, roles: ['admin'], unitId: U.jilin.id, active: false }, ctx);
    expect(r.subtrees).toEqual([]);
    expect(r.ownerIds.size).toBe(0);
  });
});

describe('attacked', () => {
  const county = remitOf({ id: 4, roles: ['admin'], unitId: U.dongfeng.id }, ctx);

  it('a county admin cannot rebind the city’s group, bind to the province chain, or bind a centre without a unit', () => {
    expect(mayBind(county, { kind: 'unit', unitPath: U.dongfeng.path }, { kind: 'unit', unitPath: U.liaoyuan.path }, unitsById)).toBe(
      'current_outside',
    );
    expect(mayBind(county, { kind: 'chain', chain: chains[0]! }, null, unitsById)).toBe('target_outside');
    expect(mayBind(county, { kind: 'centre', unitPath: null }, null, unitsById)).toBe('centre_needs_unit');
    expect(mayBind(county, { kind: 'unit', unitPath: U.dfBureau.path }, null, unitsById)).toBe('ok');
  });

  it('a county admin cannot make someone outside the county an admin, nor herself 总召集人', () => {
    const admin = { id: 4, roles: ['admin'] };
    expect(mayGrant(admin, county, { id: 70, unitPath: U.dongliao.path, roles: [] }, ['admin'])).toBe('unit_outside');
    expect(mayGrant(admin, county, { id: 4, unitPath: U.dongfeng.path, roles: ['admin'] }, ['admin', 'chief_convenor'])).toBe(
      'self_escalation',
    );
    expect(mayGrant(admin, county, { id: 71, unitPath: U.dongfeng.path, roles: [] }, ['chief_convenor'])).toBe('above_own_level');
    expect(mayGrant(admin, county, { id: 71, unitPath: U.dongfeng.path, roles: [] }, ['owner', 'unit_lead'])).toBe('ok');
  });

  it('a chain of another government is outside even when its name matches', () => {
    expect(chainInRemit(county, chains[1]!, unitsById)).toBe(false);
    const city = remitOf({ id: 1, roles: ['admin'], unitId: U.liaoyuan.id }, ctx);
    expect(chainInRemit(city, chains[1]!, unitsById)).toBe(true);
    expect(chainInRemit(city, chains[2]!, unitsById)).toBe(false);
  });
});
