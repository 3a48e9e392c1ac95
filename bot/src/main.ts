// `npm start`: WarmPath in local mode (the tenant simulator stands in for Microsoft 365) or against
// the tenant the environment names (contracts.md, "Commands").
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type MicrosoftTenantConfig } from '@warmpath/shared/config';
import { createCommandLogger } from '@warmpath/shared/log';
import { defaultGenerateOptions, startSimulator, type RunningSimulator } from '@warmpath/sim';
import { startEmbeddedService } from './service/start-embedded-service.js';
import { relaunchTrustingSimulator } from './sync/trust-simulator-certificate.js';

async function main(): Promise<number | undefined> {
  const { values } = parseArgs({ options: { tenant: { type: 'string', multiple: true } } });
  const config = loadConfig();
  const logger = createCommandLogger('warmpath');

  let simulator: RunningSimulator | undefined;
  let microsoft: MicrosoftTenantConfig | null = config.microsoft;
  if (microsoft === null) {
    const code = await relaunchTrustingSimulator();
    if (code !== undefined) return code;
    simulator = await startSimulator({
      tenantFiles: values.tenant,
      generate: defaultGenerateOptions(),
      port: 0,
    });
    microsoft = loadConfig({ ...process.env, ...simulator.server.env() }).microsoft;
    if (microsoft === null) throw new Error('The tenant simulator gave no tenant configuration.');
    const [engine] = simulator.engines;
    console.log(`Tenant simulator: ${simulator.server.url}`);
    if (engine) {
      const someone = engine.listUsers().find((user) => user.mail && user.accountEnabled !== false);
      console.log(
        `  ${engine.organization.displayName}: ${engine.listUsers().length} users (tenant ${engine.tenantId})`,
      );
      console.log(
        `  sign in as anyone: POST ${simulator.server.url}/_sim/token/user {"upn": "${someone?.userPrincipalName ?? '…'}"}`,
      );
    }
  } else {
    console.log(`Microsoft 365 tenant ${microsoft.tenantId} through ${microsoft.graphBaseUrl}`);
  }

  const service = await startEmbeddedService({
    config,
    microsoft,
    logger,
    localDemo: simulator !== undefined && !values.tenant?.length,
    say: (line) => console.log(line),
  });
  console.log(`Store: ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//…@')}`);
  console.log(`Service: ${service.url} (health: ${service.url}/healthz)`);
  console.log(`  Graph change notifications: ${config.publicUrl}/api/graph/notifications`);
  console.log('Syncing tracked mailboxes… (npm run sync -- --status shows each one)');
  // Said plainly until they land, so nobody mistakes this for the finished product.
  console.log(
    'Not built yet: intro paths (issue 4), Teams bot and REST API (issue 5), tab and add-in (issue 6).',
  );

  const stop = async (): Promise<void> => {
    await service.stop();
    await simulator?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await service.firstRound;
  return undefined;
}

main().then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
