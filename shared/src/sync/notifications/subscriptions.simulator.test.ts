// Subscriptions, lifecycle events and the polling fallback against the tenant simulator, which
// runs Graph's validation handshake and posts notifications to the receiver over HTTP.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTenantEngine, startSimServer, type SimServer } from '@warmpath/sim';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { createGraphClient, type GraphClient } from '../../graph/index.js';
import {
  getMailbox,
  openStore,
  setMailboxState,
  upsertMailboxes,
  upsertTenant,
  type Store,
} from '../../store/index.js';
import { hashClientState } from './client-state.js';
import { PollingFallback } from './polling.js';
import { GraphWebhookReceiver } from './receiver.js';
import { createChangeNotificationService, type ChangeNotificationService } from './service.js';
import { ensureMailboxSubscriptions, SubscriptionManager } from './subscriptions.js';
import { hostReceiver, unreachableUrl, waitUntil, type WebhookHost } from './testing.js';

const FIXTURE = fileURLToPath(
  new URL('../../../../sim/fixtures/small-tenant.json', import.meta.url),
);
const ADELE = 'a1d3c6b2-7e4f-4c1a-8b2d-3f5e6a7b8c01';
const ALEX = 'b2e4d7c3-8f5a-4d2b-9c3e-4a6f7b8c9d02';
/** Has no mailbox: Graph answers 404 MailboxNotEnabledForRESTAPI. */
const LEE = 'd4a6f9e5-0b7c-4f4d-9e5a-6c8b9d0e1f04';
const MINUTE = 60_000;

interface SimSubscription {
  id: string;
  userId: string;
  resource: string;
  changeType: string;
  clientState: string | null;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expirationDateTime: string;
}

let sim: SimServer;
let graph: GraphClient;
let tenantId: string;
let store: Store;
let host: WebhookHost | undefined;
let service: ChangeNotificationService | undefined;
let storeCount = 0;
const silent = pino({ level: 'silent' });

beforeAll(async () => {
  sim = await startSimServer({
    engines: [createTenantEngine(JSON.parse(readFileSync(FIXTURE, 'utf8')))],
    port: 0,
    delivery: { initialBackoffMs: 50, maxRetryMs: 2_000 },
  });
  const tenant = loadConfig(sim.env()).microsoft;
  if (!tenant) throw new Error('the simulator environment configured no tenant');
  tenantId = tenant.tenantId;
  graph = createGraphClient({ tenant, logger: silent, maxRetries: 0 });
});

afterAll(async () => {
  await graph.close();
  await sim.close();
});

beforeEach(async () => {
  store = await openStore(`sqlite::memory:`);
  storeCount += 1;
  await store.migrate();
  await upsertTenant(store.db, tenantId, { displayName: `Contoso ${storeCount}` });
});

afterEach(async () => {
  await service?.stop();
  service = undefined;
  await host?.close();
  host = undefined;
  for (const subscription of await simSubscriptions()) {
    await graph.request('DELETE', `/subscriptions/${subscription.id}`);
  }
  await store.close();
});

async function simSubscriptions(): Promise<SimSubscription[]> {
  const response = await fetch(`${sim.url}/_sim/subscriptions`);
  return ((await response.json()) as { value: SimSubscription[] }).value;
}

async function lifecycle(subscriptionId: string, lifecycleEvent: string): Promise<void> {
  const response = await fetch(`${sim.url}/_sim/subscriptions/${subscriptionId}/lifecycle`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lifecycleEvent }),
  });
  const body = (await response.json()) as { delivered: boolean };
  expect(body.delivered).toBe(true);
}

async function seedMailboxes(...userIds: string[]): Promise<void> {
  await upsertMailboxes(
    store.db,
    tenantId,
    userIds.map((userId) => ({ userId, userPrincipalName: userId, trackedVia: ['all'] })),
  );
  for (const userId of userIds) {
    await setMailboxState(store.db, tenantId, userId, { state: 'synced', at: Date.now() });
  }
}

async function startHost(): Promise<WebhookHost> {
  host = await hostReceiver(new GraphWebhookReceiver({ store, logger: silent }));
  return host;
}

