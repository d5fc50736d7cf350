/*
 * What the bot counts, as hooks: the dispatcher, the handlers, the Lark client and the job runner call these,
 * and the Node entry hands in the Prometheus implementation (src/ops/prometheus.ts, prom-client). This file
 * imports nothing, so the Workers entry (which has no /metrics) carries no prom-client.
 */

/** The kinds of event the dispatcher hands over; anything else Lark sends is `other`. */
export type EventKind = 'message' | 'card_action' | 'bot_added' | 'menu' | 'other';

const KINDS: Readonly<Record<string, EventKind>> = {
  'im.message.receive_v1': 'message',
  'card.action.trigger': 'card_action',
  'im.chat.member.bot.added_v1': 'bot_added',
  'application.bot.menu_v6': 'menu',
};

/** A bounded label from Lark's event type (never the type itself: a label must not take arbitrary values). */
export function eventKindOf(eventType: string | undefined): EventKind {
  return (eventType !== undefined && Object.prototype.hasOwnProperty.call(KINDS, eventType) ? KINDS[eventType] : undefined) ?? 'other';
}

/** One Lark HTTP call, by what it does: a message sent (create or reply), a message updated, anything else. */
export type LarkCallKind = 'send' | 'update' | 'other';
/** How one attempt ended: answered, throttled, Lark's servers failed, refused (another 4xx or code), no answer. */
export type LarkCallResult = 'ok' | '429' | '5xx' | '4xx' | 'network';

/** The outcome of a job run, as the runner reports it (`RunOutcome['status']`). */
export type JobOutcome = 'not_due' | 'already_done' | 'running_elsewhere' | 'done' | 'failed';

/** Why a delivery was dropped before any handler: Lark delivered it before, or the same message came again. */
export type DuplicateKey = 'event' | 'message';

export interface BotMetrics {
  /** A delivery reached the dispatcher (webhook or long connection), before de-duplication. */
  eventReceived(kind: EventKind): void;
  /** The webhook refused a request (bad signature, token, window, size, body); `status` is the HTTP answer. */
  eventRefused(status: number): void;
  /** A delivery dropped as already seen. */
  eventDuplicate(key: DuplicateKey): void;
  /** A handler threw (the event is forgotten again so that Lark's redelivery gets another chance). */
  handlerFailed(kind: EventKind): void;
  /** From receiving an event to its answer being ready: the card's response, or the replies in the outbox. */
  replyLatency(kind: EventKind, seconds: number): void;
  /** One attempt of one Lark call (a call retried three times counts three). */
  larkCall(call: LarkCallKind, result: LarkCallResult): void;
  /** One `runJob`, by its outcome. */
  jobRun(job: string, outcome: JobOutcome): void;
}

/** Counts nothing (pure unit tests, the CLI, Workers). */
export const noMetrics: BotMetrics = {
  eventReceived: () => {},
  eventRefused: () => {},
  eventDuplicate: () => {},
  handlerFailed: () => {},
  replyLatency: () => {},
  larkCall: () => {},
  jobRun: () => {},
};
