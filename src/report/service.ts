import { checkTransition, parseStage } from '../domain/stages.js';
import { isAdmin, mayReport } from '../domain/permissions.js';
import type { Card } from '../lark/cards.js';
import type { CardActionResponse } from '../lark/events.js';
import { allChains, allUnits, personById, type Person } from '../store/directory.js';
import { enqueueAll, reply, type Content, type Outgoing } from '../store/messages.js';
import {
  createProject as insertProject,
  findProjects,
  hostUnitNames,
  ownerReportStatus,
  projectById,
  projectByName,
  projectsMissingReport,
  suggestProjects,
  type Project,
} from '../store/projects.js';
import { applyStage, latestReportContent, projectsWithReport, writeReport, type ProjectReport } from '../store/reports.js';
import { t } from '../text.js';
import { dateLabel, periodLabel, stageLabel, transitionIssueText } from '../words.js';
import { deadlineDistance, previousPeriod } from '../domain/calendar.js';
import type { Deps } from '../context.js';
import type { ActionValue } from './actions.js';
import { chunks, notFoundText, pickListCard, receiptCard, receiptTime, projectListCard, reportFormCard, type ProjectRow } from './cards.js';
import { escalateIfDue } from './escalate.js';
import { formValuesOf, readFormValues, unitNamed, validateReport } from './form.js';
import { newProjectCard, newProjectDoneCard, plannedFen, readNewProject, type NewProjectErrors } from './new-project.js';

/*
 * The reporting loop as a service: the bot's adapters and the reminder job call these with the dependencies and
 * the person acting. Permissions come first (domain/permissions), then the store reads and writes; what comes back
 * is values — a card and a toast for a click, messages to send for a command — never a call to Lark, never a
 * wake-up of the sender. Where a change and its messages must commit together (a stage move and its 提级报备),
 * the messages are written in that transaction and only their count comes back.
 */

export type Toast = NonNullable<CardActionResponse['toast']>;

/** The answer to a click: a toast, the card replacing the clicked one, and how many messages the click enqueued. */
export interface CardAnswer {
  toast?: Toast;
  card?: Card;
  enqueued?: number;
}

/** The answer to a command: messages to send (the caller writes them), or how many were written already. */
export type Answer = readonly Outgoing[] | { enqueued: number };

/** The message a command answers: replies go to it, keyed by its id. */
export interface Asked {
  messageId: string;
  chatId?: string;
}

const text = (s: string): Content => ({ msgType: 'text', text: s });
const interactive = (card: Card): Content => ({ msgType: 'interactive', card });
const notYours: CardAnswer = { toast: { type: 'error', content: t('report.toast_not_yours') } };

/** The period a card was about, or the current one for a card that did not say. */
const periodOf = (deps: Deps, v: ActionValue, now: Date): string => v.period ?? deps.calendar.periodOf(now);

/**
 * Whether a period still takes reports: the current one, and the previous one until the current period's deadline
 * (a late report, marked late: `填报 <项目> 上月`, the overdue card's 填报, an old reminder). Older periods are closed.
 */
function periodOpen(deps: Deps, period: string, now: Date): boolean {
  const current = deps.calendar.periodOf(now);
  if (period === current) return true;
  return period === previousPeriod(current) && deps.calendar.today(now) <= deps.calendar.deadline(current);
}

/**
 * Whether the actor may report for the project (domain/permissions): the owner is read only when the actor
 * could be standing in for them.
 */
async function allowed(deps: Deps, actor: Person | undefined, project: Project, today: string): Promise<boolean> {
  const mayStandIn = !!actor && project.ownerId !== null && project.ownerId !== actor.id && !isAdmin(actor);
  const owner = mayStandIn ? await personById(deps.db, project.ownerId!) : undefined;
  return mayReport(actor, project, owner, today);
}

/** A listed project's status for the period, as the list cards show it. */
function rowOf(r: ProjectReport): ProjectRow {
  return {
    project: r.project,
    hostName: r.hostName,
    status: !r.report ? 'missing' : r.report.noChange ? 'no_change' : 'done',
    late: r.report?.late ?? false,
  };
}

async function rowsOf(deps: Deps, ids: readonly number[], period: string): Promise<ProjectRow[]> {
  return (await projectsWithReport(deps.db, ids, period)).map(rowOf);
}

/** What a card action about one project works with: the project, the moment, its day, the period and its deadline. */
interface Action {
  project: Project;
  now: Date;
  today: string;
  period: string;
  deadline: string;
}

/**
 * The project a card action is about (v.p) and when, or the answer the action gives instead: nothing for an unknown
 * project, "not yours" when the actor may not report for it.
 */
