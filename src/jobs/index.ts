import type { Job } from './types.js';
import { reminders } from './reminders.js';
import { overdue } from './overdue.js';
import { ageing } from './ageing.js';
import { letters } from './letters.js';
import { problemsJob } from './problems.js';
import { digestWeekly } from './digest.js';
import { summaryHalfYear, summaryMonthly, summaryQuarterly } from './summaries.js';
import { housekeeping } from './housekeeping.js';
import { assessmentAnnual } from './assessment.js';
import { calendarCheck } from './calendar-check.js';

/** Every scheduled job, by name. */
export function allJobs(): Job[] {
  return [
    reminders,
    overdue,
    ageing,
    letters,
    problemsJob,
    digestWeekly,
    summaryMonthly,
    summaryQuarterly,
    summaryHalfYear,
    assessmentAnnual,
    housekeeping,
    calendarCheck,
  ];
}

export function jobByName(name: string): Job | undefined {
  return allJobs().find((j) => j.name === name);
}
