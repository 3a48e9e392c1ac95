// Structural checks of a tenant file, so a generator bug or a typo in a hand-written fixture
// fails at load with the field and item named, not later as a wrong answer.
import type { ResponseType, TenantFile } from '../graph-types.js';
import { TenantFileError } from './errors.js';
import { DAYS_OF_WEEK } from './recurrence.js';
import { findZone, MS_PER_DAY, parseDateOnly, parseDateTime } from './time.js';

type Json = Record<string, unknown>;

/** Every attendee response status Graph knows. */
export const RESPONSE_TYPES: readonly ResponseType[] = [
  'none',
  'organizer',
  'tentativelyAccepted',
  'accepted',
  'declined',
  'notResponded',
];
const ATTENDEE_TYPES = ['required', 'optional', 'resource'];
const SENSITIVITIES = ['normal', 'personal', 'private', 'confidential'];
const SHOW_AS = ['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown'];
const PATTERN_TYPES = [
  'daily',
  'weekly',
  'absoluteMonthly',
  'relativeMonthly',
  'absoluteYearly',
  'relativeYearly',
];
const RANGE_TYPES = ['endDate', 'noEnd', 'numbered'];
const WEEK_INDEXES = ['first', 'second', 'third', 'fourth', 'last'];
const USER_PURPOSES = [
  'user',
  'linked',
  'shared',
  'room',
  'equipment',
  'others',
  'unknownFutureValue',
];

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

class Checker {
  readonly issues: string[] = [];

  fail(path: string, message: string): void {
    this.issues.push(`${path}: ${message}`);
  }

  object(value: unknown, path: string): value is Json {
    if (isObject(value)) return true;
    this.fail(path, `expected an object, got ${describe(value)}`);
    return false;
  }

  array(value: unknown, path: string): value is unknown[] {
    if (Array.isArray(value)) return true;
    this.fail(path, `expected an array, got ${describe(value)}`);
    return false;
  }

  string(value: unknown, path: string, { optional = false } = {}): value is string {
    if (optional && value === undefined) return false;
    if (typeof value === 'string' && value.length > 0) return true;
    this.fail(path, `expected a non-empty string, got ${describe(value)}`);
    return false;
  }

  boolean(value: unknown, path: string, { optional = false } = {}): void {
    if (optional && value === undefined) return;
    if (typeof value !== 'boolean')
      this.fail(path, `expected true or false, got ${describe(value)}`);
  }

  oneOf(value: unknown, allowed: readonly string[], path: string, { optional = false } = {}): void {
    if (optional && value === undefined) return;
    if (typeof value !== 'string' || !allowed.includes(value)) {
      this.fail(path, `expected one of ${allowed.join(', ')}, got ${describe(value)}`);
    }
  }

  email(value: unknown, path: string): value is string {
    if (typeof value === 'string' && /^[^@\s]+@[^@\s]+$/.test(value)) return true;
    this.fail(path, `expected an email address, got ${describe(value)}`);
    return false;
  }

  integer(value: unknown, path: string, min: number, max: number): void {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(path, `expected a whole number from ${min} to ${max}, got ${describe(value)}`);
    }
  }

  timeZone(value: unknown, path: string): void {
    if (!this.string(value, path)) return;
    if (findZone(value) === undefined) {
      this.fail(path, `unknown time zone ${describe(value)} (expected a Windows or IANA name)`);
    }
  }

  date(value: unknown, path: string): void {
    if (typeof value !== 'string' || parseDateOnly(value) === undefined) {
      this.fail(path, `expected a date "YYYY-MM-DD", got ${describe(value)}`);
    }
  }

  dateTimeTimeZone(value: unknown, path: string): void {
    if (!this.object(value, path)) return;
    if (typeof value.dateTime !== 'string' || parseDateTime(value.dateTime) === undefined) {
      this.fail(
        `${path}.dateTime`,
        `expected a date-time like "2026-09-01T09:00:00.0000000", got ${describe(value.dateTime)}`,
      );
    }
    this.timeZone(value.timeZone, `${path}.timeZone`);
  }
}

function label(path: string, item: Json): string {
  return typeof item.id === 'string' ? `${path} (id "${item.id}")` : path;
}

