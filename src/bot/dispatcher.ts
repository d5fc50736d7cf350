import { randomUUID } from 'node:crypto';
import { Envelope, normalize, PayloadError, type CardActionResponse, type Inbound } from '../lark/events.js';
import {
  admit,
  exhaustedEvents,
  forget,
  markDone,
  messageKey,
  renewLease,
  unfinishedEvents,
  type CardInbox,
  type KnownActor,
  type MessageInbox,
} from '../store/dedupe.js';
import { cleanDeep, cleanText } from '../domain/text.js';
import { hasReplyTo } from '../store/outbox.js';
import { t } from '../text.js';
import { type Deps } from '../context.js';

type Message = Extract<Inbound, { kind: 'message' }>;
type CardAction = Extract<Inbound, { kind: 'card_action' }>;
type BotAdded = Extract<Inbound, { kind: 'bot_added' }>;
type Menu = Extract<Inbound, { kind: 'menu' }>;

/**
 * Each handler is told who caused the event when the admission read it (`known`: the active person with the
 * event's open_id and the calendar's version stamp, or null for nobody); undefined when it was not read.
 */
export interface Handlers {
  /** `inbox`: the message event's record, for the seam that queues the replies to mark done with them. */
  onMessage(msg: Message, known?: KnownActor | null, inbox?: MessageInbox): Promise<void>;
  /** `defer` starts work that goes on after the answer (Lark wants it within 3 s). */
  onCardAction(action: CardAction, defer: Defer, inbox?: CardInbox, known?: KnownActor | null): Promise<CardActionResponse>;
  onBotAdded(ev: BotAdded, known?: KnownActor | null): Promise<void>;
  /** A bot menu item pressed (机器人自定义菜单): answered in the person's p2p chat. */
  onMenu(ev: Menu, known?: KnownActor | null): Promise<void>;
  /** Handling `ev` failed (already logged with `ref`): tell the person, briefly, when there is one to tell. */
  onFailed(ev: Inbound, ref: string): Promise<void>;
  /** Deferred work outside the inbox a crash left unfinished (a confirmed ledger import): resumed by the sweep. */
  onSweep?(defer: Defer): Promise<number>;
}

/**
 * A card callback's inbox record, handed to the handler: a handler that marks it done in the statement (or
 * transaction) of its state change, with the answer, sets `sealed`, and the dispatcher leaves it alone (issue 14,
 * 18: the change and the dedupe record commit together, in one round trip fewer). Defined in the store, so that
 * the feature services writing it need not know the dispatcher.
 */
export type { CardInbox, KnownActor, MessageInbox };

export type Defer = (label: string, fn: () => Promise<unknown>) => void;

export interface InboxOptions {
  /** How long a handler holds an event before another may take it over; renewed every quarter of it. */
  leaseMs: number;
}

export const DEFAULT_INBOX: InboxOptions = { leaseMs: 10_000 };

/** A recheck waits this much past the lease, so the database's clock has surely passed it. */
const RECHECK_MARGIN_MS = 100;

/** The event kinds handled after the answer: stored with their payload, so a crash leaves them to be resumed. */
const DEFERRED = new Set<Inbound['kind']>(['message', 'bot_added', 'menu']);

export type Receive = ((env: Envelope, defer: Defer) => Promise<CardActionResponse | undefined>) & {
  /** Resumes the stored events left unfinished whose lease lapsed; returns how many were taken over. */
  sweep(defer: Defer): Promise<number>;
};

/**
 * The one entry for every delivery, from the webhook and the WS client alike: normalise, admit into the
 * inbox (seen and stored in one statement, event_id, and message_id for messages), then hand over. Messages are
 * acknowledged at once and handled after the answer, and marked done once their replies are queued; card
 * actions are answered in the response, as Lark wants within 3 s, and the answer is kept to replay to a
 * duplicate. Every failure is logged with the event id and answered with a short apology.
 */
