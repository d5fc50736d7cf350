import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { DEFAULT_LIMITS, sendRules, SlidingWindowLimiter, type LarkLimits } from '../../src/lark/client.js';
import { maxInWindow } from './support.js';

/**
 * Virtual time for the limiter: `sleep` registers a timer, `run()` fires timers in time order, moving the
 * FixedClock to each. A minute of Lark's limits passes in milliseconds of test time.
 */
class VirtualTime {
  readonly clock = new FixedClock('2026-03-02T08:00:00Z');
  private readonly start = this.clock.now().getTime();
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;
  now = () => this.clock.now().getTime();
  sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      this.timers.push({ at: this.now() + ms, seq: this.seq++, resolve });
    });
  /** ms since the start */
  elapsed(): number {
    return this.now() - this.start;
  }
  /** Fires timers until none is left and every promise has settled. */
  async run(): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (this.timers.length === 0) return;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const t = this.timers.shift()!;
      if (t.at > this.now()) this.clock.set(new Date(t.at));
      t.resolve();
    }
  }
}

function limiterWith(vt: VirtualTime) {
  return new SlidingWindowLimiter({ now: vt.now, sleep: vt.sleep });
}

describe('SlidingWindowLimiter (virtual time)', () => {
  it('keeps app-wide sends within 50 in any second and 1000 in any minute, and no slower than that', async () => {
    const vt = new VirtualTime();
    const limiter = limiterWith(vt);
    const limits: LarkLimits = { ...DEFAULT_LIMITS, marginMs: 0 };
    const granted: number[] = [];
    // 1500 sends, each to a different chat, all wanting to go at once
    const all = Array.from({ length: 1500 }, (_, i) =>
      limiter.acquire(sendRules(limits, `oc_${i}`)).then(() => granted.push(vt.elapsed())),
    );
    await vt.run();
    await Promise.all(all);

    expect(granted).toHaveLength(1500);
    expect(maxInWindow(granted, 1000)).toBe(50);
    expect(maxInWindow(granted, 60_000)).toBe(1000);
    // Not more careful than needed: the first 1000 go within the first 20 s (50/s)…
    expect(granted[999]).toBeLessThan(20_000);
    // …and the 1001st waits for the minute window to move on
    expect(granted[1000]).toBeGreaterThanOrEqual(60_000);
    expect(granted[1499]).toBeLessThan(60_000 + 20_000);
  });

  it('adds the margin to every window and paces grants evenly', async () => {
    const vt = new VirtualTime();
    const limiter = limiterWith(vt);
    const limits: LarkLimits = { ...DEFAULT_LIMITS, perChatPerSecond: 5, marginMs: 100 };
    const granted: number[] = [];
    const all = Array.from({ length: 20 }, () => limiter.acquire(sendRules(limits, 'oc_one')).then(() => granted.push(vt.elapsed())));
    await vt.run();
    await Promise.all(all);
    expect(maxInWindow(granted, 1100)).toBe(5);
    // one every 1100 / 5 = 220 ms, not bursts of five
    expect(granted).toEqual(Array.from({ length: 20 }, (_, i) => i * 220));
  });

  it('limits each chat on its own, in arrival order, without holding up other chats', async () => {
    const vt = new VirtualTime();
    const limiter = limiterWith(vt);
    const limits: LarkLimits = { ...DEFAULT_LIMITS, marginMs: 0 };
    const order: string[] = [];
    const at = new Map<string, number>();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 12; i++) {
      const id = `a${i}`;
      pending.push(
        limiter.acquire(sendRules(limits, 'oc_busy')).then(() => {
          order.push(id);
          at.set(id, vt.elapsed());
        }),
      );
    }
    pending.push(
      limiter.acquire(sendRules(limits, 'oc_quiet')).then(() => {
        order.push('b0');
        at.set('b0', vt.elapsed());
      }),
    );
    await vt.run();
    await Promise.all(pending);

    expect(order.filter((x) => x.startsWith('a'))).toEqual(Array.from({ length: 12 }, (_, i) => `a${i}`));
    // the quiet chat goes next (after the app-wide pacing of 20 ms), not after the busy chat's backlog
    expect(at.get('b0')).toBe(20);
    const busy = [...at.entries()].filter(([k]) => k.startsWith('a')).map(([, t]) => t);
    expect(maxInWindow(busy, 1000)).toBe(5);
    expect(at.get('a11')).toBe(11 * 200);
  });

  it('holds every call on a blocked key until the block ends (Lark asked us to wait)', async () => {
    const vt = new VirtualTime();
    const limiter = limiterWith(vt);
    const limits: LarkLimits = { ...DEFAULT_LIMITS, marginMs: 0 };
    limiter.block(['app:send'], vt.now() + 3000);
    const granted: number[] = [];
    const p = limiter.acquire(sendRules(limits, 'oc_x')).then(() => granted.push(vt.elapsed()));
    const q = limiter.acquire([{ key: 'app:general', limit: 50, windowMs: 1000 }]).then(() => granted.push(vt.elapsed()));
    await vt.run();
    await Promise.all([p, q]);
    expect(granted.sort((a, b) => a - b)).toEqual([0, 3000]);
  });

  it('never exceeds any window under random arrivals', async () => {
    const vt = new VirtualTime();
    const limiter = limiterWith(vt);
    const limits: LarkLimits = { ...DEFAULT_LIMITS, appSendsPerSecond: 20, appSendsPerMinute: 300, perChatPerSecond: 3, marginMs: 0 };
    const perChat = new Map<string, number[]>();
    const app: number[] = [];
    let seed = 42;
    const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pending: Promise<void>[] = [];
    // arrivals spread over 30 s of virtual time, to 8 chats
    const arrivals = Array.from({ length: 600 }, () => ({ t: Math.floor(rnd() * 30_000), chat: `oc_${Math.floor(rnd() * 8)}` })).sort(
      (a, b) => a.t - b.t,
    );
    for (const a of arrivals) {
      pending.push(
        vt.sleep(a.t).then(() =>
          limiter.acquire(sendRules(limits, a.chat)).then(() => {
            const t = vt.elapsed();
            app.push(t);
            perChat.set(a.chat, [...(perChat.get(a.chat) ?? []), t]);
          }),
        ),
      );
    }
    await vt.run();
    await Promise.all(pending);
    expect(app).toHaveLength(600);
    app.sort((a, b) => a - b);
    expect(maxInWindow(app, 1000)).toBeLessThanOrEqual(20);
    expect(maxInWindow(app, 60_000)).toBeLessThanOrEqual(300);
    for (const times of perChat.values()) expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(3);
  });
});
