import { fullRegistry, type Registry } from './registry.js';
import { importCancel, importConfirm, importFile, importResume } from './handlers/import.js';

/**
 * The registry on Node: everything, plus ledger files sent in chat (Node only: see `LedgerChat` in
 * registry.ts). The Workers entry keeps to fullRegistry() and never bundles this file.
 */
export function nodeRegistry(): Registry {
  return fullRegistry({ file: importFile, confirm: importConfirm, cancel: importCancel, resume: importResume });
}
