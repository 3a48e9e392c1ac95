// Change-notification subscriptions on /users/{id}/events: validation handshake, coalesced
// delivery with retries, expiry, and lifecycle notifications.
import { randomUUID } from 'node:crypto';
import type { CalendarChange } from '../engine/tenant-engine-api.js';
import { GraphError } from './graph-http.js';
import { presentId, type IdType } from './ids.js';
import { postText } from './outbound.js';
import type { SimState, TenantState } from './state.js';

export const MAX_SUBSCRIPTION_MINUTES = 4230;
export const MAX_CLIENT_STATE = 128;
const CHANGE_TYPES = ['created', 'updated', 'deleted'] as const;
type ChangeType = (typeof CHANGE_TYPES)[number];

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';
export const LIFECYCLE_EVENTS: readonly LifecycleEvent[] = [
  'reauthorizationRequired',
  'subscriptionRemoved',
  'missed',
];

export interface DeliveryOptions {
  /** Changes within this many milliseconds travel in one POST. */
  coalesceMs: number;
  /** A receiver must answer a validation request within this time (Graph: 10 s). */
  validationTimeoutMs: number;
  /** A receiver must answer a notification within this time (Graph: 3 s). */
  notificationTimeoutMs: number;
  /** First retry delay; doubles up to maxBackoffMs. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Give up on a notification after retrying this long (Graph: 4 hours). */
  maxRetryMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  coalesceMs: 100,
  validationTimeoutMs: 10_000,
  notificationTimeoutMs: 3_000,
  initialBackoffMs: 250,
  maxBackoffMs: 10_000,
  maxRetryMs: 60_000,
};

export interface Subscription {
  id: string;
  tenantId: string;
  userId: string;
  resource: string;
  changeTypes: Set<ChangeType>;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expiration: Date;
  applicationId: string;
  creatorId: string;
  idType: IdType;
}

export interface SubscriptionInput {
  resource: string;
  changeType: string;
  changeTypes: Set<ChangeType>;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expiration: Date;
}

interface PendingNotification {
  subscriptionId: string;
  payload: Record<string, unknown>;
}

interface Outbox {
  pending: PendingNotification[];
  timer?: NodeJS.Timeout;
  sending: boolean;
}

export interface DeliveryCounters {
  notificationsPosted: number;
  notificationsDelivered: number;
  notificationsDropped: number;
  deliveryFailures: number;
  lifecyclePosted: number;
}

/** Checks a POST /subscriptions body; throws Graph's 400 on anything invalid. */
export function validateSubscriptionInput(body: unknown, now = Date.now()): SubscriptionInput {
  if (!body || typeof body !== 'object') {
    throw new GraphError(400, 'InvalidRequest', 'The request body must be a subscription object.');
  }
  const b = body as Record<string, unknown>;
  const resource = requireString(b, 'resource');
  const changeType = requireString(b, 'changeType');
  const changeTypes = new Set<ChangeType>();
  for (const part of changeType.split(',').map((s) => s.trim())) {
    if (!(CHANGE_TYPES as readonly string[]).includes(part)) {
      throw new GraphError(400, 'InvalidRequest', `'${part}' is not a valid change type.`);
    }
    changeTypes.add(part as ChangeType);
  }
  const notificationUrl = requireString(b, 'notificationUrl');
  checkNotificationUrl(notificationUrl, 'notificationUrl');
  let lifecycleNotificationUrl: string | null = null;
  if (b.lifecycleNotificationUrl !== undefined && b.lifecycleNotificationUrl !== null) {
    lifecycleNotificationUrl = requireString(b, 'lifecycleNotificationUrl');
    checkNotificationUrl(lifecycleNotificationUrl, 'lifecycleNotificationUrl');
  }
  let clientState: string | null = null;
  if (b.clientState !== undefined && b.clientState !== null) {
    clientState = requireString(b, 'clientState');
    if (clientState.length > MAX_CLIENT_STATE) {
      throw new GraphError(
        400,
        'InvalidRequest',
        `clientState can be at most ${MAX_CLIENT_STATE} characters long.`,
      );
    }
  }
  const expiration = checkExpiration(b.expirationDateTime, now);
  return {
    resource,
    changeType: [...changeTypes].join(','),
    changeTypes,
    notificationUrl,
    lifecycleNotificationUrl,
    clientState,
    expiration,
  };
}

