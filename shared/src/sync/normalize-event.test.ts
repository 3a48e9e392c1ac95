import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AttendeeInput, MailboxCopyInput } from '../store/index.js';
import { internalDomainsOf } from './mail-domains.js';
import {
  GRAPH_EVENT_MEMBERS_READ,
  isRemovedItem,
  normalizeEvent,
  NormalizeContextError,
  seriesKeyOf,
  type NormalizeEventContext,
  type NormalizeEventResult,
} from './normalize-event.js';
import { buildResourceDirectory } from './resource-directory.js';

const { samples } = JSON.parse(
  readFileSync(new URL('./normalize-graph-samples.json', import.meta.url), 'utf8'),
) as { samples: Record<string, unknown> };

function sample(name: string): Record<string, unknown> {
  const found = samples[name];
  if (found === undefined) throw new Error(`no Graph sample named ${name}`);
  return found as Record<string, unknown>;
}

function sampleEvents(name: string): Record<string, unknown>[] {
  const found = sample(name);
  return 'value' in found ? (found.value as Record<string, unknown>[]) : [found];
}

const OWNER = 'alice@contoso.com';
// Exchange GlobalObjectIds: the series, and its occurrence of 9 March 2026 (07EA 03 09)
const SERIES_UID =
  '040000008200E00074C5B7101A82E00800000000D3D70B8A6A17D70100000000000000001000000074665914A06C3F49BB4B7D7EEE4304DA';
const OCCURRENCE_UID =
  '040000008200E00074C5B7101A82E00807EA0309D3D70B8A6A17D70100000000000000001000000074665914A06C3F49BB4B7D7EEE4304DA';

interface ContextOverrides {
  mailbox?: NormalizeEventContext['mailbox'];
  internalDomains?: readonly string[];
  resources?: NormalizeEventContext['resources'];
  settings?: Partial<NormalizeEventContext['settings']>;
}

function context(overrides: ContextOverrides = {}): NormalizeEventContext {
  return {
    mailbox: overrides.mailbox ?? { email: OWNER },
    internalDomains: overrides.internalDomains ?? internalDomainsOf(['contoso.com'], []),
    resources: overrides.resources ?? buildResourceDirectory({}),
    settings: {
      syncPrivateAppointments: false,
      onlyOnlineMeetings: false,
      excludedDomains: [],
      excludedAddresses: [],
      ...overrides.settings,
    },
  };
}

function person(address: string, type = 'required', response = 'none', name?: string) {
  return {
    type,
    status: { response, time: '0001-01-01T00:00:00Z' },
    emailAddress: { name: name ?? address.split('@')[0], address },
  };
}

/** A Teams meeting Alice organised with Bob and Jane (acme.com), as Alice's calendar holds it. */
function graphEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.event',
    id: 'AAMkAlice001=',
    iCalUId: SERIES_UID,
    changeKey: 'ck-1',
    lastModifiedDateTime: '2026-03-01T08:00:00.1234567Z',
    type: 'singleInstance',
    seriesMasterId: null,
    subject: 'Quarterly pricing review',
    bodyPreview: 'Bring the margin numbers',
    body: { contentType: 'html', content: '<p>Bring the margin numbers</p>' },
    location: { displayName: 'Oslo meeting room' },
    locations: [{ displayName: 'Oslo meeting room' }],
    start: { dateTime: '2026-03-09T09:00:00.0000000', timeZone: 'UTC' },
    end: { dateTime: '2026-03-09T09:30:00.0000000', timeZone: 'UTC' },
    originalStartTimeZone: 'W. Europe Standard Time',
    originalEndTimeZone: 'W. Europe Standard Time',
    isAllDay: false,
    isCancelled: false,
    isOrganizer: true,
    isOnlineMeeting: true,
    onlineMeetingProvider: 'teamsForBusiness',
    onlineMeeting: { joinUrl: 'https://teams.microsoft.com/l/meetup-join/secret-join-token' },
    sensitivity: 'normal',
    responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
    organizer: { emailAddress: { name: 'Alice Adams', address: OWNER } },
    attendees: [
      person('bob@contoso.com', 'required', 'accepted', 'Bob Brown'),
      person('jane@acme.com', 'optional', 'tentativelyAccepted', 'Jane Doe'),
    ],
    ...overrides,
  };
}

