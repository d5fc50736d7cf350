/*
 * Lark's rules for a card JSON 2.0, checked in one place: what Lark refuses when a card is sent, replied or
 * patched (severity 'error'), and what it accepts but drops or renders badly (severity 'warning').
 *
 * Pure: no I/O and no imports but its own constraint tables (./card-spec.ts), so the bot, the tests and the emulator can all use it (the emulator answers a
 * refused card with the code Lark uses). Issues carry a code and a path, never prose for people.
 *
 * Sources (Feishu Open Platform, as of 2025):
 *   [structure]  卡片 JSON 2.0 结构   https://open.feishu.cn/document/feishu-cards/card-json-v2-structure
 *   [changes]    卡片 JSON 2.0 版本更新说明
 *                https://open.feishu.cn/document/feishu-cards/card-json-v2-breaking-changes-release-notes
 *   [form]       表单容器   https://open.feishu.cn/document/feishu-cards/card-json-v2-components/containers/form-container
 *   [table]      表格组件   https://open.feishu.cn/document/feishu-cards/card-json-v2-components/content-components/table
 *   [chart]      图表组件   https://open.feishu.cn/document/feishu-cards/card-json-v2-components/content-components/chart
 *   [button]     按钮组件   https://open.feishu.cn/document/feishu-cards/card-json-v2-components/interactive-components/button
 *   [input]      输入框组件 https://open.feishu.cn/document/feishu-cards/card-json-v2-components/interactive-components/input
 *   [markdown]   富文本（Markdown）组件 https://open.feishu.cn/document/feishu-cards/card-json-v2-components/content-components/rich-text
 *   [send]       发送消息（im/v1/messages, 错误码与 230099 子错误码）
 *                https://open.feishu.cn/document/server-docs/im-v1/message/create
 */

import {
  CARD_MAX_BYTES,
  CARD_MAX_ELEMENTS,
  CARD_MAX_CONTAINER_DEPTH,
  CARD_MAX_TABLES,
  TABLE_MAX_COLUMNS,
  TABLE_MAX_PAGE_SIZE,
  CARD_ADVISED_MAX_CHARTS,
  BUTTON_TEXT_MAX_CHARS,
  PLACEHOLDER_MAX_CHARS,
  INPUT_MAX_LENGTH,
  API_TOO_LARGE,
  API_CARD_REFUSED,
  TOP_LEVEL_KEYS,
  CONFIG_KEYS,
  WIDTH_MODES,
  BODY_KEYS,
  HEADER_TEMPLATES,
  TAGS_REMOVED_IN_V2,
  KNOWN_TAGS,
  CONTAINER_TAGS,
  FORM_FIELD_TAGS,
  BUTTON_TYPES,
  TABLE_DATA_TYPES,
  CHART_ASPECT_RATIOS,
  ELEMENT_ID,
  MENTION_ALL,
  type CardIssueSeverity,
  type CardIssueCode,
  type CardIssue,
} from './card-spec.js';

// The codes and limits are part of the checker's answer: callers import them from here.
export * from './card-spec.js';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const chars = (s: string) => [...s].length;

interface Ctx {
  issues: CardIssue[];
  elementIds: Set<string>;
  formNames: Set<string>;
  fieldNames: Set<string>;
  tables: number;
  charts: number;
}

interface Place {
  path: string;
  /** container levels around this component */
  depth: number;
  /** the enclosing form, if any */
  form?: { path: string; submits: number };
  /** directly in body.elements */
  atRoot: boolean;
}

function add(ctx: Ctx, code: CardIssueCode, path: string, message: string, severity: CardIssueSeverity = 'error', subCode?: number) {
  const issue: CardIssue = { code, severity, path, message };
  if (severity === 'error') issue.lark = subCode === undefined ? { code: API_CARD_REFUSED } : { code: API_CARD_REFUSED, subCode };
  ctx.issues.push(issue);
}

