import { checkTransition, parseStage } from '../domain/stages.js';
import { readRegion } from '../domain/regions.js';
import {
  governmentOf,
  mayPlaceUnit,
  periodInWindow,
  projectAccess,
  unitMayAct,
  type ProjectAccess,
  type Remit,
  type UnitNode,
} from '../domain/permissions.js';
import type { Card } from '../lark/cards.js';
import type { CardActionResponse } from '../lark/events.js';
import { allChains, allUnits, type Chain, type Person, type Unit } from '../store/directory.js';
import { enqueueAll, reply, type Content, type Outgoing } from '../store/messages.js';
import {
  createProject as insertProject,
  ProjectNameTaken,
  findProjects,
  hostUnitNames,
  ownerReportStatus,
  projectsMissingReport,
  projectsNamed,
  suggestProjects,
  type Project,
} from '../store/projects.js';
import { loadRemit, projectPlaces, remitFilter } from '../store/remit.js';
import { loadActionContext, type ActionContext } from '../store/action-context.js';
import { scopeCondition } from '../store/status-scope.js';
import {
  applyStage,
  firstReportFits,
  firstReportRow,
  projectsWithReport,
  writeFirstReport,
  writeReport,
  type ProjectReport,
  type ReportOutcome,
} from '../store/reports.js';
import { markDone } from '../store/dedupe.js';
import type { Tx } from '../store/db.js';
import { REPORTING_STAGES } from '../domain/reporting.js';
import { t } from '../text.js';
import type { TemplateKey } from '../../prompts/index.js';
import { dateLabel, periodLabel, stageLabel, transitionIssueText } from '../words.js';
import { deadlineDistance, previousPeriod } from '../domain/calendar.js';
import type { Deps } from '../context.js';
import type { ActionValue } from './actions.js';
import { chunks, notFoundText, pickListCard, receiptCard, receiptTime, projectListCard, reportFormCard, type ProjectRow } from './cards.js';
import { escalateIfDue, escalationDue } from './escalate.js';
import { hostNotices } from './host-notice.js';
import { evaluationMissing, orgMayAct } from '../domain/problems.js';
import { evaluationCount, orgsOf } from '../store/problems.js';
import { newProblemNotice } from './problem-notice.js';
import { loadRules } from '../store/rules.js';
import { readFormValues, unitNamed, validateReport } from './form.js';
import { formState, formStateOf } from './edit.js';
import { ownerOf } from './owner-hint.js';
import { badStageText, ownedElsewhereText } from './words.js';
import {
  classification,
  newProjectCard,
  newProjectDoneCard,
  codeSchemeOf,
  missingRequired,
  newProjectShapeErrors,
  plannedFen,
  readNewProject,
  type NewProjectErrors,
} from './new-project.js';

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
const refusal = (key: TemplateKey): CardAnswer => ({ toast: { type: 'error', content: t(key) } });
const notYours = refusal('report.toast_not_yours');
/** A project outside the remit is answered exactly as one that does not exist (issue 13: refusals reveal nothing). */
const notFound = refusal('report.toast_not_found');
/** An unknown open_id is told nothing about any project. */
const unknownPerson = refusal('bot.unknown_person');

/** The period a card was about, or the current one for a card that did not say. */
const periodOf = (deps: Deps, v: ActionValue, now: Date): string => v.period ?? deps.calendar.periodOf(now);

/** The actor's remit today (src/domain/remit.ts, loaded in one query). */
async function remitFor(deps: Deps, actor: Person, today: string): Promise<Remit> {
  return (await loadRemit(deps.db, actor, today)).remit;
}

/** What the actor may do with each project: change it, comment on it, or nothing (it does not exist for them). */
async function accessTo(deps: Deps, remit: Remit, ids: readonly number[]): Promise<Map<number, ProjectAccess>> {
  const places = await projectPlaces(deps.db, ids);
  return new Map(ids.map((id) => [id, projectAccess(remit, places.get(id))]));
}

/** Units as the rules see them (kind and path), by id. */
const nodesOf = (units: readonly Unit[]): Map<number, UnitNode> =>
  new Map(units.map((u) => [u.id, { id: u.id, kind: u.kind, path: u.path }]));

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

/**
 * What a card action about one project works with: who acts, the project and what they may do with it, the
 * moment, its day, the period and its deadline.
 */
