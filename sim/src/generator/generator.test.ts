import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GraphEvent } from '../graph-types.js';
import { generateTenant, plantedPathFor, tenantWindow, writeTenant } from './index.js';
import { dayFromIsoDate, isoDate } from './calendar-days.js';
import { PERSONAL_MAIL_DOMAINS } from './companies.js';
import { MIN_USERS, buildOrganisation } from './organisation.js';
import { occurrenceDays } from './recurrence.js';
import { domainOf, expandSeries, indexTenant, peopleOn } from './test-support.js';

const DEFAULT_OPTIONS = { seed: 7, users: 60, companies: 25, months: 24, anchor: '2026-03-01' };
const generated = generateTenant(DEFAULT_OPTIONS);
const { tenant, planted } = generated;
const index = indexTenant(tenant);
const events = index.meetings.map((meeting) => meeting.event);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const userById = new Map(tenant.users.map((user) => [user.id, user]));
const groupByName = new Map(tenant.groups.map((group) => [group.displayName, group]));
const employees = tenant.users.filter((user) => user.department);
const isInternal = (address: string): boolean => index.internalDomains.has(domainOf(address));
const externalsOn = (event: GraphEvent): string[] =>
  peopleOn(event)
    .map((person) => person.address)
    .filter((address) => !isInternal(address));

describe('determinism', () => {
  it('gives byte-identical output for the same options', () => {
    const small = { seed: 3, users: 30, companies: 8, months: 6, anchor: '2025-11-15' };
    expect(JSON.stringify(generateTenant(small))).toBe(JSON.stringify(generateTenant(small)));
  });

  it('gives a different organisation for a different seed', () => {
    const other = generateTenant({ ...DEFAULT_OPTIONS, seed: 8 });
    expect(other.tenant.organization.id).not.toBe(tenant.organization.id);
    expect(other.tenant.users.map((u) => u.mail)).not.toEqual(tenant.users.map((u) => u.mail));
    expect(other.planted.companies.map((c) => c.domain)).not.toEqual(
      planted.companies.map((c) => c.domain),
    );
  });

  it('keeps names and relationships when only the anchor moves', () => {
    const later = generateTenant({ ...DEFAULT_OPTIONS, anchor: '2026-03-08' });
    expect(later.tenant.users.map((u) => u.mail)).toEqual(tenant.users.map((u) => u.mail));
    expect(later.planted.companies.map((c) => c.domain)).toEqual(
      planted.companies.map((c) => c.domain),
    );
  });

  it('rejects options it cannot honour with a message saying which', () => {
    expect(() => generateTenant({ ...DEFAULT_OPTIONS, users: 5 })).toThrow(
      /users must be .* at least 25/,
    );
    expect(() => generateTenant({ ...DEFAULT_OPTIONS, anchor: '2026-02-30' })).toThrow(
      /not a calendar date/,
    );
    expect(() => generateTenant({ ...DEFAULT_OPTIONS, density: 0 })).toThrow(/density/);
  });
});

