import { loadRules } from '../store/rules.js';
import { allUnits, type Person } from '../store/directory.js';
import { enqueueAll } from '../store/messages.js';
import { remindersFor } from '../report/service.js';
import { t } from '../text.js';
import { leadsByUnit, peopleById, reachable } from './common.js';
import type { Job } from './types.js';

/**
 * Monthly reminders: on the configured workdays before the period's deadline (default 5 and 1), each owner
 * gets one card listing exactly their projects still missing this period's report. The run key names the
 * round, so a later trigger on the same day or a catch-up sends nothing again; never on a non-workday.
 * The cards are the report feature's; this job decides when, and who can be reached (the delegate of an
 * owner who is away).
 */
export const reminders: Job = {
  name: 'reminders',
  description: t('report.reminders_job'),
  cron: '0 9 * * *',
  async due(deps, at) {
    const cal = deps.calendar;
    const today = cal.today(at);
    if (!cal.isWorkday(today)) return null;
    const period = cal.periodOf(at);
    const deadline = cal.deadline(period);
    if (today > deadline) return null;
    const rules = await loadRules(deps.db);
    const rounds = [...rules.reminderWorkdaysBefore].sort((a, b) => a - b); // nearest to the deadline first
    for (const n of rounds) {
      if (today >= cal.addWorkdays(deadline, -n)) return `${period}:r${n}`;
    }
    return null;
  },
  async run(deps, at, key) {
    const today = deps.calendar.today(at);
    const period = key.split(':')[0]!;
    const round = Number(key.split(':r')[1]);
    const byId = await peopleById(deps.db);
    const leads = leadsByUnit(byId);
    const units = new Map((await allUnits(deps.db)).map((u) => [u.id, u]));
    /** The leads of the owner's unit, or else of the nearest unit above it that has one (a bureau's county). */
    const nearestLead = (owner: Person) => {
      const path = owner.unitId ? units.get(owner.unitId)?.path : undefined;
      for (const id of (path ?? '').split('/').filter(Boolean).map(Number).reverse()) {
        const lead = leads.get(id)?.find((l) => l.openId && l.id !== owner.id);
        if (lead) return lead;
      }
      return null;
    };
    const { out, projects, unreachable } = await remindersFor(deps, {
      period,
      runKey: key,
      lastCall: round <= 1,
      recipientOf: (ownerId) => {
        const owner = ownerId ? byId.get(ownerId) : undefined;
        // An owner nobody can reach (no Lark account, inactive, delegate unreachable): their unit lead gets the
        // owner's list instead, so someone in the unit is told (issue 13, item 8).
        const to = reachable(owner, today, byId) ?? (owner ? nearestLead(owner) : null);
        return owner && to?.openId ? { owner, to: { ...to, openId: to.openId } } : null;
      },
    });
    // The runner wakes the sender when `sent` says something new was queued.
    const sent = out.length > 0 ? await deps.db.transaction((tx) => enqueueAll(tx, out)) : 0;
    if (unreachable > 0) deps.logger.warn({ unreachable, period }, 'projects whose owner cannot be reached');
    return { sent, detail: { projects, unreachable } };
  },
};
