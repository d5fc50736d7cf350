import type { Db, Tx } from '../store/db.js';
import type { Project } from '../store/projects.js';
import { reportForEdit } from '../store/reports.js';
import { formValuesOf, type FormValues } from './form.js';

/*
 * 修改 (issue 17, item 1): a form for a period already reported starts from everything that report said and says
 * so at the top; its submission is an edit — a new revision beside the earlier ones (report_revisions), never a
 * silent replacement.
 */

/** What a form for one project and period starts from. */
export interface FormState {
  /** The fields prefilled from the period's report; undefined when the period has none. */
  values?: FormValues;
  /** The latest revision's content, which the submission is checked against (a move kept, funds unchanged). */
  previous?: unknown;
  /** The period is reported already: the form says so at the top and its submission is an edit. */
  edit?: { noChange: boolean; revision: number };
}

export async function formState(db: Db | Tx, project: Project, period: string): Promise<FormState> {
  const found = await reportForEdit(db, project.id, period);
  if (!found) return {};
  return {
    values: found.report.noChange ? undefined : formValuesOf(found.content, found.problemUnitName),
    previous: found.report.noChange ? undefined : found.content,
    edit: { noChange: found.report.noChange, revision: found.report.revision },
  };
}