function checkOrganization(check: Checker, organization: unknown): void {
  if (!check.object(organization, 'organization')) return;
  check.string(organization.id, 'organization.id');
  check.string(organization.displayName, 'organization.displayName');
  if (!check.array(organization.verifiedDomains, 'organization.verifiedDomains')) return;
  let defaults = 0;
  organization.verifiedDomains.forEach((domain, i) => {
    const path = `organization.verifiedDomains[${i}]`;
    if (!check.object(domain, path)) return;
    check.string(domain.name, `${path}.name`);
    check.boolean(domain.isDefault, `${path}.isDefault`);
    check.boolean(domain.isInitial, `${path}.isInitial`, { optional: true });
    if (domain.isDefault === true) defaults++;
  });
  if (organization.verifiedDomains.length > 0 && defaults !== 1) {
    check.fail(
      'organization.verifiedDomains',
      `expected exactly one default domain, found ${defaults}`,
    );
  }
}

interface Directory {
  userIds: Set<string>;
  mailboxUserIds: Set<string>;
  groupIds: Set<string>;
}

function checkUsers(check: Checker, users: unknown, directory: Directory): void {
  if (!check.array(users, 'users')) return;
  const upns = new Set<string>();
  const mails = new Set<string>();
  users.forEach((user, i) => {
    if (!check.object(user, `users[${i}]`)) return;
    const path = label(`users[${i}]`, user);
    if (check.string(user.id, `${path}.id`)) {
      if (directory.userIds.has(user.id)) check.fail(`${path}.id`, 'duplicate user id');
      directory.userIds.add(user.id);
    }
    check.string(user.displayName, `${path}.displayName`);
    if (check.email(user.userPrincipalName, `${path}.userPrincipalName`)) {
      const upn = user.userPrincipalName.toLowerCase();
      if (upns.has(upn)) check.fail(`${path}.userPrincipalName`, 'duplicate userPrincipalName');
      upns.add(upn);
    }
    if (user.mail !== null) {
      if (check.email(user.mail, `${path}.mail`) && typeof user.id === 'string') {
        const mail = user.mail.toLowerCase();
        if (mails.has(mail)) check.fail(`${path}.mail`, 'duplicate mail address');
        mails.add(mail);
        directory.mailboxUserIds.add(user.id);
      }
    }
    check.boolean(user.accountEnabled, `${path}.accountEnabled`, { optional: true });
  });
}

function checkGroups(check: Checker, groups: unknown, directory: Directory): void {
  if (!check.array(groups, 'groups')) return;
  for (const [i, group] of groups.entries()) {
    if (isObject(group) && typeof group.id === 'string') {
      if (directory.groupIds.has(group.id) || directory.userIds.has(group.id)) {
        check.fail(`groups[${i}].id`, `duplicate directory object id "${group.id}"`);
      }
      directory.groupIds.add(group.id);
    }
  }
  groups.forEach((group, i) => {
    if (!check.object(group, `groups[${i}]`)) return;
    const path = label(`groups[${i}]`, group);
    check.string(group.id, `${path}.id`);
    check.string(group.displayName, `${path}.displayName`);
    if (group.mail !== null) check.email(group.mail, `${path}.mail`);
    check.boolean(group.mailEnabled, `${path}.mailEnabled`);
    check.boolean(group.securityEnabled, `${path}.securityEnabled`);
    if (check.array(group.groupTypes, `${path}.groupTypes`)) {
      group.groupTypes.forEach((type, j) => check.string(type, `${path}.groupTypes[${j}]`));
    }
    if (!check.array(group.members, `${path}.members`)) return;
    group.members.forEach((member, j) => {
      if (!check.string(member, `${path}.members[${j}]`)) return;
      if (member === group.id) check.fail(`${path}.members[${j}]`, 'a group cannot contain itself');
      else if (!directory.userIds.has(member) && !directory.groupIds.has(member)) {
        check.fail(`${path}.members[${j}]`, `no user or group has id "${member}"`);
      }
    });
  });
}

/** Settings and calendars are keyed by a user id that must have a mailbox. */
function checkMailboxOwner(
  check: Checker,
  userId: string,
  path: string,
  directory: Directory,
): void {
  if (!directory.userIds.has(userId)) check.fail(path, 'no user has this id');
  else if (!directory.mailboxUserIds.has(userId)) {
    check.fail(path, 'this user has no mailbox (mail is null)');
  }
}

