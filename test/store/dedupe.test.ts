import { describe, expect, it } from 'vitest';
import { schema } from '../../src/store/db.js';
import { DEDUPE_RETENTION_MS, eventKey, firstSeen, forget, messageKey, purgeOlderThan } from '../../src/store/dedupe.js';
import { useTestDb } from '../helpers/db.js';

const DAY = 24 * 60 * 60 * 1000;

describe('dedupe store', () => {
  const t = useTestDb();

  it('says first-seen once per key, durably', async () => {
    expect(await firstSeen(t.db, eventKey('ev_1'))).toBe(true);
    expect(await firstSeen(t.db, eventKey('ev_1'))).toBe(false);
    expect(await firstSeen(t.db, messageKey('om_1'))).toBe(true);
    expect(await firstSeen(t.db, messageKey('ev_1'))).toBe(true);
    expect(await t.db.select().from(schema.processedEvents)).toHaveLength(3);
  });

  it('answers once under concurrent deliveries of the same event', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => firstSeen(t.db, 'event:same')));
    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  it('forgets a key so a redelivery gets another chance', async () => {
    await firstSeen(t.db, 'event:e');
    await forget(t.db, 'event:e');
    expect(await firstSeen(t.db, 'event:e')).toBe(true);
  });

  it('purges old keys but always keeps the last seven days', async () => {
    const now = new Date('2026-03-10T00:00:00Z');
    await firstSeen(t.db, 'event:old', new Date(now.getTime() - 8 * DAY));
    await firstSeen(t.db, 'event:six-days', new Date(now.getTime() - 6 * DAY));
    await firstSeen(t.db, 'event:today', now);

    // asking to purge everything older than an hour is clamped to seven days
    expect(await purgeOlderThan(t.db, new Date(now.getTime() - 3600_000), now)).toBe(1);
    const left = (await t.db.select().from(schema.processedEvents)).map((r) => r.key).sort();
    expect(left).toEqual(['event:six-days', 'event:today']);
    expect(DEDUPE_RETENTION_MS).toBe(7 * DAY);

    const later = new Date(now.getTime() + 2 * DAY);
    expect(await purgeOlderThan(t.db, new Date(later.getTime() - 7 * DAY), later)).toBe(1);
  });
});
