import type { CardActionResponse, Inbound } from '../../lark/events.js';
import type { Person } from '../../store/directory.js';
import type { Command } from '../commands.js';
import { type Deps } from '../../context.js';

export type Message = Extract<Inbound, { kind: 'message' }>;
export type CardAction = Extract<Inbound, { kind: 'card_action' }>;

/** A command handler: the parsed command, who sent it and where; it replies through the outbox. */
export type CommandHandler<N extends Command['name'] = Command['name']> = (
  deps: Deps,
  ctx: { msg: Message; person: Person | undefined; cmd: Extract<Command, { name: N }> },
) => Promise<void>;

/** A card action handler: answers within Lark's 3 s with a toast and/or the replacement card. */
export type ActionHandler = (
  deps: Deps,
  ctx: { action: CardAction; person: Person | undefined; defer: (label: string, fn: () => Promise<unknown>) => void },
) => Promise<CardActionResponse>;
