import { expect, it } from 'vitest';
import { getCalendar, listCalendars, saveCalendarCursor, upsertCalendars } from './calendars.js';
import { applyEventPage, findEventIds, removeMailboxCopies } from './event-page.js';
import {
  countEvents,
  getEventByIcalUid,
  listEventAttendance,
  listEventsStartingBetween,
  listMailboxCopies,
} from './events.js';
import { allocateIds } from './ids.js';
import {
  findMailboxBySubscription,
  getMailbox,
  listMailboxes,
  saveMailboxSubscription,
  setMailboxState,
  upsertMailboxes,
} from './mailboxes.js';
import {
  findPeopleByEmail,
  findPersonIds,
  getPerson,
  listPeopleByDomain,
  lookupPeople,
  markPeopleLeft,
  upsertPeople,
} from './people.js';
import {
  findResourceIdentities,
  listResourceIdentities,
  upsertResourceIdentities,
} from './resource-identities.js';
import {
  enqueueNotifications,
  listPendingNotifications,
  markNotificationsProcessed,
  purgeProcessedNotifications,
} from './sync-inbox.js';
import { describeStore, eventPage, mailboxCopy, meeting, seedMailbox } from './testing.js';
import { getTenant, getTenantSettings, updateTenantSettings, upsertTenant } from './tenants.js';
import {
  addTrackedPrincipals,
  listTrackedPrincipals,
  removeTrackedPrincipal,
} from './tracked-principals.js';

