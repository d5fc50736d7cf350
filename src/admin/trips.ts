import { mayRecordTrip } from '../domain/permissions.js';
import { readDate } from '../domain/dates.js';
import type { CalendarDate } from '../domain/calendar.js';
import { audit } from '../store/audit.js';
import { unitById, type Person } from '../store/directory.js';
import { enqueueAll } from '../store/messages.js';
import {
  deleteTrip,
  insertTrip,
  leaderTripsRecordedSince,
  sameTripExists,
  tripsOfLeaderYear,
  tripsOfUnitYear,
  updateTrip,
  type Trip,
} from '../store/trips.js';
import { startOfDay } from '../status/time.js';
import { t, tm } from '../text.js';
import { dateErrorText, dateLabel } from '../words.js';
import type { Deps } from '../context.js';
import { say, type Answer, type Asked } from './answer.js';

/** A trailing word that looks like a date someone mistyped (digits with date separators or 月/日/号), not a place. */
const DATE_LIKE = /^[\d０-９]{1,4}([-/.年月][\d０-９]{1,2}([-/.月][\d０-９]{1,2})?)?[日号]?$/;

/**
 * Splits `目的地 开始日期 [结束日期]`: dates are the trailing words that read as dates the way officers write them
 * (`11月25日`, `25日`, `昨天`, `上周三`, `2026-11-25`; src/domain/dates.ts readDate, leaning to the past: a trip
 * is recorded after it happened).
 */
export function parseTripArgs(args: string, today: CalendarDate): { destination: string; dates: CalendarDate[]; bad: string | null } {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const dates: CalendarDate[] = [];
  while (words.length > 1 && dates.length < 2) {
    const last = words[words.length - 1]!;
    const d = readDate(last, today, 'past');
    if (!d.ok) {
      // A trailing word made of digits and date separators that is not a real date is a typo, not a place.
      if (DATE_LIKE.test(last)) return { destination: '', dates: [], bad: last };
      break;
    }
    dates.unshift(d.date);
    words.pop();
  }
  // `/trip 11月25日` alone: a date and no destination.
  if (words.length === 1 && dates.length === 0) {
    const d = readDate(words[0]!, today, 'past');
    if (d.ok) return { destination: '', dates: [d.date], bad: null };
  }
  return { destination: words.join(' '), dates, bad: null };
}

const WITHDRAW = /^(撤回|撤销|删除|withdraw)$/i;
const CORRECT = /^(更正|修改|改正|correct)$/i;

/**
 * `/trip 目的地 日期 [结束日期]`: records an outbound investment-promotion trip (外出招商) led by the sender, for
 * the sender's unit. It counts for that leader and that unit only: 001 二.二 "各县区政府、辽源高新区管委会主要负责同志
 * …每人每年带队外出招商5次以上" counts per person, so a trip a county bureau's leader led is the bureau's, never the
 * county's. `/trip 更正 目的地 日期` corrects, `/trip 撤回` withdraws, the sender's latest trip recorded this month.
 */
