// `npm start`: WarmPath in local mode (the tenant simulator stands in for Microsoft 365) or against
// the tenant the environment names (contracts.md, "Commands").
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type MicrosoftTenantConfig } from '@warmpath/shared/config';
import { createCommandLogger } from '@warmpath/shared/log';
import { defaultGenerateOptions, startSimulator, type RunningSimulator } from '@warmpath/sim';
import { buildMissingFrontEnds } from './service/build-front-ends.js';
import { startEmbeddedService } from './service/start-embedded-service.js';
import { createTeamsBot } from './teams/index.js';
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

  buildMissingFrontEnds({ say: (line) => console.log(line) });
  const service = await startEmbeddedService({
    config,
    microsoft,
    logger,
    localDemo: simulator !== undefined && !values.tenant?.length,
    say: (line) => console.log(line),
    bot: (store, tenantId) =>
      createTeamsBot({
        store,
        config: config.bot,
        logger,
        localTenantId: simulator ? tenantId : undefined,
      }),
    simulatorUrl: simulator?.server.url,
  });
  console.log(`Store: ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//…@')}`);
  console.log(
    `Service: ${service.url} (health: ${service.url}/healthz, ready: ${service.url}/readyz)`,
  );
  console.log(`  REST API: ${service.url}/api/… (OpenAPI: ${service.url}/api/openapi.json)`);
  console.log(`  Teams bot endpoint: ${service.url}/api/messages`);
  console.log(`  Graph change notifications: ${config.publicUrl}/api/graph/notifications`);
  if (simulator) {
    console.log(
      `Open the Teams tab in a browser: ${service.url}/tab/ — pick a simulated user under "local sign-in (simulator)"`,
    );
    console.log(`  the Outlook add-in's pane the same way: ${service.url}/addin/`);
  } else {
    console.log(`Teams tab: ${config.publicUrl}/tab/ · Outlook add-in: ${config.publicUrl}/addin/`);
  }
  console.log('Syncing tracked mailboxes… (npm run sync -- --status shows each one)');

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
