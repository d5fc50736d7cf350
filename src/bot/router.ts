import { parseCommand, type Command } from './parse.js';
import { isAdmin } from '../domain/permissions.js';
import type { Handlers } from './dispatcher.js';
import { actorByOpenId } from '../store/action-context.js';
import { card, md } from '../lark/cards.js';
import { t } from '../text.js';
import type { CommandHandler, Replies } from './handlers/types.js';
import { fullRegistry, type Registry } from './registry.js';
import { type Deps } from '../context.js';
import { enqueueAll, reply, type Content, type Outgoing } from '../store/messages.js';
import type { KnownActor, MessageInbox } from '../store/dedupe.js';

/**
 * The one seam replies leave through: a handler's answer is written to the outbox here (one transaction) and
 * the sender is woken once, only when something new was queued.
 */
async function send(deps: Deps, replies: Replies | void, inbox?: MessageInbox): Promise<void> {
  if (!replies) return;
  // One reply is one statement, atomic by itself: no transaction around it (two round trips fewer, issue 18). A
  // message event's record is marked done in the statement (or transaction) that queues its replies.
  let enqueued = 0;
  if ('enqueued' in replies) enqueued = replies.enqueued;
  else if (replies.length > 0) {
    enqueued =
      replies.length === 1
        ? await enqueueAll(deps.db, replies, inbox?.key)
        : await deps.db.transaction((tx) => enqueueAll(tx, replies, inbox?.key));
    if (inbox) inbox.sealed = true;
  }
  if (enqueued > 0) deps.notifyOutbox();
}

