import { describe, expect, it } from 'vitest';
import { wan } from '../../src/domain/amount.js';
import {
  ACTIVE_STAGES,
  allowedTargets,
  checkTransition,
  isStageId,
  needsReason,
  parseStage,
  stageOrder,
  STAGES,
  transitionFields,
  transitionKind,
  type StageId,
  type TransitionCheck,
  type TransitionIssue,
} from '../../src/domain/stages.js';
import { stageLabel, transitionFieldLabel, transitionIssueText } from '../../src/words.js';

function issues(check: TransitionCheck): TransitionIssue[] {
  return check.ok ? [] : check.issues;
}

function codes(check: TransitionCheck): string[] {
  return issues(check).map((i) => ('field' in i ? `${i.code}:${i.field}` : i.code));
}

const signedInput = { contractFen: wan(5000), signedOn: '2026-03-05' };

describe('stage ids, labels, parsing', () => {
  it('orders the active line', () => {
    expect(ACTIVE_STAGES).toEqual(['planning', 'negotiating', 'intent', 'signed', 'landed']);
    expect(STAGES.map(stageLabel)).toEqual(['谋划', '洽谈', '意向', '签约', '落地', '终止', '转移']);
    expect(stageOrder('planning')).toBe(0);
    expect(stageOrder('landed')).toBe(4);
    expect(stageOrder('dropped')).toBe(-1);
    expect(isStageId('signed')).toBe(true);
    expect(isStageId('签约')).toBe(false);
  });

  it.each<[string, StageId | null]>([
    ['谋划', 'planning'],
    ['谋划库', 'planning'],
    ['谋划项目', 'planning'],
    ['谋划项目库', 'planning'],
    ['储备项目', 'planning'],
    ['洽谈', 'negotiating'],
    ['洽谈阶段', 'negotiating'],
    ['在谈项目', 'negotiating'],
    ['意向', 'intent'],
    ['意向库', 'intent'],
    ['签约', 'signed'],
    ['签约项目', 'signed'],
    ['已签约', 'signed'],
    ['落地', 'landed'],
    ['已落地', 'landed'],
    ['落地项目', 'landed'],
    ['终止', 'dropped'],
    ['已终止', 'dropped'],
    ['转移', 'transferred'],
    ['已转移', 'transferred'],
    [' 签约 ', 'signed'],
    ['signed', 'signed'],
    ['Landed', 'landed'],
    ['', null],
    ['开工', null],
    ['项目', null],
    ['签约了吗', null],
  ])('%s → %s', (input, expected) => {
    expect(parseStage(input)).toBe(expected);
  });
});

describe('transition kinds and targets', () => {
  it('classifies moves', () => {
    expect(transitionKind('negotiating', 'signed')).toBe('forward');
    expect(transitionKind('planning', 'landed')).toBe('forward');
    expect(transitionKind('signed', 'intent')).toBe('backward');
    expect(transitionKind('landed', 'planning')).toBe('backward');
    expect(transitionKind('intent', 'dropped')).toBe('offline');
    expect(transitionKind('landed', 'transferred')).toBe('offline');
    expect(transitionKind('dropped', 'negotiating')).toBe('reactivation');
    expect(transitionKind('transferred', 'landed')).toBe('reactivation');
    expect(transitionKind('dropped', 'transferred')).toBeNull();
    expect(transitionKind('transferred', 'dropped')).toBeNull();
    expect(transitionKind('signed', 'signed')).toBeNull();
  });

  it('allowedTargets lists every other stage, except dropped ↔ transferred', () => {
    expect(allowedTargets('negotiating')).toEqual(['planning', 'intent', 'signed', 'landed', 'dropped', 'transferred']);
    expect(allowedTargets('planning')).toEqual(['negotiating', 'intent', 'signed', 'landed', 'dropped', 'transferred']);
    expect(allowedTargets('dropped')).toEqual(['planning', 'negotiating', 'intent', 'signed', 'landed']);
    expect(allowedTargets('transferred')).toEqual(['planning', 'negotiating', 'intent', 'signed', 'landed']);
  });

  it('needsReason for everything but forward moves', () => {
    expect(needsReason('negotiating', 'signed')).toBe(false);
    expect(needsReason('signed', 'negotiating')).toBe(true);
    expect(needsReason('intent', 'dropped')).toBe(true);
    expect(needsReason('dropped', 'intent')).toBe(true);
    expect(needsReason('intent', 'intent')).toBe(false);
  });

  it('transitionFields says which fields the form shows', () => {
    expect(transitionFields('planning', 'negotiating')).toEqual([]);
    expect(transitionFields('negotiating', 'signed')).toEqual(['contractFen', 'signedOn']);
    expect(transitionFields('signed', 'landed')).toEqual(['contractFen', 'signedOn', 'landedOn']);
    expect(transitionFields('intent', 'transferred')).toEqual(['reason', 'transferTo']);
    expect(transitionFields('landed', 'signed')).toEqual(['reason', 'contractFen', 'signedOn']);
    expect(transitionFields('dropped', 'transferred')).toEqual([]);
  });
});

