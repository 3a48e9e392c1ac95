import { CompiledQuery, sql } from 'kysely';
import { expect, it, vi } from 'vitest';
import { getCalendar } from './calendars.js';
import { StoreConstraintError, StoreNotFoundError, StoreValidationError } from './errors.js';
import { applyEventPage, purgePrivateEvents, removeMailboxCopies } from './event-page.js';
import {
  countEvents,
  getEventByIcalUid,
  listEventAttendance,
  listMailboxCopies,
} from './events.js';
import { getMailbox } from './mailboxes.js';
import type { StoreDb } from './open-store.js';
import { findPeopleByEmail, upsertPeople } from './people.js';
import type { Sensitivity } from './schema.js';
import { describeStore, eventPage, mailboxCopy, meeting, seedMailbox } from './testing.js';

/** Every row the tenant owns in the sync tables, without write timestamps. */
async function snapshot(db: StoreDb, tenantId: string) {
  const strip = <T extends { updated_at?: unknown }>(rows: T[]) =>
    rows.map(({ updated_at: _ignored, ...rest }) => rest);
  return {
    events: strip(
      await db
        .selectFrom('events')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('event_id')
        .execute(),
    ),
    attendance: await db
      .selectFrom('attendance')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('event_id')
      .orderBy('person_id')
      .execute(),
    copies: await db
      .selectFrom('mailbox_events')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('user_id')
      .orderBy('graph_event_id')
      .execute(),
    people: strip(
      await db
        .selectFrom('people')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('person_id')
        .execute(),
    ),
    calendars: strip(
      await db
        .selectFrom('calendars')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('user_id')
        .execute(),
    ),
    mailboxes: strip(
      await db
        .selectFrom('mailboxes')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('user_id')
        .execute(),
    ),
  };
}

