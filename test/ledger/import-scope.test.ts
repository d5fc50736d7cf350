/**
 * Issue 13: a ledger import is scoped to the importer. An admin's file (the chat path) is refused whole when any
 * row is about units, people, chains, groups or projects outside their remit, or grants a role above their own
 * level or to themselves, with every offending row named; the operator's (the CLI path) imports the same file.
 * Two cities, each with a 新能源 chain of its own beside the province's; a county admin of 东丰县 imports.
 */
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { schema, type Db } from '../../src/store/db.js';
import { readWorkbook } from '../../src/ledger/read.js';
import { applyImport, LedgerImportRejected, planImport, type ImportScope } from '../../src/ledger/import.js';
import { personById } from '../../src/store/directory.js';
import { loadRemit } from '../../src/store/remit.js';
import { useTestDb } from '../helpers/db.js';
import { xlsx, type Sheets } from './fixture.js';

const { units, people, chains, projects, chatGroups, targets, auditLog } = schema;
const TODAY = '2026-05-20';

const UNITS = ['单位编码', '单位名称', '类型', '上级单位编码'];
const PEOPLE = ['姓名', '单位编码', '角色', '手机'];
const CHAINS = ['产业链名称', '牵头单位编码', '所属政府编码'];
const PROJECTS = ['项目编号', '项目名称', '产业链', '项目阶段', '首谈单位编码', '承载地编码', '责任人', '计划总投资'];
const GROUPS = ['群ID', '群名称', '绑定类型', '绑定对象'];
const TARGETS = ['单位编码', '年度', '外出招商次数', '签约5000万以上项目数', '落地项目数'];

/** The province, two cities and their counties, people (some without mobile or Lark id), three 新能源 chains. */
const BASE: Sheets = {
  单位: [
    UNITS,
    ['JL', '吉林省', '省', null],
    ['JL-SWT', '吉林省商务厅', '部门', 'JL'],
    ['LY', '辽源市', '市', 'JL'],
    ['LY-SW', '辽源市商务局', '部门', 'LY'],
    ['LY-DF', '东丰县', '县', 'LY'],
    ['DF-SW', '东丰县商务局', '部门', 'LY-DF'],
    ['LY-DL', '东辽县', '县', 'LY'],
    ['SP', '四平市', '市', 'JL'],
    ['SP-LS', '梨树县', '县', 'SP'],
  ],
  人员: [
    PEOPLE,
    ['孙丽', 'DF-SW', '管理员', '13900000001'],
    ['吴磊', 'LY-DF', '项目责任人', '13900000002'],
    ['曹宇', 'LY-DL', '项目责任人', '13900000003'],
    ['林峰', 'SP-LS', '项目责任人', null],
    ['何静', 'LY-SW', '管理员', '13900000005'],
  ],
  产业链: [CHAINS, ['新能源', 'JL-SWT', null], ['新能源', 'LY-SW', null], ['新能源', null, 'SP']],
  项目: [
    PROJECTS,
    ['DF-1', '东丰风电项目', '新能源', '洽谈', 'LY-DF', 'LY-DF', '吴磊', '2亿'],
    ['DL-1', '东辽光伏项目', '新能源', '洽谈', 'LY-DL', 'LY-DL', '曹宇', '1亿'],
    ['SP-1', '梨树储能项目', '新能源', '谋划', 'SP-LS', 'SP-LS', '林峰', '3亿'],
  ],
  群聊: [GROUPS, ['oc_city', '辽源市机制群', '机制群', 'LY'], ['oc_df', '东丰县机制群', '机制群', 'LY-DF']],
};

