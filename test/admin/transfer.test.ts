import { describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { auditLog, outbox, people, projects, projectTransfers, reports, stageHistory } from '../../db/schema.js';
import { decideTransferOf, offerTransferOf } from '../../src/admin/transfer.js';
import { parseCommand } from '../../src/bot/parse.js';
import { move, submit } from '../../src/report/service.js';
import { projectCard } from '../../src/status/project-card.js';
import { projectDetail } from '../../src/status/view.js';
import { text } from '../helpers/cards.js';
import { useTestDb } from '../helpers/db.js';
import { upsertUnit } from '../../src/store/directory.js';
import { depsAt, setProject, twoCities } from '../jobs/fixture.js';

/*
 * 转移 (000 三(一)): "对洽谈半年以上无实质性进展的项目，经首谈地同意后，可由其他地区重新洽谈，实现利益共享" — offered by a
 * mechanism office whose remit covers both regions (the province's 商务厅 between 四平 and 通化), only after the stall
 * period, consented by the first-talk unit's lead, the project moving with its history. The fixture's T-1 is
 * first-talked by 四平市工信局 and hosted in 梨树县 (first-talk ≠ host), last touched 2026-01-05.
 */

const msg = { messageId: 'om_tr', chatId: 'oc_p2p_tr', chatType: 'p2p' as const, senderOpenId: 'ou_t_prov_admin' };
const NOV = '2026-11-16T10:00:00+08:00';

const replyText = (a: unknown) => (Array.isArray(a) ? a.map((o: { content: unknown }) => text(o.content)).join('\n') : '');

describe('转移 by offer and consent (000 三(一))', () => {
  const t = useTestDb();
  const person = async (name: string) => (await t.db.select().from(people).where(eq(people.name, name)))[0]!;

  async function setup() {
    const f = await twoCities(t.db);
    const [provAdmin] = await t.db
      .insert(people)
      .values({ name: '省商务', unitId: f.province.id, roles: ['admin'], openId: 'ou_t_prov_admin' })
      .returning();
    // History that must move with the project.
    await t.db.insert(reports).values({ projectId: f.crossed.id, period: '2026-02', noChange: true });
    await t.db
      .insert(stageHistory)
      .values({ projectId: f.crossed.id, fromStage: 'planning', toStage: 'negotiating', changedOn: '2026-01-05' });
    return { ...f, provAdmin: provAdmin! };
  }
  const offers = () => t.db.select().from(projectTransfers);
  const projectRow = async (id: number) => (await t.db.select().from(projects).where(eq(projects.id, id)))[0]!;
  /** The consent card's value for an offer, as its button carries it. */
  const click = (id: number, v: 'agree' | 'decline') => ({ a: 'transfer_decide', t: id, v });

  it('works: offered after the stall period, consented by the first-talk unit’s lead, the project moves with its history', async () => {
    const f = await setup();
    const deps = depsAt(t.db, NOV);
    expect(parseCommand('/transfer T-1 集安市 洽谈半年以上无实质性进展')).toEqual({
      name: 'transfer',
      args: 'T-1 集安市 洽谈半年以上无实质性进展',
    });
    // `转移的项目有哪些` stays a status question.
    expect(parseCommand('转移的项目有哪些').name).toBe('query');

    await offerTransferOf(deps, msg, f.provAdmin, 'T-1 集安市 洽谈半年以上无实质性进展，由集安市重新洽谈');
    const [offer] = await offers();
    expect(offer).toMatchObject({ projectId: f.crossed.id, fromUnitId: f.bureau.id, toUnitId: f.ja.id, status: 'offered' });
    // The consent card goes to the first-talk unit's lead (the bureau's), not the host county's.
    const asked = await t.db
      .select()
      .from(outbox)
      .where(like(outbox.idemKey, `transfer:${offer!.id}:ask:%`));
    expect(asked.map((r) => r.receiveId)).toEqual(['ou_t_bureau_lead']);
    for (const s of ['项目转移征求意见 · 四平氢能装备', '拟转由**：集安市', '同意转移', '不同意的理由'])
      expect(text(asked[0]!.content)).toContain(s);

    const r = await decideTransferOf(deps, await person('秦岭'), click(offer!.id, 'agree'), {});
    expect(r.toast).toMatchObject({ type: 'success' });
    expect(text(r.card)).toContain('已同意');
    const p = await projectRow(f.crossed.id);
    // Moved: the receiving unit first-talks and hosts it, its lead holds it; the stall clock starts again.
    expect(p).toMatchObject({
      firstTalkUnitId: f.ja.id,
      hostUnitId: f.ja.id,
      ownerId: f.jaLead.id,
      stage: 'negotiating',
      lastProgressOn: '2026-11-16',
    });
    // With its history.
    expect(await t.db.select().from(reports).where(eq(reports.projectId, p.id))).toHaveLength(1);
    expect(await t.db.select().from(stageHistory).where(eq(stageHistory.projectId, p.id))).toHaveLength(1);
    // The first-talk unit recorded as sharing it; the project view shows it.
    expect((await offers())[0]).toMatchObject({ status: 'accepted', decidedById: f.bureauLead.id, decidedOn: '2026-11-16' });
    expect(text(projectCard(await projectDetail(t.db, p), '2026-11-16'))).toContain('利益共享**：四平市工信局');
    // Both sides and the office are told; the owner without a Lark account is skipped.
    const told = await t.db
      .select()
      .from(outbox)
      .where(like(outbox.idemKey, `transfer:${offer!.id}:%`));
    expect(told.map((m) => m.receiveId).sort()).toEqual(['ou_t_bureau_lead', 'ou_t_ja_lead', 'ou_t_prov_admin'].sort());
    expect(await t.db.select().from(auditLog).where(like(auditLog.action, 'transfer.%'))).toHaveLength(2);
  });

  it('works: the lead may decline with a reason; the office is told the reason and nothing moves', async () => {
    const f = await setup();
    const deps = depsAt(t.db, NOV);
    await offerTransferOf(deps, msg, f.provAdmin, 'T-1 集安市 无进展');
    const [offer] = await offers();
    // 不同意 without a reason: refused, the offer stays open.
    const bare = await decideTransferOf(deps, await person('秦岭'), click(offer!.id, 'decline'), { reason: '  ' });
    expect(bare.toast).toMatchObject({ type: 'error', content: '选择不同意时请填写理由。' });
    expect((await offers())[0]!.status).toBe('offered');
    const r = await decideTransferOf(deps, await person('秦岭'), click(offer!.id, 'decline'), { reason: '投资方下月来考察' });
    expect(r.toast).toMatchObject({ type: 'success' });
    expect((await offers())[0]).toMatchObject({ status: 'declined', declineReason: '投资方下月来考察' });
    expect(await projectRow(f.crossed.id)).toMatchObject({ firstTalkUnitId: f.bureau.id, hostUnitId: f.lishu.id });
    const told = await t.db
      .select()
      .from(outbox)
      .where(like(outbox.idemKey, `transfer:${offer!.id}:declined:%`));
    expect(told.map((m) => [m.receiveId, text(m.content)])).toEqual([['ou_t_prov_admin', expect.stringContaining('投资方下月来考察')]]);
  });

  it('refused: too early, outside the remit, the same region, not an office, a later stage, a second open offer', async () => {
    const f = await setup();
    const deps = depsAt(t.db, NOV);
    // Substantive progress on 2026-10-01: 46 days, not half a year.
    await setProject(t.db, f.crossed.id, { lastProgressOn: '2026-10-01' });
    expect(replyText(await offerTransferOf(deps, msg, f.provAdmin, 'T-1 集安市 无进展'))).toContain('未满180天');
    await setProject(t.db, f.crossed.id, { lastProgressOn: null });
    // The city's office does not cover 通化: the receiving unit is not found in its remit.
    expect(replyText(await offerTransferOf(deps, msg, f.cityAdmin, 'T-1 集安市 无进展'))).toContain(
      '没有找到您职责范围内名为“集安市”的单位',
    );
    // Nor another city's project (said as "not found", naming nothing of it).
    const outside = replyText(await offerTransferOf(deps, msg, f.cityAdmin, 'T-3 梨树县 无进展'));
    expect(outside).toContain('没有找到与“T-3”匹配');
    expect(outside).not.toContain('集安人参饮片');
    // The city's own county is the same region as the city's bureau.
    expect(replyText(await offerTransferOf(deps, msg, f.provAdmin, 'T-1 梨树县 无进展'))).toContain('属同一地区');
    // A lead is not the mechanism office.
    expect(replyText(await offerTransferOf(deps, msg, await person('秦岭'), 'T-1 集安市 无进展'))).toContain('机制办公室');
    // A signed project is not in negotiation.
    await setProject(t.db, f.other.id, { stage: 'signed' });
    expect(replyText(await offerTransferOf(deps, msg, f.provAdmin, 'T-3 四平市 无进展'))).toContain('只有洽谈、意向阶段');
    expect(await offers()).toHaveLength(0);
    // Two units of one name (another city's 梨树县 here): the code is asked for, nothing offered.
    await upsertUnit(t.db, { code: 'TH-LS', name: '梨树县', kind: 'county', parentId: f.th.id });
    expect(replyText(await offerTransferOf(deps, msg, f.provAdmin, 'T-1 梨树县 无进展'))).toContain(
      '请改用单位编码：梨树县（SP-LS）、梨树县（TH-LS）',
    );
    expect(await offers()).toHaveLength(0);
    // One open offer at a time.
    // By the unit's code.
    await offerTransferOf(deps, msg, f.provAdmin, 'T-1 TH-JA 无进展');
    expect((await offers())[0]).toMatchObject({ toUnitId: f.ja.id });
    expect(replyText(await offerTransferOf(deps, msg, f.provAdmin, 'T-1 通化市 无进展'))).toContain('已有一项待首谈单位答复的转移');
    expect(await offers()).toHaveLength(1);
  });

  it('refused: the free-text 转移 by command or form is gone', async () => {
    const f = await setup();
    const deps = depsAt(t.db, NOV);
    const moved = await move(deps, await person('秦岭'), msg, 'T-1', '转移');
    expect(replyText(moved)).toContain('项目转移须经首谈单位同意');
    const form = await submit(
      deps,
      await person('秦岭'),
      { p: f.crossed.id },
      { stage: 'transferred', stage_reason: '无进展', transfer_to: '长春市', progress: 'x' },
    );
    expect(text(form.card)).toContain('项目转移须经首谈单位同意');
    expect((await projectRow(f.crossed.id)).stage).toBe('negotiating');
  });

  it('attacked: another unit’s lead clicks the card, forged and replayed values change nothing', async () => {
    const f = await setup();
    const deps = depsAt(t.db, NOV);
    await offerTransferOf(deps, msg, f.provAdmin, 'T-1 集安市 无进展');
    const [offer] = await offers();
    const before = await projectRow(f.crossed.id);
    // The host county's lead and the receiving unit's lead are not the first-talk unit's lead.
    for (const who of ['梁山', '白河', '章台', '省商务', '无号员']) {
      const r = await decideTransferOf(deps, await person(who), click(offer!.id, 'agree'), {});
      expect(r.toast, who).toMatchObject({ type: 'error', content: '没有找到这项转移，或您不是首谈单位负责人。' });
      expect(r.card).toBeUndefined();
    }
    // Forged values: another id, a string, an unknown decision, none at all.
    for (const v of [click(offer!.id + 1, 'agree'), { t: 'x', v: 'agree' }, { t: offer!.id, v: 'maybe' }, {}, { t: -1, v: 'agree' }]) {
      expect((await decideTransferOf(deps, await person('秦岭'), v, {})).toast?.type).toBe('error');
    }
    expect(await projectRow(f.crossed.id)).toEqual(before);
    expect((await offers())[0]!.status).toBe('offered');
    // Decided once; a replay (or a second click after consent, or a decline after it) changes nothing.
    await decideTransferOf(deps, await person('秦岭'), click(offer!.id, 'agree'), {});
    const after = await projectRow(f.crossed.id);
    const replay = await decideTransferOf(deps, await person('秦岭'), click(offer!.id, 'decline'), { reason: '反悔' });
    expect(replay.toast).toMatchObject({ type: 'info', content: '这项转移已经答复过了。' });
    expect(await projectRow(f.crossed.id)).toEqual(after);
    expect((await offers())[0]).toMatchObject({ status: 'accepted', declineReason: null });
    // Once moved, the old first-talk unit's lead cannot be asked again, nor the old office offer it back unseen.
    expect(replyText(await offerTransferOf(deps, msg, f.cityAdmin, 'T-1 梨树县 无进展'))).toContain('没有找到');
  });
});
