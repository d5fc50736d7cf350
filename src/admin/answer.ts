import { reply, type Outgoing } from '../store/messages.js';

/*
 * The mechanism office's tools (binding groups, trips, 履约提醒函, export, the ledger sent in chat) are services
 * here, apart from the conversation: src/bot parses a command and hands it over; these decide (permissions
 * first), write, and answer with messages as values.
 */

/**
 * What a service answers with: messages for the caller's one seam to write and send, or — when the service
 * changed state and wrote its reply in that same transaction (`enqueueAll`) — how many it queued.
 */
export type Answer = readonly Outgoing[] | { enqueued: number };

/** The message being answered: where it came from, who sent it; replies go to it and are keyed by it. */
export interface Asked {
  messageId: string;
  chatId: string;
  chatType: 'p2p' | 'group';
  senderOpenId: string;
}

/** A plain-text reply to the message, as an answer. */
export function say(asked: Asked, text: string): Outgoing[] {
  return [reply(asked, { msgType: 'text', text })];
}
