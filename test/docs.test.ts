/**
 * docs/architecture.md describes the modules as they are: a folder of src/ that the document does not name
 * fails here, so a new module cannot arrive without its line in the map.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');

describe('docs/architecture.md', () => {
  const folders = readdirSync(join(root, 'src'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);

  it('has folders to describe', () => {
    expect(folders.length).toBeGreaterThan(5);
  });

  it.each(folders)('names src/%s/', (name) => {
    expect(doc).toContain(`src/${name}/`);
  });

  it('names no folder that does not exist', () => {
    const named = [...doc.matchAll(/`src\/([a-z-]+)\/`/g)].map((m) => m[1]!);
    for (const n of named) expect(folders).toContain(n);
  });
});

describe('README links', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/i.test(l));

  it('has relative links to check', () => {
    expect(links.length).toBeGreaterThan(0);
  });

  it.each(links)('%s resolves inside the repository', (link) => {
    expect(existsSync(join(root, link))).toBe(true);
  });
});
