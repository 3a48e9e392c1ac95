import { chunked, rowsPerStatement } from './batch.js';
import type { StoreDb } from './open-store.js';

/** Marks meetings as needing their contribution recomputed; safe to repeat. */
export async function queueEventsForScoring(
  db: StoreDb,
  tenantId: string,
  eventIds: readonly number[],
  now = Date.now(),
): Promise<void> {
  const unique = [...new Set(eventIds)].sort((a, b) => a - b);
  for (const slice of chunked(unique, rowsPerStatement(3))) {
    await db
      .insertInto('score_queue')
      .values(slice.map((eventId) => ({ tenant_id: tenantId, event_id: eventId, queued_at: now })))
      .onConflict((oc) => oc.columns(['tenant_id', 'event_id']).doNothing())
      .execute();
  }
}
