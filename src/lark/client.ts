/**
 * The one seam for outgoing Lark calls: the facade the rest of the bot uses.
 *
 * The real SDK client does the URL building, token handling and payload shapes (sdk.ts); every request it
 * makes passes one choke point that limits, retries and logs (choke.ts); the operations are grouped by what
 * they touch (messages.ts, directory.ts). This file only composes them and re-exports what callers import.
 */
import type * as lark from '@larksuiteoapi/node-sdk';
import { directoryOperations, type BotInfo, type ChatInfo, type ChatMember, type IdLookup } from './directory.js';
import type { SlidingWindowLimiter } from './limiter.js';
import { messageOperations, type ReplyParams, type SendParams, type SentMessage, type UploadParams } from './messages.js';
import { createChokedSdk, type LarkClientConfig, type LarkClientOptions } from './sdk.js';

export * from './errors.js';
export * from './limiter.js';
export { DEFAULT_RETRY, generalRules, realTiming, sendRules, type RetryPolicy, type Timing } from './choke.js';
export type { BotInfo, ChatInfo, ChatMember, IdLookup } from './directory.js';
export { larkUuid, type ReceiveIdType, type SentMessage, type UploadFileType } from './messages.js';
export type { LarkClientConfig, LarkClientOptions } from './sdk.js';

export interface LarkClient {
  /** the real SDK client, wired to the choke point: use it for calls the facade does not cover */
  readonly sdk: lark.Client;
  /** the limiter every call waits on (exposed for metrics and tests) */
  readonly limiter: SlidingWindowLimiter;
  /** Counts sends made before this client existed against the send windows (a restarted sender, from the outbox). */
  seedSends(sends: readonly { ageMs: number; to: string }[]): void;
  sendMessage(p: SendParams): Promise<SentMessage>;
  replyMessage(p: ReplyParams): Promise<SentMessage>;
  patchMessage(p: { messageId: string; content: unknown }): Promise<void>;
  getChat(chatId: string): Promise<ChatInfo>;
  listChatMembers(chatId: string): Promise<ChatMember[]>;
  /** ≤ 50 per Lark call; longer lists are chunked. Answers in the order asked. */
  batchGetIdByMobiles(mobiles: string[]): Promise<IdLookup[]>;
  batchGetIdByEmails(emails: string[]): Promise<IdLookup[]>;
  uploadFile(p: UploadParams): Promise<string>;
  /** Uploads an image for messages and cards (POST /open-apis/im/v1/images); returns its image_key. */
  uploadImage(data: Buffer): Promise<string>;
  downloadMessageResource(messageId: string, fileKey: string, type?: 'file' | 'image'): Promise<Buffer>;
  botInfo(): Promise<BotInfo>;
}

export function createLarkClient(cfg: LarkClientConfig, opts: LarkClientOptions): LarkClient {
  const { sdk, limiter, chatOf, seedSends } = createChokedSdk(cfg, opts);
  return { sdk, limiter, seedSends, ...messageOperations(sdk, chatOf), ...directoryOperations(sdk) };
}
