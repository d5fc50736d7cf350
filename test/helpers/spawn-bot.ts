import { spawn } from 'node:child_process';

/**
 * `npm start` as a child process (`node --import tsx src/main.ts`) with the given environment on top of the
 * test's own, its stdout and stderr collected: what the start-up tests share.
 */
export function spawnBot(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', CI: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  /** The HTTP port, once the process logs that it started; rejects when it exits first. */
  const started = new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /"port":(\d+).*zhaoshang-bot started/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(Number(m[1]));
      }
    }, 100);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`exited early:\n${out}`));
    });
  });
  started.catch(() => {}); // a test that never awaits it must not see an unhandled rejection
  return { child, exited, started, output: () => out };
}
