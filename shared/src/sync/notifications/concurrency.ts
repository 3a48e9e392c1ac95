// Small concurrency helpers for the notification pipeline: per-key mutual exclusion and bounded
// parallel maps.

/** Runs callbacks for the same key one after another; different keys run freely. */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn, fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    try {
      return await result;
    } finally {
      // the last one out forgets the key, so the map does not grow with every mailbox ever seen
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}

/** Calls `fn` on every item with at most `limit` calls in flight; `fn` handles its own failures. */
export async function forEachWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
}

/** A readable one-line reason from anything thrown. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : error.name, message: error.message };
  }
  return { code: 'unknown', message: String(error) };
}

interface SyncSlot {
  running: Promise<void>;
  queued: Promise<void> | undefined;
}

/**
 * Wraps a per-mailbox task so a mailbox never runs two at once: a call during a run waits for it
 * and then shares ONE follow-up run with every other call made meanwhile (with the first call's
 * extra arguments).
 */
export function coalescePerMailbox<Rest extends unknown[]>(
  task: (tenantId: string, userId: string, ...rest: Rest) => Promise<void>,
): (tenantId: string, userId: string, ...rest: Rest) => Promise<void> {
  const slots = new Map<string, SyncSlot>();
  const launch = (key: string, slot: SyncSlot, run: () => Promise<void>) => {
    const running = Promise.resolve().then(run);
    slot.running = running;
    void running
      .catch(() => undefined)
      .then(() => {
        if (slot.running === running && slot.queued === undefined) slots.delete(key);
      });
    return running;
  };
  return (tenantId, userId, ...rest) => {
    const key = `${tenantId}/${userId}`;
    const run = () => task(tenantId, userId, ...rest);
    const slot = slots.get(key);
    if (slot === undefined) {
      const fresh: SyncSlot = { running: Promise.resolve(), queued: undefined };
      slots.set(key, fresh);
      return launch(key, fresh, run);
    }
    slot.queued ??= slot.running
      .catch(() => undefined)
      .then(() => {
        slot.queued = undefined;
        return launch(key, slot, run);
      });
    return slot.queued;
  };
}
