// The one question every front end asks (contracts.md, GET /api/intros): what the text means,
// and the best ways in.
import type { Store } from '../store/index.js';
import { currentCoverage, introPathsFor } from './intro-paths.js';
import { resolveTarget } from './resolve-target.js';
import type { Coverage, IntroAnswer, IntroTarget } from './types.js';

export interface FindIntroPathsQuery {
  tenantId: string;
  /** a company name, domain, URL, email address or person's name, as typed */
  target: string;
  /** people.person_id of who asks, for their own ties and 2-hop paths */
  callerPersonId?: number | undefined;
  /** epoch ms the scores are read at; default now */
  now?: number | undefined;
}

function coverageSentence(coverage: Coverage): string {
  if (coverage.mailboxesTracked === 0) return 'No mailboxes are tracked yet: an admin picks them.';
  if (coverage.mailboxesSynced < coverage.mailboxesTracked) {
    return `${coverage.mailboxesSynced} of ${coverage.mailboxesTracked} tracked mailboxes have synced so far; the others may know them.`;
  }
  return `All ${coverage.mailboxesTracked} tracked mailboxes are synced.`;
}

/** Resolves the text, then ranks the paths into what it names, with coverage and reasons. */
export async function findIntroPaths(
  store: Pick<Store, 'db' | 'dialect'> & Partial<Pick<Store, 'sqlite' | 'postgres'>>,
  query: FindIntroPathsQuery,
): Promise<IntroAnswer> {
  const { tenantId } = query;
  const resolution = await resolveTarget(store, tenantId, query.target);
  if (resolution.kind === 'none' || resolution.kind === 'ambiguous') {
    const coverage = await currentCoverage(store.db, tenantId);
    return resolution.kind === 'none'
      ? { target: null, paths: [], coverage, reason: resolution.reason }
      : {
          target: null,
          candidates: resolution.candidates,
          paths: [],
          coverage,
          reason: `"${query.target.trim()}" matches more than one; pick one.`,
        };
  }
  const target: IntroTarget =
    resolution.kind === 'company'
      ? { kind: 'company', name: resolution.name, domain: resolution.domain }
      : {
          kind: 'person',
          name: resolution.name,
          email: resolution.email,
          ...(resolution.domain === null ? {} : { domain: resolution.domain }),
        };
  const { paths, coverage } = await introPathsFor(store, {
    tenantId,
    target:
      resolution.kind === 'company'
        ? { kind: 'company', domain: resolution.domain, name: resolution.name }
        : { kind: 'person', personId: resolution.personId, name: resolution.name },
    callerPersonId: query.callerPersonId,
    now: query.now,
  });
  if (paths.length > 0) return { target, paths, coverage };
  const where =
    target.kind === 'company' ? `anyone at ${target.name} (${target.domain})` : target.name;
  return {
    target,
    paths,
    coverage,
    reason: `Nobody tracked has met ${where} yet. ${coverageSentence(coverage)}`,
  };
}
