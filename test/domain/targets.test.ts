import { describe, expect, it } from 'vitest';
import { wan } from '../../src/domain/amount.js';
import {
  countsTowardSignedTarget,
  DEFAULT_ANNUAL_TARGETS,
  targetProgress,
  targetStatus,
  unitTargets,
  yearElapsed,
  yearElapsedShare,
} from '../../src/domain/targets.js';
import { targetMetricLabel, targetStatusLabel } from '../../src/words.js';

describe('annual targets (seed 001 二.二)', () => {
  it('defaults', () => {
    expect(DEFAULT_ANNUAL_TARGETS).toEqual({
      outboundTripsPerLeader: 5,
      signedIndustrialProjects: 5,
      signedIndustrialMinFen: 5_000_000_000, // 5000万元
      landedProjects: 2,
    });
  });

  it('a unit target scales trips with its leaders', () => {
    expect(unitTargets(3)).toEqual({ outbound_trips: 15, signed_industrial_projects: 5, landed_projects: 2 });
    expect(unitTargets(0).outbound_trips).toBe(0);
    expect(unitTargets(2, { ...DEFAULT_ANNUAL_TARGETS, outboundTripsPerLeader: 8, landedProjects: 3 })).toEqual({
      outbound_trips: 16,
      signed_industrial_projects: 5,
      landed_projects: 3,
    });
    expect(() => unitTargets(-1)).toThrow(RangeError);
    expect(() => unitTargets(1.5)).toThrow(RangeError);
  });

  it('signed industrial projects of 5000万元 or more count (以上 is inclusive)', () => {
    expect(countsTowardSignedTarget({ type: 'industry', contractFen: wan(5000) })).toBe(true);
    expect(countsTowardSignedTarget({ type: 'producer_services', contractFen: wan(5000) })).toBe(true);
    expect(countsTowardSignedTarget({ type: 'industry', contractFen: wan(5000) - 1 })).toBe(false);
    expect(countsTowardSignedTarget({ type: 'tourism', contractFen: wan(80000) })).toBe(false);
    expect(countsTowardSignedTarget({ type: 'industry', contractFen: null })).toBe(false);
    // Which types are 产业项目 is a rules setting.
    expect(countsTowardSignedTarget({ type: 'tourism', contractFen: wan(80000) }, DEFAULT_ANNUAL_TARGETS, ['industry', 'tourism'])).toBe(
      true,
    );
    expect(countsTowardSignedTarget({ type: 'producer_services', contractFen: wan(80000) }, DEFAULT_ANNUAL_TARGETS, ['industry'])).toBe(
      false,
    );
    expect(
      countsTowardSignedTarget(
        { type: 'industry', contractFen: wan(3000) },
        { ...DEFAULT_ANNUAL_TARGETS, signedIndustrialMinFen: wan(3000) },
      ),
    ).toBe(true);
  });

  it('labels', () => {
    expect(targetMetricLabel('outbound_trips')).toBe('带队外出招商');
    expect(['red', 'amber', 'green'].map((s) => targetStatusLabel(s as 'red'))).toEqual(['红', '黄', '绿']);
  });
});

describe('time elapsed (序时进度)', () => {
  it('counts the given day as elapsed', () => {
    expect(yearElapsed('2026-01-01')).toEqual({ days: 1, daysInYear: 365 });
    expect(yearElapsed('2026-07-02')).toEqual({ days: 183, daysInYear: 365 });
    expect(yearElapsed('2026-12-31')).toEqual({ days: 365, daysInYear: 365 });
    expect(yearElapsed('2024-12-31')).toEqual({ days: 366, daysInYear: 366 });
    expect(yearElapsedShare('2024-07-01')).toBe(0.5); // day 183 of 366
    expect(yearElapsedShare('2026-12-31')).toBe(1);
    expect(() => yearElapsed('2026-02-29')).toThrow(RangeError);
  });
});

describe('status against time elapsed', () => {
  it('2 landings a year: one by 1 July is on pace, by 2 July it is not', () => {
    // 1 July 2026 is day 182: expected 2 × 182/365 = 0.997; 2 July is day 183: 1.003.
    expect(targetStatus(1, 2, '2026-07-01')).toBe('green');
    expect(targetStatus(1, 2, '2026-07-02')).toBe('amber'); // 1 ≥ 0.7 × 1.003
    expect(targetStatus(0, 2, '2026-07-02')).toBe('red');
    expect(targetStatus(1, 2, '2024-07-01')).toBe('green'); // leap year: exactly half
  });

  it('at year end expected is the whole target', () => {
    expect(targetProgress(4, 5, '2026-12-31')).toEqual({
      status: 'amber', // 4 ≥ 3.5
      actual: 4,
      annual: 5,
      expected: 5,
      completion: 0.8,
      elapsed: 1,
    });
    expect(targetStatus(3, 5, '2026-12-31')).toBe('red'); // 3 < 3.5
    expect(targetStatus(7, 10, '2026-12-31')).toBe('amber'); // exactly 70 %
    expect(targetStatus(6, 10, '2026-12-31')).toBe('red');
    expect(targetStatus(5, 5, '2026-12-31')).toBe('green');
  });

  it('meeting the annual target is green at any date', () => {
    expect(targetStatus(2, 2, '2026-01-15')).toBe('green');
    expect(targetStatus(9, 5, '2026-03-01')).toBe('green');
    expect(targetStatus(0, 0, '2026-12-31')).toBe('green');
    expect(targetProgress(0, 0, '2026-06-30').completion).toBe(1);
  });

  it('exact pro-rata is strict early in the year; wholeUnits forgives fractions', () => {
    // 15 trips a year, 31 January: expected 15 × 31/365 = 1.27.
    expect(targetStatus(0, 15, '2026-01-31')).toBe('red');
    expect(targetStatus(1, 15, '2026-01-31')).toBe('amber'); // 1 ≥ 0.89
    expect(targetStatus(2, 15, '2026-01-31')).toBe('green');
    expect(targetStatus(1, 15, '2026-01-31', { wholeUnits: true })).toBe('green'); // floor(1.27) = 1
    expect(targetStatus(0, 2, '2026-07-01', { wholeUnits: true })).toBe('green'); // floor(0.997) = 0
    expect(targetStatus(0, 2, '2026-07-02', { wholeUnits: true })).toBe('red'); // floor(1.003) = 1
    expect(targetProgress(0, 2, '2026-07-02', { wholeUnits: true }).expected).toBe(1);
  });

  it('the amber threshold is a parameter', () => {
    // 5 a year at 30 June (day 181): expected 2.479.
    expect(targetStatus(2, 5, '2026-06-30')).toBe('amber'); // 2 ≥ 1.74
    expect(targetStatus(2, 5, '2026-06-30', { amberRatio: 0.9 })).toBe('red'); // 2 < 2.23
    expect(targetStatus(0, 5, '2026-06-30', { amberRatio: 0 })).toBe('amber');
    expect(() => targetStatus(1, 5, '2026-06-30', { amberRatio: 1.2 })).toThrow(RangeError);
    expect(() => targetStatus(-1, 5, '2026-06-30')).toThrow(RangeError);
  });

  it('reports expected and elapsed', () => {
    const p = targetProgress(1, 5, '2026-03-31'); // day 90
    expect(p.expected).toBeCloseTo((5 * 90) / 365, 12);
    expect(p.elapsed).toBeCloseTo(90 / 365, 12);
    expect(p.completion).toBe(0.2);
    expect(p.status).toBe('amber'); // 1 ≥ 0.7 × 1.233 = 0.863
  });
});
