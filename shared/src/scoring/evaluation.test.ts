// The model against planted truth: generated tenants go through the simulator and the real sync,
// then "who knows <company>" must find the planted connectors.
import { describe, expect, it } from 'vitest';
import { ndcgAt5 } from './evaluation.js';
import { evaluatePlantedTenant } from './planted-tenant.js';

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
  it('finds the planted connectors: precision@1 ≥ 0.9 and NDCG@5 ≥ 0.9', async () => {
    const { round, result, plantedCompanies } = await evaluatePlantedTenant(seed, {
      users: 40,
      companies: 12,
      months: 12,
    });
    expect(round.failed).toBe(0);
    expect(result.companies).toBe(plantedCompanies);
    const misses = result.perCompany.filter((c) => !c.hitAt1 || c.ndcgAt5 < 0.9);
    expect({ precisionAt1: result.precisionAt1, misses }).toMatchObject({
      precisionAt1: expect.any(Number),
    });
    expect(result.precisionAt1).toBeGreaterThanOrEqual(0.9);
    expect(result.ndcgAt5).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
