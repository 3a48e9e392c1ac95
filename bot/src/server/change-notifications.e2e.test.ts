// End to end: the tenant simulator posts a change notification to the restify server, the receiver
// persists it, the dispatcher runs a real delta round (the sync core's syncTrackedMailbox), and the
// new meeting is in the store within 5 seconds of being created.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@warmpath/shared/config';
import { createGraphClient, type GraphClient } from '@warmpath/shared/graph';
import { openStore, upsertMailboxes, upsertTenant, type Store } from '@warmpath/shared/store';
import { syncTrackedMailbox } from '@warmpath/shared/sync';
import {
  createChangeNotificationService,
  type ChangeNotificationService,
} from '@warmpath/shared/sync/notifications';
import { createTenantEngine, startSimServer, type SimServer } from '@warmpath/sim';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNotificationServer, type NotificationServer } from './create-notification-server.js';
import { GRAPH_LIFECYCLE_PATH, GRAPH_NOTIFICATIONS_PATH } from './graph-notification-routes.js';

const FIXTURE = fileURLToPath(new URL('../../../sim/fixtures/small-tenant.json', import.meta.url));
const ADELE = { id: 'a1d3c6b2-7e4f-4c1a-8b2d-3f5e6a7b8c01', upn: 'adele.vance@contoso.com' };
const DAY = 24 * 60 * 60_000;

const silent = pino({ level: 'silent' });
let dir: string;
let sim: SimServer;
let graph: GraphClient;
let store: Store;
let tenantId: string;
let server: NotificationServer;
let notifications: ChangeNotificationService;
const rounds: string[] = [];

/** One real delta round of a mailbox through the sync core; a failed round is an error here. */
async function requestMailboxSync(tenant: string, userId: string): Promise<void> {
  rounds.push(userId);
  const outcome = await syncTrackedMailbox({
    store,
    tenantId: tenant,
    userId,
    graph,
    logger: silent,
  });
  if (outcome?.state === 'error') throw new Error(outcome.failure?.message ?? 'sync failed');
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'warmpath-e2e-'));
  sim = await startSimServer({
    engines: [createTenantEngine(JSON.parse(readFileSync(FIXTURE, 'utf8')))],
    port: 0,
  });
  const tenant = loadConfig(sim.env()).microsoft;
  if (!tenant) throw new Error('the simulator environment configured no tenant');
  tenantId = tenant.tenantId;
  graph = createGraphClient({ tenant, logger: silent });
  store = await openStore(`sqlite:${path.join(dir, 'warmpath.db')}`);
  await store.migrate();
  await upsertTenant(store.db, tenantId, {
    displayName: 'Contoso',
    verifiedDomains: ['contoso.com', 'contoso-labs.io'],
  });
  await upsertMailboxes(store.db, tenantId, [
    { userId: ADELE.id, userPrincipalName: ADELE.upn, trackedVia: ['all'] },
  ]);
  await requestMailboxSync(tenantId, ADELE.id);

  // hosted first: the service needs the URLs, Graph validates them when subscribing
  server = await createNotificationServer({
    port: 0,
    logger: silent,
    receiver: {
      handleNotifications: (request) => notifications.receiver.handleNotifications(request),
      handleLifecycle: (request) => notifications.receiver.handleLifecycle(request),
    },
  });
  notifications = createChangeNotificationService({
    store,
    graphForTenant: (id) => (id === tenantId ? graph : undefined),
    notificationUrl: `${server.url}${GRAPH_NOTIFICATIONS_PATH}`,
    lifecycleUrl: `${server.url}${GRAPH_LIFECYCLE_PATH}`,
    requestMailboxSync,
    logger: silent,
  });
  notifications.start();
  const passes = await notifications.maintainSubscriptions();
  expect(passes.get(tenantId)?.created).toEqual([ADELE.id]);
});

afterAll(async () => {
  await notifications?.stop();
  await server?.close();
  await graph?.close();
  await sim?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('an event created in the simulator reaches the store through a notification within 5 seconds', async () => {
  rounds.length = 0;
  const start = new Date(Date.now() + DAY);
  start.setUTCHours(15, 0, 0, 0);
  const wallClock = (date: Date) => date.toISOString().slice(0, 19);

  const createdAt = Date.now();
  const response = await fetch(`${sim.url}/_sim/users/${ADELE.upn}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      subject: 'Intro: Adele and Jane',
      start: { dateTime: wallClock(start), timeZone: 'UTC' },
      end: { dateTime: wallClock(new Date(start.getTime() + 30 * 60_000)), timeZone: 'UTC' },
      attendees: [
        {
          type: 'required',
          emailAddress: { address: 'jane.doe@fabrikam.example', name: 'Jane Doe' },
        },
      ],
    }),
  });
  expect(response.status).toBe(201);
  const { iCalUId } = (await response.json()) as { iCalUId: string };

  let stored: { event_id: number } | undefined;
  while (stored === undefined && Date.now() - createdAt < 5_000) {
    stored = await store.db
      .selectFrom('events')
      .select('event_id')
      .where('tenant_id', '=', tenantId)
      .where('ical_uid', '=', iCalUId)
      .executeTakeFirst();
    if (stored === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
  }

  expect(stored, 'the meeting should be stored within 5 s of its creation').toBeDefined();
  await notifications.dispatcher.whenIdle();
  expect(rounds).toEqual([ADELE.id]);
  const attendees = await store.db
    .selectFrom('attendance')
    .innerJoin('people', (join) =>
      join
        .onRef('people.tenant_id', '=', 'attendance.tenant_id')
        .onRef('people.person_id', '=', 'attendance.person_id'),
    )
    .select('people.email')
    .where('attendance.tenant_id', '=', tenantId)
    .where('attendance.event_id', '=', stored!.event_id)
    .execute();
  expect(attendees.map((a) => a.email).sort()).toEqual([ADELE.upn, 'jane.doe@fabrikam.example']);
});
