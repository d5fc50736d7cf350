// The annual assessment (年度考核, 000 一(一); 001 三.七): per county and per first-talk department of a unit's
// subtree — signed (number, amount), landed, verified funds, targets met, trips per leader, letters raised and
// closed — ranked, with the incentive tally. The year card (year-card.ts) and the .xlsx (`npm run export -- --year`)
// are both written from yearTables(), so they agree cell for cell.

import ExcelJS from 'exceljs';
import {
  incentiveDepartments,
  rankCounties,
  rankDepartments,
  type CountyYear,
  type DepartmentYear,
  type TargetsMet,
} from '../domain/assessment.js';
import type { Db, Tx } from '../store/db.js';
import type { Unit } from '../store/directory.js';
import { loadRules } from '../store/rules.js';
import { fundsArrived } from '../store/funds.js';
import { leaderTripRows } from '../store/status-targets.js';
import { unitYearRows } from '../store/year-assessment.js';
import { decodeEntities, t } from '../text.js';
import { formatAmount } from '../words.js';
import { channelRollup } from './figures.js';
import { loadDirectory, unitScope, type Scope } from './scope.js';
import { yearWindow, type Window } from './time.js';
import type { ChannelRollupRow, OfficeRollupRow } from '../store/status-channels.js';

type Q = Db | Tx;

/**
 * Verified funds arrived (到位资金) of a scope within a range: THE one place the year card and its .xlsx take the
 * funds figure from. It is the recognition rule's figure (`fundsArrived`, src/domain/funds.ts: by default 市外 and
 * ≥1000万, seed 002): rejected and unverified entries never count, and the card names the rule it used.
 */
export async function yearFundsFen(q: Q, scope: Scope, range: Window): Promise<number> {
  const rules = await loadRules(q);
  return (await fundsArrived(q, scope, range, rules.funds)).amountFen;
}

export interface YearAssessment {
  year: number;
  scopeLabel: string;
  counties: (CountyYear & { rank: number; met: TargetsMet })[];
  departments: (DepartmentYear & { rank: number })[];
  incentive: (DepartmentYear & { rank: number })[];
  incentiveFen: number;
  channels: { channels: ChannelRollupRow[]; offices: OfficeRollupRow[] };
}

const COUNTY_KINDS = ['county', 'district', 'zone'] as const;

/** The year's figures of `root`'s subtree (a city: its counties and departments; the province: every city's). */
export async function yearAssessment(q: Q, root: Unit, year: number): Promise<YearAssessment> {
  const rules = await loadRules(q);
  const range = yearWindow(year);
  const signed = { industrialTypes: rules.industrialTypes, minFen: rules.signedIndustrialMinFen };
  const [countyRows, deptRows] = await Promise.all([
    unitYearRows(q, root.path, COUNTY_KINDS, 'subtree', range, signed),
    unitYearRows(q, root.path, ['department'], 'first_talk', range, signed),
  ]);
  const leaders = await leaderTripRows(
    q,
    countyRows.map((r) => r.unitId),
    range,
  );
  const unitOf = (r: { unitId: number; name: string; path: string }) => ({ id: r.unitId, name: r.name, path: r.path }) as Unit;
  const counties: CountyYear[] = [];
  for (const r of countyRows) {
    counties.push({
      unitId: r.unitId,
      name: r.name,
      signed: r.signed,
      signedFen: r.signedFen,
      signedIndustrial: r.signedIndustrial,
      landed: r.landed,
      fundsFen: await yearFundsFen(q, unitScope(unitOf(r)), range),
      leaders: leaders.filter((l) => l.unitId === r.unitId).map((l) => ({ name: l.name, trips: l.trips })),
      lettersRaised: r.lettersRaised,
      lettersClosed: r.lettersClosed,
      targets: {
        tripsPerLeader: r.target?.trips ?? rules.tripsPerLeader,
        signedIndustrial: r.target?.signedBig ?? rules.signedIndustrialTarget,
        landed: r.target?.landed ?? rules.landedTarget,
      },
    });
  }
  const departments: DepartmentYear[] = [];
  for (const r of deptRows) {
    const fundsFen = await yearFundsFen(q, unitScope(unitOf(r)), range);
    // A department that first-talked nothing this year and has no funds is not listed.
    if (r.signed + r.landed + r.lettersRaised + r.lettersClosed === 0 && fundsFen === 0) continue;
    departments.push({ ...r, fundsFen });
  }
  const rankedDepts = rankDepartments(departments);
  return {
    year,
    scopeLabel: root.name,
    counties: rankCounties(counties),
    departments: rankedDepts,
    incentive: incentiveDepartments(rankedDepts, rules.incentiveLandedFen),
    incentiveFen: rules.incentiveLandedFen,
    channels: await channelRollup(q, unitScope(root), range),
  };
}

