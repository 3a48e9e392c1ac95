// The two webhook endpoints Graph calls, as framework-free functions: the validation handshake,
// change notifications and lifecycle notifications. Persist first, answer 202, work after
// (graph-facts §4): what is accepted is in sync_inbox before Graph hears 202; a 5xx means
// nothing could be persisted, so Graph retries.
import type { Logger } from '../../log/index.js';
import {
  enqueueNotifications,
  findMailboxBySubscription,
  inTransaction,
  saveMailboxSubscription,
  type InboxNotificationInput,
  type Mailbox,
  type Store,
} from '../../store/index.js';
import { clientStateMatches } from './client-state.js';
import { describeError } from './concurrency.js';
import {
  isLifecycleEvent,
  parseNotificationCollection,
  type LifecycleEvent,
  type NotificationItem,
} from './payloads.js';
import type { SubscriptionManager } from './subscriptions.js';

/** What the HTTP layer hands over: the query string and the body exactly as received. */
export interface WebhookRequest {
  query: URLSearchParams;
  rawBody: string | Uint8Array | undefined;
}

export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Graph allows 3 s for the answer and counts 2.9 s as slow; persisting gets at most this long. */
export const DEFAULT_PERSIST_TIMEOUT_MS = 2500;

export interface GraphWebhookReceiverOptions {
  store: Pick<Store, 'db'>;
  /** renews and re-creates subscriptions for lifecycle events; without it they only request delta rounds */
  subscriptions?: Pick<SubscriptionManager, 'renew' | 'recreate'>;
  /** called after notifications of a tenant were persisted (wakes the dispatcher) */
  onEnqueued?: (tenantId: string) => void;
  clock?: () => number;
  persistTimeoutMs?: number;
  logger?: Logger;
}

/** Counts of one delivery, for logs and tests. */
interface DeliveryOutcome {
  accepted: number;
  /** unknown subscription, wrong tenant, or a clientState that does not match */
  refused: number;
  malformed: number;
}

interface AcceptedItem {
  item: NotificationItem;
  mailbox: Mailbox;
  lifecycleEvent: LifecycleEvent | undefined;
}

/** Work a lifecycle event asks for once 202 is on its way. */
interface FollowUp {
  context: { tenantId: string; userId: string; lifecycleEvent: LifecycleEvent };
  work: () => Promise<void>;
}

class PersistTimeoutError extends Error {
  override readonly name = 'PersistTimeoutError';
}

