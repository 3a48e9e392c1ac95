import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInProcessQueue, type InProcessQueue } from './in-process-queue.js';
import type { QueueLogger, SyncJobHandlers } from './types.js';

interface Gate {
  promise: Promise<void>;
  open(): void;
}

const gates: Gate[] = [];

function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  const created = { promise, open };
  gates.push(created);
  return created;
}

/** Records every run; a mailbox's runs can be held open with `hold` until released. */
function recordingHandlers(options: { yieldToIo?: boolean } = {}) {
  const events: string[] = [];
  const syncs: string[] = [];
  const running = new Set<string>();
  const holds = new Map<string, Gate>();
  const started = new Map<string, Gate>();
  let maxConcurrent = 0;
  const overlaps: string[] = [];
  const failuresLeft = new Map<string, number>();

  const handlers: SyncJobHandlers = {
    async syncMailbox(tenantId, userId) {
      const key = `${tenantId}/${userId}`;
      if (running.has(key)) overlaps.push(key);
      running.add(key);
      maxConcurrent = Math.max(maxConcurrent, running.size);
      events.push(`start ${key}`);
      syncs.push(key);
      started.get(key)?.open();
      try {
        // a real sync waits on I/O, which lets other jobs start alongside it
        if (options.yieldToIo) await new Promise((resolve) => setImmediate(resolve));
        await holds.get(key)?.promise;
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
    async expandDirectory(tenantId) {
      events.push(`directory ${tenantId}`);
    },
  };
  return {
    handlers,
    events,
    syncs,
    overlaps,
    get maxConcurrent() {
      return maxConcurrent;
    },
    /** the mailbox's runs wait until the returned gate opens */
    hold(key: string): Gate {
      const g = gate();
      holds.set(key, g);
      return g;
    },
    /** resolves when the mailbox's next run has started */
    nextStart(key: string): Promise<void> {
      const g = gate();
      started.set(key, g);
      return g.promise;
    },
    failTimes(key: string, times: number) {
      failuresLeft.set(key, times);
    },
  };
}

function recordingLogger() {
  const lines: { level: string; message: string; details: object }[] = [];
  const at =
    (level: string) =>
    (details: object, message: string): void => {
      lines.push({ level, message, details });
    };
  const logger: QueueLogger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { logger, lines };
}

const queues: InProcessQueue[] = [];
function newQueue(...args: Parameters<typeof createInProcessQueue>): InProcessQueue {
  const queue = createInProcessQueue(...args);
  queues.push(queue);
  return queue;
}

afterEach(async () => {
  vi.useRealTimers();
  // a failed assertion must not leave a held sync that stop() would wait for forever
  for (const held of gates.splice(0)) held.open();
  for (const queue of queues.splice(0)) await queue.stop();
});

describe('createInProcessQueue', () => {
  it('syncs every enqueued mailbox once and expands directories', async () => {
    const queue = newQueue();
    const run = recordingHandlers();
    await queue.work(run.handlers, { concurrency: 2 });
    for (const userId of ['u1', 'u2', 'u3']) {
      expect(await queue.enqueueMailboxSync({ tenantId: 't1', userId, reason: 'round' })).toBe(
        'queued',
      );
    }
    expect(await queue.enqueueDirectoryExpansion({ tenantId: 't1' })).toBe('queued');
    await queue.whenIdle();
    expect(run.syncs.sort()).toEqual(['t1/u1', 't1/u2', 't1/u3']);
    expect(run.events).toContain('directory t1');
  });

  it('merges requests for a mailbox whose job is still waiting into that job', async () => {
    const queue = newQueue();
    const run = recordingHandlers();
    const outcomes = [];
    for (const reason of ['notification', 'notification', 'poll', 'round'] as const) {
      outcomes.push(await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u1', reason }));
    }
    outcomes.push(await queue.enqueueDirectoryExpansion({ tenantId: 't1' }));
    outcomes.push(await queue.enqueueDirectoryExpansion({ tenantId: 't1' }));
    await queue.work(run.handlers);
    await queue.whenIdle();
    expect(outcomes).toEqual(['queued', 'merged', 'merged', 'merged', 'queued', 'merged']);
    expect(run.syncs).toEqual(['t1/u1']);
    expect(run.events.filter((e) => e.startsWith('directory'))).toEqual(['directory t1']);
  });

  it('keeps one more job for a mailbox that is syncing, and starts it only after the first ends', async () => {
    const queue = newQueue();
    const run = recordingHandlers();
    const release = run.hold('t1/u1');
    await queue.work(run.handlers, { concurrency: 4 });
    const firstStarted = run.nextStart('t1/u1');
    await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u1', reason: 'round' });
    await firstStarted;

    // a change arriving mid-sync must not be lost, but three changes need only one more sync
    const during = [];
    for (let i = 0; i < 3; i++) {
      during.push(
        await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u1', reason: 'notification' }),
      );
    }
    expect(during).toEqual(['queued', 'merged', 'merged']);
    release.open();
    await queue.whenIdle();

    expect(run.events).toEqual(['start t1/u1', 'end t1/u1', 'start t1/u1', 'end t1/u1']);
    expect(run.overlaps).toEqual([]);
  });

  it('starts other mailboxes while a busy mailbox has a job waiting ahead of them', async () => {
    const queue = newQueue();
    const run = recordingHandlers();
    const release = run.hold('t1/busy');
    await queue.work(run.handlers, { concurrency: 2 });
    const busyStarted = run.nextStart('t1/busy');
    await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'busy', reason: 'round' });
    await busyStarted;
    await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'busy', reason: 'notification' });
    const otherStarted = run.nextStart('t1/other');
    await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'other', reason: 'notification' });

    await otherStarted;
    expect(run.events.slice(0, 2)).toEqual(['start t1/busy', 'start t1/other']);
    expect(run.events).not.toContain('end t1/busy');
    release.open();
    await queue.whenIdle();
  });

  it('never runs more mailboxes at once than its concurrency', async () => {
    const queue = newQueue();
    const run = recordingHandlers({ yieldToIo: true });
    for (let i = 0; i < 20; i++) {
      await queue.enqueueMailboxSync({ tenantId: 't1', userId: `u${i}`, reason: 'round' });
    }
    await queue.work(run.handlers, { concurrency: 3 });
    await queue.whenIdle();
    expect(run.syncs).toHaveLength(20);
    expect(run.maxConcurrent).toBe(3);
  });

  it('retries a failed mailbox until it succeeds, within the retry limit', async () => {
    const { logger, lines } = recordingLogger();
    const queue = newQueue({ retryLimit: 3, retryDelaySeconds: 0, logger });
    const run = recordingHandlers();
    run.failTimes('t1/u1', 2);
    await queue.work(run.handlers);
    await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u1', reason: 'round' });
    await queue.whenIdle();
    expect(run.syncs).toEqual(['t1/u1', 't1/u1', 't1/u1']);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'sync job failed; will retry',
      'sync job failed; will retry',
    ]);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('gives up on a mailbox after the retry limit and logs it', async () => {
    const { logger, lines } = recordingLogger();
    const queue = newQueue({ retryLimit: 2, retryDelaySeconds: 0, logger });
    const run = recordingHandlers();
    run.failTimes('t1/u1', 100);
    await queue.work(run.handlers);
    await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u1', reason: 'round' });
    await queue.whenIdle();
    expect(run.syncs).toEqual(['t1/u1', 't1/u1', 't1/u1']);
    const failure = lines.find((l) => l.level === 'error');
    expect(failure?.message).toBe('sync job failed and has no retries left');
    expect(failure?.details).toMatchObject({
      tenantId: 't1',
      userId: 'u1',
      attempt: 2,
      error: { name: 'Error', message: 'sync of t1/u1 failed' },
    });
  });

  it('keeps syncing other mailboxes while one keeps failing', async () => {
    const queue = newQueue({ retryLimit: 2, retryDelaySeconds: 0 });
    const run = recordingHandlers();
    run.failTimes('t1/broken', 100);
    await queue.work(run.handlers, { concurrency: 1 });
    for (const userId of ['broken', 'u1', 'u2']) {
      await queue.enqueueMailboxSync({ tenantId: 't1', userId, reason: 'round' });
    }
    await queue.whenIdle();
    expect(run.syncs.filter((s) => s === 't1/broken')).toHaveLength(3);
    expect(run.syncs.filter((s) => s !== 't1/broken').sort()).toEqual(['t1/u1', 't1/u2']);
  });

  it('doubles the retry delay after each failure', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const queue = newQueue({ retryLimit: 3, retryDelaySeconds: 10, retryBackoff: true });
    const run = recordingHandlers();
    run.failTimes('t1/u1', 100);
    await queue.work(run.handlers);
    await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u1', reason: 'round' });
    await vi.advanceTimersByTimeAsync(0);
    expect(run.syncs).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(9_999);
    expect(run.syncs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(run.syncs).toHaveLength(2);

    await vi.advanceTimersByTimeAsync(19_999);
    expect(run.syncs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(run.syncs).toHaveLength(3);

    await vi.advanceTimersByTimeAsync(40_000);
    expect(run.syncs).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(1_000_000);
    expect(run.syncs).toHaveLength(4);
  });

  it('lets a new request for a mailbox waiting to retry ride on that retry', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const queue = newQueue({ retryLimit: 1, retryDelaySeconds: 60 });
    const run = recordingHandlers();
    run.failTimes('t1/u1', 1);
    await queue.work(run.handlers);
    await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u1', reason: 'round' });
    await vi.advanceTimersByTimeAsync(0);
    expect(
      await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u1', reason: 'notification' }),
    ).toBe('merged');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(run.syncs).toEqual(['t1/u1', 't1/u1']);
  });

  it('stop() waits for running jobs, drops waiting ones and refuses new ones', async () => {
    const queue = newQueue();
    const run = recordingHandlers();
    const release = run.hold('t1/u1');
    await queue.work(run.handlers, { concurrency: 1 });
    const started = run.nextStart('t1/u1');
    await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u1', reason: 'round' });
    await started;
    await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u2', reason: 'round' });

    let stopped = false;
    const stopping = queue.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    release.open();
    await stopping;

    expect(run.events).toEqual(['start t1/u1', 'end t1/u1']);
    await expect(
      queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u3', reason: 'round' }),
    ).rejects.toThrow('The sync job queue has stopped');
  });

  it('stop() aborts the signal of a job that outlasts the stop timeout, and does not retry it', async () => {
    const queue = newQueue({ stopTimeoutSeconds: 0, retryDelaySeconds: 0 });
    const seen: string[] = [];
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    await queue.work({
      syncMailbox: (_tenantId, userId, signal) =>
        new Promise((_resolve, reject) => {
          seen.push(`start ${userId}`);
          started();
          signal.addEventListener('abort', () => {
            seen.push(`aborted ${userId}`);
            reject(signal.reason);
          });
        }),
      expandDirectory: async () => undefined,
    });
    await queue.enqueueMailboxSync({ tenantId: 't1', userId: 'u1', reason: 'round' });
    await running;
    await queue.stop();
    expect(seen).toEqual(['start u1', 'aborted u1']);
  });

  it('rejects a concurrency below 1', async () => {
    const queue = newQueue();
    await expect(queue.work(recordingHandlers().handlers, { concurrency: 0 })).rejects.toThrow(
      'concurrency must be a whole number of at least 1',
    );
  });
});
