// Reads a ledger workbook (.xlsx, streamed) or a single .csv (read as the 项目 sheet) into typed rows per sheet.
//
// Each data row goes through its sheet's zod schema, which turns cells into values (amounts in fen through
// domain/amount, days through domain/calendar, enumeration words into ids) and reports every bad cell with the
// sheet, the row number Excel shows, the header as written in the file, the cell's text and the reason. Whether a
// referenced unit, person, chain or project exists is not known here: import.ts checks that against the same file
// and the database.

import { open, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { t } from '../text.js';
import { parseAmount } from '../domain/amount.js';
import { parseDate } from '../domain/calendar.js';
import { parseStage, STAGES, type StageId } from '../domain/stages.js';
import {
  COLUMNS,
  bindingKinds,
  columnLabel,
  evidenceKinds,
  fundStatuses,
  matchColumn,
  normalizeName,
  readmeSheetLabel,
  roles as roleWords,
  sheetIdOf,
  sheetLabel,
  splitHeader,
  unitKinds,
  SHEET_IDS,
  type ColumnDef,
  type SheetId,
  type Vocabulary,
} from './columns.js';
import { streamXlsx } from './xlsx.js';
import { amountErrorText, dateErrorText, stageLabel } from '../words.js';

/** A cell as the reader sees it, whatever Excel stored (rich text, formulas and links reduced to their value). */
export type CellValue = string | number | boolean | Date | null;

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
// Cells to values

/** Excel's own display precision: 15 significant digits, which also drops binary noise (0.30000000000000004). */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15)));
}

/**
 * The calendar day of an Excel date cell. Excel stores a day number without a zone and exceljs turns it into the
 * Date at that wall-clock time in UTC, so the UTC fields are the day Excel shows, whatever the process's zone.
 */
export function excelDateToDay(d: Date): string | null {
  const ms = d.getTime();
  if (Number.isNaN(ms)) return null;
  const rounded = new Date(Math.round(ms / 1000) * 1000);
  const y = rounded.getUTCFullYear();
  return `${String(y).padStart(4, '0')}-${String(rounded.getUTCMonth() + 1).padStart(2, '0')}-${String(rounded.getUTCDate()).padStart(2, '0')}`;
}

/** An Excel day serial (1900 date system) → 'YYYY-MM-DD'. Serial 25569 is 1970-01-01. */
function serialToDay(serial: number): string | null {
  return excelDateToDay(new Date(Math.round((serial - 25569) * 86_400_000)));
}

/** The text of a cell, as it would be echoed back in a message. */
export function cellText(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return excelDateToDay(v) ?? '';
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return v.trim();
}

/** exceljs cell value → CellValue. */
export function fromExcel(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((r) => r.text ?? '').join('');
    if ('formula' in o || 'sharedFormula' in o) return fromExcel(o.result);
    if ('hyperlink' in o) return fromExcel(o.text);
    if ('error' in o) return String(o.error);
    if ('sharedString' in o) return null;
  }
  return String(v);
}

// ---------------------------------------------------------------------------------------------------------------
// Field schemas

type Ctx = z.core.$RefinementCtx<unknown>;
const fail = (ctx: Ctx, message: string): never => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

const MAX_TEXT = 1000;

function textOf(v: unknown): string | null {
  const s = cellText(v as CellValue)
    .replace(/\u3000/g, ' ')
    .trim();
  return s === '' ? null : s;
}

const field = <T>(fn: (v: CellValue, ctx: Ctx) => T) => z.unknown().transform((v, ctx) => fn((v ?? null) as CellValue, ctx));

const text = (max = MAX_TEXT) =>
  field((v, ctx) => {
    const s = textOf(v);
    if (s !== null && [...s].length > max) return fail(ctx, t('ledger.err.too_long', { max }));
    return s;
  });

/** Identifiers: spaces anywhere are typing accidents; full-width letters and digits are folded. */
const code = () =>
  field((v, ctx) => {
    const s = textOf(v);
    if (s === null) return null;
    const c = normalizeCode(s);
    if (c.length > 64) return fail(ctx, t('ledger.err.too_long', { max: 64 }));
    return c;
  });

export function normalizeCode(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/[\s\u3000]+/g, '');
}

function required<T>(inner: z.ZodType<T | null, unknown>) {
  return inner.transform((v, ctx) => (v === null ? fail(ctx, t('ledger.err.required')) : v));
}

export type AmountUnit = 'yuan' | 'wan' | 'yi';

const amount = (unit: AmountUnit, positive = false) =>
  field((v, ctx) => {
    let s = typeof v === 'number' ? numberText(v) : textOf(v);
    if (s === null) return null;
    // A bare number in a column headed (亿元): the parser knows 元 and 万元 defaults, so spell the unit out.
    if (unit === 'yi' && /^[\d,.\s]+$/.test(s)) s = `${s}亿`;
    const r = parseAmount(s, { defaultUnit: unit === 'yuan' ? 'yuan' : 'wan' });
    if (!r.ok) return fail(ctx, amountErrorText(r));
    if (positive && r.fen <= 0) return fail(ctx, t('ledger.err.not_positive'));
    return r.fen;
  });

