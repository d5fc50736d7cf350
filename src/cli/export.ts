// npm run export -- <out.xlsx> [--scope <unit code>]
// npm run export -- --year 2026 [out.xlsx] [--scope <unit code>]: the annual assessment, as the year card shows it.
//
// Writes the five databases (one sheet per stage) from the database named by DATABASE_URL (default ./data/pglite),
// optionally limited to the projects of one unit's subtree.

import { writeFile } from 'node:fs/promises';
import { unitIdByCode } from '../store/ledger-export.js';
import { t } from '../text.js';
import { exportLedger } from '../ledger/export.js';
import { exportYear } from '../status/year.js';
import { usage as usageOf, withLedgerDb } from './ledger-db.js';

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--');
  const scopeAt = args.indexOf('--scope');
  const scopeCode = scopeAt >= 0 ? args[scopeAt + 1] : undefined;
  if (scopeAt >= 0 && !scopeCode) return usage();
  const yearAt = args.indexOf('--year');
  const yearText = yearAt >= 0 ? args[yearAt + 1] : undefined;
  const files = args.filter((a, i) => !a.startsWith('--') && !(scopeAt >= 0 && i === scopeAt + 1) && !(yearAt >= 0 && i === yearAt + 1));
  if (yearAt >= 0) {
    if (!yearText || !/^\d{4}$/.test(yearText)) {
      console.error(t('year.cli.bad_year'));
      return 2;
    }
    if (files.length > 1) return usage();
    const out = files[0] ?? `assessment-${yearText}.xlsx`;
    return withLedgerDb(async (db) => {
      const r = await exportYear(db, Number(yearText), scopeCode);
      if (!r) {
        console.error(t('ledger.cli.unknown_scope', { code: scopeCode ?? '' }));
        return 2;
      }
      await writeFile(out, r.buffer);
      console.log(t('year.cli.exported', { year: Number(yearText), scope: r.scope, path: out }));
      return 0;
    });
  }
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
