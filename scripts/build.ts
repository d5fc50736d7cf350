/*
 * `npm run build`: the production build. esbuild bundles the Node entry src/main.ts into one ES module so that
 * `npm run start:prod` runs it on plain `node`, without the tsx loader (which alone costs ~100 MB of idle RSS:
 * see the footprint lines in the README's Performance table).
 *
 *   npx tsx scripts/build.ts [--outdir <dir>]     (default dist/)
 *
 * What lands in the output folder:
 *   main.mjs, main.mjs.map        the bundle of our code (src/, db/schema and seed, prompts/); .mjs so that it is
 *                                 an ES module wherever it sits, whatever package.json says
 *   db/migrations/                the committed migrations, read at start-up by drizzle's migrator
 *   src/emulator/console/         the emulator console's static files, when that folder exists
 *
 * Packages stay external (`packages: 'external'`): node resolves them from the node_modules beside or above the
 * output folder, so the build runs from the package root after `npm ci`. That keeps PGlite loading its wasm,
 * data files and extensions from its own package folder, and exceljs's internals reachable through
 * createRequire (src/ledger/xlsx.ts), with nothing copied.
 *
 * Files our sources read at run time are found relative to the source file (`new URL('../../db/migrations',
 * import.meta.url)` in src/store/db.ts). In a bundle every module shares the bundle's import.meta.url, so the
 * plugin below gives each of our modules the URL its source file would have in an output folder that mirrors
 * the repository (src/store/db.ts → <out>/src/store/db.ts), and the assets are copied to the mirrored places.
 * Any file a source finds relative to itself then only needs a copy step here, never a change in the source.
 */
import { build as esbuild, type Plugin } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('..', import.meta.url));
export const ENTRY = 'src/main.ts';
export const BUNDLE = 'main.mjs';

/** Folders copied into the output at the same relative path (skipped when absent). */
export const ASSETS = ['db/migrations', 'src/emulator/console'];

/** Each of our modules gets its own source path as import.meta.url, resolved against the bundle's location. */
function sourceImportMetaUrl(root: string): Plugin {
  return {
    name: 'source-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        const rel = relative(root, args.path);
        if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('node_modules')) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        // The bundle sits at <out>/main.mjs, so a repo-relative path resolves to <out>/<path>.
        const url = `new URL(${JSON.stringify(rel.split(sep).join('/'))}, import.meta.url).href`;
        const loader = args.path.endsWith('.ts') ? 'ts' : 'js';
        return { contents: text.replace(/\bimport\.meta\.url\b/g, url), loader };
      });
    },
  };
}

export interface BuildResult {
  outdir: string;
  bundle: string;
  bytes: number;
  copied: string[];
  ms: number;
}

export interface BuildOptions {
  /** default <repo>/dist; emptied first */
  outdir?: string;
  /** repo-relative entry, default src/main.ts (the footprint bench also bundles its floor server this way) */
  entry?: string;
  /** the bundle's file name in outdir, default main.mjs */
  name?: string;
}

export async function buildDist(opts: BuildOptions = {}): Promise<BuildResult> {
  const t0 = performance.now();
  const out = resolve(opts.outdir ?? join(REPO, 'dist'));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const bundle = join(out, opts.name ?? BUNDLE);
  const r = await esbuild({
    absWorkingDir: REPO,
    entryPoints: [join(REPO, opts.entry ?? ENTRY)],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // package.json's engines floor; plain 'node20' means 20.0, which lacks import attributes, and esbuild would
    // then drop the `with { type: 'json' }` that node needs for chinese-days' JSON (src/domain/calendar.ts).
    target: 'node20.19',
    packages: 'external',
    sourcemap: true,
    // The map points at the sources in the repository instead of carrying them: a smaller map for
    // --enable-source-maps to load, and stack traces still name src/… lines.
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [sourceImportMetaUrl(REPO)],
  });
  if (r.errors.length > 0) throw new Error(`esbuild failed with ${r.errors.length} error(s)`);
  const copied: string[] = [];
  for (const dir of ASSETS) {
    const from = join(REPO, dir);
    if (!existsSync(from)) continue;
    cpSync(from, join(out, dir), { recursive: true });
    copied.push(dir);
  }
  return { outdir: out, bundle, bytes: statSync(bundle).size, copied, ms: performance.now() - t0 };
}

/** `npm run start:prod`'s node flags: package.json is the one place they are written (the test and the bench read them). */
export function startProdFlags(): string[] {
  const script = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[
    'start:prod'
  ];
  const words = (script ?? '').split(/\s+/).filter(Boolean);
  if (words[0] !== 'node' || words.at(-1) !== `dist/${BUNDLE}`)
    throw new Error(`start:prod should be \`node [flags] dist/${BUNDLE}\`, not: ${script}`);
  return words.slice(1, -1);
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--outdir');
  if (i >= 0 && !args[i + 1]) {
    console.error('usage: tsx scripts/build.ts [--outdir <dir>]');
    process.exit(2);
  }
  const res = await buildDist({ outdir: i >= 0 ? args[i + 1] : undefined });
  const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
  console.log(
    `built zhaoshang-bot ${version}: ${relative(process.cwd(), res.bundle) || res.bundle} (${(res.bytes / 1024).toFixed(0)} KiB)` +
      `${res.copied.length ? `, copied ${res.copied.join(', ')}` : ''} in ${res.ms.toFixed(0)} ms`,
  );
}
