import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GraphEvent, TenantFile } from '../graph-types.js';
import { createTenantEngine } from './index.js';
import {
  attendee,
  group,
  listAll,
  meeting,
  organizer,
  pacific,
  person,
  startsUtc,
  tenant,
} from './test-support.js';

const NOW = () => new Date('2026-08-01T00:00:00Z');

const people = [
  person('ann'),
  person('bob'),
  person('cat', { mail: null }),
  person('dan', { accountEnabled: false }),
  // UPN differs from mail, as after a rename
  person('eve', { userPrincipalName: 'eve.old@contoso.com', mail: 'eve@contoso.com' }),
  person('rainier', { displayName: 'Conf Room Rainier' }),
];

function load(events: TenantFile['events'], extra: Partial<TenantFile> = {}) {
  return createTenantEngine(
    tenant({
      users: people,
      groups: [
        group('team', ['id-ann', 'id-bob'], {
          mail: 'team@contoso.com',
          mailEnabled: true,
          groupTypes: ['Unified'],
        }),
      ],
      mailboxSettings: { 'id-rainier': { userPurpose: { value: 'room' } } },
      events,
      ...extra,
    }),
    { now: NOW },
  );
}

function only(events: GraphEvent[]): GraphEvent {
  expect(events).toHaveLength(1);
  return events[0]!;
}

const weekly = (extra: Partial<GraphEvent> = {}): GraphEvent => ({
  id: 'weekly',
  subject: 'Weekly',
  start: pacific('2026-10-06T09:00:00.0000000'),
  end: pacific('2026-10-06T09:30:00.0000000'),
  organizer: organizer('ann@contoso.com'),
  attendees: [attendee('bob@contoso.com', 'accepted'), attendee('kim@fabrikam.com', 'accepted')],
  recurrence: {
    pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'] },
    range: { type: 'numbered', startDate: '2026-10-06', numberOfOccurrences: 6 },
  },
  ...extra,
});

