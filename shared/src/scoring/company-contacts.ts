// Everyone at a company the organisation has met, with how many tracked colleagues know each and
// how well the best of them does: the contact list of a company page.
import { chunked, rowsPerStatement } from '../store/batch.js';
import type { Store } from '../store/index.js';
import { scoreTie } from './model.js';
import { companyContactIds, trackedAmong } from './intro-paths.js';
import type { TieScore } from './types.js';

export interface CompanyContact {
  personId: number;
  email: string;
  displayName: string;
  /** tracked employees with a tie to this contact */
  knownBy: number;
  /** the strongest of those ties */
  strongest: TieScore;
}

/** The contacts at `domain` that a tracked employee has met, strongest first. */
export async function companyContacts(
  store: Pick<Store, 'db'>,
  query: { tenantId: string; domain: string; now?: number; limit?: number },
): Promise<CompanyContact[]> {
  const { tenantId } = query;
  const now = query.now ?? Date.now();
  const db = store.db;
  const ids = await companyContactIds(db, tenantId, query.domain);
  const ties: {
    person_id: number;
    other_id: number;
    g30: number;
    g90: number;
    g365: number;
    reciprocated: number;
  }[] = [];
  for (const slice of chunked(ids, rowsPerStatement(1))) {
    const rows = await db
      .selectFrom('ties')
      .select(['person_id', 'other_id', 'g30', 'g90', 'g365', 'reciprocated'])
      .where('tenant_id', '=', tenantId)
      .where('other_id', 'in', slice)
      .execute();
    ties.push(...rows);
  }
  const tracked = await trackedAmong(db, tenantId, [
    ...new Set(ties.map((t) => Number(t.person_id))),
  ]);
  const best = new Map<number, { knownBy: number; strongest: TieScore }>();
  for (const tie of ties) {
    if (!tracked.has(Number(tie.person_id))) continue;
    const score = scoreTie(
      {
        g30: Number(tie.g30),
        g90: Number(tie.g90),
        g365: Number(tie.g365),
        reciprocated: Number(tie.reciprocated),
      },
      now,
    );
    const seen = best.get(Number(tie.other_id));
    if (seen === undefined) best.set(Number(tie.other_id), { knownBy: 1, strongest: score });
    else {
      seen.knownBy++;
      if (score.strength > seen.strongest.strength) seen.strongest = score;
    }
  }
  const people = new Map<number, { email: string; displayName: string }>();
  for (const slice of chunked([...best.keys()], rowsPerStatement(1))) {
    const rows = await db
      .selectFrom('people')
      .select(['person_id', 'email', 'display_name'])
      .where('tenant_id', '=', tenantId)
      .where('person_id', 'in', slice)
      .execute();
    for (const row of rows) {
      people.set(Number(row.person_id), {
        email: row.email,
        displayName: row.display_name ?? row.email,
      });
    }
  }
  return [...best]
    .flatMap(([personId, facts]) => {
      const person = people.get(personId);
      return person === undefined ? [] : [{ personId, ...person, ...facts }];
    })
    .sort((a, b) => b.strongest.strength - a.strongest.strength || a.email.localeCompare(b.email))
    .slice(0, query.limit ?? Infinity);
}
