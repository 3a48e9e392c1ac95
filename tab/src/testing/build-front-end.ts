// Each browser-test file builds the front end it drives, so it always tests the current code.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** `env`: VITE_* build settings, e.g. the add-in's app registration. */
export async function buildFrontEnd(
  name: 'tab' | 'addin',
  env: Record<string, string> = {},
): Promise<void> {
  const root = fileURLToPath(new URL(`../../../${name}/`, import.meta.url));
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  // Vite reads VITE_* settings from the environment it builds in
  Object.assign(process.env, env);
  try {
    await build({
      root,
      configFile: `${root}vite.config.ts`,
      mode: 'production',
      logLevel: 'warn',
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
    for (const key of Object.keys(env)) delete process.env[key];
  }
}
