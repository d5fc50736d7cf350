import { describe, expect, it } from 'vitest';
import { wan } from '../../src/domain/amount.js';
import { centreCards } from '../../src/status/summary-cards.js';
import type { CentreProject } from '../../src/store/status-lists.js';
import { text, walk } from '../helpers/cards.js';

/* Issue 17, item 8: the project centre's ≥1亿 list fits a phone: a list, with 本月未填报 beside the name. */

const p = (v: Partial<CentreProject>): CentreProject => ({
  id: 1,
  code: 'SP2026-001',
  name: '四平氢能装备',
  stage: 'signed',
  unitName: '梨树县',
  contractFen: wan(12000),
  signedOn: '2026-10-01',
  verifiedFen: 0,
  reported: true,
  noChange: false,
  progress: '设备安装',
  ...v,
});

describe('the centre list on a phone (issue 17)', () => {
  it('works: no table; each project names its missing report on its first line; nil funds read —', () => {
    const cards = centreCards({
      title: '签约1亿元以上项目',
      period: '2026-11',
      today: '2026-11-23',
      amount: '1亿元',
      list: [p({}), p({ id: 2, name: '集安人参饮片', reported: false, progress: null })],
    });
    let tables = 0;
    walk(cards, (n) => {
      if (n.tag === 'table') tables++;
    });
    expect(tables).toBe(0);
    const shown = text(cards);
    expect(shown).toMatch(/集安人参饮片\*\*（梨树县 · 签约）：⚠️ 本月未填报/);
    expect(shown).toContain('已到位（核实）—');
    expect(shown).not.toContain('0万元');
  });

  it('attacker: a project name with a mention is shown as typed', () => {
    const shown = text(
      centreCards({ title: 'x', period: '2026-11', today: '2026-11-23', amount: '1亿元', list: [p({ name: '<at id=all></at>' })] }),
    );
    expect(shown).not.toContain('<at id=all>');
  });
});
