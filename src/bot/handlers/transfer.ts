import { decideTransferOf, offerTransferOf } from '../../admin/transfer.js';
import type { ActionHandler, CommandHandler } from './types.js';

/** `/transfer <项目> <接收单位> <理由>`: a mechanism office offers a stalled project to another region (000 三(一)). */
export const transfer: CommandHandler<'transfer'> = async (deps, { msg, person, cmd }) =>
  person ? offerTransferOf(deps, msg, person, cmd.args) : undefined;

/** 同意 / 不同意 on the consent card: the first-talk unit's lead decides. */
export const transferDecide: ActionHandler = async (deps, { action, person, inbox }) =>
  decideTransferOf(deps, person, action.value, action.formValue, inbox);
