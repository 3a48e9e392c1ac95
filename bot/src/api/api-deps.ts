// What the REST API's use cases reach: the store, token and directory checks, the sync queue, the
// Teams notifier. The service wires real ones; nothing here is a stand-in.
import type {
  AccessTokenVerifier,
  CallerDirectoryView,
  Caller,
  TenantApps,
} from '@warmpath/shared/auth';
import type { IntroNotifier } from '@warmpath/shared/intros';
import type { Store } from '@warmpath/shared/store';
import type { TenantDirectory } from '@warmpath/shared/sync';

/** The tenant simulator the service runs against in local mode. */
export interface LocalSimulator {
  /** https://127.0.0.1:PORT: both AUTHORITY_HOST and the /_sim/ control API */
  url: string;
  /** the tenant whose users may sign in */
  tenantId: string;
}

export interface SyncRequest {
  tenantId: string;
  /** one mailbox; every tracked one when absent */
  userId?: string;
  /** expand tracked users and groups into mailboxes first (after tracking changes) */
  expandDirectory?: boolean;
}

export interface ApiDeps {
  store: Store;
  verifyToken: AccessTokenVerifier;
  tenantApps: TenantApps;
  /** the caller's profile and admin roles through on-behalf-of */
  directoryView(caller: Caller): Promise<CallerDirectoryView>;
  /** app-only directory of an onboarded tenant (admin picker, tracking) */
  directoryFor(tenantId: string): TenantDirectory | undefined;
  /** queue sync work; resolves when queued */
  requestSync(request: SyncRequest): Promise<void>;
  /** whether the tenant's admin consented to WarmPath's application permissions */
  appConsentGranted(tenantId: string): Promise<boolean>;
  /** tells connectors and requesters in Teams; absent when no bot runs */
  notifier?: IntroNotifier | undefined;
  /** present only when running against the tenant simulator */
  local?: LocalSimulator | undefined;
}
