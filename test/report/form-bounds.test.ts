/**
 * Issue 14, case 8: the report form's values are bounded and typed. What works, what is refused, and what an
 * attacker sends (numbers and arrays where text belongs, 100 KB values).
 */
import { describe, expect, it } from 'vitest';
import { fieldLimit, readFormValues, validateReport, type ValidateContext } from '../../src/report/form.js';
import type { Project } from '../../src/store/projects.js';
import { NEW_PROJECT_LIMIT, newProjectShapeErrors, readNewProject } from '../../src/report/new-project.js';

const project = {
  id: 7,
  code: 'SP2026-031',
  name: '四平新型建材产业园',
  stage: 'intent',
  contractAmountFen: null,
  signedOn: null,
  landedOn: null,
} as unknown as Project;

const ctx: ValidateContext = {
  project,
  period: '2027-02',
  reporterId: 3,
  today: '2027-02-10',
  at: new Date('2027-02-10T02:00:00Z'),
  late: false,
  unitByName: () => undefined,
};

const check = (raw: Record<string, unknown>) => validateReport(readFormValues(raw), ctx);
const errorsOf = (raw: Record<string, unknown>) => {
  const r = check(raw);
  return r.ok ? {} : r.errors;
};

describe('report form bounds: what works', () => {
  it('takes a signing with a plausible date and amount', () => {
    const r = check({ progress: '双方完成签约', stage: 'signed', contract_amount: '2.5亿', signed_on: '2027-02-08 +0800' });
    expect(r.ok).toBe(true);
  });

  it('takes values exactly at their limit', () => {
    expect(check({ progress: '进'.repeat(fieldLimit('progress')) }).ok).toBe(true);
  });
});

describe('report form bounds: what is refused', () => {
  it('refuses 0.01元 as a contract amount and 0001-01-01 as a signing date', () => {
    const e = errorsOf({ progress: '签约', stage: 'signed', contract_amount: '0.01元', signed_on: '0001-01-01' });
    expect(e.contract_amount).toContain('不足1万元');
    expect(e.signed_on).toContain('不在合理范围内');
  });

  it('refuses a signing date more than a year ahead', () => {
    expect(errorsOf({ progress: '签约', stage: 'signed', contract_amount: '1亿', signed_on: '2028-03-01' }).signed_on).toContain(
      '2028-02-10',
    );
  });

  it('refuses a fund of 0', () => {
    expect(errorsOf({ progress: '到账', fund_amount: '0万' }).fund_amount).toContain('大于0');
  });
});

describe('report form bounds: what an attacker tries', () => {
  it('refuses a progress sent as a number or an array instead of coercing it', () => {
    expect(errorsOf({ progress: 12345 }).progress).toContain('格式不对');
    expect(errorsOf({ progress: ['进展', '更多'] }).progress).toContain('格式不对');
    expect(errorsOf({ progress: '正常', next_step: { a: 1 } }).next_step).toContain('格式不对');
  });

  it('cuts a 100 KB value for the echo, with a note, and refuses it; the whole echo stays under 30 KB', () => {
    const huge = '长'.repeat(100_000);
    const raw: Record<string, unknown> = {};
    for (const f of [
      'progress',
      'stage_reason',
      'substantive_note',
      'problem_text',
      'next_step',
      'transfer_to',
      'fund_amount',
      'problem_unit',
    ])
      raw[f] = huge;
    const values = readFormValues(raw);
    expect(values.progress!.length).toBeLessThan(fieldLimit('progress') + 40);
    expect(values.progress).toContain('超出部分未显示');
    expect(Buffer.byteLength(JSON.stringify(values))).toBeLessThan(30_000);
    const e = errorsOf(raw);
    expect(e.progress).toContain(`${fieldLimit('progress')}字`);
    expect(e.transfer_to).toContain(`${fieldLimit('transfer_to')}字`);
  });
});

describe('new-project form bounds', () => {
  it('takes plain text within the limit', () => {
    expect(newProjectShapeErrors({ name: '辽源储能电池项目', host: '东丰县' })).toEqual({});
  });

  it('refuses a number or an array where text belongs, and a value over the limit, cutting its echo', () => {
    const e = newProjectShapeErrors({ name: 123, investor: ['a'], host: '县'.repeat(NEW_PROJECT_LIMIT + 1) });
    expect(e.name).toContain('格式不对');
    expect(e.investor).toContain('格式不对');
    expect(e.host).toContain(`${NEW_PROJECT_LIMIT}字`);
    const echo = readNewProject({ host: '县'.repeat(100_000) });
    expect(echo.host).toContain('超出部分未显示');
    expect(echo.host!.length).toBeLessThan(NEW_PROJECT_LIMIT + 40);
  });
});
