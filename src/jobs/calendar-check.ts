import { card, md } from '../lark/cards.js';
import { sendToUser } from '../store/messages.js';
import { provinceAdmins } from '../store/directory.js';
import { t } from '../text.js';
import { peopleById, reachable } from './common.js';
import type { Job } from './types.js';

/**
 * From 1 November, while next year's holidays are unknown (neither the calendar package nor an admin's complete
 * table has them), the province's admins get a reminder on the first workday of each week, until the table is
 * entered (`节假日 <年> …`). Keyed by year and day: once per week and admin.
 */
export const calendarCheck: Job = {
  name: 'calendar-check',
  description: t('jobs.description.calendar_check'),
  cron: '0 9 * * *',
  due(deps, at) {
    const cal = deps.calendar;
    const today = cal.today(at);
    const next = Number(today.slice(0, 4)) + 1;
    if (Number(today.slice(5, 7)) < 11 || cal.knownYear(next)) return null;
    if (!cal.isWorkday(today) || cal.firstWorkdayOfWeek(today) !== today) return null;
    return `${next}:${today}`;
  },
  async run(deps, at, key) {
    const today = deps.calendar.today(at);
    const year = Number(key.split(':')[0]);
    const byId = await peopleById(deps.db);
    let sent = 0;
    await deps.db.transaction(async (tx) => {
      for (const admin of await provinceAdmins(tx)) {
        const to = reachable(admin, today, byId);
        if (!to) continue;
        const c = card({
          title: t('admin.calendar.reminder_title', { year }),
          template: 'orange',
          elements: [md(t('admin.calendar.reminder_body', { name: to.name, year }))],
        });
        if (await sendToUser(tx, to.openId!, { msgType: 'interactive', card: c }, `calendar-check:${key}:${admin.id}`)) sent++;
      }
    });
    return { sent };
  },
};
