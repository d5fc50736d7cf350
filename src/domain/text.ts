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

// C0 controls but tab, line feed and carriage return; DEL. PostgreSQL refuses U+0000 in text outright, and
// the others only garble a card. Lone surrogates cannot be encoded as UTF-8 at all.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as the database and Lark accept it: control characters dropped, lone surrogates replaced. */
export function cleanText(input: string): string {
  return input.replace(CONTROL, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** `cleanText` over every string inside a JSON-like value (card values and form values). */
export function cleanDeep<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map((v) => cleanDeep(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[cleanText(key)] = cleanDeep((value as Record<string, unknown>)[key]);
    return out as T;
  }
  return value;
}

/** Text folded for matching names in words: half-width, no spaces or punctuation, lower case. */
export function fold(text: string): string {
  return normalizeText(text)
    .toLowerCase()
    .replace(/[\s,.!?;:'"“”‘’，。！？；：、（）()《》【】[\]<>~～…-]/g, '');
}
