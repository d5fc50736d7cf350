import { loadRules } from '../store/rules.js';
import { projectsMissingReport } from '../store/projects.js';
import { chunks, reminderCard } from '../bot/report/cards.js';
import { unitNames } from '../bot/report/handlers.js';
import { groupBy, peopleById, reachable } from './common.js';
import type { Job } from './types.js';
import { sendToUser } from '../store/messages.js';

/**
 * Monthly reminders: on the configured workdays before the period's deadline (default 5 and 1), each owner
 * gets one card listing exactly their projects still missing this period's report. The run key names the
 * round, so a later trigger on the same day or a catch-up sends nothing again; never on a non-workday.
 */
export const reminders: Job = {
  name: 'reminders',
  description: '月度填报提醒：截止日前第5个和第1个工作日，向项目责任人发送未填报项目清单',
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
    const cal = deps.calendar;
    const today = cal.today(at);
    const period = key.split(':')[0]!;
    const round = Number(key.split(':r')[1]);
    const deadline = cal.deadline(period);
    const missing = await projectsMissingReport(deps.db, period);
    const byId = await peopleById(deps.db);
    const names = await unitNames(deps.db);
    let sent = 0;
    let unreachable = 0;
    await deps.db.transaction(async (tx) => {
      for (const [ownerId, projects] of groupBy(missing, (p) => p.ownerId)) {
        const owner = ownerId ? byId.get(ownerId) : undefined;
        const to = reachable(owner, today, byId);
        if (!owner || !to) {
          unreachable += projects.length;
          continue;
        }
        const rows = projects.map((p) => ({ project: p, hostName: names.get(p.hostUnitId ?? -1) ?? '', status: 'missing' as const }));
        // A long list goes out as several cards, each within Lark's size limit.
        for (const [part, slice] of chunks(rows).entries()) {
          const c = reminderCard({
            recipientName: to.name,
            ownerName: to.id !== owner.id ? owner.name : undefined,
            period,
            deadline,
            lastCall: round <= 1,
            rows: slice,
          });
          const idem = part === 0 ? `reminders:${key}:${owner.id}` : `reminders:${key}:${owner.id}:${part}`;
          if (await sendToUser(tx, to.openId!, { msgType: 'interactive', card: c }, idem)) sent++;
        }
      }
    });
    if (unreachable > 0) deps.logger.warn({ unreachable, period }, 'projects whose owner cannot be reached');
    return { sent, detail: { projects: missing.length, unreachable } };
  },
};