/** Every object with a string `tag`, anywhere in the card: what Lark counts against its 200. */
function countTagged(node: unknown): number {
  if (Array.isArray(node)) return node.reduce<number>((n, x) => n + countTagged(x), 0);
  if (!isObject(node)) return 0;
  let n = typeof node.tag === 'string' ? 1 : 0;
  for (const v of Object.values(node)) n += countTagged(v);
  return n;
}

/** Every tagged object under a node (text elements included), for the tag and element_id checks. */
function eachTagged(node: unknown, path: string, visit: (o: Obj, path: string) => void): void {
  if (Array.isArray(node)) {
    node.forEach((x, i) => eachTagged(x, `${path}[${i}]`, visit));
    return;
  }
  if (!isObject(node)) return;
  if (typeof node.tag === 'string') visit(node, path);
  for (const [k, v] of Object.entries(node)) eachTagged(v, path ? `${path}.${k}` : k, visit);
}

function checkBehaviors(ctx: Ctx, el: Obj, path: string): void {
  if (el.behaviors === undefined) return;
  if (!Array.isArray(el.behaviors)) {
    add(ctx, 'behaviors_invalid', `${path}.behaviors`, 'behaviors must be an array of objects');
    return;
  }
  el.behaviors.forEach((b, i) => {
    const bp = `${path}.behaviors[${i}]`;
    if (!isObject(b) || typeof b.type !== 'string' || !['callback', 'open_url'].includes(b.type)) {
      add(ctx, 'behaviors_invalid', bp, 'a behavior is an object whose type is callback or open_url');
      return;
    }
    // [button]: "回传交互数据。支持 object 数据类型。开放平台 SDK 仅支持 object 类型的回传交互数据".
    if (b.type === 'callback' && !isObject(b.value))
      add(ctx, 'callback_value_not_object', `${bp}.value`, 'a callback value must be an object');
    if (b.type === 'open_url' && typeof b.default_url !== 'string') add(ctx, 'behaviors_invalid', bp, 'open_url needs default_url');
  });
}

function checkButton(ctx: Ctx, el: Obj, place: Place): void {
  const { path } = place;
  if (el.type !== undefined && (typeof el.type !== 'string' || !BUTTON_TYPES.has(el.type))) {
    add(ctx, 'button_type_invalid', `${path}.type`, `button type ${JSON.stringify(el.type)} is not one of Lark's`);
  }
  const text = isObject(el.text) ? el.text.content : undefined;
  if (typeof text === 'string' && chars(text) > BUTTON_TEXT_MAX_CHARS) {
    add(
      ctx,
      'button_text_too_long',
      `${path}.text.content`,
      `button text has ${chars(text)} characters (at most ${BUTTON_TEXT_MAX_CHARS})`,
    );
  }
  // The 1.0 `value` is still read by clients; the SDK only round-trips objects.
  if (el.value !== undefined && !isObject(el.value))
    add(ctx, 'button_value_not_object', `${path}.value`, 'a button value must be an object');
  const submits = el.form_action_type === 'submit' || el.action_type === 'form_submit';
  if (place.form) {
    if (submits) place.form.submits++;
    // [form]/[button]: a button inside a form needs form_action_type (submit or reset).
    const kind = el.form_action_type ?? el.action_type;
    if (!['submit', 'reset', 'form_submit', 'form_reset'].includes(String(kind))) {
      add(ctx, 'form_button_without_action_type', path, 'a button inside a form needs form_action_type submit or reset');
    }
  }
}

