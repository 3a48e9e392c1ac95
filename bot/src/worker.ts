// `npm run worker [-- --concurrency N]`: a sync worker on the PostgreSQL job queue. Run as many as
// the load needs; no mailbox is ever synced by two of them at once (shared/src/sync/queue).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@warmpath/shared/config';
import { createLogger } from '@warmpath/shared/log';
import { redactDatabaseUrl } from '@warmpath/shared/store';
import { DEFAULT_CONCURRENCY, DEFAULT_STOP_TIMEOUT_SECONDS } from '@warmpath/shared/sync/queue';
import { startSyncWorker } from './sync-worker.js';

/** Exit code for a worker that cannot run as configured. */
const EXIT_MISCONFIGURED = 2;
/** After SIGTERM: running jobs get the queue's stop timeout, then this long to let go. */
const SHUTDOWN_GRACE_MS = (DEFAULT_STOP_TIMEOUT_SECONDS + 30) * 1000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { concurrency: { type: 'string', default: String(DEFAULT_CONCURRENCY) } },
    strict: true,
  });
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    console.error(
      `--concurrency must be a whole number of at least 1 (got "${values.concurrency}")`,
    );
    process.exit(EXIT_MISCONFIGURED);
  }
  const config = loadConfig();
  if (!/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    console.error(
      'npm run worker needs DATABASE_URL=postgres://…; the embedded SQLite mode syncs in process.',
    );
    process.exit(EXIT_MISCONFIGURED);
  }
  if (config.microsoft === null) {
    console.error(
      'npm run worker syncs from Microsoft Graph: set TENANT_ID, CLIENT_ID and CLIENT_SECRET ' +
        '(and GRAPH_BASE_URL and AUTHORITY_HOST for the tenant simulator).',
    );
    process.exit(EXIT_MISCONFIGURED);
  }

  const logger = createLogger({ name: 'worker', level: config.logLevel });
  const worker = await startSyncWorker({
    databaseUrl: config.databaseUrl,
    microsoft: config.microsoft,
    logger,
    concurrency,
  });
  logger.info(
    {
      concurrency,
      database: redactDatabaseUrl(config.databaseUrl),
      jobSchema: worker.queue.schema,
    },
    'sync worker started',
  );

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting for running jobs');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'sync worker stopping: finishing or releasing running jobs');
    // a handler that ignores its abort signal must not keep the process alive forever
    setTimeout(() => {
      logger.error({}, 'sync worker did not stop in time; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    worker.stop().then(
      () => {
        logger.info({}, 'sync worker stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'sync worker failed while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
