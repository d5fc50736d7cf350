// npm run export -- <out.xlsx> [--scope <unit code>]
//
// Writes the five databases (one sheet per stage) from the database named by DATABASE_URL (default ./data/pglite),
// optionally limited to the projects of one unit's subtree.

import { writeFile } from 'node:fs/promises';
import { unitIdByCode } from '../store/ledger-export.js';
import { t } from '../text.js';
import { exportLedger } from '../ledger/export.js';
import { usage as usageOf, withLedgerDb } from './ledger-db.js';

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--');
  const scopeAt = args.indexOf('--scope');
  const scopeCode = scopeAt >= 0 ? args[scopeAt + 1] : undefined;
  if (scopeAt >= 0 && !scopeCode) return usage();
  const files = args.filter((a, i) => !a.startsWith('--') && !(scopeAt >= 0 && i === scopeAt + 1));
  if (files.length !== 1) return usage();
  const out = files[0]!;

  return withLedgerDb(async (db) => {
    let scopeUnitId: number | undefined;
    if (scopeCode) {
      scopeUnitId = await unitIdByCode(db, scopeCode);
      if (scopeUnitId === undefined) {
        console.error(t('ledger.cli.unknown_scope', { code: scopeCode }));
        return 2;
      }
    }
    const { buffer, count } = await exportLedger(db, { scopeUnitId });
    await writeFile(out, buffer);
    console.log(t('ledger.cli.exported', { count, path: out }));
    return 0;
  });
}

const usage = () => usageOf('ledger.cli.export_usage');

process.exitCode = await main(process.argv.slice(2));
