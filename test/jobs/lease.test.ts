/**
 * Issue 14, case 5: a job run holds a lease stamped with the database's clock and renewed while it runs. A run
 * whose process died stops renewing; its lease lapses and the next trigger takes it over, sending only what the
 * dead run had not queued. A live run is never taken over, whatever the injected clock says.
 */
import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { jobRuns, outbox } from '../../db/schema.js';
import { FixedClock } from '../../src/clock.js';
import { createCalendar } from '../../src/domain/calendar.js';
import { runJob } from '../../src/jobs/runner.js';
import type { Job } from '../../src/jobs/types.js';
import { silentLogger } from '../../src/log.js';
import { claimRun } from '../../src/store/runs.js';
import { enqueueAll } from '../../src/store/messages.js';
import type { Deps } from '../../src/context.js';
import { useTestDb } from '../helpers/db.js';

const LEASE = 300;
const RECIPIENTS = ['ou_lin_1', 'ou_lin_2', 'ou_lin_3', 'ou_lin_4'];
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A reminder-like job: one card per recipient keyed (job, period, recipient); `pause` holds it mid-run. */
function reminderJob(pause = 0): Job {
  return {
    name: 'lease_probe',
    description: 'test',
    cron: '0 9 * * *',
    due: () => '2027-03:r1',
    async run(deps, _at, key) {
      let sent = 0;
      for (const to of RECIPIENTS) {
        sent += await deps.db.transaction((tx) =>
          enqueueAll(tx, [{ to: 'user', openId: to, content: { msgType: 'text', text: '请填报' }, key: `lease_probe:${key}:${to}` }]),
        );
        if (pause) await wait(pause);
      }
      return { sent };
    },
  };
}

describe('job leases', () => {
  const t = useTestDb();
  // The injected clock is a year off on purpose: `job --at` fixes it, and leases must not follow it.
  const deps = (): Deps => ({
    db: t.db,
    clock: new FixedClock('2027-03-01T01:00:00Z'),
    logger: silentLogger,
    calendar: createCalendar({ timeZone: 'Asia/Shanghai' }),
    notifyOutbox: () => {},
  });

  it('takes over a dead run once its lease lapsed, and sends each reminder once', async () => {
    const d = deps();
    // The dead process claimed the run and queued the first two reminders, then was killed (no renewal).
    expect(await claimRun(t.db, 'lease_probe', '2027-03:r1', d.clock.now(), LEASE)).toBe(true);
    await t.db.transaction((tx) =>
      enqueueAll(
        tx,
        RECIPIENTS.slice(0, 2).map((to) => ({
          to: 'user' as const,
          openId: to,
          content: { msgType: 'text' as const, text: '请填报' },
          key: `lease_probe:2027-03:r1:${to}`,
        })),
      ),
    );
    // at once: held
    expect((await runJob(d, reminderJob(), d.clock.now(), { leaseMs: LEASE })).status).toBe('running_elsewhere');
    await wait(LEASE + 200);
    const outcome = await runJob(d, reminderJob(), d.clock.now(), { leaseMs: LEASE });
    expect(outcome).toMatchObject({ status: 'done', result: { sent: 2 } });
    const rows = await t.db.select({ to: outbox.receiveId }).from(outbox);
    expect(rows.map((r) => r.to).sort()).toEqual(RECIPIENTS);
    expect((await runJob(d, reminderJob(), d.clock.now(), { leaseMs: LEASE })).status).toBe('already_done');
    const [run] = await t.db.select().from(jobRuns).where(eq(jobRuns.job, 'lease_probe'));
    expect(run).toMatchObject({ status: 'done', leaseUntil: null });
  });

  it('never takes over a live run: the running process renews its lease past its first term', async () => {
    const d = deps();
    const live = runJob(d, reminderJob(LEASE / 2), d.clock.now(), { leaseMs: LEASE }); // runs for 2 leases
    await wait(LEASE + 100);
    expect((await runJob(d, reminderJob(), d.clock.now(), { leaseMs: LEASE })).status).toBe('running_elsewhere');
    expect((await live).status).toBe('done');
    const n = await t.db.select({ n: sql<number>`count(*)::int` }).from(outbox);
    expect(n[0]!.n).toBe(RECIPIENTS.length);
  });

  it('stamps the lease with the database clock, not the injected one', async () => {
    const d = deps();
    await claimRun(t.db, 'lease_probe', '2027-03:r1', new Date('1999-01-01T00:00:00Z'), 60_000);
    const [row] = await t.db
      .select({ ahead: sql<boolean>`${jobRuns.leaseUntil} > now() + interval '50 seconds'` })
      .from(jobRuns)
      .where(and(eq(jobRuns.job, 'lease_probe')));
    expect(row!.ahead).toBe(true);
    // a far-future injected clock does not make it stale
    expect((await runJob({ ...d, clock: new FixedClock('2035-01-01T00:00:00Z') }, reminderJob(), d.clock.now())).status).toBe(
      'running_elsewhere',
    );
  });
});
