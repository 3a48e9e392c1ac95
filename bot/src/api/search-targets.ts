// GET /api/search?q=: typeahead for the tab's search box — companies and people the tenant has
// met whose names, addresses or domains start with the text, best match first.
import { resolveTarget } from '@warmpath/shared/scoring';
import { findPeopleByEmail, type StoreDb } from '@warmpath/shared/store';
import { z } from 'zod';
import { defineRoute } from './api-route.js';

export const DEFAULT_SEARCH_LIMIT = 8;
export const MAX_SEARCH_LIMIT = 25;

const Result = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('company'), name: z.string(), domain: z.string() }),
  z.object({
    kind: z.literal('person'),
    id: z.string(),
    name: z.string(),
    email: z.string(),
    domain: z.string().optional(),
  }),
]);
type Result = z.infer<typeof Result>;

/** A LIKE pattern for text starting with `typed`; LIKE's wildcards and escape are dropped from it. */
function startsWith(typed: string): string | undefined {
  const plain = typed.toLowerCase().replace(/[\\%_]/g, '');
  return plain === '' ? undefined : `${plain}%`;
}

async function prefixMatches(
  db: StoreDb,
  tenantId: string,
  typed: string,
  limit: number,
): Promise<Result[]> {
  const pattern = startsWith(typed);
  if (pattern === undefined) return [];
  const companies = await db
    .selectFrom('people')
    .select((eb) => ['domain', eb.fn.countAll<number>().as('contacts')])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'external')
    .where('is_personal_domain', '=', 0)
    .where('domain', 'like', pattern)
    .groupBy('domain')
    .orderBy('contacts', 'desc')
    .orderBy('domain')
    .limit(limit)
    .execute();
  const people = await db
    .selectFrom('people')
    .select(['person_id', 'email', 'display_name', 'domain', 'is_personal_domain'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'external')
    .where((eb) =>
      eb.or([eb(eb.fn('lower', ['display_name']), 'like', pattern), eb('email', 'like', pattern)]),
    )
    .orderBy('display_name')
    .orderBy('person_id')
    .limit(limit)
    .execute();
  return [
    ...companies.map((c): Result => ({ kind: 'company', name: c.domain, domain: c.domain })),
    ...people.map((p): Result => ({
      kind: 'person',
      id: String(p.person_id),
      name: p.display_name ?? p.email,
      email: p.email,
      ...(p.is_personal_domain === 1 ? {} : { domain: p.domain }),
    })),
  ];
}

/** A company under the name the resolver gives it (directory and meeting notes), as /api/intros does. */
async function namedCompany(
  store: Parameters<typeof resolveTarget>[0],
  tenantId: string,
  company: Extract<Result, { kind: 'company' }>,
): Promise<Result> {
  const resolved = await resolveTarget(store, tenantId, company.domain);
  return resolved.kind === 'company' && resolved.domain === company.domain
    ? { ...company, name: resolved.name }
    : company;
}

export const searchTargets = defineRoute({
  method: 'GET',
  path: '/api/search',
  operationId: 'searchTargets',
  summary: 'Typeahead: companies and people the organisation has met, best first',
  tag: 'intros',
  auth: 'user',
  query: z.object({
    q: z.string().trim().min(1, 'q must not be empty').max(100, 'q must be at most 100 characters'),
    limit: z.coerce
      .number('limit must be a number')
      .int('limit must be a whole number')
      .min(1, 'limit must be at least 1')
      .max(MAX_SEARCH_LIMIT, `limit must be at most ${MAX_SEARCH_LIMIT}`)
      .optional(),
  }),
  response: z.object({ results: z.array(Result) }).meta({ id: 'SearchResults' }),
  async handle({ query, caller, deps }) {
    const { db } = deps.store;
    const tenantId = caller.tenantId;
    const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
    const best: Result[] = [];
    // the resolver's typo-tolerant match first, then plain prefixes
    const resolution = await resolveTarget(deps.store, tenantId, query.q);
    const named =
      resolution.kind === 'ambiguous'
        ? resolution.candidates
        : resolution.kind === 'company'
          ? [{ kind: 'company' as const, name: resolution.name, domain: resolution.domain }]
          : resolution.kind === 'person'
            ? [{ kind: 'person' as const, name: resolution.name, email: resolution.email }]
            : [];
    const emails = named.flatMap((c) => (c.kind === 'person' && c.email ? [c.email] : []));
    const ids = new Map(
      (await findPeopleByEmail(db, tenantId, emails)).map((p) => [p.email, p] as const),
    );
    for (const candidate of named) {
      if (candidate.kind === 'company' && candidate.domain) {
        best.push({ kind: 'company', name: candidate.name, domain: candidate.domain });
      } else if (candidate.kind === 'person' && candidate.email) {
        const person = ids.get(candidate.email);
        if (!person) continue;
        best.push({
          kind: 'person',
          id: String(person.personId),
          name: candidate.name,
          email: person.email,
          ...(person.isPersonalDomain ? {} : { domain: person.domain }),
        });
      }
    }
    const seen = new Set(best.map((r) => (r.kind === 'company' ? r.domain : r.email)));
    for (const result of await prefixMatches(db, tenantId, query.q, limit)) {
      const key = result.kind === 'company' ? result.domain : result.email;
      if (seen.has(key)) continue;
      seen.add(key);
      best.push(
        result.kind === 'company' ? await namedCompany(deps.store, tenantId, result) : result,
      );
    }
    return { results: best.slice(0, limit) };
  },
});
