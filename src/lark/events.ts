import { z } from 'zod';
import { cleanDeep, cleanText } from '../domain/text.js';
import { decodeEntities } from '../domain/markup.js';

/*
 * Lark payloads, validated at the boundary and normalised into the few shapes the bot handles.
 * Both transports feed these: the webhook (schema 2.0 envelope {schema, header, event}) and the WS client
 * (the SDK hands over the same envelope's fields). Unknown fields pass through; missing required ones refuse.
 */

const Header = z.object({
  event_id: z.string().min(1),
  event_type: z.string().min(1),
  create_time: z.string().optional(),
  token: z.string().optional(),
  app_id: z.string().optional(),
  tenant_key: z.string().optional(),
});

export const Envelope = z.object({
  schema: z.literal('2.0'),
  header: Header,
  event: z.record(z.string(), z.unknown()).default({}),
});
export type Envelope = z.infer<typeof Envelope>;

const UserId = z.object({ open_id: z.string().optional(), user_id: z.string().optional(), union_id: z.string().optional() });

const MessageEvent = z.object({
  sender: z.object({ sender_id: UserId, sender_type: z.string().optional() }),
  message: z.object({
    message_id: z.string().min(1),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string().default('{}'),
    root_id: z.string().optional(),
    parent_id: z.string().optional(),
    mentions: z
      .array(z.object({ key: z.string(), id: UserId, name: z.string().optional() }))
      .optional()
      .default([]),
  }),
});

const CardActionEvent = z.object({
  operator: z.object({ open_id: z.string().min(1), user_id: z.string().optional() }),
  token: z.string().optional(),
  action: z.object({
    value: z.unknown().optional(),
    tag: z.string().optional(),
    name: z.string().optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
    option: z.string().optional(),
  }),
  context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).optional().default({}),
});

/** 机器人自定义菜单 with "推送事件": the item's event key and who pressed it (in their p2p chat with the bot). */
const MenuEvent = z.object({
  operator: z.object({ operator_id: UserId }),
  event_key: z.string().min(1).max(64),
});

const BotAddedEvent = z.object({
  chat_id: z.string().min(1),
  name: z.string().optional(),
  operator_id: UserId.optional(),
});

export type Inbound =
  | {
      kind: 'message';
      eventId: string;
      messageId: string;
      chatId: string;
      chatType: 'p2p' | 'group';
      senderOpenId: string;
      messageType: string;
      /** For text: the text with the bot's mention removed and other mentions resolved to names. */
      text: string;
      mentionedBot: boolean;
      /** For file messages: the file key and name. */
      file?: { fileKey: string; fileName: string };
      /** For image messages: the image key (evidence of funds arrived, 进账单 photographed). */
      image?: { imageKey: string };
    }
  | {
      kind: 'card_action';
      eventId: string;
      operatorOpenId: string;
      value: Record<string, unknown>;
      formValue: Record<string, unknown>;
      messageId: string | undefined;
      chatId: string | undefined;
    }
  | { kind: 'bot_added'; eventId: string; chatId: string; chatName: string; operatorOpenId: string | undefined }
  | { kind: 'menu'; eventId: string; operatorOpenId: string; eventKey: string }
  | { kind: 'unknown'; eventId: string; eventType: string };

export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/**
 * Normalises a validated envelope. `botOpenId` (when known) tells which mention is the bot; without it, any
 * mention in a group addressed to the app counts (Lark only delivers group messages that @ the bot unless the
 * app has the all-messages permission).
 */
