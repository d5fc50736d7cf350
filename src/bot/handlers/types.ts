import type { CardActionResponse, Inbound } from '../../lark/events.js';
import type { Person } from '../../store/directory.js';
import type { Outgoing } from '../../store/messages.js';
import type { Command } from '../parse.js';
import type { Deps } from '../../context.js';
import type { CardInbox } from '../dispatcher.js';

export type Message = Extract<Inbound, { kind: 'message' }>;
export type CardAction = Extract<Inbound, { kind: 'card_action' }>;

/**
 * What a handler answers with. Either the messages to send, as values — the router writes them in one
 * transaction and wakes the sender once — or, for a handler that changed state and wrote its replies in that
 * same transaction (with `enqueueAll`), how many it enqueued, so the router knows whether to wake the sender.
 * Handlers never call `notifyOutbox` themselves: the router is the one seam (a lint rule holds it there).
 */
export type Replies = readonly Outgoing[] | { enqueued: number };

/** A command handler: the parsed command, who sent it and where. */
export type CommandHandler<N extends Command['name'] = Command['name']> = (
  deps: Deps,
  ctx: { msg: Message; person: Person | undefined; cmd: Extract<Command, { name: N }> },
) => Promise<Replies | void>;

/**
 * A card action handler: answers within Lark's 3 s with a toast and/or the replacement card, and may send
 * messages besides (`out`, written by the router) or report what it enqueued in its own transaction.
 */
export type ActionResult = CardActionResponse & { out?: readonly Outgoing[]; enqueued?: number };

/**
 * Work that goes on after the answer (Lark wants it within 3 s). What it returns leaves through the same seam
 * as a handler's replies.
 */
export type DeferReplies = (label: string, fn: () => Promise<Replies | void>) => void;

export type ActionHandler = (
  deps: Deps,
  ctx: { action: CardAction; person: Person | undefined; defer: DeferReplies; inbox?: CardInbox },
) => Promise<ActionResult>;

/** A file sent to the bot (a ledger to import). */
export type FileHandler = (deps: Deps, ctx: { msg: Message; person: Person | undefined }) => Promise<Replies | void>;

/** Resumes work a crash left unfinished (the inbox sweep); returns how many pieces were taken over. */
export type SweepHandler = (deps: Deps, later: DeferReplies) => Promise<number>;
