/**
 * The outbox sender end to end: rows written by transactions on a real database (PGlite, or PostgreSQL when
 * TEST_DATABASE_URL is set), sent through our Lark client (the real SDK) to the emulator over HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Clock } from '../../src/clock.js';
import { createLarkClient, type LarkClientOptions } from '../../src/lark/client.js';
import { createOutboxSender, outboxUuid, type OutboxSenderOptions } from '../../src/lark/outbox-sender.js';
import { silentLogger } from '../../src/log.js';
import { schema } from '../../src/store/db.js';
import { enqueue, findByIdemKey, IDEM_REF, larkMessageIdFor } from '../../src/store/outbox.js';
import { onPostgres, useTestDb } from '../helpers/db.js';
import { callsTo, GROUP, PEOPLE, startEmulator, type EmuServer } from './emulator-server.js';
import { maxInWindow } from './support.js';

const MESSAGES = '/open-apis/im/v1/messages';
const text = (t: string) => ({ text: t });

const t = useTestDb();
let srv: EmuServer | undefined;
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await srv?.close();
  srv = undefined;
});

function larkFor(s: EmuServer, opts: Partial<LarkClientOptions> = {}) {
  return createLarkClient(
    { appId: s.appId, appSecret: s.appSecret, domain: s.url },
    { logger: silentLogger, retry: { baseDelayMs: 5, maxDelayMs: 20 }, ...opts },
  );
}

function senderFor(lark: OutboxSenderOptions['lark'], opts: Partial<OutboxSenderOptions> = {}) {
  const sender = createOutboxSender({ db: t.db, lark, logger: silentLogger, pollMs: 50, backoff: { baseMs: 5, maxMs: 20 }, ...opts });
  stops.push(() => sender.stop());
  return sender;
}

/** Enqueues `n` texts to `receiveId` in one transaction, like a handler would. */
async function enqueueTexts(prefix: string, receiveIdType: 'chat_id' | 'open_id', receiveId: string, n: number) {
  await t.db.transaction(async (tx) => {
    for (let i = 1; i <= n; i++) {
      await enqueue(tx, {
        idemKey: `${prefix}:${i}`,
        op: 'create',
        receiveIdType,
        receiveId,
        msgType: 'text',
        content: text(`${prefix} ${i}`),
      });
    }
  });
}

const rows = () => t.db.select().from(schema.outbox).orderBy(schema.outbox.id);
const textOf = (m: { content: unknown }) => (m.content as { text: string }).text;

