// A cell as the reader sees it, and its text: what exceljs hands over (rich text, formulas, links, dates stored
// without a zone) reduced to a value, numbers shown the way Excel shows them, identifiers and mobiles normalised.

import { cleanText } from '../domain/text.js';

/** A cell as the reader sees it, whatever Excel stored (rich text, formulas and links reduced to their value). */
export type CellValue = string | number | boolean | Date | null;

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
export function serialToDay(serial: number): string | null {
  return excelDateToDay(new Date(Math.round((serial - 25569) * 86_400_000)));
}

/** The text of a cell, as it would be echoed back in a message. */
export function cellText(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return excelDateToDay(v) ?? '';
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  // A cell may hold NUL or other control characters PostgreSQL or Lark refuse: dropped before anything stores it.
  return unquoteFormulaText(cleanText(v).trim());
}

/**
 * Formula injection (CSV/Excel injection): a text cell beginning with = + - @ (or a tab or carriage return) may be
 * taken for a formula by Excel or any sheet it is pasted into. The export writes such user text with a leading
 * apostrophe, Excel's own mark for "this is text"; the import takes the apostrophe off again, so a round trip keeps
 * the text as typed.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function quoteFormulaText(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

export function unquoteFormulaText(s: string): string {
  return s.startsWith("'") && FORMULA_START.test(s.slice(1)) ? s.slice(1) : s;
}

/** exceljs cell value → CellValue. */
export function fromExcel(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return cleanText(v);
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return cleanText((o.richText as { text?: string }[]).map((r) => r.text ?? '').join(''));
    if ('formula' in o || 'sharedFormula' in o) return fromExcel(o.result);
    if ('hyperlink' in o) return fromExcel(o.text);
    if ('error' in o) return String(o.error);
    if ('sharedString' in o) return null;
  }
  return cleanText(String(v));
}

/** Identifiers: spaces anywhere are typing accidents; full-width letters and digits are folded. */
export function normalizeCode(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/[\s\u3000]+/g, '');
}

/** A mainland mobile number, with separators and a +86 prefix removed. */
export function normalizeMobile(s: string): string | null {
  const d = normalizeCode(s)
    .replace(/[-()（）]/g, '')
    .replace(/^\+?86(?=1\d{10}$)/, '');
  return /^1\d{10}$/.test(d) ? d : null;
}
