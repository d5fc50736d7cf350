import { describe, expect, it } from 'vitest';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { schema, type Db } from '../../src/store/db.js';
import { readWorkbook } from '../../src/ledger/read.js';
import {
  applyImport,
  LedgerImportRejected,
  planImport,
  planImportFile,
  planSummary,
  previewCard,
  previewText,
} from '../../src/ledger/import.js';
import { templateWorkbook } from '../../src/ledger/template.js';
import { useTestDb } from '../helpers/db.js';
import {
  CHAINS,
  mobileOf,
  realisticLedger,
  xlsx,
  utcDay,
  PROJECT_HEADER,
  UNIT_HEADER,
  PEOPLE_HEADER,
  CITY_UNITS,
  FUND_HEADER,
  GROUP_HEADER,
  TARGET_HEADER,
  CHAIN_HEADER,
} from './fixture.js';

const { units, people, chains, projects, fundEntries, chatGroups, targets, auditLog, stageHistory } = schema;

async function counts(db: Db) {
  const n = async (table: PgTable) => (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;
  return {
    units: await n(units),
    people: await n(people),
    chains: await n(chains),
    projects: await n(projects),
    funds: await n(fundEntries),
    groups: await n(chatGroups),
    targets: await n(targets),
    audit: await n(auditLog),
    history: await n(stageHistory),
  };
}

async function importBuffer(db: Db, buf: Buffer, fileName = 'ledger.xlsx', actorId?: number) {
  const plan = await planImport(db, await readWorkbook(buf, { fileName }), 'operator');
  if (plan.errors.length > 0) throw new Error(previewText(plan, { errors: 50 }));
  const result = await applyImport(db, plan, { actorId, today: '2026-05-20' });
  return { plan, result };
}

describe('ledger import: the template', () => {
  const t = useTestDb();

  it('imports the template as written, and a second import changes nothing', async () => {
    const buf = await templateWorkbook();
    const { plan, result } = await importBuffer(t.db, buf, 'template.xlsx');
    expect(plan.warnings).toEqual([]);
    expect(plan.counts).toEqual({
      units: { add: 7, change: 0, same: 0 },
      people: { add: 10, change: 0, same: 0 },
      chains: { add: 3, change: 0, same: 0 },
      projects: { add: 8, change: 0, same: 0 },
      funds: { add: 3, change: 0, same: 0 },
      groups: { add: 4, change: 0, same: 0 },
      targets: { add: 3, change: 0, same: 0 },
      orgs: { add: 2, change: 0, same: 0 },
      evaluations: { add: 1, change: 0, same: 0 },
      problems: { add: 2, change: 0, same: 0 },
    });
    expect(result.added).toBe(43);

    // The unit tree and its materialised paths.
    const all = await t.db.select().from(units).orderBy(asc(units.id));
    const city = all.find((u) => u.code === 'LY')!;
    expect(city.parentId).toBeNull();
    expect(city.path).toBe(`/${city.id}/`);
    const df = all.find((u) => u.code === 'LY-DF')!;
    expect(df).toMatchObject({ name: '东丰县', kind: 'county', parentId: city.id, path: `/${city.id}/${df.id}/` });
    expect(all.find((u) => u.code === 'LY-GX')!.kind).toBe('zone');

    // Amounts in fen, dates from text and from Excel date cells, references by name, by mobile, by alias.
    const [p3] = await t.db.select().from(projects).where(eq(projects.code, 'LY2026-003'));
    expect(p3).toMatchObject({
      stage: 'landed',
      plannedInvestmentFen: 45_000_000_000,
      contractAmountFen: 45_000_000_000,
      signedOn: '2025-06-10',
      startedOn: '2025-08-01',
      landedOn: '2025-11-20',
      lastProgressOn: '2026-01-20',
      stageEnteredOn: '2025-11-20',
    });
    const [p2] = await t.db.select().from(projects).where(eq(projects.code, 'LY2026-002'));
    const [wu] = await t.db.select().from(people).where(eq(people.mobile, '13904379007'));
    expect(p2!.ownerId).toBe(wu!.id);
    expect(p2!.lastProgressOn).toBe('2026-02-18');
    const [p5] = await t.db.select().from(projects).where(eq(projects.code, 'LY2026-005'));
    const [xny] = await t.db.select().from(chains).where(eq(chains.name, '新能源'));
    expect(p5!.chainId).toBe(xny!.id);
    expect(p5!.stageEnteredOn).toBe('2026-05-20');
    const [p7] = await t.db.select().from(projects).where(eq(projects.code, 'LY2026-007'));
    expect(p7).toMatchObject({ stage: 'transferred', transferredTo: '四平市' });
    const [zb] = await t.db.select().from(chains).where(eq(chains.name, '装备制造'));
    const [zhao] = await t.db.select().from(people).where(eq(people.name, '赵敏'));
    expect(zb!.secretaryId).toBe(zhao!.id);
    expect(xny!.aliases).toEqual(['新能源链']);

    const [yang] = await t.db.select().from(people).where(eq(people.name, '杨帆'));
    expect([...yang!.roles].sort()).toEqual(['convenor', 'unit_lead']);
    const [deng] = await t.db.select().from(people).where(eq(people.name, '邓欣'));
    expect(deng!.mobile).toBeNull();

    const funds = await t.db.select().from(fundEntries).orderBy(asc(fundEntries.entryDate));
    expect(funds.map((f) => [f.entryDate, f.amountFen, f.evidenceKind, f.status])).toEqual([
      ['2025-09-01', 15_000_000_000, 'capital_verification', 'verified'],
      ['2026-01-20', 8_000_000_000, 'bank_statement', 'reported'],
      ['2026-04-10', 20_000_000_000, 'bank_statement', 'verified'],
    ]);
    const groups = await t.db.select().from(chatGroups).orderBy(asc(chatGroups.chatId));
    expect(groups.map((g) => g.bindingKind).sort()).toEqual(['centre', 'chain', 'convenor', 'unit']);
    expect(groups.find((g) => g.bindingKind === 'chain')!.chainId).toBe(xny!.id);
    expect(groups.find((g) => g.bindingKind === 'unit')!.unitId).toBe(city.id);

    const before = await counts(t.db);
    expect(before.audit).toBe(43);
    expect(before.history).toBe(8);

    const again = await planImport(t.db, await readWorkbook(buf, { fileName: 'template.xlsx' }), 'operator');
    expect(again.errors).toEqual([]);
    for (const c of Object.values(again.counts)) expect(c).toMatchObject({ add: 0, change: 0 });
    expect(planSummary(again)).toMatchObject({ added: 0, changed: 0 });
    const r2 = await applyImport(t.db, again);
    expect(r2).toMatchObject({ added: 0, changed: 0, same: 43 });
    expect(await counts(t.db)).toEqual(before);
  });

  it('reads Excel date cells as the day Excel shows, whatever the process time zone', async () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const buf = await templateWorkbook();
      const wb = await readWorkbook(buf, { fileName: 'template.xlsx' });
      const p3 = wb.sheets.projects!.rows.find((r) => r.data?.code === 'LY2026-003')!.data!;
      expect([p3.startedOn, p3.landedOn, p3.lastProgressOn]).toEqual(['2025-08-01', '2025-11-20', '2026-01-20']);
      process.env.TZ = 'Asia/Tokyo';
      const wb2 = await readWorkbook(buf, { fileName: 'template.xlsx' });
      expect(wb2.sheets.projects!.rows.find((r) => r.data?.code === 'LY2026-003')!.data!.startedOn).toBe('2025-08-01');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('ledger import: a realistic city ledger', () => {
  const t = useTestDb();

  it('imports hundreds of projects with every sheet, then re-imports as all same', async () => {
    const ledger = realisticLedger(400);
    const buf = await xlsx(ledger.sheets);
    const { plan } = await importBuffer(t.db, buf);
    expect(plan.errors).toEqual([]);
    expect(plan.warnings).toEqual([]);
    const c = await counts(t.db);
    expect(c).toMatchObject(ledger.expect);
    expect(c.history).toBe(400);

    // Every project has its stage, units and owner.
    const rows = await t.db.select().from(projects);
    for (const p of rows) {
      expect(p.stage).toBe(ledger.stages.get(p.code));
      expect(p.hostUnitId).not.toBeNull();
      expect(p.firstTalkUnitId).not.toBeNull();
      expect(p.ownerId).not.toBeNull();
      if (p.stage === 'signed' || p.stage === 'landed') {
        expect(p.contractAmountFen).toBeGreaterThan(0);
        expect(p.signedOn).toMatch(/^2025-\d\d-\d\d$/);
      }
    }
    // The namesake 张伟 of 东丰县, named by mobile.
    const [zwDf] = await t.db
      .select()
      .from(people)
      .where(eq(people.mobile, mobileOf(5)));
    expect(rows.filter((p) => p.ownerId === zwDf!.id).length).toBeGreaterThan(0);
    // Amount written as a bare number is 万元; '1,500万元' and '0.15亿' are the same amount.
    expect(rows.every((p) => p.plannedInvestmentFen! % 1_000_000 === 0)).toBe(true);
    // A note with commas and quotes survives.
    const noted = rows.find((p) => p.code === 'LY2026-00013')!;
    expect(noted.note).toBe('第13号项目备注，含逗号,和"引号"');

    const before = await counts(t.db);
    const again = await planImport(t.db, await readWorkbook(buf), 'operator');
    expect(again.errors).toEqual([]);
    for (const [sheet, n] of Object.entries(again.counts)) {
      expect({ sheet, ...n }).toEqual({ sheet, add: 0, change: 0, same: n.same });
    }
    await applyImport(t.db, again);
    expect(await counts(t.db)).toEqual(before);
  });

  it('re-imports with changes: updates in place, no duplicates, audit rows with before and after', async () => {
    const ledger = realisticLedger(120);
    await importBuffer(t.db, await xlsx(ledger.sheets));
    const before = await counts(t.db);
    const [admin] = await t.db
      .select()
      .from(people)
      .where(eq(people.mobile, mobileOf(4)));

    // A later edition of the ledger: one project advanced to 签约, one renamed with a new amount, a new project,
    // a person moved to another unit, a fund entry verified, a group re-bound, a target raised, a new unit.
    const sheets = structuredClone(ledger.sheets);
    const proj = sheets['项目']!;
    const header = proj[0]!;
    const col = (name: string) => header.indexOf(name);
    const planning = proj.find((r, i) => i > 0 && r[col('项目阶段')] === '谋划')!;
    const planningCode = planning[col('项目编号')] as string;
    planning[col('项目阶段')] = '签约';
    planning[col('合同引资额')] = '2.5亿';
    planning[col('签约日期')] = utcDay('2026-04-30');
    const renamed = proj[7]!;
    const renamedCode = renamed[col('项目编号')] as string;
    renamed[col('项目名称')] = '更名后的项目';
    renamed[col('计划总投资')] = '9999万';
    proj.push([
      'LY2026-NEW01',
      '新增储能项目',
      '新能源集团',
      '北京市',
      '新能源',
      '洽谈',
      'LY-GX',
      'LY-GX',
      '邓欣',
      '3亿',
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    const ppl = sheets['人员']!;
    const moved = ppl.find((r) => r[3] === mobileOf(20))!;
    moved[1] = 'LY-NEW';
    sheets['单位']!.push(['LY-NEW', '辽源经济开发区', '开发区', 'LY']);
    const fund = sheets['到位资金']!.find((r) => r[4] === '待核实')!;
    fund[4] = '已核实';
    const grp = sheets['群聊']!.find((r) => r[0] === 'oc_unbound_chat')!;
    grp[2] = '产业链';
    grp[3] = '新能源链';
    sheets['目标']![1]![2] = 8;
    // Rows the file leaves blank keep their values: blank out a project's investor.
    const blanked = proj[9]!;
    const blankedCode = blanked[col('项目编号')] as string;
    const investorBefore = (await t.db.select().from(projects).where(eq(projects.code, blankedCode)))[0]!.investor;
    blanked[col('投资方')] = null;

    const plan = await planImport(t.db, await readWorkbook(await xlsx(sheets)), 'operator');
    expect(plan.errors).toEqual([]);
    expect(plan.counts.projects).toEqual({ add: 1, change: 2, same: 118 });
    expect(plan.counts.people).toMatchObject({ add: 0, change: 1 });
    expect(plan.counts.units).toMatchObject({ add: 1, change: 0 });
    expect(plan.counts.funds).toMatchObject({ add: 0, change: 1 });
    expect(plan.counts.groups).toMatchObject({ add: 0, change: 1 });
    expect(plan.counts.targets).toMatchObject({ add: 0, change: 1 });
    const result = await applyImport(t.db, plan, { actorId: admin!.id, today: '2026-05-20' });
    expect(result).toMatchObject({ added: 2, changed: 6 });

    const after = await counts(t.db);
    expect(after).toMatchObject({
      units: before.units + 1,
      people: before.people,
      projects: before.projects + 1,
      funds: before.funds,
      groups: before.groups,
      targets: before.targets,
      audit: before.audit + 8,
      history: before.history + 2,
    });

    const [advanced] = await t.db.select().from(projects).where(eq(projects.code, planningCode));
    expect(advanced).toMatchObject({
      stage: 'signed',
      contractAmountFen: 25_000_000_000,
      signedOn: '2026-04-30',
      stageEnteredOn: '2026-04-30',
    });
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'project'), eq(auditLog.entityId, String(advanced!.id)), eq(auditLog.action, 'ledger.import.update')));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(admin!.id);
    expect(audit[0]!.before).toEqual({ stage: 'planning', contractAmountFen: null, signedOn: null, stageEnteredOn: '2026-05-20' });
    expect(audit[0]!.after).toEqual({
      stage: 'signed',
      contractAmountFen: 25_000_000_000,
      signedOn: '2026-04-30',
      stageEnteredOn: '2026-04-30',
    });
    const [moveRow] = await t.db
      .select()
      .from(stageHistory)
      .where(and(eq(stageHistory.projectId, advanced!.id), eq(stageHistory.toStage, 'signed')));
    expect(moveRow).toMatchObject({ fromStage: 'planning', reason: '台账导入', byPersonId: admin!.id });

    const [ren] = await t.db.select().from(projects).where(eq(projects.code, renamedCode));
    expect(ren).toMatchObject({ name: '更名后的项目', plannedInvestmentFen: 9_999_000_000 });
    const [blank] = await t.db.select().from(projects).where(eq(projects.code, blankedCode));
    expect(blank!.investor).toBe(investorBefore);

    const [newUnit] = await t.db.select().from(units).where(eq(units.code, 'LY-NEW'));
    const [mv] = await t.db
      .select()
      .from(people)
      .where(eq(people.mobile, mobileOf(20)));
    expect(mv!.unitId).toBe(newUnit!.id);
    const personAudit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'person'), eq(auditLog.entityId, String(mv!.id)), eq(auditLog.action, 'ledger.import.update')));
    expect(personAudit[0]!.after).toEqual({ unitId: newUnit!.id });

    const verified = await t.db.select().from(fundEntries).where(eq(fundEntries.status, 'verified'));
    const justVerified = verified.find((f) => f.verifiedById === admin!.id);
    expect(justVerified?.verifiedAt).toBeInstanceOf(Date);

    const [g] = await t.db.select().from(chatGroups).where(eq(chatGroups.chatId, 'oc_unbound_chat'));
    const [xny] = await t.db.select().from(chains).where(eq(chains.name, '新能源'));
    expect(g).toMatchObject({ bindingKind: 'chain', chainId: xny!.id, boundBy: admin!.id });

    // And the same edition again changes nothing.
    const again = await planImport(t.db, await readWorkbook(await xlsx(sheets)), 'operator');
    expect(Object.values(again.counts).every((c) => c.add === 0 && c.change === 0)).toBe(true);
  });

  it('resolves a shared name by the project units, and refuses it when they do not tell', async () => {
    await importBuffer(
      t.db,
      await xlsx({
        单位: [UNIT_HEADER, ...CITY_UNITS],
        人员: [
          PEOPLE_HEADER,
          ['张伟', 'LY-SW', '管理员', mobileOf(4), null, null],
          ['张伟', 'LY-DF', '项目责任人', mobileOf(5), null, null],
        ],
      }),
    );
    const plan = await planImport(
      t.db,
      await readWorkbook(
        await xlsx({
          项目: [
            PROJECT_HEADER,
            ['P-1', '东丰项目', null, null, null, '洽谈', 'LY-DF', 'LY-DF', '张伟', '1亿', null, null, null, null, null, null],
            ['P-2', '东辽项目', null, null, null, '洽谈', 'LY-DL', 'LY-DL', '张伟', '1亿', null, null, null, null, null, null],
          ],
        }),
      ),
      'operator',
    );
    expect(plan.errors).toEqual([
      { sheet: '项目', row: 3, column: '责任人', value: '张伟', reason: '姓名“张伟”对应2名人员，无法确定是谁，请改填手机号。' },
    ]);
  });
});

