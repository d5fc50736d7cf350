/**
 * The long connection's wire vocabulary, as the SDK's WSClient speaks it (lib/index.js: `pullConnectConfig`,
 * `HeaderKey`, `MessageType`, `ErrorCode`, `handleControlData`, `handleEventData`), validated with zod where a
 * client hands us JSON.
 */
import { z } from 'zod';

/** POST {domain}/callback/ws/endpoint — the SDK's `wsConfigUrl`. */
export const ENDPOINT_PATH = '/callback/ws/endpoint';
/** Where the socket lives (Lark's frontier serves /ws/v2; the SDK dials whatever URL the endpoint returns). */
export const SOCKET_PATH = '/ws/v2';

export const HeaderKey = {
  type: 'type',
  messageId: 'message_id',
  sum: 'sum',
  seq: 'seq',
  traceId: 'trace_id',
  bizRt: 'biz_rt',
  timestamp: 'timestamp',
  handshakeStatus: 'Handshake-Status',
  handshakeMsg: 'Handshake-Msg',
  handshakeAuthErrCode: 'Handshake-Autherrcode',
} as const;

/**
 * Frame types. Lark's own constants also name `card`, but the SDK's `handleEventData` returns early unless
 * `type === 'event'`, so card callbacks travel as `event` frames too (their envelope's event_type tells them apart).
 */
export const MessageType = { event: 'event', card: 'card', ping: 'ping', pong: 'pong' } as const;

/** Endpoint answer codes the SDK knows (`ErrorCode`); only internal_error is retried by it. */
export const EndpointCode = {
  ok: 0,
  systemBusy: 1,
  forbidden: 403,
  authFailed: 514,
  internalError: 1000040343,
  exceedConnLimit: 1000040350,
} as const;

/** The endpoint request: the SDK posts `{AppID, AppSecret}` (AppSecret empty when it uses a client assertion). */
export const EndpointRequest = z.object({
  AppID: z.string(),
  AppSecret: z.string().optional(),
  ClientAssertion: z.string().optional(),
});

/**
 * Server-issued client settings, in seconds: the SDK multiplies each by 1000 (`ClientConfig.PingInterval * 1000`),
 * so fractions work and let tests reconnect in milliseconds. ReconnectCount -1 retries for ever.
 */
export interface ClientConfig {
  ReconnectCount: number;
  ReconnectInterval: number;
  ReconnectNonce: number;
  PingInterval: number;
}

/**
 * What the client puts in a response frame's payload: `{code, headers?, data?}`, `data` the base64 of the JSON
 * the handler returned (the Node SDK: `Buffer.from(JSON.stringify(result)).toString("base64")`; Go: a []byte,
 * which JSON carries as base64 too). code 200 when the handler returned, 500 when it threw.
 */
export const ResponsePayload = z.object({
  code: z.number().int(),
  headers: z.record(z.string(), z.string()).nullish(),
  data: z.string().nullish(),
});
export type ResponsePayload = z.infer<typeof ResponsePayload>;

/** A card callback's answer must be a JSON object (`{toast?, card?}`); events answer anything or nothing. */
export const CallbackAnswer = z.record(z.string(), z.unknown());
