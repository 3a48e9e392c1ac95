// The embedded scheduler keeps rounds coming, re-reads the directory so a new group member is
// picked up, and stops cleanly.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getMailbox, upsertTenant } from '../store/index.js';
import { describeStore } from '../store/testing.js';
import { createGraphTenantDirectory } from './graph-tenant-directory.js';
import type { SyncRoundResult } from './run-sync-round.js';
import { startSyncScheduler } from './start-sync-scheduler.js';
import {
  fixtureTenant,
  startSyncSimulator,
  uniqueTenantId,
  type SyncSimulator,
} from './testing.js';
import { trackPrincipals } from './track-principals.js';

const FALCON = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c10';
const ALEX = 'b2e4d7c3-8f5a-4d2b-9c3e-4a6f7b8c9d02';

describeStore('startSyncScheduler', (ctx) => {
  let sim: SyncSimulator;
  beforeAll(async () => {
    sim = await startSyncSimulator(fixtureTenant());
  });
  afterAll(() => sim.close());

  it('runs rounds until stopped and picks up a new group member', async () => {
    const tenantId = uniqueTenantId('scheduler');
    await upsertTenant(ctx.store.db, tenantId, { displayName: 'Contoso' });
    await trackPrincipals({
      store: ctx.store,
      directory: createGraphTenantDirectory(sim.graph()),
      tenantId,
      references: [FALCON],
    });
    const rounds: SyncRoundResult[] = [];
    let roundWaiter: ((result: SyncRoundResult) => void) | undefined;
    const nextRound = () => new Promise<SyncRoundResult>((resolve) => (roundWaiter = resolve));
    const errors: unknown[] = [];
    let clockReads = 0;
    const first = nextRound();
    const scheduler = startSyncScheduler({
      store: ctx.store,
      graph: sim.graph(),
      tenantId,
      intervalMs: 1,
      directoryIntervalMs: 0,
      // every round starts by reading the clock
      clock: () => {
        clockReads++;
        return Date.now();
      },
      onRound: (result) => {
        rounds.push(result);
        roundWaiter?.(result);
      },
      onError: (error) => errors.push(error),
    });
    try {
      expect((await first).synced).toBe(2);
      expect(await getMailbox(ctx.store.db, tenantId, ALEX)).toBeUndefined();

      await sim.control('POST', `groups/${FALCON}/members`, { memberId: ALEX });
      // a round that started before the change may still finish first
      let round = await nextRound();
      while (!round.expansion?.added.includes(ALEX)) round = await nextRound();
      expect((await getMailbox(ctx.store.db, tenantId, ALEX))?.state).toBe('synced');
    } finally {
      await scheduler.stop();
      await sim.control('DELETE', `groups/${FALCON}/members/${ALEX}`);
    }
    // with a 1 ms interval a scheduler still running would have started another round by now
    const readsAtStop = clockReads;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(clockReads).toBe(readsAtStop);
    expect(errors).toEqual([]);
  });
});
