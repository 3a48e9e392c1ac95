// ${{VAR}} placeholders as the Agents Toolkit writes them in manifests and teamsapp.yml.
import type { EnvValues } from './env-file.js';

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Every placeholder name in the text, once each, in order of first use. */
export function placeholderNames(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string))];
}

export class MissingPlaceholderError extends Error {
  constructor(
    readonly missing: string[],
    where: string,
  ) {
    super(
      `${where} needs ${missing.join(', ')}: set ${missing.length === 1 ? 'it' : 'them'} in the env file (or run the Agents Toolkit's provision, which writes the generated ids)`,
    );
    this.name = 'MissingPlaceholderError';
  }
}

/**
 * Replaces every ${{VAR}}; a name without a non-empty value fails, naming all such names.
 * `escape` encodes a value for its surroundings (inside a JSON string, see jsonStringContent).
 */
export function resolvePlaceholders(
  text: string,
  values: EnvValues,
  where: string,
  escape: (value: string) => string = (value) => value,
): string {
  const missing = placeholderNames(text).filter((name) => !values[name]);
  if (missing.length > 0) throw new MissingPlaceholderError(missing, where);
  return text.replace(PLACEHOLDER, (_, name: string) => escape(values[name] as string));
}

/** A value as it must appear between the quotes of a JSON string. */
export const jsonStringContent = (value: string): string => JSON.stringify(value).slice(1, -1);
