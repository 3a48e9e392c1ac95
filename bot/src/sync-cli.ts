// `npm run sync -- --once | --track <mail or id>[,…] | --status [--json]` (contracts.md).
import { loadConfig } from '@warmpath/shared/config';
import { defaultGenerateOptions, startSimulator } from '@warmpath/sim';
import { runSyncCommand } from './sync/run-sync-command.js';
import { relaunchTrustingSimulator } from './sync/trust-simulator-certificate.js';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const readsStoreOnly =
    argv.includes('--status') || argv.includes('--help') || argv.includes('-h');
  let localMode = false;
  try {
    localMode = loadConfig().microsoft === null;
  } catch {
    // runSyncCommand reports the configuration problems
  }
  if (localMode && !readsStoreOnly) {
    const code = await relaunchTrustingSimulator();
    if (code !== undefined) return code;
  }
  return runSyncCommand(argv, {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    async startLocalTenant() {
      // the same demo organisation as `npm start`
      const simulator = await startSimulator({ generate: defaultGenerateOptions(), port: 0 });
      return { env: simulator.server.env(), close: () => simulator.close() };
    },
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
