import type { Db, Tx } from './db.js';
import { enqueue, type OutboxMessage } from './outbox.js';
import { forTextMessage } from '../domain/markup.js';
/** A card as Lark takes it (JSON 2.0); built by the card builders, stored as it is. */
export type Json = Record<string, unknown>;

/*
 * How handlers answer: never by calling Lark, always by writing outbox rows inside their transaction.
 * Each helper takes an idempotency key that names the cause, so a redelivered event enqueues nothing new.
 */

export type Content = { msgType: 'text'; text: string } | { msgType: 'interactive'; card: Json };

/**
 * A text message leaves as `forTextMessage`: texts are rendered as card markdown (`t()`), and a text message
 * neither decodes entities nor may carry a user's `<at>` or link, so every text message is made safe here, once.
 */
const toLark = (c: Content) =>
  c.msgType === 'text' ? { msgType: 'text', content: { text: forTextMessage(c.text) } } : { msgType: 'interactive', content: c.card };

/**
 * Reply to an incoming message (p2p or group). Given the message's chat, the reply counts against that chat's
 * rate limit and keeps its place in order with other messages to the chat.
 */
export async function replyTo(
  tx: Db | Tx,
  to: string | { messageId: string; chatId?: string },
  content: Content,
  key: string,
): Promise<boolean> {
  const { messageId, chatId } = typeof to === 'string' ? { messageId: to, chatId: undefined } : to;
  return enqueue(tx, outboxMessage({ to: 'reply', messageId, chatId, content, key }));
}

/** A direct message to a person by open_id. */
export async function sendToUser(tx: Db | Tx, openId: string, content: Content, key: string): Promise<boolean> {
  return enqueue(tx, outboxMessage({ to: 'user', openId, content, key }));
}

/** A post to a group chat by chat_id. */
export async function sendToChat(tx: Db | Tx, chatId: string, content: Content, key: string): Promise<boolean> {
  return enqueue(tx, outboxMessage({ to: 'chat', chatId, content, key }));
}

/** Replace a card the bot sent earlier (PATCH; Lark allows it for 14 days). */
export async function updateCard(tx: Db | Tx, messageId: string, card: Json, key: string): Promise<boolean> {
  return enqueue(tx, outboxMessage({ to: 'patch', messageId, card, key }));
}

/** The outbox row a message to send becomes. */
function outboxMessage(o: Outgoing): OutboxMessage {
  switch (o.to) {
    case 'reply': {
      const m = toLark(o.content);
      return {
        idemKey: o.key,
        op: 'reply',
        targetMessageId: o.messageId,
        ...(o.chatId ? { receiveIdType: 'chat_id' as const, receiveId: o.chatId } : {}),
        msgType: m.msgType,
        content: m.content,
      };
    }
    case 'user':
    case 'chat': {
      const m = toLark(o.content);
      const [receiveIdType, receiveId] = o.to === 'user' ? (['open_id', o.openId] as const) : (['chat_id', o.chatId] as const);
      return { idemKey: o.key, op: 'create', receiveIdType, receiveId, msgType: m.msgType, content: m.content };
    }
    case 'patch':
      return { idemKey: o.key, op: 'patch', targetMessageId: o.messageId, msgType: 'interactive', content: o.card };
  }
}

/**
 * A message to send, as a value: handlers build these and return them; the one seam (the bot's router, the job
 * runner) writes them with `enqueueAll` and wakes the sender once. The key names the cause, as above.
 */
export type Outgoing =
  | { to: 'reply'; messageId: string; chatId?: string; content: Content; key: string }
  | { to: 'user'; openId: string; content: Content; key: string }
  | { to: 'chat'; chatId: string; content: Content; key: string }
  | { to: 'patch'; messageId: string; card: Json; key: string };

/** A reply to an incoming message; the key defaults to the message's own (`reply:<message_id>`). */
export function reply(msg: { messageId: string; chatId?: string }, content: Content, key = `reply:${msg.messageId}`): Outgoing {
  return { to: 'reply', messageId: msg.messageId, chatId: msg.chatId, content, key };
}

/**
 * Writes the messages inside the caller's transaction (one message, one statement: it may be given the database
 * itself); returns how many were new (the rest were already queued). With `seal` (an event's inbox key), the last
 * message's statement also marks that event done: more than one message needs the caller's transaction.
 */
export async function enqueueAll(tx: Db | Tx, out: readonly Outgoing[], seal?: string): Promise<number> {
  let added = 0;
  for (const [i, o] of out.entries()) {
    if (await enqueue(tx, outboxMessage(o), i === out.length - 1 ? seal : undefined)) added++;
  }
  return added;
}
