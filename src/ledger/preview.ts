// What an import plan and its result look like to a person: the CLI report, the chat preview card.
import { t } from '../text.js';
import { card, md, hr, note, button, type Card, type Json } from '../lark/cards.js';
import { sheetLabel, SHEET_IDS, type SheetId } from './columns.js';
import type { LedgerError, LedgerWarning } from './read.js';
import type { ApplyResult, ImportPlan, SheetCounts } from './plan-types.js';

// ---------------------------------------------------------------------------------------------------------------
// Preview

export interface PlanSummary {
  fileName: string;
  counts: Partial<Record<SheetId, SheetCounts>>;
  added: number;
  changed: number;
  errorCount: number;
  errors: LedgerError[];
  warningCount: number;
  warnings: LedgerWarning[];
}

/** A JSON-able digest of a plan (for import_sessions.summary and the preview card): counts and the first problems. */
export function planSummary(plan: ImportPlan, limits: { errors?: number; warnings?: number } = {}): PlanSummary {
  let added = 0;
  let changed = 0;
  for (const c of Object.values(plan.counts)) {
    added += c.add;
    changed += c.change;
  }
  return {
    fileName: plan.fileName,
    counts: plan.counts,
    added,
    changed,
    errorCount: plan.errors.length,
    errors: plan.errors.slice(0, limits.errors ?? 10),
    warningCount: plan.warnings.length,
    warnings: plan.warnings.slice(0, limits.warnings ?? 5),
  };
}

/** One line for an error, as the preview and the CLI show it. */
export function errorLine(e: LedgerError): string {
  if (e.row === 0) return e.sheet === '' ? e.reason : t('ledger.preview.warning_line', { sheet: e.sheet, message: e.reason });
  if (e.value === '') return t('ledger.preview.error_line_empty', { sheet: e.sheet, row: e.row, column: e.column, reason: e.reason });
  return t('ledger.preview.error_line', { sheet: e.sheet, row: e.row, column: e.column, value: e.value, reason: e.reason });
}

export function warningLine(w: LedgerWarning): string {
  const where = w.row ? `${w.sheet} ${w.row}` : w.sheet;
  return t('ledger.preview.warning_line', { sheet: where, message: w.message });
}

function countLines(s: PlanSummary): string[] {
  return SHEET_IDS.filter((id) => s.counts[id]).map((id) => t('ledger.preview.counts_line', { sheet: sheetLabel(id), ...s.counts[id]! }));
}

/**
 * The plan as text, card- and terminal-friendly: counts per sheet, then the first errors (or that it is ready),
 * then the first warnings.
 */
export function previewText(plan: ImportPlan, limits: { errors?: number; warnings?: number } = {}): string {
  const s = planSummary(plan, limits);
  const lines = [t('ledger.preview.title', { file: s.fileName }), ...countLines(s), ''];
  lines.push(...outcomeLines(s));
  if (s.warningCount > 0) {
    lines.push('', t('ledger.preview.warnings_head', { count: s.warningCount }), ...s.warnings.map(warningLine));
    if (s.warningCount > s.warnings.length) lines.push(t('ledger.preview.more_warnings', { count: s.warningCount - s.warnings.length }));
  }
  return lines.join('\n');
}

function outcomeLines(s: PlanSummary): string[] {
  if (s.errorCount > 0) {
    const lines = [t('ledger.preview.errors_head', { count: s.errorCount }), ...s.errors.map(errorLine)];
    if (s.errorCount > s.errors.length) lines.push(t('ledger.preview.more_errors', { count: s.errorCount - s.errors.length }));
    return lines;
  }
  return [s.added + s.changed === 0 ? t('ledger.preview.nothing') : t('ledger.preview.ready', { add: s.added, change: s.changed })];
}

/**
 * The preview card for the chat path: counts, the first 10 errors or the confirmation buttons. `confirm` and
 * `cancel` are the callback values the buttons send back (the caller's session id goes in them).
 */
export function previewCard(plan: ImportPlan, actions: { confirm: Json; cancel: Json }): Card {
  const s = planSummary(plan);
  const ok = s.errorCount === 0;
  const elements = [md(countLines(s).join('\n')), hr(), md(outcomeLines(s).join('\n'))];
  if (s.warningCount > 0) {
    const more =
      s.warningCount > s.warnings.length ? [t('ledger.preview.more_warnings', { count: s.warningCount - s.warnings.length })] : [];
    elements.push(note([t('ledger.preview.warnings_head', { count: s.warningCount }), ...s.warnings.map(warningLine), ...more].join('\n')));
  }
  if (ok && s.added + s.changed > 0) {
    elements.push(
      button(t('ledger.preview.confirm'), actions.confirm, { type: 'primary' }),
      button(t('ledger.preview.cancel'), actions.cancel),
    );
  }
  return card({ title: t('ledger.preview.title', { file: s.fileName }), template: ok ? 'blue' : 'red', elements });
}

/** The result line after applyImport. */
export function appliedText(r: ApplyResult): string {
  return t('ledger.applied', { add: r.added, change: r.changed, same: r.same });
}
