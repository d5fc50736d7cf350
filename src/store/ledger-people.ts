// The people a ledger import leaves without a Lark account, and writing back the accounts found for them.

import { and, eq, isNotNull, isNull, or } from 'drizzle-orm';
import type { Db, Tx } from './db.js';
import { people } from '../../db/schema.js';
import type { Person } from './directory.js';

type Q = Db | Tx;

/** Active people with no open_id but a mobile or an email to look one up by. */
export async function peopleWithoutLarkId(q: Q): Promise<Person[]> {
  return q
    .select()
    .from(people)
    .where(and(isNull(people.openId), eq(people.active, true), or(isNotNull(people.mobile), isNotNull(people.email))));
}

/** Whether anyone, active or not, already holds this open_id (it is unique). */
export async function larkIdTaken(q: Q, openId: string): Promise<boolean> {
  return (await q.select({ id: people.id }).from(people).where(eq(people.openId, openId))).length > 0;
}

export async function setLarkId(q: Q, personId: number, openId: string, now: Date): Promise<void> {
  await q.update(people).set({ openId, updatedAt: now }).where(eq(people.id, personId));
}
