// The model against planted truth, end to end, for the evaluation test and the quality bench: a
// generated tenant with planted connectors is served by the simulator, synced with the real sync
// into a fresh store, its ties rebuilt, and "who knows <company>" asked for every planted company.
import { generateTenant } from '@warmpath/sim';
import { openStore, upsertTenant } from '../store/index.js';
import { createGraphTenantDirectory } from '../sync/graph-tenant-directory.js';
import { runSyncRound, type SyncRoundResult } from '../sync/run-sync-round.js';
import { startSyncSimulator, uniqueTenantId } from '../sync/testing.js';
import { trackPrincipals } from '../sync/track-principals.js';
import { evaluatePlanted, type PlantedEvaluation } from './evaluation.js';
import { rebuildTies } from './ties.js';

export interface PlantedTenantSize {
  users: number;
  companies: number;
  months: number;
}

/** Syncs, scores and evaluates one generated tenant; the simulator and store are closed after. */
export async function evaluatePlantedTenant(
  seed: number,
  size: PlantedTenantSize,
): Promise<{ round: SyncRoundResult; result: PlantedEvaluation; plantedCompanies: number }> {
  // the generator's "today": its planted truth describes the months before it
  const anchor = `${new Date().toISOString().slice(0, 7)}-01`;
  const { tenant, planted } = generateTenant({ seed, ...size, anchor });
  const sim = await startSyncSimulator(tenant);
  const store = await openStore('sqlite::memory:');
  try {
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
    const now = Date.parse(`${anchor}T00:00:00Z`);
    await rebuildTies(store, tenantId, { now });
    const result = await evaluatePlanted(store, tenantId, planted, now);
    return { round, result, plantedCompanies: planted.companies.length };
  } finally {
    await store.close();
    await sim.close();
  }
}
