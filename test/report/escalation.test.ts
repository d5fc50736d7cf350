import { describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { outbox, people, projects } from '../../db/schema.js';
import { applyImport, planImport } from '../../src/ledger/import.js';
import { readWorkbook } from '../../src/ledger/read.js';
import { runJob } from '../../src/jobs/runner.js';
import { summaryMonthly } from '../../src/jobs/summaries.js';
import { submit } from '../../src/report/service.js';
import { projectCard } from '../../src/status/project-card.js';
import { projectDetail } from '../../src/status/view.js';
import { text } from '../helpers/cards.js';
import { useTestDb } from '../helpers/db.js';
import { depsAt, setProject, twoCities } from '../jobs/fixture.js';

const AT = '2026-11-16T10:00:00+08:00';

// 001 三.三: 建立重大项目提级报备机制，对新签约合同引资额5亿元以上的重大招商引资项目，实施提级管理.
describe('提级报备 on every path, once, with the 提级管理 mark (001 三.三)', () => {
  const t = useTestDb();

  async function filings(projectId: number) {
    return t.db
      .select()
      .from(outbox)
      .where(like(outbox.idemKey, `escalate:%:${projectId}`));
  }
  async function admin() {
    const [p] = await t.db.select().from(people).where(eq(people.name, '章台'));
    return p!;
  }
  async function marked(id: number) {
    const [p] = await t.db.select().from(projects).where(eq(projects.id, id));
    return p!;
  }

  it('a jump 意向→落地 at 6亿 by the form files once: above the first-talk unit and to the host’s group', async () => {
    const f = await twoCities(t.db);
    await setProject(t.db, f.crossed.id, { stage: 'intent' });
    const deps = depsAt(t.db, AT);
    const form = { stage: 'landed', contract_amount: '6亿', signed_on: '2026-10-08', landed_on: '2026-11-10', progress: '一期投产' };
    const a = await submit(deps, await admin(), { p: f.crossed.id }, form);
    expect(a.toast?.type).toBe('success');
    const rows = await filings(f.crossed.id);
    // The bureau's parent is the city: its group; the host county's group is told too.
    expect(rows.map((r) => r.receiveId).sort()).toEqual(['oc_t_lishu', 'oc_t_sp']);
    expect(text(rows[0]!.content)).toContain('6亿元');
    expect(await marked(f.crossed.id)).toMatchObject({ escalatedOn: '2026-11-16', escalatedToUnitId: f.sp.id });
    // Another report the same month (an edit) files nothing more.
    await submit(deps, await admin(), { p: f.crossed.id }, { progress: '二期开工准备' });
    expect(await filings(f.crossed.id)).toHaveLength(2);

    // The mark shows on the project view and in the summaries of both groups.
    const view = text(projectCard(await projectDetail(t.db, await marked(f.crossed.id)), '2026-11-16'));
    expect(view).toMatch(/提级管理.*2026年11月16日提级报备至四平市/);
    const sum = depsAt(t.db, '2026-11-23T09:30:00+08:00');
    expect((await runJob(sum, summaryMonthly, sum.clock.now())).status).toBe('done');
    const summaries = await t.db.select().from(outbox).where(like(outbox.idemKey, 'summary-monthly:%'));
    for (const chat of ['oc_t_sp', 'oc_t_lishu']) {
      const s = summaries.filter((r) => r.receiveId === chat).map((r) => text(r.content));
      expect(s.join('\n'), chat).toMatch(/提级管理.*1 个项目[\s\S]*2026年11月16日：四平氢能装备（T-1）提级报备至四平市/);
    }
    expect(
      summaries
        .filter((r) => r.receiveId === 'oc_t_th')
        .map((r) => text(r.content))
        .join('\n'),
    ).not.toContain('提级管理');
  });

  it('an import of a signed 5亿 project files once; importing it again files nothing', async () => {
    const f = await twoCities(t.db);
    const csv =
      '项目编号,项目名称,项目阶段,首谈单位编码,承载地编码,合同引资额,签约日期\n' + 'T-9,梨树储能电站,签约,SP-LS,SP-LS,5亿,2026-11-02\n';
    const plan = async () => planImport(t.db, await readWorkbook(Buffer.from(csv, 'utf8'), { fileName: 'p.csv' }), 'operator');
    const first = await applyImport(t.db, await plan(), { today: '2026-11-16' });
    expect(first.escalated).toBe(1);
    const [p] = await t.db.select().from(projects).where(eq(projects.code, 'T-9'));
    // The county's parent is the city; the host is the first-talk unit, so only the group above hears of it.
    expect((await filings(p!.id)).map((r) => r.receiveId)).toEqual(['oc_t_sp']);
    expect(await marked(p!.id)).toMatchObject({ escalatedOn: '2026-11-16', escalatedToUnitId: f.sp.id });
    const again = await applyImport(t.db, await plan(), { today: '2026-11-17' });
    expect(again.escalated).toBe(0);
    expect(await filings(p!.id)).toHaveLength(1);
  });

  it('raising a signed project’s contract amount from 4亿 to 5亿 files once; under the threshold nothing', async () => {
    const f = await twoCities(t.db);
    await setProject(t.db, f.own.id, { stage: 'signed', contractAmountFen: 4e10, signedOn: '2026-09-01' });
    const deps = depsAt(t.db, AT);
    await submit(deps, await admin(), { p: f.own.id }, { progress: '补充协议', contract_amount: '4.5亿' });
    expect(await filings(f.own.id)).toHaveLength(0);
    expect((await marked(f.own.id)).escalatedOn).toBeNull();
    await submit(deps, await admin(), { p: f.own.id }, { progress: '补充协议增资', contract_amount: '5亿' });
    expect((await marked(f.own.id)).contractAmountFen).toBe(5e10);
    expect((await filings(f.own.id)).map((r) => r.receiveId)).toEqual(['oc_t_sp']);
    expect((await marked(f.own.id)).escalatedOn).toBe('2026-11-16');
    // Raised again: still once.
    await submit(deps, await admin(), { p: f.own.id }, { progress: '再增资', contract_amount: '7亿' });
    expect(await filings(f.own.id)).toHaveLength(1);
  });

  it('refused: a project not signed never files, whatever amount the form carries', async () => {
    const f = await twoCities(t.db);
    const deps = depsAt(t.db, AT);
    await submit(deps, await admin(), { p: f.other.id }, { progress: '洽谈中', contract_amount: '9亿' });
    expect(await filings(f.other.id)).toHaveLength(0);
    expect(await marked(f.other.id)).toMatchObject({ escalatedOn: null, contractAmountFen: null });
  });
});
