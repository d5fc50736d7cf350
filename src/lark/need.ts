import { LarkApiError } from './errors.js';

/** A field Lark's answer must carry: its absence is a refusal of a kind (code -1), not a crash later. */
export function need<T>(v: T | undefined | null, what: string, endpoint: string): T {
  if (v === undefined || v === null) throw new LarkApiError(-1, `answer without ${what}`, 200, undefined, endpoint);
  return v;
}
