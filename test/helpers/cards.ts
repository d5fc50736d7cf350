/** Reading cards the way a person does: find buttons and form fields in card JSON 2.0. */

type Node = Record<string, unknown>;

export function walk(node: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(node)) {
    for (const x of node) walk(x, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  visit(node as Node);
  for (const v of Object.values(node as Node)) walk(v, visit);
}

export interface FoundButton {
  text: string;
  value: Record<string, unknown>;
  submit: boolean;
}

export function buttons(card: unknown): FoundButton[] {
  const out: FoundButton[] = [];
  walk(card, (n) => {
    if (n.tag !== 'button') return;
    const text = String((n.text as Node | undefined)?.content ?? '');
    const behaviors = (n.behaviors as Node[] | undefined) ?? [];
    const value = (behaviors.find((b) => b.type === 'callback')?.value ?? n.value ?? {}) as Record<string, unknown>;
    out.push({ text, value, submit: n.form_action_type === 'submit' });
  });
  return out;
}

/** The button whose callback value matches every given entry. */
export function button(card: unknown, match: Record<string, unknown>): FoundButton {
  const b = buttons(card).find((x) => Object.entries(match).every(([k, v]) => x.value[k] === v));
  if (!b) throw new Error(`no button with ${JSON.stringify(match)} in card`);
  return b;
}

/** Form fields by name with their current default values. */
export function fields(card: unknown): Map<string, { tag: string; value: unknown }> {
  const m = new Map<string, { tag: string; value: unknown }>();
  walk(card, (n) => {
    if (typeof n.name === 'string' && ['input', 'select_static', 'date_picker'].includes(String(n.tag))) {
      m.set(n.name, { tag: String(n.tag), value: n.default_value ?? n.initial_option ?? n.initial_date });
    }
  });
  return m;
}

/** All visible text of a card or a text message (markdown, titles, table cells), for "the person reads X". */
export function text(content: unknown): string {
  const parts: string[] = [];
  walk(content, (n) => {
    if (typeof n.content === 'string') parts.push(n.content);
    if (typeof n.text === 'string') parts.push(n.text);
    if (n.tag === 'table' && Array.isArray(n.rows)) for (const r of n.rows as Node[]) parts.push(Object.values(r).join(' '));
  });
  return parts.join('\n');
}

/** The visible text of a message the emulator holds. */
export const messageText = (m: { content: unknown }): string => text(m.content);
