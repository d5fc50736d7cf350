import { describe, expect, it } from 'vitest';
import { wan } from '../../src/domain/amount.js';
import {
  daysSinceProgress,
  DEFAULT_STALL_THRESHOLDS,
  isStalled,
  isSubstantive,
  lastProgressAfter,
  PROGRESS_KINDS,
  progressKinds,
} from '../../src/domain/progress.js';
import { progressKindLabel, stalledText } from '../../src/words.js';

describe('substantive progress', () => {
  it('has the six kinds with Chinese labels', () => {
    expect(PROGRESS_KINDS.map(progressKindLabel)).toEqual([
      '阶段推进',
      '签订协议',
      '资金到位',
      '投资方决策人实地考察',
      '用地取得进展',
      '审批手续取得进展',
    ]);
  });

  it('an empty report or plain activity is not substantive', () => {
    expect(isSubstantive({})).toBe(false);
    expect(progressKinds({ fundsArrivedFen: 0 })).toEqual([]);
    expect(progressKinds({ fundsArrivedFen: null })).toEqual([]);
    expect(progressKinds({ stageFrom: 'negotiating', stageTo: 'negotiating' })).toEqual([]);
  });

  it('"no change" never counts, whatever else is set', () => {
    expect(isSubstantive({ noChange: true })).toBe(false);
    expect(isSubstantive({ noChange: true, agreementSigned: true, fundsArrivedFen: wan(100) })).toBe(false);
  });

  it('each fact on its own counts', () => {
    expect(progressKinds({ stageFrom: 'planning', stageTo: 'negotiating' })).toEqual(['stage_advance']);
    expect(progressKinds({ agreementSigned: true })).toEqual(['signed']);
    expect(progressKinds({ fundsArrivedFen: 1 })).toEqual(['funds_arrived']);
    expect(progressKinds({ decisionMakerVisit: true })).toEqual(['decision_maker_visit']);
    expect(progressKinds({ landMilestone: true })).toEqual(['land_milestone']);
    expect(progressKinds({ approvalMilestone: true })).toEqual(['approval_milestone']);
  });

  it('only forward moves are advances; arriving at signed also means signed', () => {
    expect(progressKinds({ stageFrom: 'intent', stageTo: 'signed' })).toEqual(['stage_advance', 'signed']);
    expect(progressKinds({ stageFrom: 'negotiating', stageTo: 'landed' })).toEqual(['stage_advance', 'signed']);
    expect(progressKinds({ stageFrom: 'signed', stageTo: 'landed' })).toEqual(['stage_advance']);
    expect(progressKinds({ stageFrom: 'signed', stageTo: 'intent' })).toEqual([]);
    expect(progressKinds({ stageFrom: 'negotiating', stageTo: 'dropped' })).toEqual([]);
    expect(progressKinds({ stageFrom: 'negotiating', stageTo: 'transferred' })).toEqual([]);
    expect(progressKinds({ stageFrom: 'dropped', stageTo: 'signed' })).toEqual([]);
    expect(progressKinds({ stageTo: 'signed' })).toEqual([]); // no from: not a known move
  });

  it('lists several kinds in a fixed order without duplicates', () => {
    expect(
      progressKinds({
        approvalMilestone: true,
        fundsArrivedFen: wan(500),
        stageFrom: 'intent',
        stageTo: 'signed',
        agreementSigned: true,
        landMilestone: true,
        decisionMakerVisit: true,
      }),
    ).toEqual(['stage_advance', 'signed', 'funds_arrived', 'decision_maker_visit', 'land_milestone', 'approval_milestone']);
  });

  it('lastProgressAfter moves the clock only for substantive reports', () => {
    expect(lastProgressAfter('2026-01-10', { noChange: true }, '2026-03-18')).toBe('2026-01-10');
    expect(lastProgressAfter('2026-01-10', { decisionMakerVisit: true }, '2026-03-18')).toBe('2026-03-18');
    expect(lastProgressAfter(null, { approvalMilestone: true }, '2026-03-18')).toBe('2026-03-18');
    expect(lastProgressAfter(null, {}, '2026-03-18')).toBeNull();
    expect(lastProgressAfter('2026-04-01', { landMilestone: true }, '2026-03-18')).toBe('2026-04-01'); // never backwards
  });
});

describe('ageing', () => {
  it('counts calendar days', () => {
    expect(daysSinceProgress('2026-03-05', '2026-03-05')).toBe(0);
    expect(daysSinceProgress('2026-01-01', '2026-06-30')).toBe(180); // 31+28+31+30+31+29
    expect(daysSinceProgress('2024-01-01', '2024-06-29')).toBe(180); // leap February
    expect(daysSinceProgress('2025-12-31', '2026-01-01')).toBe(1);
  });

  it('stalls negotiating and intent projects at 180 days by default', () => {
    expect(DEFAULT_STALL_THRESHOLDS).toEqual({ negotiating: 180, intent: 180 });
    expect(isStalled('negotiating', '2026-01-01', '2026-06-29')).toBe(false); // 179
    expect(isStalled('negotiating', '2026-01-01', '2026-06-30')).toBe(true); // 180
    expect(isStalled('intent', '2026-01-01', '2026-06-30')).toBe(true);
    expect(isStalled('intent', '2025-06-01', '2026-06-30')).toBe(true);
  });

  it('other stages do not stall unless configured', () => {
    for (const stage of ['planning', 'signed', 'landed', 'dropped', 'transferred'] as const) {
      expect(isStalled(stage, '2020-01-01', '2026-06-30')).toBe(false);
    }
    expect(isStalled('signed', '2026-01-01', '2026-04-01', { signed: 90 })).toBe(true); // 90 days
    expect(isStalled('signed', '2026-01-01', '2026-03-31', { signed: 90 })).toBe(false);
    expect(isStalled('negotiating', '2026-01-01', '2026-12-31', { signed: 90 })).toBe(false); // replaced, not merged
  });

  it('stalledText', () => {
    expect(stalledText('negotiating', 200)).toBe('洽谈阶段已200天无实质性进展');
  });
});
