/**
 * Sends what the outbox holds. Rows are claimed in a short statement with a lease, sent OUTSIDE any
 * transaction through the Lark client (which limits and retries), then marked. Each message carries a Lark
 * `uuid` derived from its idem key, so a send whose mark was lost (crash, lease expiry, a second sender) is
 * de-duplicated by Lark when the row is sent again — within Lark's hour, far longer than a lease.
 *
 * Rows of one receiver (chat or person) are sent one after another in id order; receivers run side by side.
 */
import { systemClock, type Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import {
  claimBatch,
  heldSends,
  IDEM_REF,
  larkMessageIdFor,
  markFailed,
  markRetry,
  markSent,
  nextDueAt,
  recentSends,
  type OutboxReceiveIdType,
  type OutboxRow,
} from '../store/outbox.js';
import { isRetryable, LarkApiError, larkUuid, LarkNetworkError, type LarkClient, type UploadFileType } from './client.js';
import { card, md } from './cards.js';

/** The Lark `uuid` of an outbox message: stable across attempts and senders, ≤ 50 chars as Lark requires. */
export function outboxUuid(idemKey: string): string {
  return larkUuid(`outbox:${idemKey}`);
}

export interface OutboxSenderOptions {
  db: Db;
  lark: Pick<LarkClient, 'sendMessage' | 'replyMessage' | 'patchMessage' | 'uploadFile'> &
    Partial<Pick<LarkClient, 'seedSends' | 'uploadImage'>>;
  logger: Logger;
  clock?: Clock;
  /** rows claimed per drain (default 50) */
  batchSize?: number;
  /** how long a claim holds a row before another sender may take it (default 60 s) */
  leaseMs?: number;
  /** claims per row before it is marked failed (default 8) */
  maxAttempts?: number;
  /** poll interval of the loop when nothing wakes it (default 1 s) */
  pollMs?: number;
  /** delay before the n-th retry: min(maxMs, baseMs·2^(n-1)), with jitter; Lark's own reset wins when it gave one */
  backoff?: { baseMs?: number; maxMs?: number };
  /** test hook: called after a message went out and before its row is marked */
  afterSend?: (row: OutboxRow, larkMessageId: string) => void;
}

export interface DrainResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  /** claimed but not attempted because the sender was stopping (their leases expire) */
  abandoned: number;
}

export interface OutboxSender {
  /** Claims one batch and sends it. */
  drainOnce(): Promise<DrainResult>;
  /** Runs the loop: drains whenever notified, at least every poll interval. */
  start(): void;
  /**
   * Stops the loop: sends already under way finish and are marked; claimed rows not yet started keep their
   * lease and are picked up again when it expires (as if the process had died).
   */
  stop(): Promise<void>;
  /** A transaction that enqueued has committed: drain soon. */
  notify(): void;
  /**
   * For tests: drains until nothing is due. With `withinMs`, also waits for rows due that soon (retries with a
   * short backoff, expiring leases). Throws after `timeoutMs` (default 30 s).
   */
  settle(opts?: { withinMs?: number; timeoutMs?: number }): Promise<void>;
}

class NotYet extends Error {}

