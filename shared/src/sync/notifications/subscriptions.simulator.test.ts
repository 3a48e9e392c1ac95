// Subscriptions, lifecycle events and the polling fallback against the tenant simulator, which
// runs Graph's validation handshake and posts notifications to the receiver over HTTP.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTenantEngine, startSimServer, type SimServer } from '@warmpath/sim';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { createGraphClient, GraphError, type GraphClient } from '../../graph/index.js';
import {
  getMailbox,
  listPendingNotifications,
  openStore,
  saveMailboxSubscription,
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
const MEGAN = 'c3f5e8d4-9a6b-4e3c-8d4f-5b7a8c9d0e03';
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

describe("reconciling with Graph's list of subscriptions", () => {
  /** A service whose receiver the simulator reaches, recording the delta rounds it requests. */
  async function hostedService(
    synced: string[],
    graphClient: GraphClient = graph,
    logger = silent,
  ): Promise<ChangeNotificationService> {
    host = await hostReceiver({
      handleNotifications: (request) => service!.receiver.handleNotifications(request),
      handleLifecycle: (request) => service!.receiver.handleLifecycle(request),
    });
    service = createChangeNotificationService({
      store,
      graphForTenant: () => graphClient,
      notificationUrl: host.notificationUrl,
      lifecycleUrl: host.lifecycleUrl,
      requestMailboxSync: async (_tenant, userId) => {
        synced.push(userId);
      },
      logger,
    });
    return service;
  }

  /** POST /subscriptions straight to Graph, as a crashed process or another deployment did. */
  async function subscribeDirectly(userId: string, notificationUrl: string): Promise<string> {
    const created = await graph.request<{ id: string }>('POST', '/subscriptions', {
      body: {
        changeType: 'created,updated,deleted',
        notificationUrl,
        resource: `/users/${userId}/events`,
        expirationDateTime: new Date(Date.now() + 60 * MINUTE).toISOString(),
        clientState: 'not-known-to-the-store',
      },
    });
    return created?.id as string;
  }

  async function passOf(notifications: ChangeNotificationService) {
    const results = await notifications.maintainSubscriptions();
    const result = results.get(tenantId);
    if (result === undefined) throw new Error('the pass gave no result for the tenant');
    return result;
  }

  it('re-creates a stored subscription Graph no longer lists, and runs a delta round for that mailbox', async () => {
    await seedMailboxes(ADELE, ALEX);
    const synced: string[] = [];
    const notifications = await hostedService(synced);
    expect((await passOf(notifications)).created.sort()).toEqual([ADELE, ALEX].sort());
    const gone = (await simSubscriptions()).find((s) => s.userId === ADELE) as SimSubscription;
    await graph.request('DELETE', `/subscriptions/${gone.id}`);

    const result = await passOf(notifications);
    await notifications.dispatcher.whenIdle();

    expect(result).toMatchObject({
      reconciled: true,
      missing: [ADELE],
      created: [ADELE],
      unchanged: [ALEX],
      failures: [],
      orphansDeleted: [],
    });
    const replacement = (await simSubscriptions()).find((s) => s.userId === ADELE);
    expect(replacement?.id).toBeDefined();
    expect(replacement?.id).not.toBe(gone.id);
    expect((await getMailbox(store.db, tenantId, ADELE))?.subscriptionId).toBe(replacement?.id);
    expect(synced.length).toBeGreaterThanOrEqual(1);
    expect(new Set(synced)).toEqual(new Set([ADELE]));
    expect(await listPendingNotifications(store.db, tenantId)).toEqual([]);

    const settled = await passOf(notifications);
    expect(settled.missing).toEqual([]);
    expect(settled.unchanged.sort()).toEqual([ADELE, ALEX].sort());
  });

  it('re-creates every subscription after a simulator restart, reusing the store', async () => {
    await seedMailboxes(ADELE, ALEX);
    const { notificationUrl, lifecycleUrl } = await startHost();
    const options = { store, tenantId, notificationUrl, lifecycleUrl, logger: silent };
    await ensureMailboxSubscriptions({ ...options, graph });
    const before = new Set((await simSubscriptions()).map((s) => s.id));

    const restarted = await startSimServer({
      engines: [createTenantEngine(JSON.parse(readFileSync(FIXTURE, 'utf8')))],
      port: 0,
    });
    const tenant = loadConfig(restarted.env()).microsoft;
    if (!tenant) throw new Error('the simulator environment configured no tenant');
    expect(tenant.tenantId).toBe(tenantId);
    const restartedGraph = createGraphClient({ tenant, logger: silent, maxRetries: 0 });
    try {
      const result = await ensureMailboxSubscriptions({ ...options, graph: restartedGraph });

      expect(result.missing.sort()).toEqual([ADELE, ALEX].sort());
      expect(result.created.sort()).toEqual([ADELE, ALEX].sort());
      const listed = await restartedGraph.get<{ value: Array<{ id: string }> }>('/subscriptions');
      expect(listed.value).toHaveLength(2);
      for (const userId of [ADELE, ALEX]) {
        const subscriptionId = (await getMailbox(store.db, tenantId, userId))?.subscriptionId;
        expect(listed.value.map((s) => s.id)).toContain(subscriptionId);
        expect(before.has(subscriptionId as string)).toBe(false);
      }
      // without a dispatcher the rounds wait in sync_inbox for the next sweep
      const pending = await listPendingNotifications(store.db, tenantId);
      expect(new Set(pending.map((row) => row.userId))).toEqual(new Set([ADELE, ALEX]));
    } finally {
      await restartedGraph.close();
      await restarted.close();
    }
  });

  it('deletes a subscription to our notificationUrl that no mailbox in the store holds', async () => {
    await seedMailboxes(ADELE);
    const notifications = await hostedService([]);
    await passOf(notifications);
    const adeles = (await getMailbox(store.db, tenantId, ADELE))?.subscriptionId;
    const orphan = await subscribeDirectly(ALEX, host!.notificationUrl);

    const result = await passOf(notifications);

    expect(result).toMatchObject({ orphansDeleted: [orphan], unchanged: [ADELE], missing: [] });
    expect((await simSubscriptions()).map((s) => s.id)).toEqual([adeles]);
  });

  it("leaves another deployment's subscriptions (another notificationUrl) alone", async () => {
    await seedMailboxes(ADELE);
    const notifications = await hostedService([]);
    const elsewhere = await hostReceiver(new GraphWebhookReceiver({ store, logger: silent }));
    try {
      const foreign = await subscribeDirectly(ALEX, elsewhere.notificationUrl);

      const result = await passOf(notifications);
      const again = await passOf(notifications);

      expect(result).toMatchObject({ created: [ADELE], orphansDeleted: [], reconciled: true });
      expect(again).toMatchObject({ unchanged: [ADELE], orphansDeleted: [], missing: [] });
      expect((await simSubscriptions()).map((s) => s.id)).toContain(foreign);
    } finally {
      await elsewhere.close();
    }
  });

  it('keeps a subscription saved while the list was read (a lifecycle re-creation racing the pass)', async () => {
    await seedMailboxes(ADELE);
    let raced: string | undefined;
    const racing: GraphClient = {
      ...graph,
      getAllPages: async function* <T>(path: string) {
        // created and saved after the pass read the store, before Graph answered the list
        const clientState = 'raced-client-state';
        raced = await subscribeDirectly(ADELE, host!.notificationUrl);
        await saveMailboxSubscription(store.db, tenantId, ADELE, {
          subscriptionId: raced,
          expiresAt: Date.now() + 60 * MINUTE,
          clientStateHash: hashClientState(clientState),
        });
        yield* graph.getAllPages<T>(path);
      },
    };
    const notifications = await hostedService([], racing);

    const result = await passOf(notifications);

    expect(result).toMatchObject({ reconciled: true, missing: [], orphansDeleted: [] });
    expect((await simSubscriptions()).map((s) => s.id)).toEqual([raced]);
    expect((await getMailbox(store.db, tenantId, ADELE))?.subscriptionId).toBe(raced);
  });

  it('completes the pass on what the store says when Graph refuses the list', async () => {
    await seedMailboxes(ADELE);
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const refusing: GraphClient = {
      ...graph,
      getAllPages: () => {
        throw new GraphError({
          status: 403,
          code: 'Authorization_RequestDenied',
          message: 'Insufficient privileges to complete the operation.',
        });
      },
    };
    const notifications = await hostedService([], refusing, logger);
    await passOf(notifications);
    const gone = (await getMailbox(store.db, tenantId, ADELE))?.subscriptionId as string;
    await graph.request('DELETE', `/subscriptions/${gone}`);
    const orphan = await subscribeDirectly(ALEX, host!.notificationUrl);
    await seedMailboxes(MEGAN);

    const result = await passOf(notifications);

    // today's behaviour: the stored subscription is trusted, new mailboxes are still subscribed
    expect(result.reconciled).toBe(false);
    expect(result.unchanged).toEqual([ADELE]);
    expect(result.created).toEqual([MEGAN]);
    expect(result.failures).toEqual([]);
    expect(result.missing).toEqual([]);
    expect(result.orphansDeleted).toEqual([]);
    expect((await simSubscriptions()).map((s) => s.id)).toContain(orphan);
    expect(lines.map((line) => JSON.parse(line) as { msg: string }).map((l) => l.msg)).toContain(
      'could not list graph subscriptions; this pass trusts the stored ones',
    );
  });
});
