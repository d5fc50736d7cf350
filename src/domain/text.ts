/*
 * How officers type, folded to one form before anything reads it: the command parser, the plain-word matcher and
 * the amount reader all start from these, so "填报：风电", "５０００万" and "推进\u3000LY2026-001，签约" read alike.
 */

/** Full-width ASCII (U+FF01..U+FF5E) to half-width, ideographic space to space, and other dashes/tilde/minus. */
export function toHalfWidth(s: string): string {
  return s
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .replace(/[\u2212\uFE63]/g, '-') // minus signs
    .replace(/[\u301C\u223C]/g, '~') // wave dash, tilde operator
    .replace(/\uFFE5/g, '¥'); // full-width yen/yuan sign (outside the FF01..FF5E block)
}

/** Commands and plain words: half-width, Chinese and ASCII list separators to spaces, runs of spaces folded. */
export function normalizeText(input: string): string {
  return toHalfWidth(input)
    .replace(/[，、,;；]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
