import { describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { fundEntries, outbox, performanceLetters } from '../../db/schema.js';
import { answerLetterOf, closeLetterOf } from '../../src/admin/letters.js';
import { letters } from '../../src/jobs/letters.js';
import { runJob } from '../../src/jobs/runner.js';
import { summaryMonthly } from '../../src/jobs/summaries.js';
import { projectCard } from '../../src/status/project-card.js';
import { projectDetail } from '../../src/status/view.js';
import { text } from '../helpers/cards.js';
import { useTestDb } from '../helpers/db.js';
import { depsAt, personNamed, setProject, signInJune, twoCities } from './fixture.js';

const msg = { messageId: 'om_t', chatId: 'oc_p2p_t', chatType: 'p2p' as const, senderOpenId: 'ou_t' };

// 001 三.四: 及时规范未按规定建设、未按约定达效的违约项目，及时发出履约提醒函.
describe('agreed terms at signing, and a 履约提醒函 per missed term (001 三.四)', () => {
  const t = useTestDb();
  const person = (name: string) => personNamed(t.db, name);

  it('terms entered on the signing form; a missed start date and a missed investment each raise one letter, answered and closed in chat', async () => {
    const f = await twoCities(t.db);
    const { signed, project: p } = await signInJune(t.db, '章台', f.crossed.id, {
      agreed_start: '2026-09-01',
      agreed_investment: '1亿',
      agreed_investment_by: '2026-10-31',
    });
    expect(signed.toast?.type).toBe('success');
    expect(p).toMatchObject({ startPlannedOn: '2026-09-01', agreedInvestmentFen: 1e10, agreedInvestmentBy: '2026-10-31' });
    const view = text(projectCard(await projectDetail(t.db, p!), '2026-06-10'));
    expect(view).toContain('合同约定开工**：2026年9月1日\n');
    expect(view).toContain('合同约定投资**：1亿元（2026年10月31日前）');

    // 2000万 verified by the agreed date: short of 1亿.
    await t.db.insert(fundEntries).values({ projectId: f.crossed.id, entryDate: '2026-10-15', amountFen: 2e9, status: 'verified' });
    const nov = depsAt(t.db, '2026-11-16T10:00:00+08:00');
    expect((await runJob(nov, letters, nov.clock.now())).status).toBe('done');
    const issued = await t.db.select().from(performanceLetters).where(eq(performanceLetters.projectId, f.crossed.id));
    expect(issued.map((l) => l.reason).sort()).toEqual(['investment_short', 'start_overdue']);
    expect(issued.find((l) => l.reason === 'investment_short')!.body).toMatch(/完成投资 1亿元[\s\S]*到位资金 2000万元/);
    // To the first-talk unit's lead (the owner has no Lark account), one per letter; not to the host county's lead.
    const sent = await t.db.select().from(outbox).where(like(outbox.idemKey, 'letter:%'));
    expect(sent.map((r) => r.receiveId)).toEqual(['ou_t_bureau_lead', 'ou_t_bureau_lead']);
    // Once: the next workday raises nothing more.
    const next = depsAt(t.db, '2026-11-17T10:00:00+08:00');
    await runJob(next, letters, next.clock.now());
    expect(await t.db.select().from(performanceLetters)).toHaveLength(2);

    // The open letters show in the monthly summary of the city's group.
    const sum = depsAt(t.db, '2026-11-23T09:30:00+08:00');
    await runJob(sum, summaryMonthly, sum.clock.now());
    const sp = (await t.db.select().from(outbox).where(like(outbox.idemKey, 'summary-monthly:%'))).filter((r) => r.receiveId === 'oc_t_sp');
    expect(sp.map((r) => text(r.content)).join('\n')).toMatch(/未关闭的履约提醒函\*\*：2 份[\s\S]*四平氢能装备：未按约定开工.*待答复/);

    // Refused: someone else cannot answer the owner's letter.
    expect(JSON.stringify(await answerLetterOf(next, msg, await person('柳青'), 'T-1', '已处理'))).toContain('没有找到');
    // The owner answers both; the bureau's lead is told each time.
    await answerLetterOf(next, msg, await person('无号员'), 'T-1', '已于11月16日开工');
    await answerLetterOf(next, msg, await person('无号员'), 'T-1', '第二笔5000万已在途');
    const answered = await t.db.select().from(performanceLetters).where(eq(performanceLetters.projectId, f.crossed.id));
    expect(answered.every((l) => l.answeredOn === '2026-11-17' && l.answer && l.open)).toBe(true);
    expect(await t.db.select().from(outbox).where(like(outbox.idemKey, 'letter:%:answered:%'))).toHaveLength(2);
    // The first-talk unit's lead closes them.
    await closeLetterOf(next, msg, await person('秦岭'), 'T-1', '核实已开工');
    await closeLetterOf(next, msg, await person('秦岭'), 'T-1', '核实资金在途');
    expect((await t.db.select().from(performanceLetters)).every((l) => !l.open && l.closedOn === '2026-11-17')).toBe(true);
  });

  it('no letter while the terms are kept, or before their dates', async () => {
    const f = await twoCities(t.db);
    await setProject(t.db, f.other.id, {
      stage: 'signed',
      signedOn: '2026-05-01',
      startPlannedOn: '2026-12-01',
      startedOn: null,
      agreedInvestmentFen: 1e9,
      agreedInvestmentBy: '2026-10-31',
    });
    await t.db.insert(fundEntries).values({ projectId: f.other.id, entryDate: '2026-10-01', amountFen: 1e9, status: 'verified' });
    const nov = depsAt(t.db, '2026-11-16T10:00:00+08:00');
    await runJob(nov, letters, nov.clock.now());
    expect(await t.db.select().from(performanceLetters)).toHaveLength(0);
  });
});
