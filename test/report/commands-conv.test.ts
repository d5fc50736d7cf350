import { describe, expect, it } from 'vitest';
import { people, projects } from '../../db/schema.js';
import { parseStage } from '../../src/domain/stages.js';
import { formFor, move, type Answer } from '../../src/report/service.js';
import { text } from '../helpers/cards.js';
import { useTestDb } from '../helpers/db.js';
import { depsAt, setProject, twoCities } from '../jobs/fixture.js';

/*
 * Issue 17, item 5: 推进 with a stage as officers say it (签了), the valid stages on a bad one, and 填报 of a
 * colleague's project naming its owner. Two cities, the same project name in both.
 */

const AT = '2026-11-16T10:00:00+08:00';
const msg = { messageId: 'om_h17_1' };
const said = (a: Answer): string => {
  expect(Array.isArray(a)).toBe(true);
  return (a as readonly { content: unknown }[]).map((o) => text(o.content)).join('\n');
};

describe('commands as officers type them (issue 17)', () => {
  const t = useTestDb();

  async function setup() {
    const f = await twoCities(t.db);
    const [song] = await t.db
      .insert(people)
      .values({ name: '宋涛', unitId: f.bureau.id, roles: ['owner'], openId: 'ou_t_song' })
      .returning();
    const mk = async (code: string, name: string, v: Partial<typeof projects.$inferInsert>) =>
      (
        await t.db
          .insert(projects)
          .values({ code, name, stage: 'negotiating', ...v })
          .returning()
      )[0]!;
    const textile = await mk('T-7', '四平高端纺织', { firstTalkUnitId: f.bureau.id, hostUnitId: f.lishu.id, ownerId: song!.id });
    // The same words in another city: never named to the bureau's officer.
    await mk('T-8', '集安高端纺织', { firstTalkUnitId: f.ja.id, hostUnitId: f.ja.id, ownerId: f.jaOwner.id });
    const liOfficer = (
      await t.db
        .insert(people)
        .values({ name: '李县员', unitId: f.lishu.id, roles: ['owner'], openId: 'ou_t_li' })
        .returning()
    )[0]!;
    return { f, song: song!, textile, liOfficer, deps: depsAt(t.db, AT) };
  }

  describe('works', () => {
    it('签了, 签约了 and 已签约 mean 签约; 落地了 means 落地', () => {
      for (const w of ['签了', '签约了', '已签约', '签约']) expect(parseStage(w), w).toBe('signed');
      expect(parseStage('落地了')).toBe('landed');
    });

    it('推进 … 签了 opens the form with 签约 chosen (a signing needs its amount and date)', async () => {
      const { f, deps } = await setup();
      await setProject(t.db, f.own.id, { stage: 'intent' });
      const shown = said(await move(deps, f.officer, msg, '梨树玉米', '签了'));
      expect(shown).toContain('变更为“签约”还需要补充信息');
    });

    it('填报 of a project inside the remit that is not one’s own names its owner', async () => {
      const { f, deps } = await setup();
      // The county's lead reads the project hosted in the county; the bureau's 宋涛 reports it.
      const shown = said(await formFor(deps, f.countyLead, msg, '高端纺织'));
      expect(shown).toContain('由宋涛负责');
      expect(shown).not.toContain('没有找到');
      expect(shown).not.toContain('集安');
    });
  });

  describe('refused', () => {
    it('a stage not understood lists the valid stages', async () => {
      const { f, deps } = await setup();
      const shown = said(await move(deps, f.officer, msg, '梨树玉米', '签咯'));
      expect(shown).toContain('签咯');
      expect(shown).toContain('谋划、洽谈、意向、签约、落地、终止、转移');
      const usage = said(await move(deps, f.officer, msg, undefined, ''));
      expect(usage).toContain('可选阶段：谋划、洽谈');
    });
  });

  describe('attacker', () => {
    it('another city’s officer, or another unit’s, asking for the project learns nothing of its owner', async () => {
      const { f, liOfficer, deps } = await setup();
      // Outside the remit, even a colleague of the same unit: refusals reveal nothing (the permission matrix).
      for (const who of [f.jaOwner, liOfficer, f.officer]) {
        const shown = said(await formFor(deps, who, msg, '四平高端纺织'));
        expect(shown, who.name).toContain('没有找到');
        expect(shown, who.name).not.toContain('宋涛');
      }
    });
  });
});
