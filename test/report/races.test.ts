/**
 * Issue 14, case 3: parallel clicks. Twenty parallel submissions of one new-project form create one project (the
 * others are told the name is taken); twenty parallel 推进 to one stage write one stage-history row and one audit
 * row (the move re-reads the project under a row lock inside its transaction). On PostgreSQL the twenty really
 * run side by side on a pool; on PGlite they interleave on its one connection.
 */
import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, people, projects, stageHistory } from '../../db/schema.js';
import { createProject, move } from '../../src/report/service.js';
import { personByOpenId } from '../../src/store/directory.js';
import { useDemoBot } from '../helpers/bot.js';

const ZHENG = 'ou_demo_zheng_hao'; // owner in 东丰县

describe('parallel clicks', () => {
  const { t, bot } = useDemoBot('2026-11-13T09:00:00+08:00', '2026-11-13');

  it('20 parallel submits of one new-project form create one project; the others are told the name is taken', async () => {
    // 何静 of the city's commerce bureau: the project is first-talked by the bureau and hosted by 东丰县 (an officer may
    // place a project only inside their own government, so the city bureau's admin does it here).
    const actor = (await personByOpenId(t.db, 'ou_demo_he_jing'))!;
    const form = { name: '氢燃料电池电堆项目', investor: '重塑能源科技', host: '东丰县', planned: '3亿', chain: '新能源' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => createProject(bot.runtime.deps, actor, { ...form })));
    const made = await t.db.select().from(projects).where(eq(projects.name, form.name));
    expect(made).toHaveLength(1);
    expect(answers.filter((a) => a.toast?.type === 'success')).toHaveLength(1);
    const refused = answers.filter((a) => a.toast?.type === 'error');
    expect(refused).toHaveLength(19);
    expect(JSON.stringify(refused[0]!.card)).toContain(made[0]!.code);
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'project.create'), eq(auditLog.entityId, String(made[0]!.id))));
    expect(audits).toHaveLength(1);
  });

  it('20 parallel moves of one project to one stage write one history row and one audit row', async () => {
    const actor = (await personByOpenId(t.db, ZHENG))!;
    const [p] = await t.db.select().from(projects).where(eq(projects.code, 'LY2026-002'));
    expect(p!.stage).toBe('negotiating');
    const asked = (n: number) => ({ messageId: `om_race_${n}`, chatId: 'oc_p2p', chatType: 'p2p' as const, senderOpenId: ZHENG });
    await Promise.all(Array.from({ length: 20 }, (_, n) => move(bot.runtime.deps, actor, asked(n), 'LY2026-002', '意向')));
    const history = await t.db
      .select()
      .from(stageHistory)
      .where(and(eq(stageHistory.projectId, p!.id), eq(stageHistory.toStage, 'intent')));
    expect(history).toHaveLength(1);
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'project.stage'), eq(auditLog.entityId, String(p!.id))));
    expect(audits).toHaveLength(1);
    const [after] = await t.db.select().from(projects).where(eq(projects.id, p!.id));
    expect(after!.stage).toBe('intent');
  });

  it('the database refuses a second project of one name in one host unit, whoever writes it', async () => {
    const [p] = await t.db.select().from(projects).where(eq(projects.code, 'LY2026-002'));
    const [owner] = await t.db.select().from(people).where(eq(people.openId, ZHENG));
    await expect(
      t.db.execute(
        sql`insert into projects (code, name, stage, host_unit_id, owner_id) values ('ZZ-1', ${p!.name.toUpperCase()}, 'planning', ${p!.hostUnitId}, ${owner!.id})`,
      ),
    ).rejects.toThrow();
  });
});