describe('mailbox copies', () => {
  it('puts one copy in the organizer’s and each internal attendee’s calendar, each with its own id and response', () => {
    const engine = load({
      'id-ann': [
        meeting('m1', 'ann@contoso.com', '2026-09-10T15:00:00', [
          attendee('bob@contoso.com', 'accepted'),
          attendee('dan@contoso.com', 'tentativelyAccepted'),
          attendee('kim@fabrikam.com', 'accepted'),
        ]),
      ],
    });
    const ann = only(listAll(engine, 'id-ann'));
    const bob = only(listAll(engine, 'id-bob'));
    const dan = only(listAll(engine, 'id-dan'));
    expect(new Set([ann.id, bob.id, dan.id]).size).toBe(3);
    expect(new Set([ann.iCalUId, bob.iCalUId, dan.iCalUId]).size).toBe(1);
    expect([ann.isOrganizer, bob.isOrganizer, dan.isOrganizer]).toEqual([true, false, false]);
    expect(ann.responseStatus?.response).toBe('organizer');
    expect(bob.responseStatus).toEqual({ response: 'accepted', time: '2026-08-01T10:00:00Z' });
    expect(dan.responseStatus?.response).toBe('tentativelyAccepted');
    expect(bob.subject).toBe('Subject of m1');
    expect(bob.attendees).toEqual(ann.attendees);
  });

  it('matches attendee addresses against mail and userPrincipalName, ignoring case', () => {
    const engine = load({
      'id-ann': [
        meeting('m1', 'ann@contoso.com', '2026-09-10T15:00:00', [
          attendee('BOB@Contoso.com'),
          attendee('eve.old@contoso.com'),
        ]),
      ],
    });
    expect(listAll(engine, 'id-bob')).toHaveLength(1);
    expect(listAll(engine, 'id-eve')).toHaveLength(1);
  });

  it('gives no copy to users without a mailbox, whose calendar calls fail with MailboxNotEnabledForRESTAPI', () => {
    const engine = load({
      'id-ann': [
        meeting('m1', 'ann@contoso.com', '2026-09-10T15:00:00', [attendee('cat@contoso.com')]),
      ],
    });
    expect(engine.hasMailbox('id-cat')).toBe(false);
    expect(engine.mailboxSettings('id-cat')).toBeUndefined();
    expect(() => listAll(engine, 'id-cat')).toThrow(
      expect.objectContaining({ code: 'MailboxNotEnabledForRESTAPI' }) as Error,
    );
    expect(listAll(engine, 'id-ann')).toHaveLength(1);
  });

  it('gives a room attendee an accepted copy (auto-accept) and a group address none', () => {
    const engine = load({
      'id-ann': [
        meeting('m1', 'ann@contoso.com', '2026-09-10T15:00:00', [
          attendee('rainier@contoso.com', 'none', 'resource'),
          attendee('team@contoso.com'),
        ]),
      ],
    });
    const room = only(listAll(engine, 'id-rainier'));
    expect(room.responseStatus?.response).toBe('accepted');
    // Exchange's room defaults replace the subject with the organizer and drop the body
    expect(room.subject).toBe('Ann');
    expect(room.body?.content).toBe('');
    const organizerView = only(listAll(engine, 'id-ann'));
    expect(
      organizerView.attendees?.find((a) => a.emailAddress.address === 'rainier@contoso.com')?.status
        .response,
    ).toBe('accepted');
    // the group's members are not invited individually
    expect(listAll(engine, 'id-bob')).toHaveLength(0);
  });

  it('with an external organizer, copies only internal attendees, none as organizer', () => {
    const engine = load({
      'id-bob': [
        meeting('m1', 'pat@northwind.com', '2026-09-10T15:00:00', [
          attendee('bob@contoso.com', 'declined'),
          attendee('dan@contoso.com', 'accepted'),
          attendee('sam@northwind.com', 'accepted'),
        ]),
      ],
    });
    const bob = only(listAll(engine, 'id-bob'));
    const dan = only(listAll(engine, 'id-dan'));
    expect([bob.isOrganizer, dan.isOrganizer]).toEqual([false, false]);
    expect(bob.responseStatus?.response).toBe('declined');
    expect(bob.organizer?.emailAddress.address).toBe('pat@northwind.com');
    expect(listAll(engine, 'id-ann')).toHaveLength(0);
  });

  it('files a meeting keyed "userId/calendarId" in that calendar for that user, in the primary for others', () => {
    const engine = load(
      {
        'id-ann/cal-side': [
          meeting('m1', 'ann@contoso.com', '2026-09-10T15:00:00', [attendee('bob@contoso.com')]),
        ],
      },
      {
        calendars: {
          'id-ann': [
            { id: 'cal-main', name: 'Calendar', isDefaultCalendar: true },
            { id: 'cal-side', name: 'Side' },
          ],
        },
      },
    );
    expect(listAll(engine, 'id-ann')).toHaveLength(0);
    expect(listAll(engine, 'id-ann', undefined, 'cal-side')).toHaveLength(1);
    expect(listAll(engine, 'id-bob')).toHaveLength(1);
    expect(engine.listCalendars('id-ann').map((c) => [c.name, c.isDefaultCalendar])).toEqual([
      ['Calendar', true],
      ['Side', false],
    ]);
  });

  it('gives every mailbox without calendars in the file one primary calendar named Calendar', () => {
    const engine = load({});
    const [calendar] = engine.listCalendars('id-bob');
    expect(calendar).toMatchObject({
      name: 'Calendar',
      isDefaultCalendar: true,
      owner: { address: 'bob@contoso.com' },
    });
    expect(calendar!.id).toMatch(/^AAMkA/);
    expect(engine.listCalendars('id-bob')).toHaveLength(1);
    expect(engine.mailboxSettings('id-bob')).toEqual({
      timeZone: 'UTC',
      userPurpose: { value: 'user' },
    });
  });

  it('gives the same ids for the same file, Graph-looking and case-sensitive', () => {
    const file = {
      'id-ann': [
        meeting('m1', 'ann@contoso.com', '2026-09-10T15:00:00', [attendee('bob@contoso.com')]),
      ],
    };
    const first = listAll(load(file), 'id-bob');
    const second = listAll(load(file), 'id-bob');
    expect(second.map((e) => e.id)).toEqual(first.map((e) => e.id));
    expect(first[0]!.id).toMatch(/^AAMkA[A-Za-z0-9_-]+=*$/);
  });
});

