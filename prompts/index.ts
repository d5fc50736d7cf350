import common from './common.js';
import domain from './domain.js';
import bot from './bot.js';
import report from './report.js';
import jobs from './jobs.js';
import ledger from './ledger.js';
import status from './status.js';
import extract from './extract.js';
import delegation from './delegation.js';
import funds from './funds.js';
import transfer from './transfer.js';
import year from './year.js';
import problems from './problems.js';

/** Every template, keyed `area.name`. Add a new area file here. */
export const templates = {
  ...common,
  ...domain,
  ...bot,
  ...report,
  ...jobs,
  ...ledger,
  ...status,
  ...extract,
  ...delegation,
  ...funds,
  ...transfer,
  ...year,
  ...problems,
} as const;

export type TemplateKey = keyof typeof templates;
