import common from './common.js';
import domain from './domain.js';

/** Every template, keyed `area.name`. Add a new area file here. */
export const templates = {
  ...common,
  ...domain,
} as const;

export type TemplateKey = keyof typeof templates;
