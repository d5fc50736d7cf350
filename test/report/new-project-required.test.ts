import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { chains, projects } from '../../db/schema.js';
import { createProject } from '../../src/report/service.js';
import { fields, text } from '../helpers/cards.js';
import { useTestDb } from '../helpers/db.js';
import { depsAt, twoCities } from '../jobs/fixture.js';

/*
 * Issue 17, item 7: 新建项目 asks for chain, host and planned investment (first-talk unit: the creator's), marks
 * them, and codes new projects in the ledgers' scheme (SP2026-001 beside the city's SP2026-0xx).
 */

const AT = '2026-11-16T10:00:00+08:00';

describe('新建项目 requires what a project needs (issue 17)', () => {
  const t = useTestDb();

  async function setup() {
    const f = await twoCities(t.db);
    await t.db.insert(chains).values([
      { name: '新能源', governmentUnitId: f.sp.id },
      { name: '新能源', governmentUnitId: f.th.id },
    ]);
    await t.db
      .insert(projects)
      .values({ code: 'SP2026-041', name: '已有项目', stage: 'negotiating', firstTalkUnitId: f.bureau.id, hostUnitId: f.lishu.id });
    return { f, deps: depsAt(t.db, AT) };
  }

  describe('works', () => {
    it('a project with chain, host and planned amount is created with the city’s next code, without an investor', async () => {
      const { f, deps } = await setup();
      const a = await createProject(deps, f.officer, { name: '梨树储能电站', chain: '新能源', planned: '3亿', host: '梨树县' });
      expect(a.toast?.type).toBe('success');
      const [p] = await t.db.select().from(projects).where(eq(projects.name, '梨树储能电站'));
      expect(p).toMatchObject({ code: 'SP2026-042', firstTalkUnitId: f.bureau.id, hostUnitId: f.lishu.id, investor: null });
    });
  });

  describe('refused', () => {
    it('a name alone is refused with each required field named, and the name kept; the form marks them', async () => {
      const { f, deps } = await setup();
      const a = await createProject(deps, f.officer, { name: '梨树储能电站' });
      expect(a.toast?.type).toBe('error');
      const shown = text(a.card);
      for (const m of ['请选择所属产业链', '请填写计划总投资', '请填写项目承载地', '带 * 的为必填项']) expect(shown).toContain(m);
      expect(fields(a.card).get('name')!.value).toBe('梨树储能电站');
      expect(shown).toMatch(/计划总投资.*\*/);
      expect(await t.db.select().from(projects).where(eq(projects.name, '梨树储能电站'))).toHaveLength(0);
    });
  });

  describe('attacker', () => {
    it('another government’s chain of the same name, or a made-up one, is not taken', async () => {
      const { f, deps } = await setup();
      const a = await createProject(deps, f.officer, { name: '梨树储能电站', chain: '高端装备', planned: '3亿', host: '梨树县' });
      expect(a.toast?.type).toBe('error');
      expect(text(a.card)).toContain('不是本地区的产业链');
      const ok = await createProject(deps, f.officer, { name: '梨树储能电站', chain: '新能源', planned: '3亿', host: '梨树县' });
      expect(ok.toast?.type).toBe('success');
      const [p] = await t.db.select().from(projects).where(eq(projects.name, '梨树储能电站'));
      const [c] = await t.db.select().from(chains).where(eq(chains.id, p!.chainId!));
      expect(c!.governmentUnitId).toBe(f.sp.id);
    });
  });
});
