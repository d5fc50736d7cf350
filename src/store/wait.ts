import { sql } from 'drizzle-orm';
import { isPostgresUrl, openDb, type DbHandle } from './db.js';

export interface WaitOptions {
  /** One line per failed attempt: the attempt, the reason and when the next one comes. */
  onRetry: (info: { attempt: number; reason: string; retryInMs: number }) => void;
  /** Delay after the first failure; doubles each time up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** The reason in one line, without the stack (ECONNREFUSED, a DNS failure, a refused password…). */
function reasonOf(err: unknown): string {
  const e = err as { code?: string; message?: string; errors?: { message?: string }[] };
  const inner = e.errors?.[0]?.message;
  return [e.code, inner ?? e.message].filter(Boolean).join(' ') || String(err);
}

/**
 * Opens PostgreSQL once it answers, retrying with capped exponential backoff: a bot started before its database
 * (a reboot, a container ordering) waits instead of exiting on ECONNREFUSED with a stack trace. PGlite opens at
 * once or fails for good (a folder problem is not transient), so it is not retried.
 */
export async function openDbWhenReady(url: string, opts: WaitOptions): Promise<DbHandle> {
  if (!isPostgresUrl(url)) return openDb(url);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const first = opts.firstDelayMs ?? 500;
  const max = opts.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    const handle = await openDb(url);
    try {
      await handle.db.execute(sql`select 1`);
      return handle;
    } catch (err) {
      await handle.close().catch(() => {});
      const retryInMs = Math.min(max, first * 2 ** (attempt - 1));
      opts.onRetry({ attempt, reason: reasonOf(err), retryInMs });
      await sleep(retryInMs);
    }
  }
}
