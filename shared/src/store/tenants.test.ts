import { expect, it } from 'vitest';
import { StoreNotFoundError, StoreValidationError } from './errors.js';
import { describeStore } from './testing.js';
import {
  getTenant,
  getTenantSettings,
  listTenants,
  updateTenantSettings,
  upsertTenant,
} from './tenants.js';

describeStore('tenants and settings', (ctx) => {
  it('creates a tenant with lowercased, de-duplicated verified domains', async () => {
    const tenant = await upsertTenant(ctx.store.db, 'tenant-create', {
      displayName: 'Contoso',
      verifiedDomains: ['Contoso.com', 'contoso.com', 'contoso.onmicrosoft.com'],
      consentGrantedAt: 1_700_000_000_000,
    });
    expect(tenant).toMatchObject({
      tenantId: 'tenant-create',
      displayName: 'Contoso',
      verifiedDomains: ['contoso.com', 'contoso.onmicrosoft.com'],
      consentGrantedAt: 1_700_000_000_000,
    });
    expect(await getTenant(ctx.store.db, 'tenant-create')).toEqual(tenant);
  });

  it('updates the name and keeps domains and consent that the update leaves out', async () => {
    await upsertTenant(ctx.store.db, 'tenant-update', {
      displayName: 'Old',
      verifiedDomains: ['old.com'],
      consentGrantedAt: 5,
    });
    const updated = await upsertTenant(ctx.store.db, 'tenant-update', { displayName: 'New' });
    expect(updated).toMatchObject({
      displayName: 'New',
      verifiedDomains: ['old.com'],
      consentGrantedAt: 5,
    });
    const withdrawn = await upsertTenant(ctx.store.db, 'tenant-update', {
      displayName: 'New',
      consentGrantedAt: null,
    });
    expect(withdrawn.consentGrantedAt).toBeNull();
  });

  it('lists tenants including new ones', async () => {
    const tenantId = await ctx.newTenant('Listed');
    expect((await listTenants(ctx.store.db)).map((t) => t.tenantId)).toContain(tenantId);
  });

  it('gives a new tenant the default settings from the schema', async () => {
    const tenantId = await ctx.newTenant();
    expect(await getTenantSettings(ctx.store.db, tenantId)).toEqual({
      syncPrivateAppointments: false,
      onlyOnlineMeetings: false,
      lookbackMonths: 24,
      lookaheadMonths: 3,
      calendarsPerMailbox: 1,
      extraInternalDomains: [],
      excludedDomains: [],
      excludedAddresses: [],
      updatedAt: expect.any(Number),
    });
  });

  it('keeps settings when the tenant is upserted again', async () => {
    const tenantId = await ctx.newTenant();
    await updateTenantSettings(ctx.store.db, tenantId, { lookbackMonths: 6 });
    await upsertTenant(ctx.store.db, tenantId, { displayName: 'Renamed' });
    expect((await getTenantSettings(ctx.store.db, tenantId)).lookbackMonths).toBe(6);
  });

  it('applies a partial settings change and leaves other fields alone', async () => {
    const tenantId = await ctx.newTenant();
    const settings = await updateTenantSettings(ctx.store.db, tenantId, {
      syncPrivateAppointments: true,
      calendarsPerMailbox: 5,
      excludedDomains: ['Gmail.com', 'gmail.com'],
      excludedAddresses: ['CEO@contoso.com'],
    });
    expect(settings).toMatchObject({
      syncPrivateAppointments: true,
      onlyOnlineMeetings: false,
      calendarsPerMailbox: 5,
      lookbackMonths: 24,
      excludedDomains: ['gmail.com'],
      excludedAddresses: ['ceo@contoso.com'],
    });
    expect(await getTenantSettings(ctx.store.db, tenantId)).toEqual(settings);
  });

  it('rejects calendars_per_mailbox 6 before writing, naming the field and the range', async () => {
    const tenantId = await ctx.newTenant();
    const update = updateTenantSettings(ctx.store.db, tenantId, { calendarsPerMailbox: 6 });
    await expect(update).rejects.toThrow(StoreValidationError);
    await expect(update).rejects.toThrow(
      'calendars_per_mailbox must be an integer from 1 to 5 (got 6)',
    );
    await expect(update).rejects.toMatchObject({ field: 'calendarsPerMailbox' });
    expect((await getTenantSettings(ctx.store.db, tenantId)).calendarsPerMailbox).toBe(1);
  });

  it('rejects fractional months and unknown setting names', async () => {
    const tenantId = await ctx.newTenant();
    await expect(
      updateTenantSettings(ctx.store.db, tenantId, { lookbackMonths: 1.5 }),
    ).rejects.toThrow(/lookback_months must be an integer from 0 to 120/);
    await expect(
      updateTenantSettings(ctx.store.db, tenantId, { syncSubjects: true } as never),
    ).rejects.toThrow(StoreValidationError);
  });

  it('reports a tenant with no settings as not found with the fix', async () => {
    await expect(getTenantSettings(ctx.store.db, 'no-such-tenant')).rejects.toThrow(
      StoreNotFoundError,
    );
    await expect(updateTenantSettings(ctx.store.db, 'no-such-tenant', {})).rejects.toThrow(
      /call upsertTenant first/,
    );
  });
});