describe('checkTransition', () => {
  it('allows plain forward moves and reports skipped stages', () => {
    expect(checkTransition('planning', 'negotiating')).toEqual({
      ok: true,
      kind: 'forward',
      from: 'planning',
      to: 'negotiating',
      skipped: [],
    });
    expect(checkTransition('negotiating', 'signed', signedInput)).toEqual({
      ok: true,
      kind: 'forward',
      from: 'negotiating',
      to: 'signed',
      skipped: ['intent'],
    });
    const toLanded = checkTransition('planning', 'landed', { ...signedInput, landedOn: '2026-04-01' });
    expect(toLanded.ok && toLanded.skipped).toEqual(['negotiating', 'intent', 'signed']);
  });

  it('same stage is not a transition', () => {
    expect(checkTransition('intent', 'intent', { reason: 'x' })).toEqual({
      ok: false,
      issues: [{ code: 'same_stage', stage: 'intent' }],
    });
  });

  it('nothing moves between dropped and transferred', () => {
    expect(checkTransition('dropped', 'transferred', { reason: 'x', transferTo: '长春市' })).toEqual({
      ok: false,
      issues: [{ code: 'not_allowed', from: 'dropped', to: 'transferred' }],
    });
  });

  it('entering signed needs a positive contract amount and a signing date, reported together', () => {
    expect(codes(checkTransition('intent', 'signed'))).toEqual(['required:contractFen', 'required:signedOn']);
    expect(codes(checkTransition('intent', 'signed', { contractFen: 0, signedOn: '2026-03-05' }))).toEqual(['not_positive:contractFen']);
    expect(codes(checkTransition('intent', 'signed', { contractFen: -5, signedOn: '2026-03-05' }))).toEqual(['not_positive:contractFen']);
    expect(codes(checkTransition('intent', 'signed', { contractFen: 1.5, signedOn: '2026-03-05' }))).toEqual(['not_positive:contractFen']);
    expect(codes(checkTransition('intent', 'signed', { contractFen: wan(1), signedOn: '  ' }))).toEqual(['required:signedOn']);
    expect(checkTransition('intent', 'signed', { contractFen: 1, signedOn: '2026-03-05' }).ok).toBe(true);
  });

  it('uses what the project already records, and a value entered now wins', () => {
    const existing = { contractFen: wan(8000), signedOn: '2026-01-10' };
    expect(checkTransition('dropped', 'signed', { reason: '重新洽谈', existing }).ok).toBe(true);
    expect(codes(checkTransition('dropped', 'signed', { reason: '重新洽谈', existing, contractFen: 0 }))).toEqual([
      'not_positive:contractFen',
    ]);
    expect(codes(checkTransition('signed', 'landed', { existing: { signedOn: '2026-01-10' } }))).toEqual([
      'required:contractFen',
      'required:landedOn',
    ]);
  });

  it('entering landed needs a landing date and a signing date, not earlier than signing', () => {
    expect(codes(checkTransition('signed', 'landed', { existing: signedInput }))).toEqual(['required:landedOn']);
    expect(checkTransition('signed', 'landed', { existing: signedInput, landedOn: '2026-03-05' }).ok).toBe(true);
    expect(issues(checkTransition('signed', 'landed', { existing: signedInput, landedOn: '2026-03-04' }))).toEqual([
      { code: 'landed_before_signed', field: 'landedOn', landedOn: '2026-03-04', signedOn: '2026-03-05' },
    ]);
    expect(codes(checkTransition('negotiating', 'landed', { landedOn: '2026-04-01' }))).toEqual([
      'required:contractFen',
      'required:signedOn',
    ]);
  });

  it('checks dates: format, and not in the future when today is given', () => {
    expect(issues(checkTransition('intent', 'signed', { contractFen: 1, signedOn: '2026-3-5' }))).toEqual([
      { code: 'invalid_date', field: 'signedOn', input: '2026-3-5' },
    ]);
    expect(issues(checkTransition('intent', 'signed', { contractFen: 1, signedOn: '2026-03-06', today: '2026-03-05' }))).toEqual([
      { code: 'date_in_future', field: 'signedOn', date: '2026-03-06', today: '2026-03-05' },
    ]);
    expect(checkTransition('intent', 'signed', { contractFen: 1, signedOn: '2026-03-05', today: '2026-03-05' }).ok).toBe(true);
    expect(
      codes(checkTransition('intent', 'landed', { contractFen: 1, signedOn: '2026-02-30', landedOn: 'soon', today: '2026-03-05' })),
    ).toEqual(['invalid_date:signedOn', 'invalid_date:landedOn']);
  });

  it('backward moves need a reason', () => {
    expect(issues(checkTransition('signed', 'intent'))).toEqual([
      { code: 'reason_required', field: 'reason', from: 'signed', to: 'intent', kind: 'backward' },
    ]);
    expect(codes(checkTransition('signed', 'intent', { reason: '   ' }))).toEqual(['reason_required:reason']);
    expect(checkTransition('signed', 'intent', { reason: '合同解除，重新谈判' })).toEqual({
      ok: true,
      kind: 'backward',
      from: 'signed',
      to: 'intent',
      skipped: [],
    });
  });

  it('dropping needs a reason; transferring a reason and the receiving region', () => {
    expect(codes(checkTransition('negotiating', 'dropped'))).toEqual(['reason_required:reason']);
    expect(checkTransition('landed', 'dropped', { reason: '企业破产' }).ok).toBe(true);
    expect(codes(checkTransition('negotiating', 'transferred'))).toEqual(['reason_required:reason', 'required:transferTo']);
    expect(codes(checkTransition('negotiating', 'transferred', { reason: '超过半年无进展', transferTo: ' ' }))).toEqual([
      'required:transferTo',
    ]);
    expect(checkTransition('negotiating', 'transferred', { reason: '超过半年无进展', transferTo: '四平市' }).ok).toBe(true);
  });

  it('re-activation needs a reason plus the target stage requirements', () => {
    expect(codes(checkTransition('dropped', 'negotiating'))).toEqual(['reason_required:reason']);
    expect(checkTransition('transferred', 'negotiating', { reason: '企业回流' })).toMatchObject({ ok: true, kind: 'reactivation' });
    expect(codes(checkTransition('dropped', 'landed'))).toEqual([
      'reason_required:reason',
      'required:contractFen',
      'required:signedOn',
      'required:landedOn',
    ]);
  });
});

