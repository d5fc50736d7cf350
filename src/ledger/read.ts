// Reads a ledger workbook (.xlsx, streamed) or a single .csv (read as the 项目 sheet) into typed rows per sheet.
//
// Finds each sheet's header, maps its columns, and passes every data row through its sheet's schema
// (row-schemas.ts), reporting every bad cell with the sheet, the row number Excel shows, the header as written in the
// file, the cell's text and the reason.

import { open, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { z } from 'zod';
import { t } from '../text.js';
import {
  COLUMNS,
  columnLabel,
  matchColumn,
  normalizeName,
  readmeSheetLabel,
  sheetIdOf,
  sheetLabel,
  splitHeader,
  SHEET_IDS,
  type ColumnDef,
  type SheetId,
} from './columns.js';
import { cellText, fromExcel, type CellValue } from './cells.js';
import { decodeCsv, parseCsv } from './csv.js';
import { schemaFor, type AmountHints, type RowTypes } from './row-schemas.js';
import { streamXlsx } from './xlsx.js';

/** A problem that stops the import, located as the user sees it in Excel. */
export interface LedgerError {
  /** Sheet name as in the file ('' for a problem with the whole file). */
  sheet: string;
  /** Row number as Excel shows it (0 for the whole file or sheet). */
  row: number;
  /** Column header as written in the file, or the expected header when the column is missing. */
  column: string;
  /** The cell's text. */
  value: string;
  /** Why, in Chinese. */
  reason: string;
}

export interface LedgerWarning {
  sheet: string;
  row?: number;
  message: string;
}

// ---------------------------------------------------------------------------------------------------------------
// The workbook

export interface LedgerRow<T> {
  /** Row number as Excel shows it. */
  row: number;
  /** The typed row, or null when a cell was rejected (the errors are in the workbook's `errors`). */
  data: T | null;
  /** The text of each mapped cell, for messages. */
  raw: Partial<Record<keyof T & string, string>>;
}

export interface LedgerSheet<T> {
  id: SheetId;
  /** The sheet's name as written in the file. */
  name: string;
  headerRow: number;
  /** The header text in the file for each mapped field. */
  headers: Partial<Record<keyof T & string, string>>;
  rows: LedgerRow<T>[];
}

export type LedgerSheets = { [K in SheetId]?: LedgerSheet<RowTypes[K]> };

export interface LedgerWorkbook {
  fileName: string;
  format: 'xlsx' | 'csv';
  sheets: LedgerSheets;
  /** Problems found while reading (bad cells, missing columns, an unreadable file). */
  errors: LedgerError[];
  warnings: LedgerWarning[];
}

/** How many non-empty rows at the top of a sheet may precede its header (a title, a note, a blank line). */
const HEADER_SEARCH_ROWS = 10;

/** Collects one sheet's rows as they stream in: finds the header, maps the columns, validates each data row. */
class SheetCollector {
  private headerRow = 0;
  private mapping: (ColumnDef | null)[] = [];
  private schema: z.ZodType<unknown, Record<string, CellValue>> | null = null;
  private dead = false;
  private searched = 0;
  private readonly blank: Record<string, null>;
  readonly sheet: LedgerSheet<unknown>;

  constructor(
    readonly id: SheetId,
    name: string,
    private readonly wb: LedgerWorkbook,
  ) {
    this.sheet = { id, name, headerRow: 0, headers: {}, rows: [] };
    this.blank = Object.fromEntries((COLUMNS[id] as readonly ColumnDef[]).map((c) => [c.field, null]));
  }

  /** `cells[i]` is column i+1 of Excel row `rowNumber`. */
  push(rowNumber: number, cells: CellValue[]): void {
    if (this.dead) return;
    if (this.schema === null) {
      if (cells.every((c) => cellText(c) === '')) return;
      this.tryHeader(rowNumber, cells);
      return;
    }
    // Every field present (null when its column is absent): zod reports a missing key as an error.
    const record: Record<string, CellValue> = { ...this.blank };
    const raw: Record<string, string> = {};
    let any = false;
    for (let i = 0; i < this.mapping.length; i++) {
      const c = this.mapping[i];
      if (!c) continue;
      const v = cells[i] ?? null;
      const s = cellText(v);
      if (s !== '') any = true;
      record[c.field] = v;
      raw[c.field] = s;
    }
    if (!any) return;
    const parsed = this.schema.safeParse(record);
    if (parsed.success) {
      this.sheet.rows.push({ row: rowNumber, data: parsed.data, raw });
      return;
    }
    this.sheet.rows.push({ row: rowNumber, data: null, raw });
    for (const issue of parsed.error.issues) {
      const f = String(issue.path[0] ?? '');
      this.wb.errors.push({
        sheet: this.sheet.name,
        row: rowNumber,
        column: (this.sheet.headers as Record<string, string>)[f] ?? f,
        value: raw[f] ?? '',
        reason: issue.message,
      });
    }
  }

  private tryHeader(rowNumber: number, cells: CellValue[]): void {
    this.searched++;
    const matched = cells.map((c) => (typeof c === 'string' ? matchColumn(this.id, c) : null));
    const distinct = new Set(matched.filter(Boolean));
    const cols: readonly ColumnDef[] = COLUMNS[this.id];
    // A header names at least two of the sheet's columns (or all of them for a sheet that has fewer).
    if (distinct.size < Math.min(2, cols.length)) {
      if (this.searched >= HEADER_SEARCH_ROWS) this.noHeader();
      return;
    }
    const seen = new Set<string>();
    const extra: string[] = [];
    const hints: AmountHints = {};
    this.mapping = matched.map((c, i) => {
      const header = cellText(cells[i] ?? null);
      if (!c || seen.has(c.field)) {
        if (header !== '') extra.push(header);
        return null;
      }
      seen.add(c.field);
      (this.sheet.headers as Record<string, string>)[c.field] = header;
      const unit = splitHeader(header).unit;
      if (unit && c.kind === 'amount') hints[c.field] = unit;
      return c;
    });
    this.headerRow = rowNumber;
    this.sheet.headerRow = rowNumber;
    if (extra.length > 0) {
      this.wb.warnings.push({
        sheet: this.sheet.name,
        row: rowNumber,
        message: t('ledger.warn.extra_columns', { columns: extra.join(t('ledger.list_separator')) }),
      });
    }
    const missing = cols.filter((c) => c.keyColumn && !seen.has(c.field));
    for (const c of missing) {
      this.wb.errors.push({
        sheet: this.sheet.name,
        row: rowNumber,
        column: columnLabel(c),
        value: '',
        reason: t('ledger.err.missing_column', { column: columnLabel(c) }),
      });
    }
    if (missing.length > 0) {
      this.dead = true;
      return;
    }
    this.schema = schemaFor(this.id, hints);
  }

  private noHeader(): void {
    const cols: readonly ColumnDef[] = COLUMNS[this.id];
    this.wb.errors.push({
      sheet: this.sheet.name,
      row: 0,
      column: '',
      value: '',
      reason: t('ledger.err.no_header', {
        rows: HEADER_SEARCH_ROWS,
        columns: cols
          .filter((c) => c.keyColumn)
          .map(columnLabel)
          .join(t('ledger.list_separator')),
      }),
    });
    this.dead = true;
  }

  finish(): void {
    if (!this.dead && this.schema === null && this.searched > 0) this.noHeader();
  }
}

function newWorkbook(fileName: string, format: 'xlsx' | 'csv'): LedgerWorkbook {
  return { fileName, format, sheets: {}, errors: [], warnings: [] };
}

/** Decides which collector a worksheet goes to (null: ignored, with a warning unless it is the 说明 sheet). */
function collectorFor(wb: LedgerWorkbook, name: string): SheetCollector | null {
  const id = sheetIdOf(name);
  if (id === null) {
    if (normalizeName(name) !== normalizeName(readmeSheetLabel())) {
      wb.warnings.push({
        sheet: name,
        message: t('ledger.warn.unknown_sheet', { sheet: name, sheets: SHEET_IDS.map(sheetLabel).join(t('ledger.list_separator')) }),
      });
    }
    return null;
  }
  if (wb.sheets[id]) {
    wb.warnings.push({ sheet: name, message: t('ledger.warn.duplicate_sheet', { sheet: name }) });
    return null;
  }
  const c = new SheetCollector(id, name, wb);
  (wb.sheets as Record<string, LedgerSheet<unknown>>)[id] = c.sheet;
  return c;
}

export type LedgerSource = string | Buffer | Uint8Array;

export interface ReadOptions {
  /** Name shown in messages and used to tell .csv from .xlsx when the source is a Buffer. */
  fileName?: string;
}

/**
 * Reads a ledger from a file path or the bytes of a file. Never throws for a bad file: an unreadable or
 * unsupported file comes back as a workbook with one error and no sheets.
 */
export async function readWorkbook(source: LedgerSource, opts: ReadOptions = {}): Promise<LedgerWorkbook> {
  const fileName = opts.fileName ?? (typeof source === 'string' ? basename(source) : 'ledger.xlsx');
  // By content, not by name: an .xlsx is a zip ('PK\x03\x04'), an old .xls an OLE compound file.
  const head = await sniff(source);
  const kind = head.startsWith('504b0304') ? 'xlsx' : head.startsWith('d0cf11e0') ? 'xls' : 'csv';
  if (kind === 'xls' || (kind === 'csv' && /\.(xls|xlsx|xlsm|et)$/i.test(fileName))) {
    const wb = newWorkbook(fileName, 'xlsx');
    wb.errors.push({ sheet: '', row: 0, column: '', value: '', reason: t('ledger.err.unsupported_format') });
    return wb;
  }
  if (kind === 'xlsx') return readXlsx(source, fileName);
  const bytes = typeof source === 'string' ? await readFile(source) : Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  return readCsv(bytes, fileName);
}

async function sniff(source: LedgerSource): Promise<string> {
  if (typeof source !== 'string') return Buffer.from(source.subarray(0, 8)).toString('hex');
  const fh = await open(source, 'r');
  try {
    const buf = Buffer.alloc(8);
    const { bytesRead } = await fh.read(buf, 0, 8, 0);
    return buf.subarray(0, bytesRead).toString('hex');
  } finally {
    await fh.close();
  }
}

async function readXlsx(source: LedgerSource, fileName: string): Promise<LedgerWorkbook> {
  const wb = newWorkbook(fileName, 'xlsx');
  const input = typeof source === 'string' ? source : Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  const collectors: SheetCollector[] = [];
  try {
    await streamXlsx(input, (name) => {
      const collector = collectorFor(wb, name);
      if (!collector) return null;
      collectors.push(collector);
      return (row) => {
        const cells: CellValue[] = [];
        row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
          cells[colNumber - 1] = fromExcel(cell.value);
        });
        collector.push(row.number, cells);
      };
    });
    for (const c of collectors) c.finish();
  } catch (e) {
    wb.sheets = {};
    wb.errors.push({ sheet: '', row: 0, column: '', value: '', reason: t('ledger.err.unreadable', { detail: (e as Error).message }) });
  }
  return wb;
}
// ---------------------------------------------------------------------------------------------------------------
// CSV: one sheet, read as the 项目 sheet

function readCsv(bytes: Buffer, fileName: string): LedgerWorkbook {
  const wb = newWorkbook(fileName, 'csv');
  const { text, gb18030 } = decodeCsv(bytes);
  if (gb18030) wb.warnings.push({ sheet: wb.fileName, message: t('ledger.warn.gb18030') });
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? '\t' : ',';
  const collector = collectorFor(wb, sheetLabel('projects'))!;
  // Messages name the file, not a sheet the user never saw.
  collector.sheet.name = fileName;
  for (const [rowNumber, fields] of parseCsv(text, delimiter)) collector.push(rowNumber, fields);
  collector.finish();
  return wb;
}
