import { chunkRows } from './batch.js';
import type { StoreDb } from './open-store.js';
import type { PrincipalKind, TrackedPrincipalRow } from './schema.js';

export interface TrackedPrincipal {
  principalId: string;
  kind: PrincipalKind;
  displayName: string | null;
  email: string | null;
  addedAt: number;
  addedBy: string | null;
}

export interface TrackedPrincipalInput {
  /** Entra object id of the user or group */
  principalId: string;
  kind: PrincipalKind;
  displayName?: string | null;
  email?: string | null;
  /** who added it (admin's UPN or 'cli') */
  addedBy?: string | null;
}

function toPrincipal(row: TrackedPrincipalRow): TrackedPrincipal {
  return {
    principalId: row.principal_id,
    kind: row.kind,
    displayName: row.display_name,
    email: row.email,
    addedAt: row.added_at,
    addedBy: row.added_by,
  };
}

/** Adds users or groups to the tracked set; ones already tracked are left exactly as they were. */
export async function addTrackedPrincipals(
  db: StoreDb,
  tenantId: string,
  principals: readonly TrackedPrincipalInput[],
): Promise<TrackedPrincipal[]> {
  const now = Date.now();
  const rows = [...new Map(principals.map((p) => [p.principalId, p])).values()].map((p) => ({
    tenant_id: tenantId,
    principal_id: p.principalId,
    kind: p.kind,
    display_name: p.displayName ?? null,
    email: p.email?.toLowerCase() ?? null,
    added_at: now,
    added_by: p.addedBy ?? null,
  }));
  const added: TrackedPrincipal[] = [];
  for (const slice of chunkRows(rows)) {
    const inserted = await db
      .insertInto('tracked_principals')
      .values(slice)
      .onConflict((oc) => oc.columns(['tenant_id', 'principal_id']).doNothing())
      .returningAll()
      .execute();
    added.push(...inserted.map(toPrincipal));
  }
  return added;
}

/** Stops tracking a user or group; returns whether it was tracked. */
export async function removeTrackedPrincipal(
  db: StoreDb,
  tenantId: string,
  principalId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('tracked_principals')
    .where('tenant_id', '=', tenantId)
    .where('principal_id', '=', principalId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listTrackedPrincipals(
  db: StoreDb,
  tenantId: string,
): Promise<TrackedPrincipal[]> {
  const rows = await db
    .selectFrom('tracked_principals')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('added_at')
    .orderBy('principal_id')
    .execute();
  return rows.map(toPrincipal);
}
