// npm run package [-- --env <name>]: writes manifest/build/appPackage.<name>.zip (default: local).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildAppPackage, REPO_ROOT } from './build-app-package.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { env: { type: 'string', short: 'e', default: 'local' } },
    allowPositionals: false,
  });
  const envName = values.env as string;
  const built = await buildAppPackage({ envName, processEnv: process.env });
  const shown = (file: string) => path.relative(REPO_ROOT, file);
  console.log(
    `app package for "${envName}": ${shown(built.zipPath)} (schema ${String(built.manifest.manifestVersion)}, valid)`,
  );
  console.log(`resolved manifest: ${shown(built.manifestPath)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
