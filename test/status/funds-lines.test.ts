/**
 * Issue 16, "every funds figure says which rule it uses": the status card's 到位资金 line and the weekly digest's
 * funds line count by the recognition rule (rules.funds; by default 市外 and ≥1000万, seed 002) and say so, as the
 * headline does. An investor from abroad (境外: another country, 香港) is 市外 and 省外 of every host and counts;
 * an investor from the host city, a project under 1000万 and a rejected entry do not.
 */
import { describe, expect, it } from 'vitest';
import { fundEntries, people, projects } from '../../db/schema.js';
import { wan } from '../../src/domain/amount.js';
import { readRegion } from '../../src/domain/regions.js';
import { upsertUnit } from '../../src/store/directory.js';
import { funds } from '../../src/status/figures.js';
import { fundsSection } from '../../src/status/sections.js';
import { unitScope } from '../../src/status/scope.js';
import { digestCard, type DigestData } from '../../src/status/digest-card.js';
import { formatAmount } from '../../src/words.js';
import { useTestDb } from '../helpers/db.js';
import { text } from '../helpers/cards.js';

const t = useTestDb();
const WINDOW = { from: '2026-11-01', to: '2026-11-30' };
const YEAR = { from: '2026-01-01', to: '2026-11-30' };

async function build() {
  const jl = await upsertUnit(t.db, { code: 'JL', name: '吉林省', kind: 'province', parentId: null });
  const ly = await upsertUnit(t.db, { code: 'LY', name: '辽源市', kind: 'city', parentId: jl.id });
  const df = await upsertUnit(t.db, { code: 'LY-DF', name: '东丰县', kind: 'county', parentId: ly.id });
  const [owner] = await t.db
    .insert(people)
    .values({ name: '吴磊', unitId: df.id, roles: ['owner'] })
    .returning();
  const project = async (code: string, region: string, planned: number) => {
    const [row] = await t.db
      .insert(projects)
      .values({
        code,
        name: `项目${code}`,
        stage: 'negotiating',
        firstTalkUnitId: df.id,
        hostUnitId: df.id,
        ownerId: owner!.id,
        investorRegion: region,
        investorRegionCode: readRegion(region)?.code ?? null,
        plannedInvestmentFen: planned,
      })
      .returning();
    return row!.id;
  };
  const entry = (projectId: number, date: string, fen: number, status: 'reported' | 'verified' | 'rejected' = 'verified') =>
    t.db.insert(fundEntries).values({ projectId, entryDate: date, amountFen: fen, status });
  const outside = await project('A', '浙江省杭州市', wan(5000));
  const abroad = await project('B', '美国', wan(3000));
  const hongKong = await project('C', '香港', wan(2000));
  const local = await project('D', '吉林省辽源市', wan(8000));
  const small = await project('E', '北京市', wan(800));
  await entry(outside, '2026-11-05', wan(100));
  await entry(outside, '2026-03-05', wan(1000));
  await entry(abroad, '2026-11-06', wan(200));
  await entry(hongKong, '2026-11-07', wan(400));
  await entry(local, '2026-11-08', wan(7000));
  await entry(small, '2026-11-09', wan(9000));
  await entry(outside, '2026-11-10', wan(5000), 'rejected');
  await entry(outside, '2026-11-11', wan(60), 'reported');
  return { df };
}

describe('funds lines name their rule', () => {
  it('works: the status line counts by the rule and says it; 境外 and 香港 investors count as 市外', async () => {
    const { df } = await build();
    const f = await funds(t.db, unitScope(df), WINDOW, YEAR, []);
    expect(f.recognisedWindow.amountFen).toBe(wan(700));
    expect(f.recognisedWindow.projects).toBe(3);
    expect(f.recognised.amountFen).toBe(wan(1700));
    const shown = text(fundsSection(f, '本月', false));
    expect(shown).toContain(
      `**到位资金**（市外、1000万元以上项目，已核实）：本月 ${formatAmount(wan(700))}，本年 ${formatAmount(wan(1700))}`,
    );
    // Money outside the rule (the host city's investor, a project under 1000万) is in no funds line.
    expect(shown).not.toContain(formatAmount(wan(16_700)));
  });

  it('works: the weekly digest says the rule of its verified figure', async () => {
    const { df } = await build();
    const f = await funds(t.db, unitScope(df), WINDOW, YEAR, []);
    const d: DigestData = {
      scopeLabel: '东丰县',
      recipientName: '杨帆',
      week: WINDOW,
      moves: { total: 0, list: [] },
      signings: { window: { count: 0, fen: 0 }, year: { count: 0, fen: 0 } },
      signedList: [],
      funds: f,
      newProblems: { total: 0, list: [] },
      late: { period: '2026-10', deadline: '2026-10-20', total: 0, byUnit: [] },
      waiting: { unitName: '东丰县', total: 0, list: [] },
    };
    const shown = text(digestCard(d));
    expect(shown).toContain(`到位资金**（市外、1000万元以上项目，已核实）：上周 ${formatAmount(wan(700))}；`);
    expect(shown).toContain(`新报送待核实 ${formatAmount(wan(60))}`);
  });

  it('refused: a rule without an origin or minimum is named as every project, never left unsaid', async () => {
    const { fundsRuleLine } = await import('../../src/words.js');
    expect(fundsRuleLine({ origin: 'any', minInvestmentFen: 0 })).toBe('全部项目，已核实');
    expect(fundsRuleLine({ origin: 'outside_province', minInvestmentFen: 0 })).toBe('省外项目，已核实');
    expect(fundsRuleLine({ origin: 'outside_city', minInvestmentFen: wan(1000) })).toBe('市外、1000万元以上项目，已核实');
  });
});
