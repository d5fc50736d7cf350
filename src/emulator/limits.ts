/**
 * Lark's send limits (sliding windows on the injected clock) and injected faults.
 * Both answer the way Lark's gateway does: HTTP 429, body {code: 99991400}, header x-ogw-ratelimit-reset.
 */
import type { EmulatorLimits, FaultSpec } from './types.js';

export interface Throttle {
  status: number;
  code: number;
  msg: string;
  resetSeconds: number;
  limit: number;
}

class Window {
  private hits: number[] = [];
  constructor(
    readonly size: number,
    readonly max: number,
  ) {}

  private prune(now: number): void {
    const from = now - this.size;
    let i = 0;
    while (i < this.hits.length && this.hits[i]! <= from) i++;
    if (i > 0) this.hits.splice(0, i);
  }

  /** seconds until a slot frees, or 0 when there is room now */
  wait(now: number): number {
    this.prune(now);
    if (this.hits.length < this.max) return 0;
    const oldest = this.hits[this.hits.length - this.max]!;
    return Math.max(1, Math.ceil((oldest + this.size - now) / 1000));
  }

  add(now: number): void {
    this.hits.push(now);
  }
}

const FREQUENCY_MSG = 'request trigger frequency limit';

export class RateLimiter {
  private app1s!: Window;
  private app60s!: Window;
  private readonly perChat = new Map<string, Window>();
  private readonly perMessage = new Map<string, Window>();

  constructor(private readonly limits: EmulatorLimits | undefined) {
    this.reset();
  }

  reset(): void {
    this.app1s = new Window(1000, this.limits?.appPerSecond ?? 50);
    this.app60s = new Window(60_000, this.limits?.appPerMinute ?? 1000);
    this.perChat.clear();
    this.perMessage.clear();
  }

  get enforced(): boolean {
    return this.limits?.enforce === true;
  }

  /** a message create or reply to `target` (a chat id, p2p chat id included) */
  send(target: string, now: number): Throttle | undefined {
    if (!this.enforced) return undefined;
    let chat = this.perChat.get(target);
    if (!chat) {
      chat = new Window(1000, this.limits?.perChatPerSecond ?? 5);
      this.perChat.set(target, chat);
    }
    const checks: [Window, number][] = [
      [this.app1s, this.app1s.max],
      [this.app60s, this.app60s.max],
      [chat, chat.max],
    ];
    for (const [w, limit] of checks) {
      const wait = w.wait(now);
      if (wait > 0) return { status: 429, code: 99991400, msg: FREQUENCY_MSG, resetSeconds: wait, limit };
    }
    for (const [w] of checks) w.add(now);
    return undefined;
  }

  /** a PATCH of one message */
  update(messageId: string, now: number): Throttle | undefined {
    if (!this.enforced) return undefined;
    let w = this.perMessage.get(messageId);
    if (!w) {
      w = new Window(1000, this.limits?.perMessageUpdatePerSecond ?? 5);
      this.perMessage.set(messageId, w);
    }
    const wait = w.wait(now);
    if (wait > 0) return { status: 429, code: 99991400, msg: FREQUENCY_MSG, resetSeconds: wait, limit: w.max };
    w.add(now);
    return undefined;
  }
}

interface FaultRule extends FaultSpec {
  left: number;
}

export class Faults {
  private rules: FaultRule[] = [];

  fail(spec: FaultSpec): void {
    if (!Number.isInteger(spec.count) || spec.count < 1) throw new RangeError('fault count must be a positive integer');
    this.rules.push({ ...spec, left: spec.count });
  }

  clear(): void {
    this.rules = [];
  }

  /** consumes one matching rule for this request, if any */
  take(path: string): Throttle | undefined {
    const rule = this.rules.find(
      (r) => r.left > 0 && (r.pathPrefix !== undefined ? path.startsWith(r.pathPrefix) : !path.startsWith('/open-apis/auth/')),
    );
    if (!rule) return undefined;
    rule.left--;
    this.rules = this.rules.filter((r) => r.left > 0);
    if (rule.status === 429) {
      return {
        status: 429,
        code: rule.code ?? 99991400,
        msg: FREQUENCY_MSG,
        resetSeconds: rule.resetSeconds ?? 1,
        limit: 50,
      };
    }
    if (rule.status === 400) {
      return {
        status: 400,
        code: rule.code ?? 230020,
        msg: 'This operation triggers the frequency limit.',
        resetSeconds: rule.resetSeconds ?? 1,
        limit: 5,
      };
    }
    return {
      status: rule.status,
      code: rule.code ?? 1,
      msg: 'internal error (emulated fault)',
      resetSeconds: 0,
      limit: 0,
    };
  }
}
