// One mailbox by id, as a queue job runs it (a change notification, a retry): the tenant's
// context is read, the mailbox synced, its outcome returned. Mailboxes not tracked are left alone.
import type { GraphClient } from '../graph/index.js';
import type { Logger } from '../log/index.js';
import { getMailbox, type Store } from '../store/index.js';
import { createGraphMailboxSource } from './graph-mailbox-source.js';
import type { MailboxSource } from './mailbox-source.js';
import { mailboxOwnerEmail, prepareTenantSync } from './prepare-tenant-sync.js';
import type { SyncCalendarProps } from './sync-calendar.js';
import { syncMailbox, type MailboxSyncOutcome } from './sync-mailbox.js';

export interface SyncTrackedMailboxProps {
  store: Pick<Store, 'db' | 'dialect'>;
  tenantId: string;
  userId: string;
  /** the mailbox source; default app-only Graph through `graph` */
  source?: MailboxSource;
  graph?: GraphClient;
  clock?: () => number;
  signal?: AbortSignal;
  logger?: Logger;
  onPage?: SyncCalendarProps['onPage'];
}

/** Undefined when the mailbox is unknown or no longer tracked (state 'removed'). */
export async function syncTrackedMailbox(
  props: SyncTrackedMailboxProps,
): Promise<MailboxSyncOutcome | undefined> {
  const { store, tenantId } = props;
  const source = props.source ?? (props.graph ? createGraphMailboxSource(props.graph) : undefined);
  if (source === undefined)
    throw new TypeError('syncTrackedMailbox needs a source or a graph client');
  const mailbox = await getMailbox(store.db, tenantId, props.userId);
  if (mailbox === undefined || mailbox.state === 'removed') return undefined;
  const tenant = await prepareTenantSync({ store, tenantId, logger: props.logger });
  return syncMailbox({
    store,
    source,
    tenant,
    mailbox,
    email: await mailboxOwnerEmail(store.db, tenantId, mailbox),
    clock: props.clock,
    signal: props.signal,
    logger: props.logger,
    onPage: props.onPage,
  });
}
