import { parseYearTable, validateYearTable, type YearTableIssue } from '../domain/calendar.js';
import { isAdmin } from '../domain/permissions.js';
import { audit } from '../store/audit.js';
import type { Person } from '../store/directory.js';
import { enqueueAll } from '../store/messages.js';
import { saveYearTable } from '../store/settings.js';
import { loadRemit } from '../store/remit.js';
import { t } from '../text.js';
import { dateLabel } from '../words.js';
import type { Deps } from '../context.js';
import { say, type Answer, type Asked } from './answer.js';

function issueText(i: YearTableIssue): string {
  switch (i.code) {
    case 'outside_year':
      return t('admin.calendar.outside_year', { date: dateLabel(i.date) });
    case 'holiday_on_weekend':
      return t('admin.calendar.holiday_on_weekend', { date: dateLabel(i.date) });
    case 'workday_not_weekend':
      return t('admin.calendar.workday_not_weekend', { date: dateLabel(i.date) });
    case 'both':
      return t('admin.calendar.both', { date: dateLabel(i.date) });
    case 'incomplete':
      return i.missing === 'new_year'
        ? t('admin.calendar.missing_new_year')
        : i.missing === 'national_day'
          ? t('admin.calendar.missing_national_day')
          : t('admin.calendar.too_few', { count: i.holidays });
  }
}

/**
 * `节假日 <年> 放假 … 上班 …`: an admin enters a year's holidays and make-up workdays (the calendar package does
 * not know the year yet). Checked whole (domain validateYearTable): a refused table changes nothing. Accepted, it
 * replaces the year's table, marks the year known and bumps the version stamp, so every instance decides on it
 * from its next decision; this instance at once.
 */
export async function enterYearTable(deps: Deps, asked: Asked, person: Person, args: string): Promise<Answer> {
  if (!isAdmin(person)) return say(asked, t('admin.calendar.admins_only'));
  // The work calendar is the whole deployment's (the State Council's arrangement): only an admin of a province
  // (the top of the tree, whom the calendar-check job reminds) enters it, never a county's or a city's.
  const view = await loadRemit(deps.db, person, deps.calendar.today(deps.clock.now()));
  const provincial = [...view.unitsById.values()].some((u) => u.kind === 'province' && view.remit.subtrees.includes(u.path));
  if (!provincial) return say(asked, t('admin.calendar.admins_only'));
  const table = parseYearTable(args);
  if (!table) return say(asked, t('admin.calendar.usage'));
  const issues = validateYearTable(table.year, table);
  if (issues.length > 0)
    return say(asked, [t('admin.calendar.refused', { year: table.year }), ...issues.slice(0, 10).map(issueText)].join('\n'));
  const now = deps.clock.now();
  const enqueued = await deps.db.transaction(async (tx) => {
    await saveYearTable(tx, table.year, table, t('admin.calendar.note', { name: person.name }));
    await audit(tx, {
      at: now,
      actorId: person.id,
      action: 'calendar.year',
      entity: 'calendar',
      entityId: table.year,
      before: null,
      after: { holidays: table.holidays, workdays: table.workdays },
    });
    return enqueueAll(
      tx,
      say(asked, t('admin.calendar.saved', { year: table.year, holidays: table.holidays.length, workdays: table.workdays.length })),
    );
  });
  await deps.refreshCalendar?.();
  return { enqueued };
}