/** The county admin's file: one good row per sheet, and every way out of the county. */
const COUNTY_FILE: Sheets = {
  单位: [
    UNITS,
    ['DF-YQ', '东丰县园区', '开发区', 'LY-DF'], // 2 ok
    ['LY-DL', '东辽县（改名）', null, null], // 3 another county
    ['LY', '辽源市（改名）', null, null], // 4 its city
    ['SP-NEW', '四平新区', '开发区', 'SP'], // 5 under another city
    ['DF-SW', null, null, 'LY'], // 6 moves its own bureau under the city
  ],
  人员: [
    PEOPLE,
    ['新同事', 'LY-DF', '项目责任人', '13900000011'], // 2 ok
    ['孙丽', 'DF-SW', '管理员、总召集人', '13900000001'], // 3 herself 总召集人
    ['吴磊', 'LY-DF', '项目责任人、总召集人', '13900000002'], // 4 above her level
    ['外县人', 'LY-DL', '项目责任人', '13900000012'], // 5 a new person in another county
    ['曹宇', 'LY-DF', '项目责任人', '13900000003'], // 6 another county's officer, by mobile
  ],
  产业链: [
    CHAINS,
    ['新能源', null, 'LY-DF'], // 2 ok: the county's own chain
    ['新能源', null, 'LY'], // 3 the city's chain
  ],
  项目: [
    PROJECTS,
    ['DF-2', '东丰新项目', '新能源', '洽谈', 'LY-DF', 'LY-DF', '新同事', '1亿'], // 2 ok
    ['DL-1', '改名', null, null, null, null, null, null], // 3 another county's project
    ['SP-1', '改名', null, null, null, null, null, null], // 4 another city's project
    ['DF-3', '落在四平', null, '洽谈', 'LY-DF', 'SP-LS', '吴磊', '1亿'], // 5 hosted in another city
    ['DF-1', null, null, null, null, null, '林峰', null], // 6 an owner of another city: not found
  ],
  群聊: [
    GROUPS,
    ['oc_df', '东丰县机制群', '产业链', 'LY-DF/新能源'], // 2 ok: the county's own chain
    ['oc_city', '辽源市机制群', '机制群', 'LY-DF'], // 3 rebinds the city's group
    ['oc_new', '新群', '项目中心', null], // 4 a project centre without its unit
    ['oc_new2', '新群2', '产业链', 'LY/新能源'], // 5 the city's chain
  ],
  目标: [TARGETS, ['LY-DL', 2026, 5, 5, 2]], // 2 another county's target
};

