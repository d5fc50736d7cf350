import { recordTrip } from '../../admin/trips.js';
import type { CommandHandler } from './types.js';

/** `/trip 目的地 [日期] [结束日期]`: an outbound investment-promotion trip (src/admin/trips.ts). */
export const trip: CommandHandler<'trip'> = async (deps, { msg, person, cmd }) => {
  if (!person) return;
  return recordTrip(deps, msg, person, cmd.args);
};
