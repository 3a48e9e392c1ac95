import { describe, expect, it } from 'vitest';
import type { Store } from '../store/index.js';
import { withTenantWriteLock } from './tenant-write-lock.js';

const storeA = { db: {} } as unknown as Pick<Store, 'db'>;
const storeB = { db: {} } as unknown as Pick<Store, 'db'>;

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('withTenantWriteLock', () => {
  it("runs one tenant's writes one after another, even after one fails", async () => {
    const events: string[] = [];
    const gate = deferred();
    const first = withTenantWriteLock(storeA, 't1', async () => {
      events.push('first starts');
      await gate.promise;
      events.push('first fails');
      throw new Error('boom');
    });
    const second = withTenantWriteLock(storeA, 't1', async () => {
      events.push('second runs');
      return 2;
    });
    await Promise.resolve();
    expect(events).toEqual(['first starts']);
    gate.resolve();
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe(2);
    expect(events).toEqual(['first starts', 'first fails', 'second runs']);
  });

  it('lets other tenants and other stores write meanwhile', async () => {
    const gate = deferred();
    const held = withTenantWriteLock(storeA, 't1', () => gate.promise);
    await expect(withTenantWriteLock(storeA, 't2', async () => 'other tenant')).resolves.toBe(
      'other tenant',
    );
    await expect(withTenantWriteLock(storeB, 't1', async () => 'other store')).resolves.toBe(
      'other store',
    );
    gate.resolve();
    await held;
  });
});