function copyOf(result: NormalizeEventResult): MailboxCopyInput {
  if (result.kind !== 'copy') throw new Error(`expected a copy, got ${JSON.stringify(result)}`);
  return result.copy;
}

function attendeesOf(result: NormalizeEventResult): AttendeeInput[] {
  return [...copyOf(result).event.attendees];
}

function attendee(result: NormalizeEventResult, email: string): AttendeeInput | undefined {
  return attendeesOf(result).find((a) => a.email === email);
}

function emailsOf(result: NormalizeEventResult): string[] {
  return attendeesOf(result).map((a) => a.email);
}

describe('normalizeEvent: times', () => {
  it('reads UTC start and end as instants and keeps the original zone', () => {
    const { event } = copyOf(normalizeEvent(graphEvent(), context()));
    expect(event.startAt).toBe(Date.UTC(2026, 2, 9, 9, 0));
    expect(event.endAt).toBe(Date.UTC(2026, 2, 9, 9, 30));
    expect(event.isAllDay).toBe(false);
    expect(event.startDate).toBeNull();
    expect(event.originalTimeZone).toBe('W. Europe Standard Time');
  });

  it('converts a Windows zone (Prefer: outlook.timezone) on both sides of daylight saving time', () => {
    const pacific = (dateTime: string) => ({ dateTime, timeZone: 'Pacific Standard Time' });
    const winter = copyOf(
      normalizeEvent(
        graphEvent({
          start: pacific('2026-01-15T09:00:00.0000000'),
          end: pacific('2026-01-15T10:00:00.0000000'),
        }),
        context(),
      ),
    );
    const summer = copyOf(
      normalizeEvent(
        graphEvent({
          start: pacific('2026-07-15T09:00:00.0000000'),
          end: pacific('2026-07-15T10:00:00.0000000'),
        }),
        context(),
      ),
    );
    expect(winter.event.startAt).toBe(Date.UTC(2026, 0, 15, 17, 0));
    expect(summer.event.startAt).toBe(Date.UTC(2026, 6, 15, 16, 0));
    expect(summer.event.endAt - summer.event.startAt).toBe(3_600_000);
  });

  it('converts an IANA zone, even for a meeting that spans the change to summer time', () => {
    const { event } = copyOf(
      normalizeEvent(
        graphEvent({
          start: { dateTime: '2026-03-29T00:30:00.0000000', timeZone: 'Europe/London' },
          end: { dateTime: '2026-03-29T02:30:00.0000000', timeZone: 'Europe/London' },
        }),
        context(),
      ),
    );
    expect(event.startAt).toBe(Date.UTC(2026, 2, 29, 0, 30));
    // 02:30 BST is 01:30 UTC: one hour passed, not two
    expect(event.endAt).toBe(Date.UTC(2026, 2, 29, 1, 30));
  });

  it('gives the same instants for copies read in different zones', () => {
    const inUtc = copyOf(normalizeEvent(graphEvent(), context()));
    const inTokyo = copyOf(
      normalizeEvent(
        graphEvent({
          start: { dateTime: '2026-03-09T18:00:00.0000000', timeZone: 'Tokyo Standard Time' },
          end: { dateTime: '2026-03-09T18:30:00.0000000', timeZone: 'Asia/Tokyo' },
        }),
        context(),
      ),
    );
    expect([inTokyo.event.startAt, inTokyo.event.endAt]).toEqual([
      inUtc.event.startAt,
      inUtc.event.endAt,
    ]);
  });

  it('keeps all-day events as dates, with UTC midnights as instants, whatever the zone', () => {
    const { event } = copyOf(
      normalizeEvent(
        graphEvent({
          isAllDay: true,
          start: { dateTime: '2026-03-09T00:00:00.0000000', timeZone: 'Pacific Standard Time' },
          end: { dateTime: '2026-03-11T00:00:00.0000000', timeZone: 'Pacific Standard Time' },
        }),
        context(),
      ),
    );
    expect(event).toMatchObject({
      isAllDay: true,
      startDate: '2026-03-09',
      endDate: '2026-03-11',
      startAt: Date.UTC(2026, 2, 9),
      endAt: Date.UTC(2026, 2, 11),
    });
  });

  it('reads lastModifiedDateTime with seven fractional digits', () => {
    expect(copyOf(normalizeEvent(graphEvent(), context())).lastModifiedAt).toBe(
      Date.UTC(2026, 2, 1, 8, 0, 0, 123),
    );
  });
});

