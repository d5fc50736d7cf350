/**
 * A second city beside the demo's Liaoyuan, for jurisdiction tests (issue 13): 四平市 with its county 梨树县 and
 * its commerce bureau, its own 新能源 chain (linked to a province 新能源 chain, which Liaoyuan's 新能源 is linked to
 * as well), a chain group bound to it, people of every kind (one without a Lark account), and a project whose
 * first-talk unit (the bureau) is not its host (the county), with an open problem. Plus a county admin in 东丰县
 * and a stranger Lark knows but the ledger does not. Everything outside the demo's data is named so that a test
 * can search any card for it.
 */
import { and, eq } from 'drizzle-orm';
import { chains, chatGroups, people, problems, projects, units } from '../../db/schema.js';
import { demoDirectory } from '../../db/seed/directory.js';
import { upsertUnit } from '../../src/store/directory.js';
import type { Db } from '../../src/store/db.js';

export const SP = {
  owner: 'ou_sp_owner', // 四平 owner (梨树县)
  lead: 'ou_sp_lead', // 梨树县 unit lead
  admin: 'ou_sp_admin', // 四平市商务局 admin (a city admin of the other city)
  chain: 'ou_sp_chain', // leader of 四平's 新能源 chain
  provinceChain: 'ou_jl_chain', // leader of the province's 新能源 chain
  countyAdmin: 'ou_df_admin', // an admin in 东丰县 (a county admin of Liaoyuan)
  stranger: 'ou_stranger', // known to Lark, not in the ledger
  chainChat: 'oc_sp_chain_xny',
  /** An unbound group every test actor is a member of (for /bind and /unbind). */
  matrixChat: 'oc_matrix',
  /** Names no demo row has: any card showing one of them to Liaoyuan has leaked. */
  projectName: '四平梨树氢能装备项目',
  projectCode: 'SP2026-001',
  problemText: '梨树县土地指标待协调',
  ownerName: '四平甲',
  offlineName: '四平乙',
} as const;

const users = [
  { key: 'sp_owner', openId: SP.owner, name: SP.ownerName },
  { key: 'sp_lead', openId: SP.lead, name: '梨树县长' },
  { key: 'sp_admin', openId: SP.admin, name: '四平商务' },
  { key: 'sp_chain', openId: SP.chain, name: '四平链长' },
  { key: 'jl_chain', openId: SP.provinceChain, name: '省链长' },
  { key: 'df_admin', openId: SP.countyAdmin, name: '东丰管理员' },
  { key: 'stranger', openId: SP.stranger, name: '陌生人' },
];

/** Lark's directory: the demo's people and groups, and the second city's. */
export function twoCityDirectory(): ReturnType<typeof demoDirectory> {
  const demo = demoDirectory();
  return {
    users: [
      ...demo.users,
      ...users.map((u, i) => ({
        open_id: u.openId,
        user_id: u.key,
        name: u.name,
        mobile: `+86138000000${String(i).padStart(2, '0')}`,
        email: `${u.key}@siping.example.gov.cn`,
      })),
    ],
    chats: [
      ...demo.chats,
      { chat_id: SP.chainChat, name: '四平市新能源产业链工作群', members: [SP.chain, SP.owner, SP.admin] },
      {
        chat_id: SP.matrixChat,
        name: '权限测试群',
        members: [...users.map((u) => u.openId), ...['zheng_hao', 'yang_fan', 'he_jing', 'liu_shuji'].map((k) => `ou_demo_${k}`)],
      },
    ],
  };
}

export interface SecondCity {
  units: Record<'jl' | 'sp' | 'ls' | 'bureau' | 'df', { id: number; path: string }>;
  people: Record<'owner' | 'offline' | 'lead' | 'admin' | 'chain' | 'provinceChain' | 'countyAdmin', number>;
  chains: { province: number; sp: number; ly: number };
  project: number;
  /** A second project of 四平, owned by the person without a Lark account. */
  offlineProject: number;
}