describeStore('tenant isolation', (ctx) => {
  /** Gives a tenant the same natural keys (emails, user ids, iCalUIds, Graph ids) as every other. */
  async function seedTenant(tenantId: string, name: string): Promise<void> {
    const db = ctx.store.db;
    await upsertTenant(db, tenantId, { displayName: name, verifiedDomains: [`${name}.com`] });
    await updateTenantSettings(db, tenantId, { excludedDomains: [`${name}-excluded.com`] });
    await upsertPeople(db, tenantId, [
      {
        email: 'alice@contoso.com',
        kind: 'internal',
        displayName: `Alice of ${name}`,
        aadObjectId: 'aad-1',
      },
    ]);
    await addTrackedPrincipals(db, tenantId, [
      { principalId: 'group-1', kind: 'group', displayName: name },
    ]);
    await seedMailbox(ctx.store, tenantId, 'u-alice');
    await saveMailboxSubscription(db, tenantId, 'u-alice', {
      subscriptionId: 'sub-1',
      expiresAt: 1,
      clientStateHash: name,
    });
    await upsertResourceIdentities(db, tenantId, [
      { email: 'room@contoso.com', kind: 'room', displayName: name, source: 'places' },
    ]);
    await enqueueNotifications(db, tenantId, [
      { userId: 'u-alice', subscriptionId: 'sub-1', receivedAt: 1 },
    ]);
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u-alice', [
        mailboxCopy('g1', meeting('uid-1', { participantCount: name.length })),
        mailboxCopy('g2', meeting('uid-2')),
      ]),
    );
  }

  it('returns only the asking tenant rows from every read, though both share every natural key', async () => {
    const a = `iso-a-${Date.now()}`;
    const b = `iso-b-${Date.now()}`;
    await seedTenant(a, 'alpha');
    await seedTenant(b, 'bravo-bravo');
    const db = ctx.store.db;

    expect((await getTenant(db, a))?.displayName).toBe('alpha');
    expect((await getTenantSettings(db, b)).excludedDomains).toEqual(['bravo-bravo-excluded.com']);
    const [aliceA] = await findPeopleByEmail(db, a, ['alice@contoso.com']);
    const [aliceB] = await findPeopleByEmail(db, b, ['alice@contoso.com']);
    expect(aliceA?.displayName).toBe('Alice of alpha');
    expect(aliceB?.displayName).toBe('Alice of bravo-bravo');
    expect((await getPerson(db, b, aliceB?.personId as number))?.displayName).toBe(
      'Alice of bravo-bravo',
    );
    expect((await listPeopleByDomain(db, a, 'contoso.com')).map((p) => p.displayName)).toEqual([
      'Alice of alpha',
    ]);
    expect(
      (await lookupPeople(db, a, ['alice@contoso.com'])).get('alice@contoso.com')?.displayName,
    ).toBe('Alice of alpha');
    expect((await findPersonIds(db, b, ['alice@contoso.com'])).size).toBe(1);
    expect((await listTrackedPrincipals(db, a)).map((p) => p.displayName)).toEqual(['alpha']);
    expect(await listMailboxes(db, a)).toHaveLength(1);
    expect((await findMailboxBySubscription(db, b, 'sub-1'))?.subscriptionClientStateHash).toBe(
      'bravo-bravo',
    );
    expect(await listCalendars(db, a, 'u-alice')).toHaveLength(1);
    expect((await listResourceIdentities(db, a)).map((r) => r.displayName)).toEqual(['alpha']);
    expect((await findResourceIdentities(db, b, ['room@contoso.com'])).size).toBe(1);
    expect(await listPendingNotifications(db, a)).toHaveLength(1);
    expect(await countEvents(db, a)).toBe(2);
    expect((await getEventByIcalUid(db, a, 'uid-1'))?.participantCount).toBe('alpha'.length);
    expect((await getEventByIcalUid(db, b, 'uid-1'))?.participantCount).toBe('bravo-bravo'.length);
    expect((await findEventIds(db, a, ['uid-1', 'uid-2'])).size).toBe(2);
    expect(await listEventsStartingBetween(db, b, 0, Number.MAX_SAFE_INTEGER)).toHaveLength(2);
    expect(await listMailboxCopies(db, a, 'u-alice')).toHaveLength(2);
    const eventA = (await getEventByIcalUid(db, a, 'uid-1'))?.eventId as number;
    expect((await listEventAttendance(db, a, eventA)).map((x) => x.personId)).toContain(
      aliceA?.personId,
    );
    expect(await allocateIds(db, a, 'events', 1)).toBe(3);
  });

  it('changes only the named tenant rows on every write', async () => {
    const a = `iso-wa-${Date.now()}`;
    const b = `iso-wb-${Date.now()}`;
    await seedTenant(a, 'alpha');
    await seedTenant(b, 'bravo');
    const db = ctx.store.db;

    await updateTenantSettings(db, a, { calendarsPerMailbox: 3 });
    await upsertPeople(db, a, [
      { email: 'alice@contoso.com', kind: 'internal', displayName: 'Changed' },
    ]);
    const aliceA = (await findPersonIds(db, a, ['alice@contoso.com'])).get(
      'alice@contoso.com',
    ) as number;
    await markPeopleLeft(db, a, [aliceA], 5);
    await removeTrackedPrincipal(db, a, 'group-1');
    await setMailboxState(db, a, 'u-alice', {
      state: 'error',
      code: 'x',
      message: 'y',
      nextAttemptAt: null,
    });
    await upsertMailboxes(db, a, [
      { userId: 'u-alice', userPrincipalName: 'changed@a.com', trackedVia: [] },
    ]);
    await saveMailboxSubscription(db, a, 'u-alice', null);
    await upsertCalendars(db, a, 'u-alice', [
      { calendarId: 'calendar-1', name: 'Changed', isDefault: true, selected: true },
    ]);
    await saveCalendarCursor(db, a, 'u-alice', 'calendar-1', { deltaLink: 'changed' });
    await upsertResourceIdentities(db, a, [
      { email: 'room@contoso.com', kind: 'equipment', source: 'x' },
    ]);
    await markNotificationsProcessed(db, a, [1], 10);
    await purgeProcessedNotifications(db, a, 100);
    await applyEventPage(ctx.store, a, eventPage('u-alice', [], { removedGraphEventIds: ['g1'] }));
    await removeMailboxCopies(ctx.store, a, 'u-alice');

    expect((await getTenantSettings(db, b)).calendarsPerMailbox).toBe(1);
    const [aliceB] = await findPeopleByEmail(db, b, ['alice@contoso.com']);
    expect(aliceB).toMatchObject({ displayName: 'Alice of bravo', leftAt: null });
    expect(await listTrackedPrincipals(db, b)).toHaveLength(1);
    expect(await getMailbox(db, b, 'u-alice')).toMatchObject({
      state: 'pending',
      userPrincipalName: 'u-alice@contoso.com',
      subscriptionId: 'sub-1',
      eventsStored: 2,
    });
    expect(await getCalendar(db, b, 'u-alice', 'calendar-1')).toMatchObject({
      name: 'Calendar',
      deltaLink: null,
    });
    expect((await listResourceIdentities(db, b))[0]?.kind).toBe('room');
    expect(await listPendingNotifications(db, b)).toHaveLength(1);
    expect(await countEvents(db, a)).toBe(0);
    expect(await countEvents(db, b)).toBe(2);
    expect(await listMailboxCopies(db, b, 'u-alice')).toHaveLength(2);
  });
});