export async function recordTrip(deps: Deps, asked: Asked, person: Person, args: string): Promise<Answer> {
  if (!mayRecordTrip(person)) return say(asked, t('status.trip.not_allowed'));
  const unit = person.unitId ? await unitById(deps.db, person.unitId) : undefined;
  if (!unit) return say(asked, t('status.trip.no_unit'));
  const now = deps.clock.now();
  const today = deps.calendar.today(now);
  const [first, ...rest] = args.trim().split(/\s+/);
  if (first && WITHDRAW.test(first)) return withdrawTrip(deps, asked, person, now, today);
  const correcting = !!first && CORRECT.test(first);
  const parsed = parseTripArgs(correcting ? rest.join(' ') : args, today);
  if (parsed.bad) return say(asked, `${dateErrorText({ code: 'invalid', input: parsed.bad })}\n${t('status.trip.usage')}`);
  if (!parsed.destination) return say(asked, t(correcting ? 'status.trip.correct_usage' : 'status.trip.no_destination'));
  if (parsed.dates.length === 0) {
    return say(
      asked,
      t(correcting ? 'status.trip.correct_usage' : 'status.trip.no_date', { destination: parsed.destination.slice(0, 100) }),
    );
  }
  const startedOn = parsed.dates[0]!;
  const endedOn = parsed.dates[1] ?? null;
  if (startedOn > today) return say(asked, t('status.trip.future', { date: dateLabel(startedOn) }));
  // A trip counts toward this year's target: one before the reporting year began (0001-01-01) is a typo.
  if (startedOn < `${today.slice(0, 4)}-01-01`) {
    return say(asked, t('status.trip.outside_year', { date: dateLabel(startedOn), year: today.slice(0, 4) }));
  }
  if (endedOn && endedOn < startedOn) {
    return say(asked, t('status.trip.end_before_start', { start: dateLabel(startedOn), end: dateLabel(endedOn) }));
  }
  const trip = { unitId: unit.id, leaderId: person.id, destination: parsed.destination.slice(0, 100), startedOn, endedOn };
  const year = startedOn.slice(0, 4);
  const enqueued = await deps.db.transaction(async (tx) => {
    let before: Trip | undefined;
    if (correcting) {
      before = (await leaderTripsRecordedSince(tx, person.id, monthStart(deps, today)))[0];
      if (!before) return enqueueAll(tx, say(asked, t('status.trip.nothing_this_month')));
    }
    if (await sameTripExists(tx, trip, before?.id)) {
      return enqueueAll(tx, say(asked, t('status.trip.duplicate', { destination: trip.destination, date: dateLabel(startedOn) })));
    }
    if (before) {
      const after = { destination: trip.destination, startedOn, endedOn };
      await updateTrip(tx, before.id, after);
      await audit(tx, { at: now, actorId: person.id, action: 'trip.correct', entity: 'trip', entityId: before.id, before, after });
    } else {
      const row = await insertTrip(tx, { ...trip, createdAt: now });
      await audit(tx, { at: now, actorId: person.id, action: 'trip.create', entity: 'trip', entityId: row.id, before: null, after: trip });
    }
    const mine = await tripsOfLeaderYear(tx, unit.id, person.id, year);
    const unitCount = await tripsOfUnitYear(tx, unit.id, year);
    const counts = { leader: person.name, unit: unit.name, year: Number(year), mine, count: unitCount };
    const text = before
      ? t('status.trip.corrected', {
          was: tm('status.trip.label', { date: dateLabel(before.startedOn), destination: before.destination }),
          now: tm('status.trip.label', { date: dateLabel(startedOn), destination: trip.destination }),
          ...counts,
        })
      : t('status.trip.done', { date: dateLabel(startedOn), destination: trip.destination, ...counts });
    return enqueueAll(tx, say(asked, text));
  });
  return { enqueued };
}

/** The first instant of today's month in the bot's zone: a trip recorded since then may be corrected or withdrawn. */
function monthStart(deps: Deps, today: CalendarDate): Date {
  return startOfDay(`${today.slice(0, 7)}-01`, deps.calendar.timeZone);
}

async function withdrawTrip(deps: Deps, asked: Asked, person: Person, now: Date, today: CalendarDate): Promise<Answer> {
  const enqueued = await deps.db.transaction(async (tx) => {
    const latest = (await leaderTripsRecordedSince(tx, person.id, monthStart(deps, today)))[0];
    if (!latest) return enqueueAll(tx, say(asked, t('status.trip.nothing_this_month')));
    await deleteTrip(tx, latest.id);
    await audit(tx, {
      at: now,
      actorId: person.id,
      action: 'trip.withdraw',
      entity: 'trip',
      entityId: latest.id,
      before: latest,
      after: null,
    });
    const year = latest.startedOn.slice(0, 4);
    const mine = await tripsOfLeaderYear(tx, latest.unitId, person.id, year);
    return enqueueAll(
      tx,
      say(
        asked,
        t('status.trip.withdrawn', {
          trip: tm('status.trip.label', { date: dateLabel(latest.startedOn), destination: latest.destination }),
          leader: person.name,
          year: Number(year),
          mine,
        }),
      ),
    );
  });
  return { enqueued };
}
