import { endAway, handOver, setAway } from '../../admin/delegation.js';
import type { CommandHandler } from './types.js';

/** `请假` / `出差 <代理人> <结束日期>`: a delegate of the same unit until a day (src/admin/delegation.ts). */
export const away: CommandHandler<'away'> = async (deps, { msg, person, cmd }) => {
  if (!person) return;
  return setAway(deps, msg, person, cmd.kind, cmd.args);
};

/** `销假 [责任人]`: ends a delegation early. */
export const back: CommandHandler<'back'> = async (deps, { msg, person, cmd }) => {
  if (!person) return;
  return endAway(deps, msg, person, cmd.args);
};

/** `交接 <原责任人> <新责任人> [项目]`: a unit lead hands an officer's projects to a colleague. */
export const handover: CommandHandler<'handover'> = async (deps, { msg, person, cmd }) => {
  if (!person) return;
  return handOver(deps, msg, person, cmd.args);
};
