// Requests in flight: at most N per mailbox (Outlook's limit is 4 per app and mailbox) and a
// global cap, granted first come, first served.

/** Mailbox key → slots a request holds in that mailbox (a $batch may hold several). */
export type MailboxClaims = ReadonlyMap<string, number>;

export interface ConcurrencyLimits {
  perMailbox: number;
  total: number;
}

export interface ConcurrencyStats {
  inFlight: number;
  queued: number;
  peakInFlight: number;
  /** Highest slots held at once, by mailbox key. */
  peakInFlightByMailbox: Record<string, number>;
}

interface Waiter {
  claims: MailboxClaims;
  grant: (release: () => void) => void;
  refuse: (error: Error) => void;
}

interface Lane {
  inFlight: number;
  peak: number;
}

export class ConcurrencyLimiter {
  private readonly lanes = new Map<string, Lane>();
  private readonly queue: Waiter[] = [];
  private inFlight = 0;
  private peakInFlight = 0;
  private closedWith: Error | undefined;

  constructor(readonly limits: ConcurrencyLimits) {
    if (!(limits.perMailbox >= 1 && limits.total >= 1)) {
      throw new RangeError('Concurrency limits must be at least 1.');
    }
  }

  /** Waits for a slot (and the claimed mailbox slots); resolves to its release function. */
  acquire(claims: MailboxClaims = new Map()): Promise<() => void> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    // a claim above the per-mailbox limit could never be granted
    const clamped = new Map(
      [...claims].map(([mailbox, slots]) => [
        mailbox,
        Math.min(Math.max(1, slots), this.limits.perMailbox),
      ]),
    );
    return new Promise((grant, refuse) => {
      this.queue.push({ claims: clamped, grant, refuse });
      this.drain();
    });
  }

  stats(): ConcurrencyStats {
    const peakInFlightByMailbox: Record<string, number> = {};
    for (const [mailbox, lane] of this.lanes) peakInFlightByMailbox[mailbox] = lane.peak;
    return {
      inFlight: this.inFlight,
      queued: this.queue.length,
      peakInFlight: this.peakInFlight,
      peakInFlightByMailbox,
    };
  }

  /** Refuses queued and future requests with `error`; requests in flight finish. */
  close(error: Error): void {
    this.closedWith = error;
    for (const waiter of this.queue.splice(0)) waiter.refuse(error);
  }

  private lane(mailbox: string): Lane {
    let lane = this.lanes.get(mailbox);
    if (!lane) {
      lane = { inFlight: 0, peak: 0 };
      this.lanes.set(mailbox, lane);
    }
    return lane;
  }

  private drain(): void {
    // a mailbox whose earlier waiter could not start stays closed to later ones: no overtaking
    const blocked = new Set<string>();
    let index = 0;
    while (index < this.queue.length && this.inFlight < this.limits.total) {
      const waiter = this.queue[index] as Waiter;
      const fits = [...waiter.claims].every(
        ([mailbox, slots]) =>
          !blocked.has(mailbox) && this.lane(mailbox).inFlight + slots <= this.limits.perMailbox,
      );
      if (!fits) {
        for (const mailbox of waiter.claims.keys()) blocked.add(mailbox);
        index += 1;
        continue;
      }
      this.queue.splice(index, 1);
      waiter.grant(this.take(waiter.claims));
    }
  }

  private take(claims: MailboxClaims): () => void {
    this.inFlight += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    for (const [mailbox, slots] of claims) {
      const lane = this.lane(mailbox);
      lane.inFlight += slots;
      lane.peak = Math.max(lane.peak, lane.inFlight);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      for (const [mailbox, slots] of claims) this.lane(mailbox).inFlight -= slots;
      this.drain();
    };
  }
}
