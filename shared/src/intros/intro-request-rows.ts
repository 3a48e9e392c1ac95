// Reading intro_requests rows with the people they name, for every command in this folder.
import type { StoreDb } from '../store/open-store.js';
import type { IntroRequestRow } from '../store/schema.js';
import type { IntroPerson, IntroRequest } from './types.js';

interface PersonColumns {
  person_id: number;
  email: string;
  display_name: string | null;
}

function toIntroPerson(row: PersonColumns | undefined, personId: number): IntroPerson {
  if (row === undefined) return { id: String(personId), displayName: 'Unknown person', email: '' };
  return {
    id: String(row.person_id),
    displayName: row.display_name ?? row.email,
    email: row.email,
  };
}

/** Loads the requesters and connectors of `rows` in one query and builds the requests. */
export async function toIntroRequests(
  db: StoreDb,
  tenantId: string,
  rows: readonly IntroRequestRow[],
): Promise<IntroRequest[]> {
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.flatMap((r) => [r.requester_person_id, r.connector_person_id]))];
  const people = await db
    .selectFrom('people')
    .select(['person_id', 'email', 'display_name'])
    .where('tenant_id', '=', tenantId)
    .where('person_id', 'in', ids)
    .execute();
  const byId = new Map(people.map((p) => [p.person_id, p]));
  return rows.map((row) => ({
    id: row.request_id,
    tenantId: row.tenant_id,
    requester: toIntroPerson(byId.get(row.requester_person_id), row.requester_person_id),
    connector: toIntroPerson(byId.get(row.connector_person_id), row.connector_person_id),
    target:
      row.target_kind === 'company'
        ? { kind: 'company', domain: row.target_domain ?? '', name: row.target_name }
        : {
            kind: 'person',
            email: row.target_email ?? '',
            name: row.target_name,
            ...(row.target_domain === null ? {} : { domain: row.target_domain }),
          },
    note: row.note,
    status: row.status,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    decidedAt: row.decided_at === null ? null : new Date(Number(row.decided_at)).toISOString(),
  }));
}

/** One request of the tenant's, or undefined. */
export async function readIntroRequestRow(
  db: StoreDb,
  tenantId: string,
  requestId: string,
): Promise<IntroRequestRow | undefined> {
  return db
    .selectFrom('intro_requests')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
}
