// The rate limiter every outgoing Lark call waits on (see client.ts).

/** One sliding window: at most `limit` grants in any `windowMs`. */
export interface RateRule {
  key: string;
  limit: number;
  windowMs: number;
  /** grants for this key keep arrival order (per chat: messages arrive in the order they were sent) */
  ordered?: boolean;
  /**
   * Least time between two grants (pacing). A burst of simultaneous requests reaches Lark spread out by its
   * own processing, and a spread-out burst can look like more than `limit` in Lark's window; paced requests
   * arrive as they were granted.
   */
  spacingMs?: number;
}

export interface LimiterDeps {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

interface Waiter {
  rules: RateRule[];
  /** window ids of `rules`, computed once */
  ids: string[];
  resolve: () => void;
}

const windowId = (r: RateRule) => `${r.key}|${r.windowMs}`;

/**
 * Sliding-window-log limiter that waits, never rejects. Each grant is recorded in every window the call
 * belongs to; a waiter is granted when all its windows have room. Waiters sharing an `ordered` key are
 * granted in arrival order; others pass a blocked one (a busy chat does not hold up the rest of the app).
 *
 * Guarantee: for each rule, no interval of `windowMs` holds more than `limit` grants, and grants are at
 * least `spacingMs` apart.
 */
export class SlidingWindowLimiter {
  /** window id → grant times, ascending */
  private readonly windows = new Map<string, number[]>();
  private readonly blockedUntil = new Map<string, number>();
  private queue: Waiter[] = [];
  private readonly armed = new Set<number>();
  private lastGc = -Infinity;

  constructor(private readonly deps: LimiterDeps) {}

  acquire(rules: RateRule[]): Promise<void> {
    if (rules.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.queue.push({ rules, ids: rules.map(windowId), resolve });
      this.pump();
    });
  }

  /** Lark told us to wait: no grant for these keys before `untilMs`. */
  block(keys: string[], untilMs: number): void {
    for (const k of keys) this.blockedUntil.set(k, Math.max(this.blockedUntil.get(k) ?? 0, untilMs));
    this.pump();
  }

  /**
   * `from` and `to` turned out to be one thing (a person's open_id and their p2p chat): what was granted
   * under `from` counts under `to` as well.
   */
  merge(from: string, to: string): void {
    for (const [id, times] of this.windows) {
      const bar = id.lastIndexOf('|');
      if (id.slice(0, bar) !== from || times.length === 0) continue;
      const target = `${to}${id.slice(bar)}`;
      const merged = [...(this.windows.get(target) ?? []), ...times].sort((a, b) => a - b);
      this.windows.set(target, merged);
    }
    this.pump();
  }

  /**
   * Records a grant made before this limiter existed (by an earlier process, as the outbox remembers it), so a
   * restarted sender does not spend again what the dead one spent in the same window. Grants outside the
   * window, or in the future, are ignored.
   */
  seed(rules: RateRule[], atMs: number): void {
    const now = this.deps.now();
    if (atMs > now) return;
    for (const r of rules) {
      if (atMs + r.windowMs <= now) continue;
      const times = this.windowOf(windowId(r), r.windowMs, now);
      let i = times.length;
      while (i > 0 && times[i - 1]! > atMs) i--;
      times.splice(i, 0, atMs);
    }
  }

  /** How many calls are waiting (for tests and metrics). */
  get waiting(): number {
    return this.queue.length;
  }

  private windowOf(id: string, windowMs: number, now: number): number[] {
    let times = this.windows.get(id);
    if (!times) {
      times = [];
      this.windows.set(id, times);
    }
    let drop = 0;
    while (drop < times.length && times[drop]! + windowMs <= now) drop++;
    if (drop > 0) times.splice(0, drop);
    return times;
  }

  /** Earliest instant ≥ now at which `rule` has room. */
  private readyAt(rule: RateRule, id: string, now: number): number {
    const times = this.windowOf(id, rule.windowMs, now);
    const blocked = this.blockedUntil.get(rule.key) ?? 0;
    let room = times.length < rule.limit ? now : times[times.length - rule.limit]! + rule.windowMs;
    const last = times[times.length - 1];
    if (rule.spacingMs && last !== undefined) room = Math.max(room, last + rule.spacingMs);
    return Math.max(room, blocked);
  }

  private pump(): void {
    const now = this.deps.now();
    const held = new Set<string>();
    // readyAt per window for this pass: it only changes when we grant into the window
    const memo = new Map<string, number>();
    let next = Infinity;
    const still: Waiter[] = [];
    for (const w of this.queue) {
      let behind = false;
      for (const r of w.rules) if (r.ordered && held.has(r.key)) behind = true;
      let at = now;
      if (!behind) {
        for (let i = 0; i < w.rules.length; i++) {
          const id = w.ids[i]!;
          let ready = memo.get(id);
          if (ready === undefined) {
            ready = this.readyAt(w.rules[i]!, id, now);
            memo.set(id, ready);
          }
          if (ready > at) at = ready;
        }
      }
      if (!behind && at <= now) {
        for (let i = 0; i < w.rules.length; i++) {
          const id = w.ids[i]!;
          this.windowOf(id, w.rules[i]!.windowMs, now).push(now);
          memo.delete(id);
        }
        w.resolve();
        continue;
      }
      still.push(w);
      for (const r of w.rules) if (r.ordered) held.add(r.key);
      if (!behind) next = Math.min(next, at);
    }
    this.queue = still;
    this.gc(now);
    // One timer per distinct wake-up instant. A timer armed under another Workers request may never fire once
    // that request has ended, so a later caller does not rely on it: it arms its own for the instant it needs
    // (a pump with nothing to do is cheap).
    if (still.length > 0 && next < Infinity && !this.armed.has(next)) {
      this.armed.add(next);
      void this.deps.sleep(Math.max(0, Math.ceil(next - now))).then(() => {
        this.armed.delete(next);
        this.pump();
      });
    }
  }

  /** Now and then, forget idle windows and past blocks, so per-chat state does not grow without bound. */
  private gc(now: number): void {
    if (now - this.lastGc < 10_000) return;
    this.lastGc = now;
    for (const [id, times] of this.windows) {
      const windowMs = Number(id.slice(id.lastIndexOf('|') + 1));
      if (times.length === 0 || times[times.length - 1]! + windowMs <= now) this.windows.delete(id);
    }
    for (const [k, until] of this.blockedUntil) if (until <= now) this.blockedUntil.delete(k);
  }
}

/** Lark's limits (defaults) — configurable so tests can run fast and operators can be more careful. */
export interface LarkLimits {
  /** message sends (create + reply) per second for the app; Lark: 50 */
  appSendsPerSecond: number;
  /** message sends per minute for the app; Lark: 1000 */
  appSendsPerMinute: number;
  /** sends per second to one receiving user or chat; Lark: 5 */
  perChatPerSecond: number;
  /** PATCH updates per second of one message; Lark: 5 */
  perMessageUpdatesPerSecond: number;
  /** every other call (token, chats, contacts, files…) per second for the app */
  generalPerSecond: number;
  /**
   * Added to every window: our grant time and Lark's arrival time differ by network jitter, so a window a
   * little longer than Lark's keeps us inside Lark's.
   */
  marginMs: number;
}

export const DEFAULT_LIMITS: LarkLimits = {
  appSendsPerSecond: 50,
  appSendsPerMinute: 1000,
  perChatPerSecond: 5,
  perMessageUpdatesPerSecond: 5,
  generalPerSecond: 50,
  marginMs: 100,
};