describe('normalizeEvent: participants', () => {
  it('makes the organizer a participant with role and response organizer', () => {
    const result = normalizeEvent(
      graphEvent({
        isOrganizer: false,
        responseStatus: { response: 'accepted', time: '2026-03-01T08:00:00Z' },
        organizer: { emailAddress: { name: 'Bob Brown', address: 'bob@contoso.com' } },
        attendees: [person(OWNER), person('jane@acme.com')],
      }),
      context(),
    );
    expect(attendee(result, 'bob@contoso.com')).toMatchObject({
      role: 'organizer',
      response: 'organizer',
      displayName: 'Bob Brown',
    });
    expect(copyOf(result).isOrganizer).toBe(false);
  });

  it('keeps attendee type and response, and the owner’s own response from their copy', () => {
    const result = normalizeEvent(
      graphEvent({
        isOrganizer: false,
        responseStatus: { response: 'declined', time: '2026-03-01T08:00:00Z' },
        organizer: { emailAddress: { address: 'bob@contoso.com' } },
        attendees: [
          person(OWNER, 'required', 'none'),
          person('jane@acme.com', 'optional', 'tentativelyAccepted'),
        ],
      }),
      context(),
    );
    expect(attendee(result, OWNER)).toMatchObject({ role: 'required', response: 'declined' });
    expect(attendee(result, 'jane@acme.com')).toMatchObject({
      role: 'optional',
      response: 'tentativelyAccepted',
    });
    expect(copyOf(result).response).toBe('declined');
  });

  it('lists the organizer once when Graph also lists them as an attendee', () => {
    const result = normalizeEvent(
      graphEvent({ attendees: [person(OWNER, 'required', 'none'), person('bob@contoso.com')] }),
      context(),
    );
    expect(emailsOf(result)).toEqual([OWNER, 'bob@contoso.com']);
    expect(attendee(result, OWNER)).toMatchObject({ role: 'organizer', response: 'organizer' });
  });

  it('adds the mailbox owner when Graph leaves them out (hideAttendees)', () => {
    const result = normalizeEvent(
      graphEvent({
        isOrganizer: false,
        hideAttendees: true,
        responseStatus: { response: 'accepted', time: '2026-03-01T08:00:00Z' },
        organizer: { emailAddress: { address: 'jane@acme.com' } },
        attendees: [],
      }),
      context(),
    );
    expect(emailsOf(result)).toEqual(['jane@acme.com', OWNER]);
    expect(attendee(result, OWNER)).toMatchObject({
      kind: 'internal',
      role: 'required',
      response: 'accepted',
    });
  });

  it('takes the organizer address of an organizer copy for the owner, so an alias is no second person', () => {
    const result = normalizeEvent(
      graphEvent({ organizer: { emailAddress: { address: 'Alice.Adams@contoso.com' } } }),
      context({ mailbox: { email: OWNER } }),
    );
    expect(emailsOf(result)).toEqual([OWNER, 'bob@contoso.com', 'jane@acme.com']);
    expect(attendeesOf(result).filter((a) => a.role === 'organizer')).toHaveLength(1);
  });

  it('maps the mailbox’s known aliases to its primary address', () => {
    const result = normalizeEvent(
      graphEvent({
        isOrganizer: false,
        organizer: { emailAddress: { address: 'bob@contoso.com' } },
        attendees: [person('a.adams@contoso.com', 'required', 'accepted')],
      }),
      context({ mailbox: { email: OWNER, aliases: ['A.Adams@contoso.com'] } }),
    );
    expect(emailsOf(result)).toEqual(['bob@contoso.com', OWNER]);
  });

  it('lowercases and trims addresses and drops malformed ones with a problem, keeping the event', () => {
    const result = normalizeEvent(
      graphEvent({
        attendees: [
          person('  Bob@Contoso.COM '),
          person('/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=CAROL'),
          { type: 'required', status: { response: 'none' } },
        ],
      }),
      context(),
    );
    expect(emailsOf(result)).toEqual([OWNER, 'bob@contoso.com']);
    if (result.kind !== 'copy') throw new Error('expected a copy');
    expect(result.problems.map((p) => p.field)).toEqual([
      'attendees[1].emailAddress.address',
      'attendees[2].emailAddress.address',
    ]);
    // Carol was there even though her address was unreadable
    expect(result.copy.event.participantCount).toBe(3);
  });

  it('names the attendee of an unknown response or type in its problem, keeping the attendee', () => {
    const result = normalizeEvent(
      graphEvent({
        attendees: [person('bob@contoso.com'), person('dan@contoso.com', 'chair', 'maybe')],
      }),
      context(),
    );
    expect(emailsOf(result)).toContain('dan@contoso.com');
    if (result.kind !== 'copy') throw new Error('expected a copy');
    expect(result.problems).toEqual([
      {
        field: 'attendees[1].status.response',
        message: 'attendees[1].status.response "maybe" is unknown; kept as none',
      },
      {
        field: 'attendees[1].type',
        message: 'attendees[1].type "chair" is unknown; taken as required',
      },
    ]);
  });
});

