// One Graph change-notification subscription per synced mailbox on /users/{id}/events: created
// with a fresh clientState and a lifecycleNotificationUrl, renewed before it expires, re-created
// when Graph drops it, deleted when the mailbox leaves the sync. Failures stay per mailbox.
import { z } from 'zod';
import { GraphError, type GraphClient } from '../../graph/index.js';
import type { Logger } from '../../log/index.js';
import {
  getMailbox,
  listMailboxes,
  saveMailboxSubscription,
  type Mailbox,
  type MailboxSubscription,
  type Store,
} from '../../store/index.js';
import { hashClientState, newClientState } from './client-state.js';
import { describeError, forEachWithConcurrency, KeyedLock } from './concurrency.js';

export const SUBSCRIPTION_CHANGE_TYPES = 'created,updated,deleted';
/** Under Graph's 4,230-minute maximum for Outlook events, leaving room for clock skew (graph-facts §0). */
export const DEFAULT_SUBSCRIPTION_LIFETIME_MINUTES = 4200;
/** Renew when less than this is left: with a 70-hour lifetime that is about once a day. */
export const DEFAULT_RENEW_WITHIN_MS = 48 * 60 * 60_000;
/** Graph allows 1,000 subscription writes per 20 s per app and tenant; a few at a time is plenty. */
export const DEFAULT_SUBSCRIPTION_CONCURRENCY = 4;

export interface SubscriptionEndpoints {
  /** public HTTPS URL of the change-notification endpoint */
  notificationUrl: string;
  /** public HTTPS URL of the lifecycle-notification endpoint */
  lifecycleUrl: string;
}

export type SubscriptionAction = 'create' | 'renew' | 'delete';

/** Why a mailbox has no working subscription, kept until the next success. */
export interface SubscriptionFailure {
  userId: string;
  action: SubscriptionAction;
  /** Graph's error code (e.g. InvalidRequest when the validation handshake failed) */
  code: string;
  message: string;
  at: number;
}

export interface EnsureSubscriptionsResult {
  created: string[];
  renewed: string[];
  deleted: string[];
  unchanged: string[];
  failures: SubscriptionFailure[];
}

export interface SubscriptionManagerOptions {
  store: Pick<Store, 'db'>;
  /** the Graph client of a tenant; undefined when WarmPath has none for it */
  graphForTenant: (tenantId: string) => GraphClient | undefined;
  endpoints: SubscriptionEndpoints;
  lifetimeMinutes?: number;
  renewWithinMs?: number;
  concurrency?: number;
  clock?: () => number;
  logger?: Logger;
}

const subscriptionResponseSchema = z.object({
  id: z.string().min(1),
  expirationDateTime: z.string().refine((value) => !Number.isNaN(Date.parse(value))),
});

/**
 * Owns the subscription lifecycle of every mailbox. One instance per process: it serialises the
 * work on each mailbox, so the periodic pass and a lifecycle notification never race to create two.
 */
export class SubscriptionManager {
  readonly #options: SubscriptionManagerOptions;
  readonly #lock = new KeyedLock();
  readonly #failures = new Map<string, SubscriptionFailure>();
  readonly #clock: () => number;