function checkTable(ctx: Ctx, el: Obj, place: Place): void {
  const { path } = place;
  ctx.tables++;
  // [table]: "表格组件不可被内嵌在其它组件内，只可放在卡片根节点下"; [form]: "表单容器不支持内嵌表格".
  if (place.form) add(ctx, 'table_in_form', path, 'a table cannot be inside a form');
  else if (!place.atRoot) add(ctx, 'table_not_at_root', path, 'a table can only sit directly in body.elements');
  if (el.page_size !== undefined) {
    const n = el.page_size;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > TABLE_MAX_PAGE_SIZE) {
      add(ctx, 'table_page_size_invalid', `${path}.page_size`, `page_size must be an integer in [1,${TABLE_MAX_PAGE_SIZE}]`);
    }
  }
  const columns = el.columns;
  if (!Array.isArray(columns) || columns.length === 0) {
    add(ctx, 'table_columns_missing', `${path}.columns`, 'a table needs a non-empty columns array');
    return;
  }
  if (columns.length > TABLE_MAX_COLUMNS) {
    add(ctx, 'table_too_many_columns', `${path}.columns`, `columns beyond ${TABLE_MAX_COLUMNS} are not shown`, 'warning');
  }
  const types = new Map<string, string>();
  columns.forEach((c, i) => {
    const cp = `${path}.columns[${i}]`;
    if (!isObject(c) || typeof c.name !== 'string' || c.name === '') {
      add(ctx, 'table_column_invalid', cp, 'a column needs a name');
      return;
    }
    const type = c.data_type ?? 'text';
    if (typeof type !== 'string' || !TABLE_DATA_TYPES.has(type)) {
      add(ctx, 'table_column_invalid', `${cp}.data_type`, `data_type ${JSON.stringify(type)} is not one of Lark's`);
    }
    if (types.has(c.name)) add(ctx, 'table_column_duplicate', `${cp}.name`, `column name ${JSON.stringify(c.name)} is used twice`);
    types.set(c.name, String(type));
  });
  const rows = el.rows;
  if (!Array.isArray(rows)) {
    add(ctx, 'table_rows_invalid', `${path}.rows`, 'rows must be an array of objects', 'error', 200914);
    return;
  }
  rows.forEach((r, i) => {
    const rp = `${path}.rows[${i}]`;
    if (!isObject(r)) {
      add(ctx, 'table_rows_invalid', rp, 'a row must be an object keyed by column name', 'error', 200914);
      return;
    }
    for (const [key, value] of Object.entries(r)) {
      const type = types.get(key);
      // [send] 200915 "table rows name is invalid": a row key must be a declared column.
      if (type === undefined) {
        add(ctx, 'table_row_unknown_column', `${rp}.${key}`, `row key ${JSON.stringify(key)} is not a column`, 'error', 200915);
        continue;
      }
      if (value === null || value === undefined) continue;
      // [send] 200914: a cell that does not parse as its column's data_type.
      const ok =
        type === 'number' || type === 'date'
          ? typeof value === 'number' && Number.isFinite(value)
          : type === 'persons'
            ? typeof value === 'string' || (Array.isArray(value) && value.every((x) => typeof x === 'string'))
            : type === 'options'
              ? typeof value === 'string' || (Array.isArray(value) && value.every((x) => isObject(x) && typeof x.text === 'string'))
              : true;
      if (!ok) add(ctx, 'table_cell_type_mismatch', `${rp}.${key}`, `cell does not fit data_type ${type}`, 'error', 200914);
    }
  });
}

function checkChart(ctx: Ctx, el: Obj, place: Place): void {
  const { path } = place;
  ctx.charts++;
  // [send] 200550 "chart spec is invalid"; [chart]: chart_spec is required, a VChart spec (which needs a type).
  if (!isObject(el.chart_spec)) {
    add(ctx, 'chart_spec_missing', `${path}.chart_spec`, 'a chart needs chart_spec (a VChart spec object)', 'error', 200550);
  } else if (typeof el.chart_spec.type !== 'string' || el.chart_spec.type === '') {
    add(ctx, 'chart_spec_type_missing', `${path}.chart_spec.type`, 'chart_spec needs a VChart type', 'error', 200550);
  }
  if (el.aspect_ratio !== undefined && !CHART_ASPECT_RATIOS.has(String(el.aspect_ratio))) {
    add(ctx, 'chart_aspect_ratio_invalid', `${path}.aspect_ratio`, 'aspect_ratio must be 1:1, 2:1, 4:3 or 16:9');
  }
  if (el.height !== undefined) {
    const m = typeof el.height === 'string' ? /^(\d+)px$/.exec(el.height) : null;
    if (el.height !== 'auto' && !(m && Number(m[1]) >= 1 && Number(m[1]) <= 999)) {
      add(ctx, 'chart_height_invalid', `${path}.height`, 'height must be auto or [1,999]px');
    }
  }
  // [form] lists charts among what a form cannot hold, while [changes] allows all but form and table in 2.0.
  if (place.form) add(ctx, 'chart_in_form', path, 'a chart inside a form may not render', 'warning');
}