describeStore('applyEventPage', (ctx) => {
  async function tenantWithMailboxes(...userIds: string[]): Promise<string> {
    const tenantId = await ctx.newTenant();
    for (const userId of userIds) await seedMailbox(ctx.store, tenantId, userId);
    return tenantId;
  }

  it('stores the meeting, its people, attendance, the mailbox copy and the cursor together', async () => {
    const tenantId = await tenantWithMailboxes('u-alice');
    const result = await applyEventPage(
      ctx.store,
      tenantId,
      eventPage(
        'u-alice',
        [mailboxCopy('g1', meeting('uid-1'), { isOrganizer: true, response: 'organizer' })],
        {
          cursor: { nextLink: null, deltaLink: 'delta-1', lastRoundAt: 99 },
        },
      ),
    );
    expect(result).toMatchObject({
      eventsCreated: 1,
      eventsUpdated: 0,
      copiesStored: 1,
      copiesRemoved: 0,
    });

    const event = await getEventByIcalUid(ctx.store.db, tenantId, 'uid-1');
    const [alice, jane] = await findPeopleByEmail(ctx.store.db, tenantId, [
      'alice@contoso.com',
      'jane@acme.com',
    ]);
    expect(event).toMatchObject({
      type: 'singleInstance',
      startAt: Date.UTC(2025, 0, 15, 9, 0),
      endAt: Date.UTC(2025, 0, 15, 9, 30),
      isOnline: true,
      organizerPersonId: alice?.personId,
      participantCount: 2,
    });
    expect(result.changedEventIds).toEqual([event?.eventId]);
    expect(alice).toMatchObject({ kind: 'internal', domain: 'contoso.com' });
    expect(jane).toMatchObject({ kind: 'external', domain: 'acme.com' });
    expect(await listEventAttendance(ctx.store.db, tenantId, event?.eventId as number)).toEqual([
      {
        personId: alice?.personId,
        email: 'alice@contoso.com',
        role: 'organizer',
        response: 'organizer',
      },
      { personId: jane?.personId, email: 'jane@acme.com', role: 'required', response: 'accepted' },
    ]);
    expect(await listMailboxCopies(ctx.store.db, tenantId, 'u-alice')).toEqual([
      expect.objectContaining({
        graphEventId: 'g1',
        eventId: event?.eventId,
        isOrganizer: true,
        response: 'organizer',
      }),
    ]);
    expect(await getCalendar(ctx.store.db, tenantId, 'u-alice', 'calendar-1')).toMatchObject({
      deltaLink: 'delta-1',
      nextLink: null,
      lastRoundAt: 99,
    });
    expect((await getMailbox(ctx.store.db, tenantId, 'u-alice'))?.eventsStored).toBe(1);
  });

  it('leaves the store unchanged when the same page is applied twice', async () => {
    const tenantId = await tenantWithMailboxes('u1');
    const page = eventPage('u1', [
      mailboxCopy('g1', meeting('uid-1')),
      mailboxCopy('g2', meeting('uid-2', { startAt: 5, endAt: 10 })),
    ]);
    await applyEventPage(ctx.store, tenantId, page);
    const before = await snapshot(ctx.store.db, tenantId);
    const replay = await applyEventPage(ctx.store, tenantId, page);
    expect(await snapshot(ctx.store.db, tenantId)).toEqual(before);
    expect(replay).toMatchObject({
      eventsCreated: 0,
      eventsUpdated: 0,
      eventsUnchanged: 2,
      changedEventIds: [],
    });
  });

  it('keeps one meeting per iCalUId when several mailboxes hold a copy', async () => {
    const tenantId = await tenantWithMailboxes('u-alice', 'u-bob');
    const shared = meeting('uid-shared', {
      attendees: [
        { email: 'alice@contoso.com', kind: 'internal', role: 'organizer', response: 'organizer' },
        { email: 'bob@contoso.com', kind: 'internal', role: 'required', response: 'accepted' },
        { email: 'jane@acme.com', kind: 'external', role: 'required', response: 'none' },
      ],
    });
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u-alice', [mailboxCopy('alice-item', shared)]),
    );
    const second = await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u-bob', [mailboxCopy('bob-item', shared)]),
    );
    expect(second.eventsCreated).toBe(0);
    expect(await countEvents(ctx.store.db, tenantId)).toBe(1);
    const event = await getEventByIcalUid(ctx.store.db, tenantId, 'uid-shared');
    expect((await listMailboxCopies(ctx.store.db, tenantId, 'u-alice'))[0]?.eventId).toBe(
      event?.eventId,
    );
    expect((await listMailboxCopies(ctx.store.db, tenantId, 'u-bob'))[0]?.eventId).toBe(
      event?.eventId,
    );
    expect(
      await listEventAttendance(ctx.store.db, tenantId, event?.eventId as number),
    ).toHaveLength(3);
  });

  it('keeps a meeting while another mailbox still has a copy and drops it with the last copy', async () => {
    const tenantId = await tenantWithMailboxes('u-alice', 'u-bob');
    const shared = meeting('uid-shared');
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u-alice', [mailboxCopy('alice-item', shared)]),
    );
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u-bob', [mailboxCopy('bob-item', shared)]),
    );
    const eventId = (await getEventByIcalUid(ctx.store.db, tenantId, 'uid-shared'))
      ?.eventId as number;

    const first = await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u-alice', [], { removedGraphEventIds: ['alice-item'] }),
    );
    expect(first).toMatchObject({ copiesRemoved: 1, eventsRemoved: 0 });
    expect(await countEvents(ctx.store.db, tenantId)).toBe(1);
    expect(await listEventAttendance(ctx.store.db, tenantId, eventId)).toHaveLength(2);
    expect((await getMailbox(ctx.store.db, tenantId, 'u-alice'))?.eventsStored).toBe(0);

    const last = await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u-bob', [], { removedGraphEventIds: ['bob-item'] }),
    );
    expect(last).toMatchObject({ copiesRemoved: 1, eventsRemoved: 1, removedEventIds: [eventId] });
    expect(await countEvents(ctx.store.db, tenantId)).toBe(0);
    expect(await listEventAttendance(ctx.store.db, tenantId, eventId)).toEqual([]);
  });

  it('replaces attendance when the attendee list or responses change', async () => {
    const tenantId = await tenantWithMailboxes('u1');
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u1', [mailboxCopy('g1', meeting('uid-1'))]),
    );
    const changed = meeting('uid-1', {
      attendees: [
        { email: 'alice@contoso.com', kind: 'internal', role: 'organizer', response: 'organizer' },
        {
          email: 'bob@acme.com',
          kind: 'external',
          role: 'optional',
          response: 'tentativelyAccepted',
        },
        { email: 'carol@acme.com', kind: 'external', role: 'required', response: 'declined' },
      ],
    });
    const result = await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u1', [mailboxCopy('g1', changed)]),
    );
    const event = await getEventByIcalUid(ctx.store.db, tenantId, 'uid-1');
    expect(result.changedEventIds).toEqual([event?.eventId]);
    expect(result.eventsUpdated).toBe(1);
    expect(event?.participantCount).toBe(3);
    const attendance = await listEventAttendance(ctx.store.db, tenantId, event?.eventId as number);
    expect(attendance.map((a) => [a.email, a.role, a.response])).toEqual([
      ['alice@contoso.com', 'organizer', 'organizer'],
      ['bob@acme.com', 'optional', 'tentativelyAccepted'],
      ['carol@acme.com', 'required', 'declined'],
    ]);
  });

  it('reports an event as changed when only an attendee response changes', async () => {
    const tenantId = await tenantWithMailboxes('u1');
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u1', [mailboxCopy('g1', meeting('uid-1'))]),
    );
    const declined = meeting('uid-1', {
      attendees: [
        { email: 'alice@contoso.com', kind: 'internal', role: 'organizer', response: 'organizer' },
        { email: 'jane@acme.com', kind: 'external', role: 'required', response: 'declined' },
      ],
    });
    const result = await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u1', [mailboxCopy('g1', declined)]),
    );
    expect(result).toMatchObject({ eventsUpdated: 0, eventsUnchanged: 1 });
    expect(result.changedEventIds).toHaveLength(1);
  });

  it('updates event fields such as time and cancellation in place, keeping the event id', async () => {
    const tenantId = await tenantWithMailboxes('u1');
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u1', [mailboxCopy('g1', meeting('uid-1'))]),
    );
    const before = await getEventByIcalUid(ctx.store.db, tenantId, 'uid-1');
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u1', [
        mailboxCopy('g1', meeting('uid-1', { startAt: 1_000, endAt: 2_000, isCancelled: true })),
      ]),
    );
    expect(await getEventByIcalUid(ctx.store.db, tenantId, 'uid-1')).toMatchObject({
      eventId: before?.eventId,
      startAt: 1_000,
      endAt: 2_000,
      isCancelled: true,
      createdAt: before?.createdAt,
    });
  });

  it('leaves nothing behind when a page fails part-way through its writes', async () => {
    const tenantId = await tenantWithMailboxes('u1');
    const before = await snapshot(ctx.store.db, tenantId);
    const copies = Array.from({ length: 2_500 }, (_, index) =>
      mailboxCopy(
        `g${index}`,
        meeting(`uid-${index}`, {
          attendees: [
            {
              email: 'alice@contoso.com',
              kind: 'internal',
              role: 'organizer',
              response: 'organizer',
            },
            {
              email: `guest${index}@acme.com`,
              kind: 'external',
              role: 'required',
              response: 'accepted',
            },
          ],
          // the last event breaks a CHECK after the first statement of events has been written
          ...(index === 2_499 ? { sensitivity: 'secret' as Sensitivity } : {}),
        }),
      ),
    );
    const attempt = applyEventPage(ctx.store, tenantId, eventPage('u1', copies));
    await expect(attempt).rejects.toThrow(StoreConstraintError);
    await expect(attempt).rejects.toMatchObject({ constraint: 'events_sensitivity_value' });
    expect(await snapshot(ctx.store.db, tenantId)).toEqual(before);
    expect(await countEvents(ctx.store.db, tenantId)).toBe(0);
  });

  it('refuses a page for an unknown calendar before writing anything', async () => {
    const tenantId = await tenantWithMailboxes('u1');
    const page = eventPage('u1', [mailboxCopy('g1', meeting('uid-1'))], { calendarId: 'missing' });
    await expect(applyEventPage(ctx.store, tenantId, page)).rejects.toThrow(StoreNotFoundError);
    expect(await countEvents(ctx.store.db, tenantId)).toBe(0);
    expect(await findPeopleByEmail(ctx.store.db, tenantId, ['jane@acme.com'])).toEqual([]);
  });

  it('lets a removal win over an upsert of the same item and ignores removals of unknown items', async () => {
    const tenantId = await tenantWithMailboxes('u1');
    const result = await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u1', [mailboxCopy('g1', meeting('uid-1')), mailboxCopy('g2', meeting('uid-2'))], {
        removedGraphEventIds: ['g2', 'never-seen'],
      }),
    );
    expect(result).toMatchObject({ eventsCreated: 1, copiesStored: 1, copiesRemoved: 0 });
    expect(
      (await listMailboxCopies(ctx.store.db, tenantId, 'u1')).map((c) => c.graphEventId),
    ).toEqual(['g1']);
  });

  it('drops the old meeting when a mailbox item is re-pointed to another iCalUId', async () => {
    const tenantId = await tenantWithMailboxes('u1');
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u1', [mailboxCopy('g1', meeting('uid-old'))]),
    );
    const result = await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u1', [mailboxCopy('g1', meeting('uid-new'))]),
    );
    expect(result.eventsRemoved).toBe(1);
    expect(await getEventByIcalUid(ctx.store.db, tenantId, 'uid-old')).toBeUndefined();
    expect(await countEvents(ctx.store.db, tenantId)).toBe(1);
  });

  it('never overwrites what the directory says about a person it sees on a meeting, but fills a missing name', async () => {
    const tenantId = await tenantWithMailboxes('u1');
    await upsertPeople(ctx.store.db, tenantId, [
      {
        email: 'alice@contoso.com',
        kind: 'internal',
        displayName: 'Alice Directory',
        jobTitle: 'CEO',
      },
      { email: 'jane@acme.com', kind: 'external' },
    ]);
    const sighting = meeting('uid-1', {
      attendees: [
        {
          email: 'ALICE@contoso.com',
          kind: 'external',
          role: 'organizer',
          response: 'organizer',
          displayName: 'alice?',
        },
        {
          email: 'jane@acme.com',
          kind: 'external',
          role: 'required',
          response: null,
          displayName: 'Jane Roe',
        },
      ],
    });
    await applyEventPage(ctx.store, tenantId, eventPage('u1', [mailboxCopy('g1', sighting)]));
    const [alice, jane] = await findPeopleByEmail(ctx.store.db, tenantId, [
      'alice@contoso.com',
      'jane@acme.com',
    ]);
    expect(alice).toMatchObject({
      kind: 'internal',
      displayName: 'Alice Directory',
      jobTitle: 'CEO',
    });
    expect(jane?.displayName).toBe('Jane Roe');
  });

  it('keeps the strongest role for an address listed twice and rejects two organizers', async () => {
    const tenantId = await tenantWithMailboxes('u1');
    const doubled = meeting('uid-1', {
      attendees: [
        { email: 'alice@contoso.com', kind: 'internal', role: 'required', response: 'accepted' },
        { email: 'alice@contoso.com', kind: 'internal', role: 'organizer', response: 'organizer' },
      ],
    });
    await applyEventPage(ctx.store, tenantId, eventPage('u1', [mailboxCopy('g1', doubled)]));
    const event = await getEventByIcalUid(ctx.store.db, tenantId, 'uid-1');
    const attendance = await listEventAttendance(ctx.store.db, tenantId, event?.eventId as number);
    expect(attendance.map((a) => a.role)).toEqual(['organizer']);

    const twoOrganizers = meeting('uid-2', {
      attendees: [
        { email: 'a@contoso.com', kind: 'internal', role: 'organizer', response: 'organizer' },
        { email: 'b@contoso.com', kind: 'internal', role: 'organizer', response: 'organizer' },
      ],
    });
    await expect(
      applyEventPage(ctx.store, tenantId, eventPage('u1', [mailboxCopy('g2', twoOrganizers)])),
    ).rejects.toThrow(StoreValidationError);
  });

  it('stores a page bigger than any single statement allows', async () => {
    const tenantId = await tenantWithMailboxes('u1');
    const copies = Array.from({ length: 3_000 }, (_, index) =>
      mailboxCopy(
        `g${index}`,
        meeting(`uid-${index}`, {
          attendees: Array.from({ length: 8 }, (_, a) => ({
            email: `p${(index * 8 + a) % 4_000}@acme.com`,
            kind: 'external' as const,
            role: a === 0 ? ('organizer' as const) : ('required' as const),
            response: null,
          })),
        }),
      ),
    );
    const result = await applyEventPage(ctx.store, tenantId, eventPage('u1', copies));
    expect(result.eventsCreated).toBe(3_000);
    expect(await countEvents(ctx.store.db, tenantId)).toBe(3_000);
    const attendance = await ctx.store.db
      .selectFrom('attendance')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    expect(Number(attendance.n)).toBe(24_000);
    expect((await getMailbox(ctx.store.db, tenantId, 'u1'))?.eventsStored).toBe(3_000);
  });

  it('stores each shared meeting once when two workers apply overlapping pages at the same time', async () => {
    const tenantId = await tenantWithMailboxes('u-alice', 'u-bob');
    const worker = ctx.dialect === 'postgres' ? await ctx.openSibling() : ctx.store;
    const shared = Array.from({ length: 300 }, (_, index) =>
      meeting(`uid-${index}`, {
        attendees: [
          {
            email: 'alice@contoso.com',
            kind: 'internal',
            role: 'organizer',
            response: 'organizer',
          },
          { email: 'bob@contoso.com', kind: 'internal', role: 'required', response: 'accepted' },
          {
            email: `guest${index}@acme.com`,
            kind: 'external',
            role: 'required',
            response: 'accepted',
          },
        ],
      }),
    );
    // the second worker lists each page's meetings in reverse, the way lock-order deadlocks arise
    const pagesFor = (userId: string, reverse: boolean) =>
      [0, 100, 200].map((start) => {
        const copies = shared
          .slice(start, start + 100)
          .map((event, i) => mailboxCopy(`${userId}-${start + i}`, event));
        return eventPage(userId, reverse ? copies.reverse() : copies);
      });
    const run = async (store: typeof ctx.store, userId: string, reverse: boolean) => {
      for (const page of pagesFor(userId, reverse)) await applyEventPage(store, tenantId, page);
    };
    await Promise.all([run(ctx.store, 'u-alice', false), run(worker, 'u-bob', true)]);
    expect(await countEvents(ctx.store.db, tenantId)).toBe(300);
    const people = await ctx.store.db
      .selectFrom('people')
      .select('email')
      .where('tenant_id', '=', tenantId)
      .execute();
    expect(people).toHaveLength(302);
    expect((await listMailboxCopies(ctx.store.db, tenantId, 'u-bob')).length).toBe(300);
  });
});

