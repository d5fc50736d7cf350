import type { Clock } from './clock.js';
import type { WorkCalendar } from './domain/calendar.js';
import type { Logger } from './log.js';
import type { BotMetrics } from './ops/metrics.js';
import type { Db } from './store/db.js';
import type { Extractor } from './report/extract/types.js';

/** What every handler and job gets: services in, no globals. */
export interface Deps {
  db: Db;
  clock: Clock;
  logger: Logger;
  calendar: WorkCalendar;
  /**
   * Brings `calendar` up to date when its version stamp moved (holidays entered on any instance); cheap. Given the
   * stamp read already (folded into another query), it makes no round trip unless the stamp moved.
   */
  refreshCalendar?: (knownVersion?: number) => Promise<void>;
  /** Wakes the outbox sender after a transaction that enqueued messages has committed. */
  notifyOutbox: () => void;
  /**
   * The bot's own open_id when known (tells its mention apart from others in a group). Set by whoever builds
   * the deps (the runtime: given, or learned once from Lark), never assigned afterwards.
   */
  readonly botOpenId?: string;
  /** Reads a sentence of progress into form fields (issue 19): the rules, or a model merged with them; default the rules. */
  extractor?: Extractor;
  /**
   * How long deferred work a crash may strand (a confirmed ledger import) holds its claim before the inbox sweep
   * may take it over; renewed while it works. The inbox's own lease (INBOX_LEASE_MS); default 10 s.
   */
  workLeaseMs?: number;
  /** What the bot counts (GET /metrics); absent where nothing is served (CLI, pure unit tests). */
  metrics?: BotMetrics;
  /** Lark calls that are not sends (file download for imports); absent in pure unit tests. */
  lark?: {
    downloadMessageResource(messageId: string, fileKey: string, type?: 'file' | 'image'): Promise<Buffer>;
    batchGetIdByMobiles(mobiles: string[]): Promise<{ key: string; openId: string | null }[]>;
    batchGetIdByEmails(emails: string[]): Promise<{ key: string; openId: string | null }[]>;
  };
}
