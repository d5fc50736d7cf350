import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from './db.js';
import { first } from './db-core.js';
import { chains, chatGroups, people, units } from '../../db/schema.js';

export type Unit = typeof units.$inferSelect;
export type Person = typeof people.$inferSelect;
export type Chain = typeof chains.$inferSelect;
export type ChatGroup = typeof chatGroups.$inferSelect;
export type Role = Person['roles'][number];

type Q = Db | Tx;

/**
 * Creates or updates a unit by code and keeps the materialised path right (for the unit and, when it moved,
 * its whole subtree). The path is what makes "a county's subtree" one indexed LIKE.
 */
export async function upsertUnit(q: Q, u: { code: string; name: string; kind: Unit['kind']; parentId: number | null }): Promise<Unit> {
  const parentPath = u.parentId
    ? ((await q.select({ path: units.path }).from(units).where(eq(units.id, u.parentId)))[0]?.path ?? '/')
    : '/';
  const existing = (await q.select().from(units).where(eq(units.code, u.code)))[0];
  if (!existing) {
    const [row] = await q.insert(units).values({ code: u.code, name: u.name, kind: u.kind, parentId: u.parentId }).returning();
    const path = `${parentPath}${row!.id}/`;
    await q.update(units).set({ path }).where(eq(units.id, row!.id));
    return { ...row!, path };
  }
  const path = `${parentPath}${existing.id}/`;
  await q.update(units).set({ name: u.name, kind: u.kind, parentId: u.parentId, path }).where(eq(units.id, existing.id));
  if (path !== existing.path) {
    // Re-root the subtree: replace the old prefix by the new one.
    await q.execute(
      sql`update units set path = ${path} || substr(path, ${existing.path.length + 1}) where path like ${existing.path + '%'} and id <> ${existing.id}`,
    );
  }
  return { ...existing, name: u.name, kind: u.kind, parentId: u.parentId, path };
}

export async function personByOpenId(q: Q, openId: string): Promise<Person | undefined> {
  return first(
    q
      .select()
      .from(people)
      .where(and(eq(people.openId, openId), eq(people.active, true))),
  );
}

export async function personById(q: Q, id: number): Promise<Person | undefined> {
  return (await q.select().from(people).where(eq(people.id, id)))[0];
}

export async function unitById(q: Q, id: number): Promise<Unit | undefined> {
  return (await q.select().from(units).where(eq(units.id, id)))[0];
}

export async function allUnits(q: Q): Promise<Unit[]> {
  return q.select().from(units).orderBy(units.path);
}

export async function allChains(q: Q): Promise<Chain[]> {
  return q.select().from(chains).orderBy(chains.id);
}

export async function groupByChatId(q: Q, chatId: string): Promise<ChatGroup | undefined> {
  return (await q.select().from(chatGroups).where(eq(chatGroups.chatId, chatId)))[0];
}

/**
 * Who receives a person's reminders today: the person, or the delegate while the person is away.
 * `today` is 'YYYY-MM-DD'.
 */
export function recipientOf(p: Person, today: string, byId: Map<number, Person>): Person {
  if (p.delegateId && p.awayUntil && p.awayUntil >= today) {
    const d = byId.get(p.delegateId);
    if (d && d.active && d.openId) return d;
  }
  return p;
}

/** Everyone (active or not), by id: recipients and delegates are resolved from it without a query per person. */
export async function peopleById(q: Q): Promise<Map<number, Person>> {
  const rows = await q.select().from(people);
  return new Map(rows.map((p) => [p.id, p]));
}

export async function unitsByIds(q: Q, ids: readonly number[]): Promise<Map<number, Unit>> {
  if (ids.length === 0) return new Map();
  const rows = await q
    .select()
    .from(units)
    .where(inArray(units.id, [...ids]));
  return new Map(rows.map((u) => [u.id, u]));
}

/** Active admins placed at a province (the top of the tree): who keeps the calendar. */
export async function provinceAdmins(q: Q): Promise<Person[]> {
  const rows = await q
    .select({ p: people })
    .from(people)
    .innerJoin(units, eq(units.id, people.unitId))
    .where(and(eq(units.kind, 'province'), eq(people.active, true), sql`'admin' = any(${people.roles})`));
  return rows.map((r) => r.p);
}
