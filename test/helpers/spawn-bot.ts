import { spawn } from 'node:child_process';

/**
 * `npm start` as a child process (`node --import tsx src/main.ts`) with the given environment on top of the
 * test's own, its stdout and stderr collected: what the start-up tests share. With `bundle` (a file built by
 * scripts/build.ts), that bundle runs on plain node instead, as `npm run start:prod` runs it: no loader to start
 * and no TypeScript to transform, which is most of a start when a test restarts the bot twenty times.
 */
export function spawnBot(env: Record<string, string>, opts: { bundle?: string } = {}) {
  const args = opts.bundle ? [opts.bundle] : ['--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', CI: '', ...(opts.bundle ? { NODE_OPTIONS: '' } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let onOutput: (() => void) | undefined;
  const keep = (d: Buffer) => {
    out += String(d);
    onOutput?.();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  /** The HTTP port, once the process logs that it started; rejects when it exits first. */
  const started = new Promise<number>((resolve, reject) => {
    // Checked as output arrives (not on a timer): a restart is noticed the moment its line is printed.
    onOutput = () => {
      const m = /"port":(\d+).*zhaoshang-bot started/.exec(out);
      if (m) {
        onOutput = undefined;
        resolve(Number(m[1]));
      }
    };
    void exited.then(() => {
      onOutput = undefined;
      reject(new Error(`exited early:\n${out}`));
    });
  });
  started.catch(() => {}); // a test that never awaits it must not see an unhandled rejection
  return { child, exited, started, output: () => out };
}