describe('ensureMailboxSubscriptions', () => {
  it('creates one subscription per synced mailbox on its events, with a lifecycle URL and a random clientState stored only as a hash', async () => {
    await seedMailboxes(ADELE, ALEX);
    const { notificationUrl, lifecycleUrl } = await startHost();

    const result = await ensureMailboxSubscriptions({
      store,
      graph,
      tenantId,
      notificationUrl,
      lifecycleUrl,
    });

    expect(result.created.sort()).toEqual([ADELE, ALEX].sort());
    expect(result.failures).toEqual([]);
    const subscriptions = await simSubscriptions();
    expect(subscriptions).toHaveLength(2);
    for (const subscription of subscriptions) {
      expect(subscription).toMatchObject({
        resource: `/users/${subscription.userId}/events`,
        changeType: 'created,updated,deleted',
        notificationUrl,
        lifecycleNotificationUrl: lifecycleUrl,
      });
      expect(subscription.clientState).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const row = await store.db
        .selectFrom('mailboxes')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', subscription.userId)
        .executeTakeFirstOrThrow();
      expect(row.subscription_id).toBe(subscription.id);
      expect(row.subscription_client_state_hash).toBe(
        hashClientState(subscription.clientState as string),
      );
      expect(JSON.stringify(row)).not.toContain(subscription.clientState);
    }
    expect(subscriptions[0]?.clientState).not.toBe(subscriptions[1]?.clientState);

    const again = await ensureMailboxSubscriptions({
      store,
      graph,
      tenantId,
      notificationUrl,
      lifecycleUrl,
    });
    expect(again.unchanged.sort()).toEqual([ADELE, ALEX].sort());
    expect(await simSubscriptions()).toHaveLength(2);
  });

  it('renews a subscription before it expires, and only once it is within the renewal margin', async () => {
    await seedMailboxes(ADELE);
    const { notificationUrl, lifecycleUrl } = await startHost();
    const options = { store, graph, tenantId, notificationUrl, lifecycleUrl };
    await ensureMailboxSubscriptions({ ...options, lifetimeMinutes: 60 });
    const [created] = await simSubscriptions();

    const early = await ensureMailboxSubscriptions({ ...options, renewWithinMs: 30 * MINUTE });
    expect(early.unchanged).toEqual([ADELE]);

    const before = Date.now();
    const due = await ensureMailboxSubscriptions({ ...options, renewWithinMs: 2 * 60 * MINUTE });
    expect(due.renewed).toEqual([ADELE]);
    const [renewed] = await simSubscriptions();
    expect(renewed?.id).toBe(created?.id);
    const expiresAt = Date.parse(renewed?.expirationDateTime ?? '');
    expect(expiresAt).toBeGreaterThanOrEqual(before + 4200 * MINUTE);
    expect((await getMailbox(store.db, tenantId, ADELE))?.subscriptionExpiresAt).toBe(expiresAt);
  });

  it('re-creates a subscription Graph no longer has when renewing it', async () => {
    await seedMailboxes(ADELE);
    const { notificationUrl, lifecycleUrl } = await startHost();
    const options = { store, graph, tenantId, notificationUrl, lifecycleUrl };
    await ensureMailboxSubscriptions({ ...options, lifetimeMinutes: 60 });
    const [gone] = await simSubscriptions();
    await graph.request('DELETE', `/subscriptions/${gone?.id}`);

    const result = await ensureMailboxSubscriptions({ ...options, renewWithinMs: 2 * 60 * MINUTE });

    expect(result.created).toEqual([ADELE]);
    const [replacement] = await simSubscriptions();
    expect(replacement?.id).not.toBe(gone?.id);
    expect((await getMailbox(store.db, tenantId, ADELE))?.subscriptionId).toBe(replacement?.id);
  });

  it('deletes the subscription of a mailbox that left the sync', async () => {
    await seedMailboxes(ADELE, ALEX);
    const { notificationUrl, lifecycleUrl } = await startHost();
    const options = { store, graph, tenantId, notificationUrl, lifecycleUrl };
    await ensureMailboxSubscriptions(options);
    await setMailboxState(store.db, tenantId, ALEX, { state: 'removed' });

    const result = await ensureMailboxSubscriptions(options);

    expect(result.deleted).toEqual([ALEX]);
    expect((await simSubscriptions()).map((s) => s.userId)).toEqual([ADELE]);
    expect(await getMailbox(store.db, tenantId, ALEX)).toMatchObject({
      subscriptionId: null,
      subscriptionExpiresAt: null,
      subscriptionClientStateHash: null,
    });
  });

  it('keeps going when one mailbox fails, keeps a readable reason, and polls that mailbox', async () => {
    await seedMailboxes(ADELE, LEE);
    const { notificationUrl, lifecycleUrl } = await startHost();
    const manager = new SubscriptionManager({
      store,
      graphForTenant: () => graph,
      endpoints: { notificationUrl, lifecycleUrl },
      logger: silent,
    });

    const result = await manager.ensureTenant(tenantId);

    expect(result.created).toEqual([ADELE]);
    expect(result.failures).toEqual([
      expect.objectContaining({
        userId: LEE,
        action: 'create',
        code: 'MailboxNotEnabledForRESTAPI',
      }),
    ]);
    expect(result.failures[0]?.message).toMatch(/mailbox/i);
    const polling = new PollingFallback({
      store,
      requestMailboxSync: async () => undefined,
      subscriptions: manager,
    });
    expect(await polling.pollingMailboxes(tenantId)).toEqual([
      expect.objectContaining({
        userId: LEE,
        reason: 'noSubscription',
        lastFailure: expect.objectContaining({ code: 'MailboxNotEnabledForRESTAPI' }),
      }),
    ]);
  });
});

