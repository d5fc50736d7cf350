// What the ledger commands (export.ts, import.ts) share: the database they work on, the failure and usage exits.

import { loadConfig, type Config } from '../config.js';
import { migrate, openDb, type Db, type DbHandle } from '../store/db.js';
import { decodeEntities, t } from '../text.js';
import type { TemplateKey } from '../../prompts/index.js';

/**
 * Runs a command against the database named by DATABASE_URL (default ./data/pglite), migrated, on a small pool,
 * and closes it after. A failure prints its message and exits 2, unless `known` gives it another exit status.
 */
export async function withLedgerDb(
  run: (db: Db, config: Config) => Promise<number>,
  known: (e: unknown) => number | undefined = () => undefined,
): Promise<number> {
  const config = loadConfig();
  let handle: DbHandle | undefined;
  try {
    handle = await openDb(config.databaseUrl, { max: 2 });
    await migrate(config.databaseUrl, handle);
    return await run(handle.db, config);
  } catch (e) {
    const status = known(e);
    if (status !== undefined) return status;
    console.error(decodeEntities(t('ledger.cli.failed', { detail: e instanceof Error ? e.message : String(e) })));
    return 2;
  } finally {
    await handle?.close();
  }
}

/** Prints the command's usage and exits 2. */
export function usage(key: TemplateKey): number {
  console.error(t(key));
  return 2;
}
