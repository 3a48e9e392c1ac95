// Everyone at a company the organisation has met, with how many tracked colleagues know each and
// how well the best of them does: the contact list of a company page, read from the same ties as
// the page's intro paths.
import type { Store } from '../store/index.js';
import {
  currentCoverage,
  rankIntroPaths,
  tiesInto,
  type PathTarget,
  type TieInto,
} from './intro-paths.js';
import { scoreTie } from './model.js';
import type { Coverage, IntroPath, TieScore } from './types.js';

export interface CompanyContact {
  personId: number;
  email: string;
  displayName: string;
  /** tracked employees with a tie to this contact */
  knownBy: number;
  /** the strongest of those ties */
  strongest: TieScore;
}

/** The contacts at a company that tracked employees have met, from tiesInto it; strongest first. */
function contactsOf(ties: readonly TieInto[], now: number, limit = Infinity): CompanyContact[] {
  const best = new Map<number, CompanyContact>();
  for (const { tie, contact } of ties) {
    const score = scoreTie(tie, now);
    const seen = best.get(contact.personId);
    if (seen === undefined) {
      best.set(contact.personId, {
        personId: contact.personId,
        email: contact.email,
        displayName: contact.displayName,
        knownBy: 1,
        strongest: score,
      });
    } else {
      seen.knownBy++;
      if (score.strength > seen.strongest.strength) seen.strongest = score;
    }
  }
  return [...best.values()]
    .sort((a, b) => b.strongest.strength - a.strongest.strength || a.email.localeCompare(b.email))
    .slice(0, limit);
}

/** A company page: its intro paths for the caller and its contacts, from one read of the ties. */
export async function companyPage(
  store: Pick<Store, 'db'>,
  query: {
    tenantId: string;
    target: Extract<PathTarget, { kind: 'company' }>;
    callerPersonId?: number | undefined;
    now?: number;
    limit?: number;
  },
): Promise<{ paths: IntroPath[]; contacts: CompanyContact[]; coverage: Coverage }> {
  const now = query.now ?? Date.now();
  const [ties, coverage] = await Promise.all([
    tiesInto(store.db, query.tenantId, query.target, query.callerPersonId),
    currentCoverage(store.db, query.tenantId),
  ]);
  return {
    paths: rankIntroPaths(ties, { ...query, now }),
    contacts: contactsOf(ties, now, query.limit),
    coverage,
  };
}
