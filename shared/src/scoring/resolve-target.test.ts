import { expect, it } from 'vitest';
import { upsertPeople, type PersonInput } from '../store/people.js';
import { upsertResourceIdentities } from '../store/resource-identities.js';
import { updateTenantSettings, upsertTenant } from '../store/tenants.js';
import { describeStore, type StoreTestContext } from '../store/testing.js';
import {
  MAX_CANDIDATES,
  prepareTargetIndex,
  resolveTarget,
  type TargetResolution,
} from './resolve-target.js';

function external(
  email: string,
  displayName: string | null,
  extra: Partial<PersonInput> = {},
): PersonInput {
  return { email, kind: 'external', displayName, ...extra };
}

// a tenant like the simulator's: its own people, companies named only by their domains, one named
// by the directory, one by display-name notes, people on personal mail, and a room
const FABRIKAM_PEOPLE: PersonInput[] = [
  {
    email: 'alice.smith@fabrikam.com',
    kind: 'internal',
    displayName: 'Alice Smith',
    companyName: 'Fabrikam',
  },
  { email: 'bob.jones@fabrikam.com', kind: 'internal', displayName: 'Bob Jones' },
  external('jane.doe@acme.com', 'Jane Doe'),
  external('raj.patel@acme.com', 'Raj Patel'),
  external('chris.park@acme.com', 'Chris Park'),
  external('dana.whitfield@contoso.com', 'Dana Whitfield'),
  external('chris.park@contoso.com', 'Chris Park'),
  external('kofi.mensah@contoso.com', null),
  external('oliver.brooks@northwind.co.uk', 'Oliver Brooks', { domain: 'northwind.co.uk' }),
  external('maya.chen@blueharborlogistics.com', 'Maya Chen'),
  external('pat.kim@hq-mail.net', 'Pat Kim (Hooli)'),
  external('lena.ortiz@gx-intl.com', 'Lena Ortiz', { companyName: 'Globex International' }),
  external('sam.lee@gmail.com', 'Sam Lee', { domain: 'gmail.com', isPersonalDomain: true }),
  // written before sync knew yahoo.com is personal mail: still never a company
  external('old.friend@yahoo.com', 'Old Friend', { domain: 'yahoo.com' }),
  external('conf-room@initech.com', 'Initech Boardroom'),
];

interface Fabrikam {
  tenantId: string;
  ids: Map<string, number>;
}

async function seedFabrikam(ctx: StoreTestContext): Promise<Fabrikam> {
  const tenantId = await ctx.newTenant('Fabrikam');
  await upsertTenant(ctx.store.db, tenantId, {
    displayName: 'Fabrikam',
    verifiedDomains: ['fabrikam.com', 'fabrikam.co.uk'],
  });
  const ids = await upsertPeople(ctx.store.db, tenantId, FABRIKAM_PEOPLE);
  await upsertResourceIdentities(ctx.store.db, tenantId, [
    {
      email: 'conf-room@initech.com',
      kind: 'room',
      displayName: 'Initech Boardroom',
      source: 'attendee',
    },
  ]);
  return { tenantId, ids };
}

const ACME = { kind: 'company', domain: 'acme.com', name: 'Acme' } as const;

function reasonOf(result: TargetResolution): string {
  if (result.kind !== 'none') throw new Error(`expected none, got ${JSON.stringify(result)}`);
  return result.reason;
}

