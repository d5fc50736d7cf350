/*
 * The one-sentence readers behind one interface: the deterministic rules (the default, no network) and, when
 * configured, a language model whose answer is merged with the rules' (./llm.ts).
 */
import { extractReport } from './rules.js';
import type { Extractor } from './types.js';

export { extractReport } from './rules.js';
export type * from './types.js';

/** The rules and dictionaries: works offline, the default. */
export const deterministicExtractor: Extractor = {
  name: 'rules',
  extract: (text, ctx) => Promise.resolve(extractReport(text, ctx)),
};
