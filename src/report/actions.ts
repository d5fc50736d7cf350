/*
 * The card actions of the reporting loop: the ids the buttons carry (`a`) and the values that come back with a
 * click. The card builders write them and the bot's adapters dispatch on them, both from here, so a renamed
 * action cannot leave a button that nothing answers.
 */

export const REPORT_ACTIONS = {
  /** Open the report form for one project (a reminder's 填报, a pick-list entry, a receipt's 修改). */
  open: 'report_open',
  /** 本月无变化: record a no-change report in one click. */
  noChange: 'report_nochange',
  /** Submit the report form. */
  submit: 'report_submit',
  /** 返回列表: the reminder card again, with each listed project's status. */
  list: 'report_list',
  /** Submit the new-project form. */
  newSubmit: 'new_submit',
} as const;

export type ReportAction = (typeof REPORT_ACTIONS)[keyof typeof REPORT_ACTIONS];

/**
 * What a button of the loop carries besides its action id: the project, the period the card was about, and the
 * ids of the projects on the card it came from (so "返回列表" can redraw that card). Any of them may be missing.
 */
export interface ActionValue {
  p?: number;
  period?: string;
  ids?: number[];
  /** A refused form's small amounts (report/form confirmKey) that submitting it again confirms (issue 17). */
  small?: string[];
  /** The list came from 我的项目: cards redrawn from it keep its title and counts (issue 17). */
  mine?: boolean;
}

/** The value of a button: its action id and what it carries. */
export function actionValue(a: ReportAction, v: ActionValue = {}): Record<string, unknown> {
  return { a, ...v };
}

/**
 * Reads a clicked button's value. It comes back from Lark as the card had it, but a card is only JSON in a chat:
 * anything malformed is dropped rather than trusted.
 */
export function readActionValue(value: Record<string, unknown>): ActionValue {
  const p = Number(value.p);
  return {
    p: Number.isInteger(p) && p > 0 ? p : undefined,
    period: typeof value.period === 'string' && /^\d{4}-\d{2}$/.test(value.period) ? value.period : undefined,
    ids: Array.isArray(value.ids) ? value.ids.map(Number).filter((n) => Number.isInteger(n) && n > 0) : [],
    // Only confirms an amount the officer typed again; anything else in it is dropped.
    small: Array.isArray(value.small)
      ? value.small.filter((x): x is string => typeof x === 'string' && /^[a-z_]{1,20}=\d{1,16}$/.test(x)).slice(0, 3)
      : undefined,
    mine: value.mine === true ? true : undefined,
  };
}
