import { describe, expect, it } from 'vitest';
import { backoffDelayMs, decideRetry, DEFAULT_RETRY_POLICY, parseRetryAfter } from './retry.js';

describe('parseRetryAfter', () => {
  it('reads whole and decimal seconds as milliseconds', () => {
    expect(parseRetryAfter('10')).toBe(10_000);
    expect(parseRetryAfter('2.128')).toBe(2_128);
    expect(parseRetryAfter(' 0.1 ')).toBe(100);
    expect(parseRetryAfter('0')).toBe(0);
  });

  it('reads an HTTP date as the time left until then', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores absent, negative and unreadable values', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('-5')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
  });
});

describe('backoffDelayMs', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, initialBackoffMs: 1_000, maxBackoffMs: 10_000 };

  it('doubles the ceiling per retry and keeps the delay between half the ceiling and the ceiling', () => {
    for (const [retry, ceiling] of [
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
      [4, 8_000],
    ] as const) {
      expect(backoffDelayMs(retry, policy, () => 0)).toBe(ceiling / 2);
      expect(backoffDelayMs(retry, policy, () => 0.999_999)).toBe(ceiling);
      const middle = backoffDelayMs(retry, policy, () => 0.5);
      expect(middle).toBe((ceiling * 3) / 4);
    }
  });

  it('never exceeds the maximum back-off', () => {
    expect(backoffDelayMs(10, policy, () => 0.999_999)).toBe(10_000);
    expect(backoffDelayMs(10, policy, () => 0)).toBe(5_000);
  });
});

describe('decideRetry', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: 2, maxRetryAfterMs: 60_000 };
  const random = () => 0;

  it('waits exactly the Retry-After when Graph gives one', () => {
    expect(decideRetry(1, true, 2_128, policy, random)).toEqual({ retry: true, delayMs: 2_128 });
  });

  it('backs off when there is no Retry-After', () => {
    expect(decideRetry(2, true, undefined, policy, random)).toEqual({
      retry: true,
      delayMs: policy.initialBackoffMs,
    });
  });

  it('stops after maxRetries, for answers that are not retryable, and for very long Retry-After', () => {
    expect(decideRetry(3, true, 100, policy, random)).toEqual({
      retry: false,
      reason: 'retriesExhausted',
    });
    expect(decideRetry(1, false, 100, policy, random)).toEqual({
      retry: false,
      reason: 'notRetryable',
    });
    expect(decideRetry(1, true, 60_001, policy, random)).toEqual({
      retry: false,
      reason: 'retryAfterTooLong',
    });
  });
});
