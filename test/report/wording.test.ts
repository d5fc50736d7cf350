import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { projects } from '../../db/schema.js';
import { receiptTime } from '../../src/report/cards.js';
import { readActionValue } from '../../src/report/actions.js';
import { list, mine, noChange, submit } from '../../src/report/service.js';
import { projectCard } from '../../src/status/project-card.js';
import { projectDetail } from '../../src/status/view.js';
import { button, text } from '../helpers/cards.js';
import { useTestDb } from '../helpers/db.js';
import { depsAt, twoCities } from '../jobs/fixture.js';

/* Issue 17, item 7: wording and numbers that agree with themselves. */

const AT = '2026-11-16T10:00:00+08:00';

describe('wording and numbers (issue 17)', () => {
  const t = useTestDb();

  describe('works', () => {
    it('a time on a card reads 12月2日 11:32; a fund date on the receipt reads 2026年11月12日', async () => {
      expect(receiptTime('Asia/Shanghai', new Date('2026-12-02T03:32:00Z'))).toBe('12月2日 11:32');
      const f = await twoCities(t.db);
      const a = await submit(
        depsAt(t.db, AT),
        f.officer,
        { p: f.own.id, period: '2026-11' },
        { progress: '到账', fund_amount: '20万', fund_date: '2026-11-12' },
      );
      const shown = text(a.card);
      expect(shown).toContain('11月16日 10:00');
      expect(shown).toContain('2026年11月12日');
      expect(shown).not.toMatch(/\d+\/\d+ \d\d:\d\d|2026-11-12/);
    });

    it('我的项目 says one count that matches its list, and keeps its title after a click', async () => {
      const f = await twoCities(t.db);
      const deps = depsAt(t.db, AT);
      await noChange(deps, f.officer, { p: f.own.id, period: '2026-11' });
      const [m] = (await mine(deps, f.officer, { messageId: 'om_h17_mine' })) as readonly { content: { card: unknown } }[];
      const card = m!.content.card;
      const shown = text(card);
      expect(shown).toContain('共 2 个项目，已填报 1 个，未填报 1 个');
      expect(shown).not.toMatch(/以下.*个项目尚未填报/);
      const fill = button(card, { p: f.crossed.id, a: 'report_nochange' });
      const after = await noChange(deps, f.officer, readActionValue(fill.value));
      expect(text(after.card)).toContain('我的项目');
      expect(text(after.card)).toContain('共 2 个项目，已填报 2 个');
      const back = await list(deps, f.officer, readActionValue({ ...fill.value, p: undefined }));
      expect(text(back.card)).toContain('我的项目');
    });

    it('a problem with no unit to act does not read "需未指定单位协调"', async () => {
      const f = await twoCities(t.db);
      await submit(
        depsAt(t.db, AT),
        f.officer,
        { p: f.own.id, period: '2026-11' },
        { progress: '用地', problem_category: 'land', problem_text: '指标不足' },
      );
      const [p] = await t.db.select().from(projects).where(eq(projects.id, f.own.id));
      const shown = text(projectCard(await projectDetail(t.db, p!), '2026-11-16'));
      expect(shown).toContain('指标不足');
      expect(shown).toContain('尚未明确协调单位');
      expect(shown).not.toContain('未指定单位协调');
    });
  });

  describe('attacker', () => {
    it('a forged mine flag on another city’s list shows nothing of it', async () => {
      const f = await twoCities(t.db);
      const back = await list(depsAt(t.db, AT), f.officer, readActionValue({ period: '2026-11', ids: [f.other.id], mine: true }));
      expect(back.toast?.content).toBe('没有找到该项目');
      expect(text(back.card)).not.toContain('集安');
    });
  });
});
