// Turns persisted notifications into delta rounds: drains sync_inbox and requests ONE round per
// mailbox for any number of pending notifications, never two rounds of a mailbox at once. Rows
// are marked processed only after their round was requested successfully, so nothing is lost
// when a round fails or the process stops.
import type { Logger } from '../../log/index.js';
import {
  listPendingNotifications,
  listTenants,
  markNotificationsProcessed,
  purgeProcessedNotifications,
  type Store,
} from '../../store/index.js';
import { describeError } from './concurrency.js';

/** Why a round is asked for: the sync core's MailboxSyncReason values this module uses. */
export type MailboxSyncTrigger = 'notification' | 'poll';

/**
 * Runs one delta round of one mailbox, or durably queues one (the sync core's job queue); resolves
 * when the round is done or safely queued, rejects when neither happened (the request is retried).
 */
export type RequestMailboxSync = (
  tenantId: string,
  userId: string,
  reason: MailboxSyncTrigger,
) => Promise<void>;

export interface NotificationDispatcherOptions {
  store: Pick<Store, 'db'>;
  requestMailboxSync: RequestMailboxSync;
  /** tenants to sweep; default every tenant in the store */
  tenantIds?: () => Promise<string[]>;
  /** rounds in flight at once across all tenants; default 8 */
  maxConcurrentRounds?: number;
  /** how often every tenant's inbox is drained even without a wake-up (rows from other processes, missed wake-ups); default 30 s */
  sweepIntervalMs?: number;
  /** first wait after a mailbox's round failed; doubles up to maxRetryDelayMs. Default 30 s */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** processed rows older than this are deleted by the sweep; default 1 day */
  keepProcessedMs?: number;
  /** pending rows read per drain; default 5,000 */
  pageSize?: number;
  clock?: () => number;
  logger?: Logger;
}

interface Backoff {
  failures: number;
  until: number;
}

const DEFAULTS = {
  maxConcurrentRounds: 8,
  sweepIntervalMs: 30_000,
  retryDelayMs: 30_000,
  maxRetryDelayMs: 15 * 60_000,
  keepProcessedMs: 24 * 60 * 60_000,
  pageSize: 5_000,
};

