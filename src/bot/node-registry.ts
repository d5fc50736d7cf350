import { fullRegistry } from './registry.js';
import type { Registry } from './router.js';
import { importCancel, importConfirm, importFile } from './handlers/import.js';

/**
 * The registry on Node: everything, plus ledger files sent in chat. The ledger reader streams .xlsx through
 * exceljs internals loaded with createRequire, which Workers cannot load, so the Workers entry keeps to
 * fullRegistry() and never bundles it.
 */
export function nodeRegistry(): Registry {
  const r = fullRegistry();
  r.file = importFile;
  Object.assign(r.actions, { import_confirm: importConfirm, import_cancel: importCancel });
  return r;
}
