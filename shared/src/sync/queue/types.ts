/** Why a mailbox sync was asked for; carried for logs, never changes what the handler does. */
export type MailboxSyncReason = 'round' | 'notification' | 'poll' | 'rebaseline';

export interface MailboxSyncRequest {
  tenantId: string;
  userId: string;
  reason: MailboxSyncReason;
}

export interface DirectoryExpansionRequest {
  tenantId: string;
}

/**
 * 'queued': a new job was created. 'merged': a job for the same mailbox (or tenant directory) was
 * already waiting to start, and it will cover this request too.
 */
export type EnqueueOutcome = 'queued' | 'merged';

/**
 * The work itself, injected: the queue only decides when and where it runs. `signal` aborts when
 * the queue stops and a job outlasts the stop timeout; a handler that honours it ends at a safe
 * point and its job is retried (by another worker, at scale).
 */
export interface SyncJobHandlers {
  syncMailbox(tenantId: string, userId: string, signal: AbortSignal): Promise<unknown>;
  expandDirectory(tenantId: string, signal: AbortSignal): Promise<unknown>;
}

export interface WorkOptions {
  /** mailbox syncs this process runs at once (default 4) */
  concurrency?: number;
  /** directory expansions this process runs at once (default 1) */
  directoryConcurrency?: number;
}

export interface SyncJobQueue {
  readonly kind: 'in-process' | 'pg-boss';
  enqueueMailboxSync(request: MailboxSyncRequest): Promise<EnqueueOutcome>;
  enqueueDirectoryExpansion(request: DirectoryExpansionRequest): Promise<EnqueueOutcome>;
  /** Starts running jobs with these handlers; call once per queue. */
  work(handlers: SyncJobHandlers, options?: WorkOptions): Promise<void>;
  /** Stops taking jobs and waits for the running ones to finish (or be released for a retry). */
  stop(): Promise<void>;
}

/** The slice of a pino logger the queues use, so tests can pass a recorder. */
export interface QueueLogger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const silentQueueLogger: QueueLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Retries for failed jobs: `retryLimit` more attempts, delay doubling from `retryDelaySeconds`. */
export interface RetryPolicy {
  /** attempts after the first (default 3) */
  retryLimit?: number;
  /** delay before the first retry, in seconds (default 30) */
  retryDelaySeconds?: number;
  /** double the delay on each retry (default true) */
  retryBackoff?: boolean;
}

export const DEFAULT_RETRY: Required<RetryPolicy> = {
  retryLimit: 3,
  retryDelaySeconds: 30,
  retryBackoff: true,
};

export const DEFAULT_CONCURRENCY = 4;
/** how long stop() lets running jobs finish before aborting their signal */
export const DEFAULT_STOP_TIMEOUT_SECONDS = 30;

export function stopReason(): DOMException {
  return new DOMException('The sync job queue is stopping', 'AbortError');
}
export const DEFAULT_DIRECTORY_CONCURRENCY = 1;

/** What the queues log about an error: its name, code and message, never a token or payload. */
export function describeError(error: unknown): { name: string; code?: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      ...(typeof code === 'string' ? { code } : {}),
      message: error.message,
    };
  }
  return { name: 'NonError', message: String(error) };
}

/** One mailbox's identity in the queues (pg-boss's singletonKey): tenant first, like the store's keys. */
export function mailboxKey(tenantId: string, userId: string): string {
  return `${tenantId}:${userId}`;
}

export function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${what} must be a whole number of at least 1 (got ${value})`);
  }
  return value;
}