export function createDispatcher(deps: Deps, handlers: Handlers, inbox: InboxOptions = DEFAULT_INBOX): Receive {
  const { leaseMs } = inbox;

  /** Runs `fn` holding the event's lease, renewing it while `fn` works. */
  async function holding<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const renew = setInterval(
      () => void renewLease(deps.db, key, leaseMs).catch((err) => deps.logger.warn({ err, key }, 'inbox lease not renewed')),
      Math.max(50, Math.floor(leaseMs / 4)),
    );
    try {
      return await fn();
    } finally {
      clearInterval(renew);
    }
  }

  /** A failure: logged with the event id and a reference, the person told; the event is done (not retried). */
  async function failed(inbound: Inbound, err: unknown): Promise<string> {
    const ref = randomUUID().slice(0, 8);
    deps.logger.error({ err, ref, eventId: inbound.eventId, kind: inbound.kind }, 'handling an event failed');
    try {
      await handlers.onFailed(inbound, ref);
    } catch (e) {
      deps.logger.error({ err: e, ref, eventId: inbound.eventId }, 'the failure reply could not be queued');
    }
    return ref;
  }

  async function deferred(inbound: Inbound, key: string, fn: (inbox: MessageInbox) => Promise<void>): Promise<void> {
    // A handler whose replies were queued with the record marked done (in one statement) seals it: left alone here.
    const inbox: MessageInbox = { key, sealed: false };
    try {
      await holding(key, () => fn(inbox));
    } catch (err) {
      await failed(inbound, err);
    }
    if (!inbox.sealed) await markDone(deps.db, key);
  }

  /** When a sweep is due for a held event's lapse (one pending at a time: the earliest wins). */
  let recheckDue: number | null = null;

  /** Sweeps once `ms` (plus a margin) from now, unless a sweep is already due by then. */
  function recheckAfter(ms: number, defer: Defer): void {
    const due = Date.now() + ms + RECHECK_MARGIN_MS;
    if (recheckDue !== null && recheckDue <= due) return;
    recheckDue = due;
    // A plain timer, not deferred work: nothing waits on it (a drain at shutdown, a test settling), and where
    // timers do not outlive the request (Workers) the cron's sweep does the same a little later.
    const timer = setTimeout(
      () => {
        if (recheckDue === due) recheckDue = null;
        sweep(defer).catch((err) => deps.logger.error({ err }, 'inbox recheck failed'));
      },
      Math.max(0, due - Date.now()),
    );
    (timer as { unref?: () => void }).unref?.();
  }

  async function receive(env: Envelope, defer: Defer): Promise<CardActionResponse | undefined> {
    let inbound: Inbound;
    try {
      inbound = normalize(env, deps.botOpenId);
    } catch (err) {
      if (err instanceof PayloadError) {
        deps.logger.warn({ err: err.message, eventType: env.header.event_type }, 'malformed event acknowledged');
        return undefined;
      }
      throw err;
    }
    const eventKey = `event:${inbound.eventId}`;
    // Stored cleaned: PostgreSQL refuses U+0000 in jsonb too, and normalize() cleans the same strings anyway.
    const stored = DEFERRED.has(inbound.kind) ? { kind: cleanText(env.header.event_type), payload: cleanDeep(env) } : undefined;
    // Who caused it is read in the admission's statement (issue 18): the handlers need not ask again.
    const who = inbound.kind === 'message' ? inbound.senderOpenId : 'operatorOpenId' in inbound ? inbound.operatorOpenId : undefined;
    // A message is seen under its message_id too, in the same statement (Lark may send one message twice).
    const also = inbound.kind === 'message' ? messageKey(inbound.messageId) : undefined;
    const admission = await admit(deps.db, eventKey, stored, leaseMs, who, also);
    const known = admission.actor;
    if (admission.state === 'seen') {
      deps.metrics?.eventDuplicate('event');
      if (inbound.kind === 'card_action') {
        // A duplicate callback gets the first answer again; one still being worked on, a word to wait.
        if (admission.response !== undefined) return admission.response as CardActionResponse;
        return { toast: { type: 'info', content: t('bot.in_progress') } };
      }
      deps.logger.info({ eventId: inbound.eventId }, 'duplicate delivery ignored');
      return undefined;
    }
    if (admission.state === 'held') {
      deps.metrics?.eventDuplicate('event');
      if (inbound.kind === 'card_action') return { toast: { type: 'info', content: t('bot.in_progress') } };
      // Held by a live handler, or by one that died: a bot restarted inside a dead handler's lease sees the
      // redelivery here. It is looked at again when the lease lapses; a live handler will have renewed it by then.
      deps.logger.info(
        { eventId: inbound.eventId, lapsesInMs: admission.lapsesInMs },
        'delivery of an event still held; looked at again when its lease lapses',
      );
      recheckAfter(admission.lapsesInMs, defer);
      return undefined;
    }
    if (admission.state === 'resumed') {
      deps.logger.warn({ eventId: inbound.eventId, kind: inbound.kind, attempt: admission.attempts }, 'unfinished event resumed');
    }

    switch (inbound.kind) {
      case 'message': {
        // The same message under another event id: the first one's work covers it (resuming skips the check).
        if (admission.state === 'new' && admission.alsoNew === false) {
          await markDone(deps.db, eventKey);
          deps.metrics?.eventDuplicate('message');
          return undefined;
        }
        // Group messages are only for us when they @ the bot (Lark may deliver others with broader permissions).
        if (inbound.chatType === 'group' && !inbound.mentionedBot) {
          await markDone(deps.db, eventKey);
          return undefined;
        }
        defer('message', () => deferred(inbound, eventKey, (inbox) => handlers.onMessage(inbound, known, inbox)));
        return undefined;
      }
      case 'card_action': {
        const inbox: CardInbox = { key: eventKey, sealed: false };
        try {
          const response = await holding(eventKey, () => handlers.onCardAction(inbound, defer, inbox, known));
          if (!inbox.sealed) await markDone(deps.db, eventKey, response);
          return response;
        } catch (err) {
          const ref = await failed(inbound, err);
          // Forgotten: the person's next click (or Lark's retry) is handled afresh — unless the action already
          // committed its change with the record sealed (what failed came after), whose replay must stay.
          if (!inbox.sealed) await forget(deps.db, eventKey);
          return { toast: { type: 'error', content: t('bot.error', { ref }) } };
        }
      }
      case 'bot_added':
        defer('bot_added', () => deferred(inbound, eventKey, () => handlers.onBotAdded(inbound, known)));
        return undefined;
      case 'menu':
        defer('menu', () => deferred(inbound, eventKey, () => handlers.onMenu(inbound, known)));
        return undefined;
      default:
        await markDone(deps.db, eventKey);
        deps.logger.info({ eventType: inbound.eventType }, 'unhandled event type acknowledged');
        return undefined;
    }
  }

  async function sweep(defer: Defer): Promise<number> {
    let resumed = 0;
    for (const row of await unfinishedEvents(deps.db)) {
      const env = Envelope.safeParse(row.payload);
      if (!env.success) {
        deps.logger.error({ key: row.key }, 'stored event unreadable; marked done');
        await markDone(deps.db, row.key);
        continue;
      }
      // Through the front door again: the admission takes the lapsed lease over (or finds it taken).
      await receive(env.data, defer);
      resumed++;
    }
    // Killed every time it was started: given up on, but not in silence. The failure reply is keyed by the
    // message (or event), so two sweeps racing here queue it once.
    for (const row of await exhaustedEvents(deps.db)) {
      const env = Envelope.safeParse(row.payload);
      let inbound: Inbound | undefined;
      try {
        inbound = env.success ? normalize(env.data, deps.botOpenId) : undefined;
      } catch {
        inbound = undefined;
      }
      if (inbound?.kind === 'message' && (await hasReplyTo(deps.db, inbound.messageId))) {
        // The last attempt died after its reply was queued: the person hears that reply, not an apology as well.
        deps.logger.warn({ eventId: inbound.eventId }, 'given up on an event whose reply was already queued; no apology');
      } else if (inbound) await failed(inbound, new Error('given up: its process died at every attempt'));
      await markDone(deps.db, row.key);
    }
    return resumed + ((await handlers.onSweep?.(defer)) ?? 0);
  }

  return Object.assign(receive, { sweep });
}
