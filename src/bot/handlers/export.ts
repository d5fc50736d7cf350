import { exportForAdmin } from '../../admin/export.js';
import type { CommandHandler } from './types.js';

/** `/export`: the admin's five databases as an .xlsx (src/admin/export.ts). */
export const exportCommand: CommandHandler<'export'> = async (deps, { msg, person }) => {
  if (!person) return;
  return exportForAdmin(deps, msg, person);
};
