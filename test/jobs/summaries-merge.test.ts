import { describe, expect, it } from 'vitest';
import { like, or } from 'drizzle-orm';
import { chatGroups, outbox } from '../../db/schema.js';
import { runJob } from '../../src/jobs/runner.js';
import { summaryHalfYear, summaryQuarterly } from '../../src/jobs/summaries.js';
import { text } from '../helpers/cards.js';
import { useTestDb } from '../helpers/db.js';
import { depsAt, twoCities } from './fixture.js';

/*
 * Issue 17, item 8: the quarterly and half-year reviews fall on the same June morning; a group due both gets one
 * card. December's second half waits for the year's end and goes inside the year card (issue 16, jobs/assessment.ts),
 * so December's morning has the quarter alone. Two cities, a county convenor group below the city's.
 */

describe('reviews due the same morning are one card (issue 17)', () => {
  const t = useTestDb();

  async function setup() {
    const f = await twoCities(t.db);
    await t.db.insert(chatGroups).values([
      { chatId: 'oc_t_sp_conv', name: '四平市召集人群', bindingKind: 'convenor', unitId: f.sp.id },
      { chatId: 'oc_t_ls_conv', name: '梨树县召集人群', bindingKind: 'convenor', unitId: f.lishu.id },
      { chatId: 'oc_t_th_conv', name: '通化市召集人群', bindingKind: 'convenor', unitId: f.th.id },
    ]);
    return f;
  }
  const rows = async () =>
    t.db
      .select()
      .from(outbox)
      .where(or(like(outbox.idemKey, 'summary-quarterly:%'), like(outbox.idemKey, 'summary-halfyear:%')));
  const byChat = (rs: Awaited<ReturnType<typeof rows>>, chat: string) => rs.filter((r) => r.receiveId === chat);

  describe('works', () => {
    it('in June the city convenors get one card for 第2季度 and 上半年; the county convenors their quarter', async () => {
      await setup();
      const deps = depsAt(t.db, '2026-06-23T09:30:00+08:00');
      expect((await runJob(deps, summaryQuarterly, deps.clock.now())).status).toBe('done');
      expect((await runJob(deps, summaryHalfYear, deps.clock.now())).status).toBe('done');
      const rs = await rows();
      const city = byChat(rs, 'oc_t_sp_conv');
      expect(city.every((r) => r.idemKey.startsWith('summary-halfyear:'))).toBe(true);
      expect(city.length).toBeGreaterThan(0);
      expect(text(city[0]!.content)).toContain('2026年第2季度暨上半年汇总');
      const county = byChat(rs, 'oc_t_ls_conv');
      expect(county.length).toBeGreaterThan(0);
      expect(county.every((r) => r.idemKey.startsWith('summary-quarterly:'))).toBe(true);
    });

    it('in December the city convenors get the quarter alone: the second half goes out in January with the year card', async () => {
      await setup();
      const deps = depsAt(t.db, '2026-12-22T09:30:00+08:00');
      expect((await runJob(deps, summaryQuarterly, deps.clock.now())).status).toBe('done');
      expect((await runJob(deps, summaryHalfYear, deps.clock.now())).status).toBe('not_due');
      const city = byChat(await rows(), 'oc_t_sp_conv');
      expect(city.map((r) => r.idemKey.split(':')[0])).toEqual(city.map(() => 'summary-quarterly'));
      expect(city.length).toBeGreaterThan(0);
    });

    it('in September the city convenors get the quarter alone', async () => {
      await setup();
      const deps = depsAt(t.db, '2026-09-22T09:30:00+08:00');
      expect((await runJob(deps, summaryQuarterly, deps.clock.now())).status).toBe('done');
      expect((await runJob(deps, summaryHalfYear, deps.clock.now())).status).toBe('not_due');
      expect(byChat(await rows(), 'oc_t_sp_conv').map((r) => r.idemKey.split(':')[0])).toContain('summary-quarterly');
    });
  });

  describe('attacker', () => {
    it('another city’s merged card holds nothing of this city', async () => {
      await setup();
      const deps = depsAt(t.db, '2026-06-23T09:30:00+08:00');
      await runJob(deps, summaryQuarterly, deps.clock.now());
      await runJob(deps, summaryHalfYear, deps.clock.now());
      const th = byChat(await rows(), 'oc_t_th_conv');
      expect(th.length).toBeGreaterThan(0);
      const shown = th.map((r) => text(r.content)).join('\n');
      expect(shown).not.toContain('四平');
      expect(shown).not.toContain('梨树');
    });
  });
});
