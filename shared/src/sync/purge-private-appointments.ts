// Turning private appointments off removes the ones already stored, at once and without Graph:
// the meetings, everyone's attendance and every mailbox's copy.
import { sql } from 'kysely';
import type { Store, StoreDb } from '../store/index.js';
import { withTenantWriteLock } from './tenant-write-lock.js';

/** Ids per statement: well under both engines' bind-parameter limits. */
const IDS_PER_STATEMENT = 500;

export interface PurgeResult {
  eventsRemoved: number;
  copiesRemoved: number;
}

function slices<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += IDS_PER_STATEMENT) {
    result.push(items.slice(i, i + IDS_PER_STATEMENT));
  }
  return result;
}

async function recountEventsStored(trx: StoreDb, tenantId: string, userIds: string[]) {
  for (const userId of userIds) {
    await trx
      .updateTable('mailboxes')
      .set({
        events_stored: sql<number>`(select count(*) from mailbox_events where tenant_id = ${tenantId} and user_id = ${userId})`,
      })
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .execute();
  }
}

/** Deletes every stored private or confidential meeting of the tenant, in one transaction. */
export async function purgePrivateAppointments(
  store: Pick<Store, 'db'>,
  tenantId: string,
): Promise<PurgeResult> {
  return withTenantWriteLock(store, tenantId, () => purgeInTransaction(store, tenantId));
}

async function purgeInTransaction(
  store: Pick<Store, 'db'>,
  tenantId: string,
): Promise<PurgeResult> {
  return store.db.transaction().execute(async (trx) => {
    const events = await trx
      .selectFrom('events')
      .select('event_id')
      .where('tenant_id', '=', tenantId)
      .where('is_private', '=', 1)
      .execute();
    const eventIds = events.map((row) => row.event_id);
    let copiesRemoved = 0;
    const owners = new Set<string>();
    for (const slice of slices(eventIds)) {
      const copies = await trx
        .deleteFrom('mailbox_events')
        .where('tenant_id', '=', tenantId)
        .where('event_id', 'in', slice)
        .returning('user_id')
        .execute();
      copiesRemoved += copies.length;
      for (const copy of copies) owners.add(copy.user_id);
      await trx
        .deleteFrom('attendance')
        .where('tenant_id', '=', tenantId)
        .where('event_id', 'in', slice)
        .execute();
      await trx
        .deleteFrom('events')
        .where('tenant_id', '=', tenantId)
        .where('event_id', 'in', slice)
        .execute();
    }
    await recountEventsStored(trx, tenantId, [...owners].sort());
    return { eventsRemoved: eventIds.length, copiesRemoved };
  });
}
