// The WarmPath service in its own process for the API benchmark, as `npm start` runs it (store,
// first sync round of the demo's tracked group, REST API): prints SERVICE_URL, TENANT_ID and
// DATABASE_URL once the first round is done, then serves until SIGTERM.
import { loadConfig } from '@warmpath/shared/config';
import { createLogger } from '@warmpath/shared/log';
import { startEmbeddedService } from '../bot/src/service/start-embedded-service.js';

const config = loadConfig();
if (!config.microsoft)
  throw new Error('bench/api-service-child.ts needs the simulator environment');
const service = await startEmbeddedService({
  config,
  microsoft: config.microsoft,
  logger: createLogger({ name: 'bench-service', level: 'warn', stderr: true }),
  localDemo: true,
  say: () => undefined,
});
await service.firstRound;
console.log(`SERVICE_URL=${service.url}`);
console.log(`TENANT_ID=${service.tenantId}`);
process.once('SIGTERM', () => {
  service.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
