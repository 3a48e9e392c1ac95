// Who can introduce whom: connectors, reachability, 2-hop paths, diversity, evidence, coverage.
import { expect, it } from 'vitest';
import {
  applyEventPage,
  setMailboxState,
  upsertMailboxes,
  upsertPeople,
  upsertTenant,
  type EventInput,
  type Store,
} from '../store/index.js';
import { describeStore, eventPage, mailboxCopy, seedMailbox } from '../store/testing.js';
import { uniqueTenantId } from '../sync/testing.js';
import { companyPage } from './company-contacts.js';
import { introPathsFor } from './intro-paths.js';
import { meetingSeries } from './testing.js';
import { applyScoreQueue, rebuildTies } from './ties.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 21);
const ACME = { kind: 'company', domain: 'acme.com', name: 'Acme' } as const;

/** Meetings every `every` days over the last `span` days, ending at NOW. */
const series = (uid: string, organizer: string, others: string[], every: number, span?: number) =>
  meetingSeries(uid, organizer, others, {
    now: NOW,
    every,
    ...(span === undefined ? {} : { span }),
  });

/** Employees with tracked mailboxes (user id = the local part), and the meetings stored. */
async function tenantWith(
  store: Store,
  tracked: string[],
  events: EventInput[],
  extra: { left?: string[]; untracked?: string[] } = {},
): Promise<{ tenantId: string; ids: Map<string, number> }> {
  const tenantId = uniqueTenantId('paths');
  await upsertTenant(store.db, tenantId, {
    displayName: 'Contoso',
    verifiedDomains: ['contoso.com'],
  });
  await seedMailbox(store, tenantId, 'owner-1');
  const employees = [...tracked, ...(extra.left ?? []), ...(extra.untracked ?? [])];
  const ids = await upsertPeople(
    store.db,
    tenantId,
    employees.map((email) => ({
      email,
      kind: 'internal',
      displayName: email.split('@')[0]!.replace(/^./, (c) => c.toUpperCase()),
      aadObjectId: email.split('@')[0]!,
      accountEnabled: !(extra.left ?? []).includes(email),
    })),
  );
  await upsertMailboxes(
    store.db,
    tenantId,
    [...tracked, ...(extra.left ?? [])].map((email) => ({
      userId: email.split('@')[0]!,
      userPrincipalName: email,
      personId: ids.get(email) ?? null,
      trackedVia: ['group-sales'],
    })),
  );
  for (const email of tracked) {
    await setMailboxState(store.db, tenantId, email.split('@')[0]!, {
      state: 'synced',
      at: NOW - 3_600_000,
    });
  }
  for (let i = 0; i < events.length; i += 200) {
    const slice = events.slice(i, i + 200);
    await applyEventPage(
      store,
      tenantId,
      eventPage(
        'owner-1',
        slice.map((e) => mailboxCopy(`g-${e.icalUid}`, e)),
      ),
    );
  }
  await rebuildTies(store, tenantId, { now: NOW });
  const all = await store.db
    .selectFrom('people')
    .select(['email', 'person_id'])
    .where('tenant_id', '=', tenantId)
    .execute();
  return { tenantId, ids: new Map(all.map((p) => [p.email, p.person_id])) };
}

