import { describe, expect, it } from 'vitest';
import { coalescePerMailbox, forEachWithConcurrency, KeyedLock } from './concurrency.js';

/** A promise the test settles by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('coalescePerMailbox', () => {
  it('runs a mailbox once at a time and folds every call made during a run into one follow-up', async () => {
    const runs: Array<{ key: string; done: ReturnType<typeof deferred> }> = [];
    const request = coalescePerMailbox((tenantId, userId) => {
      const done = deferred();
      runs.push({ key: `${tenantId}/${userId}`, done });
      return done.promise;
    });

    const first = request('t1', 'u1');
    const followUps = [request('t1', 'u1'), request('t1', 'u1'), request('t1', 'u1')];
    const other = request('t1', 'u2');
    await settle();
    expect(runs.map((r) => r.key)).toEqual(['t1/u1', 't1/u2']);

    runs[0]?.done.resolve();
    await first;
    await settle();
    expect(runs.map((r) => r.key)).toEqual(['t1/u1', 't1/u2', 't1/u1']);
    runs[2]?.done.resolve();
    await Promise.all(followUps);
    runs[1]?.done.resolve();
    await other;
    expect(runs).toHaveLength(3);
  });

  it('still runs the follow-up when the run before it failed, and reports each run its own outcome', async () => {
    const runs: Array<ReturnType<typeof deferred>> = [];
    const request = coalescePerMailbox(() => {
      const done = deferred();
      runs.push(done);
      return done.promise;
    });
    const failing = request('t', 'u');
    const followUp = request('t', 'u');
    await settle();
    runs[0]?.reject(new Error('throttled'));
    await expect(failing).rejects.toThrow('throttled');
    await settle();
    expect(runs).toHaveLength(2);
    runs[1]?.resolve();
    await expect(followUp).resolves.toBeUndefined();
    // idle again: the next call starts a run at once
    void request('t', 'u');
    await settle();
    expect(runs).toHaveLength(3);
  });
});

describe('KeyedLock', () => {
  it('serialises work on one key and lets other keys through', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const gate = deferred();
    const a1 = lock.run('a', async () => {
      order.push('a1 start');
      await gate.promise;
      order.push('a1 end');
    });
    const a2 = lock.run('a', async () => {
      order.push('a2');
    });
    const b = lock.run('b', async () => {
      order.push('b');
    });
    await b;
    expect(order).toEqual(['a1 start', 'b']);
    gate.resolve();
    await Promise.all([a1, a2]);
    expect(order).toEqual(['a1 start', 'b', 'a1 end', 'a2']);
  });

  it('keeps going after a failure on the same key', async () => {
    const lock = new KeyedLock();
    await expect(lock.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.run('a', async () => 'next')).resolves.toBe('next');
  });
});

describe('forEachWithConcurrency', () => {
  it('never has more than the limit in flight and visits every item', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachWithConcurrency([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await settle();
      seen.push(item);
      inFlight -= 1;
    });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