describe('series', () => {
  it('gives each occurrence its own iCalUId, the same in every copy of that occurrence', () => {
    const engine = load({ 'id-ann': [weekly()] });
    const ann = listAll(engine, 'id-ann');
    const bob = listAll(engine, 'id-bob');
    expect(ann).toHaveLength(6);
    expect(new Set(ann.map((e) => e.iCalUId)).size).toBe(6);
    const byStart = (events: GraphEvent[]) =>
      new Map(events.map((e) => [e.start.dateTime, e.iCalUId]));
    expect(byStart(bob)).toEqual(byStart(ann));
  });

  it('keeps a weekly 9:00 Pacific meeting at 9:00 local across the November DST change', () => {
    const engine = load({ 'id-ann': [weekly()] });
    expect(startsUtc(listAll(engine, 'id-ann'))).toEqual([
      '2026-10-06T16:00:00.0000000',
      '2026-10-13T16:00:00.0000000',
      '2026-10-20T16:00:00.0000000',
      '2026-10-27T16:00:00.0000000',
      '2026-11-03T17:00:00.0000000',
      '2026-11-10T17:00:00.0000000',
    ]);
  });

  it('expands in recurrenceTimeZone when it differs from the start’s zone', () => {
    const engine = load({
      'id-ann': [
        weekly({
          start: { dateTime: '2026-10-06T07:00:00.0000000', timeZone: 'UTC' },
          end: { dateTime: '2026-10-06T08:00:00.0000000', timeZone: 'UTC' },
          recurrence: {
            pattern: { type: 'daily', interval: 7 },
            range: {
              type: 'numbered',
              startDate: '2026-10-20',
              numberOfOccurrences: 2,
              recurrenceTimeZone: 'Europe/Berlin',
            },
          },
        }),
      ],
    });
    // 09:00 Berlin summer time, then 09:00 Berlin winter time (DST ends 25 October)
    expect(startsUtc(listAll(engine, 'id-ann'))).toEqual([
      '2026-10-20T07:00:00.0000000',
      '2026-10-27T08:00:00.0000000',
    ]);
  });

  it('serves occurrences (type, seriesMasterId, no recurrence) and never the master in calendarView', () => {
    const engine = load({ 'id-ann': [weekly()] });
    const occurrences = listAll(engine, 'id-bob');
    expect(occurrences.every((e) => e.type === 'occurrence' && e.recurrence === null)).toBe(true);
    const masterId = occurrences[0]!.seriesMasterId!;
    expect(occurrences.every((e) => e.seriesMasterId === masterId)).toBe(true);
    const master = engine.getEvent('id-bob', masterId)!;
    expect(master.type).toBe('seriesMaster');
    expect(master.recurrence?.pattern).toMatchObject({ type: 'weekly', daysOfWeek: ['tuesday'] });
    expect(master.recurrence?.range).toMatchObject({
      type: 'numbered',
      numberOfOccurrences: 6,
      recurrenceTimeZone: 'Pacific Standard Time',
    });
    expect(occurrences.map((e) => e.id)).not.toContain(masterId);
    expect(engine.getEvent('id-bob', occurrences[2]!.id)?.id).toBe(occurrences[2]!.id);
  });

  it('removes a cancelled occurrence from the organizer’s calendar and marks it cancelled in attendees’', () => {
    const engine = load({ 'id-ann': [weekly({ cancelledOccurrences: ['2026-10-13'] })] });
    expect(startsUtc(listAll(engine, 'id-ann'))).not.toContain('2026-10-13T16:00:00.0000000');
    expect(listAll(engine, 'id-ann')).toHaveLength(5);
    const bob = listAll(engine, 'id-bob');
    expect(bob).toHaveLength(6);
    const cancelled = bob.filter((e) => e.isCancelled);
    expect(cancelled.map((e) => e.start.dateTime)).toEqual(['2026-10-13T16:00:00.0000000']);
    expect(cancelled[0]!.subject).toBe('Canceled: Weekly');
  });

  it('applies an exception’s changed fields to that occurrence only, as type exception', () => {
    const engine = load({
      'id-ann': [
        weekly({
          exceptionOccurrences: [
            {
              originalStartDate: '2026-10-20',
              subject: 'Weekly (moved)',
              start: pacific('2026-10-21T14:00:00.0000000'),
              end: pacific('2026-10-21T15:00:00.0000000'),
            },
          ],
        }),
      ],
    });
    for (const user of ['id-ann', 'id-bob']) {
      const events = listAll(engine, user);
      const exceptions = events.filter((e) => e.type === 'exception');
      expect(exceptions).toHaveLength(1);
      expect(exceptions[0]).toMatchObject({
        subject: 'Weekly (moved)',
        start: { dateTime: '2026-10-21T21:00:00.0000000' },
        end: { dateTime: '2026-10-21T22:00:00.0000000' },
        seriesMasterId: events[0]!.seriesMasterId,
      });
      expect(events.filter((e) => e.subject === 'Weekly')).toHaveLength(5);
    }
  });

  it('rejects a cancelled or exception date that is not an occurrence, naming the item', () => {
    expect(() => load({ 'id-ann': [weekly({ cancelledOccurrences: ['2026-10-14'] })] })).toThrow(
      'events["id-ann"][0] (id "weekly").cancelledOccurrences[0]: 2026-10-14 is not an occurrence of the series',
    );
  });

  it('bounds a noEnd series two years past now', () => {
    const engine = load({
      'id-ann': [
        weekly({
          recurrence: {
            pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 6 },
            range: { type: 'noEnd', startDate: '2026-10-06' },
          },
        }),
      ],
    });
    const all = listAll(engine, 'id-ann', {
      start: new Date('2026-01-01'),
      end: new Date('2035-01-01'),
    });
    expect(all.length).toBeGreaterThanOrEqual(24);
    expect(all.length).toBeLessThanOrEqual(25);
  });
});

