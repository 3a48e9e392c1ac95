// GET /api/companies/{domain}: the company page — the best ways in, and everyone there the
// organisation has met with who knows them and how well.
import { introPathsFor, labelOf, resolveTarget, scoreTie } from '@warmpath/shared/scoring';
import { z } from 'zod';
import { notFound } from './api-error.js';
import { defineRoute } from './api-route.js';
import { Coverage, DomainText, IntroPath } from './schemas.js';

/** Most contacts a company page lists, strongest first. */
export const MAX_COMPANY_CONTACTS = 200;

const Label = z.enum(['strong', 'medium', 'weak', 'cold']);

export const getCompany = defineRoute({
  method: 'GET',
  path: '/api/companies/{domain}',
  operationId: 'getCompany',
  summary: 'Company page: intro paths and the contacts there, with who knows each',
  tag: 'directory',
  auth: 'user',
  params: z.object({ domain: DomainText }),
  response: z
    .object({
      company: z.object({ name: z.string(), domain: z.string() }),
      paths: z.array(IntroPath),
      contacts: z.array(
        z.object({
          id: z.string(),
          email: z.string(),
          displayName: z.string(),
          knownBy: z.number().int(),
          strongest: z.object({ strength: z.number(), label: Label }),
        }),
      ),
      coverage: Coverage,
    })
    .meta({ id: 'CompanyPage' }),
  errors: [404],
  async handle({ params, caller, deps }) {
    const { store } = deps;
    const tenantId = caller.tenantId;
    const resolution = await resolveTarget(store, tenantId, params.domain);
    if (resolution.kind !== 'company') {
      throw notFound(
        resolution.kind === 'none'
          ? resolution.reason
          : `${params.domain} is not a company the organisation has met.`,
      );
    }
    const { paths, coverage } = await introPathsFor(store, {
      tenantId,
      target: { kind: 'company', domain: resolution.domain, name: resolution.name },
      callerPersonId: caller.person?.personId,
    });
    const ties = await store.db
      .selectFrom('ties')
      .innerJoin('people', (join) =>
        join
          .onRef('people.tenant_id', '=', 'ties.tenant_id')
          .onRef('people.person_id', '=', 'ties.other_id'),
      )
      .select([
        'ties.other_id',
        'ties.person_id',
        'ties.g30',
        'ties.g90',
        'ties.g365',
        'ties.reciprocated',
        'people.email',
        'people.display_name',
      ])
      .where('ties.tenant_id', '=', tenantId)
      .where('ties.other_domain', '=', resolution.domain)
      .execute();
    const now = Date.now();
    const contacts = new Map<
      number,
      { email: string; displayName: string; knownBy: Set<number>; strongest: number }
    >();
    for (const tie of ties) {
      const id = Number(tie.other_id);
      const { strength } = scoreTie(
        {
          g30: Number(tie.g30),
          g90: Number(tie.g90),
          g365: Number(tie.g365),
          reciprocated: Number(tie.reciprocated),
        },
        now,
      );
      const contact = contacts.get(id) ?? {
        email: tie.email,
        displayName: tie.display_name ?? tie.email,
        knownBy: new Set<number>(),
        strongest: 0,
      };
      contact.knownBy.add(Number(tie.person_id));
      contact.strongest = Math.max(contact.strongest, strength);
      contacts.set(id, contact);
    }
    const listed = [...contacts]
      .sort((a, b) => b[1].strongest - a[1].strongest || a[1].email.localeCompare(b[1].email))
      .slice(0, MAX_COMPANY_CONTACTS)
      .map(([id, c]) => ({
        id: String(id),
        email: c.email,
        displayName: c.displayName,
        knownBy: c.knownBy.size,
        strongest: { strength: c.strongest, label: labelOf(c.strongest) },
      }));
    return {
      company: { name: resolution.name, domain: resolution.domain },
      paths,
      contacts: listed,
      coverage,
    };
  },
});
