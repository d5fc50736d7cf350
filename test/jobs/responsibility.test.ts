import { describe, expect, it } from 'vitest';
import { outbox, reports } from '../../db/schema.js';
import { ageing } from '../../src/jobs/ageing.js';
import { overdue } from '../../src/jobs/overdue.js';
import { runJob } from '../../src/jobs/runner.js';
import { summaryMonthly } from '../../src/jobs/summaries.js';
import { responsibilityFor } from '../../src/store/responsibility.js';
import { text } from '../helpers/cards.js';
import { useTestDb } from '../helpers/db.js';
import { depsAt, setProject, twoCities } from './fixture.js';

/** Bot messages queued so far, by receiver (open_id or chat_id), their visible text. */
async function queued(db: ReturnType<typeof useTestDb>['db']): Promise<Map<string, string[]>> {
  const rows = await db.select().from(outbox);
  const m = new Map<string, string[]>();
  for (const r of rows) m.set(r.receiveId!, [...(m.get(r.receiveId!) ?? []), text(r.content)]);
  return m;
}

// 001 三.二: “首谈”单位…全程牵头参与洽谈、签约、落地各环节，会同项目所在地…“首谈”单位每月20日向市商务局报备项目进展情况.
describe('responsibility follows the first-talk unit (001 三.二)', () => {
  const t = useTestDb();

  it('one answer: the first-talk unit, its leads, its group, and the host’s group when another', async () => {
    const f = await twoCities(t.db);
    const r = await responsibilityFor(t.db, [f.crossed, f.own, f.other]);
    expect(r.get(f.crossed.id)).toMatchObject({ unitId: f.bureau.id, unitName: '四平市工信局', hostUnitId: f.lishu.id });
    expect(r.get(f.crossed.id)!.leads.map((p) => p.name)).toEqual(['秦岭']);
    // The bureau has no group of its own: the city's. The host county's group is told too.
    expect(r.get(f.crossed.id)!.group?.chatId).toBe('oc_t_sp');
    expect(r.get(f.crossed.id)!.hostGroup?.chatId).toBe('oc_t_lishu');
    expect(r.get(f.own.id)).toMatchObject({ unitId: f.lishu.id, group: { chatId: 'oc_t_lishu' }, hostGroup: null });
    expect(r.get(f.other.id)!.leads.map((p) => p.name)).toEqual(['白河']);
  });

  it('the late warning of a project first-talked by a city bureau and hosted in a county reaches the bureau’s lead', async () => {
    const f = await twoCities(t.db);
    const deps = depsAt(t.db, '2026-11-26T09:30:00+08:00');
    // The county's own project reported; the bureau's did not.
    await t.db.insert(reports).values({ projectId: f.own.id, period: '2026-11', progress: '推进中' });
    const run = await runJob(deps, overdue, deps.clock.now());
    expect(run).toMatchObject({ status: 'done', key: '2026-11:escalate' });
    const q = await queued(t.db);
    expect(q.get('ou_t_bureau_lead')).toHaveLength(1);
    expect(q.get('ou_t_bureau_lead')![0]).toContain('四平氢能装备');
    // The host county's lead is not the one warned for it.
    expect(q.get('ou_t_county_lead')).toBeUndefined();
    // The owner has no Lark account: skipped, not failed. The other city's lead gets only their own.
    expect(q.get('ou_t_ja_lead')![0]).toContain('集安人参饮片');
    expect(q.get('ou_t_ja_lead')![0]).not.toContain('四平');
  });

  it('a 督办 card and the monthly summary of the same group agree project for project', async () => {
    const f = await twoCities(t.db);
    // Recent progress: nothing here is stalled, so each name appears only in the late lists.
    for (const p of [f.crossed, f.own, f.other]) await setProject(t.db, p.id, { lastProgressOn: '2026-11-01' });
    const deps = depsAt(t.db, '2026-11-26T09:30:00+08:00');
    expect((await runJob(deps, overdue, deps.clock.now())).status).toBe('done');
    expect((await runJob(deps, summaryMonthly, deps.clock.now())).status).toBe('done');
    const q = await queued(t.db);
    const names = ['四平氢能装备', '梨树玉米加工', '集安人参饮片'];
    for (const chat of ['oc_t_sp', 'oc_t_lishu', 'oc_t_th', 'oc_t_province']) {
      const [duban, ...summary] = [...(q.get(chat) ?? [])].sort((a) => (a.includes('督办') ? -1 : 1));
      expect(duban, chat).toContain('督办');
      const summaryText = summary.join('\n');
      // Project for project, and each under the same (first-talk) unit.
      const inDuban = names.filter((n) => duban!.includes(n));
      const inSummary = names.filter((n) => summaryText.includes(n));
      expect(inDuban, chat).toEqual(inSummary);
      expect(inDuban.length, chat).toBeGreaterThan(0);
      if (inDuban.includes('四平氢能装备')) {
        expect(summaryText).toMatch(/四平氢能装备（四平市工信局/);
        expect(duban!).toMatch(/\*\*四平市工信局\*\*（\d个）\n- \S+负责：四平氢能装备/);
      }
    }
    // The county's group sees the bureau's project hosted in it (its roll-up), the other city's group does not.
    expect(q.get('oc_t_lishu')!.join('\n')).toContain('四平氢能装备');
    expect(q.get('oc_t_th')!.join('\n')).not.toContain('四平');
  });

  it('the stall warning goes to the first-talk unit’s lead and group, and the host’s group', async () => {
    const f = await twoCities(t.db);
    await setProject(t.db, f.crossed.id, { lastProgressOn: '2026-03-01' });
    await setProject(t.db, f.own.id, { lastProgressOn: '2026-11-01' });
    await setProject(t.db, f.other.id, { lastProgressOn: '2026-11-01' });
    const deps = depsAt(t.db, '2026-11-16T10:00:00+08:00');
    expect((await runJob(deps, ageing, deps.clock.now())).status).toBe('done');
    const q = await queued(t.db);
    expect(q.get('ou_t_bureau_lead')![0]).toContain('四平氢能装备');
    expect(q.get('ou_t_county_lead')).toBeUndefined();
    expect(q.get('oc_t_sp')![0]).toContain('四平氢能装备');
    expect(q.get('oc_t_lishu')![0]).toContain('四平氢能装备');
    expect(q.get('oc_t_th')).toBeUndefined();
    // Once: a second run the same month sends nothing.
    expect((await runJob(deps, ageing, new Date('2026-11-17T10:00:00+08:00'))).status).toBe('already_done');
  });
});