function checkField(ctx: Ctx, el: Obj, tag: string, place: Place): void {
  const { path } = place;
  if (tag === 'input') {
    if (el.max_length !== undefined) {
      const n = el.max_length;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > INPUT_MAX_LENGTH) {
        add(ctx, 'input_max_length_invalid', `${path}.max_length`, `max_length must be an integer in [1,${INPUT_MAX_LENGTH}]`);
      }
    }
    const ph = isObject(el.placeholder) ? el.placeholder.content : undefined;
    if (typeof ph === 'string' && chars(ph) > PLACEHOLDER_MAX_CHARS) {
      add(
        ctx,
        'placeholder_too_long',
        `${path}.placeholder.content`,
        `placeholder has ${chars(ph)} characters (at most ${PLACEHOLDER_MAX_CHARS})`,
      );
    }
  }
  if (place.form) {
    if (typeof el.name !== 'string' || el.name === '') {
      add(ctx, 'form_field_without_name', `${path}.name`, `a ${tag} inside a form needs a name`);
    } else if (ctx.fieldNames.has(el.name)) {
      add(ctx, 'form_field_name_duplicate', `${path}.name`, `name ${JSON.stringify(el.name)} is used twice in the card`);
    } else {
      ctx.fieldNames.add(el.name);
    }
  } else if (el.required !== undefined && tag !== 'button') {
    // [input]: required "当输入框内嵌在表单容器时，该属性可用。其它情况将报错或不生效".
    add(ctx, 'required_outside_form', `${path}.required`, `required on a ${tag} outside a form is refused or ignored`, 'warning');
  }
}

function visit(ctx: Ctx, node: unknown, place: Place): void {
  const { path } = place;
  if (!isObject(node)) {
    add(ctx, 'element_not_object', path, 'a component must be an object');
    return;
  }
  const tag = node.tag;
  if (typeof tag !== 'string') {
    add(ctx, 'tag_missing', `${path}.tag`, 'a component needs a tag');
    return;
  }
  if (TAGS_REMOVED_IN_V2.has(tag)) {
    add(ctx, 'tag_unsupported_in_v2', `${path}.tag`, `tag ${tag} does not exist in card JSON 2.0`, 'error', 200861);
    return;
  }
  checkBehaviors(ctx, node, path);
  if (tag === 'button') checkButton(ctx, node, place);
  if (FORM_FIELD_TAGS.has(tag)) checkField(ctx, node, tag, place);
  if (tag === 'table') checkTable(ctx, node, place);
  if (tag === 'chart') checkChart(ctx, node, place);

  let form = place.form;
  if (tag === 'form') {
    // [form]: "表单容器组件不可被内嵌在其它组件内，只可放在卡片根节点下"; "表单容器不支持内嵌…表单容器组件".
    if (place.form) add(ctx, 'form_nested', path, 'a form cannot be inside another form');
    else if (!place.atRoot) add(ctx, 'form_not_at_root', path, 'a form can only sit directly in body.elements');
    if (typeof node.name !== 'string' || node.name === '') add(ctx, 'form_name_missing', `${path}.name`, 'a form needs a name');
    else if (ctx.formNames.has(node.name))
      add(ctx, 'form_name_duplicate', `${path}.name`, `form name ${JSON.stringify(node.name)} is used twice`);
    else ctx.formNames.add(node.name);
    form = { path, submits: 0 };
  }
  if (!CONTAINER_TAGS.has(tag) && tag !== 'column') return;

  const depth = tag === 'column' ? place.depth : place.depth + 1;
  if (tag !== 'column' && depth > CARD_MAX_CONTAINER_DEPTH) {
    add(ctx, 'nesting_too_deep', path, `containers nest ${depth} deep (at most ${CARD_MAX_CONTAINER_DEPTH})`);
  }
  const children: [unknown, string][] = tag === 'column_set' ? [[node.columns, `${path}.columns`]] : [[node.elements, `${path}.elements`]];
  for (const [list, listPath] of children) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      add(ctx, 'element_not_object', listPath, 'children must be an array');
      continue;
    }
    list.forEach((child, i) => visit(ctx, child, { path: `${listPath}[${i}]`, depth, form, atRoot: false }));
  }
  // [form]: "表单容器内必须包含一个用于提交表单的按钮组件".
  if (tag === 'form' && form && form.submits === 0) {
    add(ctx, 'form_without_submit', path, 'a form needs a button with form_action_type submit');
  }
}

