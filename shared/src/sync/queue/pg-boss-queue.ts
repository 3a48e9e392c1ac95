// At scale: sync jobs in PostgreSQL through pg-boss, served by any number of worker processes.
//
// Two mechanisms, each doing what it can guarantee:
// - De-duplication: the queues use pg-boss's 'short' policy with singletonKey = tenantId:userId,
//   so a mailbox has at most one job waiting to start; more requests merge into it. A job that is
//   running does not count, so a change arriving mid-sync queues exactly one more job.
// - Exclusivity: each job runs under a PostgreSQL advisory lock on its mailbox (advisory-locks.ts).
//   A job fetched while another worker holds that mailbox is put back a few seconds later.
//
// Why not the 'singleton' or 'stately' policies: pg-boss 10 enforces their one-active-job rule with
// a unique index that the fetch query trips over. When the oldest waiting job belongs to a
// mailbox that is syncing, every fetch fails and returns nothing, so one long sync stalls every
// other mailbox (pg-boss issue #535). The advisory lock also outlives pg-boss's expiry: a sync
// running past expireInSeconds keeps the mailbox until it really ends.
import PgBoss from 'pg-boss';
import { createAdvisoryLocks, type AdvisoryLocks } from './advisory-locks.js';
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

export const MAILBOX_SYNC_QUEUE = 'sync-mailbox';
export const DIRECTORY_EXPANSION_QUEUE = 'expand-directory';
export const DEFAULT_JOB_SCHEMA = 'warmpath_jobs';

export interface PgBossQueueOptions extends RetryPolicy {
  /** postgres://… */
  connectionString: string;
  /** schema for pg-boss's tables, created on first start (default 'warmpath_jobs') */
  schema?: string;
  logger?: QueueLogger;
  /** how often an idle worker asks for jobs, in seconds (default 2, at least 0.5) */
  pollingIntervalSeconds?: number;
  /** how long a job waits before it is offered again when its mailbox is busy (default 5) */
  busyRetrySeconds?: number;
  /** a job running longer is marked failed and retried, but its lock holds off the retry (default 900) */
  expireInSeconds?: number;
  /** how long stop() lets running jobs finish before releasing them for a retry and aborting their signal (default 30) */
  stopTimeoutSeconds?: number;
  /** connections pg-boss itself keeps (default 4); the locks take one per running job on top */
  poolSize?: number;
  /** pg-boss's expiry and archiving; every worker may run it, pg-boss coordinates (default true) */
  maintenance?: boolean;
}

export interface PgBossQueue extends SyncJobQueue {
  readonly kind: 'pg-boss';
  readonly schema: string;
}

interface MailboxJobData {
  tenantId: string;
  userId: string;
  reason: MailboxSyncReason;
}

interface DirectoryJobData {
  tenantId: string;
}

