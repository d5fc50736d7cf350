import type { Db, Tx } from '../store/db.js';
import type { Project } from '../store/projects.js';
import { problemUnitNameOf, reportForEdit, type Report } from '../store/reports.js';
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
  return found ? stateOf(found.report, found.content, found.problemUnitName) : {};
}

/**
 * The same from the report and latest content a card action has already read with its project (store/action-context):
 * no query for a period not yet reported, one only when the report names a unit to act on its problem.
 */
export async function formStateOf(db: Db | Tx, report: Report | null, content: unknown): Promise<FormState> {
  if (!report) return {};
  return stateOf(report, content, report.noChange ? null : await problemUnitNameOf(db, content));
}

function stateOf(report: Report, content: unknown, problemUnitName: string | null): FormState {
  return {
    values: report.noChange ? undefined : formValuesOf(content, problemUnitName),
    previous: report.noChange ? undefined : content,
    edit: { noChange: report.noChange, revision: report.revision },
  };
}