describe('ledger import: errors', () => {
  const t = useTestDb();

  it('reports ten kinds of problem with sheet, row, column, value and reason, and writes nothing', async () => {
    // A clean base: the city, two namesakes without mobiles in different units, the chains.
    await importBuffer(
      t.db,
      await xlsx({
        单位: [UNIT_HEADER, ...CITY_UNITS],
        人员: [
          PEOPLE_HEADER,
          ['刘洋', 'LY-DF', '项目责任人', null, null, null],
          ['刘洋', 'LY-DL', '项目责任人', null, null, null],
          ['周涛', 'LY-DF', '项目责任人', mobileOf(30), null, null],
        ],
        产业链: [CHAIN_HEADER, ...CHAINS.map((c) => [c, null, null, 'LY-FG'])],
      }),
    );
    const before = await counts(t.db);

    const buf = await xlsx({
      单位: [UNIT_HEADER, ['LY-NEW', '新区', '新区类型', 'LY'], ['LY-X1', '某园区', '开发区', 'LY-NOPE']],
      人员: [PEOPLE_HEADER, ['王五', 'LY-DF', '项目责任人', '1390437', null, null], ['赵六', 'LY-DF', '组长', null, null, null]],
      项目: [
        PROJECT_HEADER,
        ['E-001', '好项目', '某公司', '北京市', '新能源', '洽谈', 'LY-DF', 'LY-DF', '周涛', '5000万', null, null, null, null, null, null],
        ['E-002', '未知单位的项目', null, null, '新能源', '洽谈', 'LY-ZZ', 'LY-DF', '周涛', '1亿', null, null, null, null, null, null],
        ['E-001', '重复编号', null, null, '新能源', '洽谈', 'LY-DF', 'LY-DF', '周涛', '1亿', null, null, null, null, null, null],
        ['E-003', '金额写错', null, null, '新能源', '洽谈', 'LY-DF', 'LY-DF', '周涛', '约5000万', null, null, null, null, null, null],
        ['E-004', '日期写错', null, null, '新能源', '洽谈', 'LY-DF', 'LY-DF', '周涛', '1亿', null, null, null, null, '2026-02-30', null],
        ['E-005', '阶段写错', null, null, '新能源', '快签了', 'LY-DF', 'LY-DF', '周涛', '1亿', null, null, null, null, null, null],
        ['E-006', '重名责任人', null, null, '新能源', '洽谈', 'LY-GX', 'LY-GX', '刘洋', '1亿', null, null, null, null, null, null],
        ['E-007', '未知产业链', null, null, '造船', '洽谈', 'LY-DF', 'LY-DF', '周涛', '1亿', null, null, null, null, null, null],
        ['E-008', '未知责任人', null, null, '新能源', '洽谈', 'LY-DF', 'LY-DF', '李四', '1亿', null, null, null, null, null, null],
        ['E-009', '签约缺合同额', null, null, '新能源', '签约', 'LY-DF', 'LY-DF', '周涛', '1亿', null, null, null, null, null, null],
      ],
      到位资金: [FUND_HEADER, ['E-404', '2026-03-01', '100万', '银行进账单', '已核实']],
      群聊: [GROUP_HEADER, ['oc_bad_binding', '某群', '产业链', null]],
      目标: [TARGET_HEADER, ['LY-DF', '二〇二六', 5, 5, 2]],
    });
    const plan = await planImport(t.db, await readWorkbook(buf, { fileName: 'bad.xlsx' }), 'operator');
    const got = plan.errors.map((e) => [e.sheet, e.row, e.column, e.value]);
    expect(got).toEqual(
      expect.arrayContaining([
        ['单位', 2, '类型', '新区类型'], // unknown unit kind
        ['单位', 3, '上级单位编码', 'LY-NOPE'], // unknown parent
        ['人员', 2, '手机', '1390437'], // bad mobile
        ['人员', 3, '角色', '组长'], // unknown role
        ['项目', 3, '首谈单位编码', 'LY-ZZ'], // unknown unit
        ['项目', 4, '项目编号', 'E-001'], // duplicate code
        ['项目', 5, '计划总投资', '约5000万'], // bad amount
        ['项目', 6, '最近实质性进展日期', '2026-02-30'], // bad date
        ['项目', 7, '项目阶段', '快签了'], // unknown stage
        ['项目', 8, '责任人', '刘洋'], // a name shared by two people without mobile
        ['项目', 9, '产业链', '造船'], // unknown chain
        ['项目', 10, '责任人', '李四'], // unknown person
        ['项目', 11, '合同引资额', ''], // 签约 without contract amount
        ['项目', 11, '签约日期', ''], // … and without signing date
        ['到位资金', 2, '项目编号', 'E-404'], // unknown project
        ['群聊', 2, '绑定对象', ''], // binding without target
        ['目标', 2, '年度', '二〇二六'], // bad year
      ]),
    );
    expect(plan.errors).toHaveLength(17);
    const reason = (sheet: string, row: number, column: string) =>
      plan.errors.find((e) => e.sheet === sheet && e.row === row && e.column === column)!.reason;
    expect(reason('项目', 4, '项目编号')).toBe('与本表第2行重复（E-001），同一文件中不能重复。');
    expect(reason('项目', 5, '计划总投资')).toBe('请填写确切金额，不要使用“约”等约数：约5000万');
    expect(reason('项目', 6, '最近实质性进展日期')).toContain('无法识别的日期：2026-02-30');
    expect(reason('项目', 7, '项目阶段')).toBe('无法识别的项目阶段“快签了”，应填写以下之一：谋划、洽谈、意向、签约、落地、终止、转移。');
    expect(reason('项目', 8, '责任人')).toBe('姓名“刘洋”对应2名人员，无法确定是谁，请改填手机号。');
    expect(reason('项目', 11, '合同引资额')).toBe('进入“签约”阶段需要填写合同引资额。');
    expect(reason('单位', 2, '类型')).toBe('无法识别“新区类型”，应填写以下之一：省、市、县、区、开发区、部门、中心。');

    const text = previewText(plan);
    expect(text).toContain('发现 17 个问题，本次不会导入任何数据');
    expect(text).toContain('「项目」第4行 项目编号“E-001”：与本表第2行重复');
    expect(text).toContain('……另有 7 个问题未列出。');
    const cardJson = JSON.stringify(previewCard(plan, { confirm: { a: 'ok' }, cancel: { a: 'no' } }));
    expect(cardJson).not.toContain('确认导入');

    await expect(applyImport(t.db, plan)).rejects.toBeInstanceOf(LedgerImportRejected);
    expect(await counts(t.db)).toEqual(before);
  });

  it('reports structural problems: missing key column, no header, unknown sheet, extra columns, an .xls file', async () => {
    const buf = await xlsx({
      项目: [
        ['项目名称', '项目阶段'],
        ['某项目', '洽谈'],
      ],
      目标: [['随便写点'], ['没有表头']],
      杂项: [['a'], ['b']],
      群聊: [
        ['群ID', '群名称', '负责人电话'],
        ['oc_ok_group', '某群', '123'],
      ],
    });
    const plan = await planImport(t.db, await readWorkbook(buf, { fileName: 'x.xlsx' }), 'operator');
    expect(plan.errors.map((e) => [e.sheet, e.row, e.column])).toEqual([
      ['项目', 1, '项目编号'],
      ['目标', 0, ''],
    ]);
    expect(plan.errors[0]!.reason).toBe('缺少必需的列“项目编号”，本表未导入。');
    expect(plan.warnings.map((w) => w.message)).toEqual([
      '工作表“杂项”无法识别，已忽略。可导入的工作表：单位、人员、产业链、项目、到位资金、群聊、目标、外部单位、项目评估、困难问题',
      '以下列无法识别，已忽略：负责人电话',
    ]);

    const xls = Buffer.from('d0cf11e0a1b11ae1000000000000000000000000', 'hex');
    const p2 = await planImport(t.db, await readWorkbook(xls, { fileName: 'old.xls' }), 'operator');
    expect(p2.errors.map((e) => e.reason)).toEqual([
      '无法读取该文件：只支持 .xlsx 工作簿和 .csv 文件（旧版 .xls 请先在 Excel 中另存为 .xlsx）。',
    ]);
    const broken = Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(100)]);
    const p3 = await planImport(t.db, await readWorkbook(broken, { fileName: 'broken.xlsx' }), 'operator');
    expect(p3.errors[0]!.reason).toMatch(/^文件无法解析/);
    const empty = await planImport(t.db, await readWorkbook(await xlsx({ 说明: [['只有说明']] })), 'operator');
    expect(empty.errors.map((e) => e.reason)).toEqual([expect.stringMatching(/^文件中没有可导入的数据/)]);
  });

  it('re-checks inside the transaction: a unit removed after the preview rejects the import', async () => {
    await importBuffer(t.db, await xlsx({ 单位: [UNIT_HEADER, ...CITY_UNITS] }));
    const plan = await planImport(
      t.db,
      await readWorkbook(
        await xlsx({
          项目: [
            PROJECT_HEADER,
            ['R-1', '某项目', null, null, null, '谋划', 'LY-DF-SW', 'LY-DF', null, null, null, null, null, null, null, null],
          ],
        }),
      ),
      'operator',
    );
    expect(plan.errors).toEqual([]);
    await t.db.delete(units).where(eq(units.code, 'LY-DF-SW'));
    const err = await applyImport(t.db, plan).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LedgerImportRejected);
    expect((err as LedgerImportRejected).errors[0]).toMatchObject({ sheet: '项目', row: 2, column: '首谈单位编码', value: 'LY-DF-SW' });
    expect((await counts(t.db)).projects).toBe(0);
  });

  it('detects a cycle of parent units and a person listed twice', async () => {
    const plan = await planImport(
      t.db,
      await readWorkbook(
        await xlsx({
          单位: [UNIT_HEADER, ['A', '甲', '市', 'B'], ['B', '乙', '县', 'A'], ['C', '丙', '县', 'C']],
          人员: [PEOPLE_HEADER, ['钱七', 'C', null, mobileOf(1), null, null], ['钱七', 'C', null, mobileOf(1), null, null]],
        }),
      ),
      'operator',
    );
    expect(plan.errors.map((e) => [e.sheet, e.row, e.column])).toEqual([
      ['单位', 4, '上级单位编码'],
      ['单位', 2, '上级单位编码'],
      ['单位', 3, '上级单位编码'],
      ['人员', 3, '手机'],
    ]);
    expect(plan.errors[1]!.reason).toBe('上级单位形成循环：A → B → A');
  });
});

