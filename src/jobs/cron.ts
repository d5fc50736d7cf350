/*
 * Just enough cron for the Workers entry, which has no node-cron: match a job's 5-field expression against an
 * instant in BOT_TIMEZONE, and derive the UTC Cron Triggers that wrangler.toml must list (Cloudflare fires
 * them in UTC). Pure and node-free, so it is bundled into the worker; scripts/worker-crons.ts and
 * test/workers/crons.test.ts use the same functions to keep wrangler.toml from drifting.
 *
 * Supported: `*`, numbers, ranges `a-b`, steps `*\/n` and `a-b/n`, lists — what our jobs use. Names (MON, JAN),
 * `L`, `#` and a seconds field are refused rather than guessed. Day fields combine with AND, as node-cron 4
 * does (all our jobs leave them `*`).
 */

export interface CronSpec {
  minutes: number[];
  hours: number[];
  daysOfMonth: number[];
  months: number[];
  /** 0 = Sunday … 6 = Saturday (7 is read as Sunday) */
  daysOfWeek: number[];
  /** which of day-of-month, month, day-of-week were `*` */
  any: { dom: boolean; month: boolean; dow: boolean };
}

const BOUNDS: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

function field(text: string, [lo, hi]: [number, number], expr: string): number[] {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`cron "${expr}": cannot read "${part}" (only numbers, ranges, steps and lists)`);
    const from = m[1] === '*' ? lo : Number(m[2]);
    const to = m[1] === '*' ? hi : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? hi : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < lo || to > hi || from > to || step < 1) throw new Error(`cron "${expr}": "${part}" is out of range ${lo}-${hi}`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

export function parseCron(expr: string): CronSpec {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron "${expr}": expected 5 fields (minute hour day month weekday)`);
  const [mi, h, dom, mo, dow] = parts as [string, string, string, string, string];
  return {
    minutes: field(mi, BOUNDS[0]!, expr),
    hours: field(h, BOUNDS[1]!, expr),
    daysOfMonth: field(dom, BOUNDS[2]!, expr),
    months: field(mo, BOUNDS[3]!, expr),
    daysOfWeek: [...new Set(field(dow, BOUNDS[4]!, expr).map((d) => d % 7))].sort((a, b) => a - b),
    any: { dom: dom === '*', month: mo === '*', dow: dow === '*' },
  };
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock reading of `at` in `timeZone`. */
export function wallTime(at: Date, timeZone: string): WallTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const { type, value } of f.formatToParts(at)) if (type !== 'literal') p[type] = Number(value);
  const year = p.year!;
  const month = p.month!;
  const day = p.day!;
  return { year, month, day, hour: p.hour!, minute: p.minute!, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

/** Whether `expr` fires at the minute holding `at`, read in `timeZone`. */
export function cronMatches(expr: string | CronSpec, at: Date, timeZone: string): boolean {
  const s = typeof expr === 'string' ? parseCron(expr) : expr;
  const w = wallTime(at, timeZone);
  return (
    s.minutes.includes(w.minute) &&
    s.hours.includes(w.hour) &&
    s.daysOfMonth.includes(w.day) &&
    s.months.includes(w.month) &&
    s.daysOfWeek.includes(w.weekday)
  );
}

/** Minutes east of UTC of `timeZone` at `at` (Asia/Shanghai: 480). */
export function offsetMinutes(at: Date, timeZone: string): number {
  const w = wallTime(at, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** Every UTC offset `timeZone` uses in the year of `around` and the next (two for a zone with DST). */
export function offsetsOf(timeZone: string, around: Date = new Date()): number[] {
  const year = around.getUTCFullYear();
  const seen = new Set<number>();
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 2, 0, 1); t += 12 * 3600_000) seen.add(offsetMinutes(new Date(t), timeZone));
  return [...seen].sort((a, b) => a - b);
}

/**
 * The UTC cron expressions that fire at least whenever `expr` fires in `timeZone`. For a zone with DST this
 * is the union over its offsets, so some triggers find nothing to do (the worker matches each trigger's
 * scheduledTime against the job's own expression in BOT_TIMEZONE). Jobs restricted by day of month or month
 * cannot be shifted across midnight safely and are refused: convert those by hand.
 */
export function toUtcCrons(expr: string, timeZone: string, around?: Date): string[] {
  const s = parseCron(expr);
  if (!s.any.dom || !s.any.month) {
    throw new Error(`cron "${expr}": only daily or weekday schedules can be converted to UTC automatically`);
  }
  // (day shift, UTC minute of the day) for every firing minute of the day and every offset
  const fires: { shift: number; minute: number; hour: number }[] = [];
  for (const offset of offsetsOf(timeZone, around)) {
    for (const h of s.hours) {
      for (const m of s.minutes) {
        const utc = h * 60 + m - offset;
        const shift = Math.floor(utc / 1440);
        const mod = utc - shift * 1440;
        fires.push({ shift: s.any.dow ? 0 : shift, hour: Math.floor(mod / 60), minute: mod % 60 });
      }
    }
  }
  // One expression per (weekday set, minute), listing its hours: fewer triggers (Workers Free allows 5 per account).
  const groups = new Map<string, Set<number>>();
  for (const f of fires) {
    const dow = s.any.dow
      ? '*'
      : s.daysOfWeek
          .map((d) => (((d + f.shift) % 7) + 7) % 7)
          .sort((a, b) => a - b)
          .join(',');
    const key = `${f.minute}|${dow}`;
    const hours = groups.get(key) ?? new Set<number>();
    hours.add(f.hour);
    groups.set(key, hours);
  }
  return [...groups].map(([key, hours]) => {
    const [minute, dow] = key.split('|') as [string, string];
    return `${minute} ${[...hours].sort((a, b) => a - b).join(',')} * * ${dow}`;
  });
}

/**
 * The Cron Triggers for a set of job expressions: each job's UTC expressions, merged by minute and weekday so
 * that jobs at different hours of the same minute share one trigger, plus any extra (the outbox sweep).
 */
export function workerCrons(jobCrons: string[], timeZone: string, extra: string[] = [], around?: Date): string[] {
  const groups = new Map<string, Set<number>>();
  for (const c of jobCrons.flatMap((j) => toUtcCrons(j, timeZone, around))) {
    const [minute, hours, , , dow] = c.split(' ') as [string, string, string, string, string];
    const key = `${minute}|${dow}`;
    const set = groups.get(key) ?? new Set<number>();
    for (const h of hours.split(',')) set.add(Number(h));
    groups.set(key, set);
  }
  const merged = [...groups]
    .map(([key, hours]) => {
      const [minute, dow] = key.split('|') as [string, string];
      return `${minute} ${[...hours].sort((a, b) => a - b).join(',')} * * ${dow}`;
    })
    .sort();
  return [...merged, ...extra.filter((e) => !merged.includes(e))];
}

/**
 * The Workers entry's extra trigger: it runs no job, it only sends what the outbox still holds (a retry that
 * Lark asked us to delay, a send cut short by the end of an invocation). Node's sender loop needs no such thing.
 */
export const OUTBOX_SWEEP_CRON = '*/5 * * * *';