/** Adds the second city to a database holding the demo (seedDemo first). */
export async function addSecondCity(db: Db, today: string): Promise<SecondCity> {
  const unit = async (code: string) => (await db.select().from(units).where(eq(units.code, code)))[0]!;
  const jl = await unit('JL');
  const df = await unit('LY-DF');
  const ly = await unit('LY');
  const sp = await upsertUnit(db, { code: 'SP', name: '四平市', kind: 'city', parentId: jl.id });
  const ls = await upsertUnit(db, { code: 'SP-LS', name: '梨树县', kind: 'county', parentId: sp.id });
  const bureau = await upsertUnit(db, { code: 'SP-SW', name: '四平市商务局', kind: 'department', parentId: sp.id });
  const person = async (name: string, unitId: number, roles: string[], openId: string | null) =>
    (
      await db
        .insert(people)
        .values({ name, unitId, roles: roles as never, openId })
        .returning()
    )[0]!.id;
  const owner = await person(SP.ownerName, ls.id, ['owner'], SP.owner);
  const offline = await person(SP.offlineName, ls.id, ['owner'], null);
  const lead = await person('梨树县长', ls.id, ['unit_lead', 'convenor'], SP.lead);
  const admin = await person('四平商务', bureau.id, ['admin', 'dept_lead'], SP.admin);
  const chainLeader = await person('四平链长', sp.id, ['chain_leader'], SP.chain);
  const provinceChain = await person('省链长', jl.id, ['chain_leader'], SP.provinceChain);
  const countyAdmin = await person('东丰管理员', df.id, ['admin'], SP.countyAdmin);

  const [province] = await db.insert(chains).values({ name: '新能源', governmentUnitId: jl.id, leaderId: provinceChain }).returning();
  const [spChain] = await db
    .insert(chains)
    .values({ name: '新能源', governmentUnitId: sp.id, leaderId: chainLeader, parentChainId: province!.id, leadUnitId: bureau.id })
    .returning();
  const [lyChain] = await db
    .update(chains)
    .set({ parentChainId: province!.id })
    .where(and(eq(chains.name, '新能源'), eq(chains.governmentUnitId, ly.id)))
    .returning();
  const project = async (code: string, name: string, ownerId: number) =>
    (
      await db
        .insert(projects)
        .values({
          code,
          name,
          chainId: spChain!.id,
          stage: 'negotiating',
          firstTalkUnitId: bureau.id,
          hostUnitId: ls.id,
          ownerId,
          plannedInvestmentFen: 50_000 * 10_000 * 100,
          stageEnteredOn: today,
          lastProgressOn: today,
        })
        .returning()
    )[0]!.id;
  const p = await project(SP.projectCode, SP.projectName, owner);
  const offlineProject = await project('SP2026-002', '四平梨树风光储一体化项目', offline);
  await db.insert(problems).values({ projectId: p, category: 'land', description: SP.problemText, mustActUnitId: ls.id, raisedOn: today });
  await db
    .insert(chatGroups)
    .values({ chatId: SP.chainChat, name: '四平市新能源产业链工作群', bindingKind: 'chain', chainId: spChain!.id });
  return {
    units: { jl, sp, ls, bureau, df },
    people: { owner, offline, lead, admin, chain: chainLeader, provinceChain, countyAdmin },
    chains: { province: province!.id, sp: spChain!.id, ly: lyChain!.id },
    project: p,
    offlineProject,
  };
}

/** Two checkers (核查) of the two cities' 商务局, known to Lark: who decides on fund entries in the funds tests. */
export const LY_CHECKER = 'ou_ly_checker'; // 核查, 辽源市商务局
export const SP_CHECKER = 'ou_sp_checker'; // 核查, 四平市商务局

/** twoCityDirectory with the two checkers in it. */
export function checkersDirectory(): ReturnType<typeof demoDirectory> {
  const d = twoCityDirectory();
  d.users.push(
    { open_id: LY_CHECKER, user_id: 'ly_checker', name: '辽源核查', mobile: '+8613900000101', email: 'ly_checker@liaoyuan.example.gov.cn' },
    { open_id: SP_CHECKER, user_id: 'sp_checker', name: '四平核查', mobile: '+8613900000102', email: 'sp_checker@siping.example.gov.cn' },
  );
  return d;
}