  constructor(options: SubscriptionManagerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  /**
   * One pass over a tenant's mailboxes: subscribes those without a live subscription, renews
   * those expiring within the renewal margin, deletes those of mailboxes no longer synced.
   */
  async ensureTenant(tenantId: string, now = this.#clock()): Promise<EnsureSubscriptionsResult> {
    const result: EnsureSubscriptionsResult = {
      created: [],
      renewed: [],
      deleted: [],
      unchanged: [],
      failures: [],
    };
    const mailboxes = await listMailboxes(this.#options.store.db, tenantId);
    const renewWithinMs = this.#options.renewWithinMs ?? DEFAULT_RENEW_WITHIN_MS;
    await forEachWithConcurrency(
      mailboxes,
      this.#options.concurrency ?? DEFAULT_SUBSCRIPTION_CONCURRENCY,
      async (listed) => {
        let action: SubscriptionAction = 'create';
        try {
          await this.#lock.run(key(tenantId, listed.userId), async () => {
            // decided on a fresh read: a lifecycle notification may have changed it meanwhile
            const mailbox = await getMailbox(this.#options.store.db, tenantId, listed.userId);
            if (mailbox === undefined) return;
            if (mailbox.state === 'removed') {
              action = 'delete';
              if (mailbox.subscriptionId === null) return;
              await this.#delete(tenantId, mailbox);
              result.deleted.push(mailbox.userId);
            } else if (!hasLiveSubscription(mailbox, now)) {
              action = 'create';
              await this.#create(tenantId, mailbox.userId, now);
              result.created.push(mailbox.userId);
            } else if ((mailbox.subscriptionExpiresAt ?? 0) - now <= renewWithinMs) {
              action = 'renew';
              const outcome = await this.#renew(tenantId, mailbox, now);
              (outcome === 'renewed' ? result.renewed : result.created).push(mailbox.userId);
            } else {
              result.unchanged.push(mailbox.userId);
            }
            this.#failures.delete(key(tenantId, mailbox.userId));
          });
        } catch (error) {
          result.failures.push(this.#recordFailure(tenantId, listed.userId, action, error, now));
        }
      },
    );
    if (result.created.length + result.renewed.length + result.deleted.length > 0) {
      this.#options.logger?.info(
        {
          tenantId,
          created: result.created.length,
          renewed: result.renewed.length,
          deleted: result.deleted.length,
          failed: result.failures.length,
        },
        'graph subscriptions maintained',
      );
    }
    return result;
  }

  /** Renews (PATCH expiration, which also reauthorizes); re-creates when Graph no longer has it. */
  async renew(tenantId: string, userId: string): Promise<'renewed' | 'created' | 'none'> {
    const now = this.#clock();
    try {
      return await this.#lock.run(key(tenantId, userId), async () => {
        const mailbox = await getMailbox(this.#options.store.db, tenantId, userId);
        if (mailbox === undefined || mailbox.state === 'removed') return 'none';
        const outcome = hasLiveSubscription(mailbox, now)
          ? await this.#renew(tenantId, mailbox, now)
          : (await this.#create(tenantId, userId, now), 'created' as const);
        this.#failures.delete(key(tenantId, userId));
        return outcome;
      });
    } catch (error) {
      this.#recordFailure(tenantId, userId, 'renew', error, now);
      throw error;
    }
  }

  /**
   * Replaces the mailbox's subscription with a new one (after Graph removed the old one); returns
   * the new subscription id, or undefined when the mailbox is no longer synced.
   */
  async recreate(tenantId: string, userId: string): Promise<string | undefined> {
    const now = this.#clock();
    try {
      return await this.#lock.run(key(tenantId, userId), async () => {
        const mailbox = await getMailbox(this.#options.store.db, tenantId, userId);
        if (mailbox === undefined || mailbox.state === 'removed') return undefined;
        const subscriptionId = await this.#create(tenantId, userId, now);
        this.#failures.delete(key(tenantId, userId));
        return subscriptionId;
      });
    } catch (error) {
      this.#recordFailure(tenantId, userId, 'create', error, now);
      throw error;
    }
  }

  /** The last failure of a mailbox since its last success, if any. */
  lastFailure(tenantId: string, userId: string): SubscriptionFailure | undefined {
    return this.#failures.get(key(tenantId, userId));
  }

