// The directory's view reaches the store: the tenant's domains, internal people with their
// directory fields (gone → left, back → present), and the addresses that are never people.
import { expect, it } from 'vitest';
import { findPeopleByEmail, getTenant, listResourceIdentities } from '../store/index.js';
import { describeStore } from '../store/testing.js';
import { refreshTenantDirectory } from './refresh-tenant-directory.js';
import type { DirectoryUser, TenantDirectory } from './tenant-directory.js';
import { uniqueTenantId } from './testing.js';

function user(id: string, mail: string | null, extra: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    id,
    userPrincipalName: mail ?? `${id}@contoso.onmicrosoft.com`,
    mail,
    displayName: id,
    department: 'Sales',
    jobTitle: 'Account Executive',
    companyName: 'Contoso',
    accountEnabled: true,
    userType: 'Member',
    ...extra,
  };
}

/** A directory whose users a test changes between refreshes. */
function fakeDirectory(users: DirectoryUser[], purposes: Record<string, string>): TenantDirectory {
  return {
    organization: async () => ({
      tenantId: 'org',
      displayName: 'Contoso',
      verifiedDomains: ['contoso.com', 'contoso-labs.io'],
    }),
    listUsers: async () => users,
    listMailGroups: async () => [{ id: 'g1', displayName: 'Falcon', mail: 'falcon@contoso.com' }],
    findGroup: async () => undefined,
    findGroupByMail: async () => undefined,
    listGroupUsers: async () => [],
    listRooms: async () => [{ email: 'rainier@contoso.com', displayName: 'Conf Room Rainier' }],
    mailboxPurposes: async (ids) =>
      new Map(ids.map((id) => [id, purposes[id] ?? 'user'] as [string, string])),
  };
}

describeStore('refreshTenantDirectory', (ctx) => {
  it('writes the tenant, its people and its resources, and follows people who leave and return', async () => {
    const tenantId = uniqueTenantId('directory');
    const users = [
      user('adele', 'Adele.Vance@contoso.com', { department: 'Sales EMEA' }),
      user('diego', 'diego@contoso.com', { accountEnabled: false }),
      user('support', 'support@contoso.com', { accountEnabled: false }),
      user('rainier', 'rainier@contoso.com', { accountEnabled: false }),
      user('guest', 'kim@fabrikam.com', { userType: 'Guest' }),
      user('lee', null),
    ];
    const purposes = { support: 'shared', rainier: 'room' };
    const first = await refreshTenantDirectory({
      store: ctx.store,
      directory: fakeDirectory(users, purposes),
      tenantId,
      now: 1_000,
    });
    expect((await getTenant(ctx.store.db, tenantId))?.verifiedDomains).toEqual([
      'contoso.com',
      'contoso-labs.io',
    ]);
    const people = await findPeopleByEmail(ctx.store.db, tenantId, [
      'adele.vance@contoso.com',
      'diego@contoso.com',
      'support@contoso.com',
      'rainier@contoso.com',
      'kim@fabrikam.com',
    ]);
    expect(
      people.map((p) => [p.email, p.kind, p.aadObjectId, p.department, p.accountEnabled]),
    ).toEqual([
      ['adele.vance@contoso.com', 'internal', 'adele', 'Sales EMEA', true],
      ['diego@contoso.com', 'internal', 'diego', 'Sales', false],
    ]);
    expect([...first.personIds.keys()].sort()).toEqual(['adele', 'diego']);
    const resources = await listResourceIdentities(ctx.store.db, tenantId);
    expect(resources.map((r) => `${r.email} ${r.kind}`)).toEqual([
      'falcon@contoso.com group',
      'rainier@contoso.com room',
      'support@contoso.com shared',
    ]);

    // Diego leaves the directory, Adele's address changes
    const later = [user('adele', 'adele@contoso.com'), ...users.slice(2)];
    await refreshTenantDirectory({
      store: ctx.store,
      directory: fakeDirectory(later, purposes),
      tenantId,
      now: 2_000,
    });
    const [adeleNow, adeleBefore, diegoGone] = await findPeopleByEmail(ctx.store.db, tenantId, [
      'adele@contoso.com',
      'adele.vance@contoso.com',
      'diego@contoso.com',
    ]).then((rows) => [
      rows.find((p) => p.email === 'adele@contoso.com'),
      rows.find((p) => p.email === 'adele.vance@contoso.com'),
      rows.find((p) => p.email === 'diego@contoso.com'),
    ]);
    expect(adeleNow).toMatchObject({ aadObjectId: 'adele', leftAt: null });
    expect(adeleBefore).toMatchObject({ aadObjectId: null });
    expect(diegoGone?.leftAt).toBe(2_000);

    // Diego comes back
    await refreshTenantDirectory({
      store: ctx.store,
      directory: fakeDirectory([...later, users[1] as DirectoryUser], purposes),
      tenantId,
      now: 3_000,
    });
    const [diegoBack] = await findPeopleByEmail(ctx.store.db, tenantId, ['diego@contoso.com']);
    expect(diegoBack?.leftAt).toBeNull();
  });
});
