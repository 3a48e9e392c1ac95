import { expect, it } from 'vitest';
import { StoreValidationError, type StoreConstraintError } from './errors.js';
import {
  findPeopleByEmail,
  getPerson,
  listPeopleByDomain,
  markPeopleLeft,
  upsertPeople,
  type PersonInput,
} from './people.js';
import { describeStore } from './testing.js';

describeStore('people', (ctx) => {
  it('creates people keyed by lowercase email and returns their ids', async () => {
    const tenantId = await ctx.newTenant();
    const ids = await upsertPeople(ctx.store.db, tenantId, [
      {
        email: 'Alice@Contoso.com',
        kind: 'internal',
        displayName: 'Alice',
        aadObjectId: 'aad-alice',
      },
      { email: 'jane@acme.com', kind: 'external' },
    ]);
    expect([...ids.keys()].sort()).toEqual(['alice@contoso.com', 'jane@acme.com']);
    expect(new Set(ids.values()).size).toBe(2);
    const [alice] = await findPeopleByEmail(ctx.store.db, tenantId, ['ALICE@contoso.com']);
    expect(alice).toMatchObject({
      personId: ids.get('alice@contoso.com'),
      email: 'alice@contoso.com',
      displayName: 'Alice',
      kind: 'internal',
      aadObjectId: 'aad-alice',
      domain: 'contoso.com',
      isPersonalDomain: false,
      leftAt: null,
    });
  });

  it('returns the same ids when the same people are upserted again', async () => {
    const tenantId = await ctx.newTenant();
    const people: PersonInput[] = [
      { email: 'a@x.com', kind: 'external' },
      { email: 'b@x.com', kind: 'external' },
    ];
    const first = await upsertPeople(ctx.store.db, tenantId, people);
    const second = await upsertPeople(ctx.store.db, tenantId, [
      ...people,
      { email: 'c@x.com', kind: 'external' },
    ]);
    expect(second.get('a@x.com')).toBe(first.get('a@x.com'));
    expect(second.get('b@x.com')).toBe(first.get('b@x.com'));
    expect(second.get('c@x.com')).toBe(3);
  });

  it('updates given fields, keeps omitted ones and lets the directory clear left_at', async () => {
    const tenantId = await ctx.newTenant();
    const ids = await upsertPeople(ctx.store.db, tenantId, [
      {
        email: 'bob@contoso.com',
        kind: 'internal',
        displayName: 'Bob',
        jobTitle: 'Engineer',
        department: 'R&D',
        accountEnabled: true,
      },
    ]);
    const personId = ids.get('bob@contoso.com') as number;
    await markPeopleLeft(ctx.store.db, tenantId, [personId], 1_000);
    expect((await getPerson(ctx.store.db, tenantId, personId))?.leftAt).toBe(1_000);
    await upsertPeople(ctx.store.db, tenantId, [
      { email: 'bob@contoso.com', kind: 'internal', jobTitle: 'Manager' },
    ]);
    expect(await getPerson(ctx.store.db, tenantId, personId)).toMatchObject({
      displayName: 'Bob',
      jobTitle: 'Manager',
      department: 'R&D',
      accountEnabled: true,
      leftAt: null,
    });
  });

  it('uses the given registrable domain and flags personal domains', async () => {
    const tenantId = await ctx.newTenant();
    await upsertPeople(ctx.store.db, tenantId, [
      { email: 'jo@mail.acme.co.uk', kind: 'external', domain: 'acme.co.uk' },
      { email: 'sam@gmail.com', kind: 'external', isPersonalDomain: true },
    ]);
    expect(
      (await listPeopleByDomain(ctx.store.db, tenantId, 'ACME.co.uk')).map((p) => p.email),
    ).toEqual(['jo@mail.acme.co.uk']);
    expect(
      (await listPeopleByDomain(ctx.store.db, tenantId, 'gmail.com'))[0]?.isPersonalDomain,
    ).toBe(true);
  });

  it('rejects an address without a domain', async () => {
    const tenantId = await ctx.newTenant();
    await expect(
      upsertPeople(ctx.store.db, tenantId, [{ email: 'nobody', kind: 'external' }]),
    ).rejects.toThrow(StoreValidationError);
  });

  it('refuses a second person with the same Entra object id', async () => {
    const tenantId = await ctx.newTenant();
    await upsertPeople(ctx.store.db, tenantId, [
      { email: 'one@c.com', kind: 'internal', aadObjectId: 'same' },
    ]);
    await expect(
      upsertPeople(ctx.store.db, tenantId, [
        { email: 'two@c.com', kind: 'internal', aadObjectId: 'same' },
      ]),
    ).rejects.toMatchObject({ kind: 'unique' } satisfies Partial<StoreConstraintError>);
  });

  it('stores batches larger than one statement can carry', async () => {
    const tenantId = await ctx.newTenant();
    const people = Array.from({ length: 5_000 }, (_, index) => ({
      email: `person${index}@bulk.example`,
      kind: 'external' as const,
      displayName: `Person ${index}`,
    }));
    const ids = await upsertPeople(ctx.store.db, tenantId, people);
    expect(ids.size).toBe(5_000);
    expect(new Set(ids.values()).size).toBe(5_000);
    expect((await listPeopleByDomain(ctx.store.db, tenantId, 'bulk.example')).length).toBe(5_000);
  });

  it('counts only people not already marked as left', async () => {
    const tenantId = await ctx.newTenant();
    const ids = await upsertPeople(ctx.store.db, tenantId, [
      { email: 'x@c.com', kind: 'internal' },
    ]);
    const personId = ids.get('x@c.com') as number;
    expect(await markPeopleLeft(ctx.store.db, tenantId, [personId], 10)).toBe(1);
    expect(await markPeopleLeft(ctx.store.db, tenantId, [personId], 20)).toBe(0);
    expect((await getPerson(ctx.store.db, tenantId, personId))?.leftAt).toBe(10);
  });
});
