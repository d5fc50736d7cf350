import { parseDate } from '../domain/calendar.js';
import { mayRecordTrip } from '../domain/permissions.js';
import { audit } from '../store/audit.js';
import { unitById, type Person } from '../store/directory.js';
import { enqueueAll } from '../store/messages.js';
import { insertTrip, sameTripExists, tripsInSubtreeYear } from '../store/trips.js';
import { t } from '../text.js';
import { dateErrorText, dateLabel } from '../words.js';
import type { Deps } from '../context.js';
import { say, type Answer, type Asked } from './answer.js';

/** Splits `目的地 [开始日期 [结束日期]]`: dates are the trailing words that read as dates. */
export function parseTripArgs(args: string): { destination: string; dates: string[]; bad: string | null } {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const dates: string[] = [];
  while (words.length > 1 && dates.length < 2) {
    const last = words[words.length - 1]!;
    const d = parseDate(last);
    if (!d.ok) {
      // A trailing word made of digits and date separators that is not a real date is a typo, not a place.
      if (/^[\d０-９]{2,4}([-/.年][\d０-９]{1,2}([-/.月][\d０-９]{1,2}[日号]?)?)?$/.test(last))
        return { destination: '', dates: [], bad: last };
      break;
    }
    dates.unshift(d.date);
    words.pop();
  }
  return { destination: words.join(' '), dates, bad: null };
}

/**
 * `/trip 目的地 [日期] [结束日期]`: records an outbound investment-promotion trip (外出招商) for the sender's unit,
 * led by the sender; it counts toward the unit's annual target (001 二.二). The date defaults to today.
 */
export async function recordTrip(deps: Deps, asked: Asked, person: Person, args: string): Promise<Answer> {
  if (!mayRecordTrip(person)) return say(asked, t('status.trip.not_allowed'));
  const unit = person.unitId ? await unitById(deps.db, person.unitId) : undefined;
  if (!unit) return say(asked, t('status.trip.no_unit'));
  const parsed = parseTripArgs(args);
  if (parsed.bad) return say(asked, dateErrorText({ code: 'invalid', input: parsed.bad }));
  if (!parsed.destination) return say(asked, t('status.trip.usage'));
  const now = deps.clock.now();
  const today = deps.calendar.today(now);
  const startedOn = parsed.dates[0] ?? today;
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
    if (await sameTripExists(tx, trip)) {
      return enqueueAll(tx, say(asked, t('status.trip.duplicate', { destination: trip.destination, date: dateLabel(startedOn) })));
    }
    const row = await insertTrip(tx, trip);
    await audit(tx, { at: now, actorId: person.id, action: 'trip.create', entity: 'trip', entityId: row.id, before: null, after: trip });
    const count = await tripsInSubtreeYear(tx, unit.path, year);
    const text = t('status.trip.done', {
      leader: person.name,
      unit: unit.name,
      date: dateLabel(startedOn),
      destination: trip.destination,
      year: Number(year),
      count: count || 1,
    });
    return enqueueAll(tx, say(asked, text));
  });
  return { enqueued };
}
