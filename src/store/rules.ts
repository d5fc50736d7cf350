import { eq } from 'drizzle-orm';
import { settings } from '../../db/schema.js';
import { DEFAULT_RULES, Rules } from '../domain/rules.js';
import type { Db, Tx } from './db.js';

/** The configured rules, defaults filled in; a bad stored value falls back to the defaults for that field. */
export async function loadRules(q: Db | Tx): Promise<Rules> {
  const row = (await q.select().from(settings).where(eq(settings.key, 'rules')))[0];
  if (!row) return DEFAULT_RULES;
  const parsed = Rules.safeParse(row.value);
  return parsed.success ? parsed.data : DEFAULT_RULES;
}
