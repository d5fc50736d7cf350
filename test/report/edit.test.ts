import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { fundEntries, problems, projects, reportRevisions, reports, stageHistory } from '../../db/schema.js';
import { openForm, submit } from '../../src/report/service.js';
import { upsertUnit } from '../../src/store/directory.js';
import { fields, text } from '../helpers/cards.js';
import { useTestDb } from '../helpers/db.js';
import { depsAt, setProject, twoCities } from '../jobs/fixture.js';

/*
 * Issue 17, item 1: 修改 starts from everything the report said, keeps what was not changed, and is an edit with
 * history. Two cities; the project is first-talked by a city bureau and hosted in a county (first-talk ≠ host).
 */

const AT = '2026-11-16T10:00:00+08:00';

describe('修改 keeps the whole report (issue 17)', () => {
  const t = useTestDb();

  async function setup() {
    const f = await twoCities(t.db);
    const land = await upsertUnit(t.db, { code: 'SP-ZR', name: '四平市自然资源局', kind: 'department', parentId: f.sp.id });
    await setProject(t.db, f.crossed.id, { stage: 'intent' });
    const deps = depsAt(t.db, AT);
    const first = {
      stage: 'signed',
      contract_amount: '6000万',
      signed_on: '2026-11-10',
      agreed_start: '2027-03-01',
      progress: '双方签订投资协议',
      substantive: 'decision_maker_visit',
      substantive_note: '董事长实地考察',
      fund_amount: '5,000万元',
      fund_date: '2026-11-12',
      fund_evidence: 'bank_statement',
      problem_category: 'land',
      problem_text: '用地指标未落实',
      problem_unit: '市自然资源局',
      next_step: '办理用地手续',
      next_step_due: '2026-12-15',
    };
    const a = await submit(deps, f.officer, { p: f.crossed.id, period: '2026-11' }, first);
    expect(a.toast?.type).toBe('success');
    return { f, land, deps };
  }
  /** What the form shows, as the values Lark would send back when nothing is touched. */
  const asSent = (card: unknown) =>
    Object.fromEntries([...fields(card)].filter(([, x]) => typeof x.value === 'string').map(([k, x]) => [k, x.value as string]));
  const revisions = async (projectId: number) => {
    const [r] = await t.db.select().from(reports).where(eq(reports.projectId, projectId));
    return t.db.select().from(reportRevisions).where(eq(reportRevisions.reportId, r!.id)).orderBy(reportRevisions.revision);
  };

  describe('works', () => {
    it('the form prefills every field, says the period is reported, and resubmitting unchanged is the same report', async () => {
      const { f, land, deps } = await setup();
      const o = await openForm(deps, f.officer, { p: f.crossed.id, period: '2026-11' });
      const shown = text(o.card);
      expect(shown).toContain('2026年11月已填报（第1版）');
      const v = asSent(o.card);
      expect(v).toMatchObject({
        stage: 'signed',
        contract_amount: '6000万',
        signed_on: '2026-11-10',
        agreed_start: '2027-03-01',
        progress: '双方签订投资协议',
        substantive: 'decision_maker_visit',
        substantive_note: '董事长实地考察',
        fund_amount: '5000万',
        fund_date: '2026-11-12',
        fund_evidence: 'bank_statement',
        problem_category: 'land',
        problem_text: '用地指标未落实',
        problem_unit: '四平市自然资源局',
        next_step: '办理用地手续',
        next_step_due: '2026-12-15',
      });
      expect(shown).toContain('本期已变更为“签约”');

      const again = await submit(deps, f.officer, { p: f.crossed.id, period: '2026-11' }, v);
      expect(again.toast?.type).toBe('success');
      expect(text(again.card)).toMatch(/意向 → \*\*签约\*\*/);
      expect(await revisions(f.crossed.id)).toHaveLength(1);
      const [p] = await t.db.select().from(problems).where(eq(problems.projectId, f.crossed.id));
      expect(p!.mustActUnitId).toBe(land.id);
      expect(await t.db.select().from(fundEntries).where(eq(fundEntries.projectId, f.crossed.id))).toHaveLength(1);
      expect(await t.db.select().from(stageHistory).where(eq(stageHistory.projectId, f.crossed.id))).toHaveLength(1);
    });

    it('changing one field makes a second version that keeps the move, the progress kind, the funds and the unit', async () => {
      const { f, land, deps } = await setup();
      const v = asSent((await openForm(deps, f.officer, { p: f.crossed.id, period: '2026-11' })).card);
      const a = await submit(deps, f.officer, { p: f.crossed.id, period: '2026-11' }, { ...v, progress: '协议已报备' });
      expect(a.toast?.type).toBe('success');
      const revs = await revisions(f.crossed.id);
      expect(revs.map((r) => r.revision)).toEqual([1, 2]);
      // The first version is kept as it was.
      expect((revs[0]!.content as { progress: string }).progress).toBe('双方签订投资协议');
      const c = revs[1]!.content as Record<string, any>;
      expect(c.progress).toBe('协议已报备');
      expect(c.stage).toMatchObject({ from: 'intent', to: 'signed', contractFen: 6000 * 1_000_000, signedOn: '2026-11-10' });
      expect(c.substantive).toEqual(['stage_advance', 'signed', 'funds_arrived', 'decision_maker_visit']);
      expect(c.problem).toMatchObject({ category: 'land', mustActUnitId: land.id });
      expect(c.fund).toMatchObject({ amountFen: 5000 * 1_000_000, date: '2026-11-12' });
      expect(c.nextStepDue).toBe('2026-12-15');
      const [r] = await t.db.select().from(reports).where(eq(reports.projectId, f.crossed.id));
      expect(r!.revision).toBe(2);
      expect(r!.substantive).toContain('decision_maker_visit');
      const [p] = await t.db.select().from(projects).where(eq(projects.id, f.crossed.id));
      expect(p!.stage).toBe('signed');
      expect(await t.db.select().from(stageHistory).where(eq(stageHistory.projectId, f.crossed.id))).toHaveLength(1);
    });

    it('a corrected contract amount on the kept move updates the project', async () => {
      const { f, deps } = await setup();
      const v = asSent((await openForm(deps, f.officer, { p: f.crossed.id, period: '2026-11' })).card);
      expect((await submit(deps, f.officer, { p: f.crossed.id, period: '2026-11' }, { ...v, contract_amount: '7000万' })).toast?.type).toBe(
        'success',
      );
      const [p] = await t.db.select().from(projects).where(eq(projects.id, f.crossed.id));
      expect(p!.contractAmountFen).toBe(7000 * 1_000_000);
    });

    it('a form opened over a "no change" report says so and its submission is a second version', async () => {
      const f = await twoCities(t.db);
      const deps = depsAt(t.db, AT);
      const { noChange } = await import('../../src/report/service.js');
      await noChange(deps, f.officer, { p: f.own.id, period: '2026-11' });
      const o = await openForm(deps, f.officer, { p: f.own.id, period: '2026-11' });
      expect(text(o.card)).toContain('2026年11月已报“本月无变化”');
      await submit(deps, f.officer, { p: f.own.id, period: '2026-11' }, { progress: '新增洽谈' });
      expect((await revisions(f.own.id)).map((r) => (r.content as { noChange: boolean }).noChange)).toEqual([true, false]);
    });
  });

  describe('refused', () => {
    it('the host side may resubmit the kept move and funds with its progress, but not change the funds', async () => {
      const { f, deps } = await setup();
      const v = asSent((await openForm(deps, f.countyLead, { p: f.crossed.id, period: '2026-11' })).card);
      const changed = await submit(deps, f.countyLead, { p: f.crossed.id, period: '2026-11' }, { ...v, fund_amount: '9000万' });
      expect(changed.toast?.type).toBe('error');
      expect(text(changed.card)).toContain('已填报（第1版）');
      const kept = await submit(deps, f.countyLead, { p: f.crossed.id, period: '2026-11' }, { ...v, progress: '县里协调用地' });
      expect(kept.toast?.type).toBe('success');
      const [e] = await t.db.select().from(fundEntries).where(eq(fundEntries.projectId, f.crossed.id));
      expect(e!.amountFen).toBe(5000 * 1_000_000);
    });
  });

  describe('attacker', () => {
    it('an edit form whose hidden ids are forged to another city’s project or a closed period changes nothing', async () => {
      const { f, deps } = await setup();
      const v = asSent((await openForm(deps, f.officer, { p: f.crossed.id, period: '2026-11' })).card);
      const other = await submit(deps, f.officer, { p: f.other.id, period: '2026-11' }, v);
      expect(other.toast?.content).toBe('没有找到该项目');
      expect(await t.db.select().from(reports).where(eq(reports.projectId, f.other.id))).toHaveLength(0);
      const old = await submit(deps, f.officer, { p: f.crossed.id, period: '2026-08' }, v);
      expect(old.toast?.type).toBe('error');
      expect(await revisions(f.crossed.id)).toHaveLength(1);
      // Another city's owner opening the edit form learns nothing about it.
      const peek = await openForm(deps, f.jaOwner, { p: f.crossed.id, period: '2026-11' });
      expect(peek.card).toBeUndefined();
      expect(peek.toast?.content).toBe('没有找到该项目');
    });

    it('a forged "kept move" on a project that never moved this period moves nothing', async () => {
      const f = await twoCities(t.db);
      const deps = depsAt(t.db, AT);
      const a = await submit(deps, f.officer, { p: f.own.id, period: '2026-11' }, { stage: 'negotiating', progress: '接洽' });
      expect(a.toast?.type).toBe('success');
      expect(await t.db.select().from(stageHistory).where(eq(stageHistory.projectId, f.own.id))).toHaveLength(0);
      const [c] = await revisions(f.own.id);
      expect((c!.content as { stage: unknown }).stage).toBeNull();
    });
  });
});
