import { DEDUPE_RETENTION_MS, purgeOlderThan } from '../store/dedupe.js';
import { purgeSentBefore } from '../store/outbox.js';
import type { Job } from './types.js';
import { t } from '../text.js';

/** Sent outbox rows are kept this long for audit, then removed. */
const SENT_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * Daily: forgets de-duplication keys past Lark's last redelivery (kept 7 days) and sent outbox rows past their
 * retention. Failed rows are kept for an operator to look at.
 */
export const housekeeping: Job = {
  name: 'housekeeping',
  description: t('jobs.description.housekeeping'),
  cron: '30 3 * * *',
  due(deps, at) {
    return deps.calendar.today(at);
  },
  async run(deps, at) {
    const now = at;
    const keys = await purgeOlderThan(deps.db, new Date(now.getTime() - DEDUPE_RETENTION_MS), now);
    const rows = await purgeSentBefore(deps.db, new Date(now.getTime() - SENT_RETENTION_MS));
    return { sent: 0, detail: { dedupeKeys: keys, outboxRows: rows } };
  },
};