function checkTop(ctx: Ctx, card: Obj): void {
  for (const key of Object.keys(card)) {
    if (!TOP_LEVEL_KEYS.has(key)) add(ctx, 'unknown_key', key, `card JSON 2.0 has no top-level ${key}`);
  }
  const config = card.config;
  if (config !== undefined) {
    if (!isObject(config)) add(ctx, 'config_invalid', 'config', 'config must be an object');
    else {
      for (const key of Object.keys(config)) {
        if (!CONFIG_KEYS.has(key)) add(ctx, 'unknown_key', `config.${key}`, `config has no ${key}`);
      }
      // [structure]/[changes]: update_multi "JSON 2.0 暂时仅支持设为 true".
      if (config.update_multi !== undefined && config.update_multi !== true) {
        add(ctx, 'config_invalid', 'config.update_multi', 'update_multi can only be true in card JSON 2.0');
      }
      if (config.width_mode !== undefined && !WIDTH_MODES.has(String(config.width_mode))) {
        add(ctx, 'config_invalid', 'config.width_mode', 'width_mode must be default, compact or fill');
      }
    }
  }
  const header = card.header;
  if (header !== undefined) {
    if (!isObject(header)) add(ctx, 'header_invalid', 'header', 'header must be an object');
    else {
      // [structure]: header.title "卡片主标题。必填".
      if (!isObject(header.title) || typeof header.title.content !== 'string')
        add(ctx, 'header_invalid', 'header.title', 'a header needs a title');
      if (header.template !== undefined && !HEADER_TEMPLATES.has(String(header.template))) {
        add(ctx, 'header_invalid', 'header.template', `header template ${JSON.stringify(header.template)} is not one of Lark's`);
      }
    }
  }
  const body = card.body;
  if (body === undefined) return;
  if (!isObject(body) || !Array.isArray(body.elements)) {
    add(ctx, 'body_invalid', 'body', 'body must be an object with an elements array');
    return;
  }
  for (const key of Object.keys(body)) {
    if (!BODY_KEYS.has(key)) add(ctx, 'unknown_key', `body.${key}`, `body has no ${key}`);
  }
  body.elements.forEach((el, i) => visit(ctx, el, { path: `body.elements[${i}]`, depth: 0, atRoot: true }));
}

/**
 * Every issue Lark's rules find in a card (errors first in the order found, then warnings). An empty list means
 * Lark takes the card as it is. A card that is not schema 2.0 is only measured: the rules here are 2.0's.
 */
