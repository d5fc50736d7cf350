import { parseAmount } from '../domain/amount.js';
import { card, form, input, md, select, submitButton, type Card, type Element } from '../lark/cards.js';
import { t } from '../text.js';
import { amountErrorText } from '../words.js';
import { REPORT_ACTIONS, actionValue } from './actions.js';

/*
 * 新建项目: the form that enters a project into 谋划 (planning), and the reading of what comes back. The service
 * checks what needs the database (a name already taken, the host unit typed); the rest is read here.
 */

export const NEW_PROJECT_FIELDS = ['name', 'investor', 'investor_region', 'chain', 'planned', 'host'] as const;
export type NewProjectField = (typeof NEW_PROJECT_FIELDS)[number];
export type NewProjectValues = Partial<Record<NewProjectField, string>>;
export type NewProjectErrors = Partial<Record<NewProjectField, string>>;

/** The values typed, trimmed and capped at 200 characters; empty ones are left out. */
export function readNewProject(formValue: Record<string, unknown>): NewProjectValues {
  const values: NewProjectValues = {};
  for (const k of NEW_PROJECT_FIELDS) {
    const v = formValue[k];
    if (typeof v === 'string' && v.trim()) values[k] = v.trim().slice(0, 200);
  }
  return values;
}

/** The planned investment, when one was typed: in fen, or the error to show under the field. */
export function plannedFen(values: NewProjectValues): { fen: number | null } | { error: string } {
  if (!values.planned) return { fen: null };
  const a = parseAmount(values.planned);
  return a.ok ? { fen: a.fen } : { error: amountErrorText(a) };
}

/** The form; `values` and `errors` come back when a submission was refused. */
export function newProjectCard(chainNames: string[], values: NewProjectValues = {}, errors: NewProjectErrors = {}): Card {
  const err = (f: NewProjectField): Element[] => (errors[f] ? [md(`<font color='red'>${errors[f]}</font>`)] : []);
  return card({
    title: t('report.new_title'),
    template: Object.keys(errors).length > 0 ? 'red' : 'wathet',
    elements: [
      md(t('report.new_intro')),
      form('new_project', [
        input({ name: 'name', label: t('report.field_name'), value: values.name, required: false }),
        ...err('name'),
        input({ name: 'investor', label: t('report.field_investor'), value: values.investor }),
        input({ name: 'investor_region', label: t('report.field_investor_region'), value: values.investor_region }),
        select({
          name: 'chain',
          placeholder: t('report.field_chain'),
          value: values.chain,
          options: chainNames.map((n) => ({ text: n, value: n })),
        }),
        input({ name: 'planned', label: t('report.field_planned'), value: values.planned }),
        ...err('planned'),
        input({ name: 'host', label: t('report.field_host'), value: values.host }),
        ...err('host'),
        submitButton(t('report.submit'), actionValue(REPORT_ACTIONS.newSubmit)),
      ]),
    ],
  });
}

/** What the form turns into once the project exists: its code. */
export function newProjectDoneCard(project: { name: string; code: string }): Card {
  return card({
    title: t('report.new_done_title', { name: project.name }),
    template: 'green',
    elements: [md(t('report.new_done', { code: project.code }))],
  });
}
