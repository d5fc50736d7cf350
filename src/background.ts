import type { Logger } from './log.js';

/**
 * Work done after the HTTP 200 (Lark wants its answer within 3 s). On Node the promises are tracked so
 * tests can settle them instead of sleeping, and shutdown can wait for them; on Workers the entry hands
 * each one to `ctx.waitUntil` instead.
 */
export class Background {
  private pending = new Set<Promise<unknown>>();
  constructor(private readonly logger: Logger) {}

  run(label: string, fn: () => Promise<unknown>): Promise<void> {
    const p = (async () => {
      try {
        await fn();
      } catch (err) {
        this.logger.error({ err, label }, 'background task failed');
      }
    })();
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }

  /** Resolves once every task started so far, and every task those started, has finished. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
