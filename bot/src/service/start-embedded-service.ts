// The service's sync side: the store, the sync job queue, Graph change notifications on the
// service port, and periodic rounds as the backstop. On SQLite the jobs run in process; on
// PostgreSQL they go to the pg-boss queue this process and any `npm run worker` share. Every sync
// goes through the one queue, so a mailbox is never synced twice at once whoever asked.
import type { Config, MicrosoftTenantConfig } from '@warmpath/shared/config';
import type { IntroNotifier } from '@warmpath/shared/intros';
import { createGraphClient } from '@warmpath/shared/graph';
import type { Logger } from '@warmpath/shared/log';
import { listMailboxes, openStore, upsertTenant, type Store } from '@warmpath/shared/store';
import { prepareTargetIndex } from '@warmpath/shared/scoring';
import {
  createGraphTenantDirectory,
  readSyncStatus,
  refreshTrackedMailboxes,
} from '@warmpath/shared/sync';
import { createChangeNotificationService } from '@warmpath/shared/sync/notifications';
import {
  createInProcessQueue,
  createPgBossQueue,
  type InProcessQueue,
  type PgBossQueue,
} from '@warmpath/shared/sync/queue';
import { createServiceServer, type BotHandler } from '../server/create-service-server.js';
import { syncJobHandlers } from '../sync-worker.js';
import { trackDemoGroup } from '../sync/track-demo-group.js';
import { createApiDeps } from './create-api-deps.js';

/** Between backstop rounds: every mailbox gets a delta round even when no notification came. */
export const ROUND_INTERVAL_MS = 10 * 60_000;
/** Between directory refreshes: new group members are picked up, removed ones stop. */
export const DIRECTORY_INTERVAL_MS = 60 * 60_000;

/** How often the first round's progress is read from the store when workers run it. */
const SETTLE_POLL_MS = 500;

export interface EmbeddedServiceOptions {
  config: Config;
  microsoft: MicrosoftTenantConfig;
  logger: Logger;
  /** the simulator's demo organisation: track its customer-facing group on a first run */
  localDemo: boolean;
  say: (line: string) => void;
  /** PostgreSQL only (tests): schemas for the store and for pg-boss's job tables */
  schemas?: { store: string; queue: string };
  /** the Teams bot on /api/messages: `(store, tenantId) => createTeamsBot({ store, … })` */
  bot?: ((store: Store, tenantId: string) => BotHandler & { notifier: IntroNotifier }) | undefined;
  /** local mode: the tenant simulator's URL, which mounts /api/local/users and /api/local/sign-in */
  simulatorUrl?: string | undefined;
}

export interface EmbeddedService {
  tenantId: string;
  /** http://host:port of the service (API, tab, add-in, bot, Graph webhooks) */
  url: string;
  store: Store;
  queue: InProcessQueue | PgBossQueue;
  /** Resolves when the first round is done (in process) or handed to the queue (PostgreSQL). */
  firstRound: Promise<void>;
  stop(): Promise<void>;
}