async function tableCounts(db: Db) {
  const n = async (table: PgTable) => (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;
  return {
    units: await n(units),
    people: await n(people),
    chains: await n(chains),
    projects: await n(projects),
    groups: await n(chatGroups),
    targets: await n(targets),
    audit: await n(auditLog),
  };
}

async function plan(db: Db, sheets: Sheets, scope: ImportScope) {
  return planImport(db, await readWorkbook(await xlsx(sheets), { fileName: 'ledger.xlsx' }), scope);
}

async function adminScope(db: Db, name: string): Promise<ImportScope> {
  const [row] = await db.select().from(people).where(eq(people.name, name));
  const person = (await personById(db, row!.id))!;
  return { actor: person, remit: (await loadRemit(db, person, TODAY)).remit };
}

describe('ledger import scoped to the importer', () => {
  const t = useTestDb();

  async function setUp() {
    const base = await plan(t.db, BASE, 'operator');
    expect(base.errors).toEqual([]);
    await applyImport(t.db, base, { today: TODAY });
  }

  it("refuses a county admin's file that reaches another county, its city, another city or a higher role, naming every row", async () => {
    await setUp();
    const before = await tableCounts(t.db);
    const scope = await adminScope(t.db, '孙丽');
    const p = await plan(t.db, COUNTY_FILE, scope);
    const where = p.errors.map((e) => `${e.sheet}:${e.row}:${e.column}`);
    expect(where.sort()).toEqual(
      [
        '单位:3:单位编码',
        '单位:4:单位编码',
        '单位:5:上级单位编码',
        '单位:6:上级单位编码',
        '人员:3:角色',
        '人员:4:角色',
        '人员:5:单位编码',
        '人员:6:手机',
        '产业链:3:所属政府编码',
        '项目:3:项目编号',
        '项目:4:项目编号',
        '项目:5:承载地编码',
        '项目:6:责任人',
        '群聊:3:群ID',
        '群聊:4:绑定对象',
        '群聊:5:绑定对象',
        '目标:2:单位编码',
      ].sort(),
    );
    const reason = (sheet: string, row: number) => p.errors.find((e) => e.sheet === sheet && e.row === row)!.reason;
    expect(reason('人员', 3)).toContain('不能给自己增加角色：总召集人');
    expect(reason('人员', 4)).toContain('不能授予高于您本人角色级别的角色：总召集人');
    // Another city's owner is answered as someone who does not exist; another city's project code is refused
    // without saying whose it is.
    expect(reason('项目', 6)).toBe('找不到人员“林峰”：请先在“人员”表中登记，或改填手机号。');
    expect(reason('项目', 4)).not.toMatch(/四平|梨树|储能/);
    // The good rows are counted, the bad ones not.
    expect(p.counts.units).toMatchObject({ add: 1 });
    expect(p.counts.groups).toMatchObject({ change: 1 });

    await expect(applyImport(t.db, p, { actorId: scope === 'operator' ? null : scope.actor.id, today: TODAY })).rejects.toBeInstanceOf(
      LedgerImportRejected,
    );
    expect(await tableCounts(t.db)).toEqual(before);
    const [city] = await t.db.select().from(units).where(eq(units.code, 'LY'));
    expect(city!.name).toBe('辽源市');
    const [sun] = await t.db.select().from(people).where(eq(people.name, '孙丽'));
    expect(sun!.roles).toEqual(['admin']);
  });

  it("imports the county admin's good rows alone, and places chains by government", async () => {
    await setUp();
    const scope = await adminScope(t.db, '孙丽');
    const good: Sheets = Object.fromEntries(Object.entries(COUNTY_FILE).map(([name, rows]) => [name, rows.slice(0, 2)]));
    // A chain named without its government: the admin's own government's first.
    good['群聊'] = [GROUPS, ['oc_df', '东丰县机制群', '产业链', '新能源']];
    good['目标'] = [TARGETS, ['LY-DF', 2026, 5, 5, 2]];
    const p = await plan(t.db, good, scope);
    expect(p.errors).toEqual([]);
    await applyImport(t.db, p, { actorId: scope === 'operator' ? null : scope.actor.id, today: TODAY });
    const xny = await t.db.select().from(chains).where(eq(chains.name, '新能源'));
    expect(xny).toHaveLength(4); // the province's, two cities' and now the county's
    const [df] = await t.db.select().from(units).where(eq(units.code, 'LY-DF'));
    const county = xny.find((c) => c.governmentUnitId === df!.id)!;
    const [p2] = await t.db.select().from(projects).where(eq(projects.code, 'DF-2'));
    expect(p2!.chainId).toBe(county.id); // the nearest government's 新能源
    const [g] = await t.db.select().from(chatGroups).where(eq(chatGroups.chatId, 'oc_df'));
    expect(g).toMatchObject({ bindingKind: 'chain', chainId: county.id });
    // The operator's projects resolved 新能源 by their own city: Siping's project is in Siping's chain.
    const [sp] = await t.db.select().from(units).where(eq(units.code, 'SP'));
    const [sp1] = await t.db.select().from(projects).where(eq(projects.code, 'SP-1'));
    expect(xny.find((c) => c.id === sp1!.chainId)!.governmentUnitId).toBe(sp!.id);
  });

  it('a city admin reaches the county but not the other city or the province', async () => {
    await setUp();
    const scope = await adminScope(t.db, '何静');
    const p = await plan(
      t.db,
      {
        单位: [UNITS, ['LY-DL', '东辽县（新）', null, null], ['JL', '吉林（改）', null, null]],
        项目: [
          PROJECTS,
          ['DL-1', '东辽光伏项目二期', null, null, null, null, null, null],
          ['SP-1', '改名', null, null, null, null, null, null],
        ],
      },
      scope,
    );
    expect(p.errors.map((e) => `${e.sheet}:${e.row}`)).toEqual(['单位:3', '项目:3']);
  });

  it('the operator (the CLI path) imports the same file the county admin was refused', async () => {
    await setUp();
    const p = await plan(t.db, COUNTY_FILE, 'operator');
    expect(p.errors).toEqual([]);
    await applyImport(t.db, p, { today: TODAY });
    const [city] = await t.db.select().from(units).where(eq(units.code, 'LY'));
    expect(city!.name).toBe('辽源市（改名）');
    const [sun] = await t.db.select().from(people).where(eq(people.name, '孙丽'));
    expect([...sun!.roles].sort()).toEqual(['admin', 'chief_convenor']);
    const [sp1] = await t.db.select().from(projects).where(eq(projects.code, 'SP-1'));
    expect(sp1!.name).toBe('改名');
  });

  it('links a city chain to the province chain it works under, the province chain written first', async () => {
    await setUp();
    const chainsOf = (name: string) => t.db.select().from(chains).where(eq(chains.name, name));
    const p = await plan(
      t.db,
      {
        产业链: [
          [...CHAINS, '上级产业链'],
          ['新材料', null, 'SP', '新材料'], // the province's row comes after
          ['新材料', 'JL-SWT', null, null],
          ['新能源', null, 'LY', '新能源'],
          ['新能源', null, 'LY-DF', '不存在的链'],
        ],
      },
      'operator',
    );
    expect(p.errors.map((e) => `${e.row}:${e.column}:${e.reason}`)).toEqual([
      '5:上级产业链:上级产业链“不存在的链”不存在：须是上级政府（如省）已有或本文件中登记的产业链。',
    ]);
    const ok = await plan(
      t.db,
      {
        产业链: [
          [...CHAINS, '上级产业链'],
          ['新材料', null, 'SP', '新材料'],
          ['新材料', 'JL-SWT', null, null],
          ['新能源', null, 'LY', '新能源'],
        ],
      },
      'operator',
    );
    await applyImport(t.db, ok, { today: TODAY });
    const [jl] = await t.db.select().from(units).where(eq(units.code, 'JL'));
    const xcl = await chainsOf('新材料');
    const province = xcl.find((c) => c.governmentUnitId === jl!.id)!;
    expect(xcl.find((c) => c.id !== province.id)!.parentChainId).toBe(province.id);
    const xny = await chainsOf('新能源');
    const [ly] = await t.db.select().from(units).where(eq(units.code, 'LY'));
    expect(xny.find((c) => c.governmentUnitId === ly!.id)!.parentChainId).toBe(xny.find((c) => c.governmentUnitId === jl!.id)!.id);
    // A county admin cannot link (or touch) the city's chain.
    const scope = await adminScope(t.db, '孙丽');
    const refused = await plan(
      t.db,
      {
        产业链: [
          [...CHAINS, '上级产业链'],
          ['新能源', null, 'LY', null],
        ],
      },
      scope,
    );
    expect(refused.errors.map((e) => `${e.row}:${e.column}`)).toEqual(['2:所属政府编码']);
  });
});

describe('ledger import: the verification of funds stays on the 核查 card', () => {
  const t = useTestDb();
  const FUNDS = ['项目编号', '日期', '金额', '凭证类型', '核实状态'];

  async function setUp() {
    const base = await plan(
      t.db,
      {
        ...BASE,
        到位资金: [FUNDS, ['DF-1', '2026-04-10', '2000万', '银行进账单', '已核实'], ['DF-1', '2026-05-02', '300万', '验资报告', '未核实']],
      },
      'operator',
    );
    expect(base.errors).toEqual([]);
    await applyImport(t.db, base, { today: TODAY });
  }
  const statuses = async () =>
    (await t.db.select().from(schema.fundEntries).orderBy(schema.fundEntries.entryDate)).map((f) => `${f.entryDate} ${f.status}`);

  it('works: an admin re-imports entries with the status they have, and adds a new one as reported', async () => {
    await setUp();
    const p = await plan(
      t.db,
      {
        到位资金: [
          FUNDS,
          ['DF-1', '2026-04-10', '2000万', '银行进账单', '已核实'],
          ['DF-1', '2026-05-02', '300万', '验资报告', '未核实'],
          ['DF-1', '2026-05-15', '100万', '验资报告', null],
        ],
      },
      await adminScope(t.db, '孙丽'),
    );
    expect(p.errors).toEqual([]);
    await applyImport(t.db, p, { today: TODAY });
    expect(await statuses()).toEqual(['2026-04-10 verified', '2026-05-02 reported', '2026-05-15 reported']);
  });

  it('is refused: an admin’s ledger that verifies, rejects or un-verifies an entry, or brings one in verified, naming each row', async () => {
    await setUp();
    const p = await plan(
      t.db,
      {
        到位资金: [
          FUNDS,
          ['DF-1', '2026-04-10', '2000万', '银行进账单', '未核实'], // 2 un-verifies
          ['DF-1', '2026-05-02', '300万', '验资报告', '已核实'], // 3 verifies a reported entry
          ['DF-1', '2026-05-15', '100万', '验资报告', '已核实'], // 4 a new entry, verified
          ['DF-1', '2026-05-16', '50万', '验资报告', '驳回'], // 5 a new entry, rejected
        ],
      },
      await adminScope(t.db, '孙丽'),
    );
    expect(p.errors.map((e) => `${e.sheet}:${e.row}:${e.column}`)).toEqual([
      '到位资金:2:核实状态',
      '到位资金:3:核实状态',
      '到位资金:4:核实状态',
      '到位资金:5:核实状态',
    ]);
    expect(p.errors[1]!.reason).toContain('核查');
    await expect(applyImport(t.db, p, { today: TODAY })).rejects.toBeInstanceOf(LedgerImportRejected);
    expect(await statuses()).toEqual(['2026-04-10 verified', '2026-05-02 reported']);
  });

  it('attacker: the city admin (whose remit holds the project) cannot verify by ledger either; the operator can', async () => {
    await setUp();
    const rows = { 到位资金: [FUNDS, ['DF-1', '2026-05-02', '300万', '验资报告', '是']] };
    const city = await plan(t.db, rows, await adminScope(t.db, '何静'));
    expect(city.errors.map((e) => `${e.row}:${e.column}`)).toEqual(['2:核实状态']);
    const operator = await plan(t.db, rows, 'operator');
    expect(operator.errors).toEqual([]);
    await applyImport(t.db, operator, { today: TODAY });
    expect(await statuses()).toEqual(['2026-04-10 verified', '2026-05-02 verified']);
  });
});