describeStore('applyEventPage attendance digest', (ctx) => {
  const attendees = [
    { email: 'alice@contoso.com', kind: 'internal', role: 'organizer', response: 'organizer' },
    { email: 'jane@acme.com', kind: 'external', role: 'required', response: 'accepted' },
  ] as const;

  async function storedOnce(): Promise<{ tenantId: string; eventId: number }> {
    const tenantId = await ctx.newTenant();
    await seedMailbox(ctx.store, tenantId, 'u-alice');
    await seedMailbox(ctx.store, tenantId, 'u-jane');
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u-alice', [mailboxCopy('alice-item', meeting('uid-1', { attendees }))]),
    );
    const event = await getEventByIcalUid(ctx.store.db, tenantId, 'uid-1');
    return { tenantId, eventId: event?.eventId as number };
  }

  const dropJane = (tenantId: string, eventId: number) =>
    ctx.store.db
      .deleteFrom('attendance')
      .where('tenant_id', '=', tenantId)
      .where('event_id', '=', eventId)
      .where('role', '=', 'required')
      .execute();

  it("trusts a matching digest: another mailbox's identical copy does not read the attendance back", async () => {
    const { tenantId, eventId } = await storedOnce();
    // only the sync writes attendance, always with its digest; this edit behind its back proves
    // that an identical copy is taken as already stored
    await dropJane(tenantId, eventId);
    const second = await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u-jane', [mailboxCopy('jane-item', meeting('uid-1', { attendees }))]),
    );
    expect(second).toMatchObject({ eventsUnchanged: 1, changedEventIds: [] });
    expect(await listEventAttendance(ctx.store.db, tenantId, eventId)).toHaveLength(1);
  });

  it('compares attendance in full for a meeting stored without a digest, and writes the digest without calling it updated', async () => {
    const { tenantId, eventId } = await storedOnce();
    await dropJane(tenantId, eventId);
    const digest = () =>
      ctx.store.db
        .selectFrom('events')
        .select('attendance_key')
        .where('tenant_id', '=', tenantId)
        .where('event_id', '=', eventId)
        .executeTakeFirstOrThrow();
    const written = (await digest()).attendance_key;
    expect(written).toMatch(/^[\w-]{22}$/);
    // as a meeting stored before digests existed
    await ctx.store.db
      .updateTable('events')
      .set({ attendance_key: null })
      .where('tenant_id', '=', tenantId)
      .execute();
    const again = await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u-jane', [mailboxCopy('jane-item', meeting('uid-1', { attendees }))]),
    );
    expect(again).toMatchObject({
      eventsUpdated: 0,
      eventsUnchanged: 1,
      changedEventIds: [eventId],
    });
    const attendance = await listEventAttendance(ctx.store.db, tenantId, eventId);
    expect(attendance.map((a) => [a.email, a.role, a.response])).toEqual([
      ['alice@contoso.com', 'organizer', 'organizer'],
      ['jane@acme.com', 'required', 'accepted'],
    ]);
    expect((await digest()).attendance_key).toBe(written);
  });
});