describe('normalizeEvent: rooms, equipment, groups and shared mailboxes', () => {
  const resources = buildResourceDirectory({
    rooms: [{ emailAddress: 'Oslo@contoso.com', displayName: 'Oslo' }],
    mailboxes: [
      { email: 'projector@contoso.com', userPurpose: 'equipment' },
      { email: 'frontdesk@contoso.com', userPurpose: 'shared' },
    ],
    groups: [{ mail: 'sales-team@contoso.com' }],
  });

  it('never takes them for people, however Graph lists them', () => {
    const result = normalizeEvent(
      graphEvent({
        attendees: [
          person('bob@contoso.com'),
          person('oslo@contoso.com', 'resource', 'accepted'),
          person('Oslo@contoso.com', 'required', 'accepted'),
          person('projector@contoso.com', 'required'),
          person('frontdesk@contoso.com', 'optional'),
          person('sales-team@contoso.com', 'required'),
          person('bergen@contoso.com', 'resource', 'accepted'),
        ],
      }),
      context({ resources }),
    );
    expect(emailsOf(result)).toEqual([OWNER, 'bob@contoso.com']);
    expect(copyOf(result).event.participantCount).toBe(2);
  });

  it('reports resource attendees the directory does not know, without their names', () => {
    const result = normalizeEvent(
      graphEvent({ attendees: [person('Bergen@contoso.com', 'resource', 'accepted', 'Bergen')] }),
      context({ resources }),
    );
    if (result.kind !== 'copy') throw new Error('expected a copy');
    expect(result.discoveredResources).toEqual([
      { email: 'bergen@contoso.com', kind: 'room', source: 'attendee' },
    ]);
  });

  it('skips the calendar of a mailbox that is itself a resource', () => {
    const result = normalizeEvent(
      graphEvent(),
      context({ mailbox: { email: 'oslo@contoso.com' }, resources }),
    );
    expect(result).toEqual({
      kind: 'skip',
      graphEventId: 'AAMkAlice001=',
      reason: 'resourceMailbox',
    });
  });
});

