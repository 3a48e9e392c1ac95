// Embedded mode (one machine): the store, sync jobs in process, Graph change notifications on the
// service port, and periodic rounds as the backstop. Every sync goes through the one queue, so a
// mailbox is never synced twice at once whoever asked (notification, poll or round).
import type { Config, MicrosoftTenantConfig } from '@warmpath/shared/config';
import { createGraphClient } from '@warmpath/shared/graph';
import type { Logger } from '@warmpath/shared/log';
import { listMailboxes, openStore, upsertTenant, type Store } from '@warmpath/shared/store';
import { createGraphTenantDirectory, readSyncStatus } from '@warmpath/shared/sync';
import { createChangeNotificationService } from '@warmpath/shared/sync/notifications';
import { createInProcessQueue, type InProcessQueue } from '@warmpath/shared/sync/queue';
import { createNotificationServer } from '../server/create-notification-server.js';
import { syncJobHandlers } from '../sync-worker.js';
import { trackDemoGroup } from '../sync/track-demo-group.js';

/** Between backstop rounds: every mailbox gets a delta round even when no notification came. */
export const ROUND_INTERVAL_MS = 10 * 60_000;
/** Between directory refreshes: new group members are picked up, removed ones stop. */
export const DIRECTORY_INTERVAL_MS = 60 * 60_000;

export interface EmbeddedServiceOptions {
  config: Config;
  microsoft: MicrosoftTenantConfig;
  logger: Logger;
  /** the simulator's demo organisation: track its customer-facing group on a first run */
  localDemo: boolean;
  say: (line: string) => void;
}

export interface EmbeddedService {
  tenantId: string;
  url: string;
  store: Store;
  queue: InProcessQueue;
  /** Resolves when the first round over every tracked mailbox has finished. */
  firstRound: Promise<void>;
  stop(): Promise<void>;
}

export async function startEmbeddedService(
  options: EmbeddedServiceOptions,
): Promise<EmbeddedService> {
  const { config, logger, say } = options;
  const store = await openStore(config.databaseUrl, { logger });
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

  const queue = createInProcessQueue({ logger });
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
  const server = await createNotificationServer({
    port: config.port,
    receiver: notifications.receiver,
    logger,
  });

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
    await enqueueRound(true);
    await queue.whenIdle();
    const rows = await readSyncStatus(store, tenantId);
    const synced = rows.filter((row) => row.state === 'synced');
    const failed = rows.filter((row) => row.state === 'error');
    const events = rows.reduce((sum, row) => sum + row.eventsStored, 0);
    say(
      `First sync round done: ${synced.length} of ${rows.length} mailboxes synced, ${events} meeting copies stored` +
        (failed.length ? `, ${failed.length} with errors (npm run sync -- --status).` : '.'),
    );
    // subscriptions after the first round, so a notification never races the baseline
    await notifications.maintainSubscriptions();
    notifications.start();
  })();
  firstRound.catch((error: unknown) => logger.error({ err: error }, 'first sync round failed'));

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