  #graph(tenantId: string): GraphClient {
    const graph = this.#options.graphForTenant(tenantId);
    if (graph === undefined) {
      throw new Error(
        `No Graph client for tenant ${tenantId}: it is not configured in this WarmPath instance`,
      );
    }
    return graph;
  }

  #expiration(now: number): string {
    const minutes = this.#options.lifetimeMinutes ?? DEFAULT_SUBSCRIPTION_LIFETIME_MINUTES;
    return new Date(now + minutes * 60_000).toISOString();
  }

  async #create(tenantId: string, userId: string, now: number): Promise<string> {
    const graph = this.#graph(tenantId);
    const clientState = newClientState();
    // Graph runs the validation handshake against both URLs before it answers
    const answer = await graph.request<unknown>('POST', '/subscriptions', {
      mailbox: userId,
      body: {
        changeType: SUBSCRIPTION_CHANGE_TYPES,
        notificationUrl: this.#options.endpoints.notificationUrl,
        lifecycleNotificationUrl: this.#options.endpoints.lifecycleUrl,
        resource: `/users/${encodeURIComponent(userId)}/events`,
        expirationDateTime: this.#expiration(now),
        clientState,
      },
    });
    const created = parseSubscription(answer, 'POST /subscriptions');
    const subscription: MailboxSubscription = {
      subscriptionId: created.id,
      expiresAt: Date.parse(created.expirationDateTime),
      clientStateHash: hashClientState(clientState),
    };
    try {
      await saveMailboxSubscription(this.#options.store.db, tenantId, userId, subscription);
    } catch (error) {
      // a subscription the store does not know would only send notifications we must refuse
      await this.#deleteQuietly(graph, tenantId, created.id);
      throw error;
    }
    return created.id;
  }

  /** Only for a mailbox with a live subscription (hasLiveSubscription). */
  async #renew(tenantId: string, mailbox: Mailbox, now: number): Promise<'renewed' | 'created'> {
    const graph = this.#graph(tenantId);
    const subscriptionId = mailbox.subscriptionId as string;
    let answer: unknown;
    try {
      answer = await graph.request<unknown>(
        'PATCH',
        `/subscriptions/${encodeURIComponent(subscriptionId)}`,
        { mailbox: mailbox.userId, body: { expirationDateTime: this.#expiration(now) } },
      );
    } catch (error) {
      if (error instanceof GraphError && error.status === 404) {
        await this.#create(tenantId, mailbox.userId, now);
        return 'created';
      }
      throw error;
    }
    const renewed = parseSubscription(answer, `PATCH /subscriptions/${subscriptionId}`);
    await saveMailboxSubscription(this.#options.store.db, tenantId, mailbox.userId, {
      subscriptionId,
      expiresAt: Date.parse(renewed.expirationDateTime),
      clientStateHash: mailbox.subscriptionClientStateHash as string,
    });
    return 'renewed';
  }

  async #delete(tenantId: string, mailbox: Mailbox): Promise<void> {
    const graph = this.#graph(tenantId);
    try {
      await graph.request(
        'DELETE',
        `/subscriptions/${encodeURIComponent(mailbox.subscriptionId as string)}`,
        { mailbox: mailbox.userId },
      );
    } catch (error) {
      // already gone (expired or removed by Graph): nothing left to delete
      if (!(error instanceof GraphError && error.status === 404)) throw error;
    }
    await saveMailboxSubscription(this.#options.store.db, tenantId, mailbox.userId, null);
  }

  async #deleteQuietly(
    graph: GraphClient,
    tenantId: string,
    subscriptionId: string,
  ): Promise<void> {
    try {
      await graph.request('DELETE', `/subscriptions/${encodeURIComponent(subscriptionId)}`);
    } catch (error) {
      this.#options.logger?.warn(
        { tenantId, subscriptionId, error: describeError(error) },
        'could not delete a subscription the store failed to record; it expires on its own',
      );
    }
  }

  #recordFailure(
    tenantId: string,
    userId: string,
    action: SubscriptionAction,
    error: unknown,
    now: number,
  ): SubscriptionFailure {
    const failure: SubscriptionFailure = { userId, action, ...describeError(error), at: now };
    this.#failures.set(key(tenantId, userId), failure);
    this.#options.logger?.warn(
      { tenantId, userId, action, code: failure.code, reason: failure.message },
      'graph subscription failed; the mailbox is polled until it has one',
    );
    return failure;
  }
}

export interface EnsureMailboxSubscriptionsOptions extends Omit<
  SubscriptionManagerOptions,
  'graphForTenant' | 'endpoints' | 'clock'
> {
  graph: GraphClient;
  tenantId: string;
  notificationUrl: string;
  lifecycleUrl: string;
  /** the pass's "now" in epoch ms; default Date.now() */
  now?: number;
}

/** One subscription pass for one tenant, without a long-lived SubscriptionManager. */
export function ensureMailboxSubscriptions(
  options: EnsureMailboxSubscriptionsOptions,
): Promise<EnsureSubscriptionsResult> {
  const { graph, tenantId, notificationUrl, lifecycleUrl, now, ...rest } = options;
  const manager = new SubscriptionManager({
    ...rest,
    graphForTenant: (id) => (id === tenantId ? graph : undefined),
    endpoints: { notificationUrl, lifecycleUrl },
  });
  return manager.ensureTenant(tenantId, now);
}

/** A subscription Graph still delivers on and whose notifications we can verify. */
export function hasLiveSubscription(
  mailbox: Pick<
    Mailbox,
    'subscriptionId' | 'subscriptionExpiresAt' | 'subscriptionClientStateHash'
  >,
  now: number,
): boolean {
  return (
    mailbox.subscriptionId !== null &&
    mailbox.subscriptionClientStateHash !== null &&
    mailbox.subscriptionExpiresAt !== null &&
    mailbox.subscriptionExpiresAt > now
  );
}

function parseSubscription(
  answer: unknown,
  request: string,
): z.infer<typeof subscriptionResponseSchema> {
  const parsed = subscriptionResponseSchema.safeParse(answer);
  if (!parsed.success) {
    throw new Error(`${request} answered without a subscription id and expirationDateTime`);
  }
  return parsed.data;
}

function key(tenantId: string, userId: string): string {
  return `${tenantId}/${userId}`;
}
