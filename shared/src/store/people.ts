import { chunked, chunkRows, flag, rowsPerStatement } from './batch.js';
import { StoreValidationError } from './errors.js';
import { allocateIds, type IdReservation } from './ids.js';
import type { StoreDb } from './open-store.js';
import type { NewPersonRow, PersonKind, PersonRow } from './schema.js';
import { inTransaction } from './transaction.js';

export interface Person {
  personId: number;
  email: string;
  displayName: string | null;
  kind: PersonKind;
  aadObjectId: string | null;
  domain: string;
  isPersonalDomain: boolean;
  companyName: string | null;
  jobTitle: string | null;
  department: string | null;
  accountEnabled: boolean | null;
  leftAt: number | null;
  firstSeenAt: number;
  updatedAt: number;
}

/** A person as the directory (or an admin) describes them; authoritative for kind, domain and presence. */
export interface PersonInput {
  /** any case; stored lowercase and unique per tenant */
  email: string;
  kind: PersonKind;
  /** registrable domain (eTLD+1); defaults to the host part of the email, which the caller should shorten */
  domain?: string;
  isPersonalDomain?: boolean;
  /** omitted or null keeps what is stored */
  displayName?: string | null;
  /** omitted or null keeps what is stored */
  aadObjectId?: string | null;
  /** omitted or null keeps what is stored */
  companyName?: string | null;
  /** omitted or null keeps what is stored */
  jobTitle?: string | null;
  /** omitted or null keeps what is stored */
  department?: string | null;
  /** omitted or null keeps what is stored */
  accountEnabled?: boolean | null;
  /** when they left the directory; omitted means present now */
  leftAt?: number | null;
}

/** Someone seen on a meeting: creates the person if new, fills a missing name, never overwrites. */
export interface PersonSighting {
  email: string;
  kind: PersonKind;
  displayName?: string | null;
  domain?: string;
  isPersonalDomain?: boolean;
}

/** Lowercases and checks an email address; the store keys people by it. */
export function normaliseEmail(email: string): string {
  const normalised = email.trim().toLowerCase();
  const at = normalised.lastIndexOf('@');
  if (at <= 0 || at === normalised.length - 1) {
    throw new StoreValidationError(
      'email',
      `"${email}" is not an email address (expected local@domain)`,
    );
  }
  return normalised;
}

function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

function toPerson(row: PersonRow): Person {
  return {
    personId: row.person_id,
    email: row.email,
    displayName: row.display_name,
    kind: row.kind,
    aadObjectId: row.aad_object_id,
    domain: row.domain,
    isPersonalDomain: row.is_personal_domain === 1,
    companyName: row.company_name,
    jobTitle: row.job_title,
    department: row.department,
    accountEnabled: row.account_enabled === null ? null : row.account_enabled === 1,
    leftAt: row.left_at,
    firstSeenAt: row.first_seen_at,
    updatedAt: row.updated_at,
  };
}

/** Ids of the people among `emails` (already normalised) that exist for the tenant. */
export async function findPersonIds(
  db: StoreDb,
  tenantId: string,
  emails: readonly string[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const slice of chunked(emails, rowsPerStatement(1))) {
    const rows = await db
      .selectFrom('people')
      .select(['email', 'person_id'])
      .where('tenant_id', '=', tenantId)
      .where('email', 'in', slice)
      .execute();
    for (const row of rows) ids.set(row.email, row.person_id);
  }
  return ids;
}

/**
 * Creates or updates people by email in batches and returns each email's person id.
 * The directory's view wins for kind, domain, personal-domain flag and leftAt; other fields
 * keep their stored value when omitted.
 */
// per tenant, bumped whenever this process writes what the directory says of its people
const directoryGenerations = new Map<string, number>();

/**
 * Changes whenever this process upserts the tenant's people from the directory or marks some as
 * gone: short-lived caches of who can be asked (intro paths' connectors) compare it to stay exact
 * in-process; writes from other processes reach them when the cache entry is refreshed.
 */
