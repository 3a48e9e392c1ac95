// The model against planted truth: generated tenants go through the simulator and the real sync,
// then "who knows <company>" must find the planted connectors.
import { generateTenant } from '@warmpath/sim';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, upsertTenant, type Store } from '../store/index.js';
import { createGraphTenantDirectory } from '../sync/graph-tenant-directory.js';
import { runSyncRound } from '../sync/run-sync-round.js';
import { startSyncSimulator, uniqueTenantId, type SyncSimulator } from '../sync/testing.js';
import { trackPrincipals } from '../sync/track-principals.js';
import { evaluatePlanted, ndcgAt5 } from './evaluation.js';
import { rebuildTies } from './ties.js';

describe('ndcgAt5', () => {
  it('is 1 for the ideal order, lower when a weaker connector leads, 0 with no relevant one', () => {
    const gains = new Map([
      ['a', 3],
      ['b', 1],
    ]);
    expect(ndcgAt5(['a', 'b'], gains)).toBe(1);
    expect(ndcgAt5(['b', 'a'], gains)).toBeLessThan(0.8);
    expect(ndcgAt5(['x', 'y'], gains)).toBe(0);
  });
});

describe.each([3, 7, 11])('who knows each planted company (seed %i)', (seed) => {
  let sim: SyncSimulator | undefined;
  let store: Store | undefined;
  afterAll(async () => {
    await store?.close();
    await sim?.close();
  });

  it('finds the planted connectors: precision@1 ≥ 0.9 and NDCG@5 ≥ 0.9', async () => {
    const anchor = `${new Date().toISOString().slice(0, 7)}-01`;
    const { tenant, planted } = generateTenant({
      seed,
      users: 40,
      companies: 12,
      months: 12,
      anchor,
    });
    sim = await startSyncSimulator(tenant);
    store = await openStore('sqlite::memory:');
    await store.migrate();
    const tenantId = uniqueTenantId(`planted-${seed}`);
    await upsertTenant(store.db, tenantId, { displayName: 'Generated' });
    await trackPrincipals({
      store,
      directory: createGraphTenantDirectory(sim.graph()),
      tenantId,
      references: ['all'],
    });
    const round = await runSyncRound({ store, graph: sim.graph(), tenantId });
    expect(round.failed).toBe(0);
    // scored as of the generator's "today", which its planted truth describes
    const now = Date.parse(`${anchor}T00:00:00Z`);
    await rebuildTies(store, tenantId, { now });
    const result = await evaluatePlanted(store, tenantId, planted, now);
    expect(result.companies).toBe(planted.companies.length);
    const misses = result.perCompany.filter((c) => !c.hitAt1 || c.ndcgAt5 < 0.9);
    expect({ precisionAt1: result.precisionAt1, misses }).toMatchObject({
      precisionAt1: expect.any(Number),
    });
    expect(result.precisionAt1).toBeGreaterThanOrEqual(0.9);
    expect(result.ndcgAt5).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