type JobTarget =
  | { kind: 'mailbox'; queue: typeof MAILBOX_SYNC_QUEUE; data: MailboxJobData }
  | { kind: 'directory'; queue: typeof DIRECTORY_EXPANSION_QUEUE; data: DirectoryJobData };

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Connects, creates pg-boss's schema and the two queues if needed, and returns the queue. */
export async function createPgBossQueue(options: PgBossQueueOptions): Promise<PgBossQueue> {
  const schema = options.schema ?? DEFAULT_JOB_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) {
    throw new RangeError(`schema must be a lowercase PostgreSQL identifier (got "${schema}")`);
  }
  const logger = options.logger ?? silentQueueLogger;
  const retry = {
    retryLimit: options.retryLimit ?? DEFAULT_RETRY.retryLimit,
    retryDelay: options.retryDelaySeconds ?? DEFAULT_RETRY.retryDelaySeconds,
    retryBackoff: options.retryBackoff ?? DEFAULT_RETRY.retryBackoff,
  };
  const expireInSeconds = options.expireInSeconds ?? 15 * 60;
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  const busyRetrySeconds = options.busyRetrySeconds ?? 5;
  const stopTimeoutMs = (options.stopTimeoutSeconds ?? DEFAULT_STOP_TIMEOUT_SECONDS) * 1000;
  const maintenance = options.maintenance ?? true;

  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema,
    max: options.poolSize ?? 4,
    application_name: 'warmpath-jobs',
    schedule: false,
    supervise: maintenance,
  });
  // without a listener an 'error' event would crash the process; pg-boss recovers on its own
  boss.on('error', (error) => logger.error({ error: describeError(error) }, 'pg-boss error'));
  await boss.start();
  for (const name of [MAILBOX_SYNC_QUEUE, DIRECTORY_EXPANSION_QUEUE]) {
    const settings = { name, policy: 'short' as const, ...retry, expireInSeconds };
    await boss.createQueue(name, settings);
    // createQueue leaves an existing queue alone; this brings its settings up to date
    await boss.updateQueue(name, settings);
  }

  const sendOptions = (singletonKey: string, startAfterSeconds?: number): PgBoss.SendOptions => ({
    singletonKey,
    ...retry,
    expireInSeconds,
    ...(startAfterSeconds === undefined ? {} : { startAfter: startAfterSeconds }),
  });

  function singletonKeyOf(target: JobTarget): string {
    return target.kind === 'mailbox'
      ? mailboxKey(target.data.tenantId, target.data.userId)
      : target.data.tenantId;
  }

  /** The lock name covers the schema, so separate job schemas on one database never collide. */
  function lockNameOf(target: JobTarget): string {
    return `${schema}|${target.kind}|${singletonKeyOf(target)}`;
  }

  let working = false;
  let stopping: Promise<void> | null = null;
  let locks: AdvisoryLocks | null = null;
  const abortRunning = new AbortController();
  /** handlers still running, however their jobs ended in pg-boss */
  const inFlight = new Set<Promise<void>>();

  async function send(target: JobTarget): Promise<EnqueueOutcome> {
    if (stopping !== null) throw new Error('The sync job queue has stopped');
    const id = await boss.send(target.queue, target.data, sendOptions(singletonKeyOf(target)));
    return id === null ? 'merged' : 'queued';
  }

  async function runJob(
    target: JobTarget,
    job: PgBoss.JobWithMetadata<unknown>,
    handlers: SyncJobHandlers,
    leases: AdvisoryLocks,
    workerId: () => string | undefined,
  ): Promise<{ outcome: 'ran' | 'busy' }> {
    const details = {
      job: target.kind,
      ...target.data,
      jobId: job.id,
      attempt: job.retryCount,
    };
    const lease = await leases.tryAcquire(lockNameOf(target));
    if (lease === null) {
      // another worker is syncing this mailbox: offer the job again once it has probably finished
      const requeued = await boss.send(
        target.queue,
        target.data,
        sendOptions(singletonKeyOf(target), busyRetrySeconds),
      );
      logger.debug(
        { ...details, merged: requeued === null },
        'sync job put back: another worker holds it',
      );
      return { outcome: 'busy' };
    }
    logger.debug(details, 'sync job started');
    const run = (async () => {
      try {
        if (target.kind === 'mailbox') {
          await handlers.syncMailbox(target.data.tenantId, target.data.userId, abortRunning.signal);
        } else {
          await handlers.expandDirectory(target.data.tenantId, abortRunning.signal);
        }
      } finally {
        await lease.release();
      }
    })();
    const tracked = run.then(
      () => undefined,
      () => undefined,
    );
    inFlight.add(tracked);
    try {
      await run;
      logger.debug(details, 'sync job finished');
      return { outcome: 'ran' };
    } catch (error) {
      if (abortRunning.signal.aborted) {
        logger.info(details, 'sync job stopped with the worker; it goes back to the queue');
        throw error;
      }
      const failure = { ...details, error: describeError(error) };
      if (job.retryCount >= job.retryLimit) {
        logger.error(failure, 'sync job failed and has no retries left');
      } else {
        logger.warn(failure, 'sync job failed; will retry');
      }
      throw error;
    } finally {
      inFlight.delete(tracked);
      // fetch the next job now rather than after the polling interval
      const id = workerId();
      if (id !== undefined && stopping === null) boss.notifyWorker(id);
    }
  }

  async function startWorkers(
    queue: JobTarget['queue'],
    count: number,
    handlers: SyncJobHandlers,
    leases: AdvisoryLocks,
  ): Promise<void> {
    for (let i = 0; i < count; i++) {
      // the first job can arrive before work() resolves with the worker's id
      const worker: { id?: string } = {};
      worker.id = await boss.work<unknown>(
        queue,
        { batchSize: 1, includeMetadata: true, pollingIntervalSeconds },
        async ([job]) => {
          if (job === undefined) return undefined;
          const target = parseJob(queue, job.data);
          if (target === null) {
            // a job this version cannot read would fail on every retry: drop it, loudly
            logger.error({ queue, jobId: job.id }, 'sync job has unreadable data; dropped');
            return { outcome: 'unreadable' };
          }
          return runJob(target, job, handlers, leases, () => worker.id);
        },
      );
    }
  }

  return {
    kind: 'pg-boss',
    schema,
    enqueueMailboxSync: ({ tenantId, userId, reason }: MailboxSyncRequest) =>
      send({ kind: 'mailbox', queue: MAILBOX_SYNC_QUEUE, data: { tenantId, userId, reason } }),
    enqueueDirectoryExpansion: ({ tenantId }: DirectoryExpansionRequest) =>
      send({ kind: 'directory', queue: DIRECTORY_EXPANSION_QUEUE, data: { tenantId } }),
    async work(handlers: SyncJobHandlers, workOptions: WorkOptions = {}) {
      if (working) throw new Error('work() was already called');
      if (stopping !== null) throw new Error('The sync job queue has stopped');
      const concurrency = positiveInteger(
        workOptions.concurrency ?? DEFAULT_CONCURRENCY,
        'concurrency',
      );
      const directoryConcurrency = positiveInteger(
        workOptions.directoryConcurrency ?? DEFAULT_DIRECTORY_CONCURRENCY,
        'directoryConcurrency',
      );
      working = true;
      const leases = createAdvisoryLocks({
        connectionString: options.connectionString,
        maxLeases: concurrency + directoryConcurrency,
        logger,
      });
      locks = leases;
      await startWorkers(MAILBOX_SYNC_QUEUE, concurrency, handlers, leases);
      await startWorkers(DIRECTORY_EXPANSION_QUEUE, directoryConcurrency, handlers, leases);
    },
    stop() {
      stopping ??= (async () => {
        // graceful: running jobs get stopTimeoutSeconds to finish, then go back to the queue
        await boss.stop({ graceful: true, timeout: stopTimeoutMs, wait: true, close: true });
        // handlers still running are asked to stop; each keeps its mailbox locked until it ends
        if (inFlight.size > 0) abortRunning.abort(stopReason());
        await Promise.all(inFlight);
        await locks?.close();
      })();
      return stopping;
    },
  };
}

function parseJob(queue: JobTarget['queue'], data: unknown): JobTarget | null {
  if (typeof data !== 'object' || data === null) return null;
  const fields = data as Record<string, unknown>;
  if (typeof fields.tenantId !== 'string') return null;
  if (queue === DIRECTORY_EXPANSION_QUEUE) {
    return { kind: 'directory', queue, data: { tenantId: fields.tenantId } };
  }
  if (typeof fields.userId !== 'string' || !isReason(fields.reason)) return null;
  return {
    kind: 'mailbox',
    queue,
    data: { tenantId: fields.tenantId, userId: fields.userId, reason: fields.reason },
  };
}

function isReason(value: unknown): value is MailboxSyncReason {
  return (
    value === 'round' || value === 'notification' || value === 'poll' || value === 'rebaseline'
  );
}