interface Action {
  actor: Person;
  project: Project;
  access: Exclude<ProjectAccess, 'none'>;
  now: Date;
  today: string;
  period: string;
  deadline: string;
  /** What was read with the project in the same statement (issue 18): its report, the remit, the listed places. */
  ctx: ActionContext;
  /** The card's listed ids (v.ids) the actor may read, in their order; the rest do not exist for the actor. */
  listed: number[];
}

/**
 * A card callback's inbox record as the service sees it (issue 14, 18): `response` turns an answer into what the
 * dispatcher replays to a duplicate, `sealed` tells it the record was written with the change.
 */
export interface Sealing {
  key: string;
  response(a: CardAnswer): unknown;
  sealed(): void;
}

/**
 * The project a card action is about (v.p) and when, or the refusal the action answers with instead. A card value
 * is input like any other (issue 13): the project is re-checked against the actor's remit — outside it, or
 * unknown, it is "没有找到"; readable but not the actor's to change when `need` is 'change', "not yours" — and
 * the period against the reporting window (the current period, the previous one until its deadline).
 */
async function actionOn(
  deps: Deps,
  actor: Person | undefined,
  v: ActionValue,
  need: 'comment' | 'change',
): Promise<Action | { answer: CardAnswer }> {
  if (!actor) return { answer: unknownPerson };
  const now = deps.clock.now();
  const today = deps.calendar.today(now);
  const period = periodOf(deps, v, now);
  const asked = [...new Set(v.ids ?? [])].slice(0, 200);
  // One statement: the project with its report, the actor's remit and the listed projects' places (issue 18).
  const ctx = v.p ? await loadActionContext(deps.db, actor, today, v.p, period, asked) : undefined;
  if (!ctx) return { answer: notFound };
  const { project } = ctx;
  const access = projectAccess(ctx.remit.remit, ctx.places.get(project.id));
  if (access === 'none') return { answer: notFound };
  if (need === 'change' && access !== 'change') return { answer: notYours };
  if (!periodInWindow(period, now, deps.calendar)) return { answer: outOfWindow(deps, period, now) };
  const listed = asked.filter((id) => projectAccess(ctx.remit.remit, ctx.places.get(id)) !== 'none');
  return { actor, project, access, now, today, period, deadline: deps.calendar.deadline(period), ctx, listed };
}

/** The refusal for a period outside the reporting window: last month's is closed, any other is not a period to report. */
function outOfWindow(deps: Deps, period: string, now: Date): CardAnswer {
  const current = deps.calendar.periodOf(now);
  if (period === previousPeriod(current)) {
    return { toast: { type: 'error', content: t('report.toast_edit_closed', { deadline: deps.calendar.deadline(current), period }) } };
  }
  return refusal('report.toast_period_refused');
}

// ---------------------------------------------------------------------------------------------------------------
// Card actions

/** Opens the form for one project (from a reminder, a pick-list or a receipt's "修改"), with what was sent before. */
export async function openForm(deps: Deps, actor: Person | undefined, v: ActionValue): Promise<CardAnswer> {
  const a = await actionOn(deps, actor, v, 'comment');
  if ('answer' in a) return a.answer;
  const { project, period, deadline } = a;
  // The period's report, its latest revision and the unit asked to act: an edit starts from all of it (issue 17).
  const { values, edit } = await formStateOf(deps.db, a.ctx.report, a.ctx.reportContent);
  return { card: reportFormCard({ project, period, deadline, values, edit, mine: v.mine, ids: a.listed }) };
}

