import type { Job } from './types.js';

/** Every scheduled job, by name. */
export function allJobs(): Job[] {
  return [];
}

export function jobByName(name: string): Job | undefined {
  return allJobs().find((j) => j.name === name);
}
