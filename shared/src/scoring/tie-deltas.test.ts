import { describe, expect, it } from 'vitest';
import type { TieTerm } from './model.js';
import { TieDeltas } from './tie-deltas.js';

function term(
  otherId: number,
  personId: number,
  at: number,
  extra: Partial<TieTerm> = {},
): TieTerm {
  return {
    personId,
    otherId,
    otherInternal: false,
    otherDomain: 'acme.com',
    g30: 1,
    g90: 2,
    g365: 3,
    oneOnOne: false,
    reciprocated: true,
    at,
    ...extra,
  };
}

describe('TieDeltas', () => {
  it('sums terms per (other, person) through growth, equal to a plain map of the same terms', () => {
    const deltas = new TieDeltas();
    const expected = new Map<string, { meetings: number; g365: number }>();
    // more ties than the initial capacity and than one page of numbers (32,768), each visited
    // several times
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 80_000; i++) {
        const other = (i * 7919) % 40_009;
        const person = i % 37;
        const sign = round === 2 && i % 5 === 0 ? -1 : 1;
        deltas.add(term(other, person, 1_000 + i, { g365: i }), sign);
        const key = `${other}:${person}`;
        const sum = expected.get(key) ?? { meetings: 0, g365: 0 };
        sum.meetings += sign;
        sum.g365 += sign * i;
        expected.set(key, sum);
      }
    }
    const sorted = deltas.sorted();
    expect(sorted).toHaveLength(expected.size);
    expect(deltas.size).toBe(expected.size);
    for (const delta of sorted) {
      expect({ meetings: delta.meetings, g365: delta.g365 }).toEqual(
        expected.get(`${delta.otherId}:${delta.personId}`),
      );
    }
  });

  it('lists deltas in primary-key order, (other, person), also for ids too large to pack', () => {
    for (const base of [0, 2 ** 22, 2 ** 30]) {
      const deltas = new TieDeltas();
      const pairs = [
        [base + 9, 1],
        [base + 2, 7],
        [base + 9, 0],
        [base + 2, 3],
        [base, 2 ** 30],
      ] as const;
      for (const [other, person] of pairs) deltas.add(term(other, person, 1), 1);
      expect(deltas.sorted().map((d) => [d.otherId, d.personId])).toEqual([
        [base, 2 ** 30],
        [base + 2, 3],
        [base + 2, 7],
        [base + 9, 0],
        [base + 9, 1],
      ]);
    }
  });

  it('keeps first and last added apart from first and last removed, and who the other is when only removed', () => {
    const deltas = new TieDeltas();
    deltas.add(term(5, 1, 300, { otherInternal: true, otherDomain: null }), -1);
    deltas.add(term(5, 1, 100, { otherInternal: true, otherDomain: null }), -1);
    deltas.add(term(6, 1, 200), 1);
    deltas.add(term(6, 1, 400, { oneOnOne: true }), 1);
    deltas.add(term(6, 1, 50), -1);
    const [colleague, contact] = deltas.sorted();
    expect(colleague).toMatchObject({
      otherId: 5,
      otherInternal: true,
      otherDomain: null,
      meetings: -2,
      firstAdded: Infinity,
      lastAdded: -Infinity,
      firstRemoved: 100,
      lastRemoved: 300,
    });
    expect(contact).toMatchObject({
      otherId: 6,
      otherInternal: false,
      otherDomain: 'acme.com',
      meetings: 1,
      oneOnOnes: 1,
      reciprocated: 1,
      firstAdded: 200,
      lastAdded: 400,
      firstRemoved: 50,
      lastRemoved: 50,
    });
  });
});
