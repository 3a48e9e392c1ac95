import type { StoreDb } from './open-store.js';
import { StoreValidationError } from './errors.js';

/** Id spaces allocated per tenant from id_sequences. */
export type IdSpace = 'people' | 'events' | 'sync_inbox';

/**
 * Reserves `count` consecutive ids in one atomic upsert and returns the first.
 * Race-free across PostgreSQL workers: the row lock serialises concurrent callers until commit,
 * so call it outside long transactions when other workers allocate from the same space.
 */
export async function allocateIds(
  db: StoreDb,
  tenantId: string,
  name: IdSpace,
  count: number,
): Promise<number> {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new StoreValidationError(
      'count',
      `allocateIds needs a positive integer count (got ${count})`,
    );
  }
  const row = await db
    .insertInto('id_sequences')
    .values({ tenant_id: tenantId, name, next_id: count + 1 })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'name']).doUpdateSet((eb) => ({
        next_id: eb('id_sequences.next_id', '+', count),
      })),
    )
    .returning('next_id')
    .executeTakeFirstOrThrow();
  return Number(row.next_id) - count;
}

/** A block of ids reserved ahead of a transaction, handed out in order, topped up when it runs out. */
export class IdReservation {
  #next: number;
  #end: number;

  constructor(
    private readonly tenantId: string,
    private readonly name: IdSpace,
    first = 0,
    count = 0,
  ) {
    this.#next = first;
    this.#end = first + count;
  }

  /** Returns `count` fresh ids, allocating through `db` only for what the reservation lacks. */
  async take(db: StoreDb, count: number): Promise<number[]> {
    const ids: number[] = [];
    while (ids.length < count && this.#next < this.#end) ids.push(this.#next++);
    const missing = count - ids.length;
    if (missing > 0) {
      const first = await allocateIds(db, this.tenantId, this.name, missing);
      for (let id = first; id < first + missing; id++) ids.push(id);
    }
    return ids;
  }
}
