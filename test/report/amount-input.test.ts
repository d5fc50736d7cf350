import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { fundEntries, projects } from '../../db/schema.js';
import { parseAmount, wan, yuan } from '../../src/domain/amount.js';
import { readActionValue } from '../../src/report/actions.js';
import { submit } from '../../src/report/service.js';
import { formatAmount } from '../../src/words.js';
import { buttons, text } from '../helpers/cards.js';
import { useTestDb } from '../helpers/db.js';
import { depsAt, setProject, twoCities } from '../jobs/fixture.js';

/*
 * Issue 17, item 2: a money field takes a number only with its unit; under 1万元 is asked about, then taken; nil
 * figures read "—". Ledgers declare 万元 in their headers and keep reading bare numbers in it.
 */

const AT = '2026-11-16T10:00:00+08:00';

describe('amounts as officers write them (issue 17)', () => {
  const t = useTestDb();

  describe('works', () => {
    it('one formatter: nil reads "—" (or 无 in a sentence), under 1万元 in 元, never "0万元"', () => {
      expect(formatAmount(null)).toBe('—');
      expect(formatAmount(0)).toBe('—');
      expect(formatAmount(0, { nil: 'none' })).toBe('无');
      expect(formatAmount(yuan(100))).toBe('100元');
      expect(formatAmount(wan(5000))).toBe('5000万元');
      expect(formatAmount(wan(32000))).toBe('3.2亿元');
    });

    it('a ledger column in 万元 still reads a bare number in it; the form refuses it', () => {
      expect(parseAmount('5000', { defaultUnit: 'wan' })).toEqual({ ok: true, fen: wan(5000) });
      expect(parseAmount('5000', { requireUnit: true })).toMatchObject({ ok: false, code: 'no_unit' });
      expect(parseAmount('5000万', { requireUnit: true })).toEqual({ ok: true, fen: wan(5000) });
    });

    it('a fund under 1万元 is asked about, and taken when the same form is submitted again', async () => {
      const f = await twoCities(t.db);
      const deps = depsAt(t.db, AT);
      const form = { progress: '首笔资金到账', fund_amount: '5000元', fund_date: '2026-11-12' };
      const asked = await submit(deps, f.officer, { p: f.own.id, period: '2026-11' }, form);
      expect(asked.toast?.type).toBe('error');
      expect(text(asked.card)).toContain('金额不足1万元（5000元）');
      expect(await t.db.select().from(fundEntries)).toHaveLength(0);
      const again = buttons(asked.card).find((b) => b.submit)!;
      const taken = await submit(deps, f.officer, readActionValue(again.value), form);
      expect(taken.toast?.type).toBe('success');
      const [e] = await t.db.select().from(fundEntries);
      expect(e!.amountFen).toBe(yuan(5000));
    });

    it('a contract under 1万元 asks instead of refusing', async () => {
      const f = await twoCities(t.db);
      await setProject(t.db, f.own.id, { stage: 'intent' });
      const deps = depsAt(t.db, AT);
      const form = { progress: '签约', stage: 'signed', contract_amount: '8000元', signed_on: '2026-11-10' };
      const asked = await submit(deps, f.officer, { p: f.own.id, period: '2026-11' }, form);
      expect(text(asked.card)).toContain('确认无误请直接再次提交');
      const again = readActionValue(buttons(asked.card).find((b) => b.submit)!.value);
      expect((await submit(deps, f.officer, again, form)).toast?.type).toBe('success');
      const [p] = await t.db.select().from(projects).where(eq(projects.id, f.own.id));
      expect(p!.contractAmountFen).toBe(yuan(8000));
    });
  });

  describe('refused', () => {
    it('a bare number in a money field is refused with the one-line hint, and what was typed stays', async () => {
      const f = await twoCities(t.db);
      const deps = depsAt(t.db, AT);
      const a = await submit(deps, f.officer, { p: f.own.id, period: '2026-11' }, { progress: '到账', fund_amount: '5000' });
      expect(a.toast?.type).toBe('error');
      const shown = text(a.card);
      expect(shown).toContain('请写明单位，如 5000万 或 0.5亿');
      expect(shown).toContain('到账');
      expect(await t.db.select().from(fundEntries)).toHaveLength(0);
    });
  });

  describe('attacker', () => {
    it('a confirmation forged for another amount confirms nothing; junk in it is dropped', async () => {
      const f = await twoCities(t.db);
      const deps = depsAt(t.db, AT);
      const v = readActionValue({ p: f.own.id, period: '2026-11', small: ['fund_amount=100', 'x'.repeat(500), { a: 1 }] });
      expect(v.small).toEqual(['fund_amount=100']);
      const a = await submit(deps, f.officer, v, { progress: '到账', fund_amount: '0.5万' });
      expect(a.toast?.type).toBe('error');
      expect(await t.db.select().from(fundEntries)).toHaveLength(0);
    });
  });
});
