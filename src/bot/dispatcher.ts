import { randomUUID } from 'node:crypto';
import { normalize, PayloadError, type CardActionResponse, type Envelope, type Inbound } from '../lark/events.js';
import { firstSeen, forget } from '../store/dedupe.js';
import { t } from '../text.js';
import { type Deps } from '../context.js';

type Message = Extract<Inbound, { kind: 'message' }>;
type CardAction = Extract<Inbound, { kind: 'card_action' }>;
type BotAdded = Extract<Inbound, { kind: 'bot_added' }>;
type Menu = Extract<Inbound, { kind: 'menu' }>;

export interface Handlers {
  onMessage(msg: Message): Promise<void>;
  /** `defer` starts work that goes on after the answer (Lark wants it within 3 s). */
  onCardAction(action: CardAction, defer: Defer): Promise<CardActionResponse>;
  onBotAdded(ev: BotAdded): Promise<void>;
  /** A bot menu item pressed (机器人自定义菜单): answered in the person's p2p chat. */
  onMenu(ev: Menu): Promise<void>;
}

export type Defer = (label: string, fn: () => Promise<unknown>) => void;

/**
 * The one entry for every delivery, from the webhook and the WS client alike: normalise, de-duplicate
 * durably (event_id, and message_id for messages), then hand over. Messages are acknowledged at once and
 * handled after the answer; card actions are answered in the response, as Lark wants within 3 s.
 */
export function createDispatcher(deps: Deps, handlers: Handlers) {
  // A delivery whose handling failed is forgotten again, so Lark's redelivery (or the user's retry) gets a
  // second chance.
  const forgetKey = (key: string) => forget(deps.db, key);

  return async function receive(env: Envelope, defer: Defer): Promise<CardActionResponse | undefined> {
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
    if (!(await firstSeen(deps.db, eventKey))) {
      deps.metrics?.eventDuplicate('event');
      deps.logger.info({ eventId: inbound.eventId }, 'duplicate delivery ignored');
      return undefined;
    }

    switch (inbound.kind) {
      case 'message': {
        const msgKey = `message:${inbound.messageId}`;
        if (!(await firstSeen(deps.db, msgKey))) {
          deps.metrics?.eventDuplicate('message');
          return undefined;
        }
        // Group messages are only for us when they @ the bot (Lark may deliver others with broader permissions).
        if (inbound.chatType === 'group' && !inbound.mentionedBot) return undefined;
        defer('message', async () => {
          try {
            await handlers.onMessage(inbound);
          } catch (err) {
            await forgetKey(msgKey);
            await forgetKey(eventKey);
            throw err;
          }
        });
        return undefined;
      }
      case 'card_action':
        try {
          return await handlers.onCardAction(inbound, defer);
        } catch (err) {
          const ref = randomUUID().slice(0, 8);
          deps.logger.error({ err, ref, value: inbound.value }, 'card action failed');
          await forgetKey(eventKey);
          return { toast: { type: 'error', content: t('bot.error', { ref }) } };
        }
      case 'bot_added':
        defer('bot_added', () => handlers.onBotAdded(inbound));
        return undefined;
      case 'menu':
        defer('menu', () => handlers.onMenu(inbound));
        return undefined;
      default:
        deps.logger.info({ eventType: inbound.eventType }, 'unhandled event type acknowledged');
        return undefined;
    }
  };
}
