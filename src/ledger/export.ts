// Export of the five databases (五库) as the mechanism office keeps them: one sheet per stage (谋划库, 洽谈库, 意向库,
// 签约库, 落地库) and one for dropped and transferred projects; Chinese headers, amounts in 万元 as numbers with two
// decimals, dates as 'YYYY-MM-DD' text, a frozen header row. Written with exceljs's streaming writer, so a large
// export is not held as a workbook model in memory (only the finished file's bytes are).

import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';

/**
 * exceljs is loaded on first use, not at start: it holds ~27 MB of a process that may never write a workbook
 * (issue 18, the idle footprint).
 */
const loadExcel = async (): Promise<typeof ExcelJS> => (await import('exceljs')).default;
import type { Db, Tx } from '../store/db.js';
import { exportDetails, exportRows, type ExportDetails, type ExportOptions, type ExportRow } from '../store/ledger-export.js';
import { investorOriginClass, type InvestorOriginClass } from '../domain/funds.js';
import { t } from '../text.js';
import { ACTIVE_STAGES, type StageId } from '../domain/stages.js';
import {
  COLUMNS,
  channels as channelWords,
  columnLabel,
  evidenceKinds,
  fundStatuses,
  orgKinds,
  problemCategories,
  problemStatuses,
  projectTypes,
  sheetLabel,
  type ColumnDef,
  type EvidenceKind,
  type SheetId,
} from './columns.js';
import type { TemplateKey } from '../../prompts/index.js';
import { isExternalOrgKind } from '../domain/problems.js';
import { stageLabel } from '../words.js';
import { quoteFormulaText } from './cells.js';

type Q = Db | Tx;

/** The rows are read by the store; exposed here for tests and other reports. */
export { exportRows, type ExportOptions, type ExportRow };

/** fen → 万元 rounded half up to 2 decimals, computed on integers so 1234.565万 does not become 1234.56. */
export function fenToWan(fen: number): number {
  const hundredths = (BigInt(fen) * 2n + 10_000n) / 20_000n; // round(fen / 10^4), fen ≥ 0
  return Number(`${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`);
}

interface Column {
  header: string;
  width: number;
  value: (r: ExportRow, i: number) => string | number | null;
  amount?: boolean;
}

const labelOf = (sheet: keyof typeof COLUMNS, field: string): string =>
  columnLabel((COLUMNS[sheet] as readonly ColumnDef[]).find((c) => c.field === field)!);

