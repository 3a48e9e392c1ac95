// Reads the Agents Toolkit's env files (env/.env.<name> and the git-ignored env/.env.<name>.user).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type EnvValues = Record<string, string>;

/** KEY=VALUE lines; blank lines and # comments skipped; one pair of surrounding quotes removed. */
export function parseEnvFile(text: string): EnvValues {
  const values: EnvValues = {};
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match === null) {
      throw new Error(`line ${index + 1} is not KEY=VALUE: ${JSON.stringify(rawLine)}`);
    }
    const [, key, rawValue] = match as unknown as [string, string, string];
    const quoted = /^(["'])(.*)\1$/.exec(rawValue);
    values[key] = quoted ? (quoted[2] as string) : rawValue;
  }
  return values;
}

/**
 * The values of one environment: env/.env.<name>, then env/.env.<name>.user over it, then the
 * process environment over both (as the Agents Toolkit resolves them).
 */
export function loadEnvironment(
  envFolder: string,
  envName: string,
  processEnv: NodeJS.ProcessEnv = {},
): EnvValues {
  const main = path.join(envFolder, `.env.${envName}`);
  if (!existsSync(main)) {
    throw new Error(`No environment "${envName}": ${main} does not exist`);
  }
  const values: EnvValues = {};
  for (const file of [main, `${main}.user`]) {
    if (!existsSync(file)) continue;
    try {
      Object.assign(values, parseEnvFile(readFileSync(file, 'utf8')));
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
    }
  }
  for (const [key, value] of Object.entries(processEnv)) {
    if (value !== undefined && key in values) values[key] = value;
  }
  return values;
}
