import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from './limiter.js';

const one = (mailbox: string) => new Map([[mailbox, 1]]);
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ConcurrencyLimiter', () => {
  it('holds a mailbox to its limit while other mailboxes go ahead', async () => {
    const limiter = new ConcurrencyLimiter({ perMailbox: 2, total: 10 });
    const granted: string[] = [];
    const releases: Array<() => void> = [];
    for (const [index, mailbox] of ['a', 'a', 'a', 'b'].entries()) {
      void limiter.acquire(one(mailbox)).then((release) => {
        granted.push(`${mailbox}${index}`);
        releases.push(release);
      });
    }
    await flush();
    expect(granted).toEqual(['a0', 'a1', 'b3']);
    expect(limiter.stats()).toMatchObject({ inFlight: 3, queued: 1 });
    releases[0]?.();
    await flush();
    expect(granted).toEqual(['a0', 'a1', 'b3', 'a2']);
    expect(limiter.stats().peakInFlightByMailbox).toEqual({ a: 2, b: 1 });
  });

  it('holds every request to the global cap, first come first served', async () => {
    const limiter = new ConcurrencyLimiter({ perMailbox: 4, total: 2 });
    const granted: number[] = [];
    const releases: Array<() => void> = [];
    for (let i = 0; i < 4; i++) {
      void limiter.acquire(one(`m${i}`)).then((release) => {
        granted.push(i);
        releases.push(release);
      });
    }
    await flush();
    expect(granted).toEqual([0, 1]);
    releases[1]?.();
    await flush();
    expect(granted).toEqual([0, 1, 2]);
    expect(limiter.stats().peakInFlight).toBe(2);
  });

  it('does not let later single requests overtake a waiting batch that needs several slots', async () => {
    const limiter = new ConcurrencyLimiter({ perMailbox: 4, total: 10 });
    const first = await limiter.acquire(new Map([['a', 2]]));
    const order: string[] = [];
    void limiter.acquire(new Map([['a', 3]])).then((release) => {
      order.push('batch');
      release();
    });
    void limiter.acquire(one('a')).then((release) => {
      order.push('single');
      release();
    });
    await flush();
    expect(order).toEqual([]);
    first();
    await flush();
    expect(order).toEqual(['batch', 'single']);
  });

  it('grants a claim larger than the mailbox limit as the whole mailbox', async () => {
    const limiter = new ConcurrencyLimiter({ perMailbox: 4, total: 10 });
    const release = await limiter.acquire(new Map([['a', 20]]));
    expect(limiter.stats().peakInFlightByMailbox).toEqual({ a: 4 });
    release();
  });

  it('refuses queued and new requests once closed', async () => {
    const limiter = new ConcurrencyLimiter({ perMailbox: 1, total: 1 });
    await limiter.acquire(one('a'));
    const queued = limiter.acquire(one('a'));
    limiter.close(new Error('closed'));
    await expect(queued).rejects.toThrow('closed');
    await expect(limiter.acquire(one('b'))).rejects.toThrow('closed');
  });
});
