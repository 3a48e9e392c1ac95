// Test support: the whole service over a two-tenant simulator, both tenants onboarded, tracked,
// synced and scored into a real store, with the REST API wired from real parts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTwoTenantSimulator, type TwoTenantSimulator } from '@warmpath/shared/auth/testing';
import type { MicrosoftTenantConfig } from '@warmpath/shared/config';
import { createGraphClient, type GraphClient } from '@warmpath/shared/graph';
import type { IntroNotifier, IntroRequest } from '@warmpath/shared/intros';
import { refreshTies } from '@warmpath/shared/scoring';
import { upsertTenant, type Store } from '@warmpath/shared/store';
import {
  createGraphTenantDirectory,
  runSyncRound,
  syncTrackedMailbox,
  trackPrincipals,
  refreshTrackedMailboxes,
} from '@warmpath/shared/sync';
import { GraphWebhookReceiver } from '@warmpath/shared/sync/notifications';
import { createInProcessQueue, type InProcessQueue } from '@warmpath/shared/sync/queue';
import { pino } from 'pino';
import { createApiDeps } from '../service/create-api-deps.js';
import {
  createServiceServer,
  type BotHandler,
  type ServiceServer,
} from './create-service-server.js';

export const silentLogger = pino({ level: 'silent' });

/** Records what the API asked the Teams side to say (the bot's real notifier is tested with it). */
export class RecordingNotifier implements IntroNotifier {
  readonly requested: IntroRequest[] = [];
  readonly decided: IntroRequest[] = [];
  async introRequested(request: IntroRequest): Promise<boolean> {
    this.requested.push(request);
    return true;
  }
  async introDecided(request: IntroRequest): Promise<boolean> {
    this.decided.push(request);
    return true;
  }
}

export interface ServiceUnderTest {
  sim: TwoTenantSimulator;
  service: ServiceServer;
  /** the same API in local mode (the simulator's sign-in routes mounted), on the same store */
  localService: ServiceServer;
  queue: InProcessQueue;
  notifier: RecordingNotifier;
  /** fetch against the service with an optional bearer token */
  call(
    method: string,
    pathAndQuery: string,
    options?: {
      token?: string;
      body?: unknown;
      raw?: string;
      headers?: Record<string, string>;
      /** against the local-mode server */
      local?: boolean;
    },
  ): Promise<{ status: number; headers: Headers; json: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  close(): Promise<void>;
}

async function onboardAndSync(store: Store, tenant: MicrosoftTenantConfig, graph: GraphClient) {
  const directory = createGraphTenantDirectory(graph);
  const organization = await directory.organization();
  await upsertTenant(store.db, tenant.tenantId, {
    displayName: organization.displayName,
    verifiedDomains: organization.verifiedDomains,
  });
  await trackPrincipals({ store, directory, tenantId: tenant.tenantId, references: ['all'] });
  const round = await runSyncRound({ store, graph, tenantId: tenant.tenantId });
  if (round.failed > 0) throw new Error(`${round.failed} mailboxes failed to sync`);
  await refreshTies(store, tenant.tenantId);
}

export async function startServiceUnderTest(
  store: Store,
  options: { bot?: BotHandler } = {},
): Promise<ServiceUnderTest> {
  const sim = await startTwoTenantSimulator();
  const graphs = new Map<string, GraphClient>();
  for (const tenant of [sim.home, sim.other]) {
    const graph = createGraphClient({ tenant, logger: silentLogger });
    graphs.set(tenant.tenantId, graph);
    await onboardAndSync(store, tenant, graph);
  }
  const queue = createInProcessQueue({});
  await queue.work({
    async syncMailbox(tenantId, userId, signal) {
      const graph = graphs.get(tenantId);
      if (!graph) throw new Error(`no graph for ${tenantId}`);
      return syncTrackedMailbox({ store, tenantId, userId, graph, signal, logger: silentLogger });
    },
    async expandDirectory(tenantId) {
      const graph = graphs.get(tenantId);
      if (!graph) throw new Error(`no graph for ${tenantId}`);
      return refreshTrackedMailboxes({ store, tenantId, graph, logger: silentLogger });
    },
  });
  const notifier = new RecordingNotifier();
  const frontEnds = mkdtempSync(path.join(tmpdir(), 'warmpath-front-'));
  writeFileSync(path.join(frontEnds, 'index.html'), '<!doctype html><title>WarmPath tab</title>');
  const deps = (local: boolean) =>
    createApiDeps({
      store,
      registrations: [sim.home, sim.other],
      logger: silentLogger,
      queue,
      graphForTenant: (tenantId) => graphs.get(tenantId),
      notifier,
      ...(local ? { local: { url: sim.server.url, tenantId: sim.home.tenantId } } : {}),
    });
  const webhooks = new GraphWebhookReceiver({ store });
  const service = await createServiceServer({
    port: 0,
    logger: silentLogger,
    api: deps(false),
    graphWebhooks: webhooks,
    frontEnds: { tab: frontEnds, addin: path.join(frontEnds, 'not-built') },
    ...(options.bot ? { bot: options.bot } : {}),
  });
  const localService = await createServiceServer({
    port: 0,
    logger: silentLogger,
    api: deps(true),
    graphWebhooks: webhooks,
  });
  return {
    sim,
    service,
    localService,
    queue,
    notifier,
    async call(method, pathAndQuery, callOptions = {}) {
      const base = callOptions.local ? localService.url : service.url;
      const headers: Record<string, string> = { ...callOptions.headers };
      if (callOptions.token) headers.authorization = `Bearer ${callOptions.token}`;
      let body: string | undefined = callOptions.raw;
      if (callOptions.body !== undefined) {
        body = JSON.stringify(callOptions.body);
        headers['content-type'] = 'application/json';
      }
      const response = await fetch(`${base}${pathAndQuery}`, { method, headers, body });
      const text = await response.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = text;
      }
      return { status: response.status, headers: response.headers, json };
    },
    async close() {
      await service.close();
      await localService.close();
      await queue.stop();
      for (const graph of graphs.values()) await graph.close();
      await sim.close();
    },
  };
}
