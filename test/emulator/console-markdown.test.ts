/**
 * The console renders card markdown as Lark does: markup the bot writes is rendered, and a user's text the bot
 * escaped (entities) shows as the characters typed — a canary reads as literal text, never a mention or a link.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain browser module of the console, without types
import { md } from '../../src/emulator/console/markdown.js';
import { escapeMarkdown } from '../../src/domain/markup.js';

const CANARY = '# 金丝雀<at id=all></at>[x](https://evil.example)**粗**<b>b</b>';
const render = (s: string): string => md(s) as string;

describe('console markdown', () => {
  it('works: renders the bot’s own markup (bold, a mention of everyone it wrote, a link, a heading)', () => {
    expect(render('**粗**')).toContain('<b>粗</b>');
    expect(render('<at id=all></at>')).toContain('<span class="at">@所有人</span>');
    expect(render('[x](https://lark.example)')).toContain('<a href="https://lark.example"');
    expect(render('# 标题')).toContain('<h1>');
  });

  it('an escaped canary shows as its characters: no heading, mention, link, bold or tag', () => {
    const html = render(escapeMarkdown(CANARY));
    expect(html).not.toMatch(/<h\d|class="at"|<a |<b>|<i>/);
    // The browser turns these entities into the characters typed.
    expect(html).toContain(
      '&#35; 金丝雀&lt;at id=all&gt;&lt;/at&gt;&#91;x&#93;(https&#58;//evil.example)&#42;&#42;粗&#42;&#42;&lt;b&gt;b&lt;/b&gt;',
    );
  });

  it('what an attacker tries: an unescaped canary is markup here, as in Lark (so a test reading the console sees it)', () => {
    const html = render(CANARY);
    expect(html).toMatch(/<h1>/);
    expect(html).toContain('@所有人');
    expect(html).toContain('<a href="https://evil.example"');
  });
});
