/*
 * Issue 16 item 3: roll-ups by source channel and by outside office, in a scope, on two cities.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { seedDemo } from '../../db/seed/index.js';
import { projects } from '../../db/schema.js';
import { decodeEntities } from '../../src/domain/markup.js';
import { channelRollup } from '../../src/status/figures.js';
import { channelsSection } from '../../src/status/sections.js';
import { loadDirectory, unitScope } from '../../src/status/scope.js';
import { yearWindow } from '../../src/status/time.js';
import { useTestDb } from '../helpers/db.js';
import { addSecondCity, SP } from '../helpers/second-city.js';

const TODAY = '2026-11-25';

describe('roll-ups by channel and outside office', () => {
  const t = useTestDb();

  beforeEach(async () => {
    await seedDemo(t.db, TODAY);
    await addSecondCity(t.db, TODAY);
  });

  it('works: each channel counts its projects (several channels count under each); offices from the origin office', async () => {
    const df = await t.db
      .select()
      .from(projects)
      .where(sql`${projects.hostUnitId} = (select id from units where code = 'LY-DF')`);
    const signed = df.filter((p) => p.signedOn !== null && p.signedOn >= '2026-01-01');
    expect(signed.length).toBeGreaterThanOrEqual(2);
    await t.db
      .update(projects)
      .set({ channels: ['chamber', 'business_referral'] })
      .where(eq(projects.id, signed[0]!.id));
    await t.db
      .update(projects)
      .set({ channels: ['chamber'] })
      .where(eq(projects.id, signed[1]!.id));
    // 四平's project shares the channel: never in 辽源's figures.
    await t.db
      .update(projects)
      .set({ channels: ['chamber'], originOffice: '上海' })
      .where(eq(projects.code, SP.projectCode));

    const dir = await loadDirectory(t.db);
    const dfUnit = dir.units.find((u) => u.code === 'LY-DF')!;
    const r = await channelRollup(t.db, unitScope(dfUnit), yearWindow(2026, TODAY));
    const chamber = r.channels.find((c) => c.channel === 'chamber')!;
    expect(chamber.signed).toBe(2);
    expect(chamber.signedFen).toBe(signed[0]!.contractAmountFen! + signed[1]!.contractAmountFen!);
    expect(r.channels.find((c) => c.channel === 'business_referral')!.signed).toBe(1);
    // Projects without a channel are counted apart, so nothing is lost: the sum over a partition is the scope's.
    const inScope = await t.db.execute(sql`select count(*)::int as n from projects p
      where (p.host_unit_id in (select id from units where path like ${dfUnit.path + '%'})
          or p.first_talk_unit_id in (select id from units where path like ${dfUnit.path + '%'}))
        and p.stage not in ('dropped', 'transferred') and cardinality(p.channels) = 0`);
    const none = ((inScope as { rows?: { n: number }[] }).rows ?? (inScope as unknown as { n: number }[]))[0]!.n;
    expect(r.channels.find((c) => c.channel === null)!.projects).toBe(none);
    // Offices: the demo's origin offices of 东丰县's projects.
    const offices = df.filter((p) => p.originOffice);
    expect(r.offices.reduce((s, o) => s + o.projects + 0, 0)).toBe(
      offices.filter((p) => !['dropped', 'transferred'].includes(p.stage)).length,
    );

    const text = JSON.stringify(channelsSection(r, '本年'));
    expect(text).toContain('商协会');
    expect(text).toContain('以商招商');
    expect(text).toContain('未填渠道');
  });

  it('refused: another city’s channel figures never reach a county’s or the other city’s roll-up', async () => {
    await t.db
      .update(projects)
      .set({ channels: ['paired_cooperation'], originOffice: '杭州' })
      .where(inArray(projects.code, [SP.projectCode, 'SP2026-002']));
    const dir = await loadDirectory(t.db);
    const ly = dir.units.find((u) => u.code === 'LY')!;
    const r = await channelRollup(t.db, unitScope(ly), yearWindow(2026, TODAY));
    expect(r.channels.find((c) => c.channel === 'paired_cooperation')).toBeUndefined();
    expect(r.offices.map((o) => o.office)).not.toContain('杭州');
    const sp = dir.units.find((u) => u.code === 'SP')!;
    const s = await channelRollup(t.db, unitScope(sp), yearWindow(2026, TODAY));
    expect(s.channels.map((c) => [c.channel, c.projects])).toEqual([['paired_cooperation', 2]]);
    expect(s.offices.map((o) => [o.office, o.projects])).toEqual([['杭州', 2]]);
  });

  it('attacker: an office name typed with card markup is shown as text', async () => {
    await t.db.update(projects).set({ originOffice: '<at id=all></at>' }).where(eq(projects.code, SP.projectCode));
    const dir = await loadDirectory(t.db);
    const sp = dir.units.find((u) => u.code === 'SP')!;
    const r = await channelRollup(t.db, unitScope(sp), yearWindow(2026, TODAY));
    const els = channelsSection(r, '本年') as { tag: string; content?: string }[];
    // The name is listed in markdown, escaped: Lark shows it as typed and mentions no one.
    const listed = els.filter((e) => e.tag === 'markdown').map((e) => e.content!);
    expect(listed.some((c) => decodeEntities(c).includes('<at id=all></at>'))).toBe(true);
    for (const c of listed) expect(c).not.toContain('<at');
  });
});
