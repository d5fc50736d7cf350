import { and, between, eq, sql } from 'drizzle-orm';
import { auditLog, trips, units } from '../../../db/schema.js';
import { parseDate } from '../../domain/calendar.js';
import { unitById } from '../../store/directory.js';
import { t } from '../../text.js';
import type { CommandHandler, Message } from './types.js';
import { dateErrorText, dateLabel } from '../../words.js';
import { type Deps } from '../../context.js';
import { replyTo } from '../../store/messages.js';

/** Who leads outbound trips (and so may record one): the leaders of units and the mechanism, and admins. */
const TRIP_ROLES = new Set(['unit_lead', 'dept_lead', 'convenor', 'chief_convenor', 'chain_leader', 'admin']);

async function say(deps: Deps, msg: Message, text: string): Promise<void> {
  await deps.db.transaction((tx) => replyTo(tx, msg, { msgType: 'text', text }, `reply:${msg.messageId}`));
  deps.notifyOutbox();
}

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
export const trip: CommandHandler<'trip'> = async (deps, { msg, person, cmd }) => {
  if (!person) return;
  if (!person.roles.some((r) => TRIP_ROLES.has(r))) {
    await say(deps, msg, t('status.trip.not_allowed'));
    return;
  }
  const unit = person.unitId ? await unitById(deps.db, person.unitId) : undefined;
  if (!unit) {
    await say(deps, msg, t('status.trip.no_unit'));
    return;
  }
  const parsed = parseTripArgs(cmd.args);
  if (parsed.bad) {
    await say(deps, msg, dateErrorText({ code: 'invalid', input: parsed.bad }));
    return;
  }
  if (!parsed.destination) {
    await say(deps, msg, t('status.trip.usage'));
    return;
  }
  const today = deps.calendar.today(deps.clock.now());
  const startedOn = parsed.dates[0] ?? today;
  const endedOn = parsed.dates[1] ?? null;
  if (startedOn > today) {
    await say(deps, msg, t('status.trip.future', { date: dateLabel(startedOn) }));
    return;
  }
  if (endedOn && endedOn < startedOn) {
    await say(deps, msg, t('status.trip.end_before_start', { start: dateLabel(startedOn), end: dateLabel(endedOn) }));
    return;
  }
  const destination = parsed.destination.slice(0, 100);
  const year = startedOn.slice(0, 4);
  await deps.db.transaction(async (tx) => {
    const same = await tx
      .select({ id: trips.id })
      .from(trips)
      .where(
        and(eq(trips.unitId, unit.id), eq(trips.leaderId, person.id), eq(trips.destination, destination), eq(trips.startedOn, startedOn)),
      );
    let text: string;
    if (same.length > 0) {
      text = t('status.trip.duplicate', { destination, date: dateLabel(startedOn) });
    } else {
      const [row] = await tx.insert(trips).values({ unitId: unit.id, leaderId: person.id, destination, startedOn, endedOn }).returning();
      await tx.insert(auditLog).values({
        at: deps.clock.now(),
        actorId: person.id,
        action: 'trip.create',
        entity: 'trip',
        entityId: String(row!.id),
        before: null,
        after: { unitId: unit.id, leaderId: person.id, destination, startedOn, endedOn },
      });
      // Trips of the unit and the units under it this year, as the targets count them.
      const [n] = await tx
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(trips)
        .innerJoin(units, eq(units.id, trips.unitId))
        .where(and(sql`${units.path} like ${unit.path + '%'}`, between(trips.startedOn, `${year}-01-01`, `${year}-12-31`)));
      text = t('status.trip.done', {
        leader: person.name,
        unit: unit.name,
        date: dateLabel(startedOn),
        destination,
        year: Number(year),
        count: n?.n ?? 1,
      });
    }
    await replyTo(tx, msg, { msgType: 'text', text }, `reply:${msg.messageId}`);
  });
  deps.notifyOutbox();
};