describeStore('applyEventPage, pages arriving together', (ctx) => {
  it('writes pages that wait for the writer together, each as if alone, and fails only the bad one', async () => {
    const tenantId = await ctx.newTenant();
    const users = ['u1', 'u2', 'u3', 'u4'];
    for (const userId of users) await seedMailbox(ctx.store, tenantId, userId);
    const pageOf = (userId: string, calendarId?: string) =>
      eventPage(
        userId,
        [0, 1, 2].map((index) =>
          mailboxCopy(`${userId}-g${index}`, meeting(`uid-${index}`, { startAt: index * 10 })),
        ),
        calendarId === undefined ? {} : { calendarId },
      );
    const sequential = await ctx.newTenant();
    for (const userId of users) await seedMailbox(ctx.store, sequential, userId);
    for (const userId of users) await applyEventPage(ctx.store, sequential, pageOf(userId));

    const outcomes = await Promise.allSettled([
      ...users.map((userId) => applyEventPage(ctx.store, tenantId, pageOf(userId))),
      applyEventPage(ctx.store, tenantId, pageOf('u2', 'missing')),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    expect((outcomes[4] as PromiseRejectedResult).reason).toBeInstanceOf(StoreNotFoundError);
    // whichever page commits first creates the meetings (on PostgreSQL any of them may)
    expect(
      outcomes
        .slice(0, 4)
        .map((outcome) => (outcome as PromiseFulfilledResult<{ eventsCreated: number }>).value)
        .sort((a, b) => b.eventsCreated - a.eventsCreated),
    ).toMatchObject([
      { eventsCreated: 3, copiesStored: 3 },
      { eventsCreated: 0, eventsUnchanged: 3 },
      { eventsCreated: 0, eventsUnchanged: 3 },
      { eventsCreated: 0, eventsUnchanged: 3 },
    ]);
    const withoutTenant = async (id: string) => {
      const { events, attendance, copies, mailboxes, people } = await snapshot(ctx.store.db, id);
      // ids are surrogates: PostgreSQL hands them out in whatever order concurrent (and failed)
      // pages reach it, so rows are compared by iCalUId and address
      const uid = new Map(events.map((event) => [event.event_id, event.ical_uid]));
      const email = new Map(people.map((person) => [person.person_id, person.email]));
      const strip = <T extends { tenant_id: string; synced_at?: number; created_at?: number }>(
        rows: T[],
      ) => rows.map(({ tenant_id: _t, synced_at: _s, created_at: _c, ...rest }) => rest);
      const byJson = <T>(rows: T[]) =>
        rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      return {
        events: byJson(
          strip(events).map((event) => ({
            ...event,
            event_id: uid.get(event.event_id),
            // a digest of the attendance by person id: the attendance itself is compared below
            attendance_key: event.attendance_key === null ? null : 'digest',
            organizer_person_id:
              event.organizer_person_id === null ? null : email.get(event.organizer_person_id),
          })),
        ),
        attendance: byJson(
          strip(attendance).map((row) => ({
            ...row,
            event_id: uid.get(row.event_id),
            person_id: email.get(row.person_id),
          })),
        ),
        copies: byJson(
          strip(copies).map((copy) => ({ ...copy, event_id: uid.get(copy.event_id) })),
        ),
        counts: mailboxes.map((mailbox) => mailbox.events_stored),
      };
    };
    expect(await withoutTenant(tenantId)).toEqual(await withoutTenant(sequential));

    // SQLite: the first page is written alone, the three that waited for it in one transaction
    const transactions = vi.spyOn(ctx.store.db, 'transaction');
    const later = (userId: string) =>
      eventPage(userId, [mailboxCopy(`${userId}-later`, meeting('uid-later'))]);
    await Promise.all(users.map((userId) => applyEventPage(ctx.store, tenantId, later(userId))));
    expect(transactions).toHaveBeenCalledTimes(ctx.dialect === 'sqlite' ? 2 : 4);
    transactions.mockRestore();
    for (const userId of users) {
      expect(await listMailboxCopies(ctx.store.db, tenantId, userId)).toHaveLength(4);
    }
  });
});

describeStore('removeMailboxCopies', (ctx) => {
  it('sweeps copies a full round did not see and drops meetings no other mailbox holds', async () => {
    const tenantId = await ctx.newTenant();
    await seedMailbox(ctx.store, tenantId, 'u-alice');
    await seedMailbox(ctx.store, tenantId, 'u-bob');
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage(
        'u-alice',
        [mailboxCopy('a1', meeting('uid-gone')), mailboxCopy('a2', meeting('uid-shared'))],
        {
          receivedAt: 100,
        },
      ),
    );
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u-bob', [mailboxCopy('b2', meeting('uid-shared'))]),
    );
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u-alice', [mailboxCopy('a3', meeting('uid-fresh'))], { receivedAt: 200 }),
    );

    const swept = await removeMailboxCopies(ctx.store, tenantId, 'u-alice', { syncedBefore: 200 });
    expect(swept).toMatchObject({ copiesRemoved: 2, eventsRemoved: 1 });
    expect(await getEventByIcalUid(ctx.store.db, tenantId, 'uid-gone')).toBeUndefined();
    expect(await getEventByIcalUid(ctx.store.db, tenantId, 'uid-shared')).toBeDefined();
    expect(
      (await listMailboxCopies(ctx.store.db, tenantId, 'u-alice')).map((c) => c.graphEventId),
    ).toEqual(['a3']);
    expect((await getMailbox(ctx.store.db, tenantId, 'u-alice'))?.eventsStored).toBe(1);
  });

  it('removes every copy of a mailbox that leaves the tracked set', async () => {
    const tenantId = await ctx.newTenant();
    await seedMailbox(ctx.store, tenantId, 'u1');
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u1', [mailboxCopy('g1', meeting('uid-1'))]),
    );
    expect(await removeMailboxCopies(ctx.store, tenantId, 'u1')).toMatchObject({
      copiesRemoved: 1,
      eventsRemoved: 1,
    });
    expect(await countEvents(ctx.store.db, tenantId)).toBe(0);
  });
});