const date = () =>
  field((v, ctx) => {
    if (v instanceof Date) return excelDateToDay(v) ?? fail(ctx, dateErrorText({ code: 'invalid', input: String(v) }));
    // A day serial in a cell not formatted as a date (or a formula's result): 10000 is 1927, 2958465 is 9999-12-31.
    if (typeof v === 'number' && v >= 10_000 && v <= 2_958_465) return serialToDay(v)!;
    const s = textOf(v);
    if (s === null) return null;
    const r = parseDate(s);
    return r.ok ? r.date : fail(ctx, dateErrorText(r));
  });

const int = () =>
  field((v, ctx) => {
    if (typeof v === 'number')
      return Number.isInteger(v) && v >= 0 && v <= 1_000_000 ? v : fail(ctx, t('ledger.err.bad_int', { value: numberText(v) }));
    const s = textOf(v);
    if (s === null) return null;
    const m = /^(\d{1,7})(?:次|个|项)?$/.exec(normalizeCode(s));
    return m ? Number(m[1]) : fail(ctx, t('ledger.err.bad_int', { value: s }));
  });

const year = () =>
  field((v, ctx) => {
    const s = typeof v === 'number' ? numberText(v) : textOf(v);
    if (s === null) return null;
    const m = /^(\d{4})(?:年|年度)?$/.exec(normalizeCode(s));
    const y = m ? Number(m[1]) : NaN;
    return y >= 2000 && y <= 2100 ? y : fail(ctx, t('ledger.err.bad_year', { value: s }));
  });

const word = <T extends string>(vocab: Vocabulary<T>) =>
  field((v, ctx) => {
    const s = textOf(v);
    if (s === null) return null;
    return vocab.parse(s) ?? fail(ctx, t('ledger.err.unknown_value', { value: s, options: vocab.options() }));
  });

const stage = () =>
  field((v, ctx): StageId | null => {
    const s = textOf(v);
    if (s === null) return null;
    return (
      parseStage(s) ??
      fail(ctx, t('ledger.err.unknown_stage', { value: s, options: STAGES.map(stageLabel).join(t('ledger.list_separator')) }))
    );
  });

const LIST_SEPARATORS = /[、,，;；/\s]+/;

const roleList = () =>
  field((v, ctx) => {
    const s = textOf(v);
    if (s === null) return null;
    const out = new Set<(typeof roleWords.ids)[number]>();
    for (const part of s.split(LIST_SEPARATORS).filter(Boolean)) {
      const r = roleWords.parse(part);
      if (!r) return fail(ctx, t('ledger.err.unknown_value', { value: part, options: roleWords.options() }));
      out.add(r);
    }
    return [...out].sort();
  });

const list = () =>
  field((v) => {
    const s = textOf(v);
    if (s === null) return null;
    return [
      ...new Set(
        s
          .split(/[、,，;；]+/)
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    ];
  });

/** A mainland mobile number, with separators and a +86 prefix removed. */
export function normalizeMobile(s: string): string | null {
  const d = normalizeCode(s)
    .replace(/[-()（）]/g, '')
    .replace(/^\+?86(?=1\d{10}$)/, '');
  return /^1\d{10}$/.test(d) ? d : null;
}

const mobile = () =>
  field((v, ctx) => {
    const s = textOf(v);
    if (s === null) return null;
    return normalizeMobile(s) ?? fail(ctx, t('ledger.err.bad_mobile', { value: s }));
  });

const email = () =>
  field((v, ctx) => {
    const s = textOf(v);
    if (s === null) return null;
    const e = normalizeCode(s);
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) && e.length <= 200 ? e : fail(ctx, t('ledger.err.bad_email', { value: s }));
  });

const prefixedId = (prefix: 'ou_' | 'oc_') =>
  field((v, ctx) => {
    const s = textOf(v);
    if (s === null) return null;
    const id = normalizeCode(s);
    if (id.startsWith(prefix) && /^[A-Za-z0-9_-]{4,100}$/.test(id)) return id;
    return fail(ctx, t(prefix === 'ou_' ? 'ledger.err.bad_open_id' : 'ledger.err.bad_chat_id', { value: s }));
  });

// ---------------------------------------------------------------------------------------------------------------
// Sheet schemas. Every field is null when its cell is empty (or its column absent): for an existing record that
// means "leave as is", for a new one "no value"; import.ts decides which fields a new record needs.

export type AmountHints = Partial<Record<string, AmountUnit>>;

export const unitRowSchema = () =>
  z.object({
    code: required(code()),
    name: text(200),
    kind: word(unitKinds),
    parentCode: code(),
  });

