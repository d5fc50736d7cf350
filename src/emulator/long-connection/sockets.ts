/**
 * The socket side of the long connection: the endpoint request that hands out a socket URL and ClientConfig,
 * the WebSocket handshake on the entry's HTTP server (same port), ping/pong, and the connected clients.
 *
 * What the SDK's WSClient does, and what this answers (node_modules/@larksuiteoapi/node-sdk/lib/index.js):
 *  - `pullConnectConfig`: POST {domain}/callback/ws/endpoint with `{AppID, AppSecret}`; reads
 *    `{code, data: {URL, ClientConfig}, msg}`. A code other than 0 stops the client for good, except
 *    1000040343 (internal error), which it retries. `data` is destructured before `code` is looked at, and a
 *    non-2xx answer throws in axios: both would be taken as "retry", so a refusal here is HTTP 200 with a
 *    non-zero code and an empty `data` object — the client then gives up instead of knocking for ever.
 *  - `qs.parse(URL)` for `device_id` and `service_id`: the whole URL is parsed as a query string, so the
 *    first parameter's name swallows the scheme and path; `fpid` goes first, as in Lark's own URLs.
 *  - `pingLoop`: a control frame `type=ping` every PingInterval; `handleControlData` reads the pong's payload
 *    as a new ClientConfig.
 *  - on 'close' it pulls a new URL and reconnects after ReconnectNonce·random, then every ReconnectInterval.
 *  - `connect()` resolves on 'open' and only then does `communicate()` attach the 'message' listener, a
 *    microtask later: a frame that arrives with the handshake is emitted to nobody and lost. `pingLoop` runs
 *    in the 'open' handler, so the first ping comes at once; a client counts as ready for events from its
 *    first frame (or `readyGraceMs` after the handshake, for a client that does not ping).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Context, Hono } from 'hono';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeFrame, encodeFrame, FrameError, FrameMethod, headerOf, type Frame } from './frame.js';
import { EndpointCode, EndpointRequest, ENDPOINT_PATH, HeaderKey, MessageType, SOCKET_PATH, type ClientConfig } from './protocol.js';

export interface SocketOptions {
  appId: string;
  appSecret: string;
  /** ClientConfig the endpoint and every pong hand out, in seconds (Lark: 120, 120, 30, -1) */
  pingIntervalSeconds: number;
  reconnectIntervalSeconds: number;
  reconnectNonceSeconds: number;
  reconnectCount: number;
  /** connections per app (Lark: 50) */
  maxConnections: number;
  /** how long a socket URL may wait before it is dialled */
  ticketTtlMs: number;
  /** a client that has sent nothing counts as ready this long after its handshake */
  readyGraceMs: number;
}

export interface Conn {
  readonly id: string;
  readonly serviceId: number;
  readonly connectedAt: number;
  readonly ws: WebSocket;
  pings: number;
  seq: number;
  /** may be sent events: it has sent a frame, so its listener is in place */
  ready: boolean;
}

export interface SocketEvents {
  now(): number;
  /** a client is ready for events (see `ready`) */
  connected(conn: Conn): void;
  /** its socket closed, for whatever reason */
  disconnected(conn: Conn): void;
  /** a data frame from the client (a response to an event) */
  data(conn: Conn, frame: Frame): void;
  warn(text: string): void;
  /** the endpoint request, for the call log */
  called(status: number, code: number): void;
}

interface Ticket {
  deviceId: string;
  serviceId: number;
  expires: number;
}

const id = (bytes: number) => randomBytes(bytes).toString('hex');

export class Sockets {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Map<string, Ticket>();
  readonly conns = new Map<string, Conn>();
  private readonly detachers: (() => void)[] = [];

  constructor(
    private readonly o: SocketOptions,
    private readonly on: SocketEvents,
  ) {}

  clientConfig(): ClientConfig {
    return {
      ReconnectCount: this.o.reconnectCount,
      ReconnectInterval: this.o.reconnectIntervalSeconds,
      ReconnectNonce: this.o.reconnectNonceSeconds,
      PingInterval: this.o.pingIntervalSeconds,
    };
  }

  /** POST /callback/ws/endpoint on the emulator's app. */
  register(app: Hono): void {
    app.post(ENDPOINT_PATH, async (c) => {
      const refuse = (code: number, msg: string) => {
        this.on.called(200, code);
        this.on.warn(`long connection refused: ${msg}`);
        return c.json({ code, msg, data: {} });
      };
      let raw: unknown;
      try {
        raw = await c.req.json();
      } catch {
        return refuse(EndpointCode.forbidden, 'body is not JSON');
      }
      const body = EndpointRequest.safeParse(raw);
      if (!body.success) return refuse(EndpointCode.forbidden, 'body must be {AppID, AppSecret}');
      if (body.data.AppID !== this.o.appId || body.data.AppSecret !== this.o.appSecret) {
        return refuse(EndpointCode.authFailed, 'app id or app secret invalid');
      }
      if (this.conns.size >= this.o.maxConnections) {
        return refuse(EndpointCode.exceedConnLimit, `at most ${this.o.maxConnections} connections per app`);
      }
      const ticket = id(16);
      const t: Ticket = {
        deviceId: id(8),
        serviceId: 1 + Math.floor(Math.random() * 100_000),
        expires: this.on.now() + this.o.ticketTtlMs,
      };
      this.prune();
      this.tickets.set(ticket, t);
      this.on.called(200, 0);
      return c.json({ code: 0, msg: 'ok', data: { URL: this.socketUrl(c, t, ticket), ClientConfig: this.clientConfig() } });
    });
  }

