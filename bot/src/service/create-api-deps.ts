// The REST API's dependencies, wired from real parts: the store, token verification against the
// authority's keys, on-behalf-of for the caller's own Graph view, app-only Graph for the admin's
// directory picker, and the sync job queue.
import {
  appRolesGranted,
  createAccessTokenVerifier,
  createOnBehalfOfGraph,
  createTenantApps,
} from '@warmpath/shared/auth';
import type { MicrosoftTenantConfig } from '@warmpath/shared/config';
import type { GraphClient } from '@warmpath/shared/graph';
import type { IntroNotifier } from '@warmpath/shared/intros';
import type { Logger } from '@warmpath/shared/log';
import { listMailboxes, type Store } from '@warmpath/shared/store';
import { createGraphTenantDirectory, type TenantDirectory } from '@warmpath/shared/sync';
import type { SyncJobQueue } from '@warmpath/shared/sync/queue';
import type { ApiDeps, LocalSimulator } from '../api/api-deps.js';

/** Application permissions the sync cannot work without; all must be consented. */
export const REQUIRED_APP_ROLES = [
  'Calendars.Read',
  'User.Read.All',
  'GroupMember.Read.All',
  'MailboxSettings.Read',
] as const;
const CONSENT_CACHE_MS = 60_000;

export interface CreateApiDepsProps {
  store: Store;
  /** the WarmPath app registrations: one multi-tenant app, or one per simulated tenant */
  registrations: readonly MicrosoftTenantConfig[];
  logger: Logger;
  queue: Pick<SyncJobQueue, 'enqueueMailboxSync' | 'enqueueDirectoryExpansion'>;
  /** app-only Graph of an onboarded tenant */
  graphForTenant(tenantId: string): GraphClient | undefined;
  notifier?: IntroNotifier | undefined;
  local?: LocalSimulator | undefined;
}

export function createApiDeps(props: CreateApiDepsProps): ApiDeps {
  const { store, logger, queue } = props;
  const tenantApps = createTenantApps({ store, registrations: props.registrations });
  const authorityHost = props.registrations[0]?.authorityHost;
  if (authorityHost === undefined) throw new Error('createApiDeps needs an app registration');
  const verifyToken = createAccessTokenVerifier({
    authorityHost,
    tenantAudience: (tenantId) => tenantApps.onboarded(tenantId),
  });
  const onBehalfOf = createOnBehalfOfGraph({ appFor: tenantApps.appFor, logger });
  const directories = new Map<string, TenantDirectory>();
  const consent = new Map<string, { granted: boolean; at: number }>();

  return {
    store,
    verifyToken,
    tenantApps,
    directoryView: (caller) => onBehalfOf.directoryView(caller),
    directoryFor(tenantId) {
      let directory = directories.get(tenantId);
      if (directory === undefined) {
        const graph = props.graphForTenant(tenantId);
        if (graph === undefined) return undefined;
        directory = createGraphTenantDirectory(graph);
        directories.set(tenantId, directory);
      }
      return directory;
    },
    async requestSync({ tenantId, userId, expandDirectory }) {
      if (expandDirectory) {
        // the expansion queues the mailboxes it adds
        await queue.enqueueDirectoryExpansion({ tenantId });
        return;
      }
      const userIds =
        userId !== undefined
          ? [userId]
          : (await listMailboxes(store.db, tenantId))
              .filter((mailbox) => mailbox.state !== 'removed')
              .map((mailbox) => mailbox.userId);
      for (const id of userIds) {
        await queue.enqueueMailboxSync({ tenantId, userId: id, reason: 'round' });
      }
    },
    async appConsentGranted(tenantId) {
      const cached = consent.get(tenantId);
      if (cached && Date.now() - cached.at < CONSENT_CACHE_MS) return cached.granted;
      const app = tenantApps.appFor(tenantId);
      if (app === undefined) return false;
      const granted = await appRolesGranted(app, REQUIRED_APP_ROLES, logger);
      consent.set(tenantId, { granted, at: Date.now() });
      return granted;
    },
    notifier: props.notifier,
    local: props.local,
  };
}
