// Sync jobs: one queue interface with an in-process implementation (embedded mode) and a
// PostgreSQL one through pg-boss (any number of `npm run worker` processes). See README.md.
export {
  DEFAULT_CONCURRENCY,
  DEFAULT_DIRECTORY_CONCURRENCY,
  DEFAULT_RETRY,
  DEFAULT_STOP_TIMEOUT_SECONDS,
  mailboxKey,
  type DirectoryExpansionRequest,
  type EnqueueOutcome,
  type MailboxSyncReason,
  type MailboxSyncRequest,
  type QueueLogger,
  type RetryPolicy,
  type SyncJobHandlers,
  type SyncJobQueue,
  type WorkOptions,
} from './types.js';
export {
  createInProcessQueue,
  type InProcessQueue,
  type InProcessQueueOptions,
} from './in-process-queue.js';
export {
  createPgBossQueue,
  DEFAULT_JOB_SCHEMA,
  DIRECTORY_EXPANSION_QUEUE,
  MAILBOX_SYNC_QUEUE,
  type PgBossQueue,
  type PgBossQueueOptions,
} from './pg-boss-queue.js';
