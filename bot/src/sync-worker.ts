// The sync worker behind `npm run worker`: the PostgreSQL job queue wired to the sync core. Any
// number of them can run; no mailbox is ever synced by two at once (shared/src/sync/queue).
import type { MicrosoftTenantConfig } from '@warmpath/shared/config';
import { createGraphClient, type GraphClient } from '@warmpath/shared/graph';
import type { Logger } from '@warmpath/shared/log';
import { refreshTies } from '@warmpath/shared/scoring';
import { openStore, type Store } from '@warmpath/shared/store';
import { refreshTrackedMailboxes, syncTrackedMailbox } from '@warmpath/shared/sync';
import {
  createPgBossQueue,
  type PgBossQueue,
  type PgBossQueueOptions,
  type SyncJobHandlers,
} from '@warmpath/shared/sync/queue';

export interface SyncWorkerOptions {
  /** postgres://… */
  databaseUrl: string;
  microsoft: MicrosoftTenantConfig;
  logger: Logger;
  /** mailbox syncs at once in this process (default 4) */
  concurrency?: number;
  /** store schema (tests); default the connection's search_path */
  storeSchema?: string;
  /** queue settings beyond the connection (tests shorten polling, pick a schema) */
  queue?: Omit<PgBossQueueOptions, 'connectionString' | 'logger'>;
  /** instead of an app-only Graph client for `microsoft` (tests) */
  graph?: GraphClient;
}

export interface SyncWorker {
  readonly queue: PgBossQueue;
  readonly store: Store;
  /** Finishes or releases running jobs, then closes the queue, Graph client and store. */
  stop(): Promise<void>;
}

/** The sync core's functions as queue job handlers. */
export function syncJobHandlers(deps: {
  store: Store;
  graph: GraphClient;
  queue: Pick<PgBossQueue, 'enqueueMailboxSync'>;
  logger: Logger;
}): SyncJobHandlers {
  const { store, graph, queue, logger } = deps;
  return {
    // a mailbox the source refuses comes back as an 'error' outcome, not a throw: the sync core
    // records it with its own back-off (hours for a blocked mailbox), which a queue retry would undercut
    async syncMailbox(tenantId, userId, signal) {
      const outcome = await syncTrackedMailbox({ store, tenantId, userId, graph, signal, logger });
      // scores follow the meetings this mailbox changed; a scoring failure leaves them queued
      try {
        await refreshTies(store, tenantId, { signal });
      } catch (error) {
        if (signal?.aborted) throw error;
        logger.error({ tenantId, err: error }, 'relationship scores not updated; will retry');
      }
      return outcome;
    },
    async expandDirectory(tenantId) {
      const { expansion } = await refreshTrackedMailboxes({ store, tenantId, graph, logger });
      // mailboxes the directory just brought in are synced now rather than at the next round
      for (const userId of expansion.added) {
        await queue.enqueueMailboxSync({ tenantId, userId, reason: 'round' });
      }
      return expansion;
    },
  };
}

export async function startSyncWorker(options: SyncWorkerOptions): Promise<SyncWorker> {
  const { logger } = options;
  const store = await openStore(
    options.databaseUrl,
    options.storeSchema === undefined ? { logger } : { logger, schema: options.storeSchema },
  );
  let graph: GraphClient | undefined;
  let queue: PgBossQueue | undefined;
  try {
    await store.migrate();
    // one tenant per deployment today: every job's tenant is reached through this client
    graph = options.graph ?? createGraphClient({ tenant: options.microsoft, logger });
    queue = await createPgBossQueue({
      ...options.queue,
      connectionString: options.databaseUrl,
      logger,
    });
    await queue.work(syncJobHandlers({ store, graph, queue, logger }), {
      concurrency: options.concurrency,
    });
  } catch (error) {
    await queue?.stop();
    if (options.graph === undefined) await graph?.close();
    await store.close();
    throw error;
  }
  const started = { queue, graph };
  let stopping: Promise<void> | undefined;
  return {
    queue,
    store,
    stop() {
      stopping ??= (async () => {
        await started.queue.stop();
        if (options.graph === undefined) await started.graph.close();
        await store.close();
      })();
      return stopping;
    },
  };
}