/** "本月无变化": one click records a no-change report, and the list card shows it. */
export async function noChange(deps: Deps, actor: Person | undefined, v: ActionValue, seal?: Sealing): Promise<CardAnswer> {
  const a = await actionOn(deps, actor, v, 'change');
  if ('answer' in a) return a.answer;
  const { project, now, today, period, deadline, ctx } = a;
  const input = {
    projectId: project.id,
    period,
    reporterId: a.actor.id,
    noChange: true,
    substantive: [],
    today,
    at: now,
    late: today > deadline,
  };
  const listIds = a.listed.length > 0 ? a.listed : [project.id];
  const answerWith = (rows: ProjectRow[], already: boolean): CardAnswer => ({
    toast: already
      ? { type: 'info', content: t('report.toast_already', { name: project.name }) }
      : { type: 'success', content: t('report.toast_no_change', { name: project.name }) },
    card: projectListCard({ recipientName: a.actor.name, period, deadline, rows, mine: v.mine ? {} : undefined }),
  });
  // A period already reported is left as it is: "no change" never overwrites (writeReport says the same).
  if (ctx.report) return answerWith(await rowsOf(deps, listIds, period), true);
  // The period's first report in one statement with its audit entry and the callback's inbox record (issue 18):
  // the list is read first and shows this project as the write will leave it.
  const before = await rowsOf(deps, listIds, period);
  const rows = before.map((r): ProjectRow => (r.project.id === project.id ? { ...r, status: 'no_change', late: input.late } : r));
  const answer = answerWith(rows, false);
  if (await writeFirstReport(deps.db, input, seal && { key: seal.key, response: seal.response(answer) })) {
    seal?.sealed();
    return answer;
  }
  // A concurrent first report got there first: the long way, which sees it.
  const outcome = await deps.db.transaction((tx) => writeReport(tx, input));
  return answerWith(await rowsOf(deps, listIds, period), outcome.status === 'unchanged');
}

/**
 * The form's submit: refused, the form comes back with the errors and every typed value; accepted, it turns into
 * a receipt. A signing at or above the threshold enqueues its 提级报备 in the transaction that records it.
 */