describe('polling fallback', () => {
  it('polls every mailbox when Graph cannot reach the notification URL (the handshake fails)', async () => {
    await seedMailboxes(ADELE, ALEX);
    const notificationUrl = await unreachableUrl();
    const synced: string[] = [];
    service = createChangeNotificationService({
      store,
      graphForTenant: () => graph,
      notificationUrl,
      lifecycleUrl: notificationUrl.replace('/notifications', '/lifecycle'),
      requestMailboxSync: async (_tenant, userId) => {
        synced.push(userId);
      },
      logger: silent,
    });

    const results = await service.maintainSubscriptions();

    const failures = results.get(tenantId)?.failures ?? [];
    expect(failures.map((f) => [f.userId, f.code]).sort()).toEqual(
      [
        [ADELE, 'InvalidRequest'],
        [ALEX, 'InvalidRequest'],
      ].sort(),
    );
    expect(failures[0]?.message).toMatch(/validation/i);
    expect(await simSubscriptions()).toEqual([]);
    expect((await service.pollingMailboxes(tenantId)).map((m) => m.userId).sort()).toEqual(
      [ADELE, ALEX].sort(),
    );

    const polled = await service.polling.pollOnce();

    expect(polled.polled.map((m) => m.userId).sort()).toEqual([ADELE, ALEX].sort());
    expect(synced.sort()).toEqual([ADELE, ALEX].sort());
  });
});

describe('lifecycle notifications from Graph', () => {
  /** The service with its receiver hosted for the simulator, and subscriptions for `userIds`. */
  async function subscribedService(
    synced: string[],
    ...userIds: string[]
  ): Promise<ChangeNotificationService> {
    await seedMailboxes(...userIds);
    // hosted first: the service needs the URLs, the host needs the service's receiver
    host = await hostReceiver({
      handleNotifications: (request) => service!.receiver.handleNotifications(request),
      handleLifecycle: (request) => service!.receiver.handleLifecycle(request),
    });
    service = createChangeNotificationService({
      store,
      graphForTenant: () => graph,
      notificationUrl: host.notificationUrl,
      lifecycleUrl: host.lifecycleUrl,
      requestMailboxSync: async (_tenant, userId) => {
        synced.push(userId);
      },
      logger: silent,
    });
    // a short first lifetime, so a renewal shows in the expiration
    await ensureMailboxSubscriptions({
      store,
      graph,
      tenantId,
      notificationUrl: host.notificationUrl,
      lifecycleUrl: host.lifecycleUrl,
      lifetimeMinutes: 60,
    });
    return service;
  }

  it('reauthorizationRequired renews the subscription: the simulator shows the new expiration', async () => {
    const synced: string[] = [];
    const notifications = await subscribedService(synced, ADELE);
    const [before] = await simSubscriptions();
    const sent = Date.now();

    await lifecycle(before?.id as string, 'reauthorizationRequired');
    await notifications.receiver.whenIdle();

    const [after] = await simSubscriptions();
    expect(after?.id).toBe(before?.id);
    expect(Date.parse(after?.expirationDateTime ?? '')).toBeGreaterThanOrEqual(
      sent + 4200 * MINUTE,
    );
    expect((await getMailbox(store.db, tenantId, ADELE))?.subscriptionExpiresAt).toBe(
      Date.parse(after?.expirationDateTime ?? ''),
    );
    expect(synced).toEqual([]);
  });

  it('subscriptionRemoved re-creates the subscription and runs a delta round', async () => {
    const synced: string[] = [];
    const notifications = await subscribedService(synced, ADELE, ALEX);
    const removed = (await simSubscriptions()).find((s) => s.userId === ADELE) as SimSubscription;

    await lifecycle(removed.id, 'subscriptionRemoved');
    await notifications.receiver.whenIdle();
    await notifications.dispatcher.whenIdle();

    const recreated = (await simSubscriptions()).find((s) => s.userId === ADELE);
    expect(recreated?.id).toBeDefined();
    expect(recreated?.id).not.toBe(removed.id);
    expect((await getMailbox(store.db, tenantId, ADELE))?.subscriptionId).toBe(recreated?.id);
    expect(synced.length).toBeGreaterThanOrEqual(1);
    expect(new Set(synced)).toEqual(new Set([ADELE]));
  });

  it('missed runs a delta round and leaves the subscription alone', async () => {
    const synced: string[] = [];
    const notifications = await subscribedService(synced, ADELE);
    const [before] = await simSubscriptions();

    await lifecycle(before?.id as string, 'missed');
    await waitUntil(() => synced.length > 0, 5_000, 'the delta round after missed');
    await notifications.dispatcher.whenIdle();

    expect(synced).toEqual([ADELE]);
    expect((await simSubscriptions()).map((s) => s.id)).toEqual([before?.id]);
  });

  it('an event created in the simulator leads to one delta round of its mailbox', async () => {
    const synced: string[] = [];
    const notifications = await subscribedService(synced, ADELE);

    const created = await fetch(`${sim.url}/_sim/users/${ADELE}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        subject: 'Quarterly review',
        start: { dateTime: '2026-12-02T10:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-12-02T10:30:00', timeZone: 'UTC' },
      }),
    });
    expect(created.status).toBe(201);
    await waitUntil(() => synced.length > 0, 5_000, 'the delta round after the notification');
    await notifications.dispatcher.whenIdle();

    expect(synced).toEqual([ADELE]);
  });
});