export function checkExpiration(value: unknown, now = Date.now()): Date {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new GraphError(
      400,
      'InvalidRequest',
      'expirationDateTime must be an ISO 8601 date and time.',
    );
  }
  const expiration = new Date(value);
  if (expiration.getTime() <= now) {
    throw new GraphError(400, 'InvalidRequest', 'Subscription expiration must be in the future.');
  }
  if (expiration.getTime() > now + MAX_SUBSCRIPTION_MINUTES * 60_000) {
    throw new GraphError(
      400,
      'InvalidRequest',
      `Subscription expiration can only be ${MAX_SUBSCRIPTION_MINUTES} minutes in the future.`,
    );
  }
  return expiration;
}

function requireString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new GraphError(
      400,
      'InvalidRequest',
      `The property '${name}' is required and must be a string.`,
    );
  }
  return value;
}

function checkNotificationUrl(value: string, name: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new GraphError(400, 'InvalidRequest', `The ${name} '${value}' is not a valid URL.`);
  }
  // Graph only calls HTTPS endpoints; local development receivers are allowed as a dev tunnel would be
  const localHttp =
    url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost');
  if (url.protocol !== 'https:' && !localHttp) {
    throw new GraphError(400, 'InvalidRequest', `The ${name} must use the https scheme.`);
  }
}