export async function submit(
  deps: Deps,
  actor: Person | undefined,
  v: ActionValue,
  formValue: unknown,
  seal?: Sealing,
): Promise<CardAnswer> {
  const a = await actionOn(deps, actor, v, 'comment');
  if ('answer' in a) return a.answer;
  const { project, now, today, period, deadline, ctx } = a;
  const ids = a.listed;
  const values = readFormValues(formValue);
  // An edit is checked against the report it edits (a move or funds kept as they were); the refused form says so too.
  const { previous, edit } = await formStateOf(deps.db, ctx.report, ctx.reportContent);

  // The whole units table is read only when the form names a unit (it is consulted for nothing else). The unit
  // that must act is one on the project's side: its government or up its line, never a sibling county or another
  // city (issue 13, item 6); another government's unit reads as a unit the form does not know.
  const unitList = values.problem_unit ? await allUnits(deps.db) : [];
  const nodes = nodesOf(unitList);
  const projectUnit = nodes.get(project.firstTalkUnitId ?? project.hostUnitId ?? -1);
  const mayAct = unitList.filter((u) => unitMayAct(nodes.get(u.id)!, projectUnit, nodes));
  // External organisations of the governments on the project's line, nearest first: a 四平 project's 市供电公司 is
  // 四平's, never 辽源's (orgMayAct).
  const line = projectUnit ? projectUnit.path.split('/').filter(Boolean).map(Number).reverse() : [];
  const orgs = values.problem_unit
    ? (await orgsOf(deps.db, line))
        .filter((o) => orgMayAct(nodes.get(o.governmentUnitId), projectUnit, nodes))
        .sort((a, b) => line.indexOf(a.governmentUnitId) - line.indexOf(b.governmentUnitId))
    : [];
  // 001 三.四: a move to 签约 asks for the evaluation first (a rules setting, on by default).
  const signing = values.stage === 'signed' || values.stage === 'landed';
  const evaluationMissing = signing ? await needsEvaluation(deps, project.id, values.stage!) : false;
  const checked = validateReport(values, {
    project,
    period,
    reporterId: a.actor.id,
    today,
    at: now,
    late: today > deadline,
    unitByName: (name) => unitNamed(mayAct, name),
    orgByName: (name) =>
      unitNamed(
        orgs.map((o) => ({ id: o.id, name: o.name, code: '' })),
        name,
      ),
    evaluationMissing,
    previous,
    confirmed: v.small,
  });
  const changesFigures =
    checked.ok && ((checked.input.stage !== null && !checked.carried.stage) || (checked.input.fund !== null && !checked.carried.fund));
  if (checked.ok && a.access === 'comment' && changesFigures) {
    // The host side (and a chain) may add progress and problems, not move stages or amounts (issue 13).
    return {
      toast: { type: 'error', content: t('report.toast_comment_only') },
      card: reportFormCard({ project, period, deadline, values, ids, edit, mine: v.mine, notice: t('report.comment_only') }),
    };
  }
  if (!checked.ok) {
    return {
      toast: { type: 'error', content: t('report.toast_fix_errors') },
      card: reportFormCard({
        project,
        period,
        deadline,
        values,
        errors: checked.errors,
        ids,
        edit,
        mine: v.mine,
        confirm: checked.confirm,
      }),
    };
  }
  // The common case in one statement (issue 18): the period's first report, moving no stage and carrying no amount,
  // fund or problem, of a project not due for 提级报备 — written with its audit entry and the callback's inbox
  // record, the receipt drawn beforehand from what is written. Anything else, or a concurrent first report, goes
  // the long way below.
  if (!ctx.report && firstReportFits(checked.input) && !escalationDue(project, ctx.rules)) {
    const progressed = checked.input.substantive.length > 0;
    const owned = project.ownerId !== null && (REPORTING_STAGES as readonly string[]).includes(project.stage);
    const answer: CardAnswer = {
      toast: { type: 'success', content: t('report.toast_saved', { name: project.name }) },
      card: receiptCard({
        project: { ...project, updatedAt: now, ...(progressed ? { lastProgressOn: today } : {}) },
        report: firstReportRow(checked.input, 0),
        period,
        deadline,
        editable: today <= deadline,
        time: receiptTime(deps.calendar.timeZone, now),
        stageChange: null,
        fund: checked.input.fund,
        problem: checked.input.problem,
        remaining: project.ownerId === null ? 0 : Math.max(0, ctx.ownerMissing - (owned ? 1 : 0)),
        ids,
      }),
      enqueued: 0,
    };
    const written = await writeFirstReport(deps.db, checked.input, seal && { key: seal.key, response: seal.response(answer) });
    if (written) {
      seal?.sealed();
      return answer;
    }
  }
  // The long way: the report, its notices, the answer and the card callback's inbox record commit together (issue 14),
  // so a redelivered click replays this answer and never finds the change made but the callback unanswered.
  const { input, carried } = checked;
  const answer = await deps.db.transaction(async (tx): Promise<CardAnswer> => {
    const o = await writeReport(tx, input);
    let enqueued = 0;
    // 提级报备 whenever the report made the project signed-or-landed at ≥ the threshold (a move, a raised amount).
    // The host unit hears of the problems that are its to solve (land, approvals, services): once per report.
    if (o.status === 'created' || o.status === 'updated') {
      enqueued = await enqueueAll(tx, [...(await escalateIfDue(tx, [o.project.id], today)), ...(await hostNotices(tx, o.report.id))]);
    }
    // The service team lead (包保专班) gets the project's new problem, with who must act and by when.
    if ((o.status === 'created' || o.status === 'updated') && checked.input.problem && o.project.teamLeadId) {
      enqueued += await enqueueAll(tx, await newProblemNotice(tx, o.project, o.report.id, o.report.revision));
    }
    const a: CardAnswer =
      o.status === 'closed'
        ? { toast: { type: 'error', content: t('report.toast_edit_closed', { deadline, period }) }, enqueued }
        : await receiptAnswer(tx, o, enqueued);
    if (seal) await markDone(tx, seal.key, seal.response(a));
    return a;
  });
  seal?.sealed();
  return answer;

  async function receiptAnswer(tx: Tx, outcome: Exclude<ReportOutcome, { status: 'closed' }>, enqueued: number): Promise<CardAnswer> {
    const remaining = project.ownerId ? (await projectsMissingReport(tx, period, { ownerId: project.ownerId })).length : 0;
    return {
      toast: { type: 'success', content: t('report.toast_saved', { name: project.name }) },
      card: receiptCard({
        project: outcome.project,
        report: outcome.report,
        period,
        deadline,
        editable: today <= deadline,
        time: receiptTime(deps.calendar.timeZone, now),
        // A move kept by an edit is still this period's move: the receipt shows it again.
        stageChange: outcome.stageChanged ?? (carried.stage && input.stage?.from ? { from: input.stage.from, to: input.stage.to } : null),
        fund: input.fund,
        problem: input.problem,
        remaining,
        ids,
        mine: v.mine,
      }),
      enqueued,
    };
  }
}

