// POST /api/intros/participants: the Outlook add-in's question about an open meeting or message —
// for its external participants, grouped by company, who can introduce the caller.
import { introPathsFor, readCoverage, resolveTarget } from '@warmpath/shared/scoring';
import { findPeopleByEmail, getTenant } from '@warmpath/shared/store';
import { z } from 'zod';
import { defineRoute } from './api-route.js';
import { Coverage, EmailText, IntroPath } from './schemas.js';

/** Most addresses one question may carry: a large meeting's attendee list. */
export const MAX_PARTICIPANTS = 100;

const Participant = z.object({ email: z.string(), displayName: z.string() });

interface CompanyGroup {
  name: string;
  domain: string;
  people: Array<{ email: string; displayName: string }>;
  /** some address resolved to a company the tenant has met */
  resolved: boolean;
  /** why an address did not resolve, for a group where none did */
  reason: string | undefined;
}

function hostOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

export const findParticipantIntros = defineRoute({
  method: 'POST',
  path: '/api/intros/participants',
  operationId: 'findParticipantIntros',
  summary: "Intro paths for a meeting's or message's external participants, by company",
  tag: 'intros',
  auth: 'user',
  body: z
    .object({
      emails: z
        .array(EmailText)
        .min(1, 'emails must list at least one address')
        .max(MAX_PARTICIPANTS, `emails may list at most ${MAX_PARTICIPANTS} addresses`),
    })
    .strict(),
  response: z
    .object({
      companies: z.array(
        z.object({
          name: z.string(),
          domain: z.string(),
          people: z.array(Participant),
          paths: z.array(IntroPath),
          reason: z.string().optional(),
        }),
      ),
      people: z.array(Participant.extend({ paths: z.array(IntroPath) })),
      internal: z.number().int(),
      coverage: Coverage,
    })
    .meta({ id: 'ParticipantIntros' }),
  async handle({ body, caller, deps }) {
    const { store } = deps;
    const tenantId = caller.tenantId;
    const emails = [...new Set(body.emails)];
    const tenant = await getTenant(store.db, tenantId);
    const ownDomains = (tenant?.verifiedDomains ?? []).map((d) => d.toLowerCase());
    const known = new Map(
      (await findPeopleByEmail(store.db, tenantId, emails)).map((p) => [p.email, p]),
    );
    const isOwn = (email: string) => {
      const host = hostOf(email);
      return (
        known.get(email)?.kind === 'internal' ||
        ownDomains.some((d) => host === d || host.endsWith(`.${d}`))
      );
    };

    let internal = 0;
    const companies = new Map<string, CompanyGroup>();
    const personal: Array<{ email: string; displayName: string; personId: number; name: string }> =
      [];
    for (const email of emails) {
      if (isOwn(email)) {
        internal++;
        continue;
      }
      const person = known.get(email);
      const displayName = person?.displayName ?? email;
      const resolution = await resolveTarget(store, tenantId, email);
      if (resolution.kind === 'person' && resolution.domain === null) {
        personal.push({ email, displayName, personId: resolution.personId, name: resolution.name });
        continue;
      }
      const domain =
        resolution.kind === 'company' || (resolution.kind === 'person' && resolution.domain)
          ? (resolution.domain as string)
          : (person?.domain ?? hostOf(email));
      const group: CompanyGroup = companies.get(domain) ?? {
        name: domain,
        domain,
        people: [],
        resolved: false,
        reason: undefined,
      };
      if (resolution.kind === 'company') group.name = resolution.name;
      if (resolution.kind === 'none') group.reason ??= resolution.reason;
      else group.resolved = true;
      group.people.push({ email, displayName });
      companies.set(domain, group);
    }

    const callerPersonId = caller.person?.personId;
    const companyAnswers = [];
    for (const group of companies.values()) {
      const answer = { name: group.name, domain: group.domain, people: group.people };
      if (!group.resolved) {
        // nobody at this domain appears in the tenant's meetings: nothing to rank
        companyAnswers.push({ ...answer, paths: [], reason: group.reason ?? '' });
        continue;
      }
      const { paths } = await introPathsFor(store, {
        tenantId,
        target: { kind: 'company', domain: group.domain, name: group.name },
        callerPersonId,
      });
      companyAnswers.push(
        paths.length > 0
          ? { ...answer, paths }
          : { ...answer, paths, reason: `Nobody tracked has met anyone at ${group.name} yet.` },
      );
    }
    const people = [];
    for (const p of personal) {
      const { paths } = await introPathsFor(store, {
        tenantId,
        target: { kind: 'person', personId: p.personId, name: p.name },
        callerPersonId,
      });
      people.push({ email: p.email, displayName: p.displayName, paths });
    }
    return {
      companies: companyAnswers,
      people,
      internal,
      coverage: await readCoverage(store.db, tenantId),
    };
  },
});