export function normalize(env: Envelope, botOpenId?: string): Inbound {
  const eventId = env.header.event_id;
  switch (env.header.event_type) {
    case 'im.message.receive_v1': {
      const r = MessageEvent.safeParse(env.event);
      if (!r.success) throw new PayloadError(`im.message.receive_v1: ${r.error.issues[0]?.message}`);
      const { sender, message } = r.data;
      const mentions = message.mentions;
      const isBot = (m: (typeof mentions)[number]) => (botOpenId ? m.id.open_id === botOpenId : true);
      const mentionedBot = mentions.some(isBot);
      let text = '';
      let file: { fileKey: string; fileName: string } | undefined;
      let image: { imageKey: string } | undefined;
      const content = parseJson(message.content) as Record<string, unknown> | undefined;
      if (message.message_type === 'text') {
        text = typeof content?.text === 'string' ? content.text : '';
        for (const m of mentions) {
          text = text.split(m.key).join(isBot(m) ? '' : `@${m.name ?? ''}`);
        }
        // Mentions Lark did not list (e.g. @_all) are dropped.
        text = cleanText(text.replace(/@_user_\d+|@_all/g, '')).trim();
      } else if (message.message_type === 'file' && typeof content?.file_key === 'string') {
        file = { fileKey: content.file_key, fileName: typeof content.file_name === 'string' ? cleanText(content.file_name) : '' };
      } else if (message.message_type === 'image' && typeof content?.image_key === 'string') {
        image = { imageKey: content.image_key };
      }
      return {
        kind: 'message',
        eventId,
        messageId: message.message_id,
        chatId: message.chat_id,
        chatType: message.chat_type === 'p2p' ? 'p2p' : 'group',
        senderOpenId: sender.sender_id.open_id ?? '',
        messageType: message.message_type,
        text,
        mentionedBot,
        file,
        ...(image ? { image } : {}),
      };
    }
    case 'card.action.trigger': {
      const r = CardActionEvent.safeParse(env.event);
      if (!r.success) throw new PayloadError(`card.action.trigger: ${r.error.issues[0]?.message}`);
      const { operator, action, context } = r.data;
      const value =
        typeof action.value === 'string'
          ? ((parseJson(action.value) as Record<string, unknown>) ?? { value: action.value })
          : ((action.value as Record<string, unknown> | undefined) ?? {});
      return {
        kind: 'card_action',
        eventId,
        operatorOpenId: operator.open_id,
        // Card values and form values are user input like any other: cleaned before anything stores them.
        value: value && typeof value === 'object' ? cleanDeep(value) : {},
        formValue: cleanDeep(action.form_value ?? {}),
        messageId: context.open_message_id,
        chatId: context.open_chat_id,
      };
    }
    case 'im.chat.member.bot.added_v1': {
      const r = BotAddedEvent.safeParse(env.event);
      if (!r.success) throw new PayloadError(`im.chat.member.bot.added_v1: ${r.error.issues[0]?.message}`);
      return {
        kind: 'bot_added',
        eventId,
        chatId: r.data.chat_id,
        chatName: r.data.name ?? '',
        operatorOpenId: r.data.operator_id?.open_id,
      };
    }
    case 'application.bot.menu_v6': {
      const r = MenuEvent.safeParse(env.event);
      if (!r.success || !r.data.operator.operator_id.open_id)
        throw new PayloadError(`application.bot.menu_v6: ${r.error?.issues[0]?.message ?? 'no open_id'}`);
      return { kind: 'menu', eventId, operatorOpenId: r.data.operator.operator_id.open_id, eventKey: cleanText(r.data.event_key) };
    }
    default:
      return { kind: 'unknown', eventId, eventType: env.header.event_type };
  }
}

/** What the bot answers to a card action within Lark's 3 s: a toast and/or the card to show instead. */
export interface CardActionResponse {
  toast?: { type: 'success' | 'error' | 'info' | 'warning'; content: string };
  card?: { type: 'raw'; data: Record<string, unknown> };
}

/**
 * The answer as it leaves for Lark: a toast renders no markup, so the entities of its rendered text (a project
 * name escaped by `t()`) are shown as their characters.
 */
export function responseForLark(r: CardActionResponse | undefined): CardActionResponse {
  if (!r?.toast) return r ?? {};
  return { ...r, toast: { ...r.toast, content: decodeEntities(r.toast.content) } };
}
