import { expect, it } from 'vitest';
import { describeStore } from '../store/testing.js';
import {
  deleteBotConversation,
  getBotConversation,
  saveBotConversation,
} from './bot-conversations.js';

describeStore('bot conversation references', (ctx) => {
  it('saves, replaces, reads case-insensitively by object id, and deletes per tenant', async () => {
    const tenantId = await ctx.newTenant();
    const otherTenant = await ctx.newTenant();
    const first = { conversation: { id: 'a:1' }, serviceUrl: 'https://smba.example/' };
    const second = { conversation: { id: 'a:2' }, serviceUrl: 'https://smba.example/' };
    await saveBotConversation(ctx.store.db, { tenantId, aadObjectId: 'AAD-Ana', reference: first });
    await saveBotConversation(ctx.store.db, {
      tenantId,
      aadObjectId: 'aad-ana',
      reference: second,
    });
    expect(await getBotConversation(ctx.store.db, tenantId, 'aad-ANA')).toEqual(second);
    expect(await getBotConversation(ctx.store.db, otherTenant, 'aad-ana')).toBeUndefined();
    expect(await deleteBotConversation(ctx.store.db, otherTenant, 'aad-ana')).toBe(false);
    expect(await deleteBotConversation(ctx.store.db, tenantId, 'aad-ana')).toBe(true);
    expect(await getBotConversation(ctx.store.db, tenantId, 'aad-ana')).toBeUndefined();
  });
});
