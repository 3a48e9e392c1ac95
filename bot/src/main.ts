// `npm start`: WarmPath in local mode (the tenant simulator stands in for Microsoft 365) or against
// the tenant named by the environment (contracts.md, "Commands").
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@warmpath/shared/config';
import { defaultGenerateOptions, startSimulator } from '@warmpath/sim';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { tenant: { type: 'string', multiple: true } },
    strict: true,
  });
  const config = loadConfig();

  if (config.microsoft) {
    console.log(
      `WarmPath configured for tenant ${config.microsoft.tenantId} at ${config.microsoft.graphBaseUrl}.`,
    );
  } else {
    const simulator = await startSimulator({
      tenantFiles: values.tenant,
      generate: defaultGenerateOptions(),
      port: 0,
    });
    const env = simulator.server.env();
    console.log(`Tenant simulator: ${simulator.server.url}`);
    for (const engine of simulator.engines) {
      console.log(
        `  ${engine.organization.displayName}: ${engine.listUsers().length} users (tenant ${engine.tenantId})`,
      );
    }
    console.log(`  sign in as any user: POST ${env.AUTHORITY_HOST}/_sim/token/user {"upn": "…"}`);
    process.once('SIGINT', () => void simulator.close().then(() => process.exit(0)));
    process.once('SIGTERM', () => void simulator.close().then(() => process.exit(0)));
  }
  // Said plainly until they land, so nobody mistakes this for a working product.
  console.log('Calendar sync into the store: not built yet (issue 3).');
  console.log(
    `Service on http://127.0.0.1:${config.port} (bot, API, tab, add-in): not built yet (issues 5 and 6).`,
  );
  if (config.microsoft) process.exit(0);
  console.log('The simulator keeps running; Ctrl+C stops it.');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
