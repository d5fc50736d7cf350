/**
 * Builds the worker the way `wrangler deploy` would (`--dry-run`, no account needed) and checks that Node-only
 * code stayed out: PGlite, node-cron, the SDK's WSClient, our WS transport, the emulator, the file system.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, WRANGLER, WRANGLER_ENV } from './harness.js';

describe('the worker bundle', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'zb-worker-bundle-'));
  let code = '';
  let dryRunOutput = '';

  beforeAll(() => {
    const r = spawnSync(process.execPath, [WRANGLER, 'deploy', '--dry-run', '--outdir', outdir], {
      cwd: REPO,
      env: { ...process.env, ...WRANGLER_ENV, WRANGLER_LOG_PATH: join(outdir, 'logs') },
      encoding: 'utf8',
      timeout: 120_000,
    });
    dryRunOutput = `${r.stdout}\n${r.stderr}`;
    if (r.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${dryRunOutput}`);
    code = readFileSync(join(outdir, 'worker.js'), 'utf8');
  }, 120_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('builds, and stays within the Workers size limit (3 MB compressed on Free)', () => {
    const raw = statSync(join(outdir, 'worker.js')).size;
    const gzip = gzipSync(code).length;
    console.log(`worker bundle: ${(raw / 1024).toFixed(0)} KiB, ${(gzip / 1024).toFixed(0)} KiB gzipped`);
    expect(dryRunOutput).toMatch(/Total Upload: [\d.]+ KiB \/ gzip: [\d.]+ KiB/);
    expect(gzip).toBeLessThan(3 * 1024 * 1024);
  });

  it('carries none of the Node-only code', () => {
    // esbuild marks each bundled module with a `// path` comment; module names catch what a comment would not.
    const forbidden: [string, RegExp][] = [
      ['PGlite', /@electric-sql\/pglite|\bPGlite\b/],
      ['node-cron', /node_modules\/node-cron\/|\bnode-cron\b/],
      ['the SDK WSClient', /\bWSClient\b/],
      ['our WS transport', /^\/\/ src\/lark\/ws\.ts$/m],
      ['the emulator', /^\/\/ src\/emulator\//m],
      ['the Node entry', /^\/\/ src\/main\.ts$/m],
      ['the Node database module', /^\/\/ src\/store\/db\.ts$/m],
      ['prom-client (metrics are Node only)', /node_modules\/prom-client\/|^\/\/ src\/ops\/prometheus\.ts$/m],
    ];
    const found = forbidden.filter(([, re]) => re.test(code)).map(([what]) => what);
    expect(found).toEqual([]);
  });

  it('has none of our modules that use the file system', () => {
    // The Lark SDK imports `fs` itself (nodejs_compat provides it; it is why wrangler.toml defines __dirname);
    // our own code in the bundle must not touch files.
    const ours = [...code.matchAll(/^\/\/ ((?:src|db|prompts)\/[\w/.-]+\.ts)$/gm)].map((m) => m[1]!);
    expect(ours.length).toBeGreaterThan(20);
    const usingFs = [...new Set(ours)].filter((f) =>
      /from ['"](node:)?fs(\/promises)?['"]|import\(['"](node:)?fs/.test(readFileSync(join(REPO, f), 'utf8')),
    );
    expect(usingFs).toEqual([]);
  });

  it('takes no session advisory lock (Hyperdrive pools in transaction mode)', () => {
    expect(code).not.toMatch(/pg_advisory_lock|pg_try_advisory_lock\b/);
  });

  it('is the worker entry with the shared app', () => {
    expect(code).toMatch(/^\/\/ src\/worker\.ts$/m);
    expect(code).toMatch(/^\/\/ src\/runtime\.ts$/m);
    expect(code).toMatch(/^\/\/ src\/store\/db-core\.ts$/m);
  });
});
