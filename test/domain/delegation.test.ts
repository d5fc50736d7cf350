import { describe, expect, it } from 'vitest';
import { isUnitLeadOf, mayDelegate, mayEndDelegation, mayHandOver, parseEndDate, type Officer } from '../../src/domain/delegation.js';

// A county (2) under a city (1), its commerce bureau (3) under the county, another county (4).
const PATHS = new Map([
  [1, '/1/'],
  [2, '/1/2/'],
  [3, '/1/2/3/'],
  [4, '/1/4/'],
]);
const o = (id: number, unitId: number | null, roles: string[] = ['owner'], active = true): Officer => ({ id, unitId, roles, active });
const owner = o(10, 2);
const colleague = o(11, 2);
const countyLead = o(12, 2, ['unit_lead']);
const otherLead = o(13, 4, ['unit_lead']);
const bureauOfficer = o(14, 3);
const TODAY = '2026-11-25'; // a Wednesday

describe('end dates as officers write them', () => {
  it('reads full dates, days of this year, relative days and weekdays', () => {
    const d = (s: string) => parseEndDate(s, TODAY);
    expect(d('2026-12-10')).toEqual({ ok: true, date: '2026-12-10' });
    expect(d('2026年12月10日')).toEqual({ ok: true, date: '2026-12-10' });
    expect(d('12月10日')).toEqual({ ok: true, date: '2026-12-10' });
    expect(d('12月10号')).toEqual({ ok: true, date: '2026-12-10' });
    expect(d('12/10')).toEqual({ ok: true, date: '2026-12-10' });
    expect(d('１２月１０日')).toEqual({ ok: true, date: '2026-12-10' });
    // A day already past this year is next year's.
    expect(d('1月5日')).toEqual({ ok: true, date: '2027-01-05' });
    expect(d('明天')).toEqual({ ok: true, date: '2026-11-26' });
    expect(d('后天')).toEqual({ ok: true, date: '2026-11-27' });
    expect(d('周三')).toEqual({ ok: true, date: '2026-11-25' });
    expect(d('星期五')).toEqual({ ok: true, date: '2026-11-27' });
    expect(d('周一')).toEqual({ ok: true, date: '2026-11-30' });
    expect(d('下周三')).toEqual({ ok: true, date: '2026-12-02' });
    expect(d('下星期一')).toEqual({ ok: true, date: '2026-11-30' });
    expect(d('下周日')).toEqual({ ok: true, date: '2026-12-06' });
    expect(parseEndDate('下周三', '2026-11-29')).toEqual({ ok: true, date: '2026-12-02' }); // from a Sunday
  });

  it('refuses what is not a date', () => {
    expect(parseEndDate('', TODAY)).toEqual({ ok: false, code: 'empty' });
    expect(parseEndDate('13月1日', TODAY)).toMatchObject({ ok: false, code: 'invalid' });
    expect(parseEndDate('2月30日', TODAY)).toMatchObject({ ok: false, code: 'invalid' });
    expect(parseEndDate('下周八', TODAY)).toMatchObject({ ok: false });
    expect(parseEndDate('张伟', TODAY)).toMatchObject({ ok: false, code: 'invalid' });
  });
});

describe('who may set, end and hand over', () => {
  it('works: the owner, or the lead of their unit or a unit above, to a colleague of the same unit', () => {
    expect(mayDelegate(owner, owner, colleague, '2026-12-10', TODAY, PATHS)).toBe('ok');
    expect(mayDelegate(countyLead, owner, colleague, '2026-12-10', TODAY, PATHS)).toBe('ok');
    expect(mayDelegate(owner, owner, colleague, TODAY, TODAY, PATHS)).toBe('ok'); // ends today, inclusive
    expect(isUnitLeadOf(countyLead, bureauOfficer, PATHS)).toBe(true); // the county's lead over its bureau
    expect(mayEndDelegation(owner, owner, PATHS)).toBe(true);
    expect(mayEndDelegation(countyLead, owner, PATHS)).toBe(true);
    expect(mayHandOver(countyLead, owner, colleague, PATHS)).toBe('ok');
  });

  it('refuses: another unit, the past, too long, oneself, an inactive colleague', () => {
    expect(mayDelegate(owner, owner, bureauOfficer, '2026-12-10', TODAY, PATHS)).toBe('delegate_other_unit');
    expect(mayDelegate(owner, owner, colleague, '2026-11-24', TODAY, PATHS)).toBe('end_in_past');
    expect(mayDelegate(owner, owner, colleague, '2027-12-10', TODAY, PATHS)).toBe('too_long');
    expect(mayDelegate(owner, owner, owner, '2026-12-10', TODAY, PATHS)).toBe('delegate_self');
    expect(mayDelegate(owner, owner, o(11, 2, ['owner'], false), '2026-12-10', TODAY, PATHS)).toBe('delegate_inactive');
    expect(mayHandOver(countyLead, owner, bureauOfficer, PATHS)).toBe('other_unit');
    expect(mayHandOver(countyLead, owner, owner, PATHS)).toBe('same_person');
    expect(mayHandOver(countyLead, owner, o(11, 2, ['owner'], false), PATHS)).toBe('inactive');
  });

  it('an attacker: a colleague, the lead of another unit, an inactive lead act for nobody', () => {
    expect(mayDelegate(colleague, owner, colleague, '2026-12-10', TODAY, PATHS)).toBe('not_allowed');
    expect(mayDelegate(otherLead, owner, colleague, '2026-12-10', TODAY, PATHS)).toBe('not_allowed');
    expect(mayDelegate(o(12, 2, ['unit_lead'], false), owner, colleague, '2026-12-10', TODAY, PATHS)).toBe('not_allowed');
    expect(mayEndDelegation(otherLead, owner, PATHS)).toBe(false);
    expect(mayEndDelegation(colleague, owner, PATHS)).toBe(false);
    expect(mayHandOver(otherLead, owner, colleague, PATHS)).toBe('not_allowed');
    expect(mayHandOver(owner, owner, colleague, PATHS)).toBe('not_allowed'); // an owner does not give projects away
    // A lead of a unit below does not lead the unit above it.
    expect(isUnitLeadOf(o(15, 3, ['dept_lead']), owner, PATHS)).toBe(false);
  });
});
