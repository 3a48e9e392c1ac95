// How well the intro paths find the relationships a generated tenant planted: precision@1 and
// NDCG@5 of "who knows <company>" over every planted company (npm test and npm run bench).
import type { Store } from '../store/index.js';
import { introPathsFor } from './intro-paths.js';

/** The planted truth as the simulator's generator writes it (sim PlantedRelationships). */
export interface PlantedTruth {
  companies: {
    domain: string;
    name: string;
    connectors: { email: string; tier: 'strong' | 'medium' | 'weak' }[];
  }[];
}

const GAIN = { strong: 3, medium: 2, weak: 1 } as const;

export interface CompanyEvaluation {
  domain: string;
  /** connector emails, best first, as the paths rank them */
  ranked: string[];
  hitAt1: boolean;
  ndcgAt5: number;
}

export interface PlantedEvaluation {
  companies: number;
  precisionAt1: number;
  ndcgAt5: number;
  perCompany: CompanyEvaluation[];
}

/** NDCG@5 with graded gains (strong 3, medium 2, weak 1, anyone else 0). */
export function ndcgAt5(ranked: readonly string[], gains: ReadonlyMap<string, number>): number {
  const dcg = ranked
    .slice(0, 5)
    .reduce((sum, email, i) => sum + (gains.get(email) ?? 0) / Math.log2(i + 2), 0);
  const ideal = [...gains.values()]
    .sort((a, b) => b - a)
    .slice(0, 5)
    .reduce((sum, gain, i) => sum + gain / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

/**
 * Asks "who knows <domain>" for each planted company, with nobody in particular asking. A top
 * answer is a hit when it is a planted connector of the company's best planted tier or medium
 * and up, so a company known only weakly can still be hit.
 */
export async function evaluatePlanted(
  store: Pick<Store, 'db' | 'dialect'> & Partial<Pick<Store, 'sqlite' | 'postgres'>>,
  tenantId: string,
  truth: PlantedTruth,
  now: number,
): Promise<PlantedEvaluation> {
  const perCompany: CompanyEvaluation[] = [];
  for (const company of truth.companies) {
    if (company.connectors.length === 0) continue;
    const { paths } = await introPathsFor(store, {
      tenantId,
      target: { kind: 'company', domain: company.domain, name: company.name },
      now,
    });
    const ranked = paths.map((path) => path.connector.email.toLowerCase());
    const gains = new Map(company.connectors.map((c) => [c.email.toLowerCase(), GAIN[c.tier]]));
    const best = Math.max(...gains.values());
    const top = ranked[0] === undefined ? 0 : (gains.get(ranked[0]) ?? 0);
    perCompany.push({
      domain: company.domain,
      ranked,
      hitAt1: top > 0 && top >= Math.min(best, GAIN.medium),
      ndcgAt5: ndcgAt5(ranked, gains),
    });
  }
  const mean = (values: number[]) =>
    values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
  return {
    companies: perCompany.length,
    precisionAt1: mean(perCompany.map((c) => (c.hitAt1 ? 1 : 0))),
    ndcgAt5: mean(perCompany.map((c) => c.ndcgAt5)),
    perCompany,
  };
}