async function actionOn(deps: Deps, actor: Person | undefined, v: ActionValue): Promise<Action | { answer: CardAnswer }> {
  const project = v.p ? await projectById(deps.db, v.p) : undefined;
  if (!project) return { answer: {} };
  const now = deps.clock.now();
  const today = deps.calendar.today(now);
  if (!(await allowed(deps, actor, project, today))) return { answer: notYours };
  const period = periodOf(deps, v, now);
  if (!periodOpen(deps, period, now))
    return { answer: { toast: { type: 'error', content: t('report.toast_period_closed', { period: periodLabel(period) }) } } };
  return { project, now, today, period, deadline: deps.calendar.deadline(period) };
}

// ---------------------------------------------------------------------------------------------------------------
// Card actions

/** Opens the form for one project (from a reminder, a pick-list or a receipt's "修改"), with what was sent before. */
export async function openForm(deps: Deps, actor: Person | undefined, v: ActionValue): Promise<CardAnswer> {
  const a = await actionOn(deps, actor, v);
  if ('answer' in a) return a.answer;
  const { project, period, deadline } = a;
  const content = await latestReportContent(deps.db, project.id, period);
  const values = content === undefined ? undefined : formValuesOf(content);
  return { card: reportFormCard({ project, period, deadline, values, ids: v.ids ?? [] }) };
}

/** "本月无变化": one click records a no-change report, and the list card shows it. */
export async function noChange(deps: Deps, actor: Person | undefined, v: ActionValue): Promise<CardAnswer> {
  if (!actor) return {};
  const a = await actionOn(deps, actor, v);
  if ('answer' in a) return a.answer;
  const { project, now, today, period, deadline } = a;
  const outcome = await deps.db.transaction((tx) =>
    writeReport(tx, {
      projectId: project.id,
      period,
      reporterId: actor.id,
      noChange: true,
      substantive: [],
      today,
      at: now,
      late: today > deadline,
    }),
  );
  const ids = v.ids && v.ids.length > 0 ? v.ids : [project.id];
  const rows = await rowsOf(deps, ids, period);
  return {
    toast:
      outcome.status === 'unchanged'
        ? { type: 'info', content: t('report.toast_already', { name: project.name }) }
        : { type: 'success', content: t('report.toast_no_change', { name: project.name }) },
    card: projectListCard({ recipientName: actor.name, period, deadline, rows }),
  };
}

/**
 * The form's submit: refused, the form comes back with the errors and every typed value; accepted, it turns into
 * a receipt. A signing at or above the threshold enqueues its 提级报备 in the transaction that records it.
 */
export async function submit(deps: Deps, actor: Person | undefined, v: ActionValue, formValue: unknown): Promise<CardAnswer> {
  if (!actor) return {};
  const a = await actionOn(deps, actor, v);
  if ('answer' in a) return a.answer;
  const { project, now, today, period, deadline } = a;
  const ids = v.ids ?? [];
  const values = readFormValues(formValue);

  // The whole units table is read only when the form names a unit (it is consulted for nothing else).
  const unitList = values.problem_unit ? await allUnits(deps.db) : [];
  const checked = validateReport(values, {
    project,
    period,
    reporterId: actor.id,
    today,
    at: now,
    late: today > deadline,
    unitByName: (name) => unitNamed(unitList, name),
  });
  if (!checked.ok) {
    return {
      toast: { type: 'error', content: t('report.toast_fix_errors') },
      card: reportFormCard({ project, period, deadline, values, errors: checked.errors, ids }),
    };
  }
  let enqueued = 0;
  const outcome = await deps.db.transaction(async (tx) => {
    const o = await writeReport(tx, checked.input);
    // 提级报备 whenever the report made the project signed-or-landed at ≥ the threshold (a move, a raised amount).
    if (o.status === 'created' || o.status === 'updated') enqueued = await enqueueAll(tx, await escalateIfDue(tx, [o.project.id], today));
    return o;
  });
  if (outcome.status === 'closed') {
    return { toast: { type: 'error', content: t('report.toast_edit_closed', { deadline, period }) }, enqueued };
  }
  const remaining = project.ownerId ? (await projectsMissingReport(deps.db, period, { ownerId: project.ownerId })).length : 0;
  return {
    toast: { type: 'success', content: t('report.toast_saved', { name: project.name }) },
    card: receiptCard({
      project: outcome.project,
      report: outcome.report,
      period,
      deadline,
      editable: today <= deadline,
      time: receiptTime(deps.calendar.timeZone, now),
      stageChange: outcome.stageChanged,
      fund: checked.input.fund,
      problem: checked.input.problem,
      remaining,
      ids,
    }),
    enqueued,
  };
}

