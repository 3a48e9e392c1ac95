import { chunked, chunkRows, rowsPerStatement } from './batch.js';
import type { StoreDb } from './open-store.js';
import { normaliseEmail } from './people.js';
import type { ResourceIdentityRow, ResourceKind } from './schema.js';

/** A room, equipment, group or shared mailbox: an address that is never a person. */
export interface ResourceIdentity {
  email: string;
  kind: ResourceKind;
  displayName: string | null;
  source: string;
  updatedAt: number;
}

export interface ResourceIdentityInput {
  email: string;
  kind: ResourceKind;
  displayName?: string | null;
  /** where we learned it: 'places', 'mailboxSettings', 'attendee', … */
  source: string;
}

function toResource(row: ResourceIdentityRow): ResourceIdentity {
  return {
    email: row.email,
    kind: row.kind,
    displayName: row.display_name,
    source: row.source,
    updatedAt: row.updated_at,
  };
}

export async function upsertResourceIdentities(
  db: StoreDb,
  tenantId: string,
  resources: readonly ResourceIdentityInput[],
): Promise<void> {
  const now = Date.now();
  const byEmail = new Map(resources.map((r) => [normaliseEmail(r.email), r]));
  const rows = [...byEmail].map(([email, r]) => ({
    tenant_id: tenantId,
    email,
    kind: r.kind,
    display_name: r.displayName ?? null,
    source: r.source,
    updated_at: now,
  }));
  for (const slice of chunkRows(rows)) {
    await db
      .insertInto('resource_identities')
      .values(slice)
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'email']).doUpdateSet((eb) => ({
          kind: eb.ref('excluded.kind'),
          display_name: eb.fn.coalesce('excluded.display_name', 'resource_identities.display_name'),
          source: eb.ref('excluded.source'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

export async function listResourceIdentities(
  db: StoreDb,
  tenantId: string,
  filter: { kind?: ResourceKind } = {},
): Promise<ResourceIdentity[]> {
  const rows = await db
    .selectFrom('resource_identities')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .$if(filter.kind !== undefined, (qb) => qb.where('kind', '=', filter.kind as ResourceKind))
    .orderBy('email')
    .execute();
  return rows.map(toResource);
}

/** Which of these addresses are resources, so sync can keep them out of people and attendance. */
export async function findResourceIdentities(
  db: StoreDb,
  tenantId: string,
  emails: readonly string[],
): Promise<Map<string, ResourceKind>> {
  const found = new Map<string, ResourceKind>();
  const normalised = [...new Set(emails.map(normaliseEmail))];
  for (const slice of chunked(normalised, rowsPerStatement(1))) {
    const rows = await db
      .selectFrom('resource_identities')
      .select(['email', 'kind'])
      .where('tenant_id', '=', tenantId)
      .where('email', 'in', slice)
      .execute();
    for (const row of rows) found.set(row.email, row.kind);
  }
  return found;
}
