// Everyone at a company the organisation has met, with how many tracked colleagues know each and
// how well the best of them does: the contact list of a company page, read from the same ties as
// the page's intro paths.
import type { Store } from '../store/index.js';
import {
  currentCoverage,
  describeIntroPaths,
  rankIntroPaths,
  readShownFacts,
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

/** Each contact at a company that tracked employees have met, from tiesInto it. */
function contactsOf(
  ties: readonly TieInto[],
  now: number,
): Map<number, Omit<CompanyContact, 'email' | 'displayName'>> {
  const best = new Map<number, Omit<CompanyContact, 'email' | 'displayName'>>();
  for (const { tie } of ties) {
    const score = scoreTie(tie, now);
    const seen = best.get(tie.other_id);
    if (seen === undefined) {
      best.set(tie.other_id, { personId: tie.other_id, knownBy: 1, strongest: score });
    } else {
      seen.knownBy++;
      if (score.strength > seen.strongest.strength) seen.strongest = score;
    }
  }
  return best;
}

/** A company page: its intro paths for the caller and its contacts, from one read of the ties. */
export async function companyPage(
  store: Pick<Store, 'db' | 'dialect'> & Partial<Pick<Store, 'sqlite' | 'postgres'>>,
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
    tiesInto(store, query.tenantId, query.target, query.callerPersonId),
    currentCoverage(store.db, query.tenantId),
  ]);
  const ranked = rankIntroPaths(ties, { ...query, now });
  const contacts = contactsOf(ties, now);
  const shown = await readShownFacts(store, query.tenantId, ranked, contacts.keys());
  const { people } = shown;
  const named = [...contacts.values()].map((contact) => {
    const facts = people.get(contact.personId);
    const email = facts?.email ?? '';
    return { ...contact, email, displayName: facts?.displayName ?? email };
  });
  return {
    paths: describeIntroPaths(ranked, shown, { ...query, now }),
    contacts: named
      // strongest first; equals by address, as a reader scans them
      .sort((a, b) => b.strongest.strength - a.strongest.strength || a.email.localeCompare(b.email))
      .slice(0, query.limit ?? Infinity),
    coverage,
  };
}
