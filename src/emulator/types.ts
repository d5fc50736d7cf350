import type { Server } from 'node:http';
import type { Hono } from 'hono';
import type { LongConnectionControl, LongConnectionOptions } from './long-connection/index.js';

export interface EmuUser {
  open_id: string;
  user_id?: string;
  union_id?: string;
  name: string;
  mobile?: string;
  email?: string;
  /** Lark's directory: the person's department (shown in the console's person picker) */
  department?: string;
  /** Lark's directory: job title (职务), returned by contact/v3/users and shown in the picker */
  job_title?: string;
  /**
   * What the person does in the app under test (e.g. 项目责任人、管理员): Lark's directory does not know it, but
   * someone trying the bot picks a person by it; shown in the console's picker only.
   */
  roles?: string;
}

export interface EmuChat {
  chat_id: string;
  name: string;
  /** open_ids of the human members */
  members: string[];
  /** whether the bot is in the group from the start (default true); `addBotToChat` puts it in */
  botIn?: boolean;
}

export interface EmulatorLimits {
  enforce: boolean;
  /** message sends (create + reply) per second for the app; Lark: 50 */
  appPerSecond?: number;
  /** message sends per minute for the app; Lark: 1000 */
  appPerMinute?: number;
  /** message sends per second to one receiving chat or user; Lark: 5 */
  perChatPerSecond?: number;
  /** PATCH updates per second of one message; Lark: 5 */
  perMessageUpdatePerSecond?: number;
}

export interface EmulatorOptions {
  appId: string;
  appSecret: string;
  encryptKey: string;
  verificationToken: string;
  /**
   * How events and card callbacks reach the bot, as chosen in Lark's developer console: `webhook` (default)
   * posts them signed and encrypted to `botWebhookUrl`; `ws` sends them over the long connection the bot's
   * WSClient opens (the entry must `attach` the emulator to its HTTP server for the socket).
   */
  delivery?: 'webhook' | 'ws';
  /** the bot's POST /lark/events (webhook delivery); console actions are delivered there */
  botWebhookUrl?: string | (() => string);
  /** long-connection settings (ws delivery): ClientConfig, the answer deadline, the redelivery schedule */
  longConnection?: LongConnectionOptions;
  /**
   * A file to keep the chats in across restarts (messages, files, notices), as Lark keeps them; none by default
   * (tests start empty). `npm start` keeps it beside the embedded database.
   */
  historyFile?: string;
  /** seeded people and groups */
  directory?: { users: EmuUser[]; chats: EmuChat[] };
  /** injected clock (ms), default Date.now */
  now?: () => number;
  limits?: EmulatorLimits;
  botName?: string;
  /** the bot's own open_id, as `bot/v3/info` reports it (default derived from appId) */
  botOpenId?: string;
  tenantKey?: string;
  /**
   * Lark delivers group messages to a bot only when it is @-mentioned, unless the app holds the
   * "read all group messages" scope. Default 'mentions'.
   */
  groupMessages?: 'mentions' | 'all';
  /** Lark gives a card callback 3 s; past that the user sees an error and the card is not updated. */
  callbackTimeoutMs?: number;
  /** how to reach the bot (default global fetch); pass `app.request`-style fetch for in-process delivery */
  fetch?: (input: Request) => Promise<Response>;
  /** tenant_access_token lifetime in seconds (default 7200, like Lark) */
  tokenTtlSeconds?: number;
  /**
   * The bot's custom menu (机器人自定义菜单) as configured in the developer console: items whose action is
   * "push an event" send `application.bot.menu_v6` with their event key. Shown in the p2p chat with the bot.
   */
  botMenu?: BotMenuItem[];
}

export interface BotMenuItem {
  /** what the person sees */
  name: string;
  /** sent as `event_key` (Lark: 1–30 characters) */
  eventKey: string;
}

export interface EmuMessage {
  message_id: string;
  chat_id: string;
  chat_type: 'p2p' | 'group';
  /** for p2p chats: the person the bot talks to */
  open_id?: string;
  sender: { type: 'app'; id: string } | { type: 'user'; id: string };
  msg_type: string;
  /** parsed `content` (for interactive: the card JSON as it stands now, after updates) */
  content: unknown;
  /** `content` exactly as the API received it (after the last update) */
  raw: string;
  uuid?: string;
  root_id?: string;
  parent_id?: string;
  /** mentions as Lark puts them on user messages */
  mentions?: { key: string; id: { open_id: string; user_id?: string; union_id?: string }; name: string }[];
  receive_id?: string;
  receive_id_type?: string;
  created_at: number;
  updated_at: number;
  /** how many times the card was replaced (PATCH or callback response) */
  update_count: number;
  /** recalled with DELETE */
  deleted?: boolean;
  /** what replaced the card each time */
  updates: { at: number; via: 'patch' | 'callback' }[];
}

export interface EmuCall {
  method: string;
  path: string;
  at: number;
  status: number;
  /** Lark `code` of the answer, when it was JSON */
  code?: number;
  /** for sends: the chat or person the message went to (receive_id for create, the chat_id for reply) */
  receiveId?: string;
}

export interface FaultSpec {
  status: 400 | 429 | 500 | 502 | 503;
  /** how many matching requests fail before normal service resumes */
  count: number;
  /** x-ogw-ratelimit-reset on 429 (default 1) */
  resetSeconds?: number;
  /** Lark code in the body (default 99991400 for 429, 230020 for 400, none for 5xx) */
  code?: number;
  /** only requests whose path starts with this; default every /open-apis/ path except /open-apis/auth/ */
  pathPrefix?: string;
}

