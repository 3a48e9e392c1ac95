// GET /api/companies/{domain}: the company page — the best ways in, and everyone there the
// organisation has met with who knows them and how well.
import { companyPage, resolveTarget } from '@warmpath/shared/scoring';
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
    const { paths, contacts, coverage } = await companyPage(store, {
      tenantId,
      target: { kind: 'company', domain: resolution.domain, name: resolution.name },
      callerPersonId: caller.person?.personId,
      limit: MAX_COMPANY_CONTACTS,
    });
    const listed = contacts.map((c) => ({
      id: String(c.personId),
      email: c.email,
      displayName: c.displayName,
      knownBy: c.knownBy,
      strongest: { strength: c.strongest.strength, label: c.strongest.label },
    }));
    return {
      company: { name: resolution.name, domain: resolution.domain },
      paths,
      contacts: listed,
      coverage,
    };
  },
});
