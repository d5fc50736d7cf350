import { and, desc, eq, inArray } from 'drizzle-orm';
import { people, projects, reportRevisions, reports, units } from '../../../db/schema.js';
import type { Person } from '../../store/directory.js';
import { projectById, projectsMissingReport, type Project } from '../../store/projects.js';
import { writeReport, type ReportInput } from '../../store/reports.js';
import { loadRules } from '../../store/rules.js';
import type { Db, Tx } from '../../store/db.js';
import type { CardActionResponse } from '../../lark/events.js';
import { t } from '../../text.js';
import type { ActionHandler } from '../handlers/types.js';
import { escalateBigSigning } from './escalate.js';
import { readFormValues, validateReport, type FormValues } from './form.js';
import { receiptCard, reminderCard, reportFormCard, type ProjectRow } from './cards.js';
import { formatAmount } from '../../words.js';
import { type Deps } from '../../context.js';

type Q = Db | Tx;

export async function unitNames(q: Q): Promise<Map<number, string>> {
  const rows = await q.select({ id: units.id, name: units.name }).from(units);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Resolves a unit typed by an officer: exact name, or a unique name containing it ("自然资源局"). */
export async function unitResolver(q: Q): Promise<(name: string) => number | undefined> {
  const rows = await q.select({ id: units.id, name: units.name, code: units.code }).from(units);
  return (name: string) => {
    const n = name.trim();
    const exact = rows.find((r) => r.name === n || r.code === n);
    if (exact) return exact.id;
    const partial = rows.filter((r) => r.name.includes(n));
    return partial.length === 1 ? partial[0]!.id : undefined;
  };
}

/** Whether a person may report for a project: its owner, the owner's delegate, or an admin. */
export async function mayReport(q: Q, person: Person | undefined, project: Project): Promise<boolean> {
  if (!person) return false;
  if (project.ownerId === person.id || person.roles.includes('admin')) return true;
  if (!project.ownerId) return false;
  const owner = (await q.select().from(people).where(eq(people.id, project.ownerId)))[0];
  return owner?.delegateId === person.id;
}

/** The rows of a reminder card: the listed projects with this period's status. */
export async function reminderRows(q: Q, ids: number[], period: string): Promise<ProjectRow[]> {
  if (ids.length === 0) return [];
  const names = await unitNames(q);
  const rows = await q
    .select({ p: projects, r: reports })
    .from(projects)
    .leftJoin(reports, and(eq(reports.projectId, projects.id), eq(reports.period, period)))
    .where(inArray(projects.id, ids));
  const byId = new Map(rows.map((r) => [r.p.id, r]));
  return ids
    .map((id) => byId.get(id))
    .filter((r): r is NonNullable<typeof r> => !!r)
    .map((r) => ({
      project: r.p,
      hostName: names.get(r.p.hostUnitId ?? -1) ?? '',
      status: !r.r ? 'missing' : r.r.noChange ? 'no_change' : 'done',
      late: r.r?.late ?? false,
    }));
}

/** One formatter per time zone: building an Intl.DateTimeFormat costs more than formatting with it. */
const timeFormats = new Map<string, Intl.DateTimeFormat>();

function timeLabel(deps: Deps): string {
  const zone = deps.calendar.timeZone;
  let f = timeFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('zh-CN', {
      timeZone: zone,
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    timeFormats.set(zone, f);
  }
  return f.format(deps.clock.now());
}

const numbers = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number).filter((n) => Number.isInteger(n) && n > 0) : []);
const periodOfValue = (deps: Deps, v: unknown): string =>
  typeof v === 'string' && /^\d{4}-\d{2}$/.test(v) ? v : deps.calendar.periodOf(deps.clock.now());

/** The form's values from the latest revision of an existing report, so "修改" starts from what was sent. */
async function valuesOfExisting(q: Q, projectId: number, period: string): Promise<FormValues | undefined> {
  const r = (
    await q
      .select()
      .from(reports)
      .where(and(eq(reports.projectId, projectId), eq(reports.period, period)))
  )[0];
  if (!r || r.noChange) return undefined;
  const rev = (
    await q.select().from(reportRevisions).where(eq(reportRevisions.reportId, r.id)).orderBy(desc(reportRevisions.revision)).limit(1)
  )[0];
  const c = (rev?.content ?? {}) as Partial<ReportInput> & { substantiveChoice?: string };
  return {
    progress: c.progress ?? undefined,
    substantive_note: c.substantiveNote ?? undefined,
    next_step: c.nextStep ?? undefined,
    next_step_due: c.nextStepDue ?? undefined,
    fund_amount: c.fund ? formatAmount(c.fund.amountFen) : undefined,
    fund_date: c.fund?.date,
    fund_evidence: c.fund?.evidenceKind,
    problem_category: c.problem?.category,
    problem_text: c.problem?.description,
  };
}

