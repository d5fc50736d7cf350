import { cancelImport, confirmImport, previewLedger, resumeImports } from '../../admin/ledger-chat.js';
import type { ActionHandler, FileHandler, SweepHandler } from './types.js';

/*
 * A ledger sent in chat (src/admin/ledger-chat.ts): the file gets a preview card, whose buttons confirm or
 * cancel. Node only (see node-registry.ts).
 */

export const importFile: FileHandler = async (deps, { msg, person }) => {
  if (!msg.file || !person) return;
  if (msg.chatType !== 'p2p') return; // files in groups are people's business, not ours
  return previewLedger(deps, msg, person, msg.file);
};

export const importCancel: ActionHandler = async (deps, { action, person, inbox }) => {
  if (!person) return {};
  return cancelImport(deps, person, Number(action.value.s), inbox);
};

export const importConfirm: ActionHandler = (deps, { action, person, defer, inbox }) =>
  confirmImport(deps, person, Number(action.value.s), action.messageId, defer, inbox);

/** Confirmed imports a crash left 'applying': applied again (the inbox sweep). */
export const importResume: SweepHandler = (deps, later) => resumeImports(deps, later);
