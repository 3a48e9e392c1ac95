// The restify routes over real HTTP: handshake, persisting, limits, health, and Node 24 loading.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  listPendingNotifications,
  openStore,
  saveMailboxSubscription,
  setMailboxState,
  upsertMailboxes,
  upsertTenant,
  type Store,
} from '@warmpath/shared/store';
import {
  GraphWebhookReceiver,
  hashClientState,
  newClientState,
} from '@warmpath/shared/sync/notifications';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationServer, type NotificationServer } from './create-notification-server.js';
import { GRAPH_LIFECYCLE_PATH, GRAPH_NOTIFICATIONS_PATH } from './graph-notification-routes.js';

const TENANT = 'tenant-routes';
const USER = 'user-adele';
const TOKEN = 'Validation: Testing client application reachability for subscription Request-Id: 42';

let dir: string;
let store: Store;
let server: NotificationServer;
const subscriptionId = randomUUID();
const clientState = newClientState();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'warmpath-routes-'));
  store = await openStore(`sqlite:${path.join(dir, 'store.db')}`);
  await store.migrate();
  await upsertTenant(store.db, TENANT, { displayName: 'Contoso' });
  await upsertMailboxes(store.db, TENANT, [
    { userId: USER, userPrincipalName: 'adele@contoso.com', trackedVia: ['all'] },
  ]);
  await setMailboxState(store.db, TENANT, USER, { state: 'synced', at: Date.now() });
  await saveMailboxSubscription(store.db, TENANT, USER, {
    subscriptionId,
    expiresAt: Date.now() + 3_600_000,
    clientStateHash: hashClientState(clientState),
  });
  server = await createNotificationServer({
    port: 0,
    receiver: new GraphWebhookReceiver({ store }),
    logger: pino({ level: 'silent' }),
    maxBodyBytes: 64 * 1024,
  });
});

afterAll(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function post(pathAndQuery: string, body: string, contentType = 'application/json') {
  return fetch(`${server.url}${pathAndQuery}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
}

function notification(overrides: Record<string, unknown> = {}) {
  return {
    subscriptionId,
    clientState,
    changeType: 'created',
    tenantId: TENANT,
    resource: `Users/${USER}/Events/AAMkAD1`,
    resourceData: { '@odata.type': '#Microsoft.Graph.Event', id: 'AAMkAD1' },
    ...overrides,
  };
}

describe('graph notification routes', () => {
  it('loads restify without the http_parser binding Node 24 removed', () => {
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    expect(loaded.some((file) => file.includes(`${path.sep}restify${path.sep}`))).toBe(true);
    expect(loaded.some((file) => file.includes('http-deceiver'))).toBe(false);
  });

  it('answers the validation handshake on both paths with the decoded token as text/plain', async () => {
    for (const route of [GRAPH_NOTIFICATIONS_PATH, GRAPH_LIFECYCLE_PATH]) {
      const response = await post(
        `${route}?validationToken=${encodeURIComponent(TOKEN)}`,
        '',
        'text/plain; charset=utf-8',
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toBe(TOKEN);
    }
  });

  it('persists a notification and answers 202', async () => {
    const response = await post(
      GRAPH_NOTIFICATIONS_PATH,
      JSON.stringify({ value: [notification()] }),
    );

    expect(response.status).toBe(202);
    const pending = await listPendingNotifications(store.db, TENANT);
    expect(pending.map((n) => n.subscriptionId)).toContain(subscriptionId);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const response = await post(GRAPH_NOTIFICATIONS_PATH, '{"value": [');
    expect(response.status).toBe(400);
  });

  it('refuses a body over the limit with 413 and persists nothing', async () => {
    const before = (await listPendingNotifications(store.db, TENANT)).length;
    const padding = 'x'.repeat(70 * 1024);
    const response = await post(
      GRAPH_NOTIFICATIONS_PATH,
      JSON.stringify({ value: [notification({ padding })] }),
    );

    expect(response.status).toBe(413);
    expect(await listPendingNotifications(store.db, TENANT)).toHaveLength(before);
  });

  it('serves /healthz', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