export class NotificationDispatcher {
  readonly #options: NotificationDispatcherOptions;
  readonly #settings: typeof DEFAULTS;
  readonly #clock: () => number;
  /** mailboxes ("tenant/user") with a round in flight */
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #backoff = new Map<string, Backoff>();
  /** one drain per tenant at a time; a wake-up during a drain runs one more */
  readonly #draining = new Map<string, { rerun: boolean; done: Promise<void> }>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #sweepTimer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: NotificationDispatcherOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#settings = {
      maxConcurrentRounds: options.maxConcurrentRounds ?? DEFAULTS.maxConcurrentRounds,
      sweepIntervalMs: options.sweepIntervalMs ?? DEFAULTS.sweepIntervalMs,
      retryDelayMs: options.retryDelayMs ?? DEFAULTS.retryDelayMs,
      maxRetryDelayMs: options.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs,
      keepProcessedMs: options.keepProcessedMs ?? DEFAULTS.keepProcessedMs,
      pageSize: options.pageSize ?? DEFAULTS.pageSize,
    };
  }

  /** Starts the periodic sweep (the first one right away). */
  start(): void {
    if (this.#sweepTimer !== undefined || this.#stopped) return;
    const sweep = (): void => {
      void this.sweep().finally(() => {
        if (this.#stopped) return;
        this.#sweepTimer = setTimeout(sweep, this.#settings.sweepIntervalMs);
        this.#sweepTimer.unref();
      });
    };
    sweep();
  }

  /** Stops sweeping and waits for the rounds in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#sweepTimer);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.whenIdle();
  }

  /** New rows of a tenant are waiting: drain its inbox now. Never throws. */
  wake(tenantId: string): void {
    void this.drainTenant(tenantId);
  }

  /** Drains every tenant and deletes old processed rows. Never throws. */
  async sweep(): Promise<void> {
    let tenantIds: string[];
    try {
      tenantIds = await (this.#options.tenantIds?.() ??
        listTenants(this.#options.store.db).then((tenants) => tenants.map((t) => t.tenantId)));
    } catch (error) {
      this.#options.logger?.error({ error: describeError(error) }, 'notification sweep failed');
      return;
    }
    for (const tenantId of tenantIds) {
      await this.drainTenant(tenantId);
      try {
        const before = this.#clock() - this.#settings.keepProcessedMs;
        await purgeProcessedNotifications(this.#options.store.db, tenantId, before);
      } catch (error) {
        this.#options.logger?.warn(
          { tenantId, error: describeError(error) },
          'could not purge processed notifications',
        );
      }
    }
  }

  /**
   * Starts a round for every mailbox of the tenant with pending rows, unless one is in flight or
   * backing off; resolves once those rounds are started (not finished). Never throws.
   */
  drainTenant(tenantId: string): Promise<void> {
    const running = this.#draining.get(tenantId);
    if (running) {
      running.rerun = true;
      return running.done;
    }
    const state = { rerun: false, done: Promise.resolve() };
    state.done = (async () => {
      try {
        do {
          state.rerun = false;
          await this.#drainOnce(tenantId);
        } while (state.rerun && !this.#stopped);
      } catch (error) {
        this.#options.logger?.error(
          { tenantId, error: describeError(error) },
          'could not read the notification inbox; the next sweep retries',
        );
      } finally {
        this.#draining.delete(tenantId);
      }
    })();
    this.#draining.set(tenantId, state);
    return state.done;
  }

  /** Resolves when no drain and no round is in flight (rounds started meanwhile included). */
  async whenIdle(): Promise<void> {
    while (this.#draining.size > 0 || this.#inFlight.size > 0) {
      await Promise.all([
        ...[...this.#draining.values()].map((d) => d.done),
        ...this.#inFlight.values(),
      ]);
    }
  }

  async #drainOnce(tenantId: string): Promise<void> {
    if (this.#stopped) return;
    const pending = await listPendingNotifications(
      this.#options.store.db,
      tenantId,
      this.#settings.pageSize,
    );
    const idsByUser = new Map<string, number[]>();
    for (const row of pending) {
      const ids = idsByUser.get(row.userId) ?? [];
      ids.push(row.id);
      idsByUser.set(row.userId, ids);
    }
    const now = this.#clock();
    for (const [userId, ids] of idsByUser) {
      const mailboxKey = `${tenantId}/${userId}`;
      // its rows stay pending: the end of the round in flight drains again
      if (this.#inFlight.has(mailboxKey)) continue;
      const backoff = this.#backoff.get(mailboxKey);
      if (backoff && backoff.until > now) continue;
      if (this.#inFlight.size >= this.#settings.maxConcurrentRounds) break;
      const round = this.#runRound(tenantId, userId, ids).finally(() => {
        this.#inFlight.delete(mailboxKey);
        if (!this.#stopped) this.wake(tenantId);
      });
      this.#inFlight.set(mailboxKey, round);
    }
  }

  async #runRound(tenantId: string, userId: string, ids: number[]): Promise<void> {
    const mailboxKey = `${tenantId}/${userId}`;
    try {
      await this.#options.requestMailboxSync(tenantId, userId, 'notification');
      await markNotificationsProcessed(this.#options.store.db, tenantId, ids, this.#clock());
      this.#backoff.delete(mailboxKey);
      this.#options.logger?.debug(
        { tenantId, userId, notifications: ids.length },
        'delta round after change notifications',
      );
    } catch (error) {
      const failures = (this.#backoff.get(mailboxKey)?.failures ?? 0) + 1;
      const delay = Math.min(
        this.#settings.retryDelayMs * 2 ** (failures - 1),
        this.#settings.maxRetryDelayMs,
      );
      this.#backoff.set(mailboxKey, { failures, until: this.#clock() + delay });
      this.#options.logger?.warn(
        {
          tenantId,
          userId,
          notifications: ids.length,
          retryInMs: delay,
          error: describeError(error),
        },
        'delta round after change notifications failed; the notifications stay pending',
      );
      this.#wakeLater(tenantId, delay);
    }
  }

  #wakeLater(tenantId: string, delayMs: number): void {
    if (this.#stopped) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.wake(tenantId);
    }, delayMs);
    timer.unref();
    this.#timers.add(timer);
  }
}
