import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { outbox, processedEvents } from '../../db/schema.js';
import { housekeeping } from '../../src/jobs/housekeeping.js';
import { runJob } from '../../src/jobs/runner.js';
import { createCalendar } from '../../src/domain/calendar.js';
import { silentLogger } from '../../src/log.js';
import { useTestDb } from '../helpers/db.js';
import { type Deps } from '../../src/context.js';

describe('housekeeping', () => {
  const t = useTestDb();

  it('forgets dedupe keys past 7 days and sent outbox rows past 90, keeps the rest, once a day', async () => {
    const now = new Date('2026-11-13T03:30:00+08:00');
    const days = (n: number) => new Date(now.getTime() - n * 86_400_000);
    await t.db.insert(processedEvents).values([
      { key: 'event:old', receivedAt: days(8) },
      { key: 'event:recent', receivedAt: days(6) },
    ]);
    const row = (idemKey: string, status: 'sent' | 'failed' | 'pending', age: number) => ({
      idemKey,
      op: 'create',
      receiveIdType: 'open_id',
      receiveId: 'ou_x',
      msgType: 'text',
      content: { text: 'x' },
      status,
      createdAt: days(age),
    });
    await t.db
      .insert(outbox)
      .values([
        row('sent-old', 'sent', 100),
        row('sent-new', 'sent', 10),
        row('failed-old', 'failed', 100),
        row('pending-old', 'pending', 100),
      ]);
    const deps: Deps = {
      db: t.db,
      clock: new FixedClock(now),
      logger: silentLogger,
      calendar: createCalendar(),
      notifyOutbox: () => {},
    };
    const out = await runJob(deps, housekeeping, now);
    expect(out).toMatchObject({ status: 'done', result: { detail: { dedupeKeys: 1, outboxRows: 1 } } });
    expect((await t.db.select().from(processedEvents)).map((r) => r.key)).toEqual(['event:recent']);
    expect((await t.db.select().from(outbox)).map((r) => r.idemKey).sort()).toEqual(['failed-old', 'pending-old', 'sent-new']);
    expect((await runJob(deps, housekeeping, now)).status).toBe('already_done');
  });
});
