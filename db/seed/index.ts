import { readRegion } from '../../src/domain/regions.js';
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/store/db.js';
import * as s from '../schema.js';
import { demoChains, demoGroups, demoPeople, demoProjects, demoUnits, type DemoStage } from './demo-data.js';
import { DEFAULT_RULES } from '../../src/domain/rules.js';

const DEMO_TYPE_BY_CHAIN: Record<string, 'tourism' | 'agriculture' | 'producer_services'> = {
  新文旅: 'tourism',
  农产品加工: 'agriculture',
  未来经济: 'producer_services',
};

/** 'YYYY-MM-DD' arithmetic in UTC, enough for laying out demo dates. */
function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
function addMonths(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}
const periodOf = (day: string) => day.slice(0, 7);

const STAGE_ORDER: DemoStage[] = ['planning', 'negotiating', 'intent', 'signed', 'landed'];
const WAN = 10_000 * 100; // fen per 万元

/** True when the database has no units yet: the demo is loaded only into an empty database. */
export async function isEmpty(db: Db): Promise<boolean> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(s.units);
  return (rows[0]?.n ?? 0) === 0;
}

/**
 * Writes the demo city as of `today` ('YYYY-MM-DD'): reports exist for earlier periods, and for the current one
 * about half the projects have reported, so the reminder has something to do.
 */