describeStore('intro paths', (ctx) => {
  it('shows first and last met from the meetings that remain once the last one is deleted', async () => {
    const { tenantId } = await tenantWith(
      ctx.store,
      ['dana@contoso.com'],
      series('dj', 'dana@contoso.com', ['jane@acme.com'], 7),
    );
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('owner-1', [], { removedGraphEventIds: ['g-dj-0'] }),
    );
    await applyScoreQueue(ctx.store, tenantId);
    const { paths } = await introPathsFor(ctx.store, { tenantId, target: ACME, now: NOW });
    expect(paths[0]!.contacts[0]).toMatchObject({
      meetings: 25,
      firstMet: new Date(NOW - 177 * DAY).toISOString(),
      lastMet: new Date(NOW - 9 * DAY).toISOString(),
    });
  });

  it('ranks tracked colleagues by their ties, with evidence, and says how much is synced', async () => {
    const { tenantId } = await tenantWith(
      ctx.store,
      ['dana@contoso.com', 'erin@contoso.com'],
      [
        ...series('dj', 'dana@contoso.com', ['jane@acme.com'], 7),
        ...series('er', 'erin@contoso.com', ['raj@acme.com'], 30),
      ],
    );
    const { paths, coverage } = await introPathsFor(ctx.store, {
      tenantId,
      target: ACME,
      now: NOW,
    });
    expect(paths.map((p) => p.connector.email)).toEqual(['dana@contoso.com', 'erin@contoso.com']);
    const [dana, erin] = paths;
    expect(dana).toMatchObject({
      label: 'strong',
      hops: 1,
      isCaller: false,
      connector: { reachable: true, displayName: 'Dana' },
    });
    expect(erin!.strength).toBeLessThan(dana!.strength);
    expect(dana!.contacts).toEqual([
      expect.objectContaining({
        email: 'jane@acme.com',
        meetings: 26,
        oneOnOnes: 26,
        label: 'strong',
      }),
    ]);
    expect(dana!.contacts[0]!.lastMet).toBe(new Date(NOW - 2 * DAY).toISOString());
    expect(dana!.contacts[0]!.firstMet).toBe(new Date(NOW - 177 * DAY).toISOString());
    expect(dana!.explanation).toMatch(
      /^Dana met Jane 26 times \(26 one-on-ones\), last 2 days ago\./,
    );
    expect(coverage).toEqual({
      mailboxesTracked: 3,
      mailboxesSynced: 2,
      lastSyncAt: new Date(NOW - 3_600_000).toISOString(),
    });
  });

  it('never offers untracked employees and marks those who left as not reachable, last', async () => {
    const { tenantId } = await tenantWith(
      ctx.store,
      ['erin@contoso.com'],
      [
        ...series('fj', 'fred@contoso.com', ['jane@acme.com'], 7),
        ...series('gj', 'gail@contoso.com', ['jane@acme.com'], 7),
        ...series('er', 'erin@contoso.com', ['raj@acme.com'], 60),
      ],
      { untracked: ['fred@contoso.com'], left: ['gail@contoso.com'] },
    );
    const { paths } = await introPathsFor(ctx.store, { tenantId, target: ACME, now: NOW });
    expect(paths.map((p) => [p.connector.email, p.connector.reachable])).toEqual([
      ['erin@contoso.com', true],
      ['gail@contoso.com', false],
    ]);
    expect(paths[1]!.pathScore).toBe(0);
    expect(paths[1]!.explanation).toContain('no longer in the directory');
  });

  it("goes through a colleague the caller knows: a 2-hop path can outrank a stranger's stronger tie", async () => {
    const { tenantId, ids } = await tenantWith(
      ctx.store,
      ['dana@contoso.com', 'erin@contoso.com', 'me@contoso.com'],
      [
        ...series('dj', 'dana@contoso.com', ['jane@acme.com'], 7),
        ...series('er', 'erin@contoso.com', ['raj@acme.com'], 21),
        ...series('me', 'me@contoso.com', ['erin@contoso.com'], 7),
      ],
    );
    const caller = ids.get('me@contoso.com')!;
    const { paths } = await introPathsFor(ctx.store, {
      tenantId,
      target: ACME,
      callerPersonId: caller,
      now: NOW,
    });
    expect(paths.map((p) => p.connector.email)).toEqual(['erin@contoso.com', 'dana@contoso.com']);
    expect(paths[0]).toMatchObject({
      hops: 2,
      via: { email: 'erin@contoso.com', label: 'strong' },
    });
    expect(paths[0]!.explanation).toMatch(/^You know Erin \(strong\)\./);
    expect(paths[1]).toMatchObject({ hops: 1 });
    expect(paths[1]!.via).toBeUndefined();
    // the same question with nobody asking ranks the ties alone
    const anonymous = await introPathsFor(ctx.store, { tenantId, target: ACME, now: NOW });
    expect(anonymous.paths[0]!.connector.email).toBe('dana@contoso.com');
  });

  it("puts the caller's own tie first among equals and into a person as well as a company", async () => {
    const { tenantId, ids } = await tenantWith(
      ctx.store,
      ['dana@contoso.com', 'me@contoso.com'],
      [
        ...series('dj', 'dana@contoso.com', ['jane@acme.com'], 7),
        ...series('mj', 'me@contoso.com', ['jane@acme.com'], 7),
      ],
    );
    const caller = ids.get('me@contoso.com')!;
    const jane = { kind: 'person', personId: ids.get('jane@acme.com')!, name: 'Jane' } as const;
    const { paths } = await introPathsFor(ctx.store, {
      tenantId,
      target: jane,
      callerPersonId: caller,
      now: NOW,
    });
    expect(paths[0]).toMatchObject({
      isCaller: true,
      hops: 1,
      connector: { email: 'me@contoso.com' },
    });
    expect(paths[0]!.explanation).toMatch(/^You met Jane/);
    expect(paths.map((p) => p.contacts.map((c) => c.email))).toEqual([
      ['jane@acme.com'],
      ['jane@acme.com'],
    ]);
  });

  it('does not route everything through a hub who met everyone once', async () => {
    // the hub met 40 people at 40 companies a few times each; Dana and Erin know Acme's people well
    const hubMeetings = Array.from({ length: 40 }, (_, i) =>
      series(`hub${i}`, 'hub@contoso.com', [`p${i}@company${i}.com`], 30, 120),
    ).flat();
    const { tenantId } = await tenantWith(
      ctx.store,
      ['hub@contoso.com', 'dana@contoso.com', 'erin@contoso.com'],
      [
        ...hubMeetings,
        ...series('hj', 'hub@contoso.com', ['jane@acme.com'], 7),
        ...series('dj', 'dana@contoso.com', ['jane@acme.com'], 7),
        ...series('er', 'erin@contoso.com', ['raj@acme.com'], 7),
      ],
    );
    const { paths } = await introPathsFor(ctx.store, { tenantId, target: ACME, now: NOW });
    expect(paths[0]!.connector.email).not.toBe('hub@contoso.com');
    // one path per connector, and the top two lead to different contacts
    expect(new Set(paths.map((p) => p.connector.email)).size).toBe(paths.length);
    expect(paths[0]!.contacts[0]!.email).not.toBe(paths[1]!.contacts[0]!.email);
  });

  it('lets a path to a contact already shown give way to a comparable one, never to a cold tie', async () => {
    // Dana and Erin both know Jane (Dana well; Erin met her once, lately); Finn met Raj two years ago
    const { tenantId } = await tenantWith(
      ctx.store,
      ['dana@contoso.com', 'erin@contoso.com', 'finn@contoso.com'],
      [
        ...series('dj', 'dana@contoso.com', ['jane@acme.com'], 7),
        ...series('ej', 'erin@contoso.com', ['jane@acme.com'], 60, 3),
        ...meetingSeries('fr', 'finn@contoso.com', ['raj@acme.com'], {
          now: NOW - 700 * DAY,
          every: 30,
          span: 3,
        }),
      ],
    );
    const { paths } = await introPathsFor(ctx.store, { tenantId, target: ACME, now: NOW });
    expect(paths.map((p) => [p.connector.email, p.label])).toEqual([
      ['dana@contoso.com', 'strong'],
      ['erin@contoso.com', 'weak'],
      ['finn@contoso.com', 'cold'],
    ]);
  });

  it('finds nothing for a company nobody tracked has met, and nothing of another tenant', async () => {
    const first = await tenantWith(
      ctx.store,
      ['dana@contoso.com'],
      series('dj', 'dana@contoso.com', ['jane@acme.com'], 7),
    );
    const second = await tenantWith(ctx.store, ['erin@contoso.com'], []);
    expect(
      (
        await introPathsFor(ctx.store, {
          tenantId: first.tenantId,
          target: { kind: 'company', domain: 'nowhere.com', name: 'Nowhere' },
          now: NOW,
        })
      ).paths,
    ).toEqual([]);
    expect(
      (await introPathsFor(ctx.store, { tenantId: second.tenantId, target: ACME, now: NOW })).paths,
    ).toEqual([]);
  });

  it('lists the company contacts tracked colleagues know, strongest first, never gmail or untracked ties', async () => {
    const { tenantId } = await tenantWith(
      ctx.store,
      ['dana@contoso.com', 'erin@contoso.com'],
      [
        ...series('dj', 'dana@contoso.com', ['jane@acme.com'], 7),
        ...series('ej', 'erin@contoso.com', ['jane@acme.com'], 60),
        ...series('er', 'erin@contoso.com', ['raj@acme.com', 'sam@gmail.com'], 30),
        ...series('fk', 'fred@contoso.com', ['kim@acme.com'], 7),
      ],
      { untracked: ['fred@contoso.com'] },
    );
    const acme = { kind: 'company', domain: 'acme.com', name: 'Acme' } as const;
    const { contacts } = await companyPage(ctx.store, { tenantId, target: acme, now: NOW });
    expect(contacts.map((c) => [c.email, c.knownBy, c.strongest.label])).toEqual([
      ['jane@acme.com', 2, 'strong'],
      ['raj@acme.com', 1, expect.any(String)],
    ]);
    expect(contacts[1]!.strongest.strength).toBeLessThan(contacts[0]!.strongest.strength);
    const other = await companyPage(ctx.store, {
      tenantId: 'another-tenant',
      target: acme,
      now: NOW,
    });
    expect(other.contacts).toEqual([]);
  });
});
