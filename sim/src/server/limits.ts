// Outlook's per (app, mailbox) limits: 4 requests in flight and 10,000 requests per 10 minutes,
// plus the per-mailbox figures /_sim/stats reports (peak concurrency attempted, requests seen).

export interface MailboxLimits {
  /** Requests one app may have in flight against one mailbox. */
  concurrency: number;
  /** Requests one app may make against one mailbox per window. */
  requestsPerWindow: number;
  windowMs: number;
  /** Retry-After (seconds) sent with a concurrency 429. */
  concurrencyRetryAfterSeconds: number;
}

export const OUTLOOK_LIMITS: MailboxLimits = {
  concurrency: 4,
  requestsPerWindow: 10_000,
  windowMs: 10 * 60_000,
  concurrencyRetryAfterSeconds: 0.1,
};

export interface MailboxCounters {
  /** Highest number of requests in flight at once, counting the rejected arrivals too. */
  peakConcurrency: number;
  requests: number;
  throttled: number;
}

interface Lane {
  inFlight: number;
  /** Admission times inside the window, oldest first (a queue with a moving head). */
  admitted: number[];
  head: number;
}

export type Admission =
  | { admitted: true; release: () => void }
  | { admitted: false; kind: 'concurrency' | 'window'; retryAfterSeconds: number };

export class MailboxLimiter {
  private lanes = new Map<string, Lane>();
  private counters = new Map<string, MailboxCounters>();

  constructor(readonly limits: MailboxLimits) {}

  /** Try to start one request of `appId` against `mailboxKey` (tenant-qualified user id). */
  admit(appId: string, mailboxKey: string, now = Date.now()): Admission {
    const laneKey = `${appId}|${mailboxKey}`;
    let lane = this.lanes.get(laneKey);
    if (!lane) {
      lane = { inFlight: 0, admitted: [], head: 0 };
      this.lanes.set(laneKey, lane);
    }
    const counters = this.countersFor(mailboxKey);
    counters.requests += 1;
    counters.peakConcurrency = Math.max(counters.peakConcurrency, lane.inFlight + 1);
    if (lane.inFlight >= this.limits.concurrency) {
      counters.throttled += 1;
      return {
        admitted: false,
        kind: 'concurrency',
        retryAfterSeconds: this.limits.concurrencyRetryAfterSeconds,
      };
    }
    const windowStart = now - this.limits.windowMs;
    while (lane.head < lane.admitted.length && (lane.admitted[lane.head] ?? 0) <= windowStart) {
      lane.head += 1;
    }
    if (lane.head > 1024 && lane.head * 2 > lane.admitted.length) {
      lane.admitted = lane.admitted.slice(lane.head);
      lane.head = 0;
    }
    if (lane.admitted.length - lane.head >= this.limits.requestsPerWindow) {
      counters.throttled += 1;
      const oldest = lane.admitted[lane.head] ?? now;
      const waitMs = Math.max(1, oldest + this.limits.windowMs - now);
      return { admitted: false, kind: 'window', retryAfterSeconds: Math.ceil(waitMs / 100) / 10 };
    }
    lane.admitted.push(now);
    lane.inFlight += 1;
    let released = false;
    const owner = lane;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        owner.inFlight -= 1;
      },
    };
  }

  private countersFor(mailboxKey: string): MailboxCounters {
    let counters = this.counters.get(mailboxKey);
    if (!counters) {
      counters = { peakConcurrency: 0, requests: 0, throttled: 0 };
      this.counters.set(mailboxKey, counters);
    }
    return counters;
  }

  peek(mailboxKey: string): MailboxCounters | undefined {
    return this.counters.get(mailboxKey);
  }
}