describe('normalizeEvent: internal, external and personal domains', () => {
  const tenant = context({
    internalDomains: internalDomainsOf(['contoso.com', 'contoso-labs.io'], ['fabrikam.com']),
  });
  const meetingWith = (...addresses: string[]) =>
    normalizeEvent(graphEvent({ attendees: addresses.map((a) => person(a)) }), tenant);

  it('calls verified, extra and sub-domains internal and everything else external', () => {
    const result = meetingWith(
      'megan@contoso-labs.io',
      'fred@fabrikam.com',
      'sven@eu.contoso.com',
      'jane@acme.com',
      'eve@notcontoso.com',
    );
    const kinds = Object.fromEntries(attendeesOf(result).map((a) => [a.email, a.kind]));
    expect(kinds).toEqual({
      [OWNER]: 'internal',
      'megan@contoso-labs.io': 'internal',
      'fred@fabrikam.com': 'internal',
      'sven@eu.contoso.com': 'internal',
      'jane@acme.com': 'external',
      'eve@notcontoso.com': 'external',
    });
  });

  it('gives each person the registrable domain of their address', () => {
    const result = meetingWith('kim@sales.acme.co.uk', 'sven@eu.contoso.com');
    expect(attendee(result, 'kim@sales.acme.co.uk')?.domain).toBe('acme.co.uk');
    expect(attendee(result, 'sven@eu.contoso.com')?.domain).toBe('contoso.com');
  });

  it('recognises personal mail domains', () => {
    const result = meetingWith(
      'pat@gmail.com',
      'lee@outlook.com',
      'sam@yahoo.co.uk',
      'kim@sales.acme.co.uk',
    );
    const personal = Object.fromEntries(
      attendeesOf(result).map((a) => [a.email, a.isPersonalDomain]),
    );
    expect(personal).toEqual({
      [OWNER]: false,
      'pat@gmail.com': true,
      'lee@outlook.com': true,
      'sam@yahoo.co.uk': true,
      'kim@sales.acme.co.uk': false,
    });
  });
});

describe('normalizeEvent: tenant settings', () => {
  it.each(['private', 'confidential'])(
    'skips a %s event while private appointments are not synced',
    (sensitivity) => {
      expect(normalizeEvent(graphEvent({ sensitivity }), context())).toEqual({
        kind: 'skip',
        graphEventId: 'AAMkAlice001=',
        reason: 'private',
      });
    },
  );

  it('skips a private event even when the rest of it is broken', () => {
    const broken = graphEvent({ sensitivity: 'private', iCalUId: undefined, start: 'soon' });
    expect(normalizeEvent(broken, context()).kind).toBe('skip');
  });

  it('takes an unknown sensitivity for private', () => {
    const result = normalizeEvent(graphEvent({ sensitivity: 'secret' }), context());
    expect(result).toMatchObject({ kind: 'skip', reason: 'private' });
  });

  it('keeps private events, marked private, when the tenant syncs them', () => {
    const { event } = copyOf(
      normalizeEvent(
        graphEvent({ sensitivity: 'private' }),
        context({ settings: { syncPrivateAppointments: true } }),
      ),
    );
    expect(event).toMatchObject({ sensitivity: 'private', isPrivate: true });
  });

  it('keeps personal events as not private', () => {
    const { event } = copyOf(normalizeEvent(graphEvent({ sensitivity: 'personal' }), context()));
    expect(event).toMatchObject({ sensitivity: 'personal', isPrivate: false });
  });

  it('skips meetings that are not online when the tenant syncs only online meetings', () => {
    const onlyOnline = context({ settings: { onlyOnlineMeetings: true } });
    const inPerson = graphEvent({
      isOnlineMeeting: false,
      onlineMeeting: null,
      onlineMeetingProvider: 'unknown',
    });
    expect(normalizeEvent(inPerson, onlyOnline)).toMatchObject({
      kind: 'skip',
      reason: 'notOnline',
    });
    expect(normalizeEvent(inPerson, context()).kind).toBe('copy');
    expect(copyOf(normalizeEvent(inPerson, context())).event).toMatchObject({
      isOnline: false,
      onlineProvider: null,
    });
  });

  it('counts a meeting with a join link as online', () => {
    const { event } = copyOf(
      normalizeEvent(
        graphEvent({
          isOnlineMeeting: false,
          onlineMeeting: { joinUrl: 'https://teams.microsoft.com/l/x' },
        }),
        context({ settings: { onlyOnlineMeetings: true } }),
      ),
    );
    expect(event).toMatchObject({ isOnline: true, onlineProvider: 'teamsForBusiness' });
  });

  it('drops excluded addresses and domains but still counts them in the meeting size', () => {
    const result = normalizeEvent(
      graphEvent({
        attendees: [
          person('bob@contoso.com'),
          person('Counsel@LawFirm.com'),
          person('partner@uk.lawfirm.com'),
          person('ceo@bigclient.com'),
        ],
      }),
      context({
        settings: { excludedDomains: ['lawfirm.com'], excludedAddresses: ['ceo@bigclient.com'] },
      }),
    );
    expect(emailsOf(result)).toEqual([OWNER, 'bob@contoso.com']);
    expect(attendeesOf(result).some((a) => a.kind === 'external')).toBe(false);
    expect(copyOf(result).event.participantCount).toBe(5);
  });

  it('skips every event of a mailbox whose owner is excluded', () => {
    expect(
      normalizeEvent(graphEvent(), context({ settings: { excludedAddresses: [OWNER] } })),
    ).toMatchObject({ kind: 'skip', reason: 'excluded' });
  });
});