export const personRowSchema = () =>
  z.object({
    name: required(text(50)),
    unitCode: required(code()),
    roles: roleList(),
    title: text(100),
    mobile: mobile(),
    email: email(),
    openId: prefixedId('ou_'),
  });

export const chainRowSchema = () =>
  z.object({
    name: required(text(50)),
    aliases: list(),
    leader: text(50),
    secretary: text(50),
    leadUnitCode: code(),
  });

export const projectRowSchema = (h: AmountHints = {}) =>
  z.object({
    code: required(code()),
    name: text(200),
    investor: text(200),
    investorRegion: text(100),
    originOffice: text(50),
    chain: text(50),
    stage: stage(),
    firstTalkUnitCode: code(),
    hostUnitCode: code(),
    owner: text(50),
    plannedFen: amount(h.plannedFen ?? 'wan'),
    contractFen: amount(h.contractFen ?? 'wan'),
    signedOn: date(),
    startedOn: date(),
    landedOn: date(),
    lastProgressOn: date(),
    transferredTo: text(100),
    note: text(MAX_TEXT),
  });

export const fundRowSchema = (h: AmountHints = {}) =>
  z.object({
    projectCode: required(code()),
    date: required(date()),
    fen: required(amount(h.fen ?? 'wan', true)),
    evidenceKind: word(evidenceKinds),
    status: word(fundStatuses),
  });

export const groupRowSchema = () =>
  z.object({
    chatId: required(prefixedId('oc_')),
    name: text(200),
    bindingKind: word(bindingKinds),
    target: text(100),
  });

export const targetRowSchema = () =>
  z.object({
    unitCode: required(code()),
    year: required(year()),
    trips: int(),
    signedBig: int(),
    landed: int(),
  });

export type UnitRow = z.output<ReturnType<typeof unitRowSchema>>;
export type PersonRow = z.output<ReturnType<typeof personRowSchema>>;
export type ChainRow = z.output<ReturnType<typeof chainRowSchema>>;
export type ProjectRow = z.output<ReturnType<typeof projectRowSchema>>;
export type FundRow = z.output<ReturnType<typeof fundRowSchema>>;
export type GroupRow = z.output<ReturnType<typeof groupRowSchema>>;
export type TargetRow = z.output<ReturnType<typeof targetRowSchema>>;

export interface RowTypes {
  units: UnitRow;
  people: PersonRow;
  chains: ChainRow;
  projects: ProjectRow;
  funds: FundRow;
  groups: GroupRow;
  targets: TargetRow;
}

function schemaFor(id: SheetId, hints: AmountHints): z.ZodType<unknown, Record<string, CellValue>> {
  switch (id) {
    case 'units':
      return unitRowSchema() as never;
    case 'people':
      return personRowSchema() as never;
    case 'chains':
      return chainRowSchema() as never;
    case 'projects':
      return projectRowSchema(hints) as never;
    case 'funds':
      return fundRowSchema(hints) as never;
    case 'groups':
      return groupRowSchema() as never;
    case 'targets':
      return targetRowSchema() as never;
  }
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
// CSV

/** Decodes CSV bytes: UTF-8 (BOM dropped), or GB18030 when the bytes are not valid UTF-8 (Excel's "CSV" on Chinese Windows). */
function decodeCsv(bytes: Buffer, wb: LedgerWorkbook): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    wb.warnings.push({ sheet: wb.fileName, message: t('ledger.warn.gb18030') });
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/**
 * RFC 4180 records: fields separated by the delimiter, quoted fields may hold delimiters, doubled quotes and line
 * breaks. Yields [record number (1-based, what Excel shows as the row), fields].
 */
export function* parseCsv(text: string, delimiter = ','): Generator<[number, string[]]> {
  let i = 0;
  let record = 0;
  const n = text.length;
  while (i < n) {
    const fields: string[] = [];
    let field = '';
    for (;;) {
      if (text[i] === '"') {
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) {
            field += text.slice(i);
            i = n;
            break;
          }
          field += text.slice(i, q);
          i = q + 1;
          if (text[i] === '"') {
            field += '"';
            i++;
          } else break;
        }
        // Anything between the closing quote and the delimiter is kept, as spreadsheets do.
        while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      } else {
        while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      }
      fields.push(field);
      field = '';
      if (i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      break;
    }
    record++;
    yield [record, fields];
  }
}

function readCsv(bytes: Buffer, fileName: string): LedgerWorkbook {
  const wb = newWorkbook(fileName, 'csv');
  const text = decodeCsv(bytes, wb);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? '\t' : ',';
  const collector = collectorFor(wb, sheetLabel('projects'))!;
  // Messages name the file, not a sheet the user never saw.
  collector.sheet.name = fileName;
  for (const [rowNumber, fields] of parseCsv(text, delimiter)) collector.push(rowNumber, fields);
  collector.finish();
  return wb;
}
