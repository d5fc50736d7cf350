import { ACTIONS } from '../actions.js';
import type { Command } from './parse.js';
import type { ActionHandler, CommandHandler, FileHandler, SweepHandler } from './handlers/types.js';
import { demo, demoClick, help } from './handlers/help.js';
import { reportActions, reportCommands } from './report.js';
import { greeting, query, status } from './handlers/status.js';
import { bind, unbind } from './handlers/bind.js';
import { trip } from './handlers/trip.js';
import { exportCommand } from './handlers/export.js';
import { holidays, letter, letterAnswer } from './handlers/letters.js';
import { away, back, handover } from './handlers/delegation.js';
import { check, filesWithEvidence, fundEvidence, fundReject, fundVerify } from './handlers/funds.js';
import { transfer, transferDecide } from './handlers/transfer.js';
import { evaluate, orgs, problems, team } from './handlers/problems.js';

/**
 * Every command and card action the bot answers, in one table. A feature adds its handlers here; nothing else
 * in the bot needs to know about it.
 */
export interface Registry {
  commands: Partial<{ [N in Command['name']]: CommandHandler<N> }>;
  actions: Record<string, ActionHandler>;
  /** A file or an image sent to the bot (a ledger to import, evidence of funds arrived). */
  file?: FileHandler;
  /** Deferred work a crash left unfinished outside the inbox (a confirmed ledger import), resumed by its sweep. */
  sweep?: SweepHandler;
}

/**
 * The ledger sent in chat. Its reader streams .xlsx through exceljs internals loaded with createRequire, which
 * Workers cannot load, so its handlers are handed in by the Node entry (node-registry.ts) and never imported
 * from here: the Workers bundle does not contain them.
 */
export interface LedgerChat {
  file: FileHandler;
  confirm: ActionHandler;
  cancel: ActionHandler;
  resume: SweepHandler;
}

/** The registry: everything that runs on Workers too, plus the ledger chat import when given (Node). */
export function fullRegistry(ledgerChat?: LedgerChat): Registry {
  return {
    commands: {
      help,
      demo,
      // The reporting loop.
      ...reportCommands,
      // Status; `query` reads plain words (and leaves file messages to the ledger import).
      status,
      query,
      greeting,
      // The mechanism office's tools: bindings, trips, export, 履约提醒函.
      bind,
      unbind,
      trip,
      export: exportCommand,
      letter,
      // Delegation (请假/出差, 销假) and handover (交接).
      away,
      back,
      handover,
      holidays,
      // 到位资金 核查 (seed 002).
      check,
      // 转移 by offer and consent (000 三(一)).
      transfer,
      // 困难问题 (限时推进), 外部单位, 包保专班, 项目评估.
      problems,
      orgs,
      team,
      evaluate,
    },
    actions: {
      [ACTIONS.demoClick]: demoClick,
      ...reportActions,
      [ACTIONS.transferDecide]: transferDecide,
      [ACTIONS.letterAnswer]: letterAnswer,
      ...(ledgerChat ? { [ACTIONS.importConfirm]: ledgerChat.confirm, [ACTIONS.importCancel]: ledgerChat.cancel } : {}),
      [ACTIONS.fundVerify]: fundVerify,
      [ACTIONS.fundReject]: fundReject,
      [ACTIONS.fundEvidence]: fundEvidence,
    },
    // Files: a ledger (Node) or the evidence of funds arrived (an image or another file).
    file: filesWithEvidence(ledgerChat?.file),
    ...(ledgerChat ? { sweep: ledgerChat.resume } : {}),
  };
}
