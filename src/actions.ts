/*
 * Card action ids: the `a` of a button's value. The card builders write them and the bot's registry routes on
 * them, so both take them from here rather than spelling the strings twice.
 */
export const ACTIONS = {
  /** The demo card's button: counts clicks and updates the card in place. */
  demoClick: 'demo_click',
  /** A ledger sent in chat: write it after the preview. */
  importConfirm: 'import_confirm',
  /** A ledger sent in chat: drop it after the preview. */
  importCancel: 'import_cancel',
  /** The 核查 card: verify one reported funds entry (到位资金). */
  fundVerify: 'fund_verify',
  /** The 核查 card: return one reported funds entry to its owner, with a reason. */
  fundReject: 'fund_reject',
  /** The 核查 card: open one entry's evidence (the image or file the owner sent), sent to the checker. */
  fundEvidence: 'fund_evidence',
  /** 转移's consent card (000 三(一)): the first-talk unit's lead agrees or declines. */
  transferDecide: 'transfer_decide',
  /** A 履约提醒函's form (001 三.四): the owner answers with what was done. */
  letterAnswer: 'letter_answer',
} as const;
