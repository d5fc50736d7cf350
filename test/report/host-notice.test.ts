import { describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { outbox, people } from '../../db/schema.js';
import { hostShouldHear } from '../../src/domain/host-notice.js';
import { submit } from '../../src/report/service.js';
import { text } from '../helpers/cards.js';
import { useTestDb } from '../helpers/db.js';
import { depsAt, twoCities } from '../jobs/fixture.js';

/*
 * 001 三.二: the first-talk unit leads "会同项目所在地" — with the host. When a report records a problem that is the host's
 * to solve (the unit that must act is on the host side, or land/plant/energy/approval for a project hosted elsewhere
 * than its first-talk unit), the host unit's lead is told, once per problem. T-1: first-talked by 四平市工信局, hosted
 * in 梨树县 (lead 梁山); T-2: 梨树县's own.
 */
describe('the host unit hears of the problems that are its to solve', () => {
  const t = useTestDb();
  const person = async (name: string) => (await t.db.select().from(people).where(eq(people.name, name)))[0]!;
  const notices = () => t.db.select().from(outbox).where(like(outbox.idemKey, 'problem-host:%'));

  it('works: a land problem of a project hosted in the county reaches the county’s lead, once, however often edited', async () => {
    const f = await twoCities(t.db);
    const deps = depsAt(t.db, '2026-11-12T10:00:00+08:00');
    const form = { progress: '继续洽谈', problem_category: 'land', problem_text: '用地指标待落实', problem_unit: '梨树县' };
    expect((await submit(deps, await person('无号员'), { p: f.crossed.id }, form)).toast?.type).toBe('success');
    const sent = await notices();
    expect(sent.map((m) => m.receiveId)).toEqual(['ou_t_county_lead']);
    expect(text(sent[0]!.content)).toMatch(/梨树县[\s\S]*四平氢能装备[\s\S]*土地[\s\S]*用地指标待落实/);
    // Edited the same month: not told again.
    await submit(deps, await person('无号员'), { p: f.crossed.id }, { ...form, problem_text: '用地指标待落实，已报市里' });
    expect(await notices()).toHaveLength(1);
  });

  it('refused: a problem that is not the host’s (funds, for the bureau to solve), and the host’s own project', async () => {
    const f = await twoCities(t.db);
    const deps = depsAt(t.db, '2026-11-12T10:00:00+08:00');
    await submit(
      deps,
      await person('无号员'),
      { p: f.crossed.id },
      { progress: 'x', problem_category: 'funds', problem_text: '融资', problem_unit: '四平市工信局' },
    );
    // The county's own project: its lead answers for it already (first-talk = host), and the unit is the bureau.
    await submit(
      deps,
      await person('无号员'),
      { p: f.own.id },
      { progress: 'x', problem_category: 'land', problem_text: '用地', problem_unit: '四平市工信局' },
    );
    expect(await notices()).toHaveLength(0);
  });

  it('the rule: host side by unit, or a host category for a project hosted away from its first-talk unit', () => {
    const base = { hostUnitId: 3, hostPath: '/1/2/3/', firstTalkUnitId: 4 };
    expect(hostShouldHear({ ...base, category: 'funds', mustActPath: '/1/2/3/9/' })).toBe(true);
    expect(hostShouldHear({ ...base, category: 'approval', mustActPath: null })).toBe(true);
    expect(hostShouldHear({ ...base, category: 'talent', mustActPath: '/1/2/4/' })).toBe(false);
    // An attacker naming a sibling whose path starts alike (/1/2/30/) is not the host side.
    expect(hostShouldHear({ ...base, category: 'funds', mustActPath: '/1/2/30/' })).toBe(false);
    expect(hostShouldHear({ ...base, firstTalkUnitId: 3, category: 'land', mustActPath: '/1/2/4/' })).toBe(false);
    expect(hostShouldHear({ ...base, hostUnitId: null, hostPath: null, category: 'land', mustActPath: null })).toBe(false);
  });
});
