import { chunked, chunkRows, rowsPerStatement } from './batch.js';
import { allocateIds } from './ids.js';
import type { StoreDb } from './open-store.js';
import type { SyncInboxRow } from './schema.js';

/** A change notification persisted before any work is done on it. */
export interface InboxNotification {
  id: number;
  userId: string;
  subscriptionId: string;
  receivedAt: number;
  processedAt: number | null;
}

export interface InboxNotificationInput {
  userId: string;
  subscriptionId: string;
  receivedAt: number;
}

/** How many pending notifications one listPendingNotifications call returns by default. */
export const PENDING_NOTIFICATIONS_PAGE = 500;

function toNotification(row: SyncInboxRow): InboxNotification {
  return {
    id: row.id,
    userId: row.user_id,
    subscriptionId: row.subscription_id,
    receivedAt: row.received_at,
    processedAt: row.processed_at,
  };
}

/** Persists notifications as they arrive ("persist first, work after"); returns their ids in order. */
export async function enqueueNotifications(
  db: StoreDb,
  tenantId: string,
  notifications: readonly InboxNotificationInput[],
): Promise<number[]> {
  if (notifications.length === 0) return [];
  const first = await allocateIds(db, tenantId, 'sync_inbox', notifications.length);
  const rows = notifications.map((n, index) => ({
    tenant_id: tenantId,
    id: first + index,
    user_id: n.userId,
    subscription_id: n.subscriptionId,
    received_at: n.receivedAt,
    processed_at: null,
  }));
  for (const slice of chunkRows(rows)) await db.insertInto('sync_inbox').values(slice).execute();
  return rows.map((row) => row.id);
}

/** Oldest unprocessed notifications first. */
export async function listPendingNotifications(
  db: StoreDb,
  tenantId: string,
  limit = PENDING_NOTIFICATIONS_PAGE,
): Promise<InboxNotification[]> {
  const rows = await db
    .selectFrom('sync_inbox')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('processed_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toNotification);
}

export async function markNotificationsProcessed(
  db: StoreDb,
  tenantId: string,
  ids: readonly number[],
  processedAt: number,
): Promise<number> {
  let changed = 0;
  for (const slice of chunked(ids, rowsPerStatement(1))) {
    const result = await db
      .updateTable('sync_inbox')
      .set({ processed_at: processedAt })
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', slice)
      .where('processed_at', 'is', null)
      .executeTakeFirst();
    changed += Number(result.numUpdatedRows);
  }
  return changed;
}

/** Deletes notifications processed before `before`; returns how many went. */
export async function purgeProcessedNotifications(
  db: StoreDb,
  tenantId: string,
  before: number,
): Promise<number> {
  const result = await db
    .deleteFrom('sync_inbox')
    .where('tenant_id', '=', tenantId)
    .where('processed_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
