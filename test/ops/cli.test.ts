/*
 * The commands as an operator runs them (npm run db:backup / db:restore / db:copy → src/cli/db-tools.ts): exit
 * status, one line per table, one line for a refusal. The logic itself is tested in copy/backup.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as s from '../../db/schema.js';
import { migrate, openDb } from '../../src/store/db.js';
import { onPostgres } from '../helpers/db.js';
import { databases, LATEST_TEXT, rowCounts } from './helpers.js';

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/db-tools.ts', ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, out, err }));
  });
}

const dbs = databases();
let dir: string;
let folder: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zb-cli-'));
  folder = join(dir, 'pglite');
  const h = await openDb(folder);
  try {
    await migrate(folder, h);
    await h.db.insert(s.units).values([
      { code: 'LY', name: '辽源市', kind: 'city' },
      { code: 'LY-DF', name: '东丰县', kind: 'county' },
    ]);
    await h.db.insert(s.projects).values({ code: 'P1', name: '风电项目', contractAmountFen: 1_234_567_890_123_45 });
  } finally {
    await h.close();
  }
});
afterAll(async () => {
  await dbs.closeAll();
  await rm(dir, { recursive: true, force: true });
});

// Each command starts Node, tsx and often PGlite: seconds each, more on a busy machine.
describe('db tools on the command line', { timeout: 120_000 }, () => {
  it('backs up DATABASE_URL, restores into a new folder, and refuses to restore over it again', async () => {
    const file = join(dir, 'backup.jsonl.gz');
    const backup = await run(['backup', file], { DATABASE_URL: folder });
    expect(backup.err).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.out).toMatch(/^ {2}units +2 rows {2}checksum [0-9a-f]{16}$/m);
    expect(backup.out).toMatch(/^wrote 3 rows of \d+ tables to .*backup\.jsonl\.gz/m);

    const restored = join(dir, 'restored');
    const restore = await run(['restore', file, '--db', restored]);
    expect(restore.err).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.out).toMatch(/^the target was empty: migrated it first$/m);
    expect(restore.out).toMatch(/^ {2}projects +1 rows/m);
    expect(restore.out).toMatch(/^restored 3 rows in \d+ tables in [\d.]+ s; counts and checksums verified$/m);

    const again = await run(['restore', file, '--db', restored]);
    expect(again.code).toBe(1);
    expect(again.err.trimEnd().split('\n')).toEqual([
      'refused: the target is not empty (units 2, projects 1 rows); nothing was written: add --replace to overwrite it',
    ]);
  });

  it(`copies the folder to ${onPostgres ? 'PostgreSQL' : 'another folder'}`, async () => {
    const target = onPostgres ? (await dbs.postgres({ migrated: false })).url : join(dir, 'copy');
    const copy = await run(['copy', '--from', folder, '--to', target]);
    expect(copy.err).toBe('');
    expect(copy.code).toBe(0);
    expect(copy.out).toMatch(/^copying PGlite .* → (PostgreSQL|PGlite) /m);
    expect(copy.out).toMatch(new RegExp(`^schema ${LATEST_TEXT} on both$`, 'm'));
    expect(copy.out).toMatch(/^copied 3 rows in \d+ tables in [\d.]+ s; counts and checksums verified$/m);
    if (onPostgres) {
      const h = await openDb(target, { max: 1 });
      try {
        expect(await rowCounts(h.db)).toMatchObject({ units: 2, projects: 1 });
      } finally {
        await h.close();
      }
    }
  });

  it('answers wrong usage with the usage (exit 2) and a missing source with one line (exit 1), creating nothing', async () => {
    const usage = await run(['copy', '--from', folder]);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/^db:copy needs --from and --to\nusage: npm run db:copy -- --from/);

    const missing = join(dir, 'nowhere');
    const none = await run(['backup', join(dir, 'x.jsonl.gz'), '--db', missing]);
    expect(none.code).toBe(1);
    expect(none.err).toBe(`refused: no PGlite database in ${missing}\n`);
    const { existsSync } = await import('node:fs');
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(dir, 'x.jsonl.gz'))).toBe(false);
  });
});
