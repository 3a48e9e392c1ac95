// One Graph change-notification subscription per synced mailbox on /users/{id}/events: created
// with a fresh clientState and a lifecycleNotificationUrl, renewed before it expires, re-created
// when Graph drops it, deleted when the mailbox leaves the sync. Each pass first reconciles the
// store with the subscriptions Graph lists. Failures stay per mailbox.
import { z } from 'zod';
import { GraphError, type GraphClient } from '../../graph/index.js';
import type { Logger } from '../../log/index.js';
import {
  enqueueNotifications,
  findMailboxBySubscription,
  getMailbox,
  inTransaction,
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
  /**
   * Mailboxes whose stored, unexpired subscription Graph no longer listed: forgotten, a delta round
   * requested, and re-created (then also in `created`, or in `failures`).
   */
  missing: string[];
  /** Ids of subscriptions to our notificationUrl that no mailbox held, deleted from Graph. */
  orphansDeleted: string[];
  /** False when Graph's list could not be read and the store was trusted as it is. */
  reconciled: boolean;
}

export interface SubscriptionManagerOptions {
  store: Pick<Store, 'db'>;
  /** the Graph client of a tenant; undefined when WarmPath has none for it */
  graphForTenant: (tenantId: string) => GraphClient | undefined;
  endpoints: SubscriptionEndpoints;
  lifetimeMinutes?: number;
  renewWithinMs?: number;
  concurrency?: number;
  /** called after delta rounds of a tenant were queued in sync_inbox (wakes the dispatcher) */
  onEnqueued?: (tenantId: string) => void;
  clock?: () => number;
  logger?: Logger;
}

/** What Graph listed for the tenant at the start of a pass. */
interface GraphListing {
  /** every subscription of this app in the tenant, whatever its notificationUrl */
  ids: ReadonlySet<string>;
  /** those delivering to our notificationUrl, with the mailbox named in their resource */
  ours: ReadonlyArray<{ id: string; userId: string | undefined }>;
}

