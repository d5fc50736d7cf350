// npm run export -- <out.xlsx> [--scope <unit code>]
//
// Writes the five databases (one sheet per stage) from the database named by DATABASE_URL (default ./data/pglite),
// optionally limited to the projects of one unit's subtree.

import { writeFile } from 'node:fs/promises';
import { loadConfig } from '../config.js';
import { migrate, openDb, type DbHandle } from '../store/db.js';
import { unitIdByCode } from '../store/ledger-export.js';
import { t } from '../text.js';
import { exportLedger } from '../ledger/export.js';

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--');
  const scopeAt = args.indexOf('--scope');
  const scopeCode = scopeAt >= 0 ? args[scopeAt + 1] : undefined;
  if (scopeAt >= 0 && !scopeCode) return usage();
  const files = args.filter((a, i) => !a.startsWith('--') && !(scopeAt >= 0 && i === scopeAt + 1));
  if (files.length !== 1) return usage();
  const out = files[0]!;

  const config = loadConfig();
  let handle: DbHandle | undefined;
  try {
    handle = await openDb(config.databaseUrl, { max: 2 });
    await migrate(config.databaseUrl, handle);
    let scopeUnitId: number | undefined;
    if (scopeCode) {
      scopeUnitId = await unitIdByCode(handle.db, scopeCode);
      if (scopeUnitId === undefined) {
        console.error(t('ledger.cli.unknown_scope', { code: scopeCode }));
        return 2;
      }
    }
    const { buffer, count } = await exportLedger(handle.db, { scopeUnitId });
    await writeFile(out, buffer);
    console.log(t('ledger.cli.exported', { count, path: out }));
    return 0;
  } catch (e) {
    console.error(t('ledger.cli.failed', { detail: e instanceof Error ? e.message : String(e) }));
    return 2;
  } finally {
    await handle?.close();
  }
}

function usage(): number {
  console.error(t('ledger.cli.export_usage'));
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
