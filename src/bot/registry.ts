import { baseRegistry, type Registry } from './router.js';
import { reportList, reportNoChange, reportOpen, reportSubmit } from './report/handlers.js';
import { mine, move, newProject, newSubmit, reportCommand } from './report/commands.js';

/** Every feature's commands and card actions. */
export function fullRegistry(): Registry {
  const r = baseRegistry();
  // The reporting loop.
  Object.assign(r.commands, { report: reportCommand, mine, move, new: newProject });
  Object.assign(r.actions, {
    report_open: reportOpen,
    report_nochange: reportNoChange,
    report_submit: reportSubmit,
    report_list: reportList,
    new_submit: newSubmit,
  });
  return r;
}
