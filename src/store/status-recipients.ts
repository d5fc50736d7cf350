// Who the status jobs write to (jobs/digest.ts, jobs/summaries.ts), and whom a run already served: a run that
// crashed half-way resumes from job_deliveries without sending anything twice.

import { and, asc, eq, sql } from 'drizzle-orm';
import { jobDeliveries, people } from '../../db/schema.js';
import type { Db, Tx } from './db.js';
import type { Person } from './directory.js';

type Q = Db | Tx;

/** The recipients (open_id or chat_id) that run (`job`, `periodKey`) has already delivered to. */
export async function deliveredTo(q: Q, job: string, periodKey: string): Promise<Set<string>> {
  const rows = await q
    .select({ recipient: jobDeliveries.recipient })
    .from(jobDeliveries)
    .where(and(eq(jobDeliveries.job, job), eq(jobDeliveries.periodKey, periodKey)));
  return new Set(rows.map((r) => r.recipient));
}

/** Records a delivery, in the transaction that enqueued the recipient's messages. */
export async function markDelivered(tx: Tx, job: string, periodKey: string, recipient: string): Promise<void> {
  await tx.insert(jobDeliveries).values({ job, periodKey, recipient }).onConflictDoNothing();
}

/** Active unit and department leads Lark can reach (they have an open_id), in id order: the digest's readers. */
export async function reachableLeads(q: Q): Promise<Person[]> {
  return q
    .select()
    .from(people)
    .where(and(eq(people.active, true), sql`${people.openId} is not null`, sql`${people.roles} && array['unit_lead','dept_lead']::role[]`))
    .orderBy(asc(people.id));
}