/** "返回列表": the list card again, with this period's status of each listed project. */
export async function list(deps: Deps, actor: Person | undefined, v: ActionValue): Promise<CardAnswer> {
  if (!actor) return unknownPerson;
  const now = deps.clock.now();
  const period = periodOf(deps, v, now);
  if (!periodInWindow(period, now, deps.calendar)) return outOfWindow(deps, period, now);
  const asked = [...new Set(v.ids ?? [])];
  const ids = await readable(deps, actor, asked, deps.calendar.today(now));
  const card = projectListCard({
    recipientName: actor.name,
    period,
    deadline: deps.calendar.deadline(period),
    rows: await rowsOf(deps, ids, period),
    mine: v.mine ? {} : undefined,
  });
  // Ids the actor may not read are dropped as if they did not exist, and the click says something was not found.
  return ids.length < asked.length ? { ...notFound, card } : { card };
}

/** The ids of a card value the actor may read, in their order: the rest do not exist for the actor. */
async function readable(deps: Deps, actor: Person, ids: readonly number[], today: string): Promise<number[]> {
  const unique = [...new Set(ids)].slice(0, 200);
  if (unique.length === 0) return [];
  const access = await accessTo(deps, await remitFor(deps, actor, today), unique);
  return unique.filter((id) => access.get(id) !== 'none');
}

/**
 * The chains a project placed at `unit` may belong to: those of the governments on its path, nearest first (a
 * city's 新能源 before the province's; 链长制 is per government), one per name.
 */
function chainsFor(chains: readonly Chain[], unit: UnitNode | undefined, nodes: ReadonlyMap<number, UnitNode>): Chain[] {
  if (!unit) return [];
  const line = unit.path.split('/').filter(Boolean).map(Number).reverse();
  const seen = new Set<string>();
  const out: Chain[] = [];
  for (const id of line) {
    if (!nodes.get(id) || (governmentOf(nodes.get(id)!, nodes)?.id ?? -1) !== id) continue;
    for (const c of chains) {
      if (c.governmentUnitId === id && !seen.has(c.name)) {
        seen.add(c.name);
        out.push(c);
      }
    }
  }
  return out;
}

/**
 * The new-project form's submit: refused, the form comes back with the errors; accepted, the project exists in 谋划.
 * Its host and first-talk units lie inside the creator's remit (a plain officer: their own government); a name
 * already used is refused only when the creator can see that project (another government's is not revealed).
 */
