import { templates, type TemplateKey } from '../prompts/index.js';

type Vars = Record<string, string | number>;

const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g;

/** The placeholders a template uses, in order of first appearance. */
export function placeholders(template: string): string[] {
  const seen = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) seen.add(m[1]!);
  return [...seen];
}

/**
 * Renders a template from prompts/. Strict both ways: a placeholder without a value throws, and so does a value
 * the template never uses (it usually means the caller and the text disagree about what is shown).
 */
export function t(key: TemplateKey, vars: Vars = {}): string {
  const template: string | undefined = (templates as Record<string, string>)[key];
  if (template === undefined) throw new Error(`unknown template ${key}`);
  const used = placeholders(template);
  for (const name of used) {
    if (!(name in vars)) throw new Error(`template ${key}: missing value for {{${name}}}`);
  }
  for (const name of Object.keys(vars)) {
    if (!used.includes(name)) throw new Error(`template ${key}: value ${name} is not used`);
  }
  return template.replace(PLACEHOLDER, (_, name: string) => String(vars[name]));
}
