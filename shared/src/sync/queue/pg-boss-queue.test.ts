import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { storeTargets } from '../../store/testing.js';
import {
  createPgBossQueue,
  DIRECTORY_EXPANSION_QUEUE,
  MAILBOX_SYNC_QUEUE,
  type PgBossQueue,
  type PgBossQueueOptions,
} from './pg-boss-queue.js';
import { RunRecorder } from './test-support.js';
import type { SyncJobHandlers } from './types.js';

const WORKER_FIXTURE = fileURLToPath(new URL('./pg-boss-worker.fixture.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** generous bound for work that normally takes a second or two; never a timing assertion */
const SETTLE = { timeout: 30_000, interval: 100 };

describe('createPgBossQueue', () => {
  it('rejects a schema name that is not a plain identifier before connecting', async () => {
    await expect(
      createPgBossQueue({ connectionString: 'postgres://nowhere.invalid/db', schema: 'x; drop' }),
    ).rejects.toThrow('schema must be a lowercase PostgreSQL identifier');
  });
});

// The same PostgreSQL target the store suite uses, and the same rule: in CI it must be there.
const target = storeTargets(process.env).find((t) => t.label === 'postgres');

if (target !== undefined && 'missing' in target) {
  describe('createPgBossQueue [postgres]', () => {
    it('runs against PostgreSQL', () => {
      throw new Error(`The sync job queue tests need PostgreSQL. ${target.missing}`);
    });
  });
}

if (target !== undefined && 'url' in target) {
  const url = target.url;
  const schemas: string[] = [];
  const queues: PgBossQueue[] = [];
  const recorders: RunRecorder[] = [];
  const children: ChildProcess[] = [];
  const gates: Gate[] = [];

  function newSchema(): string {
    const schema = `wp_jobs_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    schemas.push(schema);
    return schema;
  }

  async function newQueue(
    schema: string,
    options: Partial<PgBossQueueOptions> = {},
  ): Promise<PgBossQueue> {
    const queue = await createPgBossQueue({
      connectionString: url,
      schema,
      pollingIntervalSeconds: 0.5,
      busyRetrySeconds: 1,
      retryDelaySeconds: 0,
      maintenance: false,
      ...options,
    });
    queues.push(queue);
    return queue;
  }

  async function newRecorder(schema: string): Promise<RunRecorder> {
    const recorder = new RunRecorder(url, schema);
    recorders.push(recorder);
    await recorder.install();
    return recorder;
  }

  /** A worker in its own process on the same schema; resolves once it is taking jobs. */
  async function startWorkerProcess(schema: string, worker: string): Promise<ChildProcess> {
    const child = fork(WORKER_FIXTURE, [], {
      cwd: REPO_ROOT,
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        QUEUE_TEST_DATABASE_URL: url,
        QUEUE_TEST_SCHEMA: schema,
        QUEUE_TEST_WORKER: worker,
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
    });
    return child;
  }

  function exited(child: ChildProcess): Promise<number | null> {
    if (child.exitCode !== null) return Promise.resolve(child.exitCode);
    return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  afterEach(async () => {
    for (const held of gates.splice(0)) held.open();
    for (const child of children.splice(0)) {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited(child);
    }
    for (const queue of queues.splice(0)) await queue.stop();
    for (const recorder of recorders.splice(0)) await recorder.close();
  });

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      for (const schema of schemas) await admin.query(`drop schema if exists ${schema} cascade`);
    } finally {
      await admin.end();
    }
  });

  describe('createPgBossQueue [postgres]', { timeout: 60_000 }, () => {
    it('never syncs one mailbox in two workers at once, and syncs every mailbox after its last request', async () => {
      const schema = newSchema();
      const producer = await newQueue(schema);
      const recorder = await newRecorder(schema);
      const second = await newQueue(schema);
      const syncMs = () => 10 + Math.random() * 50;
      await producer.work(recorder.handlers('worker-1', syncMs), { concurrency: 2 });
      await second.work(recorder.handlers('worker-2', syncMs), { concurrency: 2 });
      const child = await startWorkerProcess(schema, 'worker-process');

      const mailboxes = [
        { tenantId: 'tenant-a', userId: 'alice' },
        { tenantId: 'tenant-a', userId: 'bob' },
        { tenantId: 'tenant-b', userId: 'alice' },
      ];
      const outcomes: string[] = [];
      for (let round = 0; round < 60; round++) {
        for (const { tenantId, userId } of mailboxes) {
          await recorder.requested(tenantId, userId);
          outcomes.push(
            await producer.enqueueMailboxSync({ tenantId, userId, reason: 'notification' }),
          );
        }
        // let the workers pick some up, so requests land on waiting and on running jobs
        await new Promise((resolve) => setTimeout(resolve, 10));
      }

      await vi.waitFor(async () => {
        expect(await recorder.unfinishedJobs(MAILBOX_SYNC_QUEUE)).toBe(0);
      }, SETTLE);

      const summary = await recorder.mailboxes();
      expect(summary).toHaveLength(mailboxes.length);
      for (const mailbox of summary) {
        expect(mailbox.maxRunning, `${mailbox.tenantId}/${mailbox.userId}`).toBe(1);
        // a request that arrived while the mailbox was syncing still got a sync after it
        expect(mailbox.lastStarted).toBeGreaterThan(mailbox.lastRequested ?? Infinity);
      }
      // de-duplication: the requests took fewer syncs than there were requests
      const syncs = summary.reduce((sum, m) => sum + m.runs, 0);
      expect(outcomes.filter((o) => o === 'merged').length).toBeGreaterThan(0);
      expect(syncs).toBeLessThan(outcomes.length);
      // more than one worker took part, so exclusivity held across workers, not just within one
      expect((await recorder.workers()).size).toBeGreaterThan(1);

      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
    });

    it('merges requests for a mailbox whose job is waiting into that job', async () => {
      const schema = newSchema();
      const queue = await newQueue(schema);
      const recorder = await newRecorder(schema);
      const outcomes = [];
      for (const reason of ['notification', 'notification', 'poll', 'rebaseline'] as const) {
        outcomes.push(await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u1', reason }));
      }
      outcomes.push(
        await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u2', reason: 'poll' }),
      );
      outcomes.push(
        await queue.enqueueMailboxSync({ tenantId: 't2', userId: 'u1', reason: 'poll' }),
      );
      outcomes.push(await queue.enqueueDirectoryExpansion({ tenantId: 't1' }));
      outcomes.push(await queue.enqueueDirectoryExpansion({ tenantId: 't1' }));
      expect(outcomes).toEqual([
        'queued',
        'merged',
        'merged',
        'merged',
        'queued',
        'queued',
        'queued',
        'merged',
      ]);
      expect(await recorder.jobStates(MAILBOX_SYNC_QUEUE)).toEqual([
        'created',
        'created',
        'created',
      ]);
      expect(await recorder.jobStates(DIRECTORY_EXPANSION_QUEUE)).toEqual(['created']);

      const directories: string[] = [];
      await queue.work({
        ...recorder.handlers('worker', () => 0),
        expandDirectory: async (tenantId) => void directories.push(tenantId),
      });
      await vi.waitFor(async () => {
        expect(await recorder.unfinishedJobs(MAILBOX_SYNC_QUEUE)).toBe(0);
        expect(await recorder.unfinishedJobs(DIRECTORY_EXPANSION_QUEUE)).toBe(0);
      }, SETTLE);
      expect((await recorder.mailboxes()).map((m) => [m.tenantId, m.userId, m.runs])).toEqual([
        ['t1', 'u1', 1],
        ['t1', 'u2', 1],
        ['t2', 'u1', 1],
      ]);
      expect(directories).toEqual(['t1']);
    });

    it('queues exactly one more job for a mailbox that is syncing, and runs it afterwards', async () => {
      const schema = newSchema();
      const queue = await newQueue(schema);
      const held = heldHandlers();
      const release = held.hold('t1/u1');
      await queue.work(held.handlers, { concurrency: 2 });
      await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u1', reason: 'round' });
      await vi.waitFor(() => expect(held.events).toEqual(['start t1/u1']), SETTLE);

      const during = [];
      for (let i = 0; i < 3; i++) {
        during.push(
          await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u1', reason: 'notification' }),
        );
      }
      expect(during).toEqual(['queued', 'merged', 'merged']);
      release.open();
      await vi.waitFor(() => expect(held.events).toHaveLength(4), SETTLE);
      expect(held.events).toEqual(['start t1/u1', 'end t1/u1', 'start t1/u1', 'end t1/u1']);
    });

    it('syncs other mailboxes while a busy mailbox has a job waiting ahead of them', async () => {
      const schema = newSchema();
      const first = await newQueue(schema);
      const second = await newQueue(schema);
      const held = heldHandlers();
      const release = held.hold('t1/busy');
      await first.work(held.handlers, { concurrency: 1 });
      await first.enqueueMailboxSync({ tenantId: 't1', userId: 'busy', reason: 'round' });
      await vi.waitFor(() => expect(held.events).toEqual(['start t1/busy']), SETTLE);

      // the busy mailbox's next job is now the oldest waiting job; pg-boss's stately policy
      // would stall every fetch on it until the busy sync ends
      await first.enqueueMailboxSync({ tenantId: 't1', userId: 'busy', reason: 'notification' });
      await first.enqueueMailboxSync({ tenantId: 't1', userId: 'other', reason: 'notification' });
      await second.work(held.handlers, { concurrency: 1 });

      await vi.waitFor(() => expect(held.events).toContain('end t1/other'), SETTLE);
      expect(held.events).not.toContain('end t1/busy');
      expect(held.events.filter((e) => e === 'start t1/busy')).toHaveLength(1);

      release.open();
      await vi.waitFor(
        () => expect(held.events.filter((e) => e === 'end t1/busy')).toHaveLength(2),
        SETTLE,
      );
      expect(held.overlaps).toEqual([]);
    });

    it('retries a failed mailbox and keeps syncing others while one keeps failing', async () => {
      const schema = newSchema();
      const queue = await newQueue(schema, { retryLimit: 2, retryBackoff: false });
      const recorder = await newRecorder(schema);
      const held = heldHandlers();
      held.failTimes('t1/flaky', 1);
      held.failTimes('t1/broken', 100);
      await queue.work(held.handlers, { concurrency: 1 });
      for (const userId of ['broken', 'flaky', 'fine']) {
        await queue.enqueueMailboxSync({ tenantId: 't1', userId, reason: 'round' });
      }
      await vi.waitFor(async () => {
        expect(await recorder.unfinishedJobs(MAILBOX_SYNC_QUEUE)).toBe(0);
      }, SETTLE);

      const runs = (key: string) => held.events.filter((e) => e === `start ${key}`).length;
      expect(runs('t1/broken')).toBe(3);
      expect(runs('t1/flaky')).toBe(2);
      expect(runs('t1/fine')).toBe(1);
      expect((await recorder.jobStates(MAILBOX_SYNC_QUEUE)).sort()).toEqual([
        'completed',
        'completed',
        'failed',
      ]);
    });

    it('stop() lets a running sync finish and completes its job', async () => {
      const schema = newSchema();
      const queue = await newQueue(schema);
      const recorder = await newRecorder(schema);
      const held = heldHandlers();
      const release = held.hold('t1/u1');
      await queue.work(held.handlers);
      await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u1', reason: 'round' });
      await vi.waitFor(() => expect(held.events).toEqual(['start t1/u1']), SETTLE);

      let stopped = false;
      const stopping = queue.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stopped).toBe(false);
      release.open();
      await stopping;

      expect(held.events).toEqual(['start t1/u1', 'end t1/u1']);
      expect(await recorder.jobStates(MAILBOX_SYNC_QUEUE)).toEqual(['completed']);
      await expect(
        queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u2', reason: 'round' }),
      ).rejects.toThrow('The sync job queue has stopped');
    });

    it('stop() releases a sync that outlasts its timeout, and another worker takes it only after the sync really ends', async () => {
      const schema = newSchema();
      const stopping = await newQueue(schema, { stopTimeoutSeconds: 1 });
      const taking = await newQueue(schema);
      const held = heldHandlers();
      const release = held.hold('t1/u1');
      await stopping.work(held.handlers);
      await stopping.enqueueMailboxSync({ tenantId: 't1', userId: 'u1', reason: 'round' });
      await vi.waitFor(() => expect(held.events).toEqual(['start t1/u1']), SETTLE);

      const recorder = await newRecorder(schema);
      const stopped = stopping.stop();
      await taking.work(held.handlers);
      // pg-boss hands the job back once the stop timeout passes, and the other worker fetches
      // it, but cannot start it while the first sync still holds the mailbox
      await vi.waitFor(async () => {
        expect(await recorder.jobOutcomes(MAILBOX_SYNC_QUEUE)).toContain('busy');
      }, SETTLE);
      expect(held.events).toEqual(['start t1/u1']);

      release.open();
      await stopped;
      await vi.waitFor(
        () => expect(held.events).toEqual(['start t1/u1', 'end t1/u1', 'start t1/u1', 'end t1/u1']),
        SETTLE,
      );
      expect(held.overlaps).toEqual([]);
    });
  });

  describe('createPgBossQueue [postgres] shutdown', { timeout: 60_000 }, () => {
    it('stop() aborts a sync that outlasts its timeout, and another worker runs the job again', async () => {
      const schema = newSchema();
      const stopping = await newQueue(schema, { stopTimeoutSeconds: 1 });
      const taking = await newQueue(schema);
      const recorder = await newRecorder(schema);
      const held = heldHandlers();
      held.holdUntilAborted('t1/u1');
      await stopping.work(held.handlers);
      await stopping.enqueueMailboxSync({ tenantId: 't1', userId: 'u1', reason: 'round' });
      await vi.waitFor(() => expect(held.events).toEqual(['start t1/u1']), SETTLE);

      await stopping.stop();
      expect(held.events).toEqual(['start t1/u1', 'end t1/u1']);
      expect(await recorder.jobStates(MAILBOX_SYNC_QUEUE)).toEqual(['retry']);

      const resumed = heldHandlers();
      await taking.work(resumed.handlers);
      await vi.waitFor(async () => {
        expect(await recorder.jobStates(MAILBOX_SYNC_QUEUE)).toEqual(['completed']);
      }, SETTLE);
      expect(resumed.events).toEqual(['start t1/u1', 'end t1/u1']);
    });
  });

  interface Gate {
    promise: Promise<void>;
    open(): void;
  }

  function gate(): Gate {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    const created = { promise, open };
    gates.push(created);
    return created;
  }

  /** In-memory handlers for single-process tests: runs can be held open, or made to fail. */
  function heldHandlers() {
    const events: string[] = [];
    const overlaps: string[] = [];
    const running = new Set<string>();
    const holds = new Map<string, Gate>();
    const holdsUntilAborted = new Set<string>();
    const failuresLeft = new Map<string, number>();
    const handlers: SyncJobHandlers = {
      async syncMailbox(tenantId, userId, signal) {
        const key = `${tenantId}/${userId}`;
        if (running.has(key)) overlaps.push(key);
        running.add(key);
        events.push(`start ${key}`);
        try {
          await holds.get(key)?.promise;
          if (holdsUntilAborted.has(key)) {
            await new Promise((_resolve, reject) =>
              signal.addEventListener('abort', () => reject(signal.reason)),
            );
          }
          const left = failuresLeft.get(key) ?? 0;
          if (left > 0) {
            failuresLeft.set(key, left - 1);
            throw new Error(`sync of ${key} failed`);
          }
        } finally {
          running.delete(key);
          events.push(`end ${key}`);
        }
      },
      expandDirectory: async () => undefined,
    };
    return {
      handlers,
      events,
      overlaps,
      hold(key: string): Gate {
        const g = gate();
        holds.set(key, g);
        return g;
      },
      failTimes(key: string, times: number) {
        failuresLeft.set(key, times);
      },
      /** the mailbox's syncs run until the queue aborts them, as the sync core does */
      holdUntilAborted(key: string) {
        holdsUntilAborted.add(key);
      },
    };
  }
}