export interface DeliverTamper {
  /** header.token in the envelope (default the right verification token) */
  token?: string;
  /** send this x-lark-signature instead of the right one */
  signature?: string;
  /** flip a character of the right signature */
  badSignature?: boolean;
  /** leave out x-lark-signature */
  omitSignature?: boolean;
  /** x-lark-request-timestamp (seconds) to send; default now */
  timestamp?: number;
  /** shorthand: timestamp this many seconds in the past */
  staleSeconds?: number;
  /** encrypt with this key instead (the signature still uses the right key unless `signWithKey` is set) */
  encryptKey?: string;
  signWithKey?: string;
  /** post the envelope as plain JSON (no encryption), signed over that body */
  plaintext?: boolean;
  /** post this exact body (signed as-is unless a signature option says otherwise) */
  rawBody?: string;
}

export interface CardAction {
  value?: unknown;
  form_value?: Record<string, unknown>;
  name?: string;
  tag?: string;
  option?: string;
  options?: string[];
  input_value?: string;
  checked?: boolean;
  timezone?: string;
}

export interface ClickResult {
  status: number;
  /** the bot's answer, parsed */
  body: unknown;
  toast?: { type?: string; content?: string; i18n?: Record<string, string> };
  /** the card now shown, when the answer replaced it */
  card?: unknown;
  /** what went wrong from Lark's point of view (timeout, bad answer); the user would see an error */
  error?: string;
}

export interface DeliveredEvent {
  event_id: string;
  event_type: string;
  envelope: Record<string, unknown>;
  at: number;
  /** the HTTP status of the bot's answer (webhook), or the answer's code on the long connection (5xx when none came) */
  status: number;
  via: 'webhook' | 'ws';
  /** long connection: 1 for the first delivery, then each redelivery */
  attempt?: number;
  /** long connection: the client (device id) the event went to */
  clientId?: string;
}

export interface Emulator {
  /**
   * routes: /open-apis/** (the fake Open API), /emulator (console page), /emulator/api/** (console JSON API),
   * and with ws delivery POST /callback/ws/endpoint (where the SDK's WSClient asks for its socket URL)
   */
  app: Hono;
  readonly delivery: 'webhook' | 'ws';
  /**
   * Takes the long connection's WebSocket upgrades (path /ws/v2) on the HTTP server `app` is served from, so
   * the socket shares its port. A no-op with webhook delivery. Returns a function that detaches again.
   */
  attach(server: Server): () => void;
  /** the long connection (ws delivery only): its clients, faults and pending events */
  readonly longConnection: LongConnectionControl | undefined;
  /** writes the history file (when there is one) and closes the long connection's sockets and timers */
  close(): void;
  readonly botOpenId: string;
  /** delivers im.message.receive_v1 to the bot (signed, encrypted); p2p when no chatId */
  sendText(fromOpenId: string, text: string, opts?: { chatId?: string; mentionBot?: boolean }): Promise<Response>;
  /** a person sends a file (stored so the bot can download it as a message resource) */
  sendFile(fromOpenId: string, file: { name: string; bytes: Uint8Array }, opts?: { chatId?: string }): Promise<Response>;
  /** A user sends an image message (content `{image_key}`), e.g. a photographed 进账单. */
  sendImage(fromOpenId: string, file: { name: string; bytes: Uint8Array }, opts?: { chatId?: string }): Promise<Response>;
  /** delivers card.action.trigger; applies a returned card to the stored message like Lark does */
  clickCard(messageId: string, operatorOpenId: string, action: CardAction): Promise<ClickResult>;
  /** im.chat.member.bot.added_v1 */
  addBotToChat(chatId: string, operatorOpenId: string): Promise<Response>;
  /** a person presses a bot menu item: application.bot.menu_v6 with its event key */
  pressMenu(operatorOpenId: string, eventKey: string): Promise<Response>;
  /** the bot menu as configured */
  readonly botMenu: readonly BotMenuItem[];
  /** the url_verification challenge Lark sends when the request URL is saved; true when the bot echoes it */
  verifyUrl(): Promise<boolean>;
  /** posts any envelope (or a schema 2.0 `event` with `header.event_type`) with optional tampering */
  deliverRaw(eventPayload: object, tamper?: DeliverTamper): Promise<Response>;
  /** sends an already delivered event again, same event_id (Lark's redelivery) */
  redeliver(eventId: string): Promise<Response>;
  /** what the bot sent (default), or everything in a chat with `from: 'any'` */
  messages(filter?: { chatId?: string; openId?: string; from?: 'bot' | 'user' | 'any' }): EmuMessage[];
  message(messageId: string): EmuMessage | undefined;
  /** every Open API request, oldest first */
  readonly calls: EmuCall[];
  /** every event delivered to the bot, oldest first */
  readonly events: DeliveredEvent[];
  /** things the bot did that Lark would reject or ignore silently (e.g. a card callback answer without card.type) */
  readonly warnings: string[];
  /** how many tenant/app access tokens were issued */
  tokenFetches(): number;
  /** makes every issued token invalid (the next call answers 99991663) */
  revokeTokens(): void;
  /** the p2p chat id between the bot and a person */
  p2pChatId(openId: string): string;
  faults: { fail(opts: FaultSpec): void; clear(): void };
  reset(): void;
}
