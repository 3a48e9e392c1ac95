import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@warmpath/shared/config';
import { findPeopleByEmail } from '@warmpath/shared/store';
import { storeTargets } from '@warmpath/shared/store/testing';
import { readSyncStatus } from '@warmpath/shared/sync';
import {
  smallGeneratedTenant,
  startSyncSimulator,
  type SyncSimulator,
} from '@warmpath/shared/sync/testing';
import { startEmbeddedService, type EmbeddedService } from './start-embedded-service.js';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function waitFor<T>(read: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(storeTargets(process.env))('startEmbeddedService (npm start) on $label', (target) => {
  let sim: SyncSimulator | undefined;
  let service: EmbeddedService | undefined;
  const dropSchemas: string[] = [];
  afterEach(async () => {
    await service?.stop();
    await sim?.close();
    if ('url' in target && dropSchemas.length > 0) {
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      for (const schema of dropSchemas.splice(0)) {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
      await client.end();
    }
  });

  it('syncs the demo group, subscribes every mailbox, and stores a new meeting from its notification', async () => {
    if ('missing' in target) throw new Error(target.missing);
    sim = await startSyncSimulator(smallGeneratedTenant());
    const port = String(await freePort());
    let schemas: { store: string; queue: string } | undefined;
    let databaseUrl: string;
    if (target.dialect === 'postgres') {
      const suffix = `${process.pid}_${Date.now().toString(36)}`;
      schemas = { store: `wp_svc_${suffix}`, queue: `wp_svc_jobs_${suffix}` };
      dropSchemas.push(schemas.store, schemas.queue);
      databaseUrl = target.url;
    } else {
      databaseUrl = `sqlite:${join(await mkdtemp(join(tmpdir(), 'wp-embedded-')), 'warmpath.db')}`;
    }
    const config = loadConfig({ DATABASE_URL: databaseUrl, PORT: port });
    const said: string[] = [];
    service = await startEmbeddedService({
      config,
      microsoft: sim.tenant,
      logger: pino({ level: 'silent' }),
      localDemo: true,
      say: (line) => said.push(line),
      schemas,
    });
    await service.firstRound;
    const store = service.store;
    const tenantId = service.tenantId;
    // on PostgreSQL the round runs on the job queue: wait for every mailbox to settle
    const status = await waitFor(async () => {
      const rows = await readSyncStatus(store, tenantId);
      return rows.length > 3 && rows.every((row) => row.state === 'synced') ? rows : undefined;
    }, 60_000);
    // each mailbox's sync job brings the relationship scores along
    const ties = await waitFor(async () => {
      const row = await store.db
        .selectFrom('ties')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      return Number(row?.n ?? 0) > 0 ? Number(row?.n) : undefined;
    }, 30_000);
    expect(ties).toBeGreaterThan(0);
    expect(said.join('\n')).toMatch(/Customer Facing group/);
    expect(said.join('\n')).toContain(`${status.length} of ${status.length} mailboxes synced`);
    const subscriptions = (await sim.control('GET', 'subscriptions')) as {
      value: Array<{ notificationUrl: string }>;
    };
    expect(subscriptions.value).toHaveLength(status.length);
    expect(subscriptions.value[0]?.notificationUrl).toBe(
      `${config.publicUrl}/api/graph/notifications`,
    );

    const organizer = status[0]!;
    const start = new Date(Date.now() + 2 * 86_400_000);
    start.setUTCHours(15, 0, 0, 0);
    const dateTime = (d: Date) => d.toISOString().replace('Z', '');
    await sim.control('POST', `users/${organizer.id}/events`, {
      subject: 'Intro call',
      start: { dateTime: dateTime(start), timeZone: 'UTC' },
      end: { dateTime: dateTime(new Date(start.getTime() + 30 * 60_000)), timeZone: 'UTC' },
      attendees: [
        {
          type: 'required',
          status: { response: 'none', time: '0001-01-01T00:00:00Z' },
          emailAddress: { address: 'pat@newprospect.example', name: 'Pat Prospect' },
        },
      ],
    });
    // the bound: a new event reaches the store through a notification within 5 seconds
    const [prospect] = await waitFor(async () => {
      const found = await findPeopleByEmail(store.db, tenantId, ['pat@newprospect.example']);
      return found.length > 0 ? found : undefined;
    }, 5_000);
    expect(prospect?.kind).toBe('external');
    expect(prospect?.domain).toBe('newprospect.example');

    // the same port serves the REST API, authenticated with the simulator's SSO tokens
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    const tokenResponse = await fetch(`${sim.server.url}/_sim/token/user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ upn: organizer.userPrincipalName }),
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const me = await fetch(`${service.url}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ tenantId, tracked: true });
    const intros = await fetch(`${service.url}/api/intros?target=newprospect.example`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(intros.status).toBe(200);
    expect(((await intros.json()) as { target: unknown }).target).toMatchObject({
      kind: 'company',
      domain: 'newprospect.example',
    });
  });
});