describe('single events', () => {
  it('keeps an all-day event at midnight dates with isAllDay, overlapping its local day', () => {
    const engine = load({
      'id-ann': [
        {
          id: 'offsite',
          subject: 'Offsite',
          isAllDay: true,
          start: pacific('2026-10-15T00:00:00.0000000'),
          end: pacific('2026-10-17T00:00:00.0000000'),
        },
      ],
    });
    const event = only(listAll(engine, 'id-ann'));
    expect(event).toMatchObject({
      isAllDay: true,
      start: { dateTime: '2026-10-15T00:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-10-17T00:00:00.0000000', timeZone: 'UTC' },
      organizer: { emailAddress: { address: 'ann@contoso.com' } },
    });
    // the day runs midnight to midnight Pacific: 07:00 UTC on the 15th to 07:00 UTC on the 17th
    const window = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });
    expect(
      listAll(engine, 'id-ann', window('2026-10-17T06:00:00Z', '2026-10-18T00:00:00Z')),
    ).toHaveLength(1);
    expect(
      listAll(engine, 'id-ann', window('2026-10-17T07:00:00Z', '2026-10-18T00:00:00Z')),
    ).toHaveLength(0);
  });

  it('serves a private appointment with its sensitivity, subject and body', () => {
    const engine = load({
      'id-dan': [
        meeting('dentist', 'dan@contoso.com', '2026-09-24T08:30:00', [], {
          sensitivity: 'private',
          body: { contentType: 'text', content: 'Bring the card' },
        }),
      ],
    });
    expect(only(listAll(engine, 'id-dan'))).toMatchObject({
      sensitivity: 'private',
      subject: 'Subject of dentist',
      bodyPreview: 'Bring the card',
      isOrganizer: true,
    });
  });

  it('leaves a meeting cancelled in the file out of the organizer’s calendar and cancelled in attendees’', () => {
    const engine = load({
      'id-ann': [
        meeting(
          'm1',
          'ann@contoso.com',
          '2026-09-10T15:00:00',
          [attendee('bob@contoso.com', 'accepted')],
          {
            isCancelled: true,
          },
        ),
      ],
    });
    expect(listAll(engine, 'id-ann')).toHaveLength(0);
    expect(only(listAll(engine, 'id-bob'))).toMatchObject({
      isCancelled: true,
      subject: 'Canceled: Subject of m1',
    });
  });

  it('serves the calendarView shape: every field, UTC times with 7 fractional digits', () => {
    const engine = load({
      'id-ann': [
        meeting('m1', 'ann@contoso.com', '2026-09-10T15:00:00', [attendee('bob@contoso.com')]),
      ],
    });
    const event = only(listAll(engine, 'id-bob'));
    for (const key of [
      '@odata.etag',
      'id',
      'createdDateTime',
      'lastModifiedDateTime',
      'changeKey',
      'categories',
      'originalStartTimeZone',
      'originalEndTimeZone',
      'iCalUId',
      'subject',
      'bodyPreview',
      'body',
      'importance',
      'sensitivity',
      'isAllDay',
      'isCancelled',
      'isOrganizer',
      'responseRequested',
      'seriesMasterId',
      'showAs',
      'type',
      'webLink',
      'isOnlineMeeting',
      'onlineMeetingProvider',
      'onlineMeeting',
      'isDraft',
      'responseStatus',
      'start',
      'end',
      'location',
      'locations',
      'recurrence',
      'attendees',
      'organizer',
    ]) {
      expect(event, key).toHaveProperty([key]);
    }
    expect(event.start).toEqual({ dateTime: '2026-09-10T15:00:00.0000000', timeZone: 'UTC' });
    expect(event['@odata.etag']).toBe(`W/"${event.changeKey}"`);
    expect(event.type).toBe('singleInstance');
    expect(event.seriesMasterId).toBeNull();
    expect(event.attendees?.[0]).toEqual({
      type: 'required',
      status: { response: 'none', time: '0001-01-01T00:00:00Z' },
      emailAddress: { name: 'Bob', address: 'bob@contoso.com' },
    });
  });
});

