import type { Db } from '../store/db.js';
import { larkIdTaken, peopleWithoutLarkId, setLarkId } from '../store/ledger-people.js';

/** The Lark calls this needs (the client chunks to 50 per call and passes the rate limiter). */
export interface IdLookupClient {
  batchGetIdByMobiles(mobiles: string[]): Promise<{ key: string; openId: string | null }[]>;
  batchGetIdByEmails(emails: string[]): Promise<{ key: string; openId: string | null }[]>;
}

export interface ResolveResult {
  resolved: number;
  /** People still without a Lark account: listed for the admin, never dropped silently. */
  unresolved: { id: number; name: string; mobile: string | null; email: string | null }[];
}

const digits = (m: string) => m.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');

/**
 * People without a Lark id are looked up by mobile, then by email (contact/v3/users/batch_get_id); found ids
 * are written back (updated at `now`). An open_id already taken by someone else is left alone and the person listed.
 */
export async function resolveLarkIds(db: Db, lark: IdLookupClient, now: Date): Promise<ResolveResult> {
  const missing = await peopleWithoutLarkId(db);
  if (missing.length === 0) return { resolved: 0, unresolved: [] };

  const found = new Map<number, string>();
  const withMobile = missing.filter((p) => p.mobile);
  if (withMobile.length > 0) {
    const answers = await lark.batchGetIdByMobiles(withMobile.map((p) => p.mobile!));
    const byMobile = new Map(answers.filter((a) => a.openId).map((a) => [digits(a.key), a.openId!]));
    for (const p of withMobile) {
      const id = byMobile.get(digits(p.mobile!));
      if (id) found.set(p.id, id);
    }
  }
  const byEmailNeeded = missing.filter((p) => !found.has(p.id) && p.email);
  if (byEmailNeeded.length > 0) {
    const answers = await lark.batchGetIdByEmails(byEmailNeeded.map((p) => p.email!));
    const byEmail = new Map(answers.filter((a) => a.openId).map((a) => [a.key.toLowerCase(), a.openId!]));
    for (const p of byEmailNeeded) {
      const id = byEmail.get(p.email!.toLowerCase());
      if (id) found.set(p.id, id);
    }
  }

  let resolved = 0;
  const taken = new Set<number>();
  for (const [personId, openId] of found) {
    if (await larkIdTaken(db, openId)) {
      taken.add(personId);
      continue;
    }
    await setLarkId(db, personId, openId, now);
    resolved++;
  }
  const unresolved = missing
    .filter((p) => !found.has(p.id) || taken.has(p.id))
    .map((p) => ({ id: p.id, name: p.name, mobile: p.mobile, email: p.email }));
  return { resolved, unresolved };
}