export async function createProject(
  deps: Deps,
  actor: Person | undefined,
  formValue: Record<string, unknown>,
  seal?: Sealing,
): Promise<CardAnswer> {
  if (!actor) return unknownPerson;
  const now = deps.clock.now();
  const today = deps.calendar.today(now);
  const remit = await remitFor(deps, actor, today);
  const values = readNewProject(formValue);
  const errors: NewProjectErrors = newProjectShapeErrors(formValue);
  if (!errors.name && !values.name) errors.name = t('report.err_name_required');
  else if (!errors.name) {
    const same = await projectsNamed(deps.db, values.name!);
    const access = await accessTo(
      deps,
      remit,
      same.map((p) => p.id),
    );
    const seen = same.find((p) => access.get(p.id) !== 'none');
    if (seen) errors.name = t('report.err_name_taken', { code: seen.code });
  }
  const planned = plannedFen(values);
  if ('error' in planned) errors.planned ??= planned.error;
  // The investor's region from the code list (src/domain/regions.ts): 市外 / 省外 funds are derived from it.
  const region = values.investor_region ? readRegion(values.investor_region) : undefined;
  if (values.investor_region && !region) errors.investor_region = t('report.err_unknown_region', { input: values.investor_region });
  const kind = classification(values);
  if ('errors' in kind) Object.assign(errors, kind.errors);
  const unitList = await allUnits(deps.db);
  const nodes = nodesOf(unitList);
  const own = actor.unitId === null ? undefined : nodes.get(actor.unitId);
  const placeable = (id: number | null) => id !== null && mayPlaceUnit(remit, own, nodes.get(id)?.path, nodes);
  let hostId: number | null = actor.unitId;
  if (values.host) {
    const id = unitNamed(unitList, values.host);
    if (id === undefined) errors.host ??= t('report.err_unknown_unit', { name: values.host });
    else if (!placeable(id)) errors.host ??= t('report.err_unit_outside', { name: values.host });
    else hostId = id;
  } else if (!placeable(hostId)) errors.host = t('report.err_host_required');
  // The first-talk unit is the creator's own: a person without a unit inside their remit cannot create one.
  if (!errors.host && !placeable(actor.unitId)) errors.host = t('report.err_no_own_unit');
  const chainRows = chainsFor(await allChains(deps.db), nodes.get(hostId ?? -1) ?? own, nodes);
  for (const [k, e] of Object.entries(
    missingRequired(
      values,
      chainRows.map((c) => c.name),
    ),
  ))
    errors[k as keyof NewProjectErrors] ??= e;
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
  const refuse = (nameError: string): CardAnswer => ({
    toast: { type: 'error', content: t('report.toast_fix_errors') },
    card: newProjectCard(
      chainRows.map((c) => c.name),
      values,
      { name: nameError },
    ),
  });
  // The project, its audit entry and the callback's inbox record (with this answer) commit together (issue 14).
  const saved = await deps.db
    .transaction(async (tx) => {
      const project = await insertProject(
        tx,
        {
          name: values.name!,
          investor: values.investor ?? null,
          investorRegion: values.investor_region ?? null,
          investorRegionCode: region?.code ?? null,
          chainId: chainRows.find((c) => c.name === values.chain)?.id ?? null,
          firstTalkUnitId: actor.unitId,
          hostUnitId: hostId,
          ownerId: actor.id,
          plannedInvestmentFen: 'fen' in planned ? planned.fen : null,
          projectType: 'type' in kind ? kind.type : 'other',
          channels: 'channels' in kind ? kind.channels : [],
        },
        { actorId: actor.id, today, audited: values, codeScheme: codeSchemeOf(unitList, actor.unitId) },
      );
      const answer: CardAnswer = {
        toast: { type: 'success', content: t('report.toast_saved', { name: project.name }) },
        card: newProjectDoneCard(project),
      };
      if (seal) await markDone(tx, seal.key, seal.response(answer));
      return answer;
    })
    // A double-submitted form: the first created it, this one is told the name is taken.
    .catch((err: unknown) => {
      if (err instanceof ProjectNameTaken) return err;
      throw err;
    });
  if (saved instanceof ProjectNameTaken) return refuse(t('report.err_name_taken', { code: saved.existingCode }));
  seal?.sealed();
  return saved;
}

// ---------------------------------------------------------------------------------------------------------------
// Commands

/**
 * Projects a person may pick from: their own (and their principal's while delegated) first, else those they may
 * change inside their remit (an admin or lead: the first-talk side of their government), else those they may
 * only read (the host side, a chain), which the caller refuses as "not yours". Nothing outside the remit.
 */
