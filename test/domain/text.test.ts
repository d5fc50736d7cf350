import { describe, expect, it } from 'vitest';
import { cleanDeep, cleanText, normalizeText } from '../../src/domain/text.js';

describe('normalizeText', () => {
  it('folds full-width forms, separators and spaces', () => {
    expect(normalizeText('  推进　ＬＹ２０２６－００１，　签约 ')).toBe('推进 LY2026-001 签约');
  });
});

describe('cleanText', () => {
  it('keeps Chinese text, punctuation, tabs and line breaks', () => {
    expect(cleanText('东丰县：梅花鹿项目，完成\t土地摘牌。\n下月开工！')).toBe('东丰县：梅花鹿项目，完成\t土地摘牌。\n下月开工！');
  });

  it('drops NUL and other control characters PostgreSQL or Lark refuse', () => {
    expect(cleanText('东丰\u0000进展\u0007\u001b[31m\u007f')).toBe('东丰进展[31m');
  });

  it('replaces lone surrogates and keeps paired ones (emoji)', () => {
    expect(cleanText('a\uD800b\uDC00c😀')).toBe('a\uFFFDb\uFFFDc😀');
  });

  it('cleans every string in a nested value, keys included', () => {
    expect(cleanDeep({ 'p\u0000': ['x\u0000', { y: 'z\u0000' }], n: 1, b: true, nil: null })).toEqual({
      p: ['x', { y: 'z' }],
      n: 1,
      b: true,
      nil: null,
    });
  });
});
