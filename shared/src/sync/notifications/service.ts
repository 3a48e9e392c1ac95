// Change notifications assembled: subscriptions kept up per mailbox, the webhook receiver, the
// coalescing dispatcher and the polling fallback, all feeding one requestMailboxSync.
import type { GraphClient } from '../../graph/index.js';
import type { Logger } from '../../log/index.js';
import { listTenants, type Store } from '../../store/index.js';
import { coalescePerMailbox, describeError } from './concurrency.js';
import {
  NotificationDispatcher,
  type NotificationDispatcherOptions,
  type RequestMailboxSync,
} from './dispatcher.js';
import { PollingFallback, type PollingFallbackOptions, type PollingMailbox } from './polling.js';
import { GraphWebhookReceiver, type GraphWebhookReceiverOptions } from './receiver.js';
import {
  SubscriptionManager,
  type EnsureSubscriptionsResult,
  type SubscriptionEndpoints,
  type SubscriptionManagerOptions,
} from './subscriptions.js';

/** Subscriptions are checked this often; renewal itself happens within DEFAULT_RENEW_WITHIN_MS. */
export const DEFAULT_SUBSCRIPTION_PASS_INTERVAL_MS = 30 * 60_000;

export interface ChangeNotificationServiceOptions extends SubscriptionEndpoints {
  store: Pick<Store, 'db'>;
  graphForTenant: (tenantId: string) => GraphClient | undefined;
  /** one delta round of one mailbox (the sync core's syncMailbox, wired by the caller) */
  requestMailboxSync: RequestMailboxSync;
  /** tenants served; default every tenant in the store */
  tenantIds?: () => Promise<string[]>;
  subscriptionPassIntervalMs?: number;
  subscriptionOptions?: Pick<
    SubscriptionManagerOptions,
    'lifetimeMinutes' | 'renewWithinMs' | 'concurrency'
  >;
  dispatcherOptions?: Pick<
    NotificationDispatcherOptions,
    | 'maxConcurrentRounds'
    | 'sweepIntervalMs'
    | 'retryDelayMs'
    | 'maxRetryDelayMs'
    | 'keepProcessedMs'
  >;
  pollingOptions?: Pick<PollingFallbackOptions, 'intervalMs' | 'concurrency'>;
  receiverOptions?: Pick<GraphWebhookReceiverOptions, 'persistTimeoutMs'>;
  clock?: () => number;
  logger?: Logger;
}

export interface ChangeNotificationService {
  /** hand to registerGraphNotificationRoutes */
  readonly receiver: GraphWebhookReceiver;
  readonly subscriptions: SubscriptionManager;
  readonly dispatcher: NotificationDispatcher;
  readonly polling: PollingFallback;
  /** Starts the timers; the notification endpoints must already be reachable (Graph validates them). */
  start(): void;
  stop(): Promise<void>;
  /** One subscription pass over every tenant now. */
  maintainSubscriptions(): Promise<Map<string, EnsureSubscriptionsResult>>;
  /** Mailboxes of a tenant without a live subscription, kept fresh by polling. */
  pollingMailboxes(tenantId: string): Promise<PollingMailbox[]>;
}

export function createChangeNotificationService(
  options: ChangeNotificationServiceOptions,
): ChangeNotificationService {
  const { store, clock, logger } = options;
  const tenantIds =
    options.tenantIds ??
    (async () => (await listTenants(store.db)).map((tenant) => tenant.tenantId));
  // notifications and polling may ask for the same mailbox at once: one round at a time, coalesced
  const requestMailboxSync = coalescePerMailbox(options.requestMailboxSync);
  const dispatcher = new NotificationDispatcher({
    ...options.dispatcherOptions,
    store,
    requestMailboxSync,
    tenantIds,
    clock,
    logger,
  });
  const subscriptions = new SubscriptionManager({
    ...options.subscriptionOptions,
    store,
    graphForTenant: options.graphForTenant,
    endpoints: { notificationUrl: options.notificationUrl, lifecycleUrl: options.lifecycleUrl },
    // rounds for mailboxes whose subscription Graph no longer had
    onEnqueued: (tenantId) => dispatcher.wake(tenantId),
    clock,
    logger,
  });
  const receiver = new GraphWebhookReceiver({
    ...options.receiverOptions,
    store,
    subscriptions,
    onEnqueued: (tenantId) => dispatcher.wake(tenantId),
    clock,
    logger,
  });
  const polling = new PollingFallback({
    ...options.pollingOptions,
    store,
    requestMailboxSync,
    tenantIds,
    subscriptions,
    clock,
    logger,
  });

  let passTimer: NodeJS.Timeout | undefined;
  let currentPass: Promise<Map<string, EnsureSubscriptionsResult>> | undefined;
  let started = false;
  let stopped = false;

  const maintainSubscriptions = (): Promise<Map<string, EnsureSubscriptionsResult>> => {
    currentPass ??= (async () => {
      const results = new Map<string, EnsureSubscriptionsResult>();
      for (const tenantId of await tenantIds()) {
        try {
          results.set(tenantId, await subscriptions.ensureTenant(tenantId));
        } catch (error) {
          logger?.error(
            { tenantId, error: describeError(error) },
            'subscription pass failed for the tenant; its mailboxes are polled',
          );
        }
      }
      return results;
    })().finally(() => {
      currentPass = undefined;
    });
    return currentPass;
  };

  return {
    receiver,
    subscriptions,
    dispatcher,
    polling,
    maintainSubscriptions,
    pollingMailboxes: (tenantId) => polling.pollingMailboxes(tenantId),
    start() {
      if (stopped || started) return;
      started = true;
      dispatcher.start();
      polling.start();
      const pass = (): void => {
        void maintainSubscriptions()
          .catch((error: unknown) => {
            logger?.error({ error: describeError(error) }, 'subscription pass failed');
          })
          .finally(() => {
            if (stopped) return;
            passTimer = setTimeout(
              pass,
              options.subscriptionPassIntervalMs ?? DEFAULT_SUBSCRIPTION_PASS_INTERVAL_MS,
            );
            passTimer.unref();
          });
      };
      pass();
    },
    async stop() {
      stopped = true;
      clearTimeout(passTimer);
      await Promise.allSettled([currentPass]);
      await receiver.whenIdle();
      await Promise.all([dispatcher.stop(), polling.stop()]);
    },
  };
}
