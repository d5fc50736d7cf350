import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { projects, reportRevisions, reports } from '../../db/schema.js';
import { openForm, submit } from '../../src/report/service.js';
import { cardErrors } from '../../src/lark/card-rules.js';
import { text, walk } from '../helpers/cards.js';
import { useTestDb } from '../helpers/db.js';
import { depsAt, setProject, twoCities } from '../jobs/fixture.js';

/*
 * Issue 16: the project type and source channels are on the report form, so 修改 keeps them (prefilled from the
 * project) and can change them; only codes of the lists are taken.
 */

const AT = '2026-11-16T10:00:00+08:00';

describe('the report form (修改) keeps and changes the project type and channels', () => {
  const t = useTestDb();

  async function setup() {
    const f = await twoCities(t.db);
    await setProject(t.db, f.crossed.id, { stage: 'negotiating', projectType: 'industry', channels: ['chamber', 'business_referral'] });
    const deps = depsAt(t.db, AT);
    const a = await submit(deps, f.officer, { p: f.crossed.id, period: '2026-11' }, { progress: '第二轮洽谈' });
    expect(a.toast?.type).toBe('success');
    return { f, deps };
  }

  /** The values the form sends back untouched: selects' initial options, the multi-select's chosen values. */
  function asSent(card: unknown): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    walk(card, (n) => {
      const name = n.name as string | undefined;
      if (!name) return;
      if (n.tag === 'multi_select_static') out[name] = n.selected_values;
      else {
        const v = n.default_value ?? n.initial_option ?? n.initial_date;
        if (typeof v === 'string') out[name] = v;
      }
    });
    return out;
  }
  const project = async (id: number) => (await t.db.select().from(projects).where(eq(projects.id, id)))[0]!;

  it('works: the edit form shows the type and channels the project has; resubmitting keeps them, changing them saves them', async () => {
    const { f, deps } = await setup();
    const o = await openForm(deps, f.officer, { p: f.crossed.id, period: '2026-11' });
    const v = asSent(o.card);
    expect(v.project_type).toBe('industry');
    expect(v.channels).toEqual(['chamber', 'business_referral']);
    expect(text(o.card)).toContain('项目类型');
    // The multi-select sits in the form as Lark takes it (a name, selected_values), nothing Lark would refuse.
    expect(cardErrors(o.card)).toEqual([]);

    expect((await submit(deps, f.officer, { p: f.crossed.id, period: '2026-11' }, { ...v, progress: '第二轮洽谈完成' })).toast?.type).toBe(
      'success',
    );
    expect(await project(f.crossed.id)).toMatchObject({ projectType: 'industry', channels: ['chamber', 'business_referral'] });

    const changed = { ...v, project_type: 'producer_services', channels: ['commissioned', 'outside_office'] };
    expect((await submit(deps, f.officer, { p: f.crossed.id, period: '2026-11' }, changed)).toast?.type).toBe('success');
    // Kept in the list's order, whatever order they were picked in.
    expect(await project(f.crossed.id)).toMatchObject({ projectType: 'producer_services', channels: ['outside_office', 'commissioned'] });
    const [r] = await t.db.select().from(reports).where(eq(reports.projectId, f.crossed.id));
    const revs = await t.db.select().from(reportRevisions).where(eq(reportRevisions.reportId, r!.id)).orderBy(reportRevisions.revision);
    expect((revs.at(-1)!.content as Record<string, unknown>).classification).toEqual({
      type: 'producer_services',
      channels: ['outside_office', 'commissioned'],
    });

    // The next form starts from the new values; clearing every channel leaves none.
    const again = asSent((await openForm(deps, f.officer, { p: f.crossed.id, period: '2026-11' })).card);
    expect([again.project_type, again.channels]).toEqual(['producer_services', ['outside_office', 'commissioned']]);
    expect((await submit(deps, f.officer, { p: f.crossed.id, period: '2026-11' }, { ...again, channels: [] })).toast?.type).toBe('success');
    expect((await project(f.crossed.id)).channels).toEqual([]);
  });

  it('works: a form without the two fields (a card sent before they existed) leaves them as they are', async () => {
    const { f, deps } = await setup();
    expect((await submit(deps, f.officer, { p: f.crossed.id, period: '2026-11' }, { progress: '补充说明' })).toast?.type).toBe('success');
    expect(await project(f.crossed.id)).toMatchObject({ projectType: 'industry', channels: ['chamber', 'business_referral'] });
  });

  it('refused: a type or channel not on the lists is named on the form and nothing changes', async () => {
    const { f, deps } = await setup();
    const a = await submit(deps, f.officer, { p: f.crossed.id, period: '2026-11' }, { progress: '第三轮', project_type: 'nuclear' });
    expect(a.toast?.type).toBe('error');
    expect(text(a.card)).toContain('请从列表中选择。');
    const b = await submit(
      deps,
      f.officer,
      { p: f.crossed.id, period: '2026-11' },
      { progress: '第三轮', channels: ['chamber', 'bribery'] },
    );
    expect(b.toast?.type).toBe('error');
    expect(await project(f.crossed.id)).toMatchObject({ projectType: 'industry', channels: ['chamber', 'business_referral'] });
  });

  it('attacker: channels sent as an object or a flood of values are refused, never stored', async () => {
    const { f, deps } = await setup();
    const flood = Array.from({ length: 500 }, () => 'chamber');
    for (const channels of [{ chamber: true }, flood, [1, 2], "chamber'); drop table projects;--"]) {
      const a = await submit(deps, f.officer, { p: f.crossed.id, period: '2026-11' }, { progress: '第四轮', channels });
      expect(a.toast?.type).toBe('error');
    }
    expect(await project(f.crossed.id)).toMatchObject({ projectType: 'industry', channels: ['chamber', 'business_referral'] });
  });
});