describe('outbox sender', () => {
  it('sends what a transaction enqueued, promptly on notify, once per idem key; later rows can patch earlier ones', async () => {
    srv = await startEmulator();
    const sender = senderFor(larkFor(srv), { pollMs: 60_000 });
    sender.start();

    const card = (s: string) => ({ schema: '2.0', header: { title: { tag: 'plain_text', content: s } }, body: { elements: [] } });
    await t.db.transaction(async (tx) => {
      await enqueue(tx, {
        idemKey: 'card:1',
        op: 'create',
        receiveIdType: 'chat_id',
        receiveId: GROUP,
        msgType: 'interactive',
        content: card('待审核'),
      });
      // the same cause again (a redelivered event): nothing new
      expect(
        await enqueue(tx, {
          idemKey: 'card:1',
          op: 'create',
          receiveIdType: 'chat_id',
          receiveId: GROUP,
          msgType: 'interactive',
          content: card('待审核'),
        }),
      ).toBe(false);
      // a patch of that card, before it even has a Lark message id
      await enqueue(tx, {
        idemKey: 'card:1:approved',
        op: 'patch',
        targetMessageId: `${IDEM_REF}card:1`,
        msgType: 'interactive',
        content: card('已通过'),
      });
    });
    sender.notify();
    // the poll interval is a minute: only notify() can have woken it
    await expect.poll(async () => (await rows()).filter((r) => r.status === 'sent').length, { timeout: 10_000, interval: 20 }).toBe(2);

    const id = await larkMessageIdFor(t.db, 'card:1');
    expect(srv.emulator.messages()).toHaveLength(1);
    expect(srv.emulator.message(id!)).toMatchObject({ uuid: outboxUuid('card:1'), update_count: 1, content: card('已通过') });
    expect(outboxUuid('card:1').length).toBeLessThanOrEqual(50);
  });

  it('sends a file: uploads it, then a file message; a reply names the chat it goes to', async () => {
    srv = await startEmulator();
    const sender = senderFor(larkFor(srv));
    const csv = '项目,金额\n新能源电池,5亿元\n';
    await t.db.transaction(async (tx) => {
      await enqueue(tx, {
        idemKey: 'export:2026-03',
        op: 'file',
        receiveIdType: 'open_id',
        receiveId: 'ou_p02',
        msgType: 'file',
        content: { fileName: '台账.csv', fileType: 'stream', base64: Buffer.from(csv).toString('base64') },
      });
      await enqueue(tx, {
        idemKey: 'hello',
        op: 'create',
        receiveIdType: 'chat_id',
        receiveId: GROUP,
        msgType: 'text',
        content: text('各位好'),
      });
      await enqueue(tx, {
        idemKey: 'hello:reply',
        op: 'reply',
        receiveIdType: 'chat_id',
        receiveId: GROUP,
        targetMessageId: `${IDEM_REF}hello`,
        msgType: 'text',
        content: text('收到'),
      });
    });
    await sender.settle({ withinMs: 5_000 });

    expect((await rows()).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    const fileMsg = srv.emulator.message((await larkMessageIdFor(t.db, 'export:2026-03'))!)!;
    expect(fileMsg).toMatchObject({ msg_type: 'file', open_id: 'ou_p02', uuid: outboxUuid('export:2026-03') });
    const lark = larkFor(srv);
    const fileKey = (fileMsg.content as { file_key: string }).file_key;
    expect((await lark.downloadMessageResource(fileMsg.message_id, fileKey)).toString('utf8')).toBe(csv);
    const reply = srv.emulator.message((await larkMessageIdFor(t.db, 'hello:reply'))!)!;
    expect(reply).toMatchObject({ parent_id: await larkMessageIdFor(t.db, 'hello'), chat_id: GROUP });
  });

  it('keeps one group within its per-chat limit over 200 messages, in order, meeting no 429', async () => {
    // Lark's 5/s per chat would take 40 s; the limit is configurable, the emulator enforces the same one.
    const perChat = 20;
    srv = await startEmulator({ limits: { enforce: true, appPerSecond: 50, appPerMinute: 1000, perChatPerSecond: perChat } });
    const sender = senderFor(larkFor(srv, { limits: { perChatPerSecond: perChat } }), { batchSize: 50 });
    await enqueueTexts('播报', 'chat_id', GROUP, 200);
    await sender.settle({ timeoutMs: 60_000 });

    const sends = callsTo(srv.emulator, 'POST', MESSAGES);
    expect(sends).toHaveLength(200);
    expect(sends.filter((c) => c.status === 429)).toEqual([]);
    expect(
      maxInWindow(
        sends.map((c) => c.at),
        1000,
      ),
    ).toBeLessThanOrEqual(perChat);
    expect(srv.emulator.messages({ chatId: GROUP }).map(textOf)).toEqual(Array.from({ length: 200 }, (_, i) => `播报 ${i + 1}`));
    expect((await rows()).every((r) => r.status === 'sent' && r.attempts === 1 && r.larkMessageId)).toBe(true);
  }, 60_000);

  it('records a message failed with the reason after a 5xx storm, not lost', async () => {
    srv = await startEmulator();
    const sender = senderFor(larkFor(srv, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }), { maxAttempts: 3 });
    srv.emulator.faults.fail({ status: 503, count: 1000, pathPrefix: MESSAGES });
    await enqueueTexts('风暴', 'chat_id', GROUP, 1);
    await sender.settle({ withinMs: 5_000 });

    const row = await findByIdemKey(t.db, '风暴:1');
    expect(row).toMatchObject({ status: 'failed', attempts: 3, larkMessageId: null, leaseUntil: null });
    expect(row!.lastError).toMatch(
      /after 3 attempt\(s\): Lark POST \/open-apis\/im\/v1\/messages failed after 2 attempts: .*503|internal error/,
    );
    // 3 outbox attempts × 2 client attempts, every one answered 503
    expect(callsTo(srv.emulator, 'POST', MESSAGES).map((c) => c.status)).toEqual(Array(6).fill(503));
    expect(srv.emulator.messages()).toHaveLength(0);
  });

  it('fails at once, with Lark’s reason, what Lark refuses for good', async () => {
    srv = await startEmulator();
    const sender = senderFor(larkFor(srv));
    await enqueueTexts('群外', 'chat_id', 'oc_outside', 1);
    await sender.settle();
    const row = await findByIdemKey(t.db, '群外:1');
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row!.lastError).toContain('230002');
    expect(callsTo(srv.emulator, 'POST', MESSAGES)).toHaveLength(1);
  });

  it('resumes after a sender is killed mid-batch: every message sent exactly once', async () => {
    srv = await startEmulator();
    const lark = larkFor(srv, { limits: { perChatPerSecond: 50 } });
    const leaseMs = 60_000;
    // 3 people × 10 messages
    for (const p of PEOPLE.slice(0, 3)) await enqueueTexts(p.open_id, 'open_id', p.open_id, 10);

    let sent = 0;
    let killed!: Promise<void>;
    const dead = new Promise<void>((resolve) => {
      const a = senderFor(lark, {
        leaseMs,
        afterSend: () => {
          if (++sent === 7) {
            killed = a.stop();
            resolve();
          }
        },
      });
      a.start();
      a.notify();
    });
    await dead;
    await killed;

    const afterKill = await rows();
    const leftLeased = afterKill.filter((r) => r.status === 'pending' && r.leaseUntil !== null);
    expect(afterKill.filter((r) => r.status === 'sent').length).toBeGreaterThanOrEqual(7);
    expect(leftLeased.length).toBeGreaterThan(0);

    // One leased row did go out before the crash, but its mark was lost.
    const lost = leftLeased[0]!;
    await lark.sendMessage({
      receiveIdType: 'open_id',
      receiveId: lost.receiveId!,
      msgType: 'text',
      content: lost.content,
      uuid: outboxUuid(lost.idemKey),
    });

    // Nothing is claimable while the dead sender's leases live…
    const b0 = senderFor(lark, { leaseMs });
    expect((await b0.drainOnce()).claimed).toBe(0);
    // …and everything is once they have expired (a sender whose clock is past the lease).
    const later: Clock = { now: () => new Date(Date.now() + leaseMs + 1000) };
    const b = senderFor(lark, { leaseMs, clock: later });
    await b.settle();

    const final = await rows();
    expect(final.every((r) => r.status === 'sent')).toBe(true);
    const msgs = srv.emulator.messages();
    expect(msgs).toHaveLength(30);
    expect(new Set(msgs.map((m) => m.uuid)).size).toBe(30);
    for (const p of PEOPLE.slice(0, 3)) {
      expect(
        msgs
          .filter((m) => m.open_id === p.open_id)
          .map(textOf)
          .sort(),
      ).toEqual(Array.from({ length: 10 }, (_, i) => `${p.open_id} ${i + 1}`).sort());
    }
    // the lost-mark row's message is the one Lark already had
    const lostRow = final.find((r) => r.id === lost.id)!;
    expect(srv.emulator.message(lostRow.larkMessageId!)!.uuid).toBe(outboxUuid(lost.idemKey));
  });

  it(`two senders draining one database concurrently never send a row twice (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, async () => {
    srv = await startEmulator();
    // two processes: each its own client (and token, and limiter)
    const a = senderFor(larkFor(srv, { limits: { perChatPerSecond: 50, appSendsPerSecond: 200 } }), { batchSize: 7 });
    const b = senderFor(larkFor(srv, { limits: { perChatPerSecond: 50, appSendsPerSecond: 200 } }), { batchSize: 7 });
    for (const p of PEOPLE.slice(0, 40)) await enqueueTexts(p.open_id, 'open_id', p.open_id, 3);

    const drained = { a: 0, b: 0 };
    const drain = async (s: typeof a, k: 'a' | 'b') => {
      for (;;) {
        const r = await s.drainOnce();
        if (r.claimed === 0) return;
        drained[k] += r.sent;
      }
    };
    await Promise.all([drain(a, 'a'), drain(b, 'b'), drain(a, 'a'), drain(b, 'b')]);

    const sends = callsTo(srv.emulator, 'POST', MESSAGES);
    // each row went out in exactly one request: not even a uuid-deduplicated second one
    expect(sends).toHaveLength(120);
    expect(srv.emulator.messages()).toHaveLength(120);
    expect(drained.a + drained.b).toBe(120);
    if (onPostgres) expect(Math.min(drained.a, drained.b)).toBeGreaterThan(0);
    const final = await rows();
    expect(final.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    expect(
      await t.db
        .select()
        .from(schema.outbox)
        .where(and(eq(schema.outbox.status, 'sent'), isNotNull(schema.outbox.leaseUntil))),
    ).toEqual([]);
  });
});
