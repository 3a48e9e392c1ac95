// Embedded mode: sync jobs in this process's memory. One job per mailbox runs at a time, a
// mailbox has at most one job waiting, and a busy or failing mailbox never holds up the others.
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_DIRECTORY_CONCURRENCY,
  DEFAULT_RETRY,
  DEFAULT_STOP_TIMEOUT_SECONDS,
  describeError,
  mailboxKey,
  positiveInteger,
  silentQueueLogger,
  stopReason,
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

export interface InProcessQueueOptions extends RetryPolicy {
  logger?: QueueLogger;
  /** how long stop() lets running jobs finish before aborting their signal (default 30) */
  stopTimeoutSeconds?: number;
}

export interface InProcessQueue extends SyncJobQueue {
  readonly kind: 'in-process';
  /** Resolves once no job is running or waiting (retries included). */
  whenIdle(): Promise<void>;
}

type JobTarget =
  | { kind: 'mailbox'; tenantId: string; userId: string; reason: MailboxSyncReason }
  | { kind: 'directory'; tenantId: string };
type JobKind = JobTarget['kind'];

type PendingJob = JobTarget & {
  /** one mailbox or one tenant's directory: at most one job per key runs, and one waits */
  key: string;
  /** 0 for the first run, then 1, 2, … for retries */
  attempt: number;
  /** epoch ms before which the job must not start (retry back-off) */
  notBefore: number;
};

const MAX_BACKOFF_DOUBLINGS = 16;

export function createInProcessQueue(options: InProcessQueueOptions = {}): InProcessQueue {
  const logger = options.logger ?? silentQueueLogger;
  const retryLimit = options.retryLimit ?? DEFAULT_RETRY.retryLimit;
  const retryDelayMs = (options.retryDelaySeconds ?? DEFAULT_RETRY.retryDelaySeconds) * 1000;
  const retryBackoff = options.retryBackoff ?? DEFAULT_RETRY.retryBackoff;
  const stopTimeoutMs = (options.stopTimeoutSeconds ?? DEFAULT_STOP_TIMEOUT_SECONDS) * 1000;
  const stopping = new AbortController();

  // Map iteration follows insertion order, so waiting jobs start first come, first served.
  const pending = new Map<string, PendingJob>();
  const running = new Map<string, Promise<void>>();
  const runningCount: Record<JobKind, number> = { mailbox: 0, directory: 0 };
  const limits: Record<JobKind, number> = {
    mailbox: DEFAULT_CONCURRENCY,
    directory: DEFAULT_DIRECTORY_CONCURRENCY,
  };
  const retryTimers = new Map<string, NodeJS.Timeout>();
  let idleWaiters: (() => void)[] = [];
  let handlers: SyncJobHandlers | null = null;
  let stopped = false;

  async function enqueue(key: string, target: JobTarget): Promise<EnqueueOutcome> {
    if (stopped) throw new Error('The sync job queue has stopped');
    if (pending.has(key)) return 'merged';
    pending.set(key, { ...target, key, attempt: 0, notBefore: 0 });
    dispatch();
    return 'queued';
  }

  function dispatch(): void {
    if (handlers === null || stopped) return;
    const now = Date.now();
    for (const job of pending.values()) {
      if (running.has(job.key) || runningCount[job.kind] >= limits[job.kind]) continue;
      if (job.notBefore > now) {
        wakeAt(job);
        continue;
      }
      start(job, handlers);
    }
  }

  function wakeAt(job: PendingJob): void {
    if (retryTimers.has(job.key)) return;
    const timer = setTimeout(
      () => {
        retryTimers.delete(job.key);
        dispatch();
      },
      Math.max(0, job.notBefore - Date.now()),
    );
    // a waiting retry alone should not keep the process alive
    timer.unref();
    retryTimers.set(job.key, timer);
  }

  function start(job: PendingJob, work: SyncJobHandlers): void {
    pending.delete(job.key);
    clearTimeout(retryTimers.get(job.key));
    retryTimers.delete(job.key);
    runningCount[job.kind] += 1;
    const details = jobDetails(job);
    logger.debug(details, 'sync job started');
    const run = Promise.resolve()
      .then(() =>
        job.kind === 'mailbox'
          ? work.syncMailbox(job.tenantId, job.userId, stopping.signal)
          : work.expandDirectory(job.tenantId, stopping.signal),
      )
      .then(
        () => logger.debug(details, 'sync job finished'),
        (error: unknown) => scheduleRetry(job, error),
      )
      .finally(() => {
        running.delete(job.key);
        runningCount[job.kind] -= 1;
        dispatch();
        settleIdleWaiters();
      });
    running.set(job.key, run);
  }

  function scheduleRetry(job: PendingJob, error: unknown): void {
    const details = { ...jobDetails(job), error: describeError(error) };
    if (stopping.signal.aborted) {
      logger.info(details, 'sync job stopped with the queue');
      return;
    }
    if (job.attempt >= retryLimit) {
      logger.error(details, 'sync job failed and has no retries left');
      return;
    }
    if (pending.has(job.key)) {
      // the job already waiting for this mailbox will sync it anyway
      logger.warn(details, 'sync job failed; the job already waiting will retry it');
      return;
    }
    if (stopped) return;
    const doublings = retryBackoff ? Math.min(job.attempt, MAX_BACKOFF_DOUBLINGS) : 0;
    const delayMs = retryDelayMs * 2 ** doublings;
    pending.set(job.key, { ...job, attempt: job.attempt + 1, notBefore: Date.now() + delayMs });
    logger.warn({ ...details, retryInMs: delayMs }, 'sync job failed; will retry');
  }

  function settleIdleWaiters(): void {
    if (pending.size > 0 || running.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  return {
    kind: 'in-process',
    enqueueMailboxSync: ({ tenantId, userId, reason }: MailboxSyncRequest) =>
      enqueue(`mailbox ${mailboxKey(tenantId, userId)}`, {
        kind: 'mailbox',
        tenantId,
        userId,
        reason,
      }),
    enqueueDirectoryExpansion: ({ tenantId }: DirectoryExpansionRequest) =>
      enqueue(`directory ${tenantId}`, { kind: 'directory', tenantId }),
    async work(given: SyncJobHandlers, workOptions: WorkOptions = {}) {
      if (handlers !== null) throw new Error('work() was already called');
      if (stopped) throw new Error('The sync job queue has stopped');
      limits.mailbox = positiveInteger(
        workOptions.concurrency ?? DEFAULT_CONCURRENCY,
        'concurrency',
      );
      limits.directory = positiveInteger(
        workOptions.directoryConcurrency ?? DEFAULT_DIRECTORY_CONCURRENCY,
        'directoryConcurrency',
      );
      handlers = given;
      dispatch();
    },
    whenIdle() {
      if (pending.size === 0 && running.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const timer of retryTimers.values()) clearTimeout(timer);
      retryTimers.clear();
      if (pending.size > 0) {
        // embedded mode re-enqueues every mailbox on its next round, so nothing is lost for good
        logger.info({ dropped: pending.size }, 'sync job queue stopped with jobs still waiting');
        pending.clear();
      }
      const settled = Promise.allSettled(running.values());
      const timer = setTimeout(() => stopping.abort(stopReason()), stopTimeoutMs);
      await settled;
      clearTimeout(timer);
      settleIdleWaiters();
    },
  };
}

function jobDetails(job: PendingJob): Record<string, unknown> {
  const target =
    job.kind === 'mailbox'
      ? { tenantId: job.tenantId, userId: job.userId, reason: job.reason }
      : { tenantId: job.tenantId };
  return { job: job.kind, ...target, attempt: job.attempt };
}
