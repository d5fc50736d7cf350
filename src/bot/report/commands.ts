import { ilike } from 'drizzle-orm';
import { chains, projects } from '../../../db/schema.js';
import { parseAmount } from '../../domain/amount.js';
import { checkTransition, parseStage } from '../../domain/stages.js';
import { button, card, columns, input, form, md, submitButton, select, type Element } from '../../lark/cards.js';
import { findProjects, nextProjectCode, ownerReportStatus, suggestProjects, type Project } from '../../store/projects.js';
import { applyStage } from '../../store/reports.js';
import { loadRules } from '../../store/rules.js';
import { auditLog } from '../../../db/schema.js';
import { t } from '../../text.js';
import type { ActionHandler, CommandHandler, Message } from '../handlers/types.js';
import type { Person } from '../../store/directory.js';
import { escalateBigSigning } from './escalate.js';
import { chunks, reminderCard, reportFormCard } from './cards.js';
import { reminderRows, unitNames, unitResolver } from './handlers.js';
import { amountErrorText, dateLabel, periodLabel, stageLabel, transitionIssueText } from '../../words.js';
import { type Deps } from '../../context.js';
import { replyTo, type Content } from '../../store/messages.js';

async function reply(deps: Deps, msg: Message, content: Content): Promise<void> {
  await deps.db.transaction((tx) => replyTo(tx, msg, content, `reply:${msg.messageId}`));
  deps.notifyOutbox();
}

const text = (s: string): Content => ({ msgType: 'text', text: s });

/** Projects a person may pick from: their own, or every project for an admin. */
async function locate(deps: Deps, person: Person, needle: string): Promise<Project[]> {
  const own = await findProjects(deps.db, needle, { ownerId: person.id });
  if (own.length > 0 || !person.roles.includes('admin')) return own;
  return findProjects(deps.db, needle);
}

/** One match → `onOne`; several → a pick-list card; none → suggestions. */
async function withProject(
  deps: Deps,
  msg: Message,
  person: Person,
  needle: string,
  pickAction: Record<string, unknown>,
  onOne: (p: Project) => Promise<void>,
): Promise<void> {
  const found = await locate(deps, person, needle);
  if (found.length === 1) return onOne(found[0]!);
  if (found.length > 1) {
    const rows: Element[] = found.slice(0, 10).map((p) =>
      columns([
        { elements: [md(`**${p.name}**（${p.code}）· ${stageLabel(p.stage)}`)], weight: 3 },
        { elements: [button(p.code, { ...pickAction, p: p.id })], weight: 1 },
      ]),
    );
    const c = card({
      title: t('report.pick_title'),
      elements: [md(t('report.pick_intro', { text: needle, count: found.length })), ...rows],
    });
    return reply(deps, msg, { msgType: 'interactive', card: c });
  }
  const suggestions = await suggestProjects(deps.db, needle, person.roles.includes('admin') ? undefined : person.id);
  const lines = [t('report.not_found', { text: needle })];
  if (suggestions.length > 0) lines.push(t('report.suggest', { names: suggestions.map((p) => `${p.name}（${p.code}）`).join('、') }));
  return reply(deps, msg, text(lines.join('\n')));
}

/** `填报 <项目>`: the form card for that project. */
export const reportCommand: CommandHandler<'report'> = async (deps, { msg, person, cmd }) => {
  if (!person) return;
  const period = deps.calendar.periodOf(deps.clock.now());
  const deadline = deps.calendar.deadline(period);
  if (!cmd.project) {
    // No project named: the list of the person's projects still missing this period's report.
    return mine(deps, { msg, person, cmd: { name: 'mine' } });
  }
  await withProject(deps, msg, person, cmd.project, { a: 'report_open', period }, async (p) =>
    reply(deps, msg, { msgType: 'interactive', card: reportFormCard({ project: p, period, deadline, ids: [p.id] }) }),
  );
};

/** `我的项目`: the person's projects with this period's status, buttons to report each. */
export const mine: CommandHandler<'mine'> = async (deps, { msg, person }) => {
  if (!person) return;
  const period = deps.calendar.periodOf(deps.clock.now());
  const deadline = deps.calendar.deadline(period);
  const status = await ownerReportStatus(deps.db, person.id, period);
  if (status.length === 0) return reply(deps, msg, text(t('report.no_projects')));
  const rows = await reminderRows(
    deps.db,
    status.map((s) => s.project.id),
    period,
  );
  const done = status.filter((s) => s.reported).length;
  await deps.db.transaction(async (tx) => {
    for (const [part, slice] of chunks(rows).entries()) {
      const c = reminderCard({ recipientName: person.name, period, deadline, rows: slice });
      c.header = { ...c.header, title: { tag: 'plain_text', content: t('report.mine_title', { period: periodLabel(period) }) } };
      if (part === 0) {
        c.body.elements.unshift(
          md(t('report.mine_intro', { total: status.length, done, missing: status.length - done, deadline: dateLabel(deadline) })),
        );
      }
      const key = part === 0 ? `reply:${msg.messageId}` : `reply:${msg.messageId}:${part}`;
      await replyTo(tx, msg, { msgType: 'interactive', card: c }, key);
    }
  });
  deps.notifyOutbox();
};

