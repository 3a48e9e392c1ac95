// Turning private appointments off removes the ones already stored, at once and without Graph:
// the meetings, everyone's attendance and every mailbox's copy.
import { purgePrivateEvents, type Store } from '../store/index.js';

export interface PurgeResult {
  eventsRemoved: number;
  copiesRemoved: number;
}

/** Deletes every stored private or confidential meeting of the tenant, in one transaction. */
export async function purgePrivateAppointments(
  store: Pick<Store, 'db'>,
  tenantId: string,
): Promise<PurgeResult> {
  const { eventsRemoved, copiesRemoved } = await purgePrivateEvents(store, tenantId);
  return { eventsRemoved, copiesRemoved };
}
