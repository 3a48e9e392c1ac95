// Graph change notifications: subscriptions per mailbox, the webhook receiver (framework-free),
// the coalescing dispatcher and the polling fallback. See README.md.
export {
  clientStateMatches,
  hashClientState,
  MAX_CLIENT_STATE_LENGTH,
  newClientState,
} from './client-state.js';
export { coalescePerMailbox } from './concurrency.js';
export {
  NotificationDispatcher,
  type MailboxSyncTrigger,
  type NotificationDispatcherOptions,
  type RequestMailboxSync,
} from './dispatcher.js';
export { LIFECYCLE_EVENTS, type LifecycleEvent } from './payloads.js';
export {
  DEFAULT_POLL_INTERVAL_MS,
  listPollingMailboxes,
  PollingFallback,
  type PollingFallbackOptions,
  type PollingMailbox,
  type PollResult,
} from './polling.js';
export {
  DEFAULT_PERSIST_TIMEOUT_MS,
  GraphWebhookReceiver,
  validationResponse,
  type GraphWebhookReceiverOptions,
  type WebhookRequest,
  type WebhookResponse,
} from './receiver.js';
export {
  createChangeNotificationService,
  DEFAULT_SUBSCRIPTION_PASS_INTERVAL_MS,
  type ChangeNotificationService,
  type ChangeNotificationServiceOptions,
} from './service.js';
export {
  DEFAULT_RENEW_WITHIN_MS,
  DEFAULT_SUBSCRIPTION_CONCURRENCY,
  DEFAULT_SUBSCRIPTION_LIFETIME_MINUTES,
  ensureMailboxSubscriptions,
  hasLiveSubscription,
  SUBSCRIPTION_CHANGE_TYPES,
  SubscriptionManager,
  type EnsureMailboxSubscriptionsOptions,
  type EnsureSubscriptionsResult,
  type SubscriptionAction,
  type SubscriptionEndpoints,
  type SubscriptionFailure,
  type SubscriptionManagerOptions,
} from './subscriptions.js';
