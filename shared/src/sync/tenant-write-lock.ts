// One tenant's meeting writes from this process, one at a time. Two mailboxes' pages that drop
// the last copies of the same meeting must not commit side by side: on PostgreSQL each would still
// see the other's copy and keep the meeting (write skew), and a page could attach a copy to a
// meeting another page is dropping. SQLite takes one writer anyway. Workers in other processes
// need the store to lock those rows itself (see the report on issue 3).
import type { Store } from '../store/index.js';

const tails = new WeakMap<object, Map<string, Promise<unknown>>>();

export function withTenantWriteLock<T>(
  store: Pick<Store, 'db'>,
  tenantId: string,
  write: () => Promise<T>,
): Promise<T> {
  let byTenant = tails.get(store.db);
  if (byTenant === undefined) tails.set(store.db, (byTenant = new Map()));
  const previous = byTenant.get(tenantId) ?? Promise.resolve();
  const result = previous.then(write, write);
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  byTenant.set(tenantId, tail);
  // forget an idle tenant so the map does not grow with every tenant ever written
  void tail.then(() => {
    if (byTenant.get(tenantId) === tail) byTenant.delete(tenantId);
  });
  return result;
}
