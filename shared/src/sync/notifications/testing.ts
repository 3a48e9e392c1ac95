// Test helpers for change notifications: seeded mailboxes with subscriptions, Graph-shaped payloads,
// and a plain node:http host for the framework-free receiver (the simulator must reach it).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  saveMailboxSubscription,
  setMailboxState,
  upsertMailboxes,
  type Store,
} from '../../store/index.js';
import { hashClientState, newClientState } from './client-state.js';
import type { GraphWebhookReceiver, WebhookRequest } from './receiver.js';

export interface SeededSubscription {
  userId: string;
  subscriptionId: string;
  /** the secret Graph would echo */
  clientState: string;
}

/** A synced mailbox whose subscription is recorded as Graph would have created it. */
export async function seedSubscribedMailbox(
  store: Pick<Store, 'db'>,
  tenantId: string,
  userId: string,
  expiresAt = Date.now() + 24 * 60 * 60_000,
): Promise<SeededSubscription> {
  await upsertMailboxes(store.db, tenantId, [
    { userId, userPrincipalName: `${userId}@contoso.com`, trackedVia: ['group-all'] },
  ]);
  await setMailboxState(store.db, tenantId, userId, { state: 'synced', at: Date.now() });
  const subscriptionId = randomUUID();
  const clientState = newClientState();
  await saveMailboxSubscription(store.db, tenantId, userId, {
    subscriptionId,
    expiresAt,
    clientStateHash: hashClientState(clientState),
  });
  return { userId, subscriptionId, clientState };
}

/** A basic change notification for an event, shaped like graph-facts §4. */
export function changeNotification(
  tenantId: string,
  subscription: Pick<SeededSubscription, 'userId' | 'subscriptionId' | 'clientState'>,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const eventId = `AAMkAD${randomUUID().replace(/-/g, '')}`;
  return {
    id: randomUUID(),
    subscriptionId: subscription.subscriptionId,
    subscriptionExpirationDateTime: '2030-03-20T11:00:00.0000000Z',
    clientState: subscription.clientState,
    changeType: 'created',
    resource: `Users/${subscription.userId}/Events/${eventId}`,
    tenantId,
    resourceData: {
      '@odata.type': '#Microsoft.Graph.Event',
      '@odata.id': `Users/${subscription.userId}/Events/${eventId}`,
      '@odata.etag': 'W/"CQAAABYAAADkrWGo7bouTKlsgTZMr9KwAAAUWRHf"',
      id: eventId,
    },
    ...overrides,
  };
}

/** A lifecycle notification, shaped like shared/graph-samples/webhooks-lifecycle__*.json. */
export function lifecycleNotification(
  tenantId: string,
  subscription: Pick<SeededSubscription, 'subscriptionId' | 'clientState'>,
  lifecycleEvent: string,
): Record<string, unknown> {
  return {
    subscriptionId: subscription.subscriptionId,
    subscriptionExpirationDateTime: '2030-03-20T11:00:00.0000000Z',
    tenantId,
    clientState: subscription.clientState,
    lifecycleEvent,
  };
}

export function webhookRequest(items: unknown[], query = ''): WebhookRequest {
  return { query: new URLSearchParams(query), rawBody: JSON.stringify({ value: items }) };
}

export interface WebhookHost {
  notificationUrl: string;
  lifecycleUrl: string;
  close(): Promise<void>;
}

/** Serves the receiver on http://127.0.0.1 at /notifications and /lifecycle. */
export async function hostReceiver(
  receiver: Pick<GraphWebhookReceiver, 'handleNotifications' | 'handleLifecycle'>,
): Promise<WebhookHost> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: WebhookRequest = { query: url.searchParams, rawBody: Buffer.concat(chunks) };
      const handle =
        url.pathname === '/lifecycle'
          ? receiver.handleLifecycle(request)
          : receiver.handleNotifications(request);
      void handle.then((response) => {
        res.writeHead(response.status, response.headers);
        res.end(response.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    notificationUrl: `${base}/notifications`,
    lifecycleUrl: `${base}/lifecycle`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL on 127.0.0.1 where nothing listens: Graph's handshake cannot reach it. */
export async function unreachableUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/notifications`;
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
