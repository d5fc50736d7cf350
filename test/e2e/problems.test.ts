// Problems (困难问题) solved within a time limit (001 三.六 限时推进): a due date by category or as typed, shown to
// the unit that must act, escalated one level once when overdue, closed with what was done; external
// organisations (外部单位) as the party that must act; the service team lead (包保专班); the evaluation before
// signing (001 三.四 事前综合评估). Two cities, a city bureau first-talking a county's project (twoCities).

import { describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { externalOrgs, outbox, people, problems, projectEvaluations, projects, settings } from '../../db/schema.js';
import { closeProblemOf, externalOrgsCommand, listProblems, recordEvaluationOf, setTeamLeadOf } from '../../src/admin/problems.js';
import type { Answer } from '../../src/admin/answer.js';
import { problemsJob } from '../../src/jobs/problems.js';
import { runJob } from '../../src/jobs/runner.js';
import { move, submit } from '../../src/report/service.js';
import { formsFromSentence } from '../../src/report/sentence.js';
import { projectCard } from '../../src/status/project-card.js';
import { projectDetail } from '../../src/status/view.js';
import type { Deps } from '../../src/context.js';
import type { Db } from '../../src/store/db.js';
import { fields, text } from '../helpers/cards.js';
import { useTestDb } from '../helpers/db.js';
import { depsAt, setProject, twoCities } from '../jobs/fixture.js';

let n = 0;
const msg = () => ({ messageId: `om_pr_${++n}`, chatId: 'oc_p2p_pr', chatType: 'p2p' as const, senderOpenId: 'ou_x' });

/** What a command answered: the replies it returned, or the one it wrote to the outbox itself. */
async function said(db: Db, run: (m: ReturnType<typeof msg>) => Promise<Answer>): Promise<string> {
  const m = msg();
  const a = await run(m);
  if (Array.isArray(a)) return a.map((o) => text('content' in o ? o.content : o)).join('\n');
  const rows = await db
    .select()
    .from(outbox)
    .where(eq(outbox.idemKey, `reply:${m.messageId}`));
  return rows.map((r) => text(r.content)).join('\n');
}

const escalations = (db: Db) => db.select().from(outbox).where(like(outbox.idemKey, 'problem:%:escalate:%'));

describe('problems with a time limit (001 三.六 限时推进)', () => {
  const t = useTestDb();
  const person = async (name: string) => (await t.db.select().from(people).where(eq(people.name, name)))[0]!;
  const report = (d: Deps, who: string, projectId: number, v: Record<string, string>) =>
    person(who).then((p) => submit(d, p, { p: projectId }, { progress: '对接推进中', ...v }));

  it('works: a default due date by category or the one typed, shown to the unit that must act, escalated once per level, closed with what was done', async () => {
    const f = await twoCities(t.db);
    await t.db.update(people).set({ openId: 'ou_t_officer' }).where(eq(people.id, f.officer.id));
    const nov10 = depsAt(t.db, '2026-11-10T10:00:00+08:00');
    // The county must act on the bureau's project: land, default 60 days.
    expect(
      (await report(nov10, '章台', f.crossed.id, { problem_category: 'land', problem_text: '用地指标待协调', problem_unit: '梨树县' }))
        .toast?.type,
    ).toBe('success');
    // The bureau must act on the county's project, by a day typed the way officers write it.
    expect(
      (
        await report(nov10, '章台', f.own.id, {
          problem_category: 'energy',
          problem_text: '用电增容',
          problem_unit: '四平市工信局',
          problem_due: '11月20日',
        })
      ).toast?.type,
    ).toBe('success');
    const rows = await t.db.select().from(problems).orderBy(problems.id);
    expect(rows.map((r) => [r.projectId, r.mustActUnitId, r.dueOn])).toEqual([
      [f.crossed.id, f.lishu.id, '2027-01-09'],
      [f.own.id, f.bureau.id, '2026-11-20'],
    ]);

    // Shown to the unit that must act: the county's lead sees the county's problem only; another city sees none.
    const county = await said(t.db, (m) => listProblems(nov10, m, f.countyLead));
    expect(county).toContain('用地指标待协调');
    expect(county).not.toContain('用电增容');
    expect(await said(t.db, (m) => listProblems(nov10, m, f.jaLead))).toContain('没有需要本单位协调');
    // The bureau's lead sees the bureau's problem, with its due date.
    expect(await said(t.db, (m) => listProblems(nov10, m, f.bureauLead))).toMatch(/用电增容[\s\S]*时限：2026年11月20日/);

    // Overdue on 11-23 (Monday): the bureau's problem goes to the city's mechanism (the bureau's government).
    const nov23 = depsAt(t.db, '2026-11-23T10:00:00+08:00');
    expect((await runJob(nov23, problemsJob, nov23.clock.now())).status).toBe('done');
    let sent = await escalations(t.db);
    expect(sent.map((r) => r.receiveId).sort()).toEqual(['oc_t_sp', 'ou_t_officer']);
    expect(text(sent[0]!.content)).toMatch(/用电增容[\s\S]*四平市工信局[\s\S]*限时推进[\s\S]*四平市/);
    // The county's problem, made overdue: one level up from the county is the city, not the county's own group.
    await t.db.update(problems).set({ dueOn: '2026-11-20' }).where(eq(problems.projectId, f.crossed.id));
    // Run twice the same day (the runner says done) and again the next day: each problem escalates once per level.
    await runJob(nov23, problemsJob, nov23.clock.now());
    const nov24 = depsAt(t.db, '2026-11-24T10:00:00+08:00');
    expect((await runJob(nov24, problemsJob, nov24.clock.now())).status).toBe('done');
    const nov25 = depsAt(t.db, '2026-11-25T10:00:00+08:00');
    await runJob(nov25, problemsJob, nov25.clock.now());
    sent = await escalations(t.db);
    expect(sent.map((r) => r.receiveId).sort()).toEqual(['oc_t_sp', 'oc_t_sp', 'ou_t_officer', 'ou_t_officer']);
    expect(sent.some((r) => r.receiveId === 'oc_t_lishu' || r.receiveId === 'oc_t_th')).toBe(false);
    expect((await t.db.select().from(problems)).every((p) => p.escalatedLevel === 1)).toBe(true);

    // The county's lead closes the county's problem with what was done; the owner is told.
    expect(await said(t.db, (m) => closeProblemOf(nov25, m, f.countyLead, String(rows[0]!.id), '已落实用地指标'))).toContain('已办结');
    const [closed] = await t.db.select().from(problems).where(eq(problems.id, rows[0]!.id));
    expect(closed).toMatchObject({ open: false, resolvedOn: '2026-11-25', resolution: '已落实用地指标', resolvedById: f.countyLead.id });
    const told = await t.db
      .select()
      .from(outbox)
      .where(like(outbox.idemKey, `problem:${rows[0]!.id}:closed:%`));
    expect(told.map((r) => [r.receiveId, text(r.content)])).toEqual([
      ['ou_t_officer', expect.stringContaining('梁山办结：已落实用地指标')],
    ]);
  });

  it('works for a busy unit: the list counts every open problem, not only those it reads, and says how many more', async () => {
    const f = await twoCities(t.db);
    // 60 open problems for the county to act on (more than the store reads for one card), 55 of them overdue.
    await t.db.insert(problems).values(
      Array.from({ length: 60 }, (_, i) => ({
        projectId: f.crossed.id,
        category: 'land' as const,
        description: `用地问题${i + 1}`,
        mustActUnitId: f.lishu.id,
        raisedOn: '2026-09-01',
        dueOn: i < 55 ? '2026-10-01' : '2026-12-31',
      })),
    );
    const nov10 = depsAt(t.db, '2026-11-10T10:00:00+08:00');
    const list = await said(t.db, (m) => listProblems(nov10, m, f.countyLead));
    expect(list).toContain('（60个）');
    expect(list).toContain('**55** 个已过时限');
    expect(list).toContain('另有 45 个');
    expect(list).not.toContain('用地问题16'); // 15 shown, due first
  });

  it('refused: outside the remit, not the unit that must act, a due date in the past, another city’s unit', async () => {
    const f = await twoCities(t.db);
    const nov10 = depsAt(t.db, '2026-11-10T10:00:00+08:00');
    // A due date before today, and a unit of another city, come back as field errors with what was typed.
    const bad = await report(nov10, '章台', f.crossed.id, {
      problem_category: 'land',
      problem_text: '用地指标待协调',
      problem_unit: '集安市',
      problem_due: '2026-10-01',
    });
    expect(bad.toast?.type).toBe('error');
    const shown = text(bad.card);
    expect(shown).toContain('未找到名为“集安市”的单位');
    expect(shown).toContain('之后、一年以内');
    expect(fields(bad.card).get('problem_text')?.value).toBe('用地指标待协调');
    expect(await t.db.select().from(problems)).toHaveLength(0);

    await report(nov10, '章台', f.crossed.id, { problem_category: 'land', problem_text: '用地指标待协调', problem_unit: '梨树县' });
    const [p] = await t.db.select().from(problems);
    // Another city's owner and lead: the problem does not exist for them.
    for (const who of [f.jaOwner, f.jaLead]) {
      expect(await said(t.db, (m) => closeProblemOf(nov10, m, who, String(p!.id), '已处理'))).toContain('没有找到');
    }
    expect((await t.db.select().from(problems))[0]!.open).toBe(true);
  });

  it('attacked: a problem id of another city, an id that is not a number, a closed problem closed again', async () => {
    const f = await twoCities(t.db);
    const nov10 = depsAt(t.db, '2026-11-10T10:00:00+08:00');
    await report(nov10, '柳青', f.other.id, { problem_category: 'approval', problem_text: '集安环评', problem_unit: '集安市' });
    const [other] = await t.db.select().from(problems);
    expect(other!.mustActUnitId).toBe(f.ja.id);
    // The city admin of 四平 guesses 集安's problem id: not found, nothing revealed, nothing changed.
    const reply = await said(t.db, (m) => closeProblemOf(nov10, m, f.cityAdmin, String(other!.id), '代为办结'));
    expect(reply).toContain('没有找到');
    expect(reply).not.toContain('集安环评');
    expect(await said(t.db, (m) => closeProblemOf(nov10, m, f.cityAdmin, '1 or 1=1', '代为办结'))).toContain('用法');
    // 集安's lead closes it; a second close finds nothing open.
    expect(await said(t.db, (m) => closeProblemOf(nov10, m, f.jaLead, String(other!.id), '环评已批复'))).toContain('已办结');
    expect(await said(t.db, (m) => closeProblemOf(nov10, m, f.jaLead, String(other!.id), '再次'))).toContain('没有找到');
    expect((await t.db.select().from(problems))[0]!.resolution).toBe('环评已批复');
  });
});

describe('external organisations as the party that must act', () => {
  const t = useTestDb();
  const person = async (name: string) => (await t.db.select().from(people).where(eq(people.name, name)))[0]!;

  it('works: added by an admin to their government; the same name in two cities does not cross; named in the problem and its escalation, whose contact hears of it', async () => {
    const f = await twoCities(t.db);
    const [thAdmin] = await t.db
      .insert(people)
      .values({ name: '通化管理', unitId: f.th.id, roles: ['admin'], openId: 'ou_t_th_admin' })
      .returning();
    const nov10 = depsAt(t.db, '2026-11-10T10:00:00+08:00');
    expect(await said(t.db, (m) => externalOrgsCommand(nov10, m, f.cityAdmin, '添加 市供电公司 供电 王工 ou_t_power'))).toContain(
      '已添加外部单位',
    );
    expect(await said(t.db, (m) => externalOrgsCommand(nov10, m, thAdmin!, '添加 市供电公司 供电 赵工'))).toContain('通化市');
    const orgs = await t.db.select().from(externalOrgs).orderBy(externalOrgs.id);
    expect(orgs.map((o) => [o.name, o.governmentUnitId, o.contactOpenId])).toEqual([
      ['市供电公司', f.sp.id, 'ou_t_power'],
      ['市供电公司', f.th.id, null],
    ]);
    // A county officer lists the organisations of their line: 四平's, not 通化's.
    const listed = await said(t.db, (m) => externalOrgsCommand(nov10, m, f.countyLead, ''));
    expect(listed).toContain('王工');
    expect(listed).not.toContain('赵工');

    // The same words on each city's report resolve to that city's organisation.
    const sub = (who: string, id: number) =>
      person(who).then((p) =>
        submit(
          nov10,
          p,
          { p: id },
          { progress: '推进', problem_category: 'energy', problem_text: '电力增容', problem_unit: '市供电公司', problem_due: '11月20日' },
        ),
      );
    expect((await sub('章台', f.crossed.id)).toast?.type).toBe('success');
    expect((await sub('柳青', f.other.id)).toast?.type).toBe('success');
    const rows = await t.db.select().from(problems).orderBy(problems.id);
    expect(rows.map((r) => [r.mustActUnitId, r.mustActOrgId])).toEqual([
      [null, orgs[0]!.id],
      [null, orgs[1]!.id],
    ]);
    // Named on the project's status card.
    const [crossed] = await t.db.select().from(projects).where(eq(projects.id, f.crossed.id));
    expect(text(projectCard(await projectDetail(t.db, crossed!), '2026-11-10'))).toContain('电力增容（需市供电公司协调');
    // The city admin sees the 四平 organisation's problem, named with its contact.
    expect(await said(t.db, (m) => listProblems(nov10, m, f.cityAdmin))).toMatch(
      /电力增容.*\n需协调：市供电公司（外部单位，联系人：王工）/,
    );

    // Overdue: to the organisation's government's group and its contact; 通化's to 通化's group.
    const nov23 = depsAt(t.db, '2026-11-23T10:00:00+08:00');
    await runJob(nov23, problemsJob, nov23.clock.now());
    const sent = await escalations(t.db);
    const to = (id: number) => sent.filter((r) => r.idemKey.startsWith(`problem:${id}:`)).map((r) => r.receiveId);
    expect(to(rows[0]!.id).sort()).toEqual(['oc_t_sp', 'ou_t_power']);
    expect(to(rows[1]!.id)).toContain('oc_t_th');
    expect(to(rows[1]!.id)).not.toContain('oc_t_sp');
    expect(text(sent.find((r) => r.receiveId === 'ou_t_power')!.content)).toContain('市供电公司（外部单位，联系人：王工）');
  });

  it('a one-sentence report naming an organisation kept for the project’s line fills it in as the party that must act', async () => {
    const f = await twoCities(t.db);
    const nov10 = depsAt(t.db, '2026-11-10T10:00:00+08:00');
    const sentence = '四平氢能装备本月用电增容需要市供电公司协调';
    const unitField = async () => {
      const out = await formsFromSentence(nov10, f.cityAdmin, msg(), sentence);
      const c = out?.find((o) => o.to === 'reply' && o.content.msgType === 'interactive');
      return c && c.to === 'reply' && c.content.msgType === 'interactive' ? fields(c.content.card).get('problem_unit')?.value : 'no form';
    };
    // Not kept yet (or kept only by another city): the party stays in the text, the unit field empty.
    const [thAdmin] = await t.db
      .insert(people)
      .values({ name: '通化管理', unitId: f.th.id, roles: ['admin'], openId: 'ou_t_th_admin' })
      .returning();
    await externalOrgsCommand(nov10, msg(), thAdmin!, '添加 市供电公司 供电 赵工');
    expect(await unitField()).toBeUndefined();
    await externalOrgsCommand(nov10, msg(), f.cityAdmin, '添加 市供电公司 供电 王工');
    expect(await unitField()).toBe('市供电公司');
    // Submitted as filled in: 四平's organisation, not 通化's.
    await submit(
      nov10,
      f.cityAdmin,
      { p: f.crossed.id },
      { progress: sentence, problem_category: 'energy', problem_text: '用电增容', problem_unit: '市供电公司' },
    );
    const [org] = await t.db.select().from(externalOrgs).where(eq(externalOrgs.governmentUnitId, f.sp.id));
    expect((await t.db.select().from(problems))[0]!.mustActOrgId).toBe(org!.id);
  });

  it('refused and attacked: a non-admin adds none; a bad kind; a forged open id is not kept', async () => {
    const f = await twoCities(t.db);
    const nov10 = depsAt(t.db, '2026-11-10T10:00:00+08:00');
    expect(await said(t.db, (m) => externalOrgsCommand(nov10, m, f.bureauLead, '添加 市供电公司 供电 王工'))).toContain('只有本级管理员');
    expect(await said(t.db, (m) => externalOrgsCommand(nov10, m, f.cityAdmin, '添加 市供电公司 电灯 王工'))).toContain('不是可识别的类别');
    await said(t.db, (m) => externalOrgsCommand(nov10, m, f.cityAdmin, '添加 市水务集团 供水 <at_id=all> <at id=all>'));
    const [org] = await t.db.select().from(externalOrgs);
    expect(org).toMatchObject({ name: '市水务集团', kind: 'water', contactOpenId: null });
    expect(await t.db.select().from(externalOrgs)).toHaveLength(1);
  });
});

describe('the service team lead (包保专班)', () => {
  const t = useTestDb();

  it('works: set by the first-talk unit’s lead; gets the project’s new problems and their escalations', async () => {
    const f = await twoCities(t.db);
    const nov10 = depsAt(t.db, '2026-11-10T10:00:00+08:00');
    expect(await said(t.db, (m) => setTeamLeadOf(nov10, m, f.bureauLead, 'T-1 梁山'))).toContain('包保专班负责人设为 梁山');
    const [led] = await t.db.select().from(projects).where(eq(projects.id, f.crossed.id));
    expect(led!.teamLeadId).toBe(f.countyLead.id);
    // On the project view, with the project's evaluation.
    expect(text(projectCard(await projectDetail(t.db, led!), '2026-11-10'))).toContain(
      '包保专班负责人**：梁山\n**项目评估**：2026年1月10日，通过',
    );
    expect(
      await t.db
        .select()
        .from(outbox)
        .where(and(like(outbox.idemKey, 'team-lead:%'), eq(outbox.receiveId, 'ou_t_county_lead'))),
    ).toHaveLength(1);
    const admin = f.cityAdmin;
    await submit(
      nov10,
      admin,
      { p: f.crossed.id },
      { progress: '推进', problem_category: 'plant', problem_text: '过渡厂房', problem_due: '11月20日' },
    );
    const fresh = await t.db.select().from(outbox).where(like(outbox.idemKey, 'problem:%:new:%'));
    expect(fresh.map((r) => [r.receiveId, text(r.content)])).toEqual([['ou_t_county_lead', expect.stringContaining('过渡厂房')]]);
    const nov23 = depsAt(t.db, '2026-11-23T10:00:00+08:00');
    await runJob(nov23, problemsJob, nov23.clock.now());
    expect((await escalations(t.db)).map((r) => r.receiveId)).toContain('ou_t_county_lead');
  });

  it('refused: not the first-talk unit’s lead, a person of another city, a project outside the remit', async () => {
    const f = await twoCities(t.db);
    const nov10 = depsAt(t.db, '2026-11-10T10:00:00+08:00');
    expect(await said(t.db, (m) => setTeamLeadOf(nov10, m, f.countyLead, 'T-1 秦岭'))).toContain('只有项目首谈单位的负责人');
    expect(await said(t.db, (m) => setTeamLeadOf(nov10, m, f.bureauLead, 'T-1 白河'))).toContain('没有找到名为');
    expect(await said(t.db, (m) => setTeamLeadOf(nov10, m, f.jaLead, 'T-1 白河'))).toContain('没有找到');
    expect((await t.db.select().from(projects)).every((p) => p.teamLeadId === null)).toBe(true);
  });
});

describe('the evaluation before signing (001 三.四 事前综合评估)', () => {
  const t = useTestDb();
  const signing = { progress: '双方完成合同谈判', stage: 'signed', contract_amount: '2亿', signed_on: '2026-11-09' };

  it('works: a move to 签约 without an evaluation says what is missing, keeps what was typed; recorded in chat, the move goes through', async () => {
    const f = await twoCities(t.db);
    await t.db.delete(projectEvaluations).where(eq(projectEvaluations.projectId, f.crossed.id));
    await setProject(t.db, f.crossed.id, { stage: 'intent' });
    const nov10 = depsAt(t.db, '2026-11-10T10:00:00+08:00');
    expect(await said(t.db, (m) => move(nov10, f.cityAdmin, m, 'T-1', '签约'))).toContain('需先记录项目评估');
    const held = await submit(nov10, f.cityAdmin, { p: f.crossed.id }, signing);
    expect(held.toast?.type).toBe('error');
    expect(text(held.card)).toContain('评估 T-1');
    expect(fields(held.card).get('progress')?.value).toBe('双方完成合同谈判');
    expect(fields(held.card).get('contract_amount')?.value).toBe('2亿');
    expect((await t.db.select().from(projects).where(eq(projects.id, f.crossed.id)))[0]!.stage).toBe('intent');

    expect(await said(t.db, (m) => recordEvaluationOf(nov10, m, f.cityAdmin, 'T-1 11月5日 通过 经项目评审会论证'))).toContain('已记录');
    const [e] = await t.db.select().from(projectEvaluations).where(eq(projectEvaluations.projectId, f.crossed.id));
    expect(e).toMatchObject({ evaluatedOn: '2026-11-05', conclusion: '通过', note: '经项目评审会论证', byPersonId: f.cityAdmin.id });
    expect((await submit(nov10, f.cityAdmin, { p: f.crossed.id }, signing)).toast?.type).toBe('success');
    expect((await t.db.select().from(projects).where(eq(projects.id, f.crossed.id)))[0]!.stage).toBe('signed');
  });

  it('the rule can be switched off in the settings', async () => {
    const f = await twoCities(t.db);
    await t.db.delete(projectEvaluations);
    await setProject(t.db, f.crossed.id, { stage: 'intent' });
    await t.db.insert(settings).values({ key: 'rules', value: { evaluationBeforeSigning: false } });
    const nov10 = depsAt(t.db, '2026-11-10T10:00:00+08:00');
    expect((await submit(nov10, f.cityAdmin, { p: f.crossed.id }, signing)).toast?.type).toBe('success');
  });

  it('refused and attacked: another city, the host side, a date ahead, a forged stage on the form', async () => {
    const f = await twoCities(t.db);
    await t.db.delete(projectEvaluations);
    await setProject(t.db, f.crossed.id, { stage: 'intent' });
    const nov10 = depsAt(t.db, '2026-11-10T10:00:00+08:00');
    expect(await said(t.db, (m) => recordEvaluationOf(nov10, m, f.jaLead, 'T-1 11月5日 通过'))).toContain('没有找到');
    // The host county may read the bureau's project, not record its evaluation.
    expect(await said(t.db, (m) => recordEvaluationOf(nov10, m, f.countyLead, 'T-1 11月5日 通过'))).toContain('首谈单位负责推进');
    expect(await said(t.db, (m) => recordEvaluationOf(nov10, m, f.cityAdmin, 'T-1 2026-12-30 通过'))).toContain('不晚于今天');
    expect(await t.db.select().from(projectEvaluations)).toHaveLength(0);
    // A jump straight to 落地 is a signing too.
    const jump = await submit(nov10, f.cityAdmin, { p: f.crossed.id }, { ...signing, stage: 'landed', landed_on: '2026-11-10' });
    expect(jump.toast?.type).toBe('error');
    expect(text(jump.card)).toContain('需先记录项目评估');
  });
});
