/**
 * What every fake Open API route shares: Lark's answer shapes (`{code, msg, data}`, `code: 0` on success), the
 * per-request note the call log reads, error and throttle answers, JSON bodies, paging and downloads.
 */
import { Buffer } from 'node:buffer';
import type { Context } from 'hono';
import type { Faults, RateLimiter, Throttle } from '../limits.js';
import type { EmuState, StoredFile } from '../state.js';
import type { EmuCall } from '../types.js';

export interface OpenApiDeps {
  state: EmuState;
  limiter: RateLimiter;
  faults: Faults;
  calls: EmuCall[];
  warnings: string[];
  now: () => number;
  appId: string;
  appSecret: string;
  botOpenId: string;
  botName: string;
  tokenTtlSeconds: number;
}

export interface Note {
  /** when the request arrived: the time calls are logged at and rate limits count */
  at?: number;
  code?: number;
  receiveId?: string;
}

export type Json = Record<string, unknown>;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export class ApiError {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly msg: string,
  ) {}
}

/** The helpers one registered Open API shares across its routes (one note per request). */
export interface Kit {
  d: OpenApiDeps;
  note(c: Context): Note;
  ok(c: Context, data: unknown, extra?: Json): Response;
  fail(c: Context, e: ApiError): Response;
  throttled(t: Throttle): Response;
  record(c: Context, status: number, n: Note): void;
  /** runs a handler, turning ApiError into Lark's error body */
  handle(fn: (c: Context) => Promise<Response> | Response): (c: Context) => Promise<Response>;
  jsonBody(c: Context): Promise<Json>;
  download(c: Context, f: StoredFile): Response;
}

export function createKit(d: OpenApiDeps): Kit {
  const notes = new WeakMap<Request, Note>();
  const note = (c: Context): Note => {
    let n = notes.get(c.req.raw);
    if (!n) {
      n = {};
      notes.set(c.req.raw, n);
    }
    return n;
  };

  const ok = (c: Context, data: unknown, extra: Json = {}) => {
    note(c).code = 0;
    return c.json({ code: 0, msg: 'success', data, ...extra });
  };
  const fail = (c: Context, e: ApiError) => {
    note(c).code = e.code;
    return c.json({ code: e.code, msg: e.msg }, e.status as 400);
  };
  const throttled = (t: Throttle): Response => {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (t.status === 429 || t.status === 400) {
      headers['x-ogw-ratelimit-limit'] = String(t.limit);
      headers['x-ogw-ratelimit-reset'] = String(t.resetSeconds);
    }
    return new Response(JSON.stringify({ code: t.code, msg: t.msg }), { status: t.status, headers });
  };
  const record = (c: Context, status: number, n: Note) => {
    const call: EmuCall = { method: c.req.method, path: c.req.path, at: n.at ?? d.now(), status };
    if (n.code !== undefined) call.code = n.code;
    if (n.receiveId !== undefined) call.receiveId = n.receiveId;
    d.calls.push(call);
  };
  /** runs a handler, turning ApiError into Lark's error body */
  const handle = (fn: (c: Context) => Promise<Response> | Response) => async (c: Context) => {
    try {
      return await fn(c);
    } catch (e) {
      if (e instanceof ApiError) return fail(c, e);
      throw e;
    }
  };

  async function jsonBody(c: Context): Promise<Json> {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ApiError(400, 9499, 'Bad Request: body is not valid JSON');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 9499, 'Bad Request: body must be a JSON object');
    return body as Json;
  }

  function download(c: Context, f: StoredFile): Response {
    note(c).code = 0;
    return new Response(f.bytes.slice(), {
      status: 200,
      headers: {
        'content-type': f.type || 'application/octet-stream',
        'content-length': String(f.bytes.length),
        'content-disposition': `attachment; filename="${encodeURIComponent(f.name)}"; filename*=UTF-8''${encodeURIComponent(f.name)}`,
      },
    });
  }

  return { d, note, ok, fail, throttled, record, handle, jsonBody, download };
}

export function page<T>(all: T[], sizeQ: string | undefined, tokenQ: string | undefined, max: number) {
  const size = Math.min(Math.max(Number(sizeQ ?? 20) || 20, 1), max);
  const offset = tokenQ ? Number(Buffer.from(tokenQ, 'base64url').toString('utf8')) || 0 : 0;
  const items = all.slice(offset, offset + size);
  const next = offset + size;
  const has_more = next < all.length;
  return { items, has_more, page_token: has_more ? Buffer.from(String(next)).toString('base64url') : '' };
}
