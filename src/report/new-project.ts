import { parseAmount } from '../domain/amount.js';
import { card, form, input, md, select, submitButton, type Card, type Element } from '../lark/cards.js';
import { t } from '../text.js';
import { CHANNELS, PROJECT_TYPES, isChannel, isProjectType, type Channel, type ProjectType } from '../domain/classification.js';
import { amountErrorText, channelLabel, projectTypeLabel } from '../words.js';
import { REPORT_ACTIONS, actionValue } from './actions.js';

/*
 * 新建项目: the form that enters a project into 谋划 (planning), and the reading of what comes back. The service
 * checks what needs the database (a name already taken, the host unit typed); the rest is read here.
 */

export const NEW_PROJECT_FIELDS = ['name', 'investor', 'investor_region', 'chain', 'type', 'channel', 'planned', 'host'] as const;
export type NewProjectField = (typeof NEW_PROJECT_FIELDS)[number];
export type NewProjectValues = Partial<Record<NewProjectField, string>>;
export type NewProjectErrors = Partial<Record<NewProjectField, string>>;

/** Each field's length limit, shown on the form (the input's max_length) and checked on submit. */
export const NEW_PROJECT_LIMIT = 100;

/** The values typed, trimmed; one over the limit is cut for the echo, with a note; empty ones are left out. */
export function readNewProject(formValue: Record<string, unknown>): NewProjectValues {
  const values: NewProjectValues = {};
  for (const k of NEW_PROJECT_FIELDS) {
    const v = formValue[k];
    if (typeof v !== 'string' || !v.trim()) continue;
    const chars = [...v.trim()];
    values[k] = chars.length > NEW_PROJECT_LIMIT ? chars.slice(0, NEW_PROJECT_LIMIT).join('') + t('report.cut_note') : v.trim();
  }
  return values;
}

/** What is wrong with the values' shape: a number, an array or an object where text belongs, or too long. */
export function newProjectShapeErrors(formValue: Record<string, unknown>): NewProjectErrors {
  const errors: NewProjectErrors = {};
  for (const k of NEW_PROJECT_FIELDS) {
    const v = formValue[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') errors[k] = t('report.err_not_text');
    else if ([...v.trim()].length > NEW_PROJECT_LIMIT) errors[k] = t('report.err_too_long', { max: NEW_PROJECT_LIMIT });
  }
  return errors;
}

/**
 * What a new project must have (issue 17): its name, chain, host and planned investment; the first-talk unit is the
 * creator's own (001 三.二 "谁对接、谁牵头"). The investor is asked from 洽谈 on: a 谋划 project may have none yet.
 * A chain is required only where the government has chains to choose from.
 */
export function missingRequired(values: NewProjectValues, chainNames: readonly string[]): NewProjectErrors {
  const errors: NewProjectErrors = {};
  if (!values.chain && chainNames.length > 0) errors.chain = t('report.err_chain_required');
  else if (values.chain && !chainNames.includes(values.chain)) errors.chain = t('report.err_chain_unknown', { name: values.chain });
  if (!values.planned) errors.planned = t('report.err_planned_required');
  if (!values.host) errors.host = t('report.err_host_required');
  return errors;
}

/**
 * The code scheme of a project first-talked at `unitId`: the code of its city (the ledgers' LY2026-041), else of
 * the highest unit on its line; a code of letters only, else XM.
 */
export function codeSchemeOf(units: readonly { id: number; code: string; kind: string; path: string }[], unitId: number | null): string {
  const byId = new Map(units.map((u) => [u.id, u]));
  const line = (byId.get(unitId ?? -1)?.path ?? '').split('/').filter(Boolean).map(Number);
  const city = line.map((id) => byId.get(id)).find((u) => u?.kind === 'city') ?? byId.get(line[0] ?? -1);
  return city && /^[A-Za-z]{1,8}$/.test(city.code) ? city.code.toUpperCase() : 'XM';
}

/** A required field's label, with its marker. */
const required = (label: string): string => t('report.required_label', { label });

/** The planned investment, when one was typed: in fen, or the error to show under the field. */
export function plannedFen(values: NewProjectValues): { fen: number | null } | { error: string } {
  if (!values.planned) return { fen: null };
  const a = parseAmount(values.planned, { requireUnit: true });
  return a.ok ? { fen: a.fen } : { error: amountErrorText(a) };
}

/**
 * The project type and source channel chosen (card values are input: only codes of the lists pass). A type left
 * empty is 其他; the form takes one channel, the ledger several.
 */
export function classification(values: NewProjectValues): { type: ProjectType; channels: Channel[] } | { errors: NewProjectErrors } {
  const errors: NewProjectErrors = {};
  if (values.type !== undefined && !isProjectType(values.type)) errors.type = t('report.err_bad_choice');
  if (values.channel !== undefined && !isChannel(values.channel)) errors.channel = t('report.err_bad_choice');
  if (Object.keys(errors).length > 0) return { errors };
  return {
    type: values.type !== undefined && isProjectType(values.type) ? values.type : 'other',
    channels: values.channel !== undefined && isChannel(values.channel) ? [values.channel] : [],
  };
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
        md(t('report.required_note')),
        input({ name: 'name', label: required(t('report.field_name')), value: values.name, required: false, maxLength: NEW_PROJECT_LIMIT }),
        ...err('name'),
        input({ name: 'investor', label: t('report.field_investor'), value: values.investor, maxLength: NEW_PROJECT_LIMIT }),
        ...err('investor'),
        input({
          name: 'investor_region',
          label: t('report.field_investor_region'),
          value: values.investor_region,
          maxLength: NEW_PROJECT_LIMIT,
        }),
        ...err('investor_region'),
        select({
          name: 'chain',
          placeholder: required(t('report.field_chain')),
          value: values.chain,
          options: chainNames.map((n) => ({ text: n, value: n })),
        }),
        ...err('chain'),
        select({
          name: 'type',
          placeholder: t('report.field_type'),
          value: values.type !== undefined && isProjectType(values.type) ? values.type : undefined,
          options: PROJECT_TYPES.map((x) => ({ text: projectTypeLabel(x), value: x })),
        }),
        ...err('type'),
        select({
          name: 'channel',
          placeholder: t('report.field_channel'),
          value: values.channel !== undefined && isChannel(values.channel) ? values.channel : undefined,
          options: CHANNELS.map((x) => ({ text: channelLabel(x), value: x })),
        }),
        ...err('channel'),
        input({ name: 'planned', label: required(t('report.field_planned')), value: values.planned, maxLength: NEW_PROJECT_LIMIT }),
        ...err('planned'),
        input({ name: 'host', label: required(t('report.field_host')), value: values.host, maxLength: NEW_PROJECT_LIMIT }),
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