describe('the small fixture', () => {
  const file = JSON.parse(
    readFileSync(new URL('../../fixtures/small-tenant.json', import.meta.url), 'utf8'),
  ) as TenantFile;
  const engine = createTenantEngine(file, { now: NOW });
  const adele = 'a1d3c6b2-7e4f-4c1a-8b2d-3f5e6a7b8c01';

  it('loads, with the weekly 1:1 minus its cancelled occurrence in the organizer’s calendar', () => {
    const weekly = listAll(engine, adele).filter((e) => e.subject?.startsWith('Adele / Kim'));
    expect(weekly).toHaveLength(12);
    expect(startsUtc(weekly)).not.toContain('2026-09-22T16:00:00.0000000');
    expect(weekly.find((e) => e.type === 'exception')?.start.dateTime).toBe(
      '2026-10-06T18:00:00.0000000',
    );
  });

  it('counts each mailbox in stats', () => {
    const stats = engine.stats({ start: new Date('2026-01-01'), end: new Date('2027-01-01') });
    expect(stats.map((s) => [s.userPrincipalName, s.events, s.occurrences, s.cancelled])).toEqual([
      ['adele.vance@contoso.com', 13, 12, 0],
      ['alex.wilber@contoso.com', 3, 0, 1],
      ['megan.bowen@contoso-labs.io', 3, 0, 0],
      ['diego.siciliani@contoso.com', 1, 0, 0],
      ['rainier@contoso.com', 1, 0, 0],
    ]);
  });
});