export interface YearTable {
  /** The sheet's and the section's name. */
  title: string;
  header: string[];
  rows: string[][];
}

const yes = (b: boolean) => t(b ? 'year.met' : 'year.not_met');

/** The assessment as tables of text: the card shows them and the .xlsx writes them, the same cells. */
export function yearTables(a: YearAssessment): YearTable[] {
  const counties: YearTable = {
    title: t('year.sheet.counties'),
    header: [
      t('year.col.rank'),
      t('year.col.county'),
      t('year.col.signed'),
      t('year.col.signed_amount'),
      t('year.col.landed'),
      t('year.col.funds'),
      t('year.col.targets_met'),
      t('year.col.signed_industrial'),
      t('year.col.landed_target'),
      t('year.col.trips'),
      t('year.col.letters'),
    ],
    rows: a.counties.map((c) => [
      String(c.rank),
      c.name,
      String(c.signed),
      formatAmount(c.signedFen),
      String(c.landed),
      formatAmount(c.fundsFen),
      t('year.met_of', { met: c.met.met, of: c.met.of }),
      t('year.actual_of', { actual: c.signedIndustrial, target: c.targets.signedIndustrial, mark: yes(c.met.signedIndustrial) }),
      t('year.actual_of', { actual: c.landed, target: c.targets.landed, mark: yes(c.met.landed) }),
      c.leaders.length === 0
        ? t('year.no_leader')
        : c.leaders
            .map((l) => t('year.leader_trips', { name: l.name, trips: l.trips, target: c.targets.tripsPerLeader }))
            .join(t('year.sep')),
      t('year.letters', { raised: c.lettersRaised, closed: c.lettersClosed }),
    ]),
  };
  const incentive = new Set(a.incentive.map((d) => d.unitId));
  const departments: YearTable = {
    title: t('year.sheet.departments'),
    header: [
      t('year.col.rank'),
      t('year.col.department'),
      t('year.col.signed'),
      t('year.col.signed_amount'),
      t('year.col.landed'),
      t('year.col.landed_amount'),
      t('year.col.funds'),
      t('year.col.letters'),
      t('year.col.incentive'),
    ],
    rows: a.departments.map((d) => [
      String(d.rank),
      d.name,
      String(d.signed),
      formatAmount(d.signedFen),
      String(d.landed),
      formatAmount(d.landedFen),
      formatAmount(d.fundsFen),
      t('year.letters', { raised: d.lettersRaised, closed: d.lettersClosed }),
      incentive.has(d.unitId) ? t('year.incentive_yes') : '',
    ]),
  };
  return [counties, departments];
}

/** The .xlsx of the assessment: one sheet per table, the same cells as the card. */
export async function yearWorkbook(a: YearAssessment): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const table of yearTables(a)) {
    const ws = wb.addWorksheet(table.title);
    // The cells are card text (escaped for markdown); a file takes them decoded.
    ws.addRow(table.header.map(decodeEntities)).font = { bold: true };
    for (const r of table.rows) ws.addRow(r.map(decodeEntities));
    ws.columns.forEach((c, i) => (c.width = i === 1 ? 24 : 14));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * `npm run export -- --year 2026 [out.xlsx] [--scope <unit code>]`: the assessment of the unit's subtree (default
 * the top of the tree) as the year card shows it. Null when the code names no unit.
 */
export async function exportYear(q: Q, year: number, scopeCode?: string): Promise<{ buffer: Buffer; scope: string } | null> {
  const dir = await loadDirectory(q);
  const unit = scopeCode
    ? dir.units.find((u) => u.code === scopeCode)
    : [...dir.units].filter((u) => u.parentId === null).sort((a, b) => (a.path < b.path ? -1 : 1))[0];
  if (!unit) return null;
  const a = await yearAssessment(q, unit, year);
  return { buffer: await yearWorkbook(a), scope: unit.name };
}
