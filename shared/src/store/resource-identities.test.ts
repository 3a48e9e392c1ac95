import { expect, it } from 'vitest';
import {
  findResourceIdentities,
  listResourceIdentities,
  upsertResourceIdentities,
} from './resource-identities.js';
import { describeStore } from './testing.js';

describeStore('resource identities', (ctx) => {
  it('records rooms and shared mailboxes by lowercase address and updates them in place', async () => {
    const tenantId = await ctx.newTenant();
    await upsertResourceIdentities(ctx.store.db, tenantId, [
      { email: 'Room.Oslo@contoso.com', kind: 'room', displayName: 'Oslo', source: 'places' },
      { email: 'sales@contoso.com', kind: 'shared', source: 'mailboxSettings' },
    ]);
    await upsertResourceIdentities(ctx.store.db, tenantId, [
      { email: 'room.oslo@contoso.com', kind: 'room', source: 'attendee' },
    ]);
    expect(
      (await listResourceIdentities(ctx.store.db, tenantId)).map((r) => [
        r.email,
        r.kind,
        r.displayName,
        r.source,
      ]),
    ).toEqual([
      ['room.oslo@contoso.com', 'room', 'Oslo', 'attendee'],
      ['sales@contoso.com', 'shared', null, 'mailboxSettings'],
    ]);
    expect(
      (await listResourceIdentities(ctx.store.db, tenantId, { kind: 'shared' })).map(
        (r) => r.email,
      ),
    ).toEqual(['sales@contoso.com']);
  });

  it('tells which addresses of a meeting are resources', async () => {
    const tenantId = await ctx.newTenant();
    await upsertResourceIdentities(ctx.store.db, tenantId, [
      { email: 'projector@contoso.com', kind: 'equipment', source: 'places' },
    ]);
    const found = await findResourceIdentities(ctx.store.db, tenantId, [
      'PROJECTOR@contoso.com',
      'alice@contoso.com',
    ]);
    expect([...found]).toEqual([['projector@contoso.com', 'equipment']]);
  });
});
