// GET /api/people/{id}: a person page — who they are and, for someone outside the organisation,
// the best ways to them.
import { introPathsFor, readCoverage } from '@warmpath/shared/scoring';
import { getPerson as readPerson } from '@warmpath/shared/store';
import { z } from 'zod';
import { notFound } from './api-error.js';
import { defineRoute } from './api-route.js';
import { Coverage, IntroPath, PersonIdText } from './schemas.js';

export const getPerson = defineRoute({
  method: 'GET',
  path: '/api/people/{id}',
  operationId: 'getPerson',
  summary: 'Person page: who they are and the intro paths to them',
  tag: 'directory',
  auth: 'user',
  params: z.object({ id: PersonIdText }),
  response: z
    .object({
      person: z.object({
        id: z.string(),
        displayName: z.string(),
        email: z.string(),
        domain: z.string().optional(),
        internal: z.boolean(),
      }),
      paths: z.array(IntroPath),
      coverage: Coverage,
    })
    .meta({ id: 'PersonPage' }),
  errors: [404],
  async handle({ params, caller, deps }) {
    const { store } = deps;
    const tenantId = caller.tenantId;
    const person = await readPerson(store.db, tenantId, Number(params.id));
    if (person === undefined) throw notFound(`No person ${params.id} in your organisation.`);
    const name = person.displayName ?? person.email;
    const internal = person.kind === 'internal';
    const { paths, coverage } = internal
      ? { paths: [], coverage: await readCoverage(store.db, tenantId) }
      : await introPathsFor(store, {
          tenantId,
          target: { kind: 'person', personId: person.personId, name },
          callerPersonId: caller.person?.personId,
        });
    return {
      person: {
        id: String(person.personId),
        displayName: name,
        email: person.email,
        ...(person.isPersonalDomain ? {} : { domain: person.domain }),
        internal,
      },
      paths,
      coverage,
    };
  },
});
