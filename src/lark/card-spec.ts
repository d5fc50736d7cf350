/*
 * Lark's card JSON 2.0 constraints as data: the issue codes, the limits and the allowed keys, tags and values, each
 * with the words of the Feishu document it comes from (sources listed in ./card-rules.ts). The checker applies them.
 */
export type CardIssueSeverity = 'error' | 'warning';

export type CardIssueCode =
  | 'card_not_object'
  | 'card_too_large'
  | 'not_schema_2'
  | 'unknown_key'
  | 'config_invalid'
  | 'header_invalid'
  | 'body_invalid'
  | 'element_not_object'
  | 'tag_missing'
  | 'tag_unsupported_in_v2'
  | 'tag_unknown'
  | 'too_many_elements'
  | 'nesting_too_deep'
  | 'element_id_invalid'
  | 'element_id_duplicate'
  | 'form_not_at_root'
  | 'form_nested'
  | 'form_name_missing'
  | 'form_name_duplicate'
  | 'form_without_submit'
  | 'form_field_without_name'
  | 'form_field_name_duplicate'
  | 'form_button_without_action_type'
  | 'required_outside_form'
  | 'table_in_form'
  | 'table_not_at_root'
  | 'too_many_tables'
  | 'table_page_size_invalid'
  | 'table_columns_missing'
  | 'table_column_invalid'
  | 'table_column_duplicate'
  | 'table_too_many_columns'
  | 'table_rows_invalid'
  | 'table_row_unknown_column'
  | 'table_cell_type_mismatch'
  | 'chart_spec_missing'
  | 'chart_spec_type_missing'
  | 'chart_aspect_ratio_invalid'
  | 'chart_height_invalid'
  | 'chart_in_form'
  | 'too_many_charts'
  | 'button_type_invalid'
  | 'button_text_too_long'
  | 'button_value_not_object'
  | 'behaviors_invalid'
  | 'callback_value_not_object'
  | 'input_max_length_invalid'
  | 'placeholder_too_long'
  | 'mention_all';

export interface CardIssue {
  code: CardIssueCode;
  severity: CardIssueSeverity;
  /** where, from the card's root: `body.elements[3].elements[0]` */
  path: string;
  /** English, for logs and test output */
  message: string;
  /**
   * What Lark answers for an error: the API code (230025 too large, 230099 card content refused) and, where
   * [send] documents one, the ErrCode Lark puts inside its `msg`.
   */
  lark?: { code: number; subCode?: number };
}

/** [send]: "卡片消息、富文本消息请求体最大不能超过 30 KB", answered with 230025. */
export const CARD_MAX_BYTES = 30 * 1024;
/** [structure]: "一张卡片最多支持 200 个元素（如 tag 为 plain_text 的文本元素）或组件"; [send] 230099 / ErrCode 11310. */
export const CARD_MAX_ELEMENTS = 200;
/** [form]: "容器类组件最多支持嵌套五层组件". */
export const CARD_MAX_CONTAINER_DEPTH = 5;
/** [table]: "单张卡片最多支持放置五个表格组件"; columns beyond 50 are not shown; page_size in [1,10]. */
export const CARD_MAX_TABLES = 5;
export const TABLE_MAX_COLUMNS = 50;
export const TABLE_MAX_PAGE_SIZE = 10;
/** [chart]: "单张卡片建议最多放置五个图表组件" (advice: a warning). */
export const CARD_ADVISED_MAX_CHARTS = 5;
/** [button]: the text "最多支持 100 个字符"; [input]: the placeholder likewise, max_length in [1,1000]. */
export const BUTTON_TEXT_MAX_CHARS = 100;
export const PLACEHOLDER_MAX_CHARS = 100;
export const INPUT_MAX_LENGTH = 1000;

export const API_TOO_LARGE = 230025;
export const API_CARD_REFUSED = 230099;

/** [structure]: the top-level fields of a 2.0 card; [changes]: "在 JSON 2.0 版本中，传入不支持的属性将报错". */
export const TOP_LEVEL_KEYS = new Set(['schema', 'config', 'card_link', 'header', 'body']);
/** [structure]: `config`'s fields. */
export const CONFIG_KEYS = new Set([
  'streaming_mode',
  'streaming_config',
  'summary',
  'locales',
  'enable_forward',
  'update_multi',
  'width_mode',
  'use_custom_translation',
  'enable_forward_interaction',
  'style',
]);
export const WIDTH_MODES = new Set(['default', 'compact', 'fill']);
/** [structure]: `body`'s layout fields and its elements. */
export const BODY_KEYS = new Set([
  'direction',
  'padding',
  'horizontal_spacing',
  'horizontal_align',
  'vertical_spacing',
  'vertical_align',
  'elements',
]);
/** [structure]: header.template. */
export const HEADER_TEMPLATES = new Set([
  'blue',
  'wathet',
  'turquoise',
  'green',
  'yellow',
  'orange',
  'red',
  'carmine',
  'violet',
  'purple',
  'indigo',
  'grey',
  'default',
]);

/** [changes]: 2.0 no longer has the note component or the action module ([send] ErrCode 200861). */
export const TAGS_REMOVED_IN_V2 = new Set(['note', 'action']);
/** [form]: "在表单容器中所有的交互组件中，该字段（name）必填且需在卡片全局内唯一". */
export const FORM_FIELD_TAGS = new Set([
  'input',
  'select_static',
  'multi_select_static',
  'select_person',
  'multi_select_person',
  'date_picker',
  'picker_time',
  'picker_datetime',
  'checker',
  'select_img',
  'button',
]);
/** Components and text elements of 2.0 ([changes], the component overview); anything else is flagged as unknown. */
export const KNOWN_TAGS = new Set([
  'markdown',
  'div',
  'hr',
  'img',
  'img_combination',
  'column_set',
  'column',
  'form',
  'collapsible_panel',
  'interactive_container',
  'table',
  'chart',
  ...FORM_FIELD_TAGS,
  'overflow',
  'person',
  'person_list',
  'avatar',
  'audio',
  'text_tag',
  'plain_text',
  'lark_md',
  'standard_icon',
  'custom_icon',
]);
/** Containers and the field holding their children; a column_set and its columns are one level. */
export const CONTAINER_TAGS = new Set(['form', 'column_set', 'collapsible_panel', 'interactive_container']);
/** [button] */
export const BUTTON_TYPES = new Set([
  'default',
  'primary',
  'danger',
  'text',
  'primary_text',
  'danger_text',
  'primary_filled',
  'danger_filled',
  'laser',
]);
/** [table] data_type */
export const TABLE_DATA_TYPES = new Set(['text', 'lark_md', 'options', 'number', 'persons', 'date', 'markdown']);
/** [chart] */
export const CHART_ASPECT_RATIOS = new Set(['1:1', '2:1', '4:3', '16:9']);
/**
 * [markdown] `<at id=all></at>` in card markdown mentions everyone in the group (where the group allows it). The
 * bot never means to: one in a card is a user's text let through as markup (issue 13). Lark accepts it: a warning.
 */
export const MENTION_ALL = /<at\s+(?:user_|open_)?id\s*=\s*["']?all\b/i;
/** [structure]: element_id "仅允许使用字母、数字和下划线，必须以字母开头，不得超过 20 字符", unique in the card. */
export const ELEMENT_ID = /^[A-Za-z][A-Za-z0-9_]{0,19}$/;
