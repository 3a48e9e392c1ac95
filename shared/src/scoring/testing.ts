// Test support for scoring, intro paths and the bot: meeting series between the fixture tenant's
// colleagues (@contoso.com) and outside contacts.
import { meeting } from '../store/testing.js';
import type { AttendeeInput, EventInput } from '../store/index.js';

const DAY_MS = 86_400_000;
/** The fixture tenant's own domain: addresses there are colleagues, all others contacts. */
export const FIXTURE_INTERNAL_DOMAIN = 'contoso.com';

/**
 * An accepted attendee (the organiser when `role` says so) named after the address's local part,
 * internal at contoso.com; `internalSuffix` is appended to colleagues' names ("Dana Contoso").
 */
export function fixtureAttendee(
  email: string,
  role: AttendeeInput['role'] = 'required',
  internalSuffix = '',
): AttendeeInput {
  const [local = '', domain = ''] = email.split('@');
  const internal = domain === FIXTURE_INTERNAL_DOMAIN;
  return {
    email,
    kind: internal ? 'internal' : 'external',
    role,
    response: role === 'organizer' ? 'organizer' : 'accepted',
    displayName: local.replace(/^./, (c) => c.toUpperCase()) + (internal ? internalSuffix : ''),
    ...(internal ? {} : { domain }),
  };
}

export interface MeetingSeriesOptions {
  /** the instant the series ends at (epoch ms) */
  now: number;
  /** days between meetings */
  every: number;
  /** days the series goes back; default 180 */
  span?: number;
  /** appended to colleagues' display names */
  internalSuffix?: string;
}

/** 30-minute meetings every `every` days over the `span` days before `now`, uids `${uid}-0`… */
export function meetingSeries(
  uid: string,
  organizer: string,
  others: readonly string[],
  options: MeetingSeriesOptions,
): EventInput[] {
  const { now, every, span = 180, internalSuffix = '' } = options;
  const list: EventInput[] = [];
  for (let d = 2, i = 0; d < span; d += every, i++) {
    list.push(
      meeting(`${uid}-${i}`, {
        startAt: now - d * DAY_MS,
        endAt: now - d * DAY_MS + 30 * 60_000,
        attendees: [
          fixtureAttendee(organizer, 'organizer', internalSuffix),
          ...others.map((o) => fixtureAttendee(o, 'required', internalSuffix)),
        ],
      }),
    );
  }
  return list;
}
