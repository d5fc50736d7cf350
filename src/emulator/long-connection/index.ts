/**
 * Event and card-callback delivery over the long connection (长连接), as Lark does it:
 *  - each event goes to ONE connected client of the app, chosen at random ("集群模式，不支持广播");
 *  - as a data frame `type=event` (card callbacks too: the SDK drops every other type), split into frames of
 *    at most `fragmentBytes` with sum/seq under one message_id when it is large;
 *  - the client answers with the same frame carrying `{code, headers?, data: base64(JSON)}`; an event not
 *    answered with code 200 within `ackTimeoutMs` (Lark: 3 s), or whose socket drops first, is redelivered
 *    after `redeliverAfterMs` (Lark's webhook schedule by default), to another client when there is one;
 *  - an event due while no client is connected waits for the next one to connect;
 *  - a card callback is tried once: the person who clicked is waiting, and sees an error if it fails.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { Hono } from 'hono';
import { FrameMethod, headerOf, type Frame } from './frame.js';
import { CallbackAnswer, HeaderKey, MessageType, ResponsePayload } from './protocol.js';
import { Sockets, type Conn } from './sockets.js';

export interface LongConnectionOptions {
  /** ClientConfig, in seconds (fractions are fine: the SDK multiplies by 1000). Lark: 120, 120, 30, -1 */
  pingIntervalSeconds?: number;
  reconnectIntervalSeconds?: number;
  reconnectNonceSeconds?: number;
  reconnectCount?: number;
  /** Lark wants an event answered within 3 s */
  ackTimeoutMs?: number;
  /** waits before each redelivery of an unanswered event; default Lark's 15 s, 5 min, 1 h, 6 h */
  redeliverAfterMs?: number[];
  /** connections per app; Lark allows 50 */
  maxConnections?: number;
  /** payload bytes per frame before an event is split (sum/seq) */
  fragmentBytes?: number;
  /** how long a socket URL may wait before it is dialled */
  ticketTtlMs?: number;
  /** a client that has sent no frame yet gets events this long after its handshake (the SDK pings at once) */
  readyGraceMs?: number;
  /** which client gets an event, in [0, 1); default Math.random */
  random?: () => number;
}

/** What became of one delivery attempt. */
export type Outcome =
  | { kind: 'answered'; clientId: string; code: number; body: unknown }
  | { kind: 'timeout'; clientId: string; ms: number }
  | { kind: 'dropped'; clientId: string }
  | { kind: 'bad-answer'; clientId: string; reason: string }
  | { kind: 'no-client' };

export interface AttemptReport {
  envelope: Record<string, unknown>;
  eventId: string;
  eventType: string;
  /** 1 for the first delivery */
  attempt: number;
  outcome: Outcome;
}

export interface LongConnectionDeps {
  appId: string;
  appSecret: string;
  now(): number;
  warn(text: string): void;
  /** every attempt, first and redeliveries alike */
  attempted(r: AttemptReport): void;
  /** the endpoint request, for the call log */
  called(method: string, path: string, status: number, code: number): void;
}

/** The handle tests and the console hold. */
export interface LongConnectionControl {
  /** connected clients, oldest first; `ready` once they may be sent events */
  clients(): { id: string; connectedAt: number; pings: number; ready: boolean }[];
  /** resolves once at least `n` clients are connected and ready */
  waitForClients(n: number, timeoutMs?: number): Promise<void>;
  /** cuts one client (or all) off like a network failure; the SDK reconnects on its own */
  drop(clientId?: string): number;
  /** events not yet answered: in flight, waiting for a redelivery, or for a client */
  pending(): number;
  /** resolves when nothing is pending */
  idle(timeoutMs?: number): Promise<void>;
  faults: {
    /** the next `n` answers (from `clientId`, or any) are lost on the way back, as if the network ate them */
    loseAnswers(n: number, clientId?: string): void;
    /** the next `n` deliveries cut their client's socket right after the event frames are sent */
    dropOnDelivery(n: number): void;
    clear(): void;
  };
}

interface Job {
  envelope: Record<string, unknown>;
  eventId: string;
  eventType: string;
  callback: boolean;
  timeoutMs: number;
  attempts: number;
  /** redeliveries used from the schedule */
  retries: number;
  lastClient?: string;
}

interface Flight {
  job: Job;
  conn: Conn;
  timer: ReturnType<typeof setTimeout>;
  settle(o: Outcome): void;
}

const LARK_SCHEDULE = [15_000, 300_000, 3_600_000, 21_600_000];

export class LongConnection implements LongConnectionControl {
  private readonly sockets: Sockets;
  private readonly flights = new Map<string, Flight>();
  /** events waiting for a client to connect */
  private parked: Job[] = [];
  private readonly scheduled = new Set<ReturnType<typeof setTimeout>>();
  private readonly waiters = new Set<() => void>();
  private lose: { n: number; clientId?: string } = { n: 0 };
  private dropNext = 0;
  private readonly ackTimeoutMs: number;
  private readonly schedule: number[];
  private readonly fragmentBytes: number;
  private readonly random: () => number;
  readonly faults: LongConnectionControl['faults'];

