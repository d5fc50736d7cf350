/**
 * Message operations through the choked SDK: send, reply, update a card, upload a file, download a resource.
 */
import { createHash, randomUUID } from 'node:crypto';
import type * as lark from '@larksuiteoapi/node-sdk';
import { MESSAGES_PATH, type ChatOfMessage } from './choke.js';
import { need } from './need.js';

export type ReceiveIdType = 'open_id' | 'user_id' | 'union_id' | 'email' | 'chat_id';

export interface SentMessage {
  messageId: string;
  chatId?: string;
}

export type UploadFileType = 'opus' | 'mp4' | 'pdf' | 'doc' | 'xls' | 'ppt' | 'stream';

export interface SendParams {
  receiveIdType: ReceiveIdType;
  receiveId: string;
  msgType: string;
  /** Lark's content: an object is JSON-encoded, a string is sent as it is */
  content: unknown;
  /** Lark de-duplicates sends with the same uuid within an hour (max 50 chars); default: a random one */
  uuid?: string;
}

export interface ReplyParams {
  messageId: string;
  msgType: string;
  content: unknown;
  uuid?: string;
  /** the chat of the message replied to, when known: the reply counts against that chat's limit */
  chatId?: string;
  replyInThread?: boolean;
}

export interface UploadParams {
  fileType: UploadFileType;
  fileName: string;
  data: Uint8Array;
  duration?: number;
}

function encodeContent(content: unknown): string {
  return typeof content === 'string' ? content : JSON.stringify(content);
}

/** A value fit for Lark's `uuid` (≤ 50 chars) derived from any stable string. */
export function larkUuid(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 40);
}

export function messageOperations(sdk: lark.Client, chatOf: ChatOfMessage) {
  const sendMessage = async (p: SendParams): Promise<SentMessage> => {
    const res = await sdk.im.v1.message.create({
      params: { receive_id_type: p.receiveIdType },
      data: {
        receive_id: p.receiveId,
        msg_type: p.msgType,
        content: encodeContent(p.content),
        // a uuid also makes our own retries of a timed-out send safe
        uuid: p.uuid ?? randomUUID(),
      },
    });
    const messageId = need(res.data?.message_id, 'message_id', `POST ${MESSAGES_PATH}`);
    return { messageId, chatId: res.data?.chat_id };
  };

  const replyMessage = async (p: ReplyParams): Promise<SentMessage> => {
    if (p.chatId) chatOf.set(p.messageId, p.chatId);
    const res = await sdk.im.v1.message.reply({
      path: { message_id: p.messageId },
      data: {
        msg_type: p.msgType,
        content: encodeContent(p.content),
        uuid: p.uuid ?? randomUUID(),
        ...(p.replyInThread ? { reply_in_thread: true } : {}),
      },
    });
    const messageId = need(res.data?.message_id, 'message_id', `POST ${MESSAGES_PATH}/:id/reply`);
    return { messageId, chatId: res.data?.chat_id };
  };

  const patchMessage = async (p: { messageId: string; content: unknown }): Promise<void> => {
    await sdk.im.v1.message.patch({ path: { message_id: p.messageId }, data: { content: encodeContent(p.content) } });
  };

  const uploadFile = async (p: UploadParams): Promise<string> => {
    const res = await sdk.im.v1.file.create({
      data: {
        file_type: p.fileType,
        file_name: p.fileName,
        file: Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength),
        ...(p.duration !== undefined ? { duration: p.duration } : {}),
      },
    });
    return need(res?.file_key, 'file_key', 'POST /open-apis/im/v1/files');
  };

  const uploadImage = async (data: Buffer): Promise<string> => {
    const res = await sdk.im.v1.image.create({
      data: { image_type: 'message', image: Buffer.from(data.buffer, data.byteOffset, data.byteLength) },
    });
    return need(res?.image_key, 'image_key', 'POST /open-apis/im/v1/images');
  };

  const downloadMessageResource = async (messageId: string, fileKey: string, type: 'file' | 'image' = 'file'): Promise<Buffer> => {
    const res = await sdk.im.v1.messageResource.get({
      path: { message_id: messageId, file_key: fileKey },
      params: { type },
    });
    const chunks: Buffer[] = [];
    for await (const c of res.getReadableStream() as AsyncIterable<Buffer | string>) {
      chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
    }
    return Buffer.concat(chunks);
  };

  return { sendMessage, replyMessage, patchMessage, uploadFile, uploadImage, downloadMessageResource };
}
