import { describe, expect, it } from 'vitest';
import { decodeEntities, escapeMarkdown, forTextMessage, isMarkup, trustedMarkup } from '../../src/domain/markup.js';
import { toHalfWidth, normalizeText, cleanText } from '../../src/domain/text.js';
import { joinMarkup, t, tm } from '../../src/text.js';

/** What card markdown could still read as markup: a tag, a link or image, emphasis, code, a heading or list. */
const MARKUP_IN_MD = /<[A-Za-z/!]|\]\(|!\[|\*|~~|__|`|^\s*(#|-|\+|>|\d+\.\s)|\|/m;

describe('escapeMarkdown: works', () => {
  it('leaves Chinese text, full-width punctuation, codes, dates and amounts as they are', () => {
    for (const s of [
      '东丰县梅花鹿主题乐园（二期）：完成土地摘牌，下月开工！',
      '【土地】需市自然资源局协调；“用地指标”……',
      'LY2026-001',
      '2026-11-10',
      '3.2亿元',
      '5,000万元',
      '吴磊 ou_demo_wu_lei',
      '＜全角＞［括号］＊星号＊',
      'A & B',
      '3~5个',
    ]) {
      expect(escapeMarkdown(s)).toBe(s);
    }
  });

  it('turns every markup character into its entity, which card markdown shows as the character', () => {
    expect(escapeMarkdown('<at id=all></at>')).toBe('&lt;at id=all&gt;&lt;/at&gt;');
    expect(escapeMarkdown('[x](https://evil.example)')).toBe('&#91;x&#93;(https&#58;//evil.example)');
    expect(escapeMarkdown('**粗体** *斜体* ~~删除~~ __粗__ `code`')).toBe(
      '&#42;&#42;粗体&#42;&#42; &#42;斜体&#42; &#126;&#126;删除&#126;&#126; &#95;&#95;粗&#95;&#95; &#96;code&#96;',
    );
    expect(escapeMarkdown('<b>加粗</b><font color=red>红</font>')).toBe('&lt;b&gt;加粗&lt;/b&gt;&lt;font color=red&gt;红&lt;/font&gt;');
    expect(escapeMarkdown('![图](img_v2_x)')).toBe('!&#91;图&#93;(img_v2_x)');
    expect(escapeMarkdown('a | b')).toBe('a &#124; b');
  });

  it('escapes line-start markers (heading, list, quote, rule, ordered list) at the start and after every line break', () => {
    expect(escapeMarkdown('# 标题')).toBe('&#35; 标题');
    expect(escapeMarkdown('进展\n## 二级\n- 列表\n+ 加\n> 引用\n1. 有序\n---')).toBe(
      '进展\n&#35;# 二级\n&#45; 列表\n&#43; 加\n&gt; 引用\n1&#46; 有序\n&#45;--',
    );
    expect(escapeMarkdown('  # 缩进标题')).toBe('  &#35; 缩进标题');
    expect(escapeMarkdown('标题 # 不在行首')).toBe('标题 # 不在行首');
  });

  it('is idempotent: escaping escaped text changes nothing', () => {
    const canary = '<at id=all></at>[x](https://evil.example) **粗** <b>b</b>\n# 标题';
    const once = escapeMarkdown(canary);
    expect(escapeMarkdown(once)).toBe(once);
    expect(once).not.toMatch(MARKUP_IN_MD);
    expect(decodeEntities(once)).toBe(canary);
  });
});

describe('escapeMarkdown: what an attacker tries', () => {
  it('nested and broken tags stay text', () => {
    for (const s of ['<<at id=all></at>at id=all>', '<at id=<at id=all>>', '<a<b>t id=all>', '</at><at id=all>']) {
      expect(escapeMarkdown(s)).not.toMatch(/</);
    }
  });

  it('entity-encoded input stays entities: shown as the characters, never parsed as a tag', () => {
    // An entity the user typed is left as it is; card markdown shows "<at id=all>" as text, as it does for ours.
    expect(escapeMarkdown('&lt;at id=all&gt;&lt;/at&gt;')).toBe('&lt;at id=all&gt;&lt;/at&gt;');
    expect(escapeMarkdown('&#60;at id=all&#62;')).toBe('&#60;at id=all&#62;');
    // A half-entity cannot borrow our escape to complete a tag: its "<" is escaped on its own.
    expect(escapeMarkdown('&<at id=all>')).toBe('&&lt;at id=all&gt;');
    // In a text message the entities are decoded and then neutralised.
    expect(forTextMessage(escapeMarkdown('&lt;at user_id="all"&gt;&lt;/at&gt;'))).toBe('＜at user_id="all"＞＜/at＞');
  });

  it('zero-width characters inside "<at": escaped, and still no tag once they are stripped', () => {
    const zw = '<\u200Bat id=all></\u200Dat>';
    const out = escapeMarkdown(zw);
    expect(out).not.toMatch(/</);
    expect(out.replace(/[\u200B-\u200D\uFEFF]/g, '')).toBe('&lt;at id=all&gt;&lt;/at&gt;');
  });

  it('full-width ＜at＞ is kept as typed; once normalised to half-width it is escaped like any "<"', () => {
    const full = '＜at id=all＞＜/at＞［x］（https://evil.example）＊＊';
    // Full-width forms are not markup: Chinese punctuation stays (only the bare address's "://" is defused).
    expect(escapeMarkdown(full)).toBe(full.replace('://', '&#58;//'));
    const half = cleanText(toHalfWidth(full));
    expect(half).toBe('<at id=all></at>[x](https://evil.example)**');
    expect(escapeMarkdown(half)).not.toMatch(MARKUP_IN_MD);
    expect(escapeMarkdown(normalizeText(full))).not.toMatch(/<|\]\(|\*\*/);
  });
});

describe('forTextMessage', () => {
  it('keeps plain Chinese text and decodes the entities of a rendered text', () => {
    expect(forTextMessage('没有理解“风电 &#42;项目&#42; 3~5”。')).toBe('没有理解“风电 *项目* 3~5”。');
  });

  it('leaves no tag and no link', () => {
    const out = forTextMessage('<at user_id="all"></at><b>x</b>[x](https://evil.example)**粗**');
    expect(out).not.toMatch(/[<>[\]]/);
    // The bot's own emphasis marks go too (issue 17): a text message shows them raw.
    expect(out).toBe('＜at user_id="all"＞＜/at＞＜b＞x＜/b＞［x］(https://evil.example)粗');
  });
});

describe('decodeEntities', () => {
  it('decodes named and numeric entities, and leaves what is not one', () => {
    expect(decodeEntities('&lt;&gt;&amp;&quot;&#42;&#x2A;&bogus;&#0;&#xD800;&')).toBe('<>&"**&bogus;&#0;&#xD800;&');
  });
});

describe('t(): every value is escaped by default', () => {
  it('a user value cannot bring markup into a rendered text; the template keeps its own', () => {
    const out = t('report.move_done', { name: '<at id=all></at>**x**', from: '谋划', to: '洽谈' });
    expect(out).toBe('已将“&lt;at id=all&gt;&lt;/at&gt;&#42;&#42;x&#42;&#42;”的阶段由“谋划”变更为“洽谈”。');
  });

  it('only Markup goes in as markup: a rendered template (tm) and joined markup lines', () => {
    const line = tm('jobs.overdue_line', { name: '风电', code: 'LY-1', owner: '张三' });
    expect(isMarkup(line)).toBe(true);
    const inner = t('status.project.substantive', { kinds: joinMarkup(['签约', '<b>'], '、') });
    expect(inner).toBe('【实质性进展：签约、&lt;b&gt;】');
    expect(t('status.line.report', { period: '1月', text: trustedMarkup('**ok**'), substantive: '', late: '' })).toBe('- 1月：**ok**');
  });
});