describeStore('resolveTarget', (ctx) => {
  it('finds a company by its name as people write it, with legal forms and typos', async () => {
    const { tenantId } = await seedFabrikam(ctx);
    for (const text of [
      'Acme',
      'acme',
      'acme corp',
      'ACME Corporation',
      'Acme Inc.',
      'acmee',
      ' "Acme" ',
    ]) {
      expect(await resolveTarget(ctx.store, tenantId, text), text).toEqual(ACME);
    }
    const contoso = { kind: 'company', domain: 'contoso.com', name: 'Contoso' };
    for (const text of ['Contoso', 'Contsoo', 'contoso ltd']) {
      expect(await resolveTarget(ctx.store, tenantId, text), text).toEqual(contoso);
    }
  });

  it('builds the name index ahead of the first question, and ignores a tenant it does not know', async () => {
    const { tenantId } = await seedFabrikam(ctx);
    await prepareTargetIndex(ctx.store, tenantId);
    await prepareTargetIndex(ctx.store, 'no-such-tenant');
    expect(await resolveTarget(ctx.store, tenantId, 'acme')).toMatchObject({
      kind: 'company',
      domain: 'acme.com',
    });
  });

  it('names companies from their domains, the directory and display-name notes', async () => {
    const { tenantId } = await seedFabrikam(ctx);
    const northwind = { kind: 'company', domain: 'northwind.co.uk', name: 'Northwind' };
    expect(await resolveTarget(ctx.store, tenantId, 'Northwind')).toEqual(northwind);
    // an extra word still finds the only company that fits
    expect(await resolveTarget(ctx.store, tenantId, 'Northwind Traders')).toEqual(northwind);
    // a domain without word breaks is found by its first words
    for (const text of ['Blue Harbor', 'blue harbor logistics', 'Bluehabror Logistics']) {
      expect(await resolveTarget(ctx.store, tenantId, text), text).toEqual({
        kind: 'company',
        domain: 'blueharborlogistics.com',
        name: 'Blueharborlogistics',
      });
    }
    expect(await resolveTarget(ctx.store, tenantId, 'Hooli')).toEqual({
      kind: 'company',
      domain: 'hq-mail.net',
      name: 'Hooli',
    });
    expect(await resolveTarget(ctx.store, tenantId, 'globex')).toEqual({
      kind: 'company',
      domain: 'gx-intl.com',
      name: 'Globex International',
    });
  });

  it('takes a domain, subdomain or URL to its registrable domain', async () => {
    const { tenantId } = await seedFabrikam(ctx);
    for (const text of [
      'acme.com',
      'ACME.COM',
      'www.acme.com',
      'acme.com/contact',
      'https://www.acme.com/about?x=1',
      'HTTP://WWW.ACME.COM',
    ]) {
      expect(await resolveTarget(ctx.store, tenantId, text), text).toEqual(ACME);
    }
    for (const text of ['eu.northwind.co.uk', 'http://eu.northwind.co.uk:8080/team']) {
      expect(await resolveTarget(ctx.store, tenantId, text), text).toEqual({
        kind: 'company',
        domain: 'northwind.co.uk',
        name: 'Northwind',
      });
    }
    expect(reasonOf(await resolveTarget(ctx.store, tenantId, 'unknown-co.com'))).toBe(
      "Nobody at unknown-co.com appears in your organisation's meetings.",
    );
  });

  it('takes an email address to the person, or to the company when the person is new', async () => {
    const { tenantId, ids } = await seedFabrikam(ctx);
    const jane = {
      kind: 'person',
      personId: ids.get('jane.doe@acme.com'),
      email: 'jane.doe@acme.com',
      name: 'Jane Doe',
      domain: 'acme.com',
    };
    for (const text of [
      'jane.doe@acme.com',
      'Jane.Doe@ACME.com',
      'Jane Doe <jane.doe@acme.com>',
      'mailto:jane.doe@acme.com',
    ]) {
      expect(await resolveTarget(ctx.store, tenantId, text), text).toEqual(jane);
    }
    expect(await resolveTarget(ctx.store, tenantId, 'new.hire@acme.com')).toEqual(ACME);
    expect(reasonOf(await resolveTarget(ctx.store, tenantId, 'x@unknown-co.com'))).toMatch(
      /^Nobody with the address x@unknown-co\.com, or anyone else at unknown-co\.com/,
    );
    expect(reasonOf(await resolveTarget(ctx.store, tenantId, 'jane.doe@'))).toMatch(
      /not a complete email address/,
    );
  });

  it('finds a person by name in either order, with a small typo, or from the address alone', async () => {
    const { tenantId, ids } = await seedFabrikam(ctx);
    const jane = {
      kind: 'person',
      personId: ids.get('jane.doe@acme.com'),
      email: 'jane.doe@acme.com',
      name: 'Jane Doe',
      domain: 'acme.com',
    };
    for (const text of ['Jane Doe', 'jane doe', 'Doe, Jane', 'Jane Deo', 'Jnae Doe', 'Jane Do']) {
      expect(await resolveTarget(ctx.store, tenantId, text), text).toEqual(jane);
    }
    expect(await resolveTarget(ctx.store, tenantId, 'Dana Whitfeld')).toMatchObject({
      kind: 'person',
      email: 'dana.whitfield@contoso.com',
    });
    // no display name: the name comes from the address
    expect(await resolveTarget(ctx.store, tenantId, 'kofi mensah')).toEqual({
      kind: 'person',
      personId: ids.get('kofi.mensah@contoso.com'),
      email: 'kofi.mensah@contoso.com',
      name: 'Kofi Mensah',
      domain: 'contoso.com',
    });
  });

  it('treats personal mail as people, never as companies', async () => {
    const { tenantId, ids } = await seedFabrikam(ctx);
    const sam = {
      kind: 'person',
      personId: ids.get('sam.lee@gmail.com'),
      email: 'sam.lee@gmail.com',
      name: 'Sam Lee',
      domain: null,
    };
    expect(await resolveTarget(ctx.store, tenantId, 'sam.lee@gmail.com')).toEqual(sam);
    expect(await resolveTarget(ctx.store, tenantId, 'Sam Lee')).toEqual(sam);
    for (const text of ['gmail.com', 'https://www.gmail.com/', 'yahoo.com']) {
      expect(reasonOf(await resolveTarget(ctx.store, tenantId, text)), text).toMatch(
        /is a personal mail provider, not a company/,
      );
    }
    for (const text of ['Gmail', 'yahoo']) {
      expect((await resolveTarget(ctx.store, tenantId, text)).kind, text).toBe('none');
    }
    expect(reasonOf(await resolveTarget(ctx.store, tenantId, 'stranger@gmail.com'))).toMatch(
      /^Nobody with the address stranger@gmail\.com appears .* personal mail provider/,
    );
  });

  it("answers none for the tenant's own organisation, domains and people", async () => {
    const { tenantId } = await seedFabrikam(ctx);
    await upsertPeople(ctx.store.db, tenantId, [
      external('vendor@fabrikam-partners.com', 'Val Endor'),
    ]);
    await updateTenantSettings(ctx.store.db, tenantId, {
      extraInternalDomains: ['fabrikam-partners.com'],
    });
    for (const text of ['Fabrikam', 'fabrikm', 'Fabrikam Inc']) {
      expect(reasonOf(await resolveTarget(ctx.store, tenantId, text)), text).toBe(
        'Fabrikam is your own organisation; WarmPath finds introductions to companies and people outside it.',
      );
    }
    for (const text of ['fabrikam.com', 'www.fabrikam.co.uk', 'fabrikam-partners.com']) {
      expect(reasonOf(await resolveTarget(ctx.store, tenantId, text)), text).toMatch(
        /is your own organisation's domain/,
      );
    }
    expect(reasonOf(await resolveTarget(ctx.store, tenantId, 'alice.smith@fabrikam.com'))).toBe(
      'Alice Smith is in your own organisation; WarmPath finds introductions to people outside it.',
    );
    expect(reasonOf(await resolveTarget(ctx.store, tenantId, 'Alice Smith'))).toMatch(
      /^Alice Smith is in your own organisation/,
    );
    expect(reasonOf(await resolveTarget(ctx.store, tenantId, 'new.joiner@fabrikam.co.uk'))).toMatch(
      /in your own organisation/,
    );
    expect(reasonOf(await resolveTarget(ctx.store, tenantId, 'Val Endor'))).toMatch(
      /^Val Endor is in your own organisation/,
    );
  });

  it('never offers rooms or resources, even when one got into people', async () => {
    const { tenantId } = await seedFabrikam(ctx);
    expect(reasonOf(await resolveTarget(ctx.store, tenantId, 'conf-room@initech.com'))).toBe(
      'conf-room@initech.com is a room or shared mailbox, not a person.',
    );
    for (const text of ['Initech', 'Initech Boardroom', 'initech.com']) {
      expect((await resolveTarget(ctx.store, tenantId, text)).kind, text).toBe('none');
    }
  });

  it('lists people who match about equally well', async () => {
    const { tenantId } = await seedFabrikam(ctx);
    const result = await resolveTarget(ctx.store, tenantId, 'Chris Park');
    expect(result).toEqual({
      kind: 'ambiguous',
      candidates: expect.arrayContaining([
        {
          kind: 'person',
          name: 'Chris Park',
          email: 'chris.park@acme.com',
          domain: 'acme.com',
          score: 1,
        },
        {
          kind: 'person',
          name: 'Chris Park',
          email: 'chris.park@contoso.com',
          domain: 'contoso.com',
          score: 1,
        },
      ]),
    });
    if (result.kind === 'ambiguous') expect(result.candidates).toHaveLength(2);
  });

  it('lists at most eight companies, best first', async () => {
    const tenantId = await ctx.newTenant('Fabrikam');
    const tlds = ['com', 'co.uk', 'de', 'fr', 'io', 'nl', 'ie', 'se', 'ca', 'sg'];
    await upsertPeople(ctx.store.db, tenantId, [
      ...tlds.map((tld, i) =>
        external(`contact${i}@summit.${tld}`, `Contact ${i}`, { domain: `summit.${tld}` }),
      ),
      // two contacts: ranks first among the equally good
      external('second@summit.de', 'Second Contact', { domain: 'summit.de' }),
      external('ops@summitlogistics.com', 'Ops Desk'),
      external('team@acme.com', 'Team Acme'),
    ]);
    const result = await resolveTarget(ctx.store, tenantId, 'Summit');
    if (result.kind !== 'ambiguous')
      throw new Error(`expected ambiguous, got ${JSON.stringify(result)}`);
    expect(result.candidates).toHaveLength(MAX_CANDIDATES);
    expect(result.candidates[0]).toEqual({
      kind: 'company',
      name: 'Summit',
      domain: 'summit.de',
      score: 1,
    });
    for (const candidate of result.candidates) {
      expect(candidate).toMatchObject({ kind: 'company', name: 'Summit', score: 1 });
      expect(candidate.domain).toMatch(/^summit\./);
    }

    const two = await ctx.newTenant('Fabrikam');
    await upsertPeople(ctx.store.db, two, [
      external('a@summit.com', 'A'),
      external('b@summit.co.uk', 'B', { domain: 'summit.co.uk' }),
      external('c@summitlogistics.com', 'C'),
    ]);
    const shortlist = await resolveTarget(ctx.store, two, 'summit');
    if (shortlist.kind !== 'ambiguous')
      throw new Error(`expected ambiguous, got ${JSON.stringify(shortlist)}`);
    // the two exact names first, then the weaker "did you mean" one
    expect(shortlist.candidates.map((c) => c.domain)).toEqual([
      'summit.co.uk',
      'summit.com',
      'summitlogistics.com',
    ]);
    const scores = shortlist.candidates.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[2]).toBeLessThan(1);
  });

  it('prefers the exact name over one that needed legal forms dropped', async () => {
    const tenantId = await ctx.newTenant('Fabrikam');
    await upsertPeople(ctx.store.db, tenantId, [
      external('a@acme.com', 'A'),
      external('b@acme-corp.com', 'B'),
    ]);
    expect(await resolveTarget(ctx.store, tenantId, 'Acme')).toEqual(ACME);
    expect(await resolveTarget(ctx.store, tenantId, 'acme corp')).toEqual({
      kind: 'company',
      domain: 'acme-corp.com',
      name: 'Acme Corp',
    });
    // "Inc." says neither: both fit equally
    const either = await resolveTarget(ctx.store, tenantId, 'Acme Inc.');
    expect(either.kind).toBe('ambiguous');
    if (either.kind === 'ambiguous') {
      expect(either.candidates.map((c) => c.domain).sort()).toEqual(['acme-corp.com', 'acme.com']);
    }
  });

  it('says when nothing matches', async () => {
    const { tenantId } = await seedFabrikam(ctx);
    expect(reasonOf(await resolveTarget(ctx.store, tenantId, 'Zebra Unicorn Holdings'))).toBe(
      `Nobody in your organisation's meetings matches "Zebra Unicorn Holdings".`,
    );
    expect(reasonOf(await resolveTarget(ctx.store, tenantId, '   '))).toMatch(/^Type a company/);
    expect(reasonOf(await resolveTarget(ctx.store, 'no-such-tenant', 'Acme'))).toMatch(
      /not set up in WarmPath/,
    );
  });

  it("never returns another tenant's companies or people", async () => {
    const a = await seedFabrikam(ctx);
    const b = await ctx.newTenant('Initrode');
    await upsertPeople(ctx.store.db, b, [
      external('ian.rhodes@initrode.com', 'Ian Rhodes'),
      external('quinn.hart@acme.com', 'Quinn Hart'),
    ]);
    // B first, so A's lookups run with B's index already cached
    expect(await resolveTarget(ctx.store, b, 'Initrode')).toEqual({
      kind: 'company',
      domain: 'initrode.com',
      name: 'Initrode',
    });
    for (const text of [
      'Initrode',
      'initrode.com',
      'ian.rhodes@initrode.com',
      'Ian Rhodes',
      'Quinn Hart',
    ]) {
      expect((await resolveTarget(ctx.store, a.tenantId, text)).kind, text).toBe('none');
    }
    for (const text of ['Jane Doe', 'Contoso', 'dana.whitfield@contoso.com', 'Hooli']) {
      expect((await resolveTarget(ctx.store, b, text)).kind, text).toBe('none');
    }
    // acme.com is known to both, each with its own people
    expect(await resolveTarget(ctx.store, b, 'quinn.hart@acme.com')).toMatchObject({
      kind: 'person',
      email: 'quinn.hart@acme.com',
    });
    expect(await resolveTarget(ctx.store, a.tenantId, 'quinn.hart@acme.com')).toEqual(ACME);
  });

  it('sees people and settings added after the first lookup', async () => {
    const { tenantId } = await seedFabrikam(ctx);
    expect((await resolveTarget(ctx.store, tenantId, 'Umbrella')).kind).toBe('none');
    expect((await resolveTarget(ctx.store, tenantId, 'Nina Novak')).kind).toBe('none');
    const ids = await upsertPeople(ctx.store.db, tenantId, [
      external('ceo@umbrella.com', 'Albert Wesker'),
      external('nina.novak@acme.com', 'Nina Novak'),
    ]);
    expect(await resolveTarget(ctx.store, tenantId, 'Umbrella')).toEqual({
      kind: 'company',
      domain: 'umbrella.com',
      name: 'Umbrella',
    });
    expect(await resolveTarget(ctx.store, tenantId, 'nina novak')).toEqual({
      kind: 'person',
      personId: ids.get('nina.novak@acme.com'),
      email: 'nina.novak@acme.com',
      name: 'Nina Novak',
      domain: 'acme.com',
    });
    // a newly verified domain makes a company the tenant's own at once
    await upsertTenant(ctx.store.db, tenantId, {
      displayName: 'Fabrikam',
      verifiedDomains: ['fabrikam.com', 'umbrella.com'],
    });
    expect(reasonOf(await resolveTarget(ctx.store, tenantId, 'umbrella.com'))).toMatch(
      /your own organisation's domain/,
    );
    expect((await resolveTarget(ctx.store, tenantId, 'Umbrella')).kind).toBe('none');
  });
});