/** "返回列表": the list card again, with this period's status of each listed project. */
export async function list(deps: Deps, actor: Person | undefined, v: ActionValue): Promise<CardAnswer> {
  const period = periodOf(deps, v, deps.clock.now());
  const rows = await rowsOf(deps, v.ids ?? [], period);
  return { card: projectListCard({ recipientName: actor?.name ?? '', period, deadline: deps.calendar.deadline(period), rows }) };
}

/** The new-project form's submit: refused, the form comes back with the errors; accepted, the project exists in 谋划. */
export async function createProject(deps: Deps, actor: Person | undefined, formValue: Record<string, unknown>): Promise<CardAnswer> {
  if (!actor) return {};
  const values = readNewProject(formValue);
  const errors: NewProjectErrors = {};
  if (!values.name) errors.name = t('report.err_name_required');
  else {
    const same = await projectByName(deps.db, values.name);
    if (same) errors.name = t('report.err_name_taken', { code: same.code });
  }
  const planned = plannedFen(values);
  if ('error' in planned) errors.planned = planned.error;
  let hostId: number | null = actor.unitId;
  if (values.host) {
    const id = unitNamed(await allUnits(deps.db), values.host);
    if (id === undefined) errors.host = t('report.err_unknown_unit', { name: values.host });
    else hostId = id;
  }
  const chainRows = await allChains(deps.db);
  if (Object.keys(errors).length > 0) {
    return {
      toast: { type: 'error', content: t('report.toast_fix_errors') },
      card: newProjectCard(
        chainRows.map((c) => c.name),
        values,
        errors,
      ),
    };
  }
  const today = deps.calendar.today(deps.clock.now());
  const created = await deps.db.transaction((tx) =>
    insertProject(
      tx,
      {
        name: values.name!,
        investor: values.investor ?? null,
        investorRegion: values.investor_region ?? null,
        chainId: chainRows.find((c) => c.name === values.chain)?.id ?? null,
        firstTalkUnitId: actor.unitId,
        hostUnitId: hostId,
        ownerId: actor.id,
        plannedInvestmentFen: 'fen' in planned ? planned.fen : null,
      },
      { actorId: actor.id, today, audited: values },
    ),
  );
  return {
    toast: { type: 'success', content: t('report.toast_saved', { name: created.name }) },
    card: newProjectDoneCard(created),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Commands

/** Projects a person may pick from: their own, or every project for an admin. */
async function locate(deps: Deps, actor: Person, needle: string): Promise<Project[]> {
  const own = await findProjects(deps.db, needle, { ownerId: actor.id });
  if (own.length > 0 || !isAdmin(actor)) return own;
  return findProjects(deps.db, needle);
}

/** One match → `onOne`; several → a pick-list card (each opening the form); none → suggestions. */
async function withProject(
  deps: Deps,
  actor: Person,
  msg: Asked,
  needle: string,
  period: string,
  onOne: (p: Project) => Promise<Answer>,
): Promise<Answer> {
  const found = await locate(deps, actor, needle);
  if (found.length === 1) return onOne(found[0]!);
  if (found.length > 1) return [reply(msg, interactive(pickListCard({ needle, found, period })))];
  const suggestions = await suggestProjects(deps.db, needle, isAdmin(actor) ? undefined : actor.id);
  return [reply(msg, text(notFoundText(needle, suggestions)))];
}

/** `填报 <项目>`: the form for that project; without a project, the person's list (as `我的项目`). */
export async function formFor(
  deps: Deps,
  actor: Person,
  msg: Asked,
  needle: string | undefined,
  opts: { previous?: boolean } = {},
): Promise<Answer> {
  if (!needle) return mine(deps, actor, msg);
  const now = deps.clock.now();
  const current = deps.calendar.periodOf(now);
  const period = opts.previous ? previousPeriod(current) : current;
  if (!periodOpen(deps, period, now)) {
    return [
      reply(msg, text(t('report.previous_closed', { period: periodLabel(period), deadline: dateLabel(deps.calendar.deadline(current)) }))),
    ];
  }
  const deadline = deps.calendar.deadline(period);
  return withProject(deps, actor, msg, needle, period, async (p) => [
    reply(msg, interactive(reportFormCard({ project: p, period, deadline, ids: [p.id] }))),
  ]);
}

/** `我的项目`: the person's projects with this period's status and a button to report each, over as many cards as needed. */
export async function mine(deps: Deps, actor: Person, msg: Asked): Promise<Answer> {
  const period = deps.calendar.periodOf(deps.clock.now());
  const deadline = deps.calendar.deadline(period);
  const status = await ownerReportStatus(deps.db, actor.id, period);
  if (status.length === 0) return [reply(msg, text(t('report.no_projects')))];
  const rows = await rowsOf(
    deps,
    status.map((s) => s.project.id),
    period,
  );
  const counts = { total: status.length, done: status.filter((s) => s.reported).length };
  return chunks(rows).map((slice, part) =>
    reply(
      msg,
      interactive(projectListCard({ recipientName: actor.name, period, deadline, rows: slice, mine: part === 0 ? { counts } : {} })),
      part === 0 ? `reply:${msg.messageId}` : `reply:${msg.messageId}:${part}`,
    ),
  );
}

/**
 * `推进 <项目> <阶段>`: moves at once when the move needs nothing more, else opens the form with the stage
 * chosen. The move, its 提级报备 and the reply commit together.
 */
export async function move(deps: Deps, actor: Person, msg: Asked, needle: string | undefined, stageText: string): Promise<Answer> {
  const to = parseStage(stageText);
  if (!needle || !to) return [reply(msg, text(t('report.move_usage')))];
  const now = deps.clock.now();
  const period = deps.calendar.periodOf(now);
  const deadline = deps.calendar.deadline(period);
  const today = deps.calendar.today(now);
  return withProject(deps, actor, msg, needle, period, async (p) => {
    const check = checkTransition(p.stage, to, {
      existing: { contractFen: p.contractAmountFen, signedOn: p.signedOn, landedOn: p.landedOn },
      today,
    });
    if (!check.ok) {
      const issue = check.issues[0]!;
      if (issue.code === 'same_stage' || issue.code === 'not_allowed') return [reply(msg, text(transitionIssueText(issue)))];
      // Needs more (reason, contract amount, dates): the form, with the target stage chosen.
      const notice = t('report.move_needs_form', { to: stageLabel(to) });
      return [reply(msg, interactive(reportFormCard({ project: p, period, deadline, values: { stage: to }, ids: [p.id], notice })))];
    }
    const done = reply(msg, text(t('report.move_done', { name: p.name, from: stageLabel(p.stage), to: stageLabel(to) })));
    const enqueued = await deps.db.transaction(async (tx) => {
      await applyStage(tx, p, { to }, { byPersonId: actor.id, today, at: now });
      return enqueueAll(tx, [...(await escalateIfDue(tx, [p.id], today)), done]);
    });
    return { enqueued };
  });
}

/** `新建项目`: the form that enters a project into 谋划. */
export async function newProject(deps: Deps, msg: Asked): Promise<Answer> {
  const chainNames = (await allChains(deps.db)).map((c) => c.name);
  return [reply(msg, interactive(newProjectCard(chainNames)))];
}

// ---------------------------------------------------------------------------------------------------------------
// Reminders

/** Who gets an owner's reminder: the owner, or the delegate standing in while the owner is away. */
export interface ReminderRecipient {
  owner: Person;
  to: Person & { openId: string };
}

/**
 * The monthly reminders of a round (`runKey`, e.g. '2026-11:r5'): each owner's projects still missing the
 * period's report, on one card or several (each within Lark's size limit), to whoever `recipientOf` names; the
 * caller decides reachability (it knows who is away) and writes the messages. Keys name the round and the owner,
 * so a run that is repeated or resumed enqueues nothing twice.
 */
export async function remindersFor(
  deps: Deps,
  opts: { period: string; runKey: string; lastCall: boolean; recipientOf: (ownerId: number | null) => ReminderRecipient | null },
): Promise<{ out: Outgoing[]; projects: number; unreachable: number }> {
  const deadline = deps.calendar.deadline(opts.period);
  const due = deadlineDistance(deps.calendar, deps.calendar.today(deps.clock.now()), deadline);
  const missing = await projectsMissingReport(deps.db, opts.period);
  const names = await hostUnitNames(deps.db, missing);
  const byOwner = new Map<number | null, Project[]>();
  for (const p of missing) byOwner.set(p.ownerId, [...(byOwner.get(p.ownerId) ?? []), p]);
  const out: Outgoing[] = [];
  let unreachable = 0;
  for (const [ownerId, projects] of byOwner) {
    const r = opts.recipientOf(ownerId);
    if (!r) {
      unreachable += projects.length;
      continue;
    }
    const rows: ProjectRow[] = projects.map((p) => ({ project: p, hostName: names.get(p.hostUnitId ?? -1) ?? '', status: 'missing' }));
    for (const [part, slice] of chunks(rows).entries()) {
      const c = projectListCard({
        recipientName: r.to.name,
        ownerName: r.to.id !== r.owner.id ? r.owner.name : undefined,
        period: opts.period,
        deadline,
        lastCall: opts.lastCall,
        due,
        rows: slice,
      });
      const key = part === 0 ? `reminders:${opts.runKey}:${r.owner.id}` : `reminders:${opts.runKey}:${r.owner.id}:${part}`;
      out.push({ to: 'user', openId: r.to.openId, content: interactive(c), key });
    }
  }
  return { out, projects: missing.length, unreachable };
}
