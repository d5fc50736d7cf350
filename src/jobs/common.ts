import { and, eq, inArray } from 'drizzle-orm';
import { chatGroups, people, units } from '../../db/schema.js';
import type { Db, Tx } from '../store/db.js';
import { recipientOf, type Person } from '../store/directory.js';

type Q = Db | Tx;

/** Everyone active, by id: recipients and delegates are resolved from it without a query per person. */
export async function peopleById(q: Q): Promise<Map<number, Person>> {
  const rows = await q.select().from(people);
  return new Map(rows.map((p) => [p.id, p]));
}

/** Who gets a person's messages today (the delegate while they are away); null when nobody can be reached. */
export function reachable(p: Person | undefined, today: string, byId: Map<number, Person>): Person | null {
  if (!p || !p.active) return null;
  const r = recipientOf(p, today, byId);
  return r.openId ? r : null;
}

/** The unit-bound mechanism group of a unit, or of its nearest ancestor that has one. */
export async function mechanismGroupsFor(q: Q, unitIds: number[]): Promise<Map<number, { chatId: string; unitId: number }>> {
  const result = new Map<number, { chatId: string; unitId: number }>();
  if (unitIds.length === 0) return result;
  const all = await q.select({ id: units.id, path: units.path }).from(units);
  const pathOf = new Map(all.map((u) => [u.id, u.path]));
  const groups = await q
    .select({ chatId: chatGroups.chatId, unitId: chatGroups.unitId })
    .from(chatGroups)
    .where(and(eq(chatGroups.bindingKind, 'unit')));
  const groupOfUnit = new Map(groups.filter((g) => g.unitId !== null).map((g) => [g.unitId!, g.chatId]));
  for (const id of unitIds) {
    const chain = (pathOf.get(id) ?? '').split('/').filter(Boolean).map(Number).reverse();
    const hit = chain.find((u) => groupOfUnit.has(u));
    if (hit !== undefined) result.set(id, { chatId: groupOfUnit.get(hit)!, unitId: hit });
  }
  return result;
}

export async function unitsByIds(q: Q, ids: number[]) {
  if (ids.length === 0) return new Map<number, typeof units.$inferSelect>();
  const rows = await q.select().from(units).where(inArray(units.id, ids));
  return new Map(rows.map((u) => [u.id, u]));
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