describe('normalizeEvent: one meeting across mailboxes', () => {
  it('gives the organizer’s and an attendee’s copy the same meeting, each attended by its owner', () => {
    const alices = copyOf(
      normalizeEvent(
        graphEvent({
          type: 'occurrence',
          iCalUId: OCCURRENCE_UID,
          seriesMasterId: 'AAMkAliceSeries=',
        }),
        context(),
      ),
    );
    const bobs = copyOf(
      normalizeEvent(
        graphEvent({
          id: 'AAMkBob777=',
          type: 'occurrence',
          iCalUId: OCCURRENCE_UID,
          seriesMasterId: 'AAMkBobSeries=',
          isOrganizer: false,
          responseStatus: { response: 'accepted', time: '2026-03-01T08:00:00Z' },
          // the day after the US clocks went forward: UTC-7
          start: { dateTime: '2026-03-09T02:00:00.0000000', timeZone: 'Pacific Standard Time' },
          end: { dateTime: '2026-03-09T02:30:00.0000000', timeZone: 'Pacific Standard Time' },
          attendees: [person('bob@contoso.com'), person('jane@acme.com', 'optional')],
        }),
        context({ mailbox: { email: 'bob@contoso.com' } }),
      ),
    );
    expect(bobs.event.icalUid).toBe(alices.event.icalUid);
    expect(bobs.event.seriesKey).toBe(SERIES_UID);
    expect(alices.event.seriesKey).toBe(SERIES_UID);
    expect([bobs.event.startAt, bobs.event.endAt]).toEqual([
      alices.event.startAt,
      alices.event.endAt,
    ]);
    expect(bobs.isOrganizer).toBe(false);
    expect(bobs.response).toBe('accepted');
    expect(bobs.event.attendees.map((a) => [a.email, a.role])).toEqual([
      [OWNER, 'organizer'],
      ['bob@contoso.com', 'required'],
      ['jane@acme.com', 'optional'],
    ]);
    expect(alices.event.attendees.map((a) => a.email)).toContain('bob@contoso.com');
  });
});

describe('seriesKeyOf', () => {
  it('zeroes the instance date of an occurrence or exception iCalUId', () => {
    expect(seriesKeyOf('occurrence', OCCURRENCE_UID)).toBe(SERIES_UID);
    expect(seriesKeyOf('exception', OCCURRENCE_UID)).toBe(SERIES_UID);
  });

  it('is null for single instances and for iCalUIds that are no GlobalObjectId', () => {
    expect(seriesKeyOf('singleInstance', SERIES_UID)).toBeNull();
    expect(seriesKeyOf('occurrence', 'abc123@google.com')).toBeNull();
  });

  it('flags an occurrence whose iCalUId has no instance date, since occurrences would collide', () => {
    const result = normalizeEvent(
      graphEvent({ type: 'occurrence', iCalUId: SERIES_UID }),
      context(),
    );
    if (result.kind !== 'copy') throw new Error('expected a copy');
    expect(result.problems.map((p) => p.field)).toContain('iCalUId');
  });
});

