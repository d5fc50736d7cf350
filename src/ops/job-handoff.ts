/**
 * `npm run job` beside a running `npm start` on the embedded database. PGlite belongs to one process at a time, so
 * the CLI cannot open the folder the bot holds; instead the bot, while it runs, leaves a control file beside the
 * database (its pid, port and a random token, readable by its user only) and takes `POST /ops/jobs/run` with that
 * token. The CLI finds the file, checks the process lives, and hands the job over: the running bot runs it on its
 * own database, as of `--at`, and its sender delivers the cards at once, so the console shows them without a
 * restart. On PostgreSQL the CLI runs the job itself (the database takes both processes); nothing here is used.
 * Only the emulator's bot (no LARK_APP_ID) opens the door: a bot serving a real Lark app registers no such route.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Hono } from 'hono';
import { z } from 'zod';
import { FixedClock } from '../clock.js';
import type { Deps } from '../context.js';
import { jobByName } from '../jobs/index.js';
import { runJob, type RunOutcome } from '../jobs/runner.js';
import { isPostgresUrl } from '../store/db.js';

export const JOB_HANDOFF_PATH = '/ops/jobs/run';

const controlSchema = z.object({ pid: z.number().int().positive(), port: z.number().int().positive(), token: z.string().min(32) });
export type JobControl = z.infer<typeof controlSchema>;

const requestSchema = z.object({
  name: z.string().min(1).max(60),
  at: z.iso.datetime({ offset: true }).optional(),
});

/** The control file for an embedded database folder (./data/pglite → ./data/pglite-control.json); none otherwise. */
export function controlFileFor(databaseUrl: string): string | undefined {
  if (isPostgresUrl(databaseUrl) || databaseUrl.startsWith('memory://')) return undefined;
  return `${databaseUrl.replace(/^file:\/\//, '').replace(/\/+$/, '')}-control.json`;
}

/**
 * The running bot's side: `register` adds the route to the app (the runtime's deps are read at each request, as
 * they exist only once the runtime is built); `open` writes the control file once the bot serves; `close` removes it.
 */
export function jobHandoff(opts: { file: string; port: number; deps: () => Deps }) {
  const token = randomBytes(24).toString('hex');
  const want = Buffer.from(`Bearer ${token}`);
  return {
    register(app: Hono): void {
      app.post(JOB_HANDOFF_PATH, async (c) => {
        const got = Buffer.from(c.req.header('authorization') ?? '');
        if (got.length !== want.length || !timingSafeEqual(got, want)) return c.json({ error: 'unauthorized' }, 401);
        const parsed = requestSchema.safeParse(await c.req.json().catch(() => undefined));
        if (!parsed.success) return c.json({ error: 'bad request' }, 400);
        const job = jobByName(parsed.data.name);
        if (!job) return c.json({ error: 'unknown job' }, 404);
        const base = opts.deps();
        const at = parsed.data.at ? new Date(parsed.data.at) : base.clock.now();
        // As the CLI does: the run reads the clock as --at (claims, stamps); the sender keeps the real time.
        const deps: Deps = parsed.data.at ? { ...base, clock: new FixedClock(at) } : base;
        return c.json(await runJob(deps, job, at));
      });
    },
    open(): void {
      const control: JobControl = { pid: process.pid, port: opts.port, token };
      writeFileSync(opts.file, JSON.stringify(control), { mode: 0o600 });
    },
    close(): void {
      // only our own file: a second bot started on the same folder by mistake must not remove the first one's
      if (readControl(opts.file)?.token === token) rmSync(opts.file, { force: true });
    },
  };
}

function readControl(file: string): JobControl | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = controlSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The CLI's side: the running bot holding this embedded database, if any (a control file whose process lives).
 * A file left by a bot that died is ignored.
 */
export function runningBot(databaseUrl: string): JobControl | undefined {
  const file = controlFileFor(databaseUrl);
  const control = file ? readControl(file) : undefined;
  return control && control.pid !== process.pid && alive(control.pid) ? control : undefined;
}

/** Hands one job to the running bot and returns its outcome. */
export async function handOffJob(control: JobControl, name: string, at: Date | undefined): Promise<RunOutcome> {
  const res = await fetch(`http://127.0.0.1:${control.port}${JOB_HANDOFF_PATH}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, ...(at ? { at: at.toISOString() } : {}) }),
  });
  if (!res.ok) throw new Error(`the running bot answered HTTP ${res.status}`);
  return (await res.json()) as RunOutcome;
}
