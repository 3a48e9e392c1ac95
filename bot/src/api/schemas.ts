// The REST API's shapes as zod schemas: the edge validates input with them, the OpenAPI document
// is generated from them, and the contract tests hold real responses to that document.
import { z } from 'zod';

export const ErrorBody = z
  .object({
    error: z
      .object({ code: z.string(), message: z.string() })
      .catchall(z.unknown())
      .meta({ description: 'a stable code to switch on and a sentence for people' }),
  })
  .meta({ id: 'Error' });

const Label = z.enum(['strong', 'medium', 'weak', 'cold']);
const Trend = z.enum(['up', 'down', 'steady']);
const IsoInstant = z.string().meta({ format: 'date-time' });

export const PersonRef = z
  .object({ id: z.string(), displayName: z.string(), email: z.string() })
  .meta({ id: 'PersonRef' });

export const Coverage = z
  .object({
    mailboxesSynced: z.number().int(),
    mailboxesTracked: z.number().int(),
    lastSyncAt: IsoInstant.nullable(),
  })
  .meta({ id: 'Coverage' });

export const ContactEvidence = z
  .object({
    email: z.string(),
    displayName: z.string(),
    strength: z.number(),
    label: Label,
    meetings: z.number().int(),
    oneOnOnes: z.number().int(),
    firstMet: IsoInstant.nullable(),
    lastMet: IsoInstant.nullable(),
    trend: Trend,
    dormant: z.boolean(),
    unconfirmed: z.boolean(),
  })
  .meta({ id: 'ContactEvidence' });

export const IntroPath = z
  .object({
    connector: PersonRef.extend({ reachable: z.boolean() }),
    strength: z.number(),
    label: Label,
    pathScore: z.number(),
    hops: z.union([z.literal(1), z.literal(2)]),
    via: PersonRef.extend({ strength: z.number(), label: Label }).optional(),
    isCaller: z.boolean(),
    contacts: z.array(ContactEvidence),
    explanation: z.string(),
  })
  .meta({ id: 'IntroPath' });

export const IntroTarget = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('company'), name: z.string(), domain: z.string() }),
    z.object({
      kind: z.literal('person'),
      name: z.string(),
      email: z.string(),
      domain: z.string().optional(),
    }),
  ])
  .meta({ id: 'IntroTarget' });

export const IntroCandidate = z
  .object({
    kind: z.enum(['company', 'person']),
    name: z.string(),
    domain: z.string().optional(),
    email: z.string().optional(),
    score: z.number(),
  })
  .meta({ id: 'IntroCandidate' });

export const IntroAnswer = z
  .object({
    target: IntroTarget.nullable(),
    candidates: z.array(IntroCandidate).optional(),
    paths: z.array(IntroPath),
    coverage: Coverage,
    reason: z.string().optional(),
  })
  .meta({ id: 'IntroAnswer' });

export const IntroRequestPerson = PersonRef;

export const IntroRequest = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    requester: PersonRef,
    connector: PersonRef,
    target: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('company'), domain: z.string(), name: z.string() }),
      z.object({
        kind: z.literal('person'),
        email: z.string(),
        name: z.string(),
        domain: z.string().optional(),
      }),
    ]),
    note: z.string().nullable(),
    status: z.enum(['pending', 'accepted', 'declined']),
    createdAt: IsoInstant,
    decidedAt: IsoInstant.nullable(),
  })
  .meta({ id: 'IntroRequest' });

/** A domain in a path segment or body: lowercase host names only. */
export const DomainText = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/,
    'must be a domain such as acme.com',
  );

export const EmailText = z.string().trim().toLowerCase().max(320).pipe(z.email());

/** people.person_id in a path: digits only. */
export const PersonIdText = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, 'must be a person id (digits) as the API returns it');

/** Entra object ids (users, groups). */
export const ObjectIdText = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    'must be a directory object id (a GUID)',
  );

export const Empty = z.object({}).strict();