/** Graph's subscription timestamps carry seven fractional digits. */
function graphDate(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

export class SubscriptionService {
  private readonly byId = new Map<string, Subscription>();
  private readonly outboxes = new Map<string, Outbox>();
  private readonly detach: Array<() => void> = [];
  private closed = false;
  readonly counters: DeliveryCounters = {
    notificationsPosted: 0,
    notificationsDelivered: 0,
    notificationsDropped: 0,
    deliveryFailures: 0,
    lifecyclePosted: 0,
  };

  constructor(
    private readonly state: SimState,
    readonly options: DeliveryOptions,
  ) {
    for (const tenant of state.tenants.values()) {
      this.detach.push(tenant.engine.onChange((change) => this.onChange(tenant, change)));
    }
  }

  close(): void {
    this.closed = true;
    for (const off of this.detach) off();
    for (const box of this.outboxes.values()) if (box.timer) clearTimeout(box.timer);
    this.outboxes.clear();
  }

  /** Validates both URLs with Graph's handshake, then stores the subscription. */
  async create(
    tenant: TenantState,
    input: SubscriptionInput,
    owner: { userId: string; applicationId: string; creatorId: string; idType: IdType },
  ): Promise<Subscription> {
    await this.validateEndpoint(input.notificationUrl);
    if (input.lifecycleNotificationUrl) await this.validateEndpoint(input.lifecycleNotificationUrl);
    const subscription: Subscription = {
      id: randomUUID(),
      tenantId: tenant.tenantId,
      userId: owner.userId,
      resource: input.resource,
      changeTypes: input.changeTypes,
      changeType: input.changeType,
      notificationUrl: input.notificationUrl,
      lifecycleNotificationUrl: input.lifecycleNotificationUrl,
      clientState: input.clientState,
      expiration: input.expiration,
      applicationId: owner.applicationId,
      creatorId: owner.creatorId,
      idType: owner.idType,
    };
    this.byId.set(subscription.id, subscription);
    return subscription;
  }

  private async validateEndpoint(url: string): Promise<void> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const separator = url.includes('?') ? '&' : '?';
    const target = `${url}${separator}validationToken=${encodeURIComponent(token)}`;
    let result;
    try {
      result = await postText(
        target,
        '',
        'text/plain; charset=utf-8',
        this.options.validationTimeoutMs,
        this.state.certPem,
      );
    } catch (error) {
      throw new GraphError(
        400,
        'InvalidRequest',
        `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. (${(error as Error).message})`,
      );
    }
    if (result.status !== 200) {
      throw new GraphError(
        400,
        'InvalidRequest',
        `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. (got ${result.status})`,
      );
    }
    if (result.body !== token) {
      throw new GraphError(
        400,
        'InvalidRequest',
        'Subscription validation request failed. Response must exactly match validationToken query parameter.',
      );
    }
  }

  /** A live subscription of this tenant and app, or Graph's 404. Expired ones are forgotten. */
  find(tenantId: string, id: string, applicationId?: string): Subscription {
    const subscription = this.byId.get(id);
    if (subscription && subscription.expiration.getTime() <= Date.now()) {
      this.byId.delete(id);
    } else if (
      subscription &&
      subscription.tenantId === tenantId &&
      (applicationId === undefined || subscription.applicationId === applicationId)
    ) {
      return subscription;
    }
    throw new GraphError(404, 'ResourceNotFound', `The object '${id}' was not found.`);
  }

  list(tenantId: string, applicationId?: string): Subscription[] {
    const now = Date.now();
    const live: Subscription[] = [];
    for (const s of [...this.byId.values()]) {
      if (s.expiration.getTime() <= now) {
        this.byId.delete(s.id);
        continue;
      }
      if (
        s.tenantId === tenantId &&
        (applicationId === undefined || s.applicationId === applicationId)
      ) {
        live.push(s);
      }
    }
    return live;
  }

  /** Any tenant: for the control API. */
  findAnywhere(id: string): Subscription | undefined {
    return this.byId.get(id);
  }

  delete(id: string): void {
    this.byId.delete(id);
  }

  present(subscription: Subscription): Record<string, unknown> {
    return {
      '@odata.context': `${this.state.graphBase}/$metadata#subscriptions/$entity`,
      id: subscription.id,
      resource: subscription.resource,
      applicationId: subscription.applicationId,
      changeType: subscription.changeType,
      clientState: subscription.clientState,
      notificationUrl: subscription.notificationUrl,
      notificationQueryOptions: null,
      lifecycleNotificationUrl: subscription.lifecycleNotificationUrl,
      expirationDateTime: graphDate(subscription.expiration),
      creatorId: subscription.creatorId,
      includeResourceData: null,
      latestSupportedTlsVersion: 'v1_2',
      encryptionCertificate: null,
      encryptionCertificateId: null,
      notificationUrlAppId: null,
      notificationContentType: 'application/json',
    };
  }

  private onChange(tenant: TenantState, change: CalendarChange): void {
    if (this.closed) return;
    const now = Date.now();
    for (const subscription of [...this.byId.values()]) {
      if (subscription.tenantId !== tenant.tenantId || subscription.userId !== change.userId)
        continue;
      if (subscription.expiration.getTime() <= now) {
        this.byId.delete(subscription.id);
        continue;
      }
      if (!subscription.changeTypes.has(change.changeType)) continue;
      const eventId = presentId(change.eventId, subscription.idType);
      const resource = `Users/${change.userId}/Events/${eventId}`;
      const event =
        change.changeType === 'deleted'
          ? undefined
          : tenant.engine.getEvent(change.userId, change.eventId);
      const etag =
        event?.['@odata.etag'] ??
        `W/"${event?.changeKey ?? Buffer.from(`${change.eventId}|${change.seq}`).toString('base64').slice(-28)}"`;
      this.enqueue(subscription.notificationUrl, {
        subscriptionId: subscription.id,
        payload: {
          id: randomUUID(),
          subscriptionId: subscription.id,
          subscriptionExpirationDateTime: graphDate(subscription.expiration),
          changeType: change.changeType,
          resource,
          resourceData: {
            '@odata.type': '#Microsoft.Graph.Event',
            '@odata.id': resource,
            '@odata.etag': etag,
            id: eventId,
          },
          clientState: subscription.clientState,
          tenantId: tenant.tenantId,
        },
      });
    }
  }

  private enqueue(url: string, item: PendingNotification): void {
    let box = this.outboxes.get(url);
    if (!box) {
      box = { pending: [], sending: false };
      this.outboxes.set(url, box);
    }
    box.pending.push(item);
    this.schedule(url, box);
  }

  private schedule(url: string, box: Outbox): void {
    if (box.timer || box.sending || this.closed) return;
    box.timer = setTimeout(() => {
      box.timer = undefined;
      void this.flush(url, box);
    }, this.options.coalesceMs);
    box.timer.unref();
  }

  private async flush(url: string, box: Outbox): Promise<void> {
    // notifications of subscriptions deleted or expired meanwhile are not sent
    const now = Date.now();
    const batch = box.pending.splice(0).filter((item) => {
      const s = this.byId.get(item.subscriptionId);
      return s !== undefined && s.expiration.getTime() > now;
    });
    if (batch.length === 0) return;
    box.sending = true;
    const body = JSON.stringify({ value: batch.map((item) => item.payload) });
    const delivered = await this.deliver(url, body);
    if (delivered) this.counters.notificationsDelivered += batch.length;
    else this.counters.notificationsDropped += batch.length;
    box.sending = false;
    if (box.pending.length > 0) this.schedule(url, box);
  }

  /** POSTs until a 2xx arrives or maxRetryMs has passed, backing off between attempts. */
  private async deliver(url: string, body: string): Promise<boolean> {
    const started = Date.now();
    let backoff = this.options.initialBackoffMs;
    for (;;) {
      if (this.closed) return false;
      this.counters.notificationsPosted += 1;
      try {
        const result = await postText(
          url,
          body,
          'application/json; charset=utf-8',
          this.options.notificationTimeoutMs,
          this.state.certPem,
        );
        if (result.status >= 200 && result.status < 300) return true;
      } catch {
        // a timeout or refused connection is retried like a 5xx
      }
      this.counters.deliveryFailures += 1;
      if (Date.now() - started + backoff > this.options.maxRetryMs) return false;
      await new Promise<void>((resolve) => setTimeout(resolve, backoff).unref());
      backoff = Math.min(backoff * 2, this.options.maxBackoffMs);
    }
  }

  /**
   * Posts a lifecycle notification to the subscription's lifecycleNotificationUrl and waits for
   * its delivery. `subscriptionRemoved` also deletes the subscription.
   */
  async lifecycle(
    subscription: Subscription,
    lifecycleEvent: LifecycleEvent,
  ): Promise<{ delivered: boolean }> {
    if (!subscription.lifecycleNotificationUrl) {
      throw new GraphError(
        400,
        'InvalidRequest',
        'This subscription has no lifecycleNotificationUrl, so it gets no lifecycle notifications.',
      );
    }
    if (lifecycleEvent === 'subscriptionRemoved') this.byId.delete(subscription.id);
    const body = JSON.stringify({
      value: [
        {
          subscriptionId: subscription.id,
          subscriptionExpirationDateTime: graphDate(subscription.expiration),
          tenantId: subscription.tenantId,
          clientState: subscription.clientState,
          lifecycleEvent,
        },
      ],
    });
    this.counters.lifecyclePosted += 1;
    const delivered = await this.deliver(subscription.lifecycleNotificationUrl, body);
    return { delivered };
  }

  /** Subscriptions per tenant (live ones only). */
  count(tenantId: string): number {
    return this.list(tenantId).length;
  }
}
