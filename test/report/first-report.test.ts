/**
 * Issue 18: the period's first report is written in one statement (src/store/reports.ts writeFirstReport) with its
 * audit entry, its fund entry and the callback's inbox record. What should work (parallel first submissions of one
 * project write one report, whichever way each goes), what is refused (another city's project, forged into the card
 * value: nothing written, the inbox record left to the dispatcher) and what the one-statement write will not take.
 */
import { describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { auditLog, fundEntries, processedEvents, projects, reportRevisions, reports } from '../../db/schema.js';
import { submit, type Sealing } from '../../src/report/service.js';
import { personByOpenId } from '../../src/store/directory.js';
import { admit } from '../../src/store/dedupe.js';
import { writeFirstReport } from '../../src/store/reports.js';
import { useDemoBot } from '../helpers/bot.js';
import { addSecondCity } from '../helpers/second-city.js';

const ZHENG = 'ou_demo_zheng_hao'; // owner in 东丰县
const FORM = { progress: '完成第二轮洽谈，对方已提交投资意向', fund_amount: '0.5亿' };

function sealing(key: string): Sealing & { wasSealed: boolean } {
  const s = {
    key,
    wasSealed: false,
    response: (a: unknown) => a,
    sealed: () => {
      s.wasSealed = true;
    },
  };
  return s;
}

describe('the first report in one statement', () => {
  const { t, bot } = useDemoBot('2026-11-13T09:00:00+08:00', '2026-11-13');

  it('12 parallel first submissions of one project write one report, one revision, one fund entry, one audit row', async () => {
    const actor = (await personByOpenId(t.db, ZHENG))!;
    const [p] = await t.db.select().from(projects).where(eq(projects.code, 'LY2026-002'));
    const keys = Array.from({ length: 12 }, (_, n) => `event:first-report-${n}`);
    for (const k of keys) await admit(t.db, k, undefined, 60_000);
    const seals = keys.map(sealing);
    const answers = await Promise.all(seals.map((s) => submit(bot.runtime.deps, actor, { p: p!.id, period: '2026-11' }, { ...FORM }, s)));
    expect(answers.every((a) => a.toast?.type === 'success')).toBe(true);
    const rows = await t.db
      .select()
      .from(reports)
      .where(and(eq(reports.projectId, p!.id), eq(reports.period, '2026-11')));
    expect(rows).toHaveLength(1);
    expect(await t.db.select().from(reportRevisions).where(eq(reportRevisions.reportId, rows[0]!.id))).toHaveLength(1);
    const funds = await t.db.select().from(fundEntries).where(eq(fundEntries.reportId, rows[0]!.id));
    expect(funds).toHaveLength(1);
    expect(funds[0]).toMatchObject({ amountFen: 50_000_000 * 100, status: 'reported' });
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'report.create'), eq(auditLog.entityId, String(rows[0]!.id))));
    expect(audits).toHaveLength(1);
    // Every submission's inbox record committed with its own write (issue 14): the one that wrote in one statement,
    // and the eleven that found the report there and took writeReport's transaction, each with the answer it gave.
    expect(seals.filter((s) => s.wasSealed)).toHaveLength(12);
    const events = await t.db.select().from(processedEvents).where(inArray(processedEvents.key, keys));
    expect(events).toHaveLength(12);
    for (const event of events) {
      expect(event.doneAt).not.toBeNull();
      expect((event.response as { toast?: { type?: string } }).toast?.type).toBe('success');
    }
  });

  it('refuses another city’s project forged into the card value: nothing written, the inbox record not sealed', async () => {
    const sp = await addSecondCity(t.db, '2026-11-13');
    const actor = (await personByOpenId(t.db, ZHENG))!;
    await admit(t.db, 'event:forged', undefined, 60_000);
    const seal = sealing('event:forged');
    const answer = await submit(bot.runtime.deps, actor, { p: sp.project, period: '2026-11', ids: [sp.offlineProject] }, { ...FORM }, seal);
    expect(answer.toast?.type).toBe('error');
    // "没有找到", as for a project that does not exist: nothing about the other city's project is revealed.
    expect(JSON.stringify(answer)).not.toContain('四平');
    expect(await t.db.select().from(reports).where(eq(reports.projectId, sp.project))).toHaveLength(0);
    expect(seal.wasSealed).toBe(false);
    const [event] = await t.db.select().from(processedEvents).where(eq(processedEvents.key, 'event:forged'));
    expect(event!.doneAt).toBeNull();
  });

  it('will not write a stage move in one statement (that takes the transaction with its history and 提级 check)', async () => {
    const [p] = await t.db.select().from(projects).where(eq(projects.code, 'LY2026-002'));
    const input = {
      projectId: p!.id,
      period: '2026-11',
      reporterId: p!.ownerId!,
      noChange: false,
      substantive: [],
      stage: { to: 'intent' as const },
      today: '2026-11-13',
      at: new Date('2026-11-13T01:00:00Z'),
      late: false,
    };
    await expect(writeFirstReport(t.db, input)).rejects.toThrow(/writeReport/);
    expect(
      await t.db
        .select()
        .from(reports)
        .where(and(eq(reports.projectId, p!.id), eq(reports.period, '2026-11'))),
    ).toHaveLength(0);
  });
});