describe('writeTenant', () => {
  it('writes the tenant and its planted truth beside it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'warmpath-generator-'));
    try {
      const small = generateTenant({
        seed: 4,
        users: 25,
        companies: 3,
        months: 2,
        anchor: '2026-01-10',
      });
      const path = join(dir, 'nested', 'tenant.json');
      await writeTenant(path, small);
      expect(plantedPathFor(path)).toBe(join(dir, 'nested', 'tenant.planted.json'));
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(small.tenant);
      expect(JSON.parse(await readFile(plantedPathFor(path), 'utf8'))).toEqual(small.planted);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('directory', () => {
  it('has an organization with a primary, an initial and a subsidiary domain', () => {
    const { organization } = tenant;
    expect(organization.id).toMatch(GUID);
    expect(organization.displayName).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    const [primary, initial, subsidiary] = organization.verifiedDomains;
    expect(primary).toMatchObject({ isDefault: true, isInitial: false });
    expect(primary?.name).toMatch(/^[a-z]+-[a-z]+\.com$/);
    expect(initial).toMatchObject({ isDefault: false, isInitial: true });
    expect(initial?.name).toMatch(/\.onmicrosoft\.com$/);
    expect(subsidiary).toMatchObject({ isDefault: false, isInitial: false });
    const mailDomains = new Set(employees.flatMap((u) => (u.mail ? [domainOf(u.mail)] : [])));
    expect(mailDomains).toEqual(new Set([primary?.name, subsidiary?.name]));
  });

  it('has the departments, with filled-in people', () => {
    expect(employees).toHaveLength(DEFAULT_OPTIONS.users);
    expect(new Set(employees.map((u) => u.department))).toEqual(
      new Set([
        'Executives',
        'Sales',
        'Customer Success',
        'Partnerships',
        'Marketing',
        'Engineering',
      ]),
    );
    for (const user of employees) {
      expect(user.id).toMatch(GUID);
      expect(user.givenName).toBeTruthy();
      expect(user.surname).toBeTruthy();
      expect(user.displayName).toBe(`${user.givenName} ${user.surname}`);
      expect(user.jobTitle).toBeTruthy();
      expect(user.officeLocation).toBeTruthy();
      expect(user.usageLocation).toMatch(/^[A-Z]{2}$/);
      expect(typeof user.accountEnabled).toBe('boolean');
      expect(user.userPrincipalName).toMatch(/^[a-z.-]+\d*@/);
    }
    expect(new Set(employees.map((u) => u.usageLocation)).size).toBeGreaterThanOrEqual(4);
    expect(employees.filter((u) => u.department === 'Sales').length).toBeGreaterThan(8);
  });

  it('has exactly the headcount asked for, from the smallest size up', () => {
    for (const users of [MIN_USERS, 26, 31, 47, 60, 99, 250]) {
      const organisation = buildOrganisation({
        seed: users,
        users,
        historyStart: 20_000,
        anchor: 20_700,
      });
      expect(organisation.employees).toHaveLength(users);
    }
  });

  it('has users without a mailbox and disabled accounts', () => {
    expect(employees.filter((u) => u.mail === null).length).toBeGreaterThanOrEqual(2);
    const disabled = employees.filter((u) => u.accountEnabled === false);
    expect(disabled.length).toBeGreaterThanOrEqual(2);
    for (const user of employees.filter((u) => u.mail === null)) {
      expect(tenant.mailboxSettings?.[user.id]).toBeUndefined();
      expect(tenant.events[user.id]).toBeUndefined();
    }
  });

  it('has a shared mailbox, rooms and an equipment mailbox with the right purpose', () => {
    const purposes = tenant.users.map((u) => index.purposeOf(u.id));
    expect(purposes.filter((p) => p === 'shared')).toHaveLength(1);
    expect(purposes.filter((p) => p === 'equipment')).toHaveLength(1);
    const roomUsers = tenant.users.filter((u) => index.purposeOf(u.id) === 'room');
    expect(roomUsers.length).toBeGreaterThanOrEqual(4);
    expect(tenant.rooms?.map((r) => r.emailAddress).sort()).toEqual(
      roomUsers.map((u) => u.mail).sort(),
    );
    for (const room of tenant.rooms ?? []) {
      expect(room.capacity).toBeGreaterThan(0);
      expect(room.building).toBeTruthy();
      expect(room.address?.city).toBeTruthy();
    }
  });

  it('has mailbox settings for every mailbox, across several time zones', () => {
    for (const user of tenant.users.filter((u) => u.mail)) {
      const settings = tenant.mailboxSettings?.[user.id];
      expect(settings?.timeZone).toBeTruthy();
      expect(settings?.workingHours?.timeZone.name).toBe(settings?.timeZone);
      expect(settings?.workingHours?.daysOfWeek.length).toBeGreaterThanOrEqual(4);
      expect(settings?.userPurpose?.value).toBeTruthy();
    }
    const zones = new Set(Object.values(tenant.mailboxSettings ?? {}).map((s) => s.timeZone));
    for (const zone of [
      'Pacific Standard Time',
      'Eastern Standard Time',
      'GMT Standard Time',
      'W. Europe Standard Time',
      'Tokyo Standard Time',
    ]) {
      expect(zones).toContain(zone);
    }
  });

  it('nests security groups and has Microsoft 365 groups', () => {
    const ids = (...names: string[]): Array<string | undefined> =>
      names.map((name) => groupByName.get(name)?.id);
    expect(groupByName.get('Sales')?.members).toEqual(
      expect.arrayContaining(ids('Sales EMEA', 'Sales Americas', 'Sales APAC')),
    );
    expect(groupByName.get('Customer Facing')?.members).toEqual(
      expect.arrayContaining(ids('Sales', 'Customer Success', 'Partnerships')),
    );
    expect(groupByName.get('All Staff')?.members).toEqual(
      expect.arrayContaining(ids('Customer Facing', 'Engineering', 'Marketing', 'Executives')),
    );
    const unified = tenant.groups.filter((g) => g.groupTypes.includes('Unified'));
    expect(unified.length).toBeGreaterThanOrEqual(4);
    for (const group of unified) {
      expect(group).toMatchObject({ mailEnabled: true, securityEnabled: false });
      expect(group.mail).toMatch(/@/);
    }
    for (const group of tenant.groups.filter((g) => !g.groupTypes.includes('Unified'))) {
      expect(group.securityEnabled).toBe(true);
    }
  });
});

describe('external companies', () => {
  it('have realistic names, registrable domains and several contacts each', () => {
    expect(planted.companies).toHaveLength(DEFAULT_OPTIONS.companies);
    const domains = planted.companies.map((c) => c.domain);
    expect(new Set(domains).size).toBe(domains.length);
    for (const company of planted.companies) {
      expect(company.name).toMatch(/^[A-Z]/);
      expect(company.domain).toMatch(
        /^[a-z][a-z0-9-]*\.(com|io|ca|co|co\.uk|de|fr|nl|ie|se|com\.au|co\.jp|sg)$/,
      );
      const seen = new Set(
        events.flatMap((event) =>
          externalsOn(event).filter((address) => domainOf(address) === company.domain),
        ),
      );
      expect(seen.size).toBeGreaterThanOrEqual(2);
    }
    expect(domains.some((domain) => /\.(co\.uk|com\.au|co\.jp)$/.test(domain))).toBe(true);
  });

  it('have some contacts on personal mail domains, tied to the company only by the truth', () => {
    const personal = planted.companies.flatMap((company) =>
      company.connectors
        .flatMap((connector) => connector.contacts)
        .filter((email) => (PERSONAL_MAIL_DOMAINS as readonly string[]).includes(domainOf(email))),
    );
    expect(new Set(personal).size).toBeGreaterThanOrEqual(3);
  });
});

describe('meetings', () => {
  const window = tenantWindow(DEFAULT_OPTIONS);
  const isSeries = (event: GraphEvent): boolean => Boolean(event.recurrence);

  it('are each filed once under an internal participant who has a mailbox', () => {
    const ids = events.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { holder, event } of index.meetings) {
      const holderMail = userById.get(holder)?.mail?.toLowerCase();
      expect(holderMail).toBeTruthy();
      expect(peopleOn(event).some((person) => person.address === holderMail)).toBe(true);
    }
  });

  it('span the months before the anchor and three months after', () => {
    const starts = events
      .map((event) => event.start.dateTime.slice(0, 10))
      .filter((date) => date >= window.start);
    expect(starts.some((date) => date < '2024-04-01')).toBe(true);
    expect(starts.some((date) => date > '2026-05-01' && date < window.end)).toBe(true);
  });

  it('carry realistic subject, body and location text', () => {
    for (const event of events) {
      expect(event.subject?.length).toBeGreaterThan(2);
      expect(event.bodyPreview?.length).toBeGreaterThan(5);
      expect(event.body?.content).toContain('<html>');
    }
    const located = events.filter((event) => event.location?.displayName);
    expect(located).toHaveLength(events.length);
  });

  it('expand the same way in the generator (which sizes volume and truth by it) as in rrule', () => {
    const from = dayFromIsoDate(window.start);
    const to = dayFromIsoDate(window.end);
    for (const event of events.filter(isSeries)) {
      const recurrence = event.recurrence;
      if (!recurrence) continue;
      const mine = occurrenceDays(recurrence, { from, to }, event.cancelledOccurrences).map(
        isoDate,
      );
      expect(mine, event.subject).toEqual(
        expandSeries(recurrence, window.start, window.end, event.cancelledOccurrences),
      );
      // Graph masters start on their first occurrence.
      const first = occurrenceDays(recurrence, {
        from: dayFromIsoDate(recurrence.range.startDate),
        to,
      })[0];
      if (first !== undefined)
        expect(isoDate(first), event.subject).toBe(recurrence.range.startDate);
      expect(event.start.dateTime.slice(0, 10)).toBe(recurrence.range.startDate);
    }
  });

  it('have weekly, daily, monthly and quarterly series', () => {
    const patterns = events.flatMap((event) =>
      event.recurrence ? [event.recurrence.pattern] : [],
    );
    expect(
      patterns.some((p) => p.type === 'weekly' && p.interval === 1 && p.daysOfWeek?.length === 1),
    ).toBe(true);
    expect(patterns.some((p) => p.type === 'weekly' && p.interval === 2)).toBe(true);
    expect(patterns.some((p) => p.type === 'weekly' && p.daysOfWeek?.length === 5)).toBe(true);
    expect(patterns.some((p) => p.type === 'daily')).toBe(true);
    expect(patterns.some((p) => p.type === 'relativeMonthly' && p.index)).toBe(true);
    expect(
      patterns.some((p) => p.type === 'absoluteMonthly' && p.interval === 3 && p.dayOfMonth),
    ).toBe(true);
  });

  it('have recurring 1:1s with key accounts and business reviews with several of their people', () => {
    const customerSeries = events.filter(
      (event) => isSeries(event) && externalsOn(event).length > 0,
    );
    expect(customerSeries.some((event) => peopleOn(event).length === 2)).toBe(true);
    expect(
      customerSeries.some(
        (event) =>
          event.recurrence?.pattern.type === 'relativeMonthly' && externalsOn(event).length >= 2,
      ),
    ).toBe(true);
    expect(
      customerSeries.some((event) => event.recurrence?.pattern.type === 'absoluteMonthly'),
    ).toBe(true);
  });

  it('have webinars with crowds from many companies, organised by Marketing', () => {
    const webinars = events.filter((event) => externalsOn(event).length >= 30);
    expect(webinars.length).toBeGreaterThanOrEqual(12);
    for (const webinar of webinars) {
      const organizer = index.userByMail.get(
        webinar.organizer?.emailAddress.address.toLowerCase() ?? '',
      );
      if (!organizer) continue; // a partner's summit is organised outside
      expect(['Marketing', 'Executives']).toContain(userById.get(organizer)?.department);
      expect(externalsOn(webinar).length).toBeLessThanOrEqual(200);
      expect(new Set(externalsOn(webinar).map(domainOf)).size).toBeGreaterThanOrEqual(10);
    }
  });

  it('have internal-only meetings, stand-ups and colleague 1:1s', () => {
    const internalOnly = events.filter(
      (event) => externalsOn(event).length === 0 && (event.attendees?.length ?? 0) > 0,
    );
    expect(internalOnly.length).toBeGreaterThan(300);
    expect(
      events.some(
        (event) =>
          /stand-up/.test(event.subject ?? '') &&
          event.recurrence?.pattern.daysOfWeek?.length === 5,
      ),
    ).toBe(true);
    expect(internalOnly.some((event) => event.recurrence && peopleOn(event).length === 2)).toBe(
      true,
    );
  });

  it('have private appointments, cancelled meetings, cancelled and changed occurrences', () => {
    expect(events.filter((event) => event.sensitivity === 'private').length).toBeGreaterThan(50);
    const cancelled = events.filter((event) => event.isCancelled);
    expect(cancelled.length).toBeGreaterThanOrEqual(3);
    expect(cancelled.some((event) => event.subject?.startsWith('Canceled: '))).toBe(true);
    expect(events.filter((event) => event.cancelledOccurrences?.length).length).toBeGreaterThan(20);
    const changed = events.filter((event) => event.exceptionOccurrences?.length);
    expect(changed.length).toBeGreaterThan(20);
    expect(changed.some((event) => event.exceptionOccurrences?.some((e) => e.attendees))).toBe(
      true,
    );
  });

  it('have every kind of answer: declined, tentative, no response', () => {
    const responses = new Set(
      events.flatMap((event) => (event.attendees ?? []).map((a) => a.status.response)),
    );
    for (const response of [
      'accepted',
      'declined',
      'tentativelyAccepted',
      'none',
      'notResponded',
    ]) {
      expect(responses).toContain(response);
    }
    const declinedByExternal = events.filter((event) =>
      (event.attendees ?? []).some(
        (a) => a.status.response === 'declined' && !isInternal(a.emailAddress.address),
      ),
    );
    expect(declinedByExternal.length).toBeGreaterThanOrEqual(5);
  });

  it('have all-day events, online meetings and in-person meetings in rooms', () => {
    const allDay = events.filter((event) => event.isAllDay);
    expect(allDay.length).toBeGreaterThan(10);
    for (const event of allDay) {
      expect(event.start.dateTime).toMatch(/T00:00:00\.0000000$/);
      expect(event.end.dateTime).toMatch(/T00:00:00\.0000000$/);
    }
    const online = events.filter((event) => event.isOnlineMeeting);
    expect(online.length).toBeGreaterThan(300);
    for (const event of online) {
      expect(event.onlineMeetingProvider).toBe('teamsForBusiness');
      expect(event.onlineMeeting?.joinUrl).toMatch(
        /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//,
      );
    }
    const roomMails = new Set(tenant.rooms?.map((room) => room.emailAddress));
    const inRooms = events.filter((event) =>
      event.attendees?.some((a) => a.type === 'resource' && roomMails.has(a.emailAddress.address)),
    );
    expect(inRooms.length).toBeGreaterThan(20);
    expect(inRooms.some((event) => !event.isOnlineMeeting)).toBe(true);
  });

  it('have meetings organised by external people and group mailboxes as attendees', () => {
    expect(
      events.filter((event) => !isInternal(event.organizer?.emailAddress.address ?? '')).length,
    ).toBeGreaterThan(10);
    const unifiedMails = new Set(
      tenant.groups.filter((g) => g.groupTypes.includes('Unified')).map((g) => g.mail),
    );
    expect(
      events.some((event) =>
        event.attendees?.some((a) => unifiedMails.has(a.emailAddress.address)),
      ),
    ).toBe(true);
  });

  it("are created in the organiser's own time zone", () => {
    for (const event of events) {
      const organizer = index.userByMail.get(
        event.organizer?.emailAddress.address.toLowerCase() ?? '',
      );
      expect(event.originalStartTimeZone).toBeTruthy();
      if (event.start.timeZone !== 'UTC')
        expect(event.start.timeZone).toBe(event.originalStartTimeZone);
      if (organizer)
        expect(event.originalStartTimeZone).toBe(tenant.mailboxSettings?.[organizer]?.timeZone);
    }
    expect(new Set(events.map((event) => event.start.timeZone)).size).toBeGreaterThanOrEqual(6);
    // Graph's default rendering (UTC) appears too, with the zone kept in originalStartTimeZone.
    expect(
      events.some(
        (event) => event.start.timeZone === 'UTC' && event.originalStartTimeZone !== 'UTC',
      ),
    ).toBe(true);
  });
});

describe('referential integrity', () => {
  it('group members are users or groups', () => {
    const ids = new Set([...tenant.users.map((u) => u.id), ...tenant.groups.map((g) => g.id)]);
    for (const group of tenant.groups)
      for (const member of group.members) expect(ids).toContain(member);
  });

  it('internal addresses on meetings are users with a mailbox, or group mailboxes', () => {
    for (const event of events) {
      for (const address of [
        event.organizer?.emailAddress.address ?? '',
        ...(event.attendees ?? []).map((a) => a.emailAddress.address),
      ]) {
        if (!isInternal(address)) continue;
        const lower = address.toLowerCase();
        expect(index.userByMail.has(lower) || index.groupMails.has(lower)).toBe(true);
      }
    }
  });

  it('rooms are room mailboxes, and resource attendees are rooms or equipment', () => {
    for (const room of tenant.rooms ?? []) {
      const user = index.userByMail.get(room.emailAddress.toLowerCase());
      expect(user && index.purposeOf(user)).toBe('room');
    }
    for (const event of events) {
      for (const attendee of (event.attendees ?? []).filter((a) => a.type === 'resource')) {
        const user = index.userByMail.get(attendee.emailAddress.address.toLowerCase());
        expect(['room', 'equipment']).toContain(user && index.purposeOf(user));
      }
    }
  });

  it('planted connectors are enabled users with mailboxes, and their contacts appear in meetings', () => {
    const addresses = new Set(events.flatMap((event) => peopleOn(event).map((p) => p.address)));
    for (const company of planted.companies) {
      expect(company.connectors.length).toBeGreaterThanOrEqual(3);
      for (const connector of company.connectors) {
        const user = userById.get(connector.userId);
        expect(user?.mail).toBe(connector.email);
        expect(user?.accountEnabled).toBe(true);
        expect(tenant.mailboxSettings?.[connector.userId]?.userPurpose?.value).toBe('user');
        expect(connector.contacts.length).toBeGreaterThan(0);
        for (const contact of connector.contacts) expect(addresses).toContain(contact);
      }
    }
  });

  it('calendars named in event keys exist', () => {
    for (const key of Object.keys(tenant.events).filter((k) => k.includes('/'))) {
      const [userId = '', calendarId] = key.split('/');
      expect(tenant.calendars?.[userId]?.map((c) => c.id)).toContain(calendarId);
    }
    expect(Object.keys(tenant.events).some((key) => key.includes('/'))).toBe(true);
  });
});