function checkMailboxSettings(check: Checker, settings: unknown, directory: Directory): void {
  if (settings === undefined || !check.object(settings, 'mailboxSettings')) return;
  for (const [userId, value] of Object.entries(settings)) {
    const path = `mailboxSettings["${userId}"]`;
    checkMailboxOwner(check, userId, path, directory);
    if (!check.object(value, path)) continue;
    if (value.timeZone !== undefined) check.timeZone(value.timeZone, `${path}.timeZone`);
    if (value.userPurpose !== undefined && check.object(value.userPurpose, `${path}.userPurpose`)) {
      check.oneOf(value.userPurpose.value, USER_PURPOSES, `${path}.userPurpose.value`);
    }
  }
}

function checkCalendars(
  check: Checker,
  calendars: unknown,
  directory: Directory,
): Map<string, Set<string>> {
  const calendarIds = new Map<string, Set<string>>();
  if (calendars === undefined || !check.object(calendars, 'calendars')) return calendarIds;
  for (const [userId, list] of Object.entries(calendars)) {
    const path = `calendars["${userId}"]`;
    checkMailboxOwner(check, userId, path, directory);
    if (!check.array(list, path)) continue;
    if (list.length === 0) check.fail(path, 'a mailbox has at least one calendar');
    const ids = new Set<string>();
    let defaults = 0;
    list.forEach((calendar, i) => {
      if (!check.object(calendar, `${path}[${i}]`)) return;
      const itemPath = label(`${path}[${i}]`, calendar);
      if (check.string(calendar.id, `${itemPath}.id`)) {
        if (ids.has(calendar.id)) check.fail(`${itemPath}.id`, 'duplicate calendar id');
        ids.add(calendar.id);
      }
      check.string(calendar.name, `${itemPath}.name`);
      check.boolean(calendar.isDefaultCalendar, `${itemPath}.isDefaultCalendar`, {
        optional: true,
      });
      if (calendar.isDefaultCalendar === true) defaults++;
    });
    if (defaults > 1) check.fail(path, `expected at most one default calendar, found ${defaults}`);
    calendarIds.set(userId, ids);
  }
  return calendarIds;
}

function checkRecurrence(check: Checker, recurrence: unknown, path: string): void {
  if (!check.object(recurrence, path)) return;
  const { pattern, range } = recurrence;
  if (check.object(pattern, `${path}.pattern`)) {
    const type = pattern.type;
    check.oneOf(type, PATTERN_TYPES, `${path}.pattern.type`);
    check.integer(pattern.interval, `${path}.pattern.interval`, 1, 99);
    const needsDays = type === 'weekly' || type === 'relativeMonthly' || type === 'relativeYearly';
    if (needsDays || pattern.daysOfWeek !== undefined) {
      if (check.array(pattern.daysOfWeek, `${path}.pattern.daysOfWeek`)) {
        if (needsDays && pattern.daysOfWeek.length === 0) {
          check.fail(
            `${path}.pattern.daysOfWeek`,
            `a ${String(type)} pattern needs at least one day`,
          );
        }
        pattern.daysOfWeek.forEach((day, i) =>
          check.oneOf(day, DAYS_OF_WEEK, `${path}.pattern.daysOfWeek[${i}]`),
        );
      }
    }
    if (type === 'absoluteMonthly' || type === 'absoluteYearly') {
      check.integer(pattern.dayOfMonth, `${path}.pattern.dayOfMonth`, 1, 31);
    }
    if (type === 'absoluteYearly' || type === 'relativeYearly') {
      check.integer(pattern.month, `${path}.pattern.month`, 1, 12);
    }
    check.oneOf(pattern.index, WEEK_INDEXES, `${path}.pattern.index`, { optional: true });
    check.oneOf(pattern.firstDayOfWeek, DAYS_OF_WEEK, `${path}.pattern.firstDayOfWeek`, {
      optional: true,
    });
  }
  if (check.object(range, `${path}.range`)) {
    check.oneOf(range.type, RANGE_TYPES, `${path}.range.type`);
    check.date(range.startDate, `${path}.range.startDate`);
    if (range.type === 'endDate') {
      check.date(range.endDate, `${path}.range.endDate`);
      if (
        typeof range.endDate === 'string' &&
        typeof range.startDate === 'string' &&
        range.endDate < range.startDate
      ) {
        check.fail(`${path}.range.endDate`, 'is before range.startDate');
      }
    }
    if (range.type === 'numbered') {
      check.integer(range.numberOfOccurrences, `${path}.range.numberOfOccurrences`, 1, 5000);
    }
    if (range.recurrenceTimeZone !== undefined) {
      check.timeZone(range.recurrenceTimeZone, `${path}.range.recurrenceTimeZone`);
    }
  }
}