/** Own-property lookup: a value like `constructor` or `__proto__` never reaches Object.prototype. */
function own<T>(table: Partial<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/**
 * The router: who is speaking, which handler answers (the registry), and the one seam its answer leaves
 * through. What the dispatcher calls for each delivery it lets through.
 */
export function createRouter(deps: Deps, registry: Registry = fullRegistry()): Handlers {
  /** Who caused the event: as its admission read it, or read here when it was not (a handler called directly). */
  const whoIs = async (known: KnownActor | null | undefined, openId: string | undefined) =>
    known !== undefined ? known : openId ? ((await actorByOpenId(deps.db, openId)) ?? null) : null;

  return {
    async onMessage(msg, known, inbox) {
      const actor = await whoIs(known, msg.senderOpenId);
      const person = actor?.person;
      if (msg.messageType === 'file' || msg.messageType === 'image') {
        await send(deps, await registry.file?.(deps, { msg, person }), inbox);
        return;
      }
      if (msg.messageType !== 'text') return;
      const cmd = parseCommand(msg.text);
      const handler = own(registry.commands as Record<string, CommandHandler>, cmd.name);
      if (!person && cmd.name !== 'help') {
        await send(deps, [reply(msg, { msgType: 'text', text: t('bot.unknown_person') })], inbox);
        return;
      }
      if (!handler) {
        await send(deps, [reply(msg, { msgType: 'text', text: t('bot.not_understood', { text: msg.text.slice(0, 40) }) })], inbox);
        return;
      }
      // Decisions (deadlines, periods) on the calendar every instance sees now: a version check, cheap.
      await deps.refreshCalendar?.(actor?.calendarVersion);
      await send(deps, await handler(deps, { msg, person, cmd }), inbox);
    },

    async onCardAction(action, defer, inbox, known) {
      // Who clicked and the calendar's version stamp, read with the event's admission; the calendar is re-read
      // only when it moved.
      const actor = await whoIs(known, action.operatorOpenId);
      const person = actor?.person;
      await deps.refreshCalendar?.(actor?.calendarVersion);
      const name = typeof action.value.a === 'string' ? action.value.a : '';
      const handler = own(registry.actions, name);
      if (!handler) {
        // A stale or forged button (`constructor`, `__proto__`, an action we never wrote): a polite toast, HTTP 200.
        deps.logger.warn({ action: name.slice(0, 40) }, 'card action without handler');
        return { toast: { type: 'info', content: t('bot.unknown_action') } };
      }
      // Deferred work answers through the seam too, when it is done.
      const later = (label: string, fn: () => Promise<Replies | void>) => defer(label, async () => send(deps, await fn()));
      const { out, enqueued, ...response } = await handler(deps, { action, person, defer: later, inbox });
      await send(deps, out ? out : { enqueued: enqueued ?? 0 });
      return response;
    },

    async onBotAdded(ev, known) {
      // Whoever added the bot decides the greeting: an admin gets the binding hint (the group is theirs to bind),
      // anyone else a one-line description, so a group of officers is not shown commands they cannot use.
      const adder = (await whoIs(known, ev.operatorOpenId))?.person;
      const c = isAdmin(adder)
        ? card({ title: t('bot.greeting_title'), template: 'turquoise', elements: [md(t('bot.greeting'))] })
        : card({ title: t('bot.greeting_title'), template: 'turquoise', elements: [md(t('bot.greeting_short'))] });
      await send(deps, [
        { to: 'chat', chatId: ev.chatId, content: { msgType: 'interactive', card: c }, key: `greet:${ev.chatId}:${ev.eventId}` },
      ]);
    },

    async onSweep(defer) {
      if (!registry.sweep) return 0;
      return registry.sweep(deps, (label, fn) => defer(label, async () => send(deps, await fn())));
    },

    async onFailed(ev) {
      // A short apology where the person will see it; the reference is in the log beside the event id. A card
      // action is answered by its toast instead, and a group the bot joined needs no apology.
      const text: Content = { msgType: 'text', text: t('bot.failed') };
      if (ev.kind === 'message') await send(deps, [reply(ev, text, `failed:${ev.messageId}`)]);
      else if (ev.kind === 'menu')
        await send(deps, [{ to: 'user', openId: ev.operatorOpenId, content: text, key: `failed:${ev.eventId}` }]);
    },

    async onMenu(ev, known) {
      const cmd = MENU_COMMANDS[ev.eventKey as keyof typeof MENU_COMMANDS];
      if (!cmd || !Object.prototype.hasOwnProperty.call(MENU_COMMANDS, ev.eventKey)) {
        deps.logger.warn({ eventKey: ev.eventKey }, 'bot menu item without a command');
        return;
      }
      const person = (await whoIs(known, ev.operatorOpenId))?.person;
      const toUser = (content: Content, n: number): Outgoing => ({
        to: 'user',
        openId: ev.operatorOpenId,
        content,
        key: `menu:${ev.eventId}:${n}`,
      });
      if (!person) {
        await send(deps, [toUser({ msgType: 'text', text: t('bot.unknown_person') }, 0)]);
        return;
      }
      // A menu press is the command typed in the person's p2p chat, without a message to reply to: the answers
      // go to the person directly.
      const msg = {
        kind: 'message' as const,
        eventId: ev.eventId,
        messageId: `menu:${ev.eventId}`,
        chatId: '',
        chatType: 'p2p' as const,
        senderOpenId: ev.operatorOpenId,
        messageType: 'text',
        text: '',
        mentionedBot: false,
      };
      const handler = own(registry.commands as Record<string, CommandHandler>, cmd.name);
      const out = await handler?.(deps, { msg, person, cmd });
      if (!out || !Array.isArray(out)) return;
      await send(
        deps,
        out.map((o, n) => (o.to === 'reply' ? toUser(o.content, n) : o)),
      );
    },
  };
}

/** The bot menu's event keys (set in Lark's developer console, README "Bot menu") and the commands they stand for. */
const MENU_COMMANDS = {
  mine: { name: 'mine' },
  report: { name: 'report', project: '' },
  status: { name: 'status', target: '' },
  help: { name: 'help' },
} as const satisfies Record<string, Command>;