function describe(err: unknown): string {
  if (err instanceof LarkApiError || err instanceof LarkNetworkError) return err.message;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

function laneOf(row: OutboxRow): string {
  switch (row.op) {
    case 'patch':
      return `patch:${row.targetMessageId}`;
    case 'reply':
      return row.receiveId ? `to:${row.receiveId}` : `reply:${row.targetMessageId}`;
    default:
      return `to:${row.receiveId}`;
  }
}

/** An 'image' row: the bytes, and the card shown around the image (its title, the image's alt text, a line under). */
interface ImageContent {
  base64: string;
  title: string;
  alt: string;
  text?: string;
}

interface FileContent {
  fileName: string;
  fileType?: UploadFileType;
  base64: string;
}

export function createOutboxSender(opts: OutboxSenderOptions): OutboxSender {
  const { db, lark, logger } = opts;
  const clock = opts.clock ?? systemClock;
  const batchSize = opts.batchSize ?? 50;
  const leaseMs = opts.leaseMs ?? 60_000;
  const maxAttempts = opts.maxAttempts ?? 8;
  const pollMs = opts.pollMs ?? 1000;
  const baseMs = opts.backoff?.baseMs ?? 2000;
  const maxMs = opts.backoff?.maxMs ?? 5 * 60_000;

  let running = false;
  let stopping = false;
  let loopDone: Promise<void> | null = null;
  let dirty = false;
  let wake: (() => void) | null = null;

  const retryDelay = (attempts: number, err: unknown): number => {
    if (err instanceof LarkApiError && err.retryAfterMs !== undefined) return err.retryAfterMs;
    const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(cap / 2 + (Math.random() * cap) / 2);
  };

  const resolveTarget = async (target: string): Promise<string> => {
    if (!target.startsWith(IDEM_REF)) return target;
    const id = await larkMessageIdFor(db, target.slice(IDEM_REF.length));
    if (!id) throw new NotYet(`target ${target} not sent yet`);
    return id;
  };

  /** Performs one row's Lark call; returns the Lark message id the row stands for. */
  const perform = async (row: OutboxRow): Promise<string> => {
    const uuid = outboxUuid(row.idemKey);
    const receiveIdType = row.receiveIdType as OutboxReceiveIdType;
    switch (row.op) {
      case 'create': {
        const r = await lark.sendMessage({ receiveIdType, receiveId: row.receiveId!, msgType: row.msgType, content: row.content, uuid });
        return r.messageId;
      }
      case 'reply': {
        const messageId = await resolveTarget(row.targetMessageId!);
        const chatId = row.receiveIdType === 'chat_id' && row.receiveId ? row.receiveId : undefined;
        const r = await lark.replyMessage({ messageId, msgType: row.msgType, content: row.content, uuid, chatId });
        return r.messageId;
      }
      case 'patch': {
        const messageId = await resolveTarget(row.targetMessageId!);
        await lark.patchMessage({ messageId, content: row.content });
        return messageId;
      }
      case 'file': {
        const f = row.content as FileContent;
        const fileKey = await lark.uploadFile({
          fileType: f.fileType ?? 'stream',
          fileName: f.fileName,
          data: Buffer.from(f.base64, 'base64'),
        });
        const r = await lark.sendMessage({
          receiveIdType,
          receiveId: row.receiveId!,
          msgType: 'file',
          content: { file_key: fileKey },
          uuid,
        });
        return r.messageId;
      }
      case 'image': {
        const c = row.content as ImageContent;
        if (!lark.uploadImage) throw new Error('outbox op image: the Lark client cannot upload images');
        const imageKey = await lark.uploadImage(Buffer.from(c.base64, 'base64'));
        const shown = card({
          title: c.title,
          template: 'green',
          elements: [{ tag: 'img', img_key: imageKey, alt: { tag: 'plain_text', content: c.alt } }, ...(c.text ? [md(c.text)] : [])],
        });
        const r = await lark.sendMessage({ receiveIdType, receiveId: row.receiveId!, msgType: 'interactive', content: shown, uuid });
        return r.messageId;
      }
      default:
        throw new Error(`unknown outbox op ${String(row.op)}`);
    }
  };

  const handle = async (row: OutboxRow, res: DrainResult): Promise<void> => {
    let messageId: string;
    try {
      messageId = await perform(row);
    } catch (err) {
      const now = clock.now();
      try {
        if (err instanceof NotYet && row.attempts < maxAttempts) {
          await markRetry(db, row.id, err.message, new Date(now.getTime() + retryDelay(row.attempts, err)));
          res.retried++;
        } else if (isRetryable(err) && row.attempts < maxAttempts) {
          const at = new Date(now.getTime() + retryDelay(row.attempts, err));
          await markRetry(db, row.id, describe(err), at);
          res.retried++;
          logger.warn(
            { outboxId: row.id, idemKey: row.idemKey, attempts: row.attempts, retryAt: at, err: describe(err) },
            'outbox send failed, will retry',
          );
        } else {
          await markFailed(db, row.id, `after ${row.attempts} attempt(s): ${describe(err)}`);
          res.failed++;
          logger.error(
            { outboxId: row.id, idemKey: row.idemKey, attempts: row.attempts, err: describe(err) },
            'outbox send failed for good',
          );
        }
      } catch (markErr) {
        // The lease runs out and the row is tried again; nothing is lost.
        logger.error({ outboxId: row.id, err: describe(markErr) }, 'outbox: could not record a failed send');
      }
      return;
    }
    opts.afterSend?.(row, messageId);
    try {
      await markSent(db, row.id, messageId, clock.now());
      res.sent++;
    } catch (markErr) {
      // Sent but not marked: after the lease the row goes out again with the same uuid, which Lark de-duplicates.
      logger.error({ outboxId: row.id, err: describe(markErr) }, 'outbox: sent but could not mark it');
    }
  };

  const drainOnce = async (): Promise<DrainResult> => {
    const res: DrainResult = { claimed: 0, sent: 0, retried: 0, failed: 0, abandoned: 0 };
    const rows = await claimBatch(db, { limit: batchSize, leaseMs, now: clock.now() });
    res.claimed = rows.length;
    if (rows.length === 0) return res;
    const lanes = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const k = laneOf(row);
      const lane = lanes.get(k);
      if (lane) lane.push(row);
      else lanes.set(k, [row]);
    }
    await Promise.all(
      [...lanes.values()].map(async (lane) => {
        for (const row of lane) {
          if (stopping) {
            res.abandoned++;
            continue;
          }
          await handle(row, res);
        }
      }),
    );
    logger.debug({ ...res }, 'outbox drained');
    return res;
  };

  const waitForWake = () =>
    new Promise<void>((resolve) => {
      if (dirty || !running) return resolve();
      const timer = setTimeout(done, pollMs);
      timer.unref?.();
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  /**
   * Before the first send: what the outbox sent in the last minute counts against Lark's send windows. A sender
   * restarted after a crash would otherwise start with empty windows and meet Lark's 429 for what the dead
   * process spent (seen in the fan-out bench). Rows still held under another sender's lease count too, as sent
   * just now: the dead sender may have reached Lark with some of them without marking them (the bench saw two),
   * and a live one is about to.
   */
  const seedWindows = async () => {
    if (!lark.seedSends) return;
    try {
      const now = clock.now().getTime();
      const sends = await recentSends(db, new Date(now - 61_000));
      const held = await heldSends(db, new Date(now));
      lark.seedSends([...sends.map((s) => ({ ageMs: now - s.sentAt.getTime(), to: s.to })), ...held.map((h) => ({ ageMs: 0, to: h.to }))]);
      if (sends.length + held.length > 0)
        logger.info({ sends: sends.length, held: held.length }, 'outbox sender: recent sends counted against the rate windows');
    } catch (err) {
      logger.warn({ err: describe(err) }, 'outbox sender: could not read recent sends');
    }
  };

  const loop = async () => {
    await seedWindows();
    while (running) {
      dirty = false;
      let r: DrainResult | undefined;
      try {
        r = await drainOnce();
      } catch (err) {
        logger.error({ err: describe(err) }, 'outbox drain failed');
      }
      if (!running) break;
      if (r && r.claimed > 0) continue;
      await waitForWake();
    }
  };

  return {
    drainOnce,
    start() {
      if (running) return;
      running = true;
      stopping = false;
      loopDone = loop();
    },
    async stop() {
      stopping = true;
      running = false;
      wake?.();
      await loopDone;
      loopDone = null;
      // the drain under way has returned: a later drainOnce()/settle() on this instance works normally
      stopping = false;
    },
    notify() {
      dirty = true;
      wake?.();
    },
    async settle(o = {}) {
      const withinMs = o.withinMs ?? 0;
      const deadline = Date.now() + (o.timeoutMs ?? 30_000);
      for (;;) {
        if (Date.now() > deadline) throw new Error('outbox did not settle in time');
        const r = await drainOnce();
        if (r.claimed > 0) continue;
        const next = await nextDueAt(db);
        if (!next) return;
        const wait = next.getTime() - clock.now().getTime();
        if (wait > withinMs) return;
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(wait + 1, 250))));
      }
    },
  };
}
