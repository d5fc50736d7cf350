import { recipientOf, type Person } from '../store/directory.js';
import type { Job } from './types.js';

// Kept here for the jobs that take them from this module; the queries live in the store.
export { peopleById, unitsByIds } from '../store/directory.js';

/** The `due` of a job tried daily that runs on workdays only, keyed by the day or by the period (once a month). */
export function onWorkdays(per: 'day' | 'period'): Job['due'] {
  return (deps, at) => {
    const today = deps.calendar.today(at);
    if (!deps.calendar.isWorkday(today)) return null;
    return per === 'day' ? today : deps.calendar.periodOf(at);
  };
}

/** Who gets a person's messages today (the delegate while they are away); null when nobody can be reached. */
export function reachable(p: Person | undefined, today: string, byId: Map<number, Person>): Person | null {
  if (!p || !p.active) return null;
  const r = recipientOf(p, today, byId);
  return r.openId ? r : null;
}

/** Leads (unit_lead or dept_lead) of each unit. */
export function leadsByUnit(byId: Map<number, Person>): Map<number, Person[]> {
  const m = new Map<number, Person[]>();
  for (const p of byId.values()) {
    if (!p.active || !p.unitId) continue;
    if (!p.roles.includes('unit_lead') && !p.roles.includes('dept_lead')) continue;
    m.set(p.unitId, [...(m.get(p.unitId) ?? []), p]);
  }
  return m;
}

export function groupBy<T, K>(xs: T[], key: (x: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}