describeStore('purgePrivateEvents', (ctx) => {
  it('removes private meetings with every copy and all attendance, and recounts the mailboxes', async () => {
    const tenantId = await ctx.newTenant();
    await seedMailbox(ctx.store, tenantId, 'u-alice');
    await seedMailbox(ctx.store, tenantId, 'u-bob');
    const dentist = meeting('uid-dentist', { isPrivate: true, sensitivity: 'private' });
    const board = meeting('uid-board', { isPrivate: true, sensitivity: 'confidential' });
    const standup = meeting('uid-standup');
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u-alice', [
        mailboxCopy('a-dentist', dentist),
        mailboxCopy('a-board', board),
        mailboxCopy('a-standup', standup),
      ]),
    );
    await applyEventPage(
      ctx.store,
      tenantId,
      eventPage('u-bob', [mailboxCopy('b-board', board), mailboxCopy('b-standup', standup)]),
    );
    const privateIds = [
      (await getEventByIcalUid(ctx.store.db, tenantId, 'uid-dentist'))?.eventId,
      (await getEventByIcalUid(ctx.store.db, tenantId, 'uid-board'))?.eventId,
    ].sort((a, b) => (a as number) - (b as number));

    expect(await purgePrivateEvents(ctx.store, tenantId)).toEqual({
      eventsRemoved: 2,
      copiesRemoved: 3,
      removedEventIds: privateIds,
    });
    expect((await snapshot(ctx.store.db, tenantId)).events.map((e) => e.ical_uid)).toEqual([
      'uid-standup',
    ]);
    for (const eventId of privateIds) {
      expect(await listEventAttendance(ctx.store.db, tenantId, eventId as number)).toEqual([]);
    }
    expect(
      (await listMailboxCopies(ctx.store.db, tenantId, 'u-alice')).map((c) => c.graphEventId),
    ).toEqual(['a-standup']);
    expect((await getMailbox(ctx.store.db, tenantId, 'u-alice'))?.eventsStored).toBe(1);
    expect((await getMailbox(ctx.store.db, tenantId, 'u-bob'))?.eventsStored).toBe(1);

    expect(await purgePrivateEvents(ctx.store, tenantId)).toEqual({
      eventsRemoved: 0,
      copiesRemoved: 0,
      removedEventIds: [],
    });
  });

  it('leaves other tenants alone', async () => {
    const mine = await ctx.newTenant();
    const theirs = await ctx.newTenant();
    for (const tenantId of [mine, theirs]) {
      await seedMailbox(ctx.store, tenantId, 'u1');
      await applyEventPage(
        ctx.store,
        tenantId,
        eventPage('u1', [mailboxCopy('g1', meeting('uid-1', { isPrivate: true }))]),
      );
    }
    await purgePrivateEvents(ctx.store, mine);
    expect(await countEvents(ctx.store.db, mine)).toBe(0);
    expect(await countEvents(ctx.store.db, theirs)).toBe(1);
  });

  it("finds the private meetings through the partial index, not the tenant's every meeting", async () => {
    const tenantId = await ctx.newTenant();
    const query = ctx.store.db
      .selectFrom('events')
      .select('event_id')
      .where('tenant_id', '=', tenantId)
      .where('is_private', '=', sql.lit(1))
      .compile();
    const explain = ctx.dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
    const { rows } = await ctx.store.db.executeQuery(
      CompiledQuery.raw(`${explain}${query.sql}`, [...query.parameters]),
    );
    expect(rows.map((row) => Object.values(row as object).join(' ')).join('\n')).toMatch(
      /events_private_idx/,
    );
  });
});
