/**
 * `npm run job` while `npm start` runs on the embedded database (issue 17 item 9): the CLI cannot open the PGlite
 * folder the bot holds, so it hands the job to the running bot, whose console then shows the cards at once — no
 * restart. The bot's door for it wants the token of the control file it wrote beside the database; a control
 * file left by a dead bot is ignored and the CLI runs the job itself.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/domain/calendar.js';
import { JOB_HANDOFF_PATH } from '../../src/ops/job-handoff.js';
import { spawnBot } from '../helpers/spawn-bot.js';

const run = promisify(execFile);
const YE = 'ou_demo_ye_qing'; // 叶青: projects owed every month

/** A reminder morning for the demo seeded today: one workday before this month's deadline, or next month's. */
function reminderMorning(): string {
  const cal = createCalendar({ timeZone: 'Asia/Shanghai' });
  const now = new Date();
  const today = cal.today(now);
  let period = cal.periodOf(now);
  let day = cal.addWorkdays(cal.deadline(period), -1);
  if (today > day) {
    const [y, m] = period.split('-').map(Number) as [number, number];
    period = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    day = cal.addWorkdays(cal.deadline(period), -1);
  }
  return `${day}T09:00:00+08:00`;
}

async function job(dbUrl: string, ...args: string[]) {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'src/cli/job.ts', ...args], {
      env: { ...process.env, DATABASE_URL: dbUrl, LARK_APP_ID: '', LOG_LEVEL: 'warn' },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('npm run job beside npm start on the embedded database', () => {
  it(
    'hands the job to the running bot, whose console shows the cards; its door wants the token; a dead bot’s file is ignored',
    {
      timeout: 150_000,
    },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'zb-handoff-'));
      const dbUrl = join(dir, 'pglite');
      const control = `${dbUrl}-control.json`;
      const { child, exited, started, output } = spawnBot({ DATABASE_URL: dbUrl, LARK_APP_ID: '', SCHEDULER: 'off' });
      try {
        const port = await started;
        const base = `http://127.0.0.1:${port}`;
        // The control file: only its owner may read it.
        expect(existsSync(control)).toBe(true);
        expect(statSync(control).mode & 0o077).toBe(0);
        const { token, pid } = JSON.parse(readFileSync(control, 'utf8')) as { token: string; pid: number };
        expect(pid).toBe(child.pid);

        // works: the CLI hands over, the running bot runs it and sends; the console shows the reminder
        const at = reminderMorning();
        const first = await job(dbUrl, 'run', 'reminders', '--at', at);
        expect(first.code, first.stderr).toBe(0);
        expect(first.stderr).toContain(`进程 ${pid}`);
        expect(JSON.parse(first.stdout)).toMatchObject({ status: 'done' });
        await expect
          .poll(
            async () => {
              const r = (await (await fetch(`${base}/emulator/api/conversations?openId=${YE}`)).json()) as {
                items: { chat_type: string; last: { preview: string } | null }[];
              };
              return r.items.find((c) => c.chat_type === 'p2p')?.last?.preview ?? '';
            },
            { timeout: 15_000 },
          )
          .toContain('填报提醒');
        // Run again: the same database answers that this period's round is done.
        const again = await job(dbUrl, 'run', 'reminders', '--at', at);
        expect(JSON.parse(again.stdout)).toMatchObject({ status: 'already_done' });

        // refused: the door without the token, with a wrong one, or with a bad body
        const post = (auth: string | undefined, body: unknown) =>
          fetch(`${base}${JOB_HANDOFF_PATH}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
            body: JSON.stringify(body),
          });
        expect((await post(undefined, { name: 'housekeeping' })).status).toBe(401);
        expect((await post(`Bearer ${token.slice(0, -1)}x`, { name: 'housekeeping' })).status).toBe(401);
        expect((await post(`Bearer ${token}`, { name: 'no-such-job' })).status).toBe(404);
        expect((await post(`Bearer ${token}`, { name: 'reminders', at: 'tomorrow' })).status).toBe(400);

        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        // The bot removes its file when it stops.
        expect(existsSync(control)).toBe(false);

        // attacked: a control file naming a process that is gone (or planted) is not obeyed: the CLI opens the
        // database itself, finds the round done, and sends nothing anywhere
        writeFileSync(control, JSON.stringify({ pid: 2 ** 22 + 17, port: 9, token: 'x'.repeat(48) }), { mode: 0o600 });
        const direct = await job(dbUrl, 'run', 'reminders', '--at', at);
        expect(direct.code, direct.stderr).toBe(0);
        expect(direct.stderr).not.toContain('进程');
        expect(JSON.parse(direct.stdout.trim().split('\n').at(-1)!)).toMatchObject({ status: 'already_done' });
      } finally {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        void output;
      }
    },
  );

  it(
    'refused: a bot serving a real Lark app on the embedded database has no door and leaves no control file',
    { timeout: 60_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'zb-handoff-lark-'));
      const dbUrl = join(dir, 'pglite');
      const { child, exited, started, output } = spawnBot({
        DATABASE_URL: dbUrl,
        SCHEDULER: 'off',
        LARK_MODE: 'webhook',
        LARK_APP_ID: 'cli_handoff_test',
        LARK_APP_SECRET: 'secret',
        LARK_ENCRYPT_KEY: 'encrypt-key',
        LARK_VERIFICATION_TOKEN: 'verification-token',
        LARK_DOMAIN: 'http://127.0.0.1:9', // nothing listens: the bot's own calls to Lark fail, which is not the point
      });
      try {
        const port = await started;
        expect(output()).toContain('"emulated":false');
        const res = await fetch(`http://127.0.0.1:${port}${JOB_HANDOFF_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${'x'.repeat(48)}` },
          body: JSON.stringify({ name: 'housekeeping' }),
        });
        expect(res.status).toBe(404);
        expect(existsSync(`${dbUrl}-control.json`)).toBe(false);
        // the same start answers on its other routes: the 404 is the missing door, not a dead server
        expect((await fetch(`http://127.0.0.1:${port}/lark/events`, { method: 'POST', body: '{}' })).status).not.toBe(404);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