function columns(offline: boolean): Column[] {
  const p = (field: string) => labelOf('projects', field);
  const wan = (label: string) => t('ledger.export.in_wan', { label });
  const cols: (Column | false)[] = [
    { header: t('ledger.export.seq'), width: 6, value: (_, i) => i + 1 },
    { header: p('code'), width: 14, value: (r) => r.code },
    { header: p('name'), width: 32, value: (r) => r.name },
    { header: p('investor'), width: 30, value: (r) => r.investor },
    { header: p('investorRegion'), width: 16, value: (r) => r.investorRegion },
    { header: p('investorRegionCode'), width: 12, value: (r) => r.investorRegionCode },
    { header: p('originOffice'), width: 10, value: (r) => r.originOffice },
    { header: p('chain'), width: 12, value: (r) => r.chain },
    { header: p('projectType'), width: 12, value: (r) => projectTypes.label(r.projectType) },
    {
      header: p('channels'),
      width: 20,
      value: (r) => r.channels.map((c) => channelWords.label(c)).join(t('ledger.list_separator')) || null,
    },
    offline && { header: p('stage'), width: 8, value: (r) => stageLabel(r.stage) },
    { header: t('ledger.export.first_talk_unit'), width: 20, value: (r) => r.firstTalkUnit },
    { header: t('ledger.export.host_unit'), width: 20, value: (r) => r.hostUnit },
    { header: p('owner'), width: 10, value: (r) => r.owner },
    { header: t('ledger.export.owner_mobile'), width: 14, value: (r) => r.ownerMobile },
    { header: wan(p('plannedFen')), width: 18, amount: true, value: (r) => (r.plannedFen === null ? null : fenToWan(r.plannedFen)) },
    { header: wan(p('contractFen')), width: 18, amount: true, value: (r) => (r.contractFen === null ? null : fenToWan(r.contractFen)) },
    { header: wan(t('ledger.export.funds_verified')), width: 16, amount: true, value: (r) => fenToWan(r.fundsFen) },
    { header: t('ledger.export.stage_entered_on'), width: 14, value: (r) => r.stageEnteredOn },
    { header: p('signedOn'), width: 12, value: (r) => r.signedOn },
    { header: p('startedOn'), width: 12, value: (r) => r.startedOn },
    { header: p('landedOn'), width: 12, value: (r) => r.landedOn },
    { header: p('lastProgressOn'), width: 18, value: (r) => r.lastProgressOn },
    offline && { header: p('transferredTo'), width: 14, value: (r) => r.transferredTo },
    { header: p('note'), width: 36, value: (r) => r.note },
    // The contract's agreed terms (001 三.四), at the end so the office's own layout keeps its columns in place.
    { header: p('agreedStartOn'), width: 14, value: (r) => r.agreedStartOn },
    {
      header: wan(p('agreedInvestmentFen')),
      width: 16,
      amount: true,
      value: (r) => (r.agreedInvestmentFen === null ? null : fenToWan(r.agreedInvestmentFen)),
    },
    { header: p('agreedInvestmentBy'), width: 14, value: (r) => r.agreedInvestmentBy },
    {
      header: wan(p('agreedOutputFen')),
      width: 16,
      amount: true,
      value: (r) => (r.agreedOutputFen === null ? null : fenToWan(r.agreedOutputFen)),
    },
    { header: wan(p('agreedTaxFen')), width: 16, amount: true, value: (r) => (r.agreedTaxFen === null ? null : fenToWan(r.agreedTaxFen)) },
    { header: p('agreedResultsBy'), width: 14, value: (r) => r.agreedResultsBy },
    // Issue 16: the service team lead, and where the investor comes from against the host (境外, 省外, 市外, 市内).
    { header: p('teamLead'), width: 12, value: (r) => r.teamLead },
    { header: t('ledger.export.investor_origin'), width: 12, value: (r) => originLabel(investorOriginClass(r.investorRegionCode, r.host)) },
  ];
  return cols.filter((c): c is Column => c !== false);
}

const ORIGIN_KEYS = {
  abroad: 'ledger.origin.abroad',
  outside_province: 'ledger.origin.outside_province',
  outside_city: 'ledger.origin.outside_city',
  inside_city: 'ledger.origin.inside_city',
} as const satisfies Record<Exclude<InvestorOriginClass, 'unknown'>, TemplateKey>;

function originLabel(c: InvestorOriginClass): string | null {
  return c === 'unknown' ? null : t(ORIGIN_KEYS[c]);
}

const isEvidenceKind = (k: string): k is EvidenceKind => (evidenceKinds.ids as readonly string[]).includes(k);

/**
 * The sheets after the five databases, in the import's own layout (sheet names and headers of the template), so the
 * export read back by the import finds every value: fund entries with their verification state, external
 * organisations, evaluations before signing and problems with their due dates and who must act.
 */
