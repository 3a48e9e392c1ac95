// When and how long to wait before asking Graph again (graph-facts §1.2–1.3).

/** Statuses Graph asks us to retry: throttled, unavailable, gateway timeout. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First back-off ceiling when Graph gives no Retry-After; doubles per retry. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** A longer Retry-After is not waited out here: the caller gets a GraphError to reschedule. */
  maxRetryAfterMs: number;
}

// The Graph SDK design's defaults (msgraph-sdk-design RetryHandler.md): 3 s initial, 180 s max.
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 6,
  initialBackoffMs: 3_000,
  maxBackoffMs: 180_000,
  maxRetryAfterMs: 180_000,
};

/**
 * Retry-After as milliseconds: delta-seconds, decimals allowed ("2.128"), or an HTTP date.
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential back-off with "equal jitter": half the ceiling is fixed, half random, so retries
 * of many callers spread out yet never come back immediately. `retry` counts from 1.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(
    policy.maxBackoffMs,
    policy.initialBackoffMs * 2 ** Math.max(0, retry - 1),
  );
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: 'notRetryable' | 'retriesExhausted' | 'retryAfterTooLong' };

/**
 * Whether to retry after `retry - 1` retries have been made: Graph's Retry-After is honoured
 * exactly; without one, back-off with jitter.
 */
export function decideRetry(
  retry: number,
  retryable: boolean,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number,
): RetryDecision {
  if (!retryable) return { retry: false, reason: 'notRetryable' };
  if (retry > policy.maxRetries) return { retry: false, reason: 'retriesExhausted' };
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > policy.maxRetryAfterMs) return { retry: false, reason: 'retryAfterTooLong' };
    return { retry: true, delayMs: retryAfterMs };
  }
  return { retry: true, delayMs: backoffDelayMs(retry, policy, random) };
}
