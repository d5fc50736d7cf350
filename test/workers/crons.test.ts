import { readFileSync } from 'node:fs';
import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { allJobs } from '../../src/jobs/index.js';
import { cronMatches, offsetsOf, OUTBOX_SWEEP_CRON, parseCron, toUtcCrons, workerCrons } from '../../src/jobs/cron.js';
import { expectedCrons, timeZoneOf, tomlCrons, WRANGLER_TOML } from '../../scripts/worker-crons.js';

const toml = readFileSync(WRANGLER_TOML, 'utf8');
const tz = timeZoneOf(toml);

describe('wrangler.toml Cron Triggers', () => {
  it('are exactly the jobs’ crons converted from BOT_TIMEZONE to UTC, plus the outbox sweep', () => {
    // On failure: `npx tsx scripts/worker-crons.ts` prints the list to paste into wrangler.toml.
    expect([...tomlCrons(toml)].sort()).toEqual([...expectedCrons(tz)].sort());
    expect(tomlCrons(toml)).toContain(OUTBOX_SWEEP_CRON);
  });

  it('fire at every minute a job is scheduled, and each job trigger serves some job (two weeks, minute by minute)', () => {
    const jobs = allJobs().map((j) => ({ name: j.name, spec: parseCron(j.cron) }));
    const triggers = tomlCrons(toml)
      .filter((c) => c !== OUTBOX_SWEEP_CRON)
      .map((c) => ({ cron: c, spec: parseCron(c), used: false }));
    const start = Date.UTC(2026, 10, 9); // a Monday
    for (let t = start; t < start + 14 * 86_400_000; t += 60_000) {
      const at = new Date(t);
      const due = jobs.filter((j) => cronMatches(j.spec, at, tz));
      const firing = triggers.filter((tr) => cronMatches(tr.spec, at, 'UTC'));
      if (due.length > 0) expect(firing.length, `${due.map((j) => j.name).join(', ')} at ${at.toISOString()}`).toBeGreaterThan(0);
      for (const tr of firing) if (due.length > 0) tr.used = true;
    }
    expect(triggers.filter((tr) => !tr.used).map((tr) => tr.cron)).toEqual([]);
  });

  it('are valid cron expressions for node-cron too (the jobs’ own syntax)', () => {
    for (const c of tomlCrons(toml)) expect(cron.validate(c), c).toBe(true);
  });
});

describe('src/jobs/cron.ts', () => {
  it('reads numbers, ranges, steps and lists, and refuses what it does not know', () => {
    expect(parseCron('*/15 9-17/4 1,15 * 1-5')).toMatchObject({
      minutes: [0, 15, 30, 45],
      hours: [9, 13, 17],
      daysOfMonth: [1, 15],
      daysOfWeek: [1, 2, 3, 4, 5],
      any: { dom: false, month: true, dow: false },
    });
    expect(parseCron('0 0 * * 7').daysOfWeek).toEqual([0]);
    expect(() => parseCron('0 9 * * MON')).toThrow(/cannot read/);
    expect(() => parseCron('0 0 9 * * *')).toThrow(/5 fields/);
    expect(() => parseCron('60 9 * * *')).toThrow(/out of range/);
  });

  it('matches an instant in the job’s time zone', () => {
    expect(cronMatches('0 9 * * *', new Date('2026-11-13T01:00:00Z'), 'Asia/Shanghai')).toBe(true);
    expect(cronMatches('0 9 * * *', new Date('2026-11-13T01:00:59Z'), 'Asia/Shanghai')).toBe(true);
    expect(cronMatches('0 9 * * *', new Date('2026-11-13T09:00:00Z'), 'Asia/Shanghai')).toBe(false);
    expect(cronMatches('0 9 * * 5', new Date('2026-11-13T01:00:00Z'), 'Asia/Shanghai')).toBe(true); // a Friday there
  });

  it('converts Beijing time to UTC, across midnight with the weekday shifted', () => {
    expect(toUtcCrons('0 9 * * *', 'Asia/Shanghai')).toEqual(['0 1 * * *']);
    expect(toUtcCrons('30 7 * * 1-5', 'Asia/Shanghai')).toEqual(['30 23 * * 0,1,2,3,4']);
    expect(toUtcCrons('15 9,20 * * *', 'Asia/Shanghai')).toEqual(['15 1,12 * * *']);
  });

  it('covers both offsets of a zone with daylight saving time', () => {
    expect(offsetsOf('America/New_York', new Date('2026-06-01T00:00:00Z'))).toEqual([-300, -240]);
    expect(toUtcCrons('0 9 * * *', 'America/New_York', new Date('2026-06-01T00:00:00Z'))).toEqual(['0 13,14 * * *']);
    expect(() => toUtcCrons('0 9 1 * *', 'Asia/Shanghai')).toThrow(/only daily or weekday/);
  });

  it('merges jobs at the same minute into one trigger (Workers Free allows 5 per account)', () => {
    expect(workerCrons(['0 9 * * *', '0 10 * * *', '30 9 * * *'], 'Asia/Shanghai', [OUTBOX_SWEEP_CRON])).toEqual([
      '0 1,2 * * *',
      '30 1 * * *',
      OUTBOX_SWEEP_CRON,
    ]);
  });
});
