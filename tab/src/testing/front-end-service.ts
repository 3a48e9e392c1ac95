// The real WarmPath service for the browser tests, started as `npm start` starts it in local mode
// (startEmbeddedService: store, sync queue, Graph notifications, REST API with local sign-in, the
// built tab and add-in on one port), over the simulator with the front-end tenant. Its first
// round tracks, syncs and scores the Customer Facing group before the tests begin.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import {
  startEmbeddedService,
  type EmbeddedService,
} from '../../../bot/src/service/start-embedded-service.js';
import { loadConfig } from '@warmpath/shared/config';
import { startSyncSimulator, type SyncSimulator } from '@warmpath/shared/sync/testing';
import { frontEndTenant } from './front-end-tenant.js';

export interface FrontEndService {
  /** http://127.0.0.1:PORT serving /api, /tab/ and /addin/ */
  url: string;
  sim: SyncSimulator;
  service: EmbeddedService;
  /** an SSO token as Teams or Outlook would obtain it for this user */
  tokenFor(upn: string): Promise<string>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export async function startFrontEndService(): Promise<FrontEndService> {
  const sim = await startSyncSimulator(frontEndTenant());
  const folder = await mkdtemp(join(tmpdir(), 'warmpath-front-end-'));
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(folder, 'warmpath.db')}`,
    PORT: String(await freePort()),
  });
  const service = await startEmbeddedService({
    config,
    microsoft: sim.tenant,
    logger: pino({ level: 'silent' }),
    localDemo: true,
    say: () => undefined,
    simulatorUrl: sim.server.url,
  });
  await service.firstRound;
  return {
    url: service.url,
    sim,
    service,
    async tokenFor(upn) {
      const response = await fetch(`${sim.server.url}/_sim/token/user`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ upn }),
      });
      if (!response.ok) throw new Error(`no token for ${upn}: ${response.status}`);
      return ((await response.json()) as { access_token: string }).access_token;
    },
    async close() {
      await service.stop();
      await sim.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