const listedSubscriptionSchema = z.object({
  id: z.string().min(1),
  notificationUrl: z.string().nullish(),
  resource: z.string().nullish(),
});

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
   * those expiring within the renewal margin, deletes those of mailboxes no longer synced. It
   * starts from one GET /subscriptions: a stored subscription Graph does not list is re-created
   * (with a delta round), and one to our notificationUrl that no mailbox holds is deleted. When
   * that list cannot be read, the store is trusted as it is.
   */
  async ensureTenant(tenantId: string, now = this.#clock()): Promise<EnsureSubscriptionsResult> {
    const result: EnsureSubscriptionsResult = {
      created: [],
      renewed: [],
      deleted: [],
      unchanged: [],
      failures: [],
      missing: [],
      orphansDeleted: [],
      reconciled: false,
    };
    // read before listing: a subscription stored by then was created before Graph listed, so
    // Graph lists it unless it is gone; one stored later may be newer than the list
    const mailboxes = await listMailboxes(this.#options.store.db, tenantId);
    const listing = await this.#listGraphSubscriptions(tenantId);
    result.reconciled = listing !== undefined;
    /** the mailbox still holds the subscription it had before the list, which Graph did not list */
    const goneFromGraph = (mailbox: Mailbox, listed: Mailbox): boolean =>
      listing !== undefined &&
      mailbox.subscriptionId !== null &&
      mailbox.subscriptionId === listed.subscriptionId &&
      !listing.ids.has(mailbox.subscriptionId);
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
              await this.#delete(tenantId, mailbox, goneFromGraph(mailbox, listed));
              result.deleted.push(mailbox.userId);
            } else if (!hasLiveSubscription(mailbox, now)) {
              action = 'create';
              await this.#create(tenantId, mailbox.userId, now);
              result.created.push(mailbox.userId);
            } else if (goneFromGraph(mailbox, listed)) {
              action = 'create';
              result.missing.push(mailbox.userId);
              await this.#replaceMissing(tenantId, mailbox, now);
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
    if (listing !== undefined) await this.#deleteOrphans(tenantId, listing, mailboxes, result);
    const changed =
      result.created.length +
      result.renewed.length +
      result.deleted.length +
      result.orphansDeleted.length;
    if (changed > 0) {
      this.#options.logger?.info(
        {
          tenantId,
          created: result.created.length,
          renewed: result.renewed.length,
          deleted: result.deleted.length,
          missing: result.missing.length,
          orphansDeleted: result.orphansDeleted.length,
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

  /** The app's subscriptions in the tenant (every page), or undefined when Graph did not answer. */
  async #listGraphSubscriptions(tenantId: string): Promise<GraphListing | undefined> {
    const graph = this.#options.graphForTenant(tenantId);
    // without a client every mailbox of the pass fails and says why: nothing to add here
    if (graph === undefined) return undefined;
    try {
      const ids = new Set<string>();
      const ours: Array<{ id: string; userId: string | undefined }> = [];
      for await (const page of graph.getAllPages<unknown>('/subscriptions')) {
        for (const item of page.value) {
          const parsed = listedSubscriptionSchema.safeParse(item);
          // a list we cannot read whole must not make stored subscriptions look gone
          if (!parsed.success) throw new Error('GET /subscriptions listed an item without an id');
          ids.add(parsed.data.id);
          if (parsed.data.notificationUrl === this.#options.endpoints.notificationUrl) {
            ours.push({ id: parsed.data.id, userId: resourceUser(parsed.data.resource) });
          }
        }
      }
      return { ids, ours };
    } catch (error) {
      this.#options.logger?.warn(
        { tenantId, error: describeError(error) },
        'could not list graph subscriptions; this pass trusts the stored ones',
      );
      return undefined;
    }
  }

  /**
   * Graph no longer has the mailbox's subscription (deleted out of band, another app registration,
   * a restarted simulator): as for subscriptionRemoved, forget it and queue a delta round together,
   * re-create it, then queue another round for the changes made before the new one existed.
   */
  async #replaceMissing(tenantId: string, mailbox: Mailbox, now: number): Promise<void> {
    const { db } = this.#options.store;
    const { userId } = mailbox;
    await inTransaction(db, async (trx) => {
      await enqueueNotifications(trx, tenantId, [
        { userId, subscriptionId: mailbox.subscriptionId as string, receivedAt: this.#clock() },
      ]);
      await saveMailboxSubscription(trx, tenantId, userId, null);
    });
    this.#options.onEnqueued?.(tenantId);
    this.#options.logger?.warn(
      { tenantId, userId, subscriptionId: mailbox.subscriptionId },
      'graph no longer lists the stored subscription; re-creating it and running a delta round',
    );
    const subscriptionId = await this.#create(tenantId, userId, now);
    try {
      await enqueueNotifications(db, tenantId, [
        { userId, subscriptionId, receivedAt: this.#clock() },
      ]);
      this.#options.onEnqueued?.(tenantId);
    } catch (error) {
      // the subscription is in place and the first round is queued: not a failure of the mailbox
      this.#options.logger?.warn(
        { tenantId, userId, error: describeError(error) },
        'could not queue the delta round after re-creating a subscription',
      );
    }
  }

  /**
   * Deletes subscriptions to our notificationUrl that no mailbox held before the list. Each is
   * checked again under its mailbox's lock, so one a lifecycle re-creation has just saved stays.
   */
  async #deleteOrphans(
    tenantId: string,
    listing: GraphListing,
    mailboxes: readonly Mailbox[],
    result: EnsureSubscriptionsResult,
  ): Promise<void> {
    const held = new Set(mailboxes.map((mailbox) => mailbox.subscriptionId));
    const candidates = listing.ours.filter((subscription) => !held.has(subscription.id));
    await forEachWithConcurrency(
      candidates,
      this.#options.concurrency ?? DEFAULT_SUBSCRIPTION_CONCURRENCY,
      async ({ id, userId }) => {
        const deleteIfOrphan = async (): Promise<boolean> => {
          if (await findMailboxBySubscription(this.#options.store.db, tenantId, id)) return false;
          try {
            await this.#graph(tenantId).request(
              'DELETE',
              `/subscriptions/${encodeURIComponent(id)}`,
              userId === undefined ? {} : { mailbox: userId },
            );
          } catch (error) {
            if (!(error instanceof GraphError && error.status === 404)) throw error;
          }
          return true;
        };
        try {
          const deleted =
            userId === undefined
              ? await deleteIfOrphan()
              : await this.#lock.run(key(tenantId, userId), deleteIfOrphan);
          if (deleted) result.orphansDeleted.push(id);
        } catch (error) {
          this.#options.logger?.warn(
            { tenantId, subscriptionId: id, error: describeError(error) },
            'could not delete a subscription no mailbox holds; it expires on its own',
          );
        }
      },
    );
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

  /** `goneFromGraph`: Graph's list just showed it is not there, so only the store is cleared. */
  async #delete(tenantId: string, mailbox: Mailbox, goneFromGraph = false): Promise<void> {
    const graph = this.#graph(tenantId);
    try {
      if (!goneFromGraph) {
        await graph.request(
          'DELETE',
          `/subscriptions/${encodeURIComponent(mailbox.subscriptionId as string)}`,
          { mailbox: mailbox.userId },
        );
      }
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

/** The mailbox of a `/users/{id}/events` resource as we create it; undefined for any other. */
function resourceUser(resource: string | null | undefined): string | undefined {
  const match = /^\/?users\/([^/]+)\/events$/i.exec(resource ?? '');
  if (match?.[1] === undefined) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

function key(tenantId: string, userId: string): string {
  return `${tenantId}/${userId}`;
}
