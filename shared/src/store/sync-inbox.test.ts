import { expect, it } from 'vitest';
import {
  enqueueNotifications,
  listPendingNotifications,
  markNotificationsProcessed,
  purgeProcessedNotifications,
} from './sync-inbox.js';
import { describeStore } from './testing.js';

describeStore('sync inbox', (ctx) => {
  it('persists notifications and returns the unprocessed ones oldest first', async () => {
    const tenantId = await ctx.newTenant();
    const ids = await enqueueNotifications(ctx.store.db, tenantId, [
      { userId: 'u1', subscriptionId: 's1', receivedAt: 10 },
      { userId: 'u2', subscriptionId: 's2', receivedAt: 11 },
      { userId: 'u1', subscriptionId: 's1', receivedAt: 12 },
    ]);
    expect(ids).toEqual([1, 2, 3]);
    expect(await markNotificationsProcessed(ctx.store.db, tenantId, [1], 50)).toBe(1);
    const pending = await listPendingNotifications(ctx.store.db, tenantId);
    expect(pending.map((n) => [n.id, n.userId, n.processedAt])).toEqual([
      [2, 'u2', null],
      [3, 'u1', null],
    ]);
    expect((await listPendingNotifications(ctx.store.db, tenantId, 1)).map((n) => n.id)).toEqual([
      2,
    ]);
  });

  it('marks a notification processed only once and purges processed ones by age', async () => {
    const tenantId = await ctx.newTenant();
    const [first, second] = await enqueueNotifications(ctx.store.db, tenantId, [
      { userId: 'u1', subscriptionId: 's1', receivedAt: 1 },
      { userId: 'u1', subscriptionId: 's1', receivedAt: 2 },
    ]);
    await markNotificationsProcessed(ctx.store.db, tenantId, [first as number], 100);
    expect(await markNotificationsProcessed(ctx.store.db, tenantId, [first as number], 200)).toBe(
      0,
    );
    await markNotificationsProcessed(ctx.store.db, tenantId, [second as number], 300);
    expect(await purgeProcessedNotifications(ctx.store.db, tenantId, 250)).toBe(1);
    expect(await purgeProcessedNotifications(ctx.store.db, tenantId, 1_000)).toBe(1);
  });

  it('enqueues nothing for an empty batch', async () => {
    const tenantId = await ctx.newTenant();
    expect(await enqueueNotifications(ctx.store.db, tenantId, [])).toEqual([]);
  });
});
