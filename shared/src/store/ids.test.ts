import { expect, it } from 'vitest';
import { StoreValidationError } from './errors.js';
import { allocateIds, IdReservation } from './ids.js';
import { describeStore } from './testing.js';

function range(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, index) => first + index);
}

describeStore('id allocation', (ctx) => {
  it('hands out consecutive blocks starting at 1', async () => {
    const tenantId = await ctx.newTenant();
    expect(await allocateIds(ctx.store.db, tenantId, 'people', 3)).toBe(1);
    expect(await allocateIds(ctx.store.db, tenantId, 'people', 2)).toBe(4);
    expect(await allocateIds(ctx.store.db, tenantId, 'people', 1)).toBe(6);
  });

  it('keeps separate sequences per tenant and per id space', async () => {
    const first = await ctx.newTenant();
    const second = await ctx.newTenant();
    await allocateIds(ctx.store.db, first, 'people', 10);
    expect(await allocateIds(ctx.store.db, second, 'people', 1)).toBe(1);
    expect(await allocateIds(ctx.store.db, first, 'events', 1)).toBe(1);
  });

  it('rejects a count below one', async () => {
    const tenantId = await ctx.newTenant();
    await expect(allocateIds(ctx.store.db, tenantId, 'people', 0)).rejects.toThrow(
      StoreValidationError,
    );
  });

  it('gives disjoint ranges to many concurrent callers on separate connections', async () => {
    const tenantId = await ctx.newTenant();
    const sibling = ctx.dialect === 'postgres' ? await ctx.openSibling() : ctx.store;
    const calls = Array.from({ length: 40 }, (_, index) => {
      const store = index % 2 === 0 ? ctx.store : sibling;
      const count = (index % 5) + 1;
      // inside transactions so PostgreSQL row locks, not statement order, keep the ranges apart
      return store.transaction(async (trx) => {
        const first = await allocateIds(trx, tenantId, 'events', count);
        await new Promise((resolve) => setTimeout(resolve, 2));
        return { first, count };
      });
    });
    const blocks = await Promise.all(calls);
    const ids = blocks.flatMap((b) => range(b.first, b.count)).sort((a, b) => a - b);
    const total = blocks.reduce((sum, b) => sum + b.count, 0);
    expect(ids).toEqual(range(1, total));
  });

  it('serves a reservation first and allocates only the shortfall', async () => {
    const tenantId = await ctx.newTenant();
    const first = await allocateIds(ctx.store.db, tenantId, 'people', 2);
    const reservation = new IdReservation(tenantId, 'people', first, 2);
    expect(await reservation.take(ctx.store.db, 3)).toEqual([1, 2, 3]);
    expect(await reservation.take(ctx.store.db, 1)).toEqual([4]);
  });
});