const TEXT_HEADERS = {
  'Content-Type': 'text/plain; charset=utf-8',
  // the token is reflected: never let a browser sniff it into HTML
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

/**
 * The validation handshake: Graph POSTs `?validationToken=…` to both URLs when a subscription is
 * created and expects the decoded token back as plain text within 10 s. Undefined for any other
 * request.
 */
export function validationResponse(query: URLSearchParams): WebhookResponse | undefined {
  const tokens = query.getAll('validationToken');
  if (tokens.length === 0) return undefined;
  if (tokens.length > 1) return text(400, 'Expected one validationToken.');
  // URLSearchParams has already URL-decoded it, as Graph requires
  return text(200, tokens[0] as string);
}

export class GraphWebhookReceiver {
  readonly #options: GraphWebhookReceiverOptions;
  readonly #clock: () => number;
  readonly #followUps = new Set<Promise<void>>();

  constructor(options: GraphWebhookReceiverOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  /** POST /api/graph/notifications */
  handleNotifications(request: WebhookRequest): Promise<WebhookResponse> {
    return this.#handle(request, 'notification');
  }

  /** POST /api/graph/lifecycle */
  handleLifecycle(request: WebhookRequest): Promise<WebhookResponse> {
    return this.#handle(request, 'lifecycle');
  }

  /** Resolves when the work started after answering (renewals, re-creations) has finished. */
  async whenIdle(): Promise<void> {
    while (this.#followUps.size > 0) await Promise.all([...this.#followUps]);
  }

  async #handle(
    request: WebhookRequest,
    endpoint: 'notification' | 'lifecycle',
  ): Promise<WebhookResponse> {
    const handshake = validationResponse(request.query);
    if (handshake) return handshake;
    const parsed = parseNotificationCollection(bodyText(request.rawBody));
    if (parsed === undefined) return text(400, 'Expected a JSON notification collection.');

    const receivedAt = this.#clock();
    let accepted: AcceptedItem[];
    try {
      accepted = await this.#withinDeadline(async () => {
        const verified = await this.#verify(parsed.items);
        await this.#persist(verified, receivedAt);
        return verified;
      });
    } catch (error) {
      this.#options.logger?.error(
        { endpoint, items: parsed.items.length, error: describeError(error) },
        'graph notifications not persisted; answering 503 so Graph retries',
      );
      return text(503, 'Notifications could not be stored; retry later.');
    }

    const outcome: DeliveryOutcome = {
      accepted: accepted.length,
      refused: parsed.items.length - accepted.length,
      malformed: parsed.malformed,
    };
    if (outcome.refused + outcome.malformed > 0) {
      // refused items are dropped, not retried: see the README for why the answer is still 202
      this.#options.logger?.warn(
        { endpoint, ...outcome },
        'graph notifications refused: unknown subscription or clientState mismatch',
      );
    }
    this.#afterPersist(accepted);
    return { status: 202, headers: {}, body: '' };
  }

  /** Keeps the items whose subscription belongs to a mailbox of the tenant they name and whose clientState matches. */
  async #verify(items: readonly NotificationItem[]): Promise<AcceptedItem[]> {
    const lookups = new Map<string, Promise<Mailbox | undefined>>();
    const accepted: AcceptedItem[] = [];
    for (const item of items) {
      // the tenant comes from the payload, and only a mailbox of that tenant can own the subscription
      const lookupKey = `${item.tenantId}\n${item.subscriptionId}`;
      let lookup = lookups.get(lookupKey);
      if (lookup === undefined) {
        lookup = findMailboxBySubscription(
          this.#options.store.db,
          item.tenantId,
          item.subscriptionId,
        );
        lookups.set(lookupKey, lookup);
      }
      const mailbox = await lookup;
      if (mailbox === undefined || mailbox.state === 'removed') continue;
      if (!clientStateMatches(item.clientState, mailbox.subscriptionClientStateHash)) continue;
      const lifecycleEvent = item.lifecycleEvent;
      if (lifecycleEvent !== undefined && !isLifecycleEvent(lifecycleEvent)) {
        this.#options.logger?.warn(
          { tenantId: item.tenantId, userId: mailbox.userId, lifecycleEvent },
          'unknown graph lifecycle event ignored',
        );
        continue;
      }
      accepted.push({ item, mailbox, lifecycleEvent });
    }
    return accepted;
  }

  /** One transaction: the inbox rows of every tenant, and forgotten subscriptions Graph removed. */
  async #persist(accepted: readonly AcceptedItem[], receivedAt: number): Promise<void> {
    const rowsByTenant = new Map<string, InboxNotificationInput[]>();
    const removed: AcceptedItem[] = [];
    for (const entry of accepted) {
      if (entry.lifecycleEvent === 'reauthorizationRequired') continue;
      if (entry.lifecycleEvent === 'subscriptionRemoved') removed.push(entry);
      const rows = rowsByTenant.get(entry.item.tenantId) ?? [];
      rows.push({
        userId: entry.mailbox.userId,
        subscriptionId: entry.item.subscriptionId,
        receivedAt,
      });
      rowsByTenant.set(entry.item.tenantId, rows);
    }
    if (rowsByTenant.size === 0) return;
    await inTransaction(this.#options.store.db, async (trx) => {
      for (const [tenantId, rows] of rowsByTenant) await enqueueNotifications(trx, tenantId, rows);
      // the mailbox is without a subscription from here on: polled, and re-created by the next pass
      for (const { item, mailbox } of removed) {
        await saveMailboxSubscription(trx, item.tenantId, mailbox.userId, null);
      }
    });
  }

  #afterPersist(accepted: readonly AcceptedItem[]): void {
    const tenants = new Set<string>();
    const followUps = new Map<string, FollowUp>();
    for (const { item, mailbox, lifecycleEvent } of accepted) {
      const { tenantId } = item;
      const { userId } = mailbox;
      if (lifecycleEvent !== 'reauthorizationRequired') tenants.add(tenantId);
      if (lifecycleEvent === undefined) continue;
      this.#options.logger?.info(
        { tenantId, userId, lifecycleEvent },
        'graph lifecycle notification accepted',
      );
      const subscriptions = this.#options.subscriptions;
      if (subscriptions === undefined || lifecycleEvent === 'missed') continue;
      // one follow-up per mailbox and event, however often the batch repeats it
      const followUpKey = `${tenantId}\n${userId}\n${lifecycleEvent}`;
      const context = { tenantId, userId, lifecycleEvent };
      if (lifecycleEvent === 'reauthorizationRequired') {
        followUps.set(followUpKey, {
          context,
          work: async () => {
            await subscriptions.renew(tenantId, userId);
          },
        });
      } else {
        followUps.set(followUpKey, {
          context,
          work: async () => {
            const subscriptionId = await subscriptions.recreate(tenantId, userId);
            if (subscriptionId === undefined) return;
            // a second delta round covers the changes made before the new subscription existed
            await enqueueNotifications(this.#options.store.db, tenantId, [
              { userId, subscriptionId, receivedAt: this.#clock() },
            ]);
            this.#options.onEnqueued?.(tenantId);
          },
        });
      }
    }
    for (const tenantId of tenants) this.#options.onEnqueued?.(tenantId);
    for (const followUp of followUps.values()) this.#startFollowUp(followUp);
  }

  #startFollowUp({ context, work }: FollowUp): void {
    const task = work()
      .catch((error: unknown) => {
        // the manager recorded the failure; the mailbox is polled and the next pass tries again
        this.#options.logger?.warn(
          { ...context, error: describeError(error) },
          'graph lifecycle follow-up failed',
        );
      })
      .finally(() => this.#followUps.delete(task));
    this.#followUps.add(task);
  }

  async #withinDeadline<T>(work: () => Promise<T>): Promise<T> {
    const timeoutMs = this.#options.persistTimeoutMs ?? DEFAULT_PERSIST_TIMEOUT_MS;
    const running = work();
    // a late failure after the deadline has already been answered with 503
    running.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new PersistTimeoutError(`the store did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([running, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function bodyText(rawBody: string | Uint8Array | undefined): string {
  if (rawBody === undefined) return '';
  return typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
}

function text(status: number, body: string): WebhookResponse {
  return { status, headers: { ...TEXT_HEADERS }, body };
}
