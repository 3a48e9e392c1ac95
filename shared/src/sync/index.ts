// Calendar sync: who is synced (tracked users and groups), the mailbox source behind one small
// interface, rounds that store each page with its cursor, and the embedded runner and scheduler.
export {
  MailboxSourceError,
  type CalendarPage,
  type CalendarReadStart,
  type MailboxSource,
  type MailboxSourceFailure,
  type SourceCalendar,
  type SourceMailbox,
} from './mailbox-source.js';
export {
  createGraphMailboxSource,
  DEFAULT_EVENT_PAGE_SIZE,
  toMailboxSourceError,
  type GraphMailboxSourceOptions,
} from './graph-mailbox-source.js';
export {
  NON_PERSON_PURPOSES,
  type DirectoryGroup,
  type DirectoryOrganization,
  type DirectoryRoom,
  type DirectoryUser,
  type MailboxPurposes,
  type TenantDirectory,
} from './tenant-directory.js';
export { createGraphTenantDirectory } from './graph-tenant-directory.js';
export {
  refreshTenantDirectory,
  type RefreshTenantDirectoryProps,
  type TenantDirectorySnapshot,
} from './refresh-tenant-directory.js';
export {
  expandTrackedPrincipals,
  retireMailbox,
  type ExpandTrackedPrincipalsProps,
  type ExpansionResult,
} from './expand-tracked-principals.js';
export {
  trackPrincipals,
  TRACK_ALL,
  UnknownPrincipalError,
  type TrackPrincipalsProps,
  type TrackPrincipalsResult,
} from './track-principals.js';
export {
  syncCalendar,
  type CalendarSyncResult,
  type StoredPageReport,
  type SyncCalendarProps,
  type TenantSyncContext,
} from './sync-calendar.js';
export {
  selectCalendars,
  syncMailbox,
  type MailboxSyncOutcome,
  type SyncMailboxProps,
} from './sync-mailbox.js';
export {
  DEFAULT_MAILBOX_CONCURRENCY,
  runSyncRound,
  type RunSyncRoundProps,
  type SyncProgress,
  type SyncRoundResult,
} from './run-sync-round.js';
export {
  DEFAULT_DIRECTORY_INTERVAL_MS,
  DEFAULT_SYNC_INTERVAL_MS,
  startSyncScheduler,
  type SyncScheduler,
  type SyncSchedulerProps,
} from './start-sync-scheduler.js';
export {
  refreshTrackedMailboxes,
  type RefreshTrackedMailboxesProps,
} from './refresh-tracked-mailboxes.js';
export { mailboxOwnerEmail, prepareTenantSync } from './prepare-tenant-sync.js';
export { syncTrackedMailbox, type SyncTrackedMailboxProps } from './sync-tracked-mailbox.js';
export { readSyncStatus, type MailboxSyncStatus } from './read-sync-status.js';
export { purgePrivateAppointments, type PurgeResult } from './purge-private-appointments.js';
export { applyTenantSettings } from './apply-tenant-settings.js';
export { describeSyncFailure, type SyncFailure } from './describe-sync-failure.js';
export {
  requiredWindow,
  syncWindowFor,
  windowStillServes,
  WINDOW_SLACK_DAYS,
  type SyncWindow,
} from './sync-window.js';
// event normalisation (normalize-event.ts and its helpers)
export {
  isRemovedItem,
  normalizeEvent,
  seriesKeyOf,
  type EventProblem,
  type NormalizeEventContext,
  type NormalizeEventResult,
  type SkipReason,
} from './normalize-event.js';
export { buildResourceDirectory, ResourceDirectory } from './resource-directory.js';
export { internalDomainsOf } from './mail-domains.js';
