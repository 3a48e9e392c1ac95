// Where each mailbox's sync stands, for `npm run sync -- --status` and the admin page.
import { listMailboxes, listTenants, type MailboxState, type Store } from '../store/index.js';

export interface MailboxSyncStatus {
  tenantId: string;
  /** Entra object id of the mailbox owner */
  id: string;
  userPrincipalName: string;
  state: MailboxState;
  eventsStored: number;
  /** ISO 8601, or null before the first success */
  lastSuccessAt: string | null;
  /** what went wrong last, in words an admin acts on; null after a success */
  lastError: string | null;
  lastErrorCode: string | null;
  /** ISO 8601: when a failed mailbox is tried again; null when nothing is pending */
  nextAttemptAt: string | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Every mailbox of the tenant (or of every tenant in the store), removed ones included. */
export async function readSyncStatus(
  store: Pick<Store, 'db'>,
  tenantId?: string,
): Promise<MailboxSyncStatus[]> {
  const tenantIds =
    tenantId === undefined ? (await listTenants(store.db)).map((t) => t.tenantId) : [tenantId];
  const statuses: MailboxSyncStatus[] = [];
  for (const id of tenantIds) {
    for (const mailbox of await listMailboxes(store.db, id)) {
      statuses.push({
        tenantId: id,
        id: mailbox.userId,
        userPrincipalName: mailbox.userPrincipalName,
        state: mailbox.state,
        eventsStored: mailbox.eventsStored,
        lastSuccessAt: iso(mailbox.lastSuccessAt),
        lastError: mailbox.lastErrorMessage,
        lastErrorCode: mailbox.lastErrorCode,
        nextAttemptAt: mailbox.state === 'error' ? iso(mailbox.nextAttemptAt) : null,
      });
    }
  }
  return statuses;
}