  constructor(
    o: LongConnectionOptions,
    private readonly d: LongConnectionDeps,
  ) {
    this.ackTimeoutMs = o.ackTimeoutMs ?? 3000;
    this.schedule = o.redeliverAfterMs ?? LARK_SCHEDULE;
    this.fragmentBytes = Math.max(1, o.fragmentBytes ?? 32 * 1024);
    this.random = o.random ?? Math.random;
    this.sockets = new Sockets(
      {
        appId: d.appId,
        appSecret: d.appSecret,
        pingIntervalSeconds: o.pingIntervalSeconds ?? 120,
        reconnectIntervalSeconds: o.reconnectIntervalSeconds ?? 120,
        reconnectNonceSeconds: o.reconnectNonceSeconds ?? 30,
        reconnectCount: o.reconnectCount ?? -1,
        maxConnections: o.maxConnections ?? 50,
        ticketTtlMs: o.ticketTtlMs ?? 5 * 60_000,
        readyGraceMs: o.readyGraceMs ?? 1000,
      },
      {
        now: d.now,
        warn: d.warn,
        called: (status, code) => d.called('POST', '/callback/ws/endpoint', status, code),
        connected: () => this.onConnected(),
        disconnected: (conn) => this.onDisconnected(conn),
        data: (conn, frame) => this.onData(conn, frame),
      },
    );
    this.faults = {
      loseAnswers: (n, clientId) => (this.lose = { n, ...(clientId !== undefined ? { clientId } : {}) }),
      dropOnDelivery: (n) => (this.dropNext = n),
      clear: () => {
        this.lose = { n: 0 };
        this.dropNext = 0;
      },
    };
  }

  register(app: Hono): void {
    this.sockets.register(app);
  }

  attach(server: Server): () => void {
    return this.sockets.attach(server);
  }

  clients() {
    return [...this.sockets.conns.values()].map((c) => ({ id: c.id, connectedAt: c.connectedAt, pings: c.pings, ready: c.ready }));
  }

  private ready(): Conn[] {
    return [...this.sockets.conns.values()].filter((c) => c.ready && c.ws.readyState === c.ws.OPEN);
  }

  waitForClients(n: number, timeoutMs = 10_000): Promise<void> {
    return this.until(() => this.ready().length >= n, timeoutMs, `${n} long-connection client(s)`);
  }

  drop(clientId?: string): number {
    return this.sockets.drop(clientId);
  }

  pending(): number {
    const jobs = new Set<Job>([...this.flights.values()].map((f) => f.job));
    return jobs.size + this.parked.length + this.scheduled.size;
  }

  idle(timeoutMs = 10_000): Promise<void> {
    return this.until(() => this.pending() === 0, timeoutMs, 'no pending events');
  }

