import { funds, reporting, signings } from '../status/figures.js';
import { newProblems, openProblems, signedList, stageMoves } from '../status/lists.js';
import { digestCard, digestIsEmpty, digestLine, type DigestData } from '../status/digest-card.js';
import { allScope, governmentUnitOf, loadDirectory, unitScope } from '../status/scope.js';
import { closedPeriod, hourInZone, isoWeekKey, lastWeek, yearWindow } from '../status/time.js';
import { lateCutoff } from '../status/view.js';
import type { Person } from '../store/directory.js';
import type { Job } from './types.js';
import { enqueueAll } from '../store/messages.js';
import { deliveredTo, markDelivered, reachableLeads } from '../store/status-recipients.js';

export const DIGEST_HOUR = 9;
const NAME = 'digest-weekly';

/**
 * Weekly digest (`digest-weekly`): on the first workday of the week from 09:00 (Monday, or Tuesday after a
 * Monday holiday…), each department and unit lead gets a DM for their scope: last week's stage moves,
 * signings, funds and new problems; what is late; what waits on their own unit. Key: the ISO week ('2026-W47');
 * a run missed on that day is caught up later in the same week.
 */
export const digestWeekly: Job = {
  name: NAME,
  description: '每周简报：每周第一个工作日9点，向部门、单位负责人私信推送本范围上周动态、逾期和待协调事项',
  cron: `0 ${DIGEST_HOUR} * * *`,
  due(deps, at) {
    const today = deps.calendar.today(at);
    const first = deps.calendar.firstWorkdayOfWeek(today);
    if (!first || today < first) return null;
    if (today === first && hourInZone(at, deps.calendar.timeZone) < DIGEST_HOUR) return null;
    return isoWeekKey(today);
  },
  async run(deps, at, key) {
    const { db, calendar } = deps;
    const today = calendar.today(at);
    const week = lastWeek(today);
    const year = yearWindow(Number(week.to.slice(0, 4)), week.to);
    const current = calendar.periodOf(today);
    const closed = closedPeriod(calendar, today);
    const cutoff = lateCutoff(calendar, closed);
    const dir = await loadDirectory(db);
    const leads: Person[] = await reachableLeads(db);
    const done = await deliveredTo(db, NAME, key);
    let sent = 0;
    let oneLine = 0;
    for (const lead of leads) {
      const openId = lead.openId!;
      if (done.has(openId)) continue;
      const gov = governmentUnitOf(lead, dir);
      const own = lead.unitId ? dir.unitById.get(lead.unitId) : undefined;
      if (!gov || !own) continue;
      const scope = unitScope(gov);
      const [moves, sign, signedRows, fundFigures, rep, fresh, waiting] = await Promise.all([
        stageMoves(db, scope, week, 8),
        signings(db, scope, week, year),
        signedList(db, scope, week, 5),
        funds(db, scope, week, year, []),
        reporting(db, scope, { current, closed, createdBefore: cutoff }),
        newProblems(db, scope, week, 5),
        // What waits on their own unit (a department's, for a department lead), on any project.
        openProblems(db, allScope(), { mustActPath: own.path, limit: 5 }),
      ]);
      const data: DigestData = {
        scopeLabel: scope.label,
        recipientName: lead.name,
        week,
        moves,
        signings: sign,
        signedList: signedRows,
        funds: fundFigures,
        newProblems: fresh,
        late: { period: closed, deadline: calendar.deadline(closed), total: rep.closed.late, byUnit: rep.closed.byUnit },
        waiting: { unitName: own.name, total: waiting.total, list: waiting.list },
      };
      const empty = digestIsEmpty(data);
      if (empty) oneLine++;
      sent += await db.transaction(async (tx) => {
        const added = await enqueueAll(tx, [
          {
            to: 'user',
            openId,
            content: empty ? { msgType: 'text', text: digestLine(data) } : { msgType: 'interactive', card: digestCard(data) },
            key: `${NAME}:${key}:${openId}`,
          },
        ]);
        await markDelivered(tx, NAME, key, openId);
        return added;
      });
    }
    return { sent, detail: { recipients: leads.length, oneLine, week } };
  },
};