function checkAttendees(check: Checker, attendees: unknown, path: string): void {
  if (attendees === undefined || !check.array(attendees, path)) return;
  attendees.forEach((attendee, i) => {
    const itemPath = `${path}[${i}]`;
    if (!check.object(attendee, itemPath)) return;
    check.oneOf(attendee.type, ATTENDEE_TYPES, `${itemPath}.type`, { optional: true });
    if (check.object(attendee.emailAddress, `${itemPath}.emailAddress`)) {
      check.email(attendee.emailAddress.address, `${itemPath}.emailAddress.address`);
    }
    if (attendee.status !== undefined && check.object(attendee.status, `${itemPath}.status`)) {
      check.oneOf(attendee.status.response, RESPONSE_TYPES, `${itemPath}.status.response`);
    }
  });
}

/** Fields an event and an exception occurrence share. */
function checkEventFields(check: Checker, event: Json, path: string): void {
  if (event.start !== undefined) check.dateTimeTimeZone(event.start, `${path}.start`);
  if (event.end !== undefined) check.dateTimeTimeZone(event.end, `${path}.end`);
  if (event.subject !== undefined && typeof event.subject !== 'string') {
    check.fail(`${path}.subject`, `expected a string, got ${describe(event.subject)}`);
  }
  check.boolean(event.isAllDay, `${path}.isAllDay`, { optional: true });
  check.boolean(event.isCancelled, `${path}.isCancelled`, { optional: true });
  check.boolean(event.isOnlineMeeting, `${path}.isOnlineMeeting`, { optional: true });
  check.oneOf(event.sensitivity, SENSITIVITIES, `${path}.sensitivity`, { optional: true });
  check.oneOf(event.showAs, SHOW_AS, `${path}.showAs`, { optional: true });
  checkAttendees(check, event.attendees, `${path}.attendees`);
  if (event.organizer !== undefined && check.object(event.organizer, `${path}.organizer`)) {
    if (check.object(event.organizer.emailAddress, `${path}.organizer.emailAddress`)) {
      check.email(event.organizer.emailAddress.address, `${path}.organizer.emailAddress.address`);
    }
  }
  if (event.isAllDay === true) {
    for (const side of ['start', 'end'] as const) {
      const value = event[side];
      const parsed =
        isObject(value) && typeof value.dateTime === 'string'
          ? parseDateTime(value.dateTime)
          : undefined;
      if (parsed?.localMs !== undefined && parsed.localMs % MS_PER_DAY !== 0) {
        check.fail(`${path}.${side}.dateTime`, 'an all-day event starts and ends at midnight');
      }
    }
  }
}

