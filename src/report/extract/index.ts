/*
 * The one-sentence readers behind one interface: the deterministic rules (the default, no network) and, when
 * configured (LLM_BASE_URL, LLM_MODEL, LLM_API_KEY), a language model whose answer is merged with the rules'
 * reading (./llm.ts).
 */
import { llmExtractor, type LlmExtractorOptions } from './llm.js';
import { extractReport } from './rules.js';
import type { Extractor } from './types.js';

export { extractReport } from './rules.js';
export { llmExtractor, mergeAnswer, askModel, ModelAnswer } from './llm.js';
export type * from './types.js';

/** The rules and dictionaries: works offline, the default. */
export const deterministicExtractor: Extractor = {
  name: 'rules',
  extract: (text, ctx) => Promise.resolve(extractReport(text, ctx)),
};

/** The reader the bot uses: the model merged with the rules when `llm` is configured (config.llm), else the rules. */
export function createExtractor(llm?: LlmExtractorOptions): Extractor {
  return llm ? llmExtractor(llm) : deterministicExtractor;
}
