/*
 * Card builders, Lark card JSON 2.0 (schema "2.0"). Small functions returning plain JSON, so handlers compose
 * cards and tests read them. Texts come from prompts/ through the callers; nothing here is user-facing prose.
 * Limits: a card must stay under 30 KB (Lark refuses larger), and a form cannot contain a table or another form.
 *
 * Output kinds: `md`/`note` contents and `lark_md` table cells are card markdown, and take texts rendered by `t()`
 * (user values escaped there); a raw user string for a markdown cell is escaped here. Titles, buttons, labels,
 * placeholders, options and `text` cells are plain_text, which renders nothing: the entities of a rendered text
 * are decoded for them (`plainText`), so a name shows as typed.
 */
import { decodeEntities, escapeMarkdown, isMarkup, trustedMarkup, type Markup } from '../domain/markup.js';
import { CARD_MAX_TABLES } from './card-spec.js';

export type Json = Record<string, unknown>;
export type Element = Json;
export type Template =
  'blue' | 'wathet' | 'turquoise' | 'green' | 'yellow' | 'orange' | 'red' | 'carmine' | 'violet' | 'purple' | 'indigo' | 'grey';

export const CARD_MAX_BYTES = 30 * 1024;

export interface Card extends Json {
  schema: '2.0';
  config: Json;
  header?: Json;
  body: { elements: Element[] };
}

export function card(opts: { title: string; subtitle?: string; template?: Template; elements: Element[]; summary?: string }): Card {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', ...(opts.summary ? { summary: { content: plainText(opts.summary) } } : {}) },
    header: {
      title: { tag: 'plain_text', content: plainText(opts.title) },
      ...(opts.subtitle ? { subtitle: { tag: 'plain_text', content: plainText(opts.subtitle) } } : {}),
      template: opts.template ?? 'blue',
    },
    body: { elements: opts.elements },
  };
}

/** Text for a plain_text field: a rendered text's entities back to characters (plain_text renders no markup). */
export const plainText = (text: string): string => decodeEntities(text);

export const md = (content: string, extra: Json = {}): Element => ({ tag: 'markdown', content, ...extra });
export const hr = (): Element => ({ tag: 'hr' });
export const note = (content: string): Element => ({ tag: 'markdown', content, text_size: 'notation' });

export function columns(cols: { elements: Element[]; weight?: number }[]): Element {
  return {
    tag: 'column_set',
    flex_mode: 'stretch',
    horizontal_spacing: '8px',
    columns: cols.map((c) => ({ tag: 'column', width: 'weighted', weight: c.weight ?? 1, elements: c.elements })),
  };
}

/** A button whose click calls back with `value` (an object: Lark passes it back as action.value). */
export function button(
  text: string,
  value: Json,
  opts: { type?: 'primary' | 'default' | 'danger' | 'primary_filled'; name?: string } = {},
): Element {
  return {
    tag: 'button',
    text: { tag: 'plain_text', content: plainText(text) },
    type: opts.type ?? 'default',
    ...(opts.name ? { name: opts.name } : {}),
    behaviors: [{ type: 'callback', value }],
  };
}

/** The submit button of a form: clicking it sends every field's value as form_value, plus `value`. */
export function submitButton(text: string, value: Json, name = 'submit'): Element {
  return { ...button(text, value, { type: 'primary', name }), form_action_type: 'submit' };
}

export function input(opts: {
  name: string;
  label: string;
  placeholder?: string;
  value?: string;
  required?: boolean;
  multiline?: boolean;
  maxLength?: number;
}): Element {
  return {
    tag: 'input',
    name: opts.name,
    label: { tag: 'plain_text', content: plainText(opts.label) },
    label_position: 'top',
    ...(opts.placeholder ? { placeholder: { tag: 'plain_text', content: plainText(opts.placeholder) } } : {}),
    ...(opts.value !== undefined && opts.value !== '' ? { default_value: opts.value } : {}),
    required: opts.required ?? false,
    ...(opts.multiline ? { input_type: 'multiline_text', rows: 3, auto_resize: true } : {}),
    max_length: opts.maxLength ?? 1000,
  };
}

export function select(opts: {
  name: string;
  placeholder: string;
  options: { text: string; value: string }[];
  value?: string;
  required?: boolean;
}): Element {
  return {
    tag: 'select_static',
    name: opts.name,
    placeholder: { tag: 'plain_text', content: plainText(opts.placeholder) },
    options: opts.options.map((o) => ({ text: { tag: 'plain_text', content: plainText(o.text) }, value: o.value })),
    ...(opts.value ? { initial_option: opts.value } : {}),
    required: opts.required ?? false,
  };
}

/** A multi-select (multi_select_static): form_value brings back the chosen values as an array of strings. */
export function multiSelect(opts: {
  name: string;
  placeholder: string;
  options: { text: string; value: string }[];
  values?: readonly string[];
  required?: boolean;
}): Element {
  return {
    tag: 'multi_select_static',
    name: opts.name,
    placeholder: { tag: 'plain_text', content: plainText(opts.placeholder) },
    options: opts.options.map((o) => ({ text: { tag: 'plain_text', content: plainText(o.text) }, value: o.value })),
    selected_values: [...(opts.values ?? [])],
    required: opts.required ?? false,
  };
}