  private until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`emulator: waited ${timeoutMs} ms for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  private changed(): void {
    for (const w of [...this.waiters]) w();
  }

  /**
   * Delivers one envelope and resolves with the first attempt's outcome (what the sender sees within the
   * deadline). Events that fail go on being redelivered in the background; callbacks do not.
   */
  async deliver(envelope: Record<string, unknown>, opts: { callback: boolean; timeoutMs?: number }): Promise<Outcome> {
    const header = (envelope['header'] ?? {}) as { event_id?: unknown; event_type?: unknown };
    const job: Job = {
      envelope,
      eventId: String(header.event_id ?? ''),
      eventType: String(header.event_type ?? ''),
      callback: opts.callback,
      timeoutMs: opts.timeoutMs ?? this.ackTimeoutMs,
      attempts: 0,
      retries: 0,
    };
    return this.attempt(job);
  }

  private failed(o: Outcome): boolean {
    return !(o.kind === 'answered' && o.code === 200);
  }

  private afterAttempt(job: Job, o: Outcome): void {
    if (!this.failed(o)) return;
    if (o.kind === 'no-client') {
      this.parked.push(job);
      return;
    }
    const wait = this.schedule[job.retries];
    if (wait === undefined) {
      this.d.warn(`long connection: ${job.eventType} ${job.eventId} given up after ${job.attempts} attempts`);
      return;
    }
    job.retries++;
    const timer = setTimeout(() => {
      this.scheduled.delete(timer);
      void this.retry(job);
    }, wait);
    timer.unref?.();
    this.scheduled.add(timer);
  }

  private async retry(job: Job): Promise<void> {
    await this.attempt(job);
  }

  private onConnected(): void {
    const waiting = this.parked;
    this.parked = [];
    for (const job of waiting) void this.retry(job);
    this.changed();
  }

  private onDisconnected(conn: Conn): void {
    for (const f of [...this.flights.values()]) if (f.conn === conn) f.settle({ kind: 'dropped', clientId: conn.id });
    this.changed();
  }

  /** one client for this job: at random, avoiding the one that last failed it when another is connected */
  private pick(avoid?: string): Conn | undefined {
    const all = this.ready();
    const others = all.filter((c) => c.id !== avoid);
    const pool = others.length ? others : all;
    return pool[Math.floor(this.random() * pool.length)];
  }

  private attempt(job: Job): Promise<Outcome> {
    const conn = this.pick(job.lastClient);
    if (!conn) {
      const o: Outcome = { kind: 'no-client' };
      this.report(job, o);
      if (!job.callback) this.afterAttempt(job, o);
      return Promise.resolve(o);
    }
    job.attempts++;
    job.lastClient = conn.id;
    const messageId = randomBytes(12).toString('hex');
    return new Promise<Outcome>((resolve) => {
      let done = false;
      const flight: Flight = {
        job,
        conn,
        timer: setTimeout(() => flight.settle({ kind: 'timeout', clientId: conn.id, ms: job.timeoutMs }), job.timeoutMs),
        settle: (o) => {
          if (done) return;
          done = true;
          clearTimeout(flight.timer);
          this.flights.delete(messageId);
          this.report(job, o);
          // decided before anyone hears of it, so `pending()` never reads 0 between an attempt and its retry
          if (!job.callback) this.afterAttempt(job, o);
          resolve(o);
          this.changed();
        },
      };
      this.flights.set(messageId, flight);
      this.sendEvent(conn, messageId, job);
      if (this.dropNext > 0) {
        this.dropNext--;
        conn.ws.terminate();
      }
    });
  }

  /** The envelope as one or more `type=event` data frames under one message_id. */
  private sendEvent(conn: Conn, messageId: string, job: Job): void {
    const bytes = new TextEncoder().encode(JSON.stringify(job.envelope));
    const sum = Math.max(1, Math.ceil(bytes.length / this.fragmentBytes));
    const traceId = randomBytes(8).toString('hex');
    for (let seq = 0; seq < sum; seq++) {
      conn.seq++;
      this.sockets.send(conn, {
        SeqID: conn.seq,
        LogID: conn.seq,
        service: conn.serviceId,
        method: FrameMethod.data,
        headers: [
          { key: HeaderKey.type, value: MessageType.event },
          { key: HeaderKey.messageId, value: messageId },
          { key: HeaderKey.sum, value: String(sum) },
          { key: HeaderKey.seq, value: String(seq) },
          { key: HeaderKey.traceId, value: traceId },
          { key: HeaderKey.timestamp, value: String(this.d.now()) },
        ],
        payload: bytes.subarray(seq * this.fragmentBytes, (seq + 1) * this.fragmentBytes),
      });
    }
  }

  /** A response frame: the same headers (plus biz_rt), the payload `{code, headers?, data?}`. */
  private onData(conn: Conn, frame: Frame): void {
    const messageId = headerOf(frame, HeaderKey.messageId) ?? '';
    const flight = this.flights.get(messageId);
    if (!flight || flight.conn !== conn) {
      this.d.warn(`long connection: an answer from ${conn.id} to no event in flight (message_id ${messageId || '-'}) ignored`);
      return;
    }
    if (this.lose.n > 0 && (this.lose.clientId === undefined || this.lose.clientId === conn.id)) {
      this.lose.n--;
      return; // lost on the way back: the timer will see to it
    }
    const bad = (reason: string) => {
      this.d.warn(`long connection: ${flight.job.eventType} answered badly by ${conn.id}: ${reason}`);
      flight.settle({ kind: 'bad-answer', clientId: conn.id, reason });
    };
    let payload: ResponsePayload;
    try {
      const parsed = ResponsePayload.safeParse(
        JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(frame.payload ?? new Uint8Array())),
      );
      if (!parsed.success) return bad('the payload is not {code, headers?, data?}');
      payload = parsed.data;
    } catch {
      return bad('the payload is not JSON');
    }
    let body: unknown;
    if (payload.data) {
      try {
        body = JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8'));
      } catch {
        return bad('data is not base64 of JSON');
      }
      if (flight.job.callback && !CallbackAnswer.safeParse(body).success) return bad('a card callback must answer a JSON object');
    }
    flight.settle({ kind: 'answered', clientId: conn.id, code: payload.code, body });
  }

  private report(job: Job, outcome: Outcome): void {
    this.d.attempted({
      envelope: job.envelope,
      eventId: job.eventId,
      eventType: job.eventType,
      attempt: Math.max(1, job.attempts),
      outcome,
    });
  }

  /** Forgets queued redeliveries and faults (the emulator's reset); connections and events in flight stay. */
  reset(): void {
    for (const t of this.scheduled) clearTimeout(t);
    this.scheduled.clear();
    this.parked = [];
    this.faults.clear();
    this.changed();
  }

  close(): void {
    for (const t of this.scheduled) clearTimeout(t);
    this.scheduled.clear();
    this.parked = [];
    for (const f of [...this.flights.values()]) f.settle({ kind: 'dropped', clientId: f.conn.id });
    this.sockets.close();
  }
}