/** Opens the form for one project (from a reminder, a pick-list or a receipt's "修改"). */
export const reportOpen: ActionHandler = async (deps, { action, person }) => {
  const project = await projectById(deps.db, Number(action.value.p));
  if (!project) return {};
  if (!(await mayReport(deps.db, person, project))) return { toast: { type: 'error', content: t('report.toast_not_yours') } };
  const period = periodOfValue(deps, action.value.period);
  const deadline = deps.calendar.deadline(period);
  const values = await valuesOfExisting(deps.db, project.id, period);
  return {
    card: { type: 'raw', data: reportFormCard({ project, period, deadline, values, ids: numbers(action.value.ids) }) },
  };
};

/** "本月无变化": one click records a no-change report and the reminder card shows it. */
export const reportNoChange: ActionHandler = async (deps, { action, person }) => {
  const project = await projectById(deps.db, Number(action.value.p));
  if (!project || !person) return {};
  if (!(await mayReport(deps.db, person, project))) return { toast: { type: 'error', content: t('report.toast_not_yours') } };
  const period = periodOfValue(deps, action.value.period);
  const now = deps.clock.now();
  const today = deps.calendar.today(now);
  const deadline = deps.calendar.deadline(period);
  const outcome = await deps.db.transaction((tx) =>
    writeReport(tx, {
      projectId: project.id,
      period,
      reporterId: person.id,
      noChange: true,
      substantive: [],
      today,
      late: today > deadline,
    }),
  );
  const ids = numbers(action.value.ids);
  const rows = await reminderRows(deps.db, ids.length > 0 ? ids : [project.id], period);
  const recipientName = person.name;
  return {
    toast:
      outcome.status === 'unchanged'
        ? { type: 'info', content: t('report.toast_already', { name: project.name }) }
        : { type: 'success', content: t('report.toast_no_change', { name: project.name }) },
    card: { type: 'raw', data: reminderCard({ recipientName, period, deadline, rows }) },
  };
};

/** The form's submit: errors come back on the form with every typed value; success turns it into a receipt. */
export const reportSubmit: ActionHandler = async (deps, { action, person }) => {
  const project = await projectById(deps.db, Number(action.value.p));
  if (!project || !person) return {};
  if (!(await mayReport(deps.db, person, project))) return { toast: { type: 'error', content: t('report.toast_not_yours') } };
  const period = periodOfValue(deps, action.value.period);
  const ids = numbers(action.value.ids);
  const now = deps.clock.now();
  const today = deps.calendar.today(now);
  const deadline = deps.calendar.deadline(period);
  const values = readFormValues(action.formValue);

  const checked = validateReport(values, {
    project,
    period,
    reporterId: person.id,
    today,
    late: today > deadline,
    // The whole units table is read only when the form names a unit (it is consulted for nothing else).
    unitByName: values.problem_unit ? await unitResolver(deps.db) : () => undefined,
  });
  if (!checked.ok) {
    return {
      toast: { type: 'error', content: t('report.toast_fix_errors') },
      card: { type: 'raw', data: reportFormCard({ project, period, deadline, values, errors: checked.errors, ids }) },
    };
  }
  let enqueued = false;
  const outcome = await deps.db.transaction(async (tx) => {
    const o = await writeReport(tx, checked.input);
    if (o.stageChanged?.to === 'signed') {
      // Rules and unit names serve the 提级报备 check only: read them when a signing makes it due.
      const rules = await loadRules(tx);
      const names = await unitNames(tx);
      enqueued = await escalateBigSigning(tx, o.project, rules, names.get(o.project.hostUnitId ?? -1) ?? '');
    }
    return o;
  });
  if (outcome.status === 'closed') {
    return { toast: { type: 'error', content: t('report.toast_edit_closed', { deadline, period }) } };
  }
  // Wake the sender only for a message this submission enqueued: a wake-up costs a claim transaction.
  if (enqueued) deps.notifyOutbox();
  const remaining = project.ownerId ? (await projectsMissingReport(deps.db, period, { ownerId: project.ownerId })).length : 0;
  const result: CardActionResponse = {
    toast: { type: 'success', content: t('report.toast_saved', { name: project.name }) },
    card: {
      type: 'raw',
      data: receiptCard({
        project: outcome.project,
        report: outcome.report,
        period,
        deadline,
        editable: today <= deadline,
        time: timeLabel(deps),
        stageChange: outcome.stageChanged,
        fund: checked.input.fund,
        problem: checked.input.problem,
        remaining,
        ids,
      }),
    },
  };
  return result;
};

/** "返回列表": the reminder card again, with this period's status of each listed project. */
export const reportList: ActionHandler = async (deps, { action, person }) => {
  const period = periodOfValue(deps, action.value.period);
  const rows = await reminderRows(deps.db, numbers(action.value.ids), period);
  return {
    card: {
      type: 'raw',
      data: reminderCard({ recipientName: person?.name ?? '', period, deadline: deps.calendar.deadline(period), rows }),
    },
  };
};
