// Name lookup for the plain-word matcher (src/status/match.ts): which projects a question names.

import { sql } from 'drizzle-orm';
import { projects } from '../../db/schema.js';
import type { Db, Tx } from './db.js';

/**
 * Projects whose name (or name without a trailing 项目) occurs in `folded` — text already folded to half-width
 * lower case without spaces or punctuation. Found in SQL so 100k project names never travel; at most `limit`.
 */
export async function projectsNamedIn(q: Db | Tx, folded: string, limit = 50): Promise<{ id: number; name: string }[]> {
  return q
    .select({ id: projects.id, name: projects.name })
    .from(projects)
    .where(
      sql`strpos(${folded}, lower(${projects.name})) > 0 or (${projects.name} like '%项目' and char_length(${projects.name}) >= 6 and strpos(${folded}, lower(left(${projects.name}, -2))) > 0)`,
    )
    .limit(limit);
}