export function datePicker(opts: { name: string; placeholder: string; value?: string; required?: boolean }): Element {
  return {
    tag: 'date_picker',
    name: opts.name,
    placeholder: { tag: 'plain_text', content: plainText(opts.placeholder) },
    ...(opts.value ? { initial_date: opts.value } : {}),
    required: opts.required ?? false,
  };
}

/**
 * A collapsible panel (JSON 2.0 `collapsible_panel`): a title to tap, its elements shown when open. It may sit in a
 * form (its fields are submitted with the form, open or not) but may not hold one.
 */
export function panel(title: string, elements: Element[], opts: { expanded?: boolean } = {}): Element {
  return {
    tag: 'collapsible_panel',
    expanded: opts.expanded ?? false,
    header: { title: { tag: 'plain_text', content: plainText(title) } },
    border: { color: 'grey', corner_radius: '5px' },
    padding: '8px 8px 8px 8px',
    elements,
  };
}

export function form(name: string, elements: Element[]): Element {
  return { tag: 'form', name, elements };
}

/**
 * A table. A cell of a `text` column is plain text (a rendered text is decoded, a raw value shown as typed); a
 * cell of a `lark_md` column is markdown: a string there is user data and is escaped, only `Markup` (a template
 * rendered with `tm`) keeps its markup.
 */
export function table(opts: {
  columns: { name: string; label: string; type?: 'text' | 'lark_md' | 'number'; width?: string }[];
  rows: Record<string, string | number | Markup>[];
  pageSize?: number;
}): Element {
  const kinds = new Map(opts.columns.map((c) => [c.name, c.type ?? 'text']));
  const cell = (column: string, v: string | number | Markup): string | number => {
    if (typeof v === 'number') return v;
    if (kinds.get(column) === 'lark_md') return isMarkup(v) ? v.source : escapeMarkdown(v);
    return plainText(isMarkup(v) ? v.source : v);
  };
  const rows = opts.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, cell(k, v)])));
  return {
    tag: 'table',
    page_size: Math.min(opts.pageSize ?? 10, 10),
    row_height: 'low',
    header_style: { text_align: 'left', bold: true, background_style: 'grey', lines: 1 },
    columns: opts.columns.map((c) => ({
      name: c.name,
      display_name: c.label,
      data_type: c.type ?? 'text',
      width: c.width ?? 'auto',
    })),
    rows,
  };
}

/** A chart element (VChart spec, which Lark renders): bars or lines over categories. */
export function chart(opts: {
  kind: 'bar' | 'line' | 'funnel';
  title: string;
  data: { x: string; y: number; series?: string }[];
  height?: string;
}): Element {
  const values = opts.data.map((d) => ({ x: plainText(d.x), y: d.y, series: plainText(d.series ?? '') }));
  const spec: Json =
    opts.kind === 'funnel'
      ? {
          type: 'funnel',
          title: { text: plainText(opts.title) },
          data: { values },
          categoryField: 'x',
          valueField: 'y',
          label: { visible: true },
        }
      : {
          type: opts.kind,
          title: { text: plainText(opts.title) },
          data: { values },
          xField: 'x',
          yField: 'y',
          ...(values.some((v) => v.series) ? { seriesField: 'series' } : {}),
          label: { visible: true },
        };
  return { tag: 'chart', aspect_ratio: '16:9', height: opts.height ?? 'auto', chart_spec: spec };
}

export function cardBytes(c: Json): number {
  return new TextEncoder().encode(JSON.stringify(c)).length;
}

/**
 * Splits a long list of elements over several cards so each stays under the size limit. The first card keeps
 * the header title; the others get "(续 n)" appended by the caller-provided title function.
 */
export function splitCards(
  make: (elements: Element[], part: number) => Card,
  elements: Element[],
  maxBytes = CARD_MAX_BYTES - 2048,
): Card[] {
  const cards: Card[] = [];
  let current: Element[] = [];
  // Lark also takes at most CARD_MAX_TABLES tables in one card (card-spec.ts): a long report starts a new card.
  const tables = (els: Element[]) => els.filter((e) => (e as { tag?: unknown }).tag === 'table').length;
  for (const el of elements) {
    const trial = make([...current, el], cards.length + 1);
    if (current.length > 0 && (cardBytes(trial) > maxBytes || tables([...current, el]) > CARD_MAX_TABLES)) {
      cards.push(make(current, cards.length + 1));
      current = [el];
    } else {
      current.push(el);
    }
  }
  if (current.length > 0 || cards.length === 0) cards.push(make(current, cards.length + 1));
  return cards;
}

/** An open_id as Lark issues them; anything else is never put inside an `<at>` tag. */
const OPEN_ID = /^ou_[A-Za-z0-9_-]{1,64}$/;

/**
 * A person in card markdown: a mention (`<at id=…></at>`, which Lark renders as the name and rings their phone)
 * when they have a Lark account, else their name, escaped. Mentions are built from ids the bot holds, never from
 * user text; the result is `Markup`, the one kind of value a template takes as markup.
 */
export function mention(person: { name: string; openId: string | null | undefined }): Markup {
  return trustedMarkup(person.openId && OPEN_ID.test(person.openId) ? `<at id=${person.openId}></at>` : escapeMarkdown(person.name));
}
