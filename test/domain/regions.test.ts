import { describe, expect, it } from 'vitest';
import { ABROAD_CODE, allRegions, cityCodeOf, isAbroad, provinceCodeOf, readRegion, regionLabel } from '../../src/domain/regions.js';
import { investmentOf, investorOrigin, investorOriginClass, mayDecideFund, recognise } from '../../src/domain/funds.js';
import { movesAgeingClock, lastProgressAfter } from '../../src/domain/progress.js';
import { wan, yi } from '../../src/domain/amount.js';

describe('investor regions (GB/T 2260 codes)', () => {
  it('holds all 34 provincial-level divisions and every city of 吉林省', () => {
    // 境外 (990000) is no GB/T 2260 division: a province and a city of its own for investors from abroad.
    const provinces = allRegions().filter((r) => r.code.endsWith('0000') && r.code !== ABROAD_CODE);
    expect(provinces).toHaveLength(34);
    const jilin = allRegions().filter((r) => r.code.startsWith('22') && !r.code.endsWith('0000'));
    expect(jilin.map((r) => r.name)).toEqual([
      '长春市',
      '吉林市',
      '四平市',
      '辽源市',
      '通化市',
      '白山市',
      '松原市',
      '白城市',
      '延边朝鲜族自治州',
    ]);
  });

  it('reads free text the way ledgers write it', () => {
    const code = (s: string) => readRegion(s)?.code;
    expect(code('吉林省长春市')).toBe('220100');
    expect(code('长春')).toBe('220100');
    expect(code('辽宁沈阳')).toBe('210100');
    expect(code('浙江省诸暨市')).toBe('330600'); // a county-level city read as its prefecture
    expect(code('吉林市')).toBe('220200');
    expect(code('吉林')).toBe('220000'); // the bare short name is the province
    expect(code('吉林省')).toBe('220000');
    expect(code('上海')).toBe('310000');
    expect(code(' 广东省 深圳市 ')).toBe('440300');
    expect(code('220400')).toBe('220400');
  });

  it('reads 境外 (abroad) and counts it, with 香港, 澳门 and 台湾, as 市外 and 省外 of every host (issue 16)', () => {
    const code = (s: string) => readRegion(s)?.code;
    for (const s of ['境外', '国外', '美国', '日本东京', '韩国首尔', '新加坡', '海外']) expect(code(s), s).toBe(ABROAD_CODE);
    expect(code('内蒙古')).toBe('150000'); // not 蒙古
    expect(regionLabel(ABROAD_CODE)).toBe('境外');
    for (const c of [ABROAD_CODE, '810000', '820000', '710000']) expect(isAbroad(c), c).toBe(true);
    expect(isAbroad('220100')).toBe(false);
    const host = { cityCode: '220400', provinceCode: '220000' };
    expect(investorOrigin(ABROAD_CODE, host, 'city')).toBe('outside');
    expect(investorOrigin(ABROAD_CODE, host, 'province')).toBe('outside');
    expect(
      recognise(
        { stage: 'negotiating', plannedInvestmentFen: yi(1), contractAmountFen: null, investorRegionCode: ABROAD_CODE, host },
        {
          origin: 'outside_city',
          minInvestmentFen: wan(1000),
        },
      ),
    ).toEqual({ counts: true });
    expect([ABROAD_CODE, '810000', '110000', '220100', '220400', null].map((c) => investorOriginClass(c, host))).toEqual([
      'abroad',
      'abroad',
      'outside_province',
      'outside_city',
      'inside_city',
      'unknown',
    ]);
  });

  it('flags what it does not know instead of guessing', () => {
    for (const s of ['', '某地', '吉林省深圳市', '999999', '浙江省长春市']) expect(readRegion(s), s).toBeUndefined();
  });

  it('derives city and province; municipalities are both', () => {
    expect([provinceCodeOf('220400'), cityCodeOf('220400'), cityCodeOf('220000'), cityCodeOf('310000')]).toEqual([
      '220000',
      '220400',
      null,
      '310000',
    ]);
    expect(regionLabel('210100')).toBe('辽宁省沈阳市');
    expect(regionLabel('310000')).toBe('上海市');
  });
});

describe('the recognition rule (domain/funds)', () => {
  const host = { cityCode: '220300', provinceCode: '220000' };
  const rule = { origin: 'outside_city' as const, minInvestmentFen: wan(1000) };
  const p = (over: Partial<Parameters<typeof recognise>[0]>) => ({
    stage: 'negotiating' as const,
    plannedInvestmentFen: yi(1),
    contractAmountFen: null,
    investorRegionCode: '330100',
    host,
    ...over,
  });

  it('counts 市外 ≥1000万 and says why not otherwise', () => {
    expect(recognise(p({}), rule)).toEqual({ counts: true });
    expect(recognise(p({ investorRegionCode: '220300' }), rule)).toEqual({ counts: false, why: 'investor_inside' });
    expect(recognise(p({ investorRegionCode: null }), rule)).toEqual({ counts: false, why: 'investor_unknown' });
    expect(recognise(p({ plannedInvestmentFen: wan(999) }), rule)).toEqual({ counts: false, why: 'under_minimum' });
    expect(recognise(p({ host: { cityCode: null, provinceCode: null } }), rule)).toEqual({ counts: false, why: 'host_unknown' });
  });

  it('takes the contract amount once signed, the planned before', () => {
    expect(investmentOf({ stage: 'signed', plannedInvestmentFen: wan(500), contractAmountFen: yi(2) })).toBe(yi(2));
    expect(investmentOf({ stage: 'intent', plannedInvestmentFen: wan(500), contractAmountFen: yi(2) })).toBe(wan(500));
    expect(investmentOf({ stage: 'landed', plannedInvestmentFen: wan(500), contractAmountFen: null })).toBe(wan(500));
  });

  it('市外 vs 省外', () => {
    expect(investorOrigin('220100', host, 'city')).toBe('outside');
    expect(investorOrigin('220100', host, 'province')).toBe('inside');
    expect(investorOrigin('110000', host, 'province')).toBe('outside');
    expect(investorOrigin('220000', host, 'city')).toBe('unknown');
  });

  it('a checker decides inside the government, never on their own entry, once', () => {
    const checker = { id: 7, roles: ['checker'] };
    const entry = { status: 'reported' as const, reportedById: 3, hostPath: '/1/2/5/', firstTalkPath: '/1/2/6/', ownerId: 3 };
    expect(mayDecideFund(checker, '/1/2/', entry)).toBe('ok');
    expect(mayDecideFund({ id: 7, roles: ['admin'] }, '/1/2/', entry)).toBe('not_checker');
    expect(mayDecideFund({ ...checker, active: false }, '/1/2/', entry)).toBe('not_checker');
    expect(mayDecideFund(checker, '/1/9/', entry)).toBe('outside');
    expect(mayDecideFund(checker, '/1/2/', { ...entry, reportedById: 7 })).toBe('own_entry');
    expect(mayDecideFund(checker, '/1/2/', { ...entry, ownerId: 7 })).toBe('own_entry');
    expect(mayDecideFund(checker, '/1/2/', { ...entry, status: 'verified' })).toBe('already_decided');
  });

  it('money reported is not yet progress: the ageing clock waits for verification', () => {
    expect(movesAgeingClock(['funds_arrived'])).toBe(false);
    expect(movesAgeingClock(['funds_arrived', 'decision_maker_visit'])).toBe(true);
    expect(lastProgressAfter('2026-01-10', { fundsArrivedFen: wan(100) }, '2026-03-18')).toBe('2026-01-10');
  });
});
