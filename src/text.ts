import { templates, type TemplateKey } from '../prompts/index.js';
import { escapeMarkdown, isMarkup, trustedMarkup, type Markup } from './domain/markup.js';

export { decodeEntities, escapeMarkdown, forTextMessage, isMarkup, type Markup } from './domain/markup.js';

/**
 * A template's values. A string is user data (a name, a progress text, an echo of what someone typed) and is
 * escaped; a number is shown as is; only a `Markup` value (a mention built from an id, a template rendered by
 * `tm`) goes in as markup.
 */
type Vars = Record<string, string | number | Markup>;

const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g;

/** The placeholders a template uses, in order of first appearance. */
export function placeholders(template: string): string[] {
  const seen = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) seen.add(m[1]!);
  return [...seen];
}

/** Each template's placeholders, found once (the templates are fixed at start; issue 18: this ran on every render). */
const placeholderSets = new Map<string, ReadonlySet<string>>();
function placeholdersOf(key: string, template: string): ReadonlySet<string> {
  let set = placeholderSets.get(key);
  if (!set) {
    set = new Set(placeholders(template));
    placeholderSets.set(key, set);
  }
  return set;
}

/** One value as it goes into a template: escaped for card markdown unless it is the bot's own markup. */
function value(v: string | number | Markup): string {
  if (typeof v === 'number') return String(v);
  if (isMarkup(v)) return v.source;
  return escapeMarkdown(String(v));
}

/**
 * Renders a template from prompts/. Strict both ways: a placeholder without a value throws, and so does a value
 * the template never uses (it usually means the caller and the text disagree about what is shown).
 *
 * The output is card markdown, the kind most texts go out as: the template's own markup (`**`, `- `, `<font>`)
 * stays, and every string value is escaped (`escapeMarkdown`), so no caller can let a user's `<at id=all>`,
 * link or heading through. The other kinds are derived from it where the text leaves: card builders decode it
 * for plain_text (`src/lark/cards.ts`), the outbox turns a text message into `forTextMessage`
 * (`src/store/messages.ts`), and the console and files take `decodeEntities(t(…))`.
 */
export function t(key: TemplateKey, vars: Vars = {}): string {
  const template: string | undefined = (templates as Record<string, string>)[key];
  if (template === undefined) throw new Error(`unknown template ${key}`);
  const used = placeholdersOf(key, template);
  for (const name of used) {
    if (!(name in vars)) throw new Error(`template ${key}: missing value for {{${name}}}`);
  }
  for (const name of Object.keys(vars)) {
    if (!used.has(name)) throw new Error(`template ${key}: value ${name} is not used`);
  }
  return template.replace(PLACEHOLDER, (_, name: string) => value(vars[name]!));
}

/** A rendered template as a value for another template: its markup (`**`, lists) is kept there, not escaped. */
export function tm(key: TemplateKey, vars: Vars = {}): Markup {
  return trustedMarkup(t(key, vars));
}

/** Rendered lines joined as one markup value (for a list that goes into another template). */
export function joinMarkup(parts: readonly (string | Markup)[], separator: string | Markup): Markup {
  const sep = isMarkup(separator) ? separator.source : escapeMarkdown(separator);
  return trustedMarkup(parts.map((p) => (isMarkup(p) ? p.source : escapeMarkdown(p))).join(sep));
}
