import { expect, it } from 'vitest';
import { StoreNotFoundError } from './errors.js';
import {
  findMailboxBySubscription,
  getMailbox,
  listMailboxes,
  saveMailboxSubscription,
  setMailboxState,
  upsertMailboxes,
} from './mailboxes.js';
import { upsertPeople } from './people.js';
import { describeStore } from './testing.js';

describeStore('mailboxes', (ctx) => {
  it('adds new mailboxes as pending with who brought them in', async () => {
    const tenantId = await ctx.newTenant();
    const ids = await upsertPeople(ctx.store.db, tenantId, [
      { email: 'alice@contoso.com', kind: 'internal' },
    ]);
    await upsertMailboxes(ctx.store.db, tenantId, [
      {
        userId: 'u-alice',
        userPrincipalName: 'alice@contoso.com',
        personId: ids.get('alice@contoso.com') as number,
        purpose: 'user',
        trackedVia: ['group-b', 'group-a', 'group-b'],
      },
    ]);
    expect(await getMailbox(ctx.store.db, tenantId, 'u-alice')).toMatchObject({
      state: 'pending',
      personId: ids.get('alice@contoso.com'),
      purpose: 'user',
      trackedVia: ['group-a', 'group-b'],
      eventsStored: 0,
      consecutiveFailures: 0,
    });
  });

  it('refreshes a known mailbox without resetting its state, and brings a removed one back as pending', async () => {
    const tenantId = await ctx.newTenant();
    const input = { userId: 'u1', userPrincipalName: 'one@contoso.com', trackedVia: ['g1'] };
    await upsertMailboxes(ctx.store.db, tenantId, [input]);
    await setMailboxState(ctx.store.db, tenantId, 'u1', { state: 'synced', at: 100 });
    await upsertMailboxes(ctx.store.db, tenantId, [
      { ...input, userPrincipalName: 'renamed@contoso.com' },
    ]);
    expect(await getMailbox(ctx.store.db, tenantId, 'u1')).toMatchObject({
      state: 'synced',
      userPrincipalName: 'renamed@contoso.com',
    });
    await setMailboxState(ctx.store.db, tenantId, 'u1', { state: 'removed' });
    await upsertMailboxes(ctx.store.db, tenantId, [input]);
    expect((await getMailbox(ctx.store.db, tenantId, 'u1'))?.state).toBe('pending');
  });

  it('counts consecutive failures and clears them on success', async () => {
    const tenantId = await ctx.newTenant();
    await upsertMailboxes(ctx.store.db, tenantId, [
      { userId: 'u1', userPrincipalName: 'u1@c.com', trackedVia: [] },
    ]);
    const failure = {
      state: 'error',
      code: 'ErrorAccessDenied',
      message: 'no access',
      nextAttemptAt: 500,
    } as const;
    await setMailboxState(ctx.store.db, tenantId, 'u1', failure);
    const twice = await setMailboxState(ctx.store.db, tenantId, 'u1', failure);
    expect(twice).toMatchObject({
      state: 'error',
      consecutiveFailures: 2,
      lastErrorCode: 'ErrorAccessDenied',
      lastErrorMessage: 'no access',
      nextAttemptAt: 500,
    });
    const synced = await setMailboxState(ctx.store.db, tenantId, 'u1', {
      state: 'synced',
      at: 900,
    });
    expect(synced).toMatchObject({
      state: 'synced',
      consecutiveFailures: 0,
      lastErrorCode: null,
      lastErrorMessage: null,
      nextAttemptAt: null,
      lastSuccessAt: 900,
    });
  });

  it('lists mailboxes, optionally by state', async () => {
    const tenantId = await ctx.newTenant();
    await upsertMailboxes(ctx.store.db, tenantId, [
      { userId: 'u1', userPrincipalName: 'b@c.com', trackedVia: [] },
      { userId: 'u2', userPrincipalName: 'a@c.com', trackedVia: [] },
    ]);
    await setMailboxState(ctx.store.db, tenantId, 'u1', { state: 'syncing' });
    expect((await listMailboxes(ctx.store.db, tenantId)).map((m) => m.userId)).toEqual([
      'u2',
      'u1',
    ]);
    expect(
      (await listMailboxes(ctx.store.db, tenantId, { states: ['syncing'] })).map((m) => m.userId),
    ).toEqual(['u1']);
    expect(await listMailboxes(ctx.store.db, tenantId, { states: [] })).toEqual([]);
  });

  it('records a subscription, finds the mailbox by its id, and forgets it', async () => {
    const tenantId = await ctx.newTenant();
    await upsertMailboxes(ctx.store.db, tenantId, [
      { userId: 'u1', userPrincipalName: 'u1@c.com', trackedVia: [] },
    ]);
    await saveMailboxSubscription(ctx.store.db, tenantId, 'u1', {
      subscriptionId: 'sub-1',
      expiresAt: 1_000,
      clientStateHash: 'hash',
    });
    expect((await findMailboxBySubscription(ctx.store.db, tenantId, 'sub-1'))?.userId).toBe('u1');
    await saveMailboxSubscription(ctx.store.db, tenantId, 'u1', null);
    expect(await findMailboxBySubscription(ctx.store.db, tenantId, 'sub-1')).toBeUndefined();
  });

  it('reports an unknown mailbox as not found', async () => {
    const tenantId = await ctx.newTenant();
    await expect(
      setMailboxState(ctx.store.db, tenantId, 'ghost', { state: 'syncing' }),
    ).rejects.toThrow(StoreNotFoundError);
    await expect(saveMailboxSubscription(ctx.store.db, tenantId, 'ghost', null)).rejects.toThrow(
      /upsertMailboxes first/,
    );
  });
});
