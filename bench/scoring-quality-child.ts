// The planted-tenant evaluation of bench/scoring-quality.ts in its own process: the graph client
// trusts the simulator's certificate only through NODE_EXTRA_CA_CERTS, read at process start.
// Prints one JSON line: each seed's evaluation.
import { evaluatePlantedTenant } from '../shared/src/scoring/planted-tenant.js';
import type { PlantedEvaluation } from '@warmpath/shared/scoring';

export const SEEDS = [3, 7, 11];
export const TENANT = { users: 100, companies: 24, months: 12 } as const;

if (process.argv[1]?.endsWith('scoring-quality-child.ts')) {
  const runs: Array<{ seed: number; result: PlantedEvaluation }> = [];
  for (const seed of SEEDS) {
    const { round, result } = await evaluatePlantedTenant(seed, TENANT);
    if (round.failed > 0) throw new Error(`seed ${seed}: ${round.failed} mailboxes failed to sync`);
    process.stderr.write(
      `  seed ${seed}: ${result.companies} planted companies, precision@1 ${result.precisionAt1.toFixed(3)}, NDCG@5 ${result.ndcgAt5.toFixed(3)}\n`,
    );
    runs.push({ seed, result });
  }
  process.stdout.write(`${JSON.stringify(runs)}\n`);
}
