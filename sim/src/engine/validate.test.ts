import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TenantFile } from '../graph-types.js';
import { TenantFileError, validateTenantFile } from './index.js';
import { attendee, group, meeting, person, tenant } from './test-support.js';

function issuesOf(file: unknown): string[] {
  try {
    validateTenantFile(file);
  } catch (error) {
    if (error instanceof TenantFileError) return error.issues;
    throw error;
  }
  return [];
}

const base = (): TenantFile =>
  tenant({
    users: [person('ann'), person('cat', { mail: null })],
    events: {
      'id-ann': [
        meeting('m1', 'ann@contoso.com', '2026-09-10T15:00:00', [attendee('bob@contoso.com')]),
      ],
    },
  });

describe('validateTenantFile', () => {
  it('accepts the small fixture and returns it', () => {
    const fixture: unknown = JSON.parse(
      readFileSync(new URL('../../fixtures/small-tenant.json', import.meta.url), 'utf8'),
    );
    expect(validateTenantFile(fixture)).toBe(fixture);
    expect(issuesOf(base())).toEqual([]);
  });

  it('rejects something that is not an object', () => {
    expect(() => validateTenantFile([])).toThrow('tenant file: expected an object, got []');
  });

  it('names the field and the item for directory problems', () => {
    const file = base();
    delete (file.organization as Partial<TenantFile['organization']>).id;
    file.users.push(person('ann'), person('dot', { mail: 'not-an-address' }));
    file.groups.push(group('g', ['id-nobody']));
    expect(issuesOf(file)).toEqual([
      'organization.id: expected a non-empty string, got missing',
      'users[2] (id "id-ann").id: duplicate user id',
      'users[2] (id "id-ann").userPrincipalName: duplicate userPrincipalName',
      'users[2] (id "id-ann").mail: duplicate mail address',
      'users[3] (id "id-dot").mail: expected an email address, got "not-an-address"',
      'groups[0] (id "group-g").members[0]: no user or group has id "id-nobody"',
    ]);
  });

  it('names the key, index, id and field for event problems', () => {
    const file = base();
    const good = file.events['id-ann']![0]!;
    file.events['id-ann']!.push(
      {
        ...good,
        id: 'tz',
        start: { dateTime: '2026-09-10T15:00:00', timeZone: 'Mars Standard Time' },
      },
      { ...good, id: 'when', end: { dateTime: '10 Sept 2026', timeZone: 'UTC' } },
      {
        ...good,
        id: 'weekly',
        recurrence: {
          pattern: { type: 'weekly', interval: 1 },
          range: { type: 'endDate', startDate: '2026-09-10' },
        },
      },
      { ...good, id: 'single', cancelledOccurrences: ['2026-09-10'] },
      { ...good, id: 'm1' },
    );
    file.events['id-cat'] = [];
    file.events['id-ann/cal-x'] = [];
    expect(issuesOf(file)).toEqual([
      'events["id-ann"][1] (id "tz").start.timeZone: unknown time zone "Mars Standard Time" (expected a Windows or IANA name)',
      'events["id-ann"][2] (id "when").end.dateTime: expected a date-time like "2026-09-01T09:00:00.0000000", got "10 Sept 2026"',
      'events["id-ann"][3] (id "weekly").recurrence.pattern.daysOfWeek: expected an array, got missing',
      'events["id-ann"][3] (id "weekly").recurrence.range.endDate: expected a date "YYYY-MM-DD", got missing',
      'events["id-ann"][4] (id "single").cancelledOccurrences: only a recurring series has cancelled occurrences',
      'events["id-ann"][5] (id "m1").id: duplicate event id (each meeting appears once in the file)',
      'events["id-cat"]: user "id-cat" has no mailbox (mail is null)',
      'events["id-ann/cal-x"]: user "id-ann" has no calendar "cal-x" in calendars',
    ]);
  });

  it('puts every problem in the error message', () => {
    const file = base();
    file.users[0]!.userPrincipalName = 'ann';
    expect(() => validateTenantFile(file)).toThrow(
      'Invalid tenant file:\n  - users[0] (id "id-ann").userPrincipalName: expected an email address, got "ann"',
    );
  });

  it('checks mailbox settings and calendars against the users', () => {
    const file = base();
    file.mailboxSettings = {
      'id-cat': { timeZone: 'UTC' },
      'id-ann': { timeZone: 'Nowhere', userPurpose: { value: 'castle' as 'room' } },
    };
    file.calendars = {
      'id-ann': [
        { id: 'c1', name: 'A', isDefaultCalendar: true },
        { id: 'c1', name: 'B', isDefaultCalendar: true },
      ],
    };
    expect(issuesOf(file)).toEqual([
      'mailboxSettings["id-cat"]: this user has no mailbox (mail is null)',
      'mailboxSettings["id-ann"].timeZone: unknown time zone "Nowhere" (expected a Windows or IANA name)',
      'mailboxSettings["id-ann"].userPurpose.value: expected one of user, linked, shared, room, equipment, others, unknownFutureValue, got "castle"',
      'calendars["id-ann"][1] (id "c1").id: duplicate calendar id',
      'calendars["id-ann"]: expected at most one default calendar, found 2',
    ]);
  });
});