describe('transitionIssueText', () => {
  it('renders every issue', () => {
    const all: TransitionIssue[] = [
      { code: 'same_stage', stage: 'intent' },
      { code: 'not_allowed', from: 'dropped', to: 'transferred' },
      { code: 'reason_required', field: 'reason', from: 'signed', to: 'intent', kind: 'backward' },
      { code: 'reason_required', field: 'reason', from: 'intent', to: 'dropped', kind: 'offline' },
      { code: 'reason_required', field: 'reason', from: 'dropped', to: 'intent', kind: 'reactivation' },
      { code: 'required', field: 'contractFen', to: 'signed' },
      { code: 'required', field: 'transferTo', to: 'transferred' },
      { code: 'not_positive', field: 'contractFen' },
      { code: 'invalid_date', field: 'signedOn', input: '2026-3-5' },
      { code: 'date_in_future', field: 'landedOn', date: '2026-04-01', today: '2026-03-05' },
      { code: 'landed_before_signed', field: 'landedOn', landedOn: '2026-03-04', signedOn: '2026-03-05' },
    ];
    const texts = all.map(transitionIssueText);
    expect(texts).toEqual([
      '项目已处于“意向”阶段，无需变更。',
      '不能将项目从“终止”变更为“转移”。',
      '阶段回退（签约 → 意向）需要填写原因。',
      '项目终止（原处于“意向”阶段）需要填写原因。',
      '重新启用已终止的项目（恢复到“意向”阶段）需要填写原因。',
      '进入“签约”阶段需要填写合同引资额。',
      '进入“转移”阶段需要填写转入地区。',
      '合同引资额必须大于0。',
      '签约日期不是有效日期：2026-3-5。请按 2026-03-05 的格式填写。',
      '落地日期（2026-04-01）不能晚于今天（2026-03-05）。',
      '落地日期（2026-03-04）不能早于签约日期（2026-03-05）。',
    ]);
  });

  it('labels the fields', () => {
    expect(transitionFieldLabel('contractFen')).toBe('合同引资额');
    expect(transitionFieldLabel('signedOn')).toBe('签约日期');
    expect(transitionFieldLabel('reason')).toBe('原因');
  });
});
