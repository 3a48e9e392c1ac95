import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@warmpath/shared/config';
import { findPeopleByEmail } from '@warmpath/shared/store';
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

describe('startEmbeddedService (npm start)', () => {
  let sim: SyncSimulator | undefined;
  let service: EmbeddedService | undefined;
  afterEach(async () => {
    await service?.stop();
    await sim?.close();
  });

  it('syncs the demo group, subscribes every mailbox, and stores a new meeting from its notification', async () => {
    sim = await startSyncSimulator(smallGeneratedTenant());
    const dir = await mkdtemp(join(tmpdir(), 'wp-embedded-'));
    const config = loadConfig({
      DATABASE_URL: `sqlite:${join(dir, 'warmpath.db')}`,
      PORT: String(await freePort()),
    });
    const said: string[] = [];
    service = await startEmbeddedService({
      config,
      microsoft: sim.tenant,
      logger: pino({ level: 'silent' }),
      localDemo: true,
      say: (line) => said.push(line),
    });
    await service.firstRound;

    const status = await readSyncStatus(service.store, service.tenantId);
    expect(status.length).toBeGreaterThan(3);
    expect(status.every((row) => row.state === 'synced')).toBe(true);
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
      const found = await findPeopleByEmail(service!.store.db, service!.tenantId, [
        'pat@newprospect.example',
      ]);
      return found.length > 0 ? found : undefined;
    }, 5_000);
    expect(prospect?.kind).toBe('external');
    expect(prospect?.domain).toBe('newprospect.example');
  });
});