async function locate(deps: Deps, actor: Person, needle: string, today: string): Promise<{ found: Project[]; remit: Remit }> {
  const remit = await remitFor(deps, actor, today);
  const ownerOnly = { parts: [...remit.ownerIds].map((ownerId) => ({ ownerId })) };
  for (const filter of [ownerOnly, remitFilter(remit, 'change'), remitFilter(remit, 'read')]) {
    const found = await findProjects(deps.db, needle, { where: scopeCondition(filter) });
    if (found.length > 0) return { found, remit };
  }
  return { found: [], remit };
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
  const today = deps.calendar.today(deps.clock.now());
  const { found, remit } = await locate(deps, actor, needle, today);
  if (found.length === 1) {
    const access = (await accessTo(deps, remit, [found[0]!.id])).get(found[0]!.id);
    // Readable, not the actor's to change (the host side, a chain): said so, as the project is theirs to see.
    if (access !== 'change') {
      // Inside the remit, not the actor's to report: whose it is (issue 17), else that the first-talk unit's.
      const owned = await ownerOf(deps, found[0]!, remit);
      return [reply(msg, text(owned ? ownedElsewhereText([owned]) : t('report.not_yours', { name: found[0]!.name })))];
    }
    return onOne(found[0]!);
  }
  if (found.length > 1) return [reply(msg, interactive(pickListCard({ needle, found, period })))];
  const suggestions = await suggestProjects(deps.db, needle, scopeCondition(remitFilter(remit, 'change')));
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
  if (!periodInWindow(period, now, deps.calendar)) {
    return [
      reply(msg, text(t('report.previous_closed', { period: periodLabel(period), deadline: dateLabel(deps.calendar.deadline(current)) }))),
    ];
  }
  const deadline = deps.calendar.deadline(period);
  return withProject(deps, actor, msg, needle, period, async (p) => {
    const { values, edit } = await formState(deps.db, p, period);
    return [reply(msg, interactive(reportFormCard({ project: p, period, deadline, values, edit, ids: [p.id] })))];
  });
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
      interactive(projectListCard({ recipientName: actor.name, period, deadline, rows: slice, mine: { counts } })),
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
  // A stage not understood: the valid ones listed (issue 17); no project or no stage: the usage, with them too.
  if (needle && stageText && !to) return [reply(msg, text(badStageText(stageText)))];
  if (!needle || !to) return [reply(msg, text(t('report.move_usage', { stages: badStageText(null) })))];
  const now = deps.clock.now();
  const period = deps.calendar.periodOf(now);
  const deadline = deps.calendar.deadline(period);
  const today = deps.calendar.today(now);
  return withProject(deps, actor, msg, needle, period, async (p) => {
    // 转移 only by an offer and the first-talk unit's consent (000 三(一); src/admin/transfer.ts).
    if (to === 'transferred' && p.stage !== 'transferred') return [reply(msg, text(t('transfer.by_offer_only')))];
    const check = checkTransition(p.stage, to, {
      existing: { contractFen: p.contractAmountFen, signedOn: p.signedOn, landedOn: p.landedOn },
      today,
    });
    if (!check.ok && (check.issues[0]!.code === 'same_stage' || check.issues[0]!.code === 'not_allowed')) {
      return [reply(msg, text(transitionIssueText(check.issues[0]!)))];
    }
    // 001 三.四 "事前综合评估": moving to 签约 without an evaluation answers with what is missing and how to record it.
    const jumpsSigning = to === 'signed' || (to === 'landed' && ['planning', 'negotiating', 'intent'].includes(p.stage));
    if (jumpsSigning && (await needsEvaluation(deps, p.id, 'signed'))) {
      return [reply(msg, text(t('report.move_needs_evaluation', { name: p.name, code: p.code, to: stageLabel(to) })))];
    }
    if (!check.ok) {
      // Needs more (reason, contract amount, dates): the form, with the target stage chosen.
      const notice = t('report.move_needs_form', { to: stageLabel(to) });
      const { values, edit } = await formState(deps.db, p, period);
      return [
        reply(
          msg,
          interactive(reportFormCard({ project: p, period, deadline, values: { ...values, stage: to }, edit, ids: [p.id], notice })),
        ),
      ];
    }
    const done = reply(msg, text(t('report.move_done', { name: p.name, from: stageLabel(p.stage), to: stageLabel(to) })));
    const enqueued = await deps.db.transaction(async (tx) => {
      // A parallel move got there first (the row lock makes this one wait and see it): nothing is written twice.
      if (!(await applyStage(tx, p, { to }, { byPersonId: actor.id, today, at: now }))) {
        return enqueueAll(tx, [reply(msg, text(transitionIssueText({ code: 'same_stage', stage: to })))]);
      }
      return enqueueAll(tx, [...(await escalateIfDue(tx, [p.id], today)), done]);
    });
    return { enqueued };
  });
}

/** Whether a move of the project to `to` waits for its evaluation (001 三.四; the rule may be switched off). */
async function needsEvaluation(deps: Deps, projectId: number, to: string): Promise<boolean> {
  if (to !== 'signed' && to !== 'landed') return false;
  const rules = await loadRules(deps.db);
  if (!rules.evaluationBeforeSigning) return false;
  return evaluationMissing('signed', rules, await evaluationCount(deps.db, projectId));
}

/** `新建项目`: the form that enters a project into 谋划, offering the chains of the person's government line. */
export async function newProject(deps: Deps, actor: Person, msg: Asked): Promise<Answer> {
  const nodes = nodesOf(await allUnits(deps.db));
  const chainNames = chainsFor(await allChains(deps.db), nodes.get(actor.unitId ?? -1), nodes).map((c) => c.name);
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
