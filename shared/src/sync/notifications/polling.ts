// The polling fallback: a mailbox without a live subscription (creation failed, e.g. Graph could
// not reach the notification URL; Graph removed it; it expired) gets a delta round on an interval
// through the same requestMailboxSync, until a subscription pass gives it one again.
import type { Logger } from '../../log/index.js';
import { listMailboxes, listTenants, type Mailbox, type Store } from '../../store/index.js';
import { describeError, forEachWithConcurrency } from './concurrency.js';
import type { RequestMailboxSync } from './dispatcher.js';
import {
  hasLiveSubscription,
  type SubscriptionFailure,
  type SubscriptionManager,
} from './subscriptions.js';

/** Graph's own guidance is a backstop poll; five minutes keeps a mailbox without webhooks fresh. */
export const DEFAULT_POLL_INTERVAL_MS = 5 * 60_000;

/** A mailbox kept fresh by polling, and why. */
export interface PollingMailbox {
  userId: string;
  userPrincipalName: string;
  reason: 'noSubscription' | 'subscriptionExpired';
  /** the last failure to subscribe it, when this process saw one */
  lastFailure: SubscriptionFailure | undefined;
}

/** Mailboxes of a tenant in polling mode: synced (not removed) and without a live subscription. */
export async function listPollingMailboxes(
  store: Pick<Store, 'db'>,
  tenantId: string,
  options: { now?: number; subscriptions?: SubscriptionManager } = {},
): Promise<PollingMailbox[]> {
  const now = options.now ?? Date.now();
  const mailboxes = await listMailboxes(store.db, tenantId);
  return mailboxes
    .filter((mailbox) => mailbox.state !== 'removed' && !hasLiveSubscription(mailbox, now))
    .map((mailbox) => ({
      userId: mailbox.userId,
      userPrincipalName: mailbox.userPrincipalName,
      reason: mailbox.subscriptionId === null ? 'noSubscription' : 'subscriptionExpired',
      lastFailure: options.subscriptions?.lastFailure(tenantId, mailbox.userId),
    }));
}

export interface PollingFallbackOptions {
  store: Pick<Store, 'db'>;
  requestMailboxSync: RequestMailboxSync;
  /** tenants to poll; default every tenant in the store */
  tenantIds?: () => Promise<string[]>;
  intervalMs?: number;
  /** rounds at once; default 4 */
  concurrency?: number;
  /** adds the last subscription failure to listed mailboxes */
  subscriptions?: SubscriptionManager;
  clock?: () => number;
  logger?: Logger;
}

export interface PollResult {
  polled: Array<{ tenantId: string; userId: string }>;
  failed: Array<{ tenantId: string; userId: string; message: string }>;
}

export class PollingFallback {
  readonly #options: PollingFallbackOptions;
  readonly #clock: () => number;
  #timer: NodeJS.Timeout | undefined;
  #current: Promise<PollResult> | undefined;
  #stopped = false;

  constructor(options: PollingFallbackOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  /** Which mailboxes of the tenant are in polling mode right now. */
  pollingMailboxes(tenantId: string): Promise<PollingMailbox[]> {
    return listPollingMailboxes(this.#options.store, tenantId, {
      now: this.#clock(),
      subscriptions: this.#options.subscriptions,
    });
  }

  /** Polls every due mailbox now: one delta round each. Never throws. */
  pollOnce(): Promise<PollResult> {
    // one poll at a time: a slow one is not overtaken by the next tick
    this.#current ??= this.#poll().finally(() => {
      this.#current = undefined;
    });
    return this.#current;
  }

  /** Polls every intervalMs, the first time one interval from now. */
  start(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    const tick = (): void => {
      void this.pollOnce().finally(() => {
        if (this.#stopped) return;
        this.#timer = setTimeout(tick, this.#options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS);
        this.#timer.unref();
      });
    };
    this.#timer = setTimeout(tick, this.#options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#current;
  }

  async #poll(): Promise<PollResult> {
    const result: PollResult = { polled: [], failed: [] };
    let tenantIds: string[];
    try {
      tenantIds = await (this.#options.tenantIds?.() ??
        listTenants(this.#options.store.db).then((tenants) => tenants.map((t) => t.tenantId)));
    } catch (error) {
      this.#options.logger?.error({ error: describeError(error) }, 'polling fallback failed');
      return result;
    }
    for (const tenantId of tenantIds) {
      let due: Mailbox[];
      try {
        due = await this.#dueMailboxes(tenantId);
      } catch (error) {
        this.#options.logger?.error(
          { tenantId, error: describeError(error) },
          'polling fallback could not list mailboxes',
        );
        continue;
      }
      await forEachWithConcurrency(due, this.#options.concurrency ?? 4, async ({ userId }) => {
        try {
          await this.#options.requestMailboxSync(tenantId, userId, 'poll');
          result.polled.push({ tenantId, userId });
        } catch (error) {
          const { message } = describeError(error);
          result.failed.push({ tenantId, userId, message });
          this.#options.logger?.warn({ tenantId, userId, reason: message }, 'polling round failed');
        }
      });
    }
    if (result.polled.length + result.failed.length > 0) {
      this.#options.logger?.info(
        { polled: result.polled.length, failed: result.failed.length },
        'polled mailboxes without a graph subscription',
      );
    }
    return result;
  }

  /**
   * Polling-mode mailboxes the sync core would sync now: synced ones, and failed ones whose
   * back-off has passed. New ('pending') and running ('syncing') ones are the scheduler's.
   */
  async #dueMailboxes(tenantId: string): Promise<Mailbox[]> {
    const now = this.#clock();
    const mailboxes = await listMailboxes(this.#options.store.db, tenantId, {
      states: ['synced', 'error'],
    });
    return mailboxes.filter(
      (mailbox) =>
        !hasLiveSubscription(mailbox, now) &&
        (mailbox.state === 'synced' || (mailbox.nextAttemptAt ?? 0) <= now),
    );
  }
}
