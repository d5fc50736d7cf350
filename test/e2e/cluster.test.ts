/**
 * WEB_CONCURRENCY (issue 18): the production start as a cluster. On PostgreSQL two workers share the port, both
 * answer — health checks and Lark's deliveries alike —, only worker 0 runs the scheduler, and SIGTERM stops the
 * whole; a worker that dies is started again. PGlite (one process only) refuses a cluster at start-up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onPostgres } from '../helpers/db.js';
import { eventually, killableBot, type KillableBot } from '../helpers/killable-bot.js';
import { spawnBot } from '../helpers/spawn-bot.js';

const OFFICER = 'ou_demo_wu_lei';

/** GET on a fresh connection (the cluster hands out connections, not requests): status and worker header. */
function getFresh(url: string): Promise<{ status: number; worker: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { connection: 'close' }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, worker: res.headers['x-zhaoshang-worker'] as string | undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Line {
  msg?: string;
  worker?: number;
  role?: string;
  job?: string;
}
const lines = (out: string): Line[] =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);

describe.skipIf(!onPostgres)('a cluster of two workers on PostgreSQL (works)', () => {
  let bot: KillableBot;
  beforeAll(async () => {
    // The scheduler on, so that which worker runs it shows in the logs (its catch-up runs every job at start).
    bot = await killableBot({ WEB_CONCURRENCY: '2', SCHEDULER: 'on' });
    await bot.start();
  }, 120_000);
  afterAll(async () => {
    await bot?.close();
  });

  it('starts two workers on one port, and both answer', async () => {
    const started = () => lines(bot.output()).filter((l) => l.msg === 'zhaoshang-bot started');
    expect(await eventually(() => started().length === 2, 60_000)).toBe(true);
    expect(
      started()
        .map((l) => l.worker)
        .sort(),
    ).toEqual([0, 1]);
    expect(lines(bot.output()).some((l) => l.msg === 'cluster started' && l.role === 'primary')).toBe(true);

    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 2; i++) {
      const r = await getFresh(`${bot.url}/healthz`);
      expect(r.status).toBe(200);
      if (r.worker !== undefined) seen.add(r.worker);
    }
    expect([...seen].sort()).toEqual(['0', '1']);
  }, 90_000);

  it("answers Lark's deliveries whichever worker takes them, each once", async () => {
    const before = bot.emulator.messages({ openId: OFFICER }).length;
    // Deliveries in parallel open several connections, which the primary hands to both workers.
    const texts = ['帮助', '我的项目', '帮助', '我的项目', '帮助', '我的项目'];
    const answers = await Promise.all(texts.map((x) => bot.emulator.sendText(OFFICER, x)));
    for (const a of answers) expect(a.status).toBe(200);
    await expect.poll(() => bot.emulator.messages({ openId: OFFICER }).length - before, { timeout: 30_000 }).toBe(texts.length);
    const handledBy = new Set(
      lines(bot.output())
        .filter((l) => l.worker !== undefined && l.msg !== 'zhaoshang-bot started')
        .map((l) => l.worker),
    );
    expect(handledBy.size).toBeGreaterThan(0);
  }, 60_000);

  it('runs the scheduler in worker 0 only', async () => {
    const jobLines = () => lines(bot.output()).filter((l) => l.job !== undefined && l.worker !== undefined);
    expect(await eventually(() => jobLines().length > 0, 30_000)).toBe(true);
    expect(new Set(jobLines().map((l) => l.worker))).toEqual(new Set([0]));
  }, 60_000);

  it('stops the whole on SIGTERM, every worker finishing cleanly', async () => {
    await bot.stop();
    const out = lines(bot.output());
    expect(
      out
        .filter((l) => l.msg === 'stopped')
        .map((l) => l.worker)
        .sort(),
    ).toEqual([0, 1]);
    expect(out.some((l) => l.msg === 'cluster stopped' && l.role === 'primary')).toBe(true);
  }, 60_000);
});

describe('a cluster where one process is all there is (refused)', () => {
  it('PGlite: the start refuses WEB_CONCURRENCY=2 with one line naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zb-cluster-'));
    try {
      const bot = spawnBot({ DATABASE_URL: join(dir, 'pglite'), WEB_CONCURRENCY: '2', LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 's' });
      expect(await bot.exited).toBe(1);
      expect(bot.output()).toMatch(/WEB_CONCURRENCY: several processes need a postgres:\/\/ DATABASE_URL/);
      expect(bot.output()).not.toContain('zhaoshang-bot started');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
