import { describe, expect, it } from 'vitest';
import { outbox } from '../db/schema.js';
import { templates } from '../prompts/index.js';
import { forTextMessage } from '../src/domain/markup.js';
import { enqueueAll, reply } from '../src/store/messages.js';
import { placeholders, t } from '../src/text.js';
import { useTestDb } from './helpers/db.js';

/*
 * Issue 17, item 6: a text message never carries markdown — Lark shows `**name**` and backticks raw there. Every
 * template, sent as a text message, comes out plain; what a person typed is shown as typed.
 */

const MARKDOWN = /\*\*|`|~~|<font|<at\b|\]\(/;
const keys = Object.keys(templates);

describe('text messages carry no markdown (issue 17)', () => {
  describe('works', () => {
    it.each(keys)('%s as a text message is plain', (key) => {
      const tpl = (templates as Record<string, string>)[key]!;
      const vars = Object.fromEntries(placeholders(tpl).map((n) => [n, `v${n}`]));
      expect(forTextMessage(t(key as never, vars))).not.toMatch(MARKDOWN);
    });

    it('the text replies the bot writes most are plain in their templates, not only at the seam', () => {
      for (const key of ['report.move_done', 'status.not_found', 'report.move_usage', 'report.owned_by', 'report.move_bad_stage']) {
        expect((templates as Record<string, string>)[key], key).not.toMatch(MARKDOWN);
      }
    });
  });

  describe('works, through the outbox', () => {
    const db = useTestDb();
    it('the outbox row of a text reply holds plain text', async () => {
      const msg = { messageId: 'om_h17_md' };
      const name = '梅花鹿主题乐园';
      await db.db.transaction((tx) =>
        enqueueAll(tx, [reply(msg, { msgType: 'text', text: t('report.move_done', { name, from: '洽谈', to: '签约' }) })]),
      );
      const [row] = await db.db.select().from(outbox);
      const sent = (row!.content as { text: string }).text;
      expect(sent).toBe('已将“梅花鹿主题乐园”的阶段由“洽谈”变更为“签约”。');
    });
  });

  describe('attacker', () => {
    it('a typed **, backtick or mention is shown as typed, never as markup', () => {
      const out = forTextMessage(t('report.move_done', { name: '**粗**`x`<at id=all></at>', from: '谋划', to: '洽谈' }));
      expect(out).toContain('**粗**`x`');
      expect(out).not.toMatch(/<at/);
    });
  });
});
