import type { Job } from './types.js';
import { reminders } from './reminders.js';
import { overdue } from './overdue.js';
import { ageing } from './ageing.js';
import { letters } from './letters.js';

/** Every scheduled job, by name. */
export function allJobs(): Job[] {
  return [reminders, overdue, ageing, letters];
}

export function jobByName(name: string): Job | undefined {
  return allJobs().find((j) => j.name === name);
}
