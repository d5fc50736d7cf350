import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { templates } from '../prompts/index.js';
import { placeholders, t } from '../src/text.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const code = sourceFiles('src')
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');
const keys = Object.keys(templates);

describe('prompts', () => {
  it.each(keys)('%s renders with sample values and leaves no placeholder behind', (key) => {
    const tpl = (templates as Record<string, string>)[key]!;
    const vars = Object.fromEntries(placeholders(tpl).map((n) => [n, `‹${n}›`]));
    const out = t(key as never, vars);
    expect(out).not.toMatch(/\{\{|\}\}/);
    for (const n of Object.keys(vars)) expect(out).toContain(`‹${n}›`);
    expect(out.trim().length).toBeGreaterThan(0);
  });

  it('refuses a missing value and an unused one', () => {
    const key = keys.find((k) => placeholders((templates as Record<string, string>)[k]!).length > 0)!;
    expect(() => t(key as never, {})).toThrow(/missing value/);
    const tpl = (templates as Record<string, string>)[key]!;
    const vars = Object.fromEntries(placeholders(tpl).map((n) => [n, 'x']));
    expect(() => t(key as never, { ...vars, notInTemplate: 1 })).toThrow(/not used/);
  });

  it('every key the code names exists', () => {
    const named = [...code.matchAll(/\bt\(\s*'([a-z_]+\.[a-z0-9_.]+)'/g)].map((m) => m[1]!);
    const missing = [...new Set(named)].filter((k) => !(k in templates));
    expect(missing).toEqual([]);
  });

  it('every template is used by the code (by its key, or by its prefix where keys are built)', () => {
    // A key built at run time (t(`stage.${id}`)) is declared by its literal prefix in the code.
    const dynamicPrefixes = [...code.matchAll(/\bt\(\s*`([a-z_]+\.[a-z0-9_.]*)\$\{/g)].map((m) => m[1]!);
    const unused = keys.filter((k) => !code.includes(`'${k}'`) && !dynamicPrefixes.some((p) => k.startsWith(p)));
    expect(unused).toEqual([]);
  });
});