export async function startEmbeddedService(
  options: EmbeddedServiceOptions,
): Promise<EmbeddedService> {
  const { config, logger, say } = options;
  const store = await openStore(
    config.databaseUrl,
    options.schemas ? { logger, schema: options.schemas.store } : { logger },
  );
  await store.migrate();
  const graph = createGraphClient({ tenant: options.microsoft, logger });
  const directory = createGraphTenantDirectory(graph);
  const organization = await directory.organization();
  const tenantId = organization.tenantId;
  await upsertTenant(store.db, tenantId, {
    displayName: organization.displayName,
    verifiedDomains: organization.verifiedDomains,
  });
  if (options.localDemo) await trackDemoGroup(store, directory, tenantId, say);

  const queue =
    store.dialect === 'postgres'
      ? await createPgBossQueue({
          connectionString: config.databaseUrl,
          logger,
          ...(options.schemas ? { schema: options.schemas.queue } : {}),
        })
      : createInProcessQueue({ logger });
  await queue.work(syncJobHandlers({ store, graph, queue, logger }));
  const notifications = createChangeNotificationService({
    store,
    graphForTenant: (id) => (id === tenantId ? graph : undefined),
    notificationUrl: `${config.publicUrl}/api/graph/notifications`,
    lifecycleUrl: `${config.publicUrl}/api/graph/lifecycle`,
    requestMailboxSync: async (id, userId, reason) => {
      await queue.enqueueMailboxSync({ tenantId: id, userId, reason });
    },
    logger,
  });
  const bot = options.bot?.(store, tenantId);
  const server = await createServiceServer({
    port: config.port,
    logger,
    graphWebhooks: notifications.receiver,
    bot,
    publicUrl: config.publicUrl,
    api: createApiDeps({
      store,
      registrations: [options.microsoft],
      logger,
      queue,
      graphForTenant: (id) => (id === tenantId ? graph : undefined),
      notifier: bot?.notifier,
      local: options.simulatorUrl ? { url: options.simulatorUrl, tenantId } : undefined,
    }),
  });

  // the name index is built now, not by the first question that needs it
  const indexBegan = Date.now();
  prepareTargetIndex(store, tenantId).then(
    () => logger.info({ tenantId, ms: Date.now() - indexBegan }, 'name index ready'),
    (error: unknown) => logger.warn({ tenantId, err: error }, 'name index not built ahead'),
  );

  const enqueueRound = async (withDirectory: boolean): Promise<void> => {
    // the expansion enqueues the mailboxes it adds; the known ones are enqueued here
    if (withDirectory) await queue.enqueueDirectoryExpansion({ tenantId });
    for (const mailbox of await listMailboxes(store.db, tenantId)) {
      if (mailbox.state !== 'removed') {
        await queue.enqueueMailboxSync({ tenantId, userId: mailbox.userId, reason: 'round' });
      }
    }
  };

  const firstRound = (async () => {
    // the first expansion runs here, so the round below knows every mailbox it must wait for
    await refreshTrackedMailboxes({ store, tenantId, directory, logger });
    await enqueueRound(false);
    if (queue.kind === 'pg-boss') {
      say('First sync round queued: this process and every npm run worker take its jobs.');
      await waitUntilSettled();
    } else {
      await queue.whenIdle();
    }
    await reportFirstRound();
    // subscriptions after the first round, so a notification never races the baseline
    await notifications.maintainSubscriptions();
    notifications.start();
  })();
  firstRound.catch((error: unknown) => logger.error({ err: error }, 'first sync round failed'));

  async function waitUntilSettled(): Promise<void> {
    for (;;) {
      const rows = await readSyncStatus(store, tenantId);
      if (rows.every((row) => row.state !== 'pending' && row.state !== 'syncing')) return;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
  }

  async function reportFirstRound(): Promise<void> {
    const rows = await readSyncStatus(store, tenantId);
    const synced = rows.filter((row) => row.state === 'synced');
    const failed = rows.filter((row) => row.state === 'error');
    const events = rows.reduce((sum, row) => sum + row.eventsStored, 0);
    say(
      `First sync round done: ${synced.length} of ${rows.length} mailboxes synced, ${events} meeting copies stored` +
        (failed.length ? `, ${failed.length} with errors (npm run sync -- --status).` : '.'),
    );
  }

  let rounds = 0;
  const timer = setInterval(() => {
    rounds += 1;
    const withDirectory = (rounds * ROUND_INTERVAL_MS) % DIRECTORY_INTERVAL_MS === 0;
    enqueueRound(withDirectory).catch((error: unknown) =>
      logger.error({ tenantId, err: error }, 'could not enqueue a sync round'),
    );
  }, ROUND_INTERVAL_MS);
  timer.unref();

  return {
    tenantId,
    url: server.url,
    store,
    queue,
    firstRound,
    async stop() {
      clearInterval(timer);
      await notifications.stop();
      await server.close();
      await queue.stop();
      await graph.close();
      await store.close();
    },
  };
}
