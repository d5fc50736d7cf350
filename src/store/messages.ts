import type { Tx } from './db.js';
import { enqueue } from './outbox.js';
/** A card as Lark takes it (JSON 2.0); built by the card builders, stored as it is. */
export type Json = Record<string, unknown>;

/*
 * How handlers answer: never by calling Lark, always by writing outbox rows inside their transaction.
 * Each helper takes an idempotency key that names the cause, so a redelivered event enqueues nothing new.
 */

export type Content = { msgType: 'text'; text: string } | { msgType: 'interactive'; card: Json };

const toLark = (c: Content) =>
  c.msgType === 'text' ? { msgType: 'text', content: { text: c.text } } : { msgType: 'interactive', content: c.card };

/**
 * Reply to an incoming message (p2p or group). Given the message's chat, the reply counts against that chat's
 * rate limit and keeps its place in order with other messages to the chat.
 */
export async function replyTo(
  tx: Tx,
  to: string | { messageId: string; chatId?: string },
  content: Content,
  key: string,
): Promise<boolean> {
  const m = toLark(content);
  const { messageId, chatId } = typeof to === 'string' ? { messageId: to, chatId: undefined } : to;
  return enqueue(tx, {
    idemKey: key,
    op: 'reply',
    targetMessageId: messageId,
    ...(chatId ? { receiveIdType: 'chat_id' as const, receiveId: chatId } : {}),
    msgType: m.msgType,
    content: m.content,
  });
}

/** A direct message to a person by open_id. */
export async function sendToUser(tx: Tx, openId: string, content: Content, key: string): Promise<boolean> {
  const m = toLark(content);
  return enqueue(tx, { idemKey: key, op: 'create', receiveIdType: 'open_id', receiveId: openId, msgType: m.msgType, content: m.content });
}

/** A post to a group chat by chat_id. */
export async function sendToChat(tx: Tx, chatId: string, content: Content, key: string): Promise<boolean> {
  const m = toLark(content);
  return enqueue(tx, { idemKey: key, op: 'create', receiveIdType: 'chat_id', receiveId: chatId, msgType: m.msgType, content: m.content });
}

/** Replace a card the bot sent earlier (PATCH; Lark allows it for 14 days). */
export async function updateCard(tx: Tx, messageId: string, card: Json, key: string): Promise<boolean> {
  return enqueue(tx, { idemKey: key, op: 'patch', targetMessageId: messageId, msgType: 'interactive', content: card });
}
