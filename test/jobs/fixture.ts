// A small organisation unlike the demo: two cities, a city bureau first-talking a project hosted in one of the
// city's counties (001 三.二 “谁对接、谁牵头”…“会同项目所在地”), an owner without a Lark id, leads in both the bureau
// and the county, mechanism groups bound to both cities and the county.

import { eq } from 'drizzle-orm';
import { chatGroups, people, projectEvaluations, projects } from '../../db/schema.js';
import { createCalendar } from '../../src/domain/calendar.js';
import { FixedClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { upsertUnit } from '../../src/store/directory.js';
import type { Db } from '../../src/store/db.js';
import { type Deps } from '../../src/context.js';
import { submit } from '../../src/report/service.js';

export function depsAt(db: Db, at: string): Deps {
  return { db, clock: new FixedClock(at), logger: silentLogger, calendar: createCalendar(), notifyOutbox: () => {} };
}

export async function twoCities(db: Db) {
  const province = await upsertUnit(db, { code: 'P', name: '某省', kind: 'province', parentId: null });
  const sp = await upsertUnit(db, { code: 'SP', name: '四平市', kind: 'city', parentId: province.id });
  const lishu = await upsertUnit(db, { code: 'SP-LS', name: '梨树县', kind: 'county', parentId: sp.id });
  const bureau = await upsertUnit(db, { code: 'SP-GX', name: '四平市工信局', kind: 'department', parentId: sp.id });
  const th = await upsertUnit(db, { code: 'TH', name: '通化市', kind: 'city', parentId: province.id });
  const ja = await upsertUnit(db, { code: 'TH-JA', name: '集安市', kind: 'county', parentId: th.id });
  const person = async (name: string, unitId: number, roles: ('owner' | 'unit_lead' | 'dept_lead' | 'admin')[], openId: string | null) =>
    (await db.insert(people).values({ name, unitId, roles, openId }).returning())[0]!;
  const bureauLead = await person('秦岭', bureau.id, ['dept_lead'], 'ou_t_bureau_lead');
  const countyLead = await person('梁山', lishu.id, ['unit_lead'], 'ou_t_county_lead');
  const jaLead = await person('白河', ja.id, ['unit_lead'], 'ou_t_ja_lead');
  const officer = await person('无号员', bureau.id, ['owner'], null); // no Lark account
  const jaOwner = await person('柳青', ja.id, ['owner'], 'ou_t_ja_owner');
  const cityAdmin = await person('章台', sp.id, ['admin'], 'ou_t_sp_admin');
  await db.insert(chatGroups).values([
    { chatId: 'oc_t_sp', name: '四平市机制群', bindingKind: 'unit', unitId: sp.id },
    { chatId: 'oc_t_lishu', name: '梨树县机制群', bindingKind: 'unit', unitId: lishu.id },
    { chatId: 'oc_t_th', name: '通化市机制群', bindingKind: 'unit', unitId: th.id },
    { chatId: 'oc_t_province', name: '某省机制群', bindingKind: 'unit', unitId: province.id },
  ]);
  const project = async (code: string, v: Partial<typeof projects.$inferInsert>) =>
    (
      await db
        .insert(projects)
        .values({ code, name: `项目${code}`, stage: 'negotiating', createdAt: new Date('2026-01-05T00:00:00Z'), ...v })
        .returning()
    )[0]!;
  // First-talked by the city bureau, hosted in the county: the bureau answers for it.
  const crossed = await project('T-1', { name: '四平氢能装备', firstTalkUnitId: bureau.id, hostUnitId: lishu.id, ownerId: officer.id });
  // The county's own project.
  const own = await project('T-2', { name: '梨树玉米加工', firstTalkUnitId: lishu.id, hostUnitId: lishu.id, ownerId: officer.id });
  // Another city's project, first-talk = host.
  const other = await project('T-3', { name: '集安人参饮片', firstTalkUnitId: ja.id, hostUnitId: ja.id, ownerId: jaOwner.id });
  // Evaluated before signing (001 三.四 事前综合评估), so the moves to 签约 the tests make are not held up by it.
  await db
    .insert(projectEvaluations)
    .values([crossed, own, other].map((p) => ({ projectId: p.id, evaluatedOn: '2026-01-10', conclusion: '通过' })));
  return { province, sp, lishu, bureau, th, ja, bureauLead, countyLead, jaLead, officer, jaOwner, cityAdmin, crossed, own, other };
}

export async function setProject(db: Db, id: number, v: Partial<typeof projects.$inferInsert>) {
  await db.update(projects).set(v).where(eq(projects.id, id));
}

/** The fixture's person of that name. */
export async function personNamed(db: Db, name: string) {
  return (await db.select().from(people).where(eq(people.name, name)))[0]!;
}

/**
 * The project, moved to 意向, signed on 2026-06-01 for 3亿 through the report form by the person named `who` on
 * 2026-06-10 (`june`), with the agreed terms or results in `agreed`: the outcome and the project as stored then.
 */
export async function signInJune(db: Db, who: string, projectId: number, agreed: Record<string, string>) {
  await setProject(db, projectId, { stage: 'intent' });
  const june = depsAt(db, '2026-06-10T10:00:00+08:00');
  const form = { stage: 'signed', contract_amount: '3亿', signed_on: '2026-06-01', ...agreed, progress: '签约' };
  const signed = await submit(june, await personNamed(db, who), { p: projectId }, form);
  const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
  return { june, signed, project: project! };
}