describe('ledger import: CSV', () => {
  const t = useTestDb();

  it('reads a UTF-8 CSV with BOM, quoted fields and line breaks as the 项目 sheet', async () => {
    await importBuffer(
      t.db,
      await xlsx({
        单位: [UNIT_HEADER, ...CITY_UNITS],
        人员: [PEOPLE_HEADER, ['周涛', 'LY-DF', '项目责任人', mobileOf(30), null, null]],
        产业链: [CHAIN_HEADER, ['新能源', null, null, null]],
      }),
    );
    const csv =
      '\uFEFF项目编号, 项目名称 ,投资方,项目阶段,首谈单位编码,承载地编码,责任人,计划总投资（亿元）,合同引资额,签约日期,备注\r\n' +
      'C-1,"风电项目，一期",国家电投,签约,LY-DF,LY-DF,周涛,1.5,"5,000万",2026/3/5,"第一行\n第二行"\r\n' +
      'C-2,光伏项目,"华能""吉林""",洽谈,LY-DF,LY-DF,13904375030,2,,,\r\n' +
      '\r\n' +
      'C-3,储能项目,宁德时代,意向,LY-DF,LY-DF,周涛,0.8,,,\r\n';
    const plan = await planImport(t.db, await readWorkbook(Buffer.from(csv, 'utf8'), { fileName: 'projects.csv' }), 'operator');
    expect(plan.errors).toEqual([]);
    expect(plan.counts).toEqual({ projects: { add: 3, change: 0, same: 0 } });
    await applyImport(t.db, plan);
    const rows = await t.db.select().from(projects).orderBy(asc(projects.code));
    expect(rows.map((r) => [r.code, r.name, r.investor, r.stage, r.plannedInvestmentFen, r.contractAmountFen, r.signedOn, r.note])).toEqual(
      [
        ['C-1', '风电项目，一期', '国家电投', 'signed', 15_000_000_000, 5_000_000_000, '2026-03-05', '第一行\n第二行'],
        ['C-2', '光伏项目', '华能"吉林"', 'negotiating', 20_000_000_000, null, null, null],
        ['C-3', '储能项目', '宁德时代', 'intent', 8_000_000_000, null, null, null],
      ],
    );
  });

  it('reports CSV errors by the row Excel shows, and reads a GBK file with a warning', async () => {
    const csv = '项目编号,项目名称,项目阶段,首谈单位编码,承载地编码\n"D-1","多行\n名称",洽谈,X,X\nD-2,名称,不存在的阶段,X,X\n';
    const plan = await planImportFile(t.db, Buffer.from(csv), 'operator', { fileName: 'd.csv' });
    expect(plan.errors.map((e) => [e.sheet, e.row, e.column, e.value])).toEqual([
      ['d.csv', 3, '项目阶段', '不存在的阶段'],
      ['d.csv', 2, '首谈单位编码', 'X'],
      ['d.csv', 2, '承载地编码', 'X'],
    ]);
    const gbk = Buffer.from('cfeec4bfb1e0bac52ccfeec4bfc3fbb3c60d0a472d312cb6abb7e1cfeec4bf0d0a', 'hex'); // 项目编号,项目名称 / G-1,东丰项目 in GBK
    const p2 = await planImport(t.db, await readWorkbook(gbk, { fileName: 'gbk.csv' }), 'operator');
    expect(p2.warnings.map((w) => w.message)).toEqual([expect.stringContaining('GBK')]);
    expect(p2.workbook.sheets.projects!.rows[0]!.raw).toMatchObject({ code: 'G-1', name: '东丰项目' });
  });
});
