// `npm run sync` as a function: --track is idempotent, --status --json has its documented shape
// and reads only the store, local mode tracks the demo group, and a fatal error exits non-zero.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fixtureTenant,
  smallGeneratedTenant,
  startSyncSimulator,
  type SyncSimulator,
} from '@warmpath/shared/sync/testing';
import { runSyncCommand, type LocalTenant, type SyncCommandIo } from './run-sync-command.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const NO_SIMULATOR = async (): Promise<LocalTenant> => {
  throw new Error('this command must not start the simulator');
};

describe('npm run sync', () => {
  let sim: SyncSimulator;
  let dir: string;
  let databases = 0;
  beforeAll(async () => {
    sim = await startSyncSimulator(fixtureTenant());
    dir = mkdtempSync(join(tmpdir(), 'warmpath-sync-cli-'));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const newDatabase = () => `sqlite:${join(dir, `store-${++databases}.db`)}`;

  async function run(
    argv: string[],
    env: Record<string, string>,
    startLocalTenant: SyncCommandIo['startLocalTenant'] = NO_SIMULATOR,
  ): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const code = await runSyncCommand(argv, {
      env,
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      startLocalTenant,
    });
    return { code, stdout, stderr };
  }

  it('tracks users and groups once, syncs them, and reports each mailbox with --status --json', async () => {
    const env = { ...sim.server.env(), DATABASE_URL: newDatabase() };
    const first = await run(['--track', 'falcon@contoso.com,alex.wilber@contoso.com'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Tracking 2 more: Project Falcon (group), Alex Wilber (user)');
    expect(first.stdout).toContain('Synced 3 of 3 mailbox(es)');
    expect(first.stdout).toMatch(
      /Scored \d+ meeting\(s\) \(full rebuild\): [1-9]\d* tie\(s\) written/,
    );

    const again = await run(
      ['--track', 'alex.wilber@contoso.com', '--track', 'falcon@contoso.com'],
      env,
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Tracking 0 more: nothing new; 2 already tracked.');
    // nothing changed since: the queue is empty and no rebuild runs
    expect(again.stdout).toContain('Scored 0 meeting(s): 0 tie(s) written');

    // the status reads the store only, so it runs in local mode without a simulator
    const { DATABASE_URL } = env;
    const status = await run(['--status', '--json'], { DATABASE_URL });
    expect(status.code).toBe(0);
    const rows = JSON.parse(status.stdout) as Record<string, unknown>[];
    expect(rows.map((row) => row.userPrincipalName)).toEqual([
      'adele.vance@contoso.com',
      'alex.wilber@contoso.com',
      'megan.bowen@contoso-labs.io',
    ]);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(
        [
          'eventsStored',
          'id',
          'lastError',
          'lastErrorCode',
          'lastSuccessAt',
          'nextAttemptAt',
          'state',
          'tenantId',
          'userPrincipalName',
        ].sort(),
      );
      expect(row).toMatchObject({
        state: 'synced',
        lastError: null,
        tenantId: sim.tenant.tenantId,
      });
      expect(row.eventsStored).toBeGreaterThan(0);
      expect(new Date(row.lastSuccessAt as string).toISOString()).toBe(row.lastSuccessAt);
    }
    const table = await run(['--status'], { DATABASE_URL });
    expect(table.stdout).toMatch(/^state\s+events\s+last success\s+mailbox\n/);
    expect(table.stdout).toContain('synced');
  }, 120_000);

  it('in local mode starts the simulator and tracks the demo organisation’s Customer Facing group', async () => {
    const demo = await startSyncSimulator(smallGeneratedTenant());
    const DATABASE_URL = newDatabase();
    let closed = false;
    const once = await run(['--once'], { DATABASE_URL }, async () => ({
      env: demo.server.env(),
      close: async () => {
        closed = true;
        await demo.close();
      },
    }));
    expect(once.stderr).toBe('');
    expect(once.code).toBe(0);
    expect(once.stdout).toMatch(
      /Local mode: nothing was tracked, so the demo organisation's Customer Facing group \(customer-facing@/,
    );
    expect(closed).toBe(true);
    const rows = JSON.parse((await run(['--status', '--json'], { DATABASE_URL })).stdout) as {
      state: string;
    }[];
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.every((row) => row.state === 'synced')).toBe(true);
  }, 120_000);

  it('exits non-zero with a message when Graph turns the app away', async () => {
    const env = {
      ...sim.server.env(),
      CLIENT_SECRET: 'not-the-secret',
      DATABASE_URL: newDatabase(),
    };
    const failed = await run(['--once'], env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^npm run sync: /);
  });

  it('refuses unknown or conflicting options with the usage and exit code 2', async () => {
    const env = { DATABASE_URL: newDatabase() };
    expect((await run(['--sync-everything'], env)).code).toBe(2);
    expect((await run(['--once', '--status'], env)).code).toBe(2);
    expect((await run([], env)).code).toBe(2);
    const help = await run(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--track <mail or id>');
  });
});
