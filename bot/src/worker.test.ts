import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@warmpath/shared/config';
import {
  addTrackedPrincipals,
  getMailbox,
  listMailboxes,
  upsertTenant,
} from '@warmpath/shared/store';
import { createTenantEngine, startSimServer, type SimServer } from '@warmpath/sim';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startSyncWorker, type SyncWorker } from './sync-worker.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../sim/fixtures/small-tenant.json', import.meta.url));
const CONFIG_VARIABLES = new Set(['TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET', 'DATABASE_URL']);

/** Runs `npm run worker` as the script does, with only the given configuration variables. */
function runWorker(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !CONFIG_VARIABLES.has(name)),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', 'bot/src/worker.ts'],
      { cwd: REPO_ROOT, env: { ...inherited, ...env }, timeout: 30_000 },
      (error, _stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stderr });
      },
    );
  });
}

describe('npm run worker', () => {
  it('refuses the embedded SQLite database and says why', async () => {
    const { code, stderr } = await runWorker({ DATABASE_URL: 'sqlite:./data/never-opened.db' });
    expect(code).toBe(2);
    expect(stderr).toContain(
      'npm run worker needs DATABASE_URL=postgres://…; the embedded SQLite mode syncs in process',
    );
  });

  it('refuses to start without a Microsoft Graph tenant to sync from', async () => {
    const { code, stderr } = await runWorker({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/never-connected',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('npm run worker syncs from Microsoft Graph');
  });
});

// PostgreSQL as the store suite requires it: when TEST_DATABASE_URL is set, and always in CI.
const databaseUrl = process.env.TEST_DATABASE_URL?.trim();
if (!databaseUrl && process.env.CI) {
  describe('startSyncWorker [postgres]', () => {
    it('runs against PostgreSQL', () => {
      throw new Error(
        'CI is set but TEST_DATABASE_URL is not: the sync worker must be tested on PostgreSQL in CI.',
      );
    });
  });
}

if (databaseUrl) {
  const FALCON_GROUP = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c10';
  const FALCON_MEMBERS = [
    'a1d3c6b2-7e4f-4c1a-8b2d-3f5e6a7b8c01',
    'c3f5e8d4-9a6b-4e3c-8d4f-5b7a8c9d0e03',
  ];
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const storeSchema = `wp_worker_store_${suffix}`;
  const jobSchema = `wp_worker_jobs_${suffix}`;
  let sim: SimServer | undefined;
  let worker: SyncWorker | undefined;

  afterAll(async () => {
    await worker?.stop();
    await sim?.close();
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      for (const schema of [storeSchema, jobSchema]) {
        await admin.query(`drop schema if exists ${schema} cascade`);
      }
    } finally {
      await admin.end();
    }
  });

  describe('startSyncWorker [postgres]', { timeout: 60_000 }, () => {
    it('expands a tracked group from the directory and syncs each member mailbox from Graph', async () => {
      sim = await startSimServer({
        engines: [createTenantEngine(JSON.parse(readFileSync(FIXTURE, 'utf8')))],
        port: 0,
      });
      const tenant = loadConfig(sim.env()).microsoft;
      if (!tenant) throw new Error('the simulator environment configured no tenant');
      const tenantId = tenant.tenantId;
      worker = await startSyncWorker({
        databaseUrl,
        microsoft: tenant,
        logger: pino({ level: 'silent' }),
        concurrency: 2,
        storeSchema,
        queue: { schema: jobSchema, pollingIntervalSeconds: 0.5, maintenance: false },
      });
      const { db } = worker.store;
      await upsertTenant(db, tenantId, { displayName: 'Contoso' });
      await addTrackedPrincipals(db, tenantId, [{ principalId: FALCON_GROUP, kind: 'group' }]);

      expect(await worker.queue.enqueueDirectoryExpansion({ tenantId })).toBe('queued');
      await vi.waitFor(
        async () => {
          for (const userId of FALCON_MEMBERS) {
            expect((await getMailbox(db, tenantId, userId))?.state).toBe('synced');
          }
        },
        { timeout: 45_000, interval: 200 },
      );
      const mailboxes = await listMailboxes(db, tenantId);
      expect(mailboxes.map((m) => m.userId).sort()).toEqual(FALCON_MEMBERS);
      expect(mailboxes.every((m) => m.eventsStored > 0)).toBe(true);

      await worker.stop();
    });
  });
}
