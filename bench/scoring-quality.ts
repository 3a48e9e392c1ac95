// How well "who knows <company>" finds planted relationships (issue 4's quality evaluation): for
// three seeds, a generated tenant with planted connectors goes through the simulator and the real
// sync into a store, its ties are rebuilt, and every planted company is asked for
// (bench/scoring-quality-child.ts, in its own process).
import type { PlantedEvaluation } from '@warmpath/shared/scoring';
import { describeLoad, type BenchResult } from './results.js';
import { TENANT } from './scoring-quality-child.js';
import { runTrustingChild } from './trusting-child.js';

const round3 = (value: number) => Math.round(value * 1000) / 1000;

export async function benchScoringQuality(): Promise<BenchResult[]> {
  const runs = await runTrustingChild<Array<{ seed: number; result: PlantedEvaluation }>>(
    'bench/scoring-quality-child.ts',
  );
  const perSeed = (pick: (r: PlantedEvaluation) => number) =>
    runs.map(({ seed, result }) => `seed ${seed}: ${round3(pick(result))}`).join(', ');
  const lowest = (pick: (r: PlantedEvaluation) => number) =>
    round3(Math.min(...runs.map(({ result }) => pick(result))));
  const how =
    `generateTenant({ seed, users: ${TENANT.users}, companies: ${TENANT.companies}, months: ${TENANT.months} }) ` +
    `served by the simulator, synced with runSyncRound into SQLite, ties rebuilt, then "who knows <domain>" ` +
    `(introPathsFor without a caller) for every planted company, graded against its planted connectors ` +
    `(strong 3, medium 2, weak 1); the lowest of the three seeds. ${describeLoad()}`;
  const missed = runs.flatMap(({ seed, result }) =>
    result.perCompany
      .filter((c) => !c.hitAt1 || c.ndcgAt5 < 0.9)
      .map((c) => `${c.domain} (seed ${seed}, NDCG@5 ${round3(c.ndcgAt5)})`),
  );
  const misses =
    missed.length === 0 ? 'No company missed.' : `Below 0.9 or missed at 1: ${missed.join(', ')}.`;
  return [
    {
      name: 'who knows <company>: precision@1, planted tenants',
      value: lowest((r) => r.precisionAt1),
      unit: 'fraction',
      target: '>= 0.9',
      detail: `${perSeed((r) => r.precisionAt1)}. ${misses} ${how}`,
    },
    {
      name: 'who knows <company>: NDCG@5, planted tenants',
      value: lowest((r) => r.ndcgAt5),
      unit: 'fraction',
      target: '>= 0.9',
      detail: `${perSeed((r) => r.ndcgAt5)}. ${how}`,
    },
  ];
}
