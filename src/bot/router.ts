import { parseCommand, type Command } from './commands.js';
import type { Handlers } from './dispatcher.js';
import { personByOpenId } from '../store/directory.js';
import { card, md } from '../lark/cards.js';
import { t } from '../text.js';
import { demo, demoClick, help } from './handlers/help.js';
import type { ActionHandler, CommandHandler, Message } from './handlers/types.js';
import type { Person } from '../store/directory.js';
import { type Deps } from '../context.js';
import { sendToChat, replyTo } from '../store/messages.js';

/**
 * Commands and card actions register here. A feature adds its handlers to these tables; nothing else
 * in the bot needs to know about it.
 */
export interface Registry {
  commands: Partial<{ [N in Command['name']]: CommandHandler<N> }>;
  actions: Record<string, ActionHandler>;
  /** A file sent to the bot (a ledger to import). */
  file?: FileHandler;
}

export type FileHandler = (deps: Deps, ctx: { msg: Message; person: Person | undefined }) => Promise<void>;

export function baseRegistry(): Registry {
  return { commands: { help, demo }, actions: { demo_click: demoClick } };
}

export function createHandlers(deps: Deps, registry: Registry = baseRegistry()): Handlers {
  return {
    async onMessage(msg) {
      const person = await personByOpenId(deps.db, msg.senderOpenId);
      if (msg.messageType === 'file') {
        await registry.file?.(deps, { msg, person });
        return;
      }
      if (msg.messageType !== 'text') return;
      const cmd = parseCommand(msg.text);
      const handler = registry.commands[cmd.name] as CommandHandler | undefined;
      if (!person && cmd.name !== 'help') {
        await deps.db.transaction((tx) => replyTo(tx, msg, { msgType: 'text', text: t('bot.unknown_person') }, `reply:${msg.messageId}`));
        deps.notifyOutbox();
        return;
      }
      if (!handler) {
        await deps.db.transaction((tx) =>
          replyTo(tx, msg, { msgType: 'text', text: t('bot.not_understood', { text: msg.text.slice(0, 40) }) }, `reply:${msg.messageId}`),
        );
        deps.notifyOutbox();
        return;
      }
      await handler(deps, { msg, person, cmd });
    },

    async onCardAction(action, defer) {
      const person = await personByOpenId(deps.db, action.operatorOpenId);
      const name = typeof action.value.a === 'string' ? action.value.a : '';
      const handler = registry.actions[name];
      if (!handler) {
        deps.logger.warn({ value: action.value }, 'card action without handler');
        return {};
      }
      return handler(deps, { action, person, defer });
    },

    async onBotAdded(ev) {
      const c = card({ title: t('bot.greeting_title'), template: 'turquoise', elements: [md(t('bot.greeting'))] });
      await deps.db.transaction((tx) => sendToChat(tx, ev.chatId, { msgType: 'interactive', card: c }, `greet:${ev.chatId}:${ev.eventId}`));
      deps.notifyOutbox();
    },
  };
}
