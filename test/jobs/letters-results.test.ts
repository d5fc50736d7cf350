import { describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { outbox, performanceLetters } from '../../db/schema.js';
import { answerLetterByCard, closeLetterOf } from '../../src/admin/letters.js';
import { letters } from '../../src/jobs/letters.js';
import { runJob } from '../../src/jobs/runner.js';
import { submit } from '../../src/report/service.js';
import { projectCard } from '../../src/status/project-card.js';
import { projectDetail } from '../../src/status/view.js';
import { button, text } from '../helpers/cards.js';
import { useTestDb } from '../helpers/db.js';
import { depsAt, personNamed, setProject, signInJune, twoCities } from './fixture.js';

const msg = { messageId: 'om_lr', chatId: 'oc_p2p_lr', chatType: 'p2p' as const, senderOpenId: 'ou_t' };

// 001 三.四: 及时规范未按规定建设、未按约定达效的违约项目，及时发出履约提醒函，督促项目单位加快建设进度或调整投资计划.
describe('agreed results (未按约定达效), the owner’s answer on the letter card, closing by the first-talk unit’s lead', () => {
  const t = useTestDb();
  const person = (name: string) => personNamed(t.db, name);
  const lettersOf = (projectId: number) => t.db.select().from(performanceLetters).where(eq(performanceLetters.projectId, projectId));

  it('agreed output and tax on the signing form and the project view; a letter per missed result, none for one met', async () => {
    const f = await twoCities(t.db);
    const {
      june,
      signed,
      project: p,
    } = await signInJune(t.db, '柳青', f.other.id, {
      agreed_output: '5亿',
      agreed_tax: '3000万元',
      agreed_results_by: '2026-10-31',
    });
    expect(signed.toast?.type).toBe('success');
    expect(p).toMatchObject({ agreedOutputFen: 5e10, agreedTaxFen: 3e9, agreedResultsBy: '2026-10-31' });
    expect(text(projectCard(await projectDetail(t.db, p!), '2026-06-10'))).toContain('约定年产值**：5亿元\n**约定年税收**：3000万元');

    // Refused, values kept: an agreed output without its date, an amount that is not one.
    const bad = await submit(
      june,
      await person('柳青'),
      { p: f.other.id },
      { agreed_output: '五个亿', agreed_tax: '1000万', progress: 'x' },
    );
    expect(bad.toast?.type).toBe('error');
    expect(text(bad.card)).toContain('请同时填写达效期限');

    // The owner reports 6亿 output (met) and no tax (not reported): one letter, for the tax.
    const oct = depsAt(t.db, '2026-10-12T10:00:00+08:00');
    expect((await submit(oct, await person('柳青'), { p: f.other.id }, { reported_output: '6亿', progress: '投产' })).toast?.type).toBe(
      'success',
    );
    const nov = depsAt(t.db, '2026-11-16T10:00:00+08:00');
    await runJob(nov, letters, nov.clock.now());
    const issued = await lettersOf(f.other.id);
    expect(issued.map((l) => l.reason)).toEqual(['tax_short']);
    expect(issued[0]!.body).toMatch(/达到年税收 3000万元[\s\S]*报送的年税收为 未报送，未按约定达效/);
    // The card carries the owner's answer form, sent to the owner and the first-talk unit's lead.
    const sent = await t.db.select().from(outbox).where(like(outbox.idemKey, 'letter:%'));
    expect(sent.map((r) => r.receiveId).sort()).toEqual(['ou_t_ja_lead', 'ou_t_ja_owner']);
    expect(button(sent[0]!.content, { a: 'letter_answer' }).value).toEqual({ a: 'letter_answer', l: issued[0]!.id });

    // Before the date, or once the tax is reported at the agreed level, nothing more.
    await setProject(t.db, f.other.id, { reportedTaxFen: 3e9 });
    await t.db.delete(performanceLetters);
    const next = depsAt(t.db, '2026-11-17T10:00:00+08:00');
    await runJob(next, letters, next.clock.now());
    expect(await lettersOf(f.other.id)).toHaveLength(0);
  });

  it('the owner answers on the card; others, forged ids and an empty answer are refused; only the first-talk unit’s lead closes', async () => {
    const f = await twoCities(t.db);
    await setProject(t.db, f.other.id, { stage: 'signed', signedOn: '2026-05-01', startPlannedOn: '2026-09-01' });
    await setProject(t.db, f.own.id, { stage: 'signed', signedOn: '2026-05-01', startPlannedOn: '2026-09-01' });
    const nov = depsAt(t.db, '2026-11-16T10:00:00+08:00');
    await runJob(nov, letters, nov.clock.now());
    const [letter] = await lettersOf(f.other.id);
    const [another] = await lettersOf(f.own.id); // 梨树县's project, owned by 无号员
    expect(letter && another).toBeTruthy();

    // Refused: the unit's lead, another city's people, a forged id, another project's letter, an empty answer.
    for (const who of ['白河', '秦岭', '章台']) {
      const r = await answerLetterByCard(nov, await person(who), { l: letter!.id }, { answer: '已开工' });
      expect(r.toast, who).toMatchObject({ type: 'error' });
    }
    for (const v of [{ l: another!.id }, { l: 'x' }, { l: -1 }, {}]) {
      expect((await answerLetterByCard(nov, await person('柳青'), v, { answer: '已开工' })).toast?.type).toBe('error');
    }
    const empty = await answerLetterByCard(nov, await person('柳青'), { l: letter!.id }, { answer: '   ' });
    expect(empty.toast).toMatchObject({ type: 'error', content: '请填写落实情况后再提交答复。' });
    expect((await lettersOf(f.other.id))[0]!.answeredOn).toBeNull();
    expect((await lettersOf(f.own.id))[0]!.answeredOn).toBeNull();

    // Works: the owner answers; the first-talk unit's lead is told.
    const ok = await answerLetterByCard(nov, await person('柳青'), { l: letter!.id }, { answer: '已于11月15日开工' });
    expect(ok.toast?.type).toBe('success');
    expect(text(ok.card)).toContain('已于11月15日开工');
    expect((await lettersOf(f.other.id))[0]).toMatchObject({ answer: '已于11月15日开工', answeredOn: '2026-11-16', open: true });
    const told = await t.db
      .select()
      .from(outbox)
      .where(like(outbox.idemKey, `letter:${letter!.id}:answered:%`));
    expect(told.map((r) => r.receiveId)).toEqual(['ou_t_ja_lead']);
    // Replayed: answered already.
    expect((await answerLetterByCard(nov, await person('柳青'), { l: letter!.id }, { answer: '改口' })).toast?.type).toBe('error');
    expect((await lettersOf(f.other.id))[0]!.answer).toBe('已于11月15日开工');

    // Closing: the owner cannot close their own letter, nor the city's admin, nor another unit's lead.
    for (const who of ['柳青', '章台', '梁山', '秦岭']) {
      expect(JSON.stringify(await closeLetterOf(nov, msg, await person(who), 'T-3', '核实'))).toContain('没有找到');
    }
    expect((await lettersOf(f.other.id))[0]!.open).toBe(true);
    // The first-talk unit's lead closes it.
    await closeLetterOf(nov, msg, await person('白河'), 'T-3', '核实已开工');
    expect((await lettersOf(f.other.id))[0]).toMatchObject({ open: false, closedOn: '2026-11-16', closure: '核实已开工' });
    // 梨树县's own letter: its lead closes it, the bureau's lead (same city, another unit) does not.
    expect(JSON.stringify(await closeLetterOf(nov, msg, await person('秦岭'), 'T-2', '核实'))).toContain('没有找到');
    await closeLetterOf(nov, msg, await person('梁山'), 'T-2', '核实');
    expect((await lettersOf(f.own.id))[0]!.open).toBe(false);
  });
});
