// The Graph client against the tenant simulator (sim/): real HTTPS, MSAL, paging, faults, limits.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createTenantEngine,
  startSimServer,
  type SimServer,
  type TenantEngine,
} from '@warmpath/sim';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type MicrosoftTenantConfig } from '../config/index.js';
import { GraphError } from './errors.js';
import { createGraphClient, type GraphClient, type GraphClientOptions } from './graph-client.js';

const FIXTURE = fileURLToPath(new URL('../../../sim/fixtures/small-tenant.json', import.meta.url));
/** Holds every meeting of the fixture. */
const WINDOW = 'startDateTime=2026-08-01T00:00:00Z&endDateTime=2027-01-01T00:00:00Z';

interface Event {
  id: string;
  subject?: string;
  '@removed'?: unknown;
}

interface Simulator {
  server: SimServer;
  engine: TenantEngine;
  tenant: MicrosoftTenantConfig;
  clients: GraphClient[];
  client(options?: Partial<GraphClientOptions>): GraphClient;
  faults(settings: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

async function startSimulator(): Promise<Simulator> {
  const engine = createTenantEngine(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  const server = await startSimServer({ engines: [engine], port: 0 });
  const tenant = loadConfig(server.env()).microsoft;
  if (!tenant) throw new Error('the simulator environment configured no tenant');
  const clients: GraphClient[] = [];
  return {
    server,
    engine,
    tenant,
    clients,
    client(options = {}) {
      const client = createGraphClient({ tenant, logger: pino({ level: 'silent' }), ...options });
      clients.push(client);
      return client;
    },
    async faults(settings) {
      const response = await fetch(`${server.url}/_sim/faults`, {
        method: Object.keys(settings).length === 0 ? 'DELETE' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: Object.keys(settings).length === 0 ? undefined : JSON.stringify(settings),
      });
      if (!response.ok) throw new Error(`faults: ${response.status} ${await response.text()}`);
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await server.close();
    },
  };
}

async function collect<T>(
  pages: AsyncIterable<{ value: T[] }>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let count = 0;
  for await (const page of pages) {
    items.push(...page.value);
    count += 1;
  }
  return { items, pages: count };
}

/** One full calendarView/delta round of a mailbox: the events by id, and the deltaLink. */
async function deltaRound(
  client: GraphClient,
  userId: string,
): Promise<{ events: string; deltaLink: string }> {
  const events = new Map<string, Event>();
  let deltaLink: string | undefined;
  for await (const page of client.getAllPages<Event>(
    `/users/${userId}/calendarView/delta?${WINDOW}`,
    {
      headers: { Prefer: 'odata.maxpagesize=2' },
    },
  )) {
    for (const event of page.value) {
      if (event['@removed']) events.delete(event.id);
      else events.set(event.id, event);
    }
    deltaLink = page.deltaLink;
  }
  if (!deltaLink) throw new Error(`the delta round of ${userId} ended without a deltaLink`);
  const sorted = [...events.values()].sort((a, b) => a.id.localeCompare(b.id));
  return { events: JSON.stringify(sorted), deltaLink };
}

const mailboxesOf = (engine: TenantEngine) =>
  engine.listUsers().filter((user) => engine.hasMailbox(user.id));

describe('GraphClient against the tenant simulator', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());
  afterEach(() => sim.faults({}));

  it('acquires one app token through MSAL and reuses it for many calls', async () => {
    const entraRequests = () => sim.server.stats().requests.entra;
    let before = entraRequests();
    await sim.client().get('/organization');
    const oneCall = entraRequests() - before;
    expect(oneCall).toBeGreaterThan(0);

    before = entraRequests();
    const client = sim.client();
    await Promise.all(Array.from({ length: 20 }, () => client.get('/users?$top=1')));
    for (let i = 0; i < 10; i++) await client.get('/organization');
    expect(entraRequests() - before).toBe(oneCall);
  });

  it('pages through users following nextLinks', async () => {
    const { items, pages } = await collect(
      sim.client().getAllPages<{ id: string }>('/users?$top=2&$select=id,displayName'),
    );
    const expected = sim.engine.listUsers().map((u) => u.id);
    expect(pages).toBe(Math.ceil(expected.length / 2));
    expect(items.map((u) => u.id).sort()).toEqual([...expected].sort());
  });

  it('pages through the transitive members of a group', async () => {
    const [group] = sim.engine
      .listGroups()
      .map((g) => ({ id: g.id, members: sim.engine.transitiveMembers(g.id).map((m) => m.id) }))
      .sort((a, b) => b.members.length - a.members.length);
    if (!group || group.members.length < 2)
      throw new Error('the fixture needs a group of two or more');
    const { items, pages } = await collect(
      sim.client().getAllPages<{ id: string }>(`/groups/${group.id}/transitiveMembers?$top=1`),
    );
    expect(pages).toBeGreaterThan(1);
    expect(items.map((m) => m.id).sort()).toEqual([...group.members].sort());
  });

  it('surfaces an expired delta link as syncStateNotFound, without retrying', async () => {
    const sleeps: number[] = [];
    const client = sim.client({ sleep: async (ms) => void sleeps.push(ms) });
    const [mailbox] = mailboxesOf(sim.engine);
    if (!mailbox) throw new Error('the fixture has no mailbox');
    const { deltaLink } = await deltaRound(client, mailbox.id);
    await sim.faults({ expireDeltaTokens: [mailbox.id] });
    const error = await collect(client.getAllPages(deltaLink)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 410, code: 'syncStateNotFound' });
    expect((error as GraphError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sleeps).toEqual([]);
  });

  it('surfaces a user without a mailbox as MailboxNotEnabledForRESTAPI', async () => {
    const noMailbox = sim.engine.listUsers().find((user) => !sim.engine.hasMailbox(user.id));
    if (!noMailbox) throw new Error('the fixture needs a user without a mailbox');
    const error = await sim
      .client()
      .get(`/users/${noMailbox.id}/calendarView?${WINDOW}`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 404, code: 'MailboxNotEnabledForRESTAPI' });
    expect((error as GraphError).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('retries throttled $batch sub-requests until every one succeeds', async () => {
    const mailboxes = mailboxesOf(sim.engine);
    const requests = mailboxes.flatMap((user) =>
      [0, 1, 2, 3].map((n) => ({
        id: `${user.id}-${n}`,
        method: 'GET',
        url: `/users/${user.id}/calendarView?${WINDOW}&$top=${n + 1}`,
      })),
    );
    const calm = await sim.client().batch(requests);
    expect([...calm.values()].every((r) => r.status === 200)).toBe(true);

    await sim.faults({ rate429: 0.4, retryAfterSeconds: 0.05, seed: 11 });
    const sleeps: number[] = [];
    const client = sim.client({
      maxRetries: 12,
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise((resolve) => setTimeout(resolve, ms));
      },
    });
    const stormy = await client.batch(requests);
    expect(sleeps.length).toBeGreaterThan(0);
    expect([...stormy.values()].map((r) => [r.id, r.status, r.body])).toEqual(
      [...calm.values()].map((r) => [r.id, r.status, r.body]),
    );
  });
});

describe('a delta round of every mailbox under injected faults', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  it('returns the same events as without faults and never has more than 4 requests in a mailbox', async () => {
    const mailboxes = mailboxesOf(sim.engine);
    const calm = sim.client();
    const expected = new Map<string, string>();
    for (const user of mailboxes) expected.set(user.id, (await deltaRound(calm, user.id)).events);

    await sim.faults({
      rate429: 0.2,
      rate503: 0.1,
      rate504: 0.05,
      dropRate: 0.02,
      retryAfterSeconds: 0.05,
      latencyMs: 5,
      seed: 42,
    });
    const stormy = sim.client({ maxRetries: 12, initialBackoffMs: 20, maxBackoffMs: 200 });
    // six rounds per mailbox at once: more than Outlook's four, so the client must queue
    const rounds = mailboxes.flatMap((user) =>
      Array.from({ length: 6 }, async () => ({
        user: user.id,
        round: await deltaRound(stormy, user.id),
      })),
    );
    for (const { user, round } of await Promise.all(rounds)) {
      expect(round.events, `events of ${user}`).toBe(expected.get(user));
    }

    const stats = sim.server.stats();
    expect(stats.requests.byStatus['429'] ?? 0).toBeGreaterThan(0);
    expect(stats.requests.byStatus['503'] ?? 0).toBeGreaterThan(0);
    for (const report of stats.tenants[0]?.mailboxes ?? []) {
      expect(report.peakConcurrency, `peak of ${report.userPrincipalName}`).toBeLessThanOrEqual(4);
      expect(report.throttled, `MailboxConcurrency 429s of ${report.userPrincipalName}`).toBe(0);
    }
    expect(Math.max(...Object.values(stormy.stats().peakInFlightByMailbox))).toBe(4);
  });
});