/** `推进 <项目> <阶段>`: moves at once when the move needs nothing more, else opens the form with the stage chosen. */
export const move: CommandHandler<'move'> = async (deps, { msg, person, cmd }) => {
  if (!person) return;
  const to = parseStage(cmd.stage);
  if (!cmd.project || !to) return reply(deps, msg, text(t('report.move_usage')));
  const period = deps.calendar.periodOf(deps.clock.now());
  const deadline = deps.calendar.deadline(period);
  const today = deps.calendar.today(deps.clock.now());
  await withProject(deps, msg, person, cmd.project, { a: 'report_open', period }, async (p) => {
    const check = checkTransition(p.stage, to, {
      existing: { contractFen: p.contractAmountFen, signedOn: p.signedOn, landedOn: p.landedOn },
      today,
    });
    if (!check.ok) {
      const issue = check.issues[0]!;
      if (issue.code === 'same_stage' || issue.code === 'not_allowed') return reply(deps, msg, text(transitionIssueText(issue)));
      // Needs more (reason, contract amount, dates): the form, with the target stage chosen.
      const c = reportFormCard({ project: p, period, deadline, values: { stage: to }, ids: [p.id] });
      c.body.elements.unshift(md(t('report.move_needs_form', { to: stageLabel(to) })));
      return reply(deps, msg, { msgType: 'interactive', card: c });
    }
    const rules = await loadRules(deps.db);
    const names = await unitNames(deps.db);
    await deps.db.transaction(async (tx) => {
      await applyStage(tx, p, { to }, person.id, today);
      const moved = { ...p, stage: to };
      if (to === 'signed') await escalateBigSigning(tx, moved, rules, names.get(p.hostUnitId ?? -1) ?? '');
      await replyTo(
        tx,
        msg,
        text(t('report.move_done', { name: p.name, from: stageLabel(p.stage), to: stageLabel(to) })),
        `reply:${msg.messageId}`,
      );
    });
    deps.notifyOutbox();
  });
};

function newProjectCard(deps: Deps, chainNames: string[], values: Record<string, string> = {}, errors: Record<string, string> = {}) {
  const err = (f: string): Element[] => (errors[f] ? [md(`<font color='red'>${errors[f]}</font>`)] : []);
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
        submitButton(t('report.submit'), { a: 'new_submit' }),
      ]),
    ],
  });
}

/** `新建项目`: a form creating a project in 谋划. */
export const newProject: CommandHandler<'new'> = async (deps, { msg, person }) => {
  if (!person) return;
  const chainNames = (await deps.db.select({ name: chains.name }).from(chains)).map((c) => c.name);
  return reply(deps, msg, { msgType: 'interactive', card: newProjectCard(deps, chainNames) });
};

export const newSubmit: ActionHandler = async (deps, { action, person }) => {
  if (!person) return {};
  const raw = action.formValue;
  const values: Record<string, string> = {};
  for (const k of ['name', 'investor', 'investor_region', 'chain', 'planned', 'host']) {
    const v = raw[k];
    if (typeof v === 'string' && v.trim()) values[k] = v.trim().slice(0, 200);
  }
  const errors: Record<string, string> = {};
  if (!values.name) errors.name = t('report.err_name_required');
  else {
    const same = (await deps.db.select().from(projects).where(ilike(projects.name, values.name)))[0];
    if (same) errors.name = t('report.err_name_taken', { code: same.code });
  }
  let plannedFen: number | null = null;
  if (values.planned) {
    const a = parseAmount(values.planned);
    if (a.ok) plannedFen = a.fen;
    else errors.planned = amountErrorText(a);
  }
  let hostId: number | null = person.unitId;
  if (values.host) {
    const id = (await unitResolver(deps.db))(values.host);
    if (id === undefined) errors.host = t('report.err_unknown_unit', { name: values.host });
    else hostId = id;
  }
  const chainRows = await deps.db.select().from(chains);
  if (Object.keys(errors).length > 0) {
    return {
      toast: { type: 'error', content: t('report.toast_fix_errors') },
      card: {
        type: 'raw',
        data: newProjectCard(
          deps,
          chainRows.map((c) => c.name),
          values,
          errors,
        ),
      },
    };
  }
  const today = deps.calendar.today(deps.clock.now());
  const created = await deps.db.transaction(async (tx) => {
    const code = await nextProjectCode(tx, Number(today.slice(0, 4)));
    const [p] = await tx
      .insert(projects)
      .values({
        code,
        name: values.name!,
        investor: values.investor ?? null,
        investorRegion: values.investor_region ?? null,
        chainId: chainRows.find((c) => c.name === values.chain)?.id ?? null,
        stage: 'planning',
        firstTalkUnitId: person.unitId,
        hostUnitId: hostId,
        ownerId: person.id,
        plannedInvestmentFen: plannedFen,
        stageEnteredOn: today,
        lastProgressOn: today,
      })
      .returning();
    await tx
      .insert(auditLog)
      .values({ actorId: person.id, action: 'project.create', entity: 'project', entityId: String(p!.id), after: values });
    return p!;
  });
  return {
    toast: { type: 'success', content: t('report.toast_saved', { name: created.name }) },
    card: {
      type: 'raw',
      data: card({
        title: t('report.new_done_title', { name: created.name }),
        template: 'green',
        elements: [md(t('report.new_done', { code: created.code }))],
      }),
    },
  };
};