describe('normalizeEvent: event kinds', () => {
  it('skips series masters', () => {
    expect(normalizeEvent(graphEvent({ type: 'seriesMaster' }), context())).toMatchObject({
      kind: 'skip',
      reason: 'seriesMaster',
    });
  });

  it('keeps cancelled events, marked cancelled', () => {
    expect(
      copyOf(normalizeEvent(graphEvent({ isCancelled: true }), context())).event.isCancelled,
    ).toBe(true);
  });

  it('tells @removed entries apart from events', () => {
    const [removed, changed] = sampleEvents(
      'delta-query-events__4-next-round-removed-deltaLink.json',
    );
    expect(isRemovedItem(removed)).toBe(true);
    expect(isRemovedItem(changed)).toBe(false);
    expect(isRemovedItem(null)).toBe(false);
    expect(normalizeEvent(removed, context())).toEqual({
      kind: 'skip',
      graphEventId: 'AAMkADk0MGFkODE3LWE4MmYtNDRhOS04OGQLkRkXbBznTvAADb6ytyAAA=',
      reason: 'removed',
    });
  });
});

describe('normalizeEvent: invalid events', () => {
  it('rejects an event without iCalUId, naming the field and how to fix it', () => {
    const result = normalizeEvent(graphEvent({ iCalUId: undefined }), context());
    expect(result).toMatchObject({ kind: 'invalid', graphEventId: 'AAMkAlice001=' });
    if (result.kind !== 'invalid') throw new Error('expected invalid');
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.field).toBe('iCalUId');
    expect(result.problems[0]?.message).toContain('seriesMasterId');
  });

  it.each([
    ['start.dateTime', { start: { dateTime: 'tomorrow 9am', timeZone: 'UTC' } }],
    ['end.dateTime', { end: { dateTime: '2026-02-30T10:00:00.0000000', timeZone: 'UTC' } }],
    ['start.timeZone', { start: { dateTime: '2026-03-09T09:00:00.0000000', timeZone: 'Nowhere' } }],
    ['end', { end: { dateTime: '2026-03-09T08:00:00.0000000', timeZone: 'UTC' } }],
    ['start', { start: null }],
    ['id', { id: '' }],
  ])('rejects a bad %s without throwing', (field, overrides) => {
    const result = normalizeEvent(graphEvent(overrides), context());
    expect(result.kind).toBe('invalid');
    if (result.kind !== 'invalid') throw new Error('expected invalid');
    expect(result.problems.map((p) => p.field)).toContain(field);
  });

  it('rejects what is not an object', () => {
    expect(normalizeEvent('AAMk=', context())).toMatchObject({
      kind: 'invalid',
      graphEventId: null,
    });
  });

  it('lets the rest of a page through when one event is broken', () => {
    const page = [
      graphEvent({ id: 'a' }),
      graphEvent({ id: 'b', iCalUId: '' }),
      graphEvent({ id: 'c' }),
    ];
    expect(page.map((item) => normalizeEvent(item, context()).kind)).toEqual([
      'copy',
      'invalid',
      'copy',
    ]);
  });

  it('throws a typed error naming the field when the context has no usable mailbox address', () => {
    const run = () => normalizeEvent(graphEvent(), context({ mailbox: { email: 'alice' } }));
    expect(run).toThrow(NormalizeContextError);
    expect(run).toThrow(expect.objectContaining({ field: 'mailbox.email' }));
  });
});

