// Fault injection for Graph requests: random 429/503/504 answers, latency, dropped connections.
// Rates draw from a seeded generator so a failing test replays the same sequence.

export interface FaultSettings {
  rate429: number;
  rate503: number;
  rate504: number;
  latencyMs: number;
  dropRate: number;
  seed: number;
  /** Retry-After (seconds, decimals allowed) on injected 429 and 503 answers. */
  retryAfterSeconds: number;
}

export const NO_FAULTS: FaultSettings = {
  rate429: 0,
  rate503: 0,
  rate504: 0,
  latencyMs: 0,
  dropRate: 0,
  seed: 1,
  retryAfterSeconds: 0.1,
};

export class FaultInjector {
  private settings: FaultSettings = { ...NO_FAULTS };
  private state = NO_FAULTS.seed;

  get current(): FaultSettings {
    return { ...this.settings };
  }

  configure(partial: Partial<FaultSettings>): void {
    this.settings = { ...this.settings, ...partial };
    if (partial.seed !== undefined) this.state = partial.seed;
  }

  reset(): void {
    this.settings = { ...NO_FAULTS };
    this.state = NO_FAULTS.seed;
  }

  /** Whether to drop the connection (decided once per HTTP request). */
  drawDrop(): boolean {
    return this.settings.dropRate > 0 && this.next() < this.settings.dropRate;
  }

  /** An error status to answer instead of the real response, if any. */
  drawStatus(): 429 | 503 | 504 | undefined {
    const { rate429, rate503, rate504 } = this.settings;
    if (rate429 <= 0 && rate503 <= 0 && rate504 <= 0) return undefined;
    const roll = this.next();
    if (roll < rate429) return 429;
    if (roll < rate429 + rate503) return 503;
    if (roll < rate429 + rate503 + rate504) return 504;
    return undefined;
  }

  // mulberry32: tiny, fast and good enough for fault schedules
  private next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