export function directoryGeneration(tenantId: string): number {
  return directoryGenerations.get(tenantId) ?? 0;
}

function directoryChanged(tenantId: string): void {
  directoryGenerations.set(tenantId, directoryGeneration(tenantId) + 1);
}

export async function upsertPeople(
  db: StoreDb,
  tenantId: string,
  people: readonly PersonInput[],
): Promise<Map<string, number>> {
  const byEmail = new Map<string, PersonInput>();
  for (const person of people) byEmail.set(normaliseEmail(person.email), person);
  if (byEmail.size === 0) return new Map();
  const now = Date.now();
  const written = await inTransaction(db, async (trx) => {
    const known = await findPersonIds(trx, tenantId, [...byEmail.keys()]);
    const missing = byEmail.size - known.size;
    let nextId = missing > 0 ? await allocateIds(trx, tenantId, 'people', missing) : 0;
    const rows: NewPersonRow[] = [];
    for (const [email, person] of byEmail) {
      rows.push({
        tenant_id: tenantId,
        person_id: known.get(email) ?? nextId++,
        email,
        display_name: person.displayName ?? null,
        kind: person.kind,
        aad_object_id: person.aadObjectId ?? null,
        domain: (person.domain ?? emailDomain(email)).toLowerCase(),
        is_personal_domain: flag(person.isPersonalDomain ?? false),
        company_name: person.companyName ?? null,
        job_title: person.jobTitle ?? null,
        department: person.department ?? null,
        account_enabled: person.accountEnabled == null ? null : flag(person.accountEnabled),
        left_at: person.leftAt ?? null,
        first_seen_at: now,
        updated_at: now,
      });
    }
    const ids = new Map<string, number>();
    for (const slice of chunkRows(rows)) {
      const returned = await trx
        .insertInto('people')
        .values(slice)
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'email']).doUpdateSet((eb) => ({
            kind: eb.ref('excluded.kind'),
            domain: eb.ref('excluded.domain'),
            is_personal_domain: eb.ref('excluded.is_personal_domain'),
            left_at: eb.ref('excluded.left_at'),
            display_name: eb.fn.coalesce('excluded.display_name', 'people.display_name'),
            aad_object_id: eb.fn.coalesce('excluded.aad_object_id', 'people.aad_object_id'),
            company_name: eb.fn.coalesce('excluded.company_name', 'people.company_name'),
            job_title: eb.fn.coalesce('excluded.job_title', 'people.job_title'),
            department: eb.fn.coalesce('excluded.department', 'people.department'),
            account_enabled: eb.fn.coalesce('excluded.account_enabled', 'people.account_enabled'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .returning(['email', 'person_id'])
        .execute();
      for (const row of returned) ids.set(row.email, row.person_id);
    }
    return ids;
  });
  directoryChanged(tenantId);
  return written;
}

/** What a sync page needs to know about an existing person. */
export interface KnownPerson {
  personId: number;
  displayName: string | null;
}

/** Existing people among `emails` (already normalised), by email. */
export async function lookupPeople(
  db: StoreDb,
  tenantId: string,
  emails: readonly string[],
): Promise<Map<string, KnownPerson>> {
  const known = new Map<string, KnownPerson>();
  for (const slice of chunked(emails, rowsPerStatement(1))) {
    const rows = await db
      .selectFrom('people')
      .select(['email', 'person_id', 'display_name'])
      .where('tenant_id', '=', tenantId)
      .where('email', 'in', slice)
      .execute();
    for (const row of rows)
      known.set(row.email, { personId: row.person_id, displayName: row.display_name });
  }
  return known;
}

/**
 * Resolves meeting participants to person ids, creating the new ones; existing people keep
 * everything except a missing display name. New ids come from `reservation` first. `known` may
 * come from a read outside the transaction, since people are never deleted.
 */
export async function ensurePeople(
  trx: StoreDb,
  tenantId: string,
  sightings: ReadonlyMap<string, PersonSighting>,
  reservation: IdReservation,
  known?: ReadonlyMap<string, KnownPerson>,
): Promise<Map<string, number>> {
  if (sightings.size === 0) return new Map();
  const existing = known ?? (await lookupPeople(trx, tenantId, [...sightings.keys()]));
  const ids = new Map<string, number>();
  const unnamed: string[] = [];
  for (const [email, sighting] of sightings) {
    const person = existing.get(email);
    if (person === undefined) continue;
    ids.set(email, person.personId);
    if (person.displayName === null && sighting.displayName) unnamed.push(email);
  }

  // sorted so concurrent workers lock new emails in the same order
  const missing = [...sightings.keys()].filter((email) => !ids.has(email)).sort();
  if (missing.length > 0) {
    const fresh = await reservation.take(trx, missing.length);
    const now = Date.now();
    const rows: NewPersonRow[] = missing.map((email, index) => {
      const sighting = sightings.get(email) as PersonSighting;
      return {
        tenant_id: tenantId,
        person_id: fresh[index] as number,
        email,
        display_name: sighting.displayName ?? null,
        kind: sighting.kind,
        aad_object_id: null,
        domain: (sighting.domain ?? emailDomain(email)).toLowerCase(),
        is_personal_domain: flag(sighting.isPersonalDomain ?? false),
        company_name: null,
        job_title: null,
        department: null,
        account_enabled: null,
        left_at: null,
        first_seen_at: now,
        updated_at: now,
      };
    });
    for (const slice of chunkRows(rows)) {
      const inserted = await trx
        .insertInto('people')
        .values(slice)
        .onConflict((oc) => oc.columns(['tenant_id', 'email']).doNothing())
        .returning(['email', 'person_id'])
        .execute();
      for (const row of inserted) ids.set(row.email, row.person_id);
    }
    // another worker created some of them between our read and our insert
    const raced = missing.filter((email) => !ids.has(email));
    if (raced.length > 0) {
      for (const [email, id] of await findPersonIds(trx, tenantId, raced)) ids.set(email, id);
    }
  }

  for (const email of unnamed) {
    await trx
      .updateTable('people')
      .set({ display_name: sightings.get(email)?.displayName ?? null, updated_at: Date.now() })
      .where('tenant_id', '=', tenantId)
      .where('email', '=', email)
      .where('display_name', 'is', null)
      .execute();
  }
  return ids;
}

export async function findPeopleByEmail(
  db: StoreDb,
  tenantId: string,
  emails: readonly string[],
): Promise<Person[]> {
  const people: Person[] = [];
  const normalised = [...new Set(emails.map(normaliseEmail))];
  for (const slice of chunked(normalised, rowsPerStatement(1))) {
    const rows = await db
      .selectFrom('people')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('email', 'in', slice)
      .orderBy('email')
      .execute();
    people.push(...rows.map(toPerson));
  }
  return people;
}

export async function getPerson(
  db: StoreDb,
  tenantId: string,
  personId: number,
): Promise<Person | undefined> {
  const row = await db
    .selectFrom('people')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row === undefined ? undefined : toPerson(row);
}

/** Everyone the tenant knows at a registrable domain, by (tenant_id, domain) index. */
export async function listPeopleByDomain(
  db: StoreDb,
  tenantId: string,
  domain: string,
): Promise<Person[]> {
  const rows = await db
    .selectFrom('people')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('domain', '=', domain.toLowerCase())
    .orderBy('person_id')
    .execute();
  return rows.map(toPerson);
}

/** Records that these people are gone from the directory; their history stays. */
export async function markPeopleLeft(
  db: StoreDb,
  tenantId: string,
  personIds: readonly number[],
  leftAt: number,
): Promise<number> {
  let changed = 0;
  for (const slice of chunked(personIds, rowsPerStatement(1))) {
    const result = await db
      .updateTable('people')
      .set({ left_at: leftAt, updated_at: Date.now() })
      .where('tenant_id', '=', tenantId)
      .where('person_id', 'in', slice)
      .where('left_at', 'is', null)
      .executeTakeFirst();
    changed += Number(result.numUpdatedRows);
  }
  directoryChanged(tenantId);
  return changed;
}
