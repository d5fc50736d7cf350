// npm run import -- <file.xlsx|file.csv>        check the ledger, print the report, import it when clean
// npm run import -- --dry-run <file>            check and report only
// npm run import -- --template <out.xlsx>       write the documented template with example rows
//
// Opens the database named by DATABASE_URL (default ./data/pglite). Exit status: 0 imported (or nothing to do),
// 1 the file has problems (nothing written), 2 wrong usage or the command failed.

import { existsSync } from 'node:fs';
import { systemClock } from '../clock.js';
import { createLarkClient } from '../lark/client.js';
import { createLogger } from '../log.js';
import { resolveLarkIds } from '../ledger/resolve.js';
import { decodeEntities, t } from '../text.js';
import { appliedText, applyImport, LedgerImportRejected, planImportFile, planSummary, previewText } from '../ledger/import.js';
import { writeTemplate } from '../ledger/template.js';
import { usage as usageOf, withLedgerDb } from './ledger-db.js';

/** A terminal renders no markup: the rendered texts' entities are shown as their characters. */
const print = (text: string): void => console.log(decodeEntities(text));
const printError = (text: string): void => console.error(decodeEntities(text));

/** Enough for a terminal; the chat preview shows 10. */
const CLI_LIMITS = { errors: 200, warnings: 50 };

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--');
  if (args[0] === '--template') {
    const out = args[1];
    if (!out) return usage();
    await writeTemplate(out);
    print(t('ledger.cli.template_written', { path: out }));
    return 0;
  }
  const dryRun = args.includes('--dry-run');
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length !== 1) return usage();
  const file = files[0]!;
  if (!existsSync(file)) {
    printError(t('ledger.cli.file_not_found', { path: file }));
    return 2;
  }

  return withLedgerDb(
    async (db, config) => {
      // The operator, on the server, may import anything (an admin's ledger in chat is scoped to their remit).
      const plan = await planImportFile(db, file, 'operator');
      print(previewText(plan, CLI_LIMITS));
      if (plan.errors.length > 0) return 1;
      if (dryRun) {
        console.log(t('ledger.cli.dry_run'));
        return 0;
      }
      const summary = planSummary(plan);
      if (summary.added + summary.changed === 0) return 0;
      const result = await applyImport(db, plan, { now: systemClock.now() });
      print(appliedText(result));
      if (!config.lark.emulated) {
        // With a real Lark app: people without an account id are matched by mobile or email.
        const lark = createLarkClient(
          { appId: config.lark.appId, appSecret: config.lark.appSecret, domain: config.lark.domain },
          { logger: createLogger('warn') },
        );
        const ids = await resolveLarkIds(db, lark, systemClock.now());
        if (ids.resolved > 0) print(t('bot.import_resolved', { count: ids.resolved }));
        if (ids.unresolved.length > 0) {
          print(t('bot.import_unresolved', { count: ids.unresolved.length, names: ids.unresolved.map((p) => p.name).join('、') }));
        }
      }
      return 0;
    },
    (e) => {
      if (!(e instanceof LedgerImportRejected)) return undefined;
      printError(e.message);
      return 1;
    },
  );
}

const usage = () => usageOf('ledger.cli.import_usage');

process.exitCode = await main(process.argv.slice(2));