function checkEvent(
  check: Checker,
  event: unknown,
  path: string,
  eventIds: Set<string>,
  { requireId = true } = {},
): void {
  if (!check.object(event, path)) return;
  const itemPath = label(path, event);
  if ((requireId || event.id !== undefined) && check.string(event.id, `${itemPath}.id`)) {
    if (eventIds.has(event.id)) {
      check.fail(`${itemPath}.id`, 'duplicate event id (each meeting appears once in the file)');
    }
    eventIds.add(event.id);
  }
  // start and end are required here; checkEventFields checks their content
  if (event.start === undefined) check.object(event.start, `${itemPath}.start`);
  if (event.end === undefined) check.object(event.end, `${itemPath}.end`);
  checkEventFields(check, event, itemPath);
  if (event.iCalUId !== undefined) check.string(event.iCalUId, `${itemPath}.iCalUId`);
  const recurring = event.recurrence !== undefined && event.recurrence !== null;
  if (recurring) checkRecurrence(check, event.recurrence, `${itemPath}.recurrence`);
  if (event.cancelledOccurrences !== undefined) {
    const listPath = `${itemPath}.cancelledOccurrences`;
    if (!recurring) check.fail(listPath, 'only a recurring series has cancelled occurrences');
    else if (check.array(event.cancelledOccurrences, listPath)) {
      event.cancelledOccurrences.forEach((date, i) => check.date(date, `${listPath}[${i}]`));
    }
  }
  if (event.exceptionOccurrences !== undefined) {
    const listPath = `${itemPath}.exceptionOccurrences`;
    if (!recurring) check.fail(listPath, 'only a recurring series has exception occurrences');
    else if (check.array(event.exceptionOccurrences, listPath)) {
      event.exceptionOccurrences.forEach((exception, i) => {
        if (!check.object(exception, `${listPath}[${i}]`)) return;
        check.date(exception.originalStartDate, `${listPath}[${i}].originalStartDate`);
        checkEventFields(check, exception, `${listPath}[${i}]`);
      });
    }
  }
}

function checkEvents(
  check: Checker,
  events: unknown,
  directory: Directory,
  calendarIds: Map<string, Set<string>>,
): void {
  if (!check.object(events, 'events')) return;
  const eventIds = new Set<string>();
  for (const [key, list] of Object.entries(events)) {
    const path = `events["${key}"]`;
    const slash = key.indexOf('/');
    const userId = slash < 0 ? key : key.slice(0, slash);
    if (!directory.userIds.has(userId)) check.fail(path, `no user has id "${userId}"`);
    else if (!directory.mailboxUserIds.has(userId)) {
      check.fail(path, `user "${userId}" has no mailbox (mail is null)`);
    } else if (slash >= 0 && !calendarIds.get(userId)?.has(key.slice(slash + 1))) {
      check.fail(path, `user "${userId}" has no calendar "${key.slice(slash + 1)}" in calendars`);
    }
    if (!check.array(list, path)) continue;
    list.forEach((event, i) => checkEvent(check, event, `${path}[${i}]`, eventIds));
  }
}

function checkRooms(check: Checker, rooms: unknown): void {
  if (rooms === undefined || !check.array(rooms, 'rooms')) return;
  rooms.forEach((room, i) => {
    if (!check.object(room, `rooms[${i}]`)) return;
    const path = label(`rooms[${i}]`, room);
    check.string(room.id, `${path}.id`);
    check.email(room.emailAddress, `${path}.emailAddress`);
    check.string(room.displayName, `${path}.displayName`);
  });
}

/** Problems with an event a client creates (Graph's POST /events body); empty when fine. */
export function eventInputIssues(event: unknown): string[] {
  const check = new Checker();
  checkEvent(check, event, 'event', new Set(), { requireId: false });
  return check.issues;
}

/** Problems with a PATCH body for an event; empty when fine. */
export function eventPatchIssues(patch: unknown): string[] {
  const check = new Checker();
  if (!check.object(patch, 'patch')) return check.issues;
  checkEventFields(check, patch, 'patch');
  if (patch.recurrence !== undefined && patch.recurrence !== null) {
    checkRecurrence(check, patch.recurrence, 'patch.recurrence');
  }
  return check.issues;
}

/**
 * Checks that `x` is a loadable tenant file and returns it typed. Throws a TenantFileError whose
 * message lists every problem found, each naming the field and the item.
 */
export function validateTenantFile(x: unknown): TenantFile {
  const check = new Checker();
  if (!check.object(x, 'tenant file')) throw new TenantFileError(check.issues);
  const directory: Directory = {
    userIds: new Set(),
    mailboxUserIds: new Set(),
    groupIds: new Set(),
  };
  checkOrganization(check, x.organization);
  checkUsers(check, x.users, directory);
  checkGroups(check, x.groups, directory);
  checkMailboxSettings(check, x.mailboxSettings, directory);
  const calendarIds = checkCalendars(check, x.calendars, directory);
  checkEvents(check, x.events, directory, calendarIds);
  checkRooms(check, x.rooms);
  if (check.issues.length > 0) throw new TenantFileError(check.issues);
  return x as unknown as TenantFile;
}
