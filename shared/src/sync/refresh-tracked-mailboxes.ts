// The directory half of a round (and of a queue's directory job): read the directory, then expand
// the tracked users and groups into the mailboxes to sync.
import type { GraphClient } from '../graph/index.js';
import type { Logger } from '../log/index.js';
import type { Store } from '../store/index.js';
import { expandTrackedPrincipals, type ExpansionResult } from './expand-tracked-principals.js';
import { createGraphTenantDirectory } from './graph-tenant-directory.js';
import {
  refreshTenantDirectory,
  type TenantDirectorySnapshot,
} from './refresh-tenant-directory.js';
import type { TenantDirectory } from './tenant-directory.js';

export interface RefreshTrackedMailboxesProps {
  store: Pick<Store, 'db'>;
  tenantId: string;
  /** the directory; default app-only Graph through `graph` */
  directory?: TenantDirectory;
  graph?: GraphClient;
  now?: number;
  logger?: Logger;
}

export async function refreshTrackedMailboxes(
  props: RefreshTrackedMailboxesProps,
): Promise<{ snapshot: TenantDirectorySnapshot; expansion: ExpansionResult }> {
  const directory =
    props.directory ?? (props.graph ? createGraphTenantDirectory(props.graph) : undefined);
  if (directory === undefined) {
    throw new TypeError('refreshTrackedMailboxes needs a directory or a graph client');
  }
  const { store, tenantId, logger } = props;
  const snapshot = await refreshTenantDirectory({
    store,
    directory,
    tenantId,
    now: props.now,
    logger,
  });
  const expansion = await expandTrackedPrincipals({ store, directory, tenantId, snapshot, logger });
  return { snapshot, expansion };
}