export async function seedDemo(db: Db, today: string): Promise<{ projects: number; people: number }> {
  return db.transaction(async (tx) => {
    const unitIds = new Map<string, number>();
    for (const u of demoUnits) {
      const parentId = u.parent ? unitIds.get(u.parent)! : null;
      const [row] = await tx.insert(s.units).values({ code: u.code, name: u.name, kind: u.kind, parentId }).returning();
      const parentPath = parentId
        ? (
            await tx
              .select({ path: s.units.path })
              .from(s.units)
              .where(sql`${s.units.id} = ${parentId}`)
          )[0]!.path
        : '/';
      await tx
        .update(s.units)
        .set({ path: `${parentPath}${row!.id}/` })
        .where(sql`${s.units.id} = ${row!.id}`);
      unitIds.set(u.code, row!.id);
    }

    const personIds = new Map<string, number>();
    for (const p of demoPeople) {
      const [row] = await tx
        .insert(s.people)
        .values({
          name: p.name,
          unitId: unitIds.get(p.unit)!,
          roles: p.roles,
          title: p.title,
          mobile: p.mobile,
          email: `${p.key}@liaoyuan.example.gov.cn`,
          openId: p.openId,
        })
        .returning();
      personIds.set(p.key, row!.id);
    }
    // One officer is away this month and has a delegate: reminders go to the delegate.
    await tx
      .update(s.people)
      .set({ delegateId: personIds.get('zheng_hao')!, awayUntil: addDays(today, 10) })
      .where(sql`${s.people.id} = ${personIds.get('feng_xue')!}`);

    // Parties outside government that problems name (issue 16: 需要市供电公司协调), each with a contact person.
    await tx.insert(s.externalOrgs).values([
      { name: '市供电公司', kind: 'power', contactName: '国网辽源供电公司 客户服务中心', governmentUnitId: unitIds.get('LY')! },
      { name: '市自来水公司', kind: 'water', contactName: '辽源市自来水公司 营业厅', governmentUnitId: unitIds.get('LY')! },
      { name: '东丰县供电公司', kind: 'power', contactName: '东丰县供电公司 营销部', governmentUnitId: unitIds.get('LY-DF')! },
    ]);

    const chainIds = new Map<string, number>();
    for (const c of demoChains) {
      const [row] = await tx
        .insert(s.chains)
        .values({
          name: c.name,
          aliases: c.aliases,
          leaderId: personIds.get(c.leader)!,
          secretaryId: personIds.get(c.secretary)!,
          leadUnitId: unitIds.get(c.leadUnit)!,
          // Liaoyuan's eight chains are the city's own (001 二.三), not the province's chains of the same names.
          governmentUnitId: unitIds.get('LY')!,
        })
        .returning();
      chainIds.set(c.name, row!.id);
    }

    for (const g of demoGroups) {
      await tx.insert(s.chatGroups).values({
        chatId: g.chatId,
        name: g.name,
        bindingKind: g.binding?.kind ?? null,
        unitId: g.binding?.unit ? unitIds.get(g.binding.unit)! : null,
        chainId: g.binding?.chain ? chainIds.get(g.binding.chain)! : null,
        boundBy: g.binding ? personIds.get('he_jing')! : null,
        boundAt: g.binding ? new Date(`${addMonths(today, -2)}T09:00:00+08:00`) : null,
      });
    }

    for (const [i, p] of demoProjects.entries()) {
      const stageEnteredOn = addMonths(today, -p.monthsInStage);
      const createdOn = addMonths(stageEnteredOn, -3);
      const signedStage = p.stage === 'signed' || p.stage === 'landed';
      const signedOn = signedStage ? (p.stage === 'landed' ? addMonths(stageEnteredOn, -4) : stageEnteredOn) : null;
      const [proj] = await tx
        .insert(s.projects)
        .values({
          code: p.code,
          name: p.name,
          investor: p.investor,
          investorRegion: p.investorRegion,
          investorRegionCode: readRegion(p.investorRegion)?.code ?? null,
          originOffice: p.originOffice ?? null,
          // Demo types follow the chain (a tourism chain's projects are 文旅); channels: an outside office's projects
          // came in through it.
          projectType: DEMO_TYPE_BY_CHAIN[p.chain] ?? 'industry',
          channels: p.originOffice ? ['outside_office'] : [],
          chainId: chainIds.get(p.chain)!,
          stage: p.stage,
          firstTalkUnitId: unitIds.get(p.firstTalkUnit)!,
          hostUnitId: unitIds.get(p.hostUnit)!,
          ownerId: personIds.get(p.owner)!,
          plannedInvestmentFen: p.plannedWan * WAN,
          contractAmountFen: p.contractWan ? p.contractWan * WAN : null,
          stageEnteredOn,
          signedOn,
          // The 梅花鹿主题乐园 signed 8 months ago was due to start 3 months ago: it gets a performance letter.
          startPlannedOn: signedOn ? addMonths(signedOn, p.daysSinceProgress > 120 ? 5 : 8) : null,
          startedOn: p.stage === 'landed' ? addMonths(stageEnteredOn, -1) : null,
          landedOn: p.stage === 'landed' ? stageEnteredOn : null,
          lastProgressOn: addDays(today, -p.daysSinceProgress),
          transferredTo: p.stage === 'transferred' ? '黑龙江省绥化市' : null,
          // Signed at 5亿 or more (001 三.三): filed one level up when signed, under escalated management since.
          ...(signedOn && (p.contractWan ?? 0) >= 50000 ? { escalatedOn: signedOn, escalatedToUnitId: unitIds.get('LY')! } : {}),
          createdAt: new Date(`${createdOn}T09:00:00+08:00`),
        })
        .returning();
      const projectId = proj!.id;

      // Stage history from planning to the current stage.
      const last = STAGE_ORDER.indexOf(p.stage);
      const path: DemoStage[] = last >= 0 ? STAGE_ORDER.slice(0, last + 1) : ['planning', 'negotiating', p.stage];
      let prev: DemoStage | null = null;
      for (const [k, st] of path.entries()) {
        const on = k === path.length - 1 ? stageEnteredOn : addMonths(createdOn, k);
        await tx.insert(s.stageHistory).values({
          projectId,
          fromStage: prev,
          toStage: st,
          changedOn: on < stageEnteredOn ? on : stageEnteredOn,
          byPersonId: personIds.get(p.owner)!,
          reason: p.stage === 'dropped' && st === 'dropped' ? '投资方战略调整，项目终止' : null,
        });
        prev = st;
      }

      // 001 三.四 事前综合评估: projects in talks or beyond have been evaluated (a move to 签约 asks for it).
      if (p.stage === 'negotiating' || p.stage === 'intent' || signedStage) {
        await tx.insert(s.projectEvaluations).values({
          projectId,
          evaluatedOn: signedOn ?? stageEnteredOn,
          conclusion: '通过',
          note: '经项目评审会论证，符合产业发展方向',
          byPersonId: personIds.get(p.owner)!,
        });
      }

      if (p.stage === 'dropped' || p.stage === 'transferred') continue;

      // Monthly reports for the last three periods; the current period for every other project.
      for (let back = 3; back >= 0; back--) {
        const period = periodOf(addMonths(today, -back));
        if (back === 0 && i % 2 === 1) continue;
        const noChange = (i + back) % 3 === 0;
        await tx.insert(s.reports).values({
          projectId,
          period,
          reporterId: personIds.get(p.owner)!,
          noChange,
          progress: noChange ? null : `${p.investor.slice(0, 6)}等就${p.name}开展对接，推进前期工作。`,
          substantive: !noChange && back === 1 && p.daysSinceProgress < 40 ? ['decision_maker_visit'] : [],
          nextStep: noChange ? null : '继续对接，推动项目落实',
          submittedAt: new Date(`${period}-1${(i % 9) + 1}T10:00:00+08:00`),
        });
      }

      if (signedStage && p.contractWan) {
        // Funds arrive in tranches; the latest of a landed project is still awaiting verification.
        const tranches = p.stage === 'landed' ? 3 : 1;
        for (let k = 0; k < tranches; k++) {
          await tx.insert(s.fundEntries).values({
            projectId,
            entryDate: addMonths(today, -(tranches - k)),
            amountFen: Math.round(p.contractWan / (tranches + 1)) * WAN,
            evidenceKind: k % 2 === 0 ? 'bank_statement' : 'invoice',
            status: k === tranches - 1 && p.stage === 'landed' ? 'reported' : 'verified',
            reportedById: personIds.get(p.owner)!,
            verifiedById: k === tranches - 1 && p.stage === 'landed' ? null : personIds.get('he_jing')!,
          });
        }
      }

      if (i % 5 === 0) {
        const cat = (['land', 'approval', 'energy', 'funds', 'plant', 'talent', 'other'] as const)[i % 7]!;
        await tx.insert(s.problems).values({
          projectId,
          category: cat,
          description: {
            land: '项目用地指标尚未落实，需协调用地报批',
            approval: '环评审批进度缓慢，需加快办理',
            energy: '用电增容需求较大，需协调电力部门',
            funds: '企业融资存在缺口，需对接银行授信',
            plant: '标准化厂房不足，需协调过渡厂房',
            talent: '技术工人招聘困难，需人社部门支持',
            other: '配套道路尚未建成，需协调建设',
          }[cat],
          mustActUnitId: unitIds.get(cat === 'land' ? 'LY-ZR' : cat === 'approval' ? 'LY-FG' : 'LY-GXJ')!,
          raisedOn: addDays(today, -((i * 7) % 60) - 3),
          // 限时推进 (001 三.六): the category's default time limit (src/domain/rules.ts problemDueDays).
          dueOn: addDays(today, -((i * 7) % 60) - 3 + (DEFAULT_RULES.problemDueDays[cat] ?? 30)),
        });
      }
    }

    // Annual targets for the counties and the zone (seed 001: ≥5 trips per leader, ≥5 signed ≥5000万, ≥2 landed).
    const year = Number(today.slice(0, 4));
    for (const code of ['LY-DF', 'LY-DL', 'LY-LS', 'LY-GX']) {
      await tx.insert(s.targets).values({ unitId: unitIds.get(code)!, year, trips: 5, signedBig: 5, landed: 2 });
    }
    const tripRows: [string, string, string, number][] = [
      ['LY-DF', 'yang_fan', '浙江省诸暨市', 200],
      ['LY-DF', 'yang_fan', '上海市', 120],
      ['LY-DF', 'yang_fan', '广东省深圳市', 60],
      ['LY-DL', 'han_mei', '北京市', 150],
      ['LY-GX', 'xiao_ran', '广东省深圳市', 90],
      ['LY-GX', 'xiao_ran', '上海市', 40],
      ['LY-GX', 'xiao_ran', '江苏省苏州市', 20],
      ['LY-GX', 'xiao_ran', '天津市', 10],
    ];
    for (const [unit, leader, dest, ago] of tripRows) {
      const startedOn = addDays(today, -ago);
      if (startedOn.slice(0, 4) !== today.slice(0, 4)) continue;
      await tx.insert(s.trips).values({
        unitId: unitIds.get(unit)!,
        leaderId: personIds.get(leader)!,
        destination: dest,
        startedOn,
        endedOn: addDays(startedOn, 2),
      });
    }

    return { projects: demoProjects.length, people: demoPeople.length };
  });
}
