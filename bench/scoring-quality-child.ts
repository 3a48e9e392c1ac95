// The planted-tenant evaluation of bench/scoring-quality.ts in its own process: the graph client
// trusts the simulator's certificate only through NODE_EXTRA_CA_CERTS, read at process start.
// Prints one JSON line: each seed's evaluation.
import { generateTenant } from '@warmpath/sim';
import { openStore, upsertTenant } from '@warmpath/shared/store';
import { evaluatePlanted, rebuildTies, type PlantedEvaluation } from '@warmpath/shared/scoring';
import { createGraphTenantDirectory } from '../shared/src/sync/graph-tenant-directory.js';
import { runSyncRound } from '../shared/src/sync/run-sync-round.js';
import { startSyncSimulator, uniqueTenantId } from '../shared/src/sync/testing.js';
import { trackPrincipals } from '../shared/src/sync/track-principals.js';

export const SEEDS = [3, 7, 11];
export const TENANT = { users: 100, companies: 24, months: 12 } as const;

export async function evaluateSeed(seed: number): Promise<PlantedEvaluation> {
  // the generator's "today": its planted truth describes the months before it
  const anchor = `${new Date().toISOString().slice(0, 7)}-01`;
  const { tenant, planted } = generateTenant({ seed, ...TENANT, anchor });
  const sim = await startSyncSimulator(tenant);
  const store = await openStore('sqlite::memory:');
  try {
    await store.migrate();
    const tenantId = uniqueTenantId(`quality-${seed}`);
    await upsertTenant(store.db, tenantId, { displayName: 'Generated' });
    await trackPrincipals({
      store,
      directory: createGraphTenantDirectory(sim.graph()),
      tenantId,
      references: ['all'],
    });
    const round = await runSyncRound({ store, graph: sim.graph(), tenantId });
    if (round.failed > 0) throw new Error(`seed ${seed}: ${round.failed} mailboxes failed to sync`);
    const now = Date.parse(`${anchor}T00:00:00Z`);
    await rebuildTies(store, tenantId, { now });
    return await evaluatePlanted(store, tenantId, planted, now);
  } finally {
    await store.close();
    await sim.close();
  }
}

if (process.argv[1]?.endsWith('scoring-quality-child.ts')) {
  const runs: Array<{ seed: number; result: PlantedEvaluation }> = [];
  for (const seed of SEEDS) {
    const result = await evaluateSeed(seed);
    process.stderr.write(
      `  seed ${seed}: ${result.companies} planted companies, precision@1 ${result.precisionAt1.toFixed(3)}, NDCG@5 ${result.ndcgAt5.toFixed(3)}\n`,
    );
    runs.push({ seed, result });
  }
  process.stdout.write(`${JSON.stringify(runs)}\n`);
}