  private socketUrl(c: Context, t: Ticket, ticket: string): string {
    const u = new URL(c.req.url);
    const scheme = u.protocol === 'https:' ? 'wss:' : 'ws:';
    const q = new URLSearchParams({
      fpid: '1',
      aid: this.o.appId,
      device_id: t.deviceId,
      access_key: id(8),
      service_id: String(t.serviceId),
      ticket,
    });
    return `${scheme}//${u.host}${SOCKET_PATH}?${q}`;
  }

  private prune(): void {
    const now = this.on.now();
    for (const [k, t] of this.tickets) if (t.expires <= now) this.tickets.delete(k);
  }

  /** Takes WebSocket upgrades for the socket path on `server`; returns a function that detaches again. */
  attach(server: Server): () => void {
    const listener = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!this.upgrade(req, socket, head) && server.listenerCount('upgrade') === 1) socket.destroy();
    };
    server.on('upgrade', listener);
    const detach = () => void server.off('upgrade', listener);
    this.detachers.push(detach);
    return detach;
  }

  /** Handles an upgrade request if it is for the socket path; false when it is someone else's. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (url.pathname !== SOCKET_PATH) return false;
    const key = url.searchParams.get('ticket') ?? '';
    const t = this.tickets.get(key);
    // A ticket opens one socket, once: a replayed or guessed URL is refused the way Lark's frontier does.
    this.tickets.delete(key);
    if (!t || t.expires <= this.on.now() || url.searchParams.get('device_id') !== t.deviceId) {
      this.refuseHandshake(socket, 403, EndpointCode.forbidden, 'ticket invalid or expired');
      return true;
    }
    if (this.conns.size >= this.o.maxConnections) {
      this.refuseHandshake(socket, 403, EndpointCode.authFailed, 'exceed connection limit', EndpointCode.exceedConnLimit);
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, t));
    return true;
  }

  /** Lark's frontier answers a refused handshake with Handshake-Status / -Msg / -Autherrcode headers. */
  private refuseHandshake(socket: Duplex, http: number, status: number, msg: string, authCode?: number): void {
    this.on.warn(`long connection handshake refused: ${msg}`);
    const lines = [
      `HTTP/1.1 ${http} Forbidden`,
      `${HeaderKey.handshakeStatus}: ${status}`,
      `${HeaderKey.handshakeMsg}: ${msg}`,
      ...(authCode !== undefined ? [`${HeaderKey.handshakeAuthErrCode}: ${authCode}`] : []),
      'Connection: close',
      'Content-Length: 0',
    ];
    socket.end(`${lines.join('\r\n')}\r\n\r\n`);
  }

  private accept(ws: WebSocket, t: Ticket): void {
    const conn: Conn = { id: t.deviceId, serviceId: t.serviceId, connectedAt: this.on.now(), ws, pings: 0, seq: 0, ready: false };
    this.conns.set(conn.id, conn);
    const grace = setTimeout(() => this.markReady(conn), this.o.readyGraceMs);
    grace.unref?.();
    ws.on('message', (data, isBinary) => {
      this.markReady(conn);
      this.receive(conn, data, isBinary);
    });
    ws.on('error', () => {
      /* 'close' follows; the error itself is the client's business */
    });
    ws.on('close', () => {
      clearTimeout(grace);
      if (this.conns.get(conn.id) === conn) this.conns.delete(conn.id);
      this.on.disconnected(conn);
    });
  }

  private markReady(conn: Conn): void {
    if (conn.ready || conn.ws.readyState !== conn.ws.OPEN) return;
    conn.ready = true;
    this.on.connected(conn);
  }

  private receive(conn: Conn, data: unknown, isBinary: boolean): void {
    let frame: Frame;
    try {
      if (!isBinary) throw new FrameError('text frame');
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      frame = decodeFrame(bytes);
    } catch (e) {
      // Lark ignores what it cannot read; so does the emulator, loudly.
      this.on.warn(`long connection: unreadable frame from ${conn.id} ignored (${e instanceof Error ? e.message : String(e)})`);
      return;
    }
    if (frame.method === FrameMethod.control) {
      if (headerOf(frame, HeaderKey.type) === MessageType.ping) {
        conn.pings++;
        this.send(conn, {
          SeqID: 0,
          LogID: 0,
          service: conn.serviceId,
          method: FrameMethod.control,
          headers: [{ key: HeaderKey.type, value: MessageType.pong }],
          // the SDK takes the pong's payload as the new ClientConfig
          payload: new TextEncoder().encode(JSON.stringify(this.clientConfig())),
        });
      }
      return;
    }
    if (frame.method === FrameMethod.data) this.on.data(conn, frame);
  }

  send(conn: Conn, frame: Frame): boolean {
    if (conn.ws.readyState !== conn.ws.OPEN) return false;
    conn.ws.send(encodeFrame(frame));
    return true;
  }

  /** Cuts a client off the way a network failure does (no close handshake). */
  drop(connId?: string): number {
    let n = 0;
    for (const c of [...this.conns.values()]) {
      if (connId === undefined || c.id === connId) {
        c.ws.terminate();
        n++;
      }
    }
    return n;
  }

  close(): void {
    for (const d of this.detachers.splice(0)) d();
    this.drop();
    this.wss.close();
    this.tickets.clear();
  }
}