export function checkCard(card: unknown): CardIssue[] {
  const ctx: Ctx = { issues: [], elementIds: new Set(), formNames: new Set(), fieldNames: new Set(), tables: 0, charts: 0 };
  if (!isObject(card)) {
    add(ctx, 'card_not_object', '', 'a card is a JSON object');
    return ctx.issues;
  }
  const bytes = new TextEncoder().encode(JSON.stringify(card)).length;
  if (bytes > CARD_MAX_BYTES) {
    ctx.issues.push({
      code: 'card_too_large',
      severity: 'error',
      path: '',
      message: `the card is ${bytes} bytes (at most ${CARD_MAX_BYTES})`,
      lark: { code: API_TOO_LARGE },
    });
  }
  if (card.schema !== '2.0') {
    add(ctx, 'not_schema_2', 'schema', 'not a card JSON 2.0: its rules were not checked', 'warning');
    return ctx.issues;
  }
  checkTop(ctx, card);

  const tagged = countTagged(card);
  if (tagged > CARD_MAX_ELEMENTS) {
    add(ctx, 'too_many_elements', '', `the card has ${tagged} elements and components (at most ${CARD_MAX_ELEMENTS})`, 'error', 11310);
  }
  eachTagged(card, '', (o, p) => {
    if (typeof o.tag === 'string' && !KNOWN_TAGS.has(o.tag) && !TAGS_REMOVED_IN_V2.has(o.tag)) {
      add(ctx, 'tag_unknown', `${p}.tag`, `tag ${o.tag} is not a known card JSON 2.0 component`, 'warning');
    }
    if ((o.tag === 'markdown' || o.tag === 'lark_md') && typeof o.content === 'string' && MENTION_ALL.test(o.content)) {
      add(ctx, 'mention_all', `${p}.content`, 'markdown mentions everyone (<at id=all>): user text let through as markup?', 'warning');
    }
    if (o.element_id === undefined) return;
    if (typeof o.element_id !== 'string' || !ELEMENT_ID.test(o.element_id)) {
      add(ctx, 'element_id_invalid', `${p}.element_id`, 'element_id: a letter, then letters, digits or _, 20 characters at most');
    } else if (ctx.elementIds.has(o.element_id)) {
      add(ctx, 'element_id_duplicate', `${p}.element_id`, `element_id ${o.element_id} is used twice`);
    } else {
      ctx.elementIds.add(o.element_id);
    }
  });
  if (ctx.tables > CARD_MAX_TABLES) add(ctx, 'too_many_tables', 'body', `the card has ${ctx.tables} tables (at most ${CARD_MAX_TABLES})`);
  if (ctx.charts > CARD_ADVISED_MAX_CHARTS) {
    add(ctx, 'too_many_charts', 'body', `the card has ${ctx.charts} charts (Lark advises at most ${CARD_ADVISED_MAX_CHARTS})`, 'warning');
  }
  return [...ctx.issues.filter((i) => i.severity === 'error'), ...ctx.issues.filter((i) => i.severity === 'warning')];
}

/** The issues Lark refuses a card for. */
export function cardErrors(card: unknown): CardIssue[] {
  return checkCard(card).filter((i) => i.severity === 'error');
}

/**
 * Lark's answer to a send, reply or patch carrying this card when it refuses it (HTTP 400 and the body's code
 * and msg, worded the way [send] shows them), or undefined when Lark takes it.
 */
export function larkCardRefusal(card: unknown): { status: 400; code: number; msg: string } | undefined {
  const first = cardErrors(card)[0];
  if (!first) return undefined;
  if (first.lark?.code === API_TOO_LARGE) {
    return { status: 400, code: API_TOO_LARGE, msg: `The length of the message content reaches its limit. (${first.message})` };
  }
  const sub = first.lark?.subCode === undefined ? '' : `ErrCode: ${first.lark.subCode}; `;
  const where = first.path ? `ErrPath: ROOT -> ${first.path}; ` : '';
  return {
    status: 400,
    code: API_CARD_REFUSED,
    msg: `Failed to create card content, ext=${sub}${where}ErrMsg: ${first.message} (${first.code})`,
  };
}
