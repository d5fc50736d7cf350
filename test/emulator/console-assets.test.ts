/**
 * The console is served from its own files (src/emulator/console/), read once: the page, and every stylesheet
 * and script module it references, each with its content type; nothing else on disk is reachable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rig, type Rig } from './harness.js';

describe('console files', () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig();
  });
  afterAll(async () => {
    await r.close();
  });

  it('works: serves the page and every module it imports, transitively, with their content types', async () => {
    const page = await fetch(`${r.emuUrl}/emulator`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    const refs = [...html.matchAll(/(?:href|src)="(\/emulator\/console\/[^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toEqual(expect.arrayContaining(['/emulator/console/console.css', '/emulator/console/app.js']));
    const seen = new Set<string>();
    const queue = [...refs];
    while (queue.length) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await fetch(`${r.emuUrl}${path}`);
      expect(res.status, path).toBe(200);
      const body = await res.text();
      if (path.endsWith('.js')) {
        expect(res.headers.get('content-type')).toContain('text/javascript');
        for (const m of body.matchAll(/from '\.\/([\w-]+\.js)'/g)) queue.push(`/emulator/console/${m[1]}`);
      } else {
        expect(res.headers.get('content-type')).toContain('text/css');
      }
    }
    expect([...seen].filter((p) => p.endsWith('.js')).length).toBeGreaterThanOrEqual(6);
  });

  it('refused: a name that is not a console file is a 404', async () => {
    expect((await fetch(`${r.emuUrl}/emulator/console/nope.js`)).status).toBe(404);
  });

  it('attacked: no path outside the console folder is reachable', async () => {
    for (const path of ['/emulator/console/..%2Fstate.ts', '/emulator/console/%2e%2e%2Findex.ts', '/emulator/console/../index.ts']) {
      const res = await fetch(`${r.emuUrl}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('import');
    }
  });
});