function detailSheets(
  d: ExportDetails,
): { id: SheetId; headers: Record<string, string>; rows: Record<string, string | number | null>[] }[] {
  const header = (id: SheetId, field: string) => columnLabel((COLUMNS[id] as readonly ColumnDef[]).find((c) => c.field === field)!);
  // Fund amounts in 元, exact to the fen: the import matches an entry by its project, day and amount.
  const headers = (id: SheetId, fields: string[], yuan: string[] = []) =>
    Object.fromEntries(fields.map((f) => [f, yuan.includes(f) ? t('ledger.export.in_yuan', { label: header(id, f) }) : header(id, f)]));
  return [
    {
      id: 'funds',
      headers: headers('funds', ['projectCode', 'date', 'fen', 'evidenceKind', 'status'], ['fen']),
      rows: d.funds.map((f) => ({
        projectCode: f.projectCode,
        date: f.date,
        fen: f.fen / 100,
        evidenceKind: isEvidenceKind(f.evidenceKind) ? evidenceKinds.label(f.evidenceKind) : evidenceKinds.label('other'),
        status: fundStatuses.label(f.status),
      })),
    },
    {
      id: 'orgs',
      headers: headers('orgs', ['name', 'governmentCode', 'kind', 'contactName', 'contactOpenId']),
      rows: d.orgs.map((o) => ({ ...o, kind: orgKinds.label(isExternalOrgKind(o.kind) ? o.kind : 'other') })),
    },
    {
      id: 'evaluations',
      headers: headers('evaluations', ['projectCode', 'date', 'conclusion', 'note']),
      rows: d.evaluations,
    },
    {
      id: 'problems',
      headers: headers('problems', [
        'projectCode',
        'description',
        'category',
        'raisedOn',
        'dueOn',
        'mustActUnitCode',
        'mustActOrg',
        'status',
        'resolvedOn',
        'resolution',
      ]),
      rows: d.problems.map(({ open, category, ...p }) => ({
        ...p,
        category: problemCategories.label(category as (typeof problemCategories.ids)[number]),
        status: problemStatuses.label(open ? 'open' : 'closed'),
      })),
    },
  ];
}

/** The sheets of the export in order, with the stages each holds. */
export function exportSheets(): { name: string; stages: StageId[]; offline: boolean }[] {
  return [
    ...ACTIVE_STAGES.map((s) => ({
      name: t('ledger.export.sheet_stage', { stage: stageLabel(s) }),
      stages: [s] as StageId[],
      offline: false,
    })),
    { name: t('ledger.export.sheet_offline'), stages: ['dropped', 'transferred'] as StageId[], offline: true },
  ];
}

/** The five databases as an .xlsx file. */
export async function exportWorkbook(db: Q, opts: ExportOptions = {}): Promise<Buffer> {
  return (await exportLedger(db, opts)).buffer;
}

/** The export and how many projects it holds. */
export async function exportLedger(db: Q, opts: ExportOptions = {}): Promise<{ buffer: Buffer; count: number }> {
  const rows = await exportRows(db, opts);
  const details = await exportDetails(db, opts);
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const wb = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: true });
  for (const sheet of exportSheets()) {
    const cols = columns(sheet.offline);
    const ws = wb.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
    ws.columns = cols.map((c) => ({ width: c.width }));
    const header = ws.addRow(cols.map((c) => c.header));
    header.font = { bold: true };
    header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
      cell.border = { bottom: { style: 'thin' } };
    });
    header.height = 30;
    header.commit();
    const mine = rows.filter((r) => sheet.stages.includes(r.stage));
    mine.forEach((r, i) => {
      // User text is written as text: a value starting with = + - @ gets Excel's apostrophe (never a formula).
      const row = ws.addRow(
        cols.map((c) => {
          const v = c.value(r, i);
          return typeof v === 'string' ? quoteFormulaText(v) : v;
        }),
      );
      cols.forEach((c, j) => {
        if (c.amount) row.getCell(j + 1).numFmt = '#,##0.00';
      });
      row.commit();
    });
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } };
    ws.commit();
  }
  for (const sheet of detailSheets(details)) {
    const fields = Object.keys(sheet.headers);
    const defs = COLUMNS[sheet.id] as readonly ColumnDef[];
    const ws = wb.addWorksheet(sheetLabel(sheet.id), { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
    ws.columns = fields.map((f) => ({ width: defs.find((c) => c.field === f)!.width + 2 }));
    const header = ws.addRow(fields.map((f) => sheet.headers[f]));
    header.font = { bold: true };
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    });
    header.commit();
    for (const r of sheet.rows) {
      const row = ws.addRow(fields.map((f) => (typeof r[f] === 'string' ? quoteFormulaText(r[f]) : (r[f] ?? null))));
      fields.forEach((f, j) => {
        if (defs.find((c) => c.field === f)!.kind === 'amount') row.getCell(j + 1).numFmt = '#,##0.00';
      });
      row.commit();
    }
    ws.commit();
  }
  await wb.commit();
  await done;
  return { buffer: Buffer.concat(chunks), count: rows.length };
}
