import { decide, openCheck, receiveEvidence, showEvidence } from '../../report/funds-check.js';
import type { ActionHandler, CommandHandler, FileHandler } from './types.js';

/*
 * 到位资金 in chat (src/report/funds-check.ts): `核查` opens the checker's card, its buttons verify or return an
 * entry, and an image or a file (not a ledger) sent by an owner is the evidence of their latest reported entry.
 */

export const check: CommandHandler<'check'> = async (deps, { msg, person }) => {
  if (!person) return;
  return openCheck(deps, msg, person);
};

export const fundVerify: ActionHandler = (deps, { action, person, inbox }) =>
  decide(deps, person, 'verify', action.value, action.formValue, inbox);

export const fundReject: ActionHandler = (deps, { action, person, inbox }) =>
  decide(deps, person, 'reject', action.value, action.formValue, inbox);

export const fundEvidence: ActionHandler = (deps, { action, person }) => showEvidence(deps, person, action.value);

/** A ledger file by its name: what the ledger import reads (src/ledger/read.ts). */
const LEDGER_FILE = /\.(xlsx|xlsm|xls|csv)$/i;

/**
 * Files and images sent to the bot in p2p: a spreadsheet goes to the ledger import (when this entry has it), any
 * other file or an image is evidence of funds arrived. Files in groups are people's business, not ours.
 */
export function filesWithEvidence(ledger: FileHandler | undefined): FileHandler {
  return async (deps, ctx) => {
    const { msg, person } = ctx;
    if (msg.file && LEDGER_FILE.test(msg.file.fileName)) return ledger?.(deps, ctx);
    if (msg.chatType !== 'p2p' || !person) return;
    if (msg.image) return receiveEvidence(deps, msg, person, { key: msg.image.imageKey, type: 'image', name: '' });
    if (msg.file) return receiveEvidence(deps, msg, person, { key: msg.file.fileKey, type: 'file', name: msg.file.fileName });
  };
}
