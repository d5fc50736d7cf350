import { baseRegistry, type Registry } from './router.js';
import { mine, move, newProject, newSubmit, reportCommand, reportList, reportNoChange, reportOpen, reportSubmit } from './report.js';
import { query, status } from './handlers/status.js';
import { bind, unbind } from './handlers/bind.js';
import { trip } from './handlers/trip.js';
import { exportCommand } from './handlers/export.js';
import { letter } from './handlers/letters.js';

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
  // Status, bindings, trips, export; `query` reads plain words (and leaves file messages to the ledger import).
  Object.assign(r.commands, { status, query, bind, unbind, trip, export: exportCommand });
  // 履约提醒函: list and close.
  Object.assign(r.commands, { letter });
  return r;
}
