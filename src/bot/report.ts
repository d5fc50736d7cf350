/*
 * The reporting loop's commands and card actions, as the conversation sees them: each adapter reads what the
 * command or the clicked button said and calls the report service (src/report/service.ts), which decides and
 * answers with values. Nothing here reads the database or words a reply.
 */
import type { Card } from '../lark/cards.js';
import { REPORT_ACTIONS, readActionValue } from '../report/actions.js';
import * as report from '../report/service.js';
import type { ActionHandler, ActionResult, CommandHandler } from './handlers/types.js';
import type { CardInbox } from './dispatcher.js';

/** A service's card answer as the router takes it: the card travels raw, as Lark's callback response wants. */
function answer(a: report.CardAnswer): ActionResult {
  const { card, ...rest } = a;
  return card ? { ...rest, card: raw(card) } : rest;
}

const raw = (card: Card) => ({ type: 'raw' as const, data: card });

/**
 * The callback's inbox record for a service that writes it with its change (issue 14, 18): the answer stored is
 * the one the router returns (what the dispatcher would have stored), and a sealed record is left to the service.
 */
function sealing(inbox: CardInbox | undefined): report.Sealing | undefined {
  if (!inbox) return undefined;
  return {
    key: inbox.key,
    response: (a) => {
      const { enqueued: _enqueued, ...response } = answer(a);
      return response;
    },
    sealed: () => {
      inbox.sealed = true;
    },
  };
}

/** `填报 <项目>` (without a project: the person's list); `填报 <项目> 上月`: last month's form. */
export const reportCommand: CommandHandler<'report'> = async (deps, { msg, person, cmd }) =>
  person ? report.formFor(deps, person, msg, cmd.project, { previous: cmd.previous === true }) : undefined;

/** `我的项目`. */
export const mine: CommandHandler<'mine'> = async (deps, { msg, person }) => (person ? report.mine(deps, person, msg) : undefined);

/** `推进 <项目> <阶段>`. */
export const move: CommandHandler<'move'> = async (deps, { msg, person, cmd }) =>
  person ? report.move(deps, person, msg, cmd.project, cmd.stage) : undefined;

/** `新建项目`. */
export const newProject: CommandHandler<'new'> = async (deps, { msg, person }) =>
  person ? report.newProject(deps, person, msg) : undefined;

export const reportOpen: ActionHandler = async (deps, { action, person }) =>
  answer(await report.openForm(deps, person, readActionValue(action.value)));

export const reportNoChange: ActionHandler = async (deps, { action, person, inbox }) =>
  answer(await report.noChange(deps, person, readActionValue(action.value), sealing(inbox)));

export const reportSubmit: ActionHandler = async (deps, { action, person, inbox }) =>
  answer(await report.submit(deps, person, readActionValue(action.value), action.formValue, sealing(inbox)));

export const reportList: ActionHandler = async (deps, { action, person }) =>
  answer(await report.list(deps, person, readActionValue(action.value)));

export const newSubmit: ActionHandler = async (deps, { action, person, inbox }) =>
  answer(await report.createProject(deps, person, action.formValue, sealing(inbox)));

/** The loop's commands, by parsed command name. */
export const reportCommands = { report: reportCommand, mine, move, new: newProject };

/** The loop's card actions, by the action id their buttons carry. */
export const reportActions: Record<(typeof REPORT_ACTIONS)[keyof typeof REPORT_ACTIONS], ActionHandler> = {
  [REPORT_ACTIONS.open]: reportOpen,
  [REPORT_ACTIONS.noChange]: reportNoChange,
  [REPORT_ACTIONS.submit]: reportSubmit,
  [REPORT_ACTIONS.list]: reportList,
  [REPORT_ACTIONS.newSubmit]: newSubmit,
};
