/**
 * The console's files (src/emulator/console/), read from disk once per process and served as they are: no
 * build step. The emulator runs on Node only (`npm start`, tests); the Workers bundle never includes it.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface Asset {
  body: string;
  type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

const DIR = new URL('./console/', import.meta.url);

let cache: Map<string, Asset> | undefined;

/** name → contents and content type, for every .html/.css/.js file of the console */
export function consoleAssets(): Map<string, Asset> {
  if (cache) return cache;
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(DIR)) {
    const type = TYPES[name.slice(name.lastIndexOf('.'))];
    if (type) assets.set(name, { body: readFileSync(new URL(name, DIR), 'utf8'), type });
  }
  if (!assets.has('index.html')) throw new Error(`emulator console: no index.html in ${DIR.pathname}`);
  cache = assets;
  return assets;
}