describe('normalizeEvent: metadata only', () => {
  const CONTENT_KEYS = new Set([
    'subject',
    'body',
    'bodyPreview',
    'location',
    'locations',
    'onlineMeeting',
    'joinUrl',
    'webLink',
  ]);

  /** Every text the source puts in subject, body, preview and location fields. */
  function contentTexts(event: Record<string, unknown>): string[] {
    const texts: string[] = [];
    const collect = (value: unknown): void => {
      if (typeof value === 'string') texts.push(value.trim());
      else if (Array.isArray(value)) value.forEach(collect);
      else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
    };
    for (const key of CONTENT_KEYS) collect(event[key]);
    // enum-like values (contentType "html", locationType "default", …) say nothing about a meeting
    const enums = new Set(['html', 'text', 'default', 'unknown', 'private', '']);
    return texts.filter((text) => !enums.has(text));
  }

  /** Every key and string value anywhere in `value`. */
  function allTexts(value: unknown, into: string[] = []): string[] {
    if (typeof value === 'string') into.push(value);
    else if (Array.isArray(value)) value.forEach((item) => allTexts(item, into));
    else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        into.push(key);
        allTexts(item, into);
      }
    }
    return into;
  }

  const SAMPLE_FILES = [
    'event-get__ex1-proposedNewTime-PST.json',
    'event-get__ex2-multiple-locations-UTC.json',
    'user-list-events__response-select-prefer-PST.json',
    'user-list-calendarview__response.json',
    'delta-query-events__1-initial-page-nextLink.json',
    'delta-query-events__2-second-page-nextLink.json',
    'delta-query-events__3-final-page-deltaLink.json',
    'delta-query-events__4-next-round-removed-deltaLink.json',
  ];
  const sampleItems = SAMPLE_FILES.flatMap(sampleEvents);
  const richEvent = graphEvent({
    attendees: [
      person('bob@contoso.com'),
      person('oslo@contoso.com', 'resource', 'accepted', 'Oslo meeting room'),
    ],
  });
  const permissive = context({
    mailbox: { email: 'samanthab@contoso.onmicrosoft.com' },
    internalDomains: ['contoso.onmicrosoft.com'],
    settings: { syncPrivateAppointments: true },
  });

  it('has sample events that carry content to leak', () => {
    const withContent = [...sampleItems, richEvent].filter((e) => contentTexts(e).length > 0);
    expect(withContent.length).toBeGreaterThanOrEqual(9);
    expect(contentTexts(sample('event-get__ex2-multiple-locations-UTC.json'))).toEqual(
      expect.arrayContaining(['Plan summer company picnic', 'Conf Room 3', 'Fourth Coffee']),
    );
  });

  it('lets no subject, body, preview, location or join link of the sources reach the output', () => {
    const items = [...sampleItems, richEvent];
    // the same items again, completed where the documentation trimmed them, so they become copies
    const completed = items.map((item, index) => ({
      id: `AAMkCompleted${index}=`,
      iCalUId: SERIES_UID,
      start: { dateTime: '2017-04-21T10:00:00.0000000', timeZone: 'Pacific Standard Time' },
      end: { dateTime: '2017-04-21T12:00:00.0000000', timeZone: 'Pacific Standard Time' },
      ...item,
    }));
    const completedResults = completed.map((item) => normalizeEvent(item, permissive));
    // all but the @removed entry become copies, so the scan below covers full outputs
    expect(completedResults.filter((result) => result.kind === 'copy')).toHaveLength(
      completed.length - 1,
    );
    const results = [...items.map((item) => normalizeEvent(item, permissive)), ...completedResults];

    const forbidden = [...new Set(items.flatMap(contentTexts))].map((t) => t.toLowerCase());
    const output = allTexts(results).map((text) => text.toLowerCase());
    // two-letter texts (state "WA") can only be matched whole; longer ones anywhere inside
    const leaks = forbidden.filter((text) =>
      output.some((found) => found === text || (text.length >= 4 && found.includes(text))),
    );
    expect(leaks).toEqual([]);
    expect(output.filter((key) => CONTENT_KEYS.has(key))).toEqual([]);
  });
});

describe('GRAPH_EVENT_MEMBERS_READ', () => {
  it('names every member normalizeEvent reads: an event cut to them normalises the same', () => {
    const events = Object.keys(samples)
      .filter((name) => !name.startsWith('place-list'))
      .flatMap((name) => sampleEvents(name));
    expect(events.length).toBeGreaterThan(5);
    const variants = events.flatMap((event) => [
      event,
      { ...event, isOnlineMeeting: false, onlineMeeting: { joinUrl: 'https://teams.example/j' } },
      { ...event, onlineMeetingUrl: 'https://meet.example/x', sensitivity: 'private' },
    ]);
    for (const event of variants) {
      const cut = Object.fromEntries(
        Object.entries(event).filter(([key]) => GRAPH_EVENT_MEMBERS_READ.includes(key)),
      );
      for (const settings of [{}, { syncPrivateAppointments: true, onlyOnlineMeetings: true }]) {
        expect(normalizeEvent(cut, context({ settings }))).toEqual(
          normalizeEvent(event, context({ settings })),
        );
      }
    }
  });

  it('leaves out what the store must never hold', () => {
    for (const member of ['subject', 'body', 'bodyPreview', 'location', 'locations', 'webLink']) {
      expect(GRAPH_EVENT_MEMBERS_READ).not.toContain(member);
    }
  });
});
