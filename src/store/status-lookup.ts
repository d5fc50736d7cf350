// Name lookup for the plain-word matcher (src/status/match.ts): which projects a question names.

import { sql } from 'drizzle-orm';
import { projects } from '../../db/schema.js';
import type { Db, Tx } from './db.js';

/**
 * Projects whose name (or name without a trailing 项目) occurs in `folded` — text already folded to half-width
 * lower case without spaces or punctuation. Found in SQL so 100k project names never travel; at most `limit`.
 */
export async function projectsNamedIn(q: Db | Tx, folded: string, limit = 50): Promise<{ id: number; name: string; code: string }[]> {
  // Pieces of two Chinese characters from the text (only Han characters): a project sharing one may be the one meant (`风电项目` →
  // 200MW风电项目); the matcher decides. The code matches too (`LY2026-025`, folded without the dash).
  const bigrams = [
    ...new Set([...folded].flatMap((c, i, a) => (i + 1 < a.length && /\p{Script=Han}{2}/u.test(c + a[i + 1]) ? [c + a[i + 1]] : []))),
  ]
    .filter((b) => b !== '项目')
    .slice(0, 40)
    .map((b) => `%${b}%`);
  const named = sql`strpos(${folded}, lower(${projects.name})) > 0 or (${projects.name} like '%项目' and char_length(${projects.name}) >= 6 and strpos(${folded}, lower(left(${projects.name}, -2))) > 0) or strpos(${folded}, lower(replace(${projects.code}, '-', ''))) > 0`;
  return q
    .select({ id: projects.id, name: projects.name, code: projects.code })
    .from(projects)
    .where(
      bigrams.length === 0
        ? named
        : // One bound text[] (Han characters and % need no quoting in an array literal): the same statement text
          // whatever was typed, so the driver prepares it once (issue 18).
          sql`${named} or ${projects.name} like any(${`{${bigrams.join(',')}}`}::text[])`,
    )
    .orderBy(sql`case when ${named} then 0 else 1 end`, projects.id)
    .limit(limit);
}
