/**
 * Our WS transport (src/lark/ws.ts) around the SDK's WSClient, against the emulator's long connection:
 * `start()` means connected, every subscribed event type reaches `receive` as a clean schema 2.0 envelope
 * (no SDK Symbol marker: the e7cfdd9 bug), and the ways it refuses to start are loud and prompt.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/lark/events.js';
import { createWsTransport, type WsTransport } from '../../src/lark/ws.js';
import { wsRig, type WsRig } from '../emulator/ws-harness.js';

function captured() {
  const lines: { level: number; msg: string; [k: string]: unknown }[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { logger, lines };
}

let rigs: WsRig[] = [];
const transports: WsTransport[] = [];
afterEach(async () => {
  for (const t of transports.splice(0)) t.stop();
  await Promise.all(rigs.map((r) => r.close()));
  rigs = [];
});

async function setup(opts: { appId?: string; appSecret?: string; domain?: string } = {}) {
  const r = await wsRig();
  rigs.push(r);
  const got: Envelope[] = [];
  const log = captured();
  const transport = createWsTransport({
    appId: opts.appId ?? r.appId,
    appSecret: opts.appSecret ?? r.appSecret,
    domain: opts.domain ?? r.url,
    logger: log.logger,
    receive: async (env) => {
      got.push(env);
      return env.header.event_type === 'card.action.trigger' ? { toast: { type: 'info', content: '收到' } } : undefined;
    },
    defer: () => {},
  });
  transports.push(transport);
  return { r, got, log, transport };
}

describe('the WS transport', () => {
  it('works: start() resolves connected, and each event type reaches receive as a clean envelope', async () => {
    const { r, got, log, transport } = await setup();
    r.emu.reset();
    await transport.start({ readyWithinMs: 5000 });
    expect(log.lines.some((l) => l.msg === 'lark long connection started')).toBe(true);
    await r.emu.longConnection!.waitForClients(1);

    expect((await r.emu.sendText('ou_zhang', '帮助')).status).toBe(200);
    expect((await r.emu.pressMenu('ou_zhang', 'help')).status).toBe(200);
    expect((await r.emu.addBotToChat('oc_chain', 'ou_li')).status).toBe(200);
    expect(got.map((e) => e.header.event_type)).toEqual([
      'im.message.receive_v1',
      'application.bot.menu_v6',
      'im.chat.member.bot.added_v1',
    ]);
    for (const env of got) {
      expect(env.schema).toBe('2.0');
      expect(env.header.event_id).toMatch(/^[0-9a-f]{32}$/);
      expect(env.header.app_id).toBe(r.appId);
      expect(Object.getOwnPropertySymbols(env.event)).toEqual([]);
      expect(env.event).not.toHaveProperty('event_id');
    }
    expect(got[1]!.event).toMatchObject({ event_key: 'help', operator: { operator_id: { open_id: 'ou_zhang' } } });
  });

  it('refused: an app id not of Lark’s form fails start() at once (the SDK would only log it)', async () => {
    const { transport } = await setup({ appId: 'cli_emulator' });
    await expect(transport.start()).rejects.toThrow(/cli_ followed by 16 hex digits/);
  });

  it('refused: credentials the endpoint refuses fail start() instead of waiting', async () => {
    const { r, transport, log } = await setup({ appSecret: 'wrong' });
    const started = Date.now();
    await expect(transport.start({ readyWithinMs: 10_000 })).rejects.toThrow(/514/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(log.lines.some((l) => l.msg === 'lark long connection gave up')).toBe(true);
    expect(r.emu.longConnection!.clients()).toEqual([]);
  });

  it('works, late: with Lark unreachable start() returns after readyWithinMs with a warning, the SDK still trying', async () => {
    const { transport, log } = await setup({ domain: 'http://127.0.0.1:9' });
    await transport.start({ readyWithinMs: 300 });
    expect(log.lines.some((l) => l.level === 40 && l.msg.includes('not open yet'))).toBe(true);
  });
});
