/*
 * User text is data, never markup: the one escape for values put into what Lark renders.
 *
 * Lark renders markup in three places the bot writes to:
 *  - card markdown (the JSON 2.0 `markdown` element, `lark_md` text and table cells): `<at id=…></at>` (a mention,
 *    `<at id=all>` rings everyone), `<font>`, `<link>`, `<text_tag>` and other tags, `[text](url)` links,
 *    `![alt](img_key)` images, `**bold**`, `*italic*`, `~~strike~~`, `` `code` ``, headings `# `, lists `- ` `1. `,
 *    quotes `> `, tables `|`;
 *  - text messages (`msg_type: text`): `<at user_id="…"></at>` and the style tags `<b>` `<i>` `<u>` `<s>`, and
 *    `[text](url)` links;
 *  - plain_text (card titles, buttons, labels, placeholders, `text` table cells, toasts): nothing.
 *
 * Card markdown shows an HTML entity (`&lt;`, `&#42;`) as its character and never parses it as markup, so a user
 * value is escaped there by turning each character that could start markup into its entity. The escape is
 * idempotent (an entity already in the text is left as it is: it renders as its character, which is not markup),
 * so text escaped twice reads the same. Chinese text and full-width punctuation are never touched.
 *
 * Text messages do not decode entities, so what goes out as a text message is decoded and then loses the
 * characters that start its markup to their full-width forms (`<` → `＜`, `[` → `［`): readable, never a tag.
 *
 * Pure: no I/O and no words. `src/text.ts` (templates), `src/lark/cards.ts` (card builders) and
 * `src/store/messages.ts` (the outbox rows) apply it.
 */

/** An HTML entity, named or numeric: rendered as one character, never as markup. */
const ENTITY_SOURCE = String.raw`&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`;

const MD_ENTITY: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  '`': '&#96;',
  '[': '&#91;',
  ']': '&#93;',
  '|': '&#124;',
  '\\': '&#92;',
  '#': '&#35;',
  '-': '&#45;',
  '+': '&#43;',
  '=': '&#61;',
  '.': '&#46;',
  ':': '&#58;',
};

/**
 * What could start markup in card markdown, in order of preference at one position:
 * an entity (kept), a tag/emphasis/link/code/table character anywhere, `__` and `~~` runs (a single `_` or `~`
 * inside "LY_2026" or "3~5" stays), `://` (so a bare address is not made a link), and at the start of a line
 * (or of the value, which may land at one) the markers of headings, lists, rules and ordered lists.
 */
const MD_TOKEN = new RegExp(
  [
    ENTITY_SOURCE,
    String.raw`[<>*\x60[\]|\\]`,
    String.raw`_{2,}`,
    String.raw`~{2,}`,
    String.raw`:(?=\/\/)`,
    // A list marker is `-` or `+` followed by a space (or a rule `---`): a negative number (`-5`) is not one.
    String.raw`^[ \t]*(?:[#=]|[+-](?=[\s+-]|$))`,
    String.raw`^[ \t]*\d{1,9}\.(?=\s|$)`,
  ].join('|'),
  'gm',
);
const IS_ENTITY = new RegExp(`^${ENTITY_SOURCE}$`);
/** Every character any of the above starts with. */
const MAY_NEED_ESCAPE = /[&<>*_~\x60[\]|\\:#+=.-]/;

/** A user value for card markdown (`markdown` elements, `lark_md`, markdown table cells): shown as typed. */
export function escapeMarkdown(value: string): string {
  if (!MAY_NEED_ESCAPE.test(value)) return value; // most names and texts: nothing to do
  return value.replace(MD_TOKEN, (m) => (IS_ENTITY.test(m) ? m : [...m].map((c) => MD_ENTITY[c] ?? c).join('')));
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };
const ENTITY_ANYWHERE = new RegExp(ENTITY_SOURCE, 'g');

/**
 * Entities to their characters, for places that render nothing (plain_text, toasts, a text message before
 * `forTextMessage` takes the markup characters out). Unknown names and invalid code points stay as typed.
 */
export function decodeEntities(text: string): string {
  return text.replace(ENTITY_ANYWHERE, (m) => {
    const body = m.slice(1, -1);
    if (body[0] !== '#') return NAMED[body] ?? m;
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : m;
  });
}

/**
 * The characters that start markup in a text message (tags, links), and the full-width forms shown instead.
 * A person's own `**` reaches here as entities (t() escaped it) and is shown as typed.
 */
const TEXT_MARKUP = /[<>[\]]/g;
const FULL_WIDTH: Record<string, string> = { '<': '\uFF1C', '>': '\uFF1E', '[': '\uFF3B', ']': '\uFF3D' };

/**
 * A whole text message as Lark gets it (`msg_type: text`): entities decoded, then no tag and no link left. The
 * bot makes no mention in a text message; one it ever wants goes in a card, built from an id.
 */
export function forTextMessage(text: string): string {
  return decodeEntities(plainOwnMarkup(text)).replace(TEXT_MARKUP, (c) => FULL_WIDTH[c]!);
}

/**
 * The bot's own emphasis and code marks, taken out of a text message (issue 17: Lark shows `**name**` and
 * backticks raw there). Only literal marks go: a user's typed `*` and backtick are entities until decoded after.
 */
const OWN_MARKUP = /\*\*|~~|\x60/g;
export function plainOwnMarkup(text: string): string {
  return text.replace(OWN_MARKUP, '');
}

/** Held only by this module: a `Markup` cannot be made without it. */
const TRUSTED: unique symbol = Symbol('trusted markup');

/**
 * Markup the bot itself made: a mention built from an open_id, a link it composed, a rendered template. A value
 * of this type goes into a template as it is; every other string is escaped. Made only by `trustedMarkup`,
 * which the lint allows in the template renderer (`src/text.ts`) and the card builders (`src/lark/cards.ts`).
 */
export class Markup {
  readonly source: string;
  constructor(token: typeof TRUSTED, source: string) {
    if (token !== TRUSTED) throw new Error('Markup is made by trustedMarkup only');
    this.source = source;
  }
  toString(): string {
    return this.source;
  }
}

export function isMarkup(v: unknown): v is Markup {
  return v instanceof Markup;
}

/** Only for text that is markup by construction (see `Markup`); never for anything a person typed. */
export function trustedMarkup(source: string): Markup {
  return new Markup(TRUSTED, source);
}
