// Turns planned meetings into Graph events (as Graph returns them from the organizer's or an
// attendee's mailbox) and keeps the running counts the generator sizes its volume with.
import { localToUtc, requireZone } from '../engine/time.js';
import type {
  Attendee,
  GraphEvent,
  PatternedRecurrence,
  RecurrencePattern,
  ResponseStatus,
} from '../graph-types.js';
import { type Day, isoDate, localDateTime, utcInstant } from './calendar-days.js';
import type { AttendeePlan, Employee, Participant, RoomMailbox } from './model.js';
import { Random } from './random.js';
import { occurrenceDays } from './recurrence.js';

export const NEVER_RESPONDED = '0001-01-01T00:00:00Z';

/** Graph treats meetings up to this many people as person-level relationship evidence. */
export const SMALL_MEETING_MAX_PEOPLE = 8;

/** Minutes `timeZone` is ahead of UTC at that local wall-clock time (local = UTC + offset). */
function utcOffsetMinutes(timeZone: string, day: Day, minutes: number): number {
  const localMs = (day * 1440 + minutes) * 60_000;
  return (localMs - localToUtc(requireZone(timeZone), localMs)) / 60_000;
}

export interface MeetingException {
  originalDay: Day;
  day: Day;
  startMinutes: number;
  durationMinutes: number;
  /** Changed attendee answers for this one occurrence. */
  attendees?: AttendeePlan[];
}

export interface MeetingPlan {
  subject: string;
  /** Plain-text agenda; the body adds a Teams block when online. */
  agenda: string;
  organizer: Participant;
  /** Windows zone the organizer created the meeting in. */
  timeZone: string;
  attendees: AttendeePlan[];
  /** First occurrence (series) or the day (single), local to `timeZone`. */
  day: Day;
  startMinutes: number;
  durationMinutes: number;
  /** All-day events span whole days. */
  allDayDays?: number;
  recurrence?: { pattern: RecurrencePattern; endDay?: Day; occurrences?: number };
  cancelledDays?: Day[];
  exceptions?: MeetingException[];
  online: boolean;
  room?: RoomMailbox;
  /** A named place outside the office: a customer's address, a restaurant, a hotel. */
  place?: { displayName: string; locationType: string };
  isCancelled?: boolean;
  sensitivity?: GraphEvent['sensitivity'];
  showAs?: GraphEvent['showAs'];
  categories?: string[];
  /** Write start and end as Graph renders them without a Prefer header: in UTC. */
  utcTimes?: boolean;
  /** Whose calendar the meeting is filed under when the organizer is external. */
  owner?: Employee;
  /** A secondary calendar of the owner. */
  calendarId?: string;
}

function graphPattern(pattern: RecurrencePattern): RecurrencePattern {
  // Graph returns every pattern property, with zero values where they do not apply.
  return {
    type: pattern.type,
    interval: pattern.interval,
    month: pattern.month ?? 0,
    dayOfMonth: pattern.dayOfMonth ?? 0,
    daysOfWeek: pattern.daysOfWeek ?? [],
    firstDayOfWeek: pattern.firstDayOfWeek ?? 'sunday',
    index: pattern.index ?? 'first',
  };
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export class EventSink {
  readonly events: Record<string, GraphEvent[]> = {};
  /** Mailbox instances (occurrences × internal people who keep them) per employee id. */
  readonly instancesByEmployee = new Map<string, number>();
  totalInstances = 0;
  private readonly rng: Random;

  constructor(
    seed: number,
    private readonly tenantId: string,
    private readonly window: { from: Day; to: Day },
    private readonly anchor: Day,
  ) {
    this.rng = new Random(seed, 'event-ids');
  }

  /** Employees whose mailbox gets a copy of the meeting (organizer and internal attendees). */
  static internalPeople(plan: MeetingPlan): Array<{ employee: Employee; declined: boolean }> {
    const people: Array<{ employee: Employee; declined: boolean }> = [];
    if (plan.organizer.employee)
      people.push({ employee: plan.organizer.employee, declined: false });
    for (const attendee of plan.attendees) {
      if (attendee.who.employee && attendee.type !== 'resource') {
        people.push({
          employee: attendee.who.employee,
          declined: attendee.response === 'declined',
        });
      }
    }
    return people;
  }

  /** Occurrence days the plan would have inside the window, without emitting it. */
  occurrencesOf(plan: MeetingPlan): Day[] {
    if (!plan.recurrence) {
      return plan.day >= this.window.from && plan.day < this.window.to ? [plan.day] : [];
    }
    return occurrenceDays(
      this.recurrenceOf(plan),
      this.window,
      (plan.cancelledDays ?? []).map(isoDate),
    );
  }

  /** Instances the plan adds to mailboxes (declined and cancelled copies not counted). */
  instanceCount(plan: MeetingPlan): number {
    if (plan.isCancelled) return 0;
    const keepers = EventSink.internalPeople(plan).filter((person) => !person.declined).length;
    return keepers * this.occurrencesOf(plan).length;
  }

  private recurrenceOf(plan: MeetingPlan): PatternedRecurrence {
    const recurrence = plan.recurrence;
    if (!recurrence) throw new Error('not a series');
    const range: PatternedRecurrence['range'] =
      recurrence.endDay !== undefined
        ? {
            type: 'endDate',
            startDate: isoDate(plan.day),
            endDate: isoDate(recurrence.endDay),
            recurrenceTimeZone: plan.timeZone,
            numberOfOccurrences: 0,
          }
        : recurrence.occurrences !== undefined
          ? {
              type: 'numbered',
              startDate: isoDate(plan.day),
              endDate: '0001-01-01',
              recurrenceTimeZone: plan.timeZone,
              numberOfOccurrences: recurrence.occurrences,
            }
          : {
              type: 'noEnd',
              startDate: isoDate(plan.day),
              endDate: '0001-01-01',
              recurrenceTimeZone: plan.timeZone,
              numberOfOccurrences: 0,
            };
    return { pattern: graphPattern(recurrence.pattern), range };
  }

  /** Builds the Graph event for a plan and files it under one internal participant. */
  emit(plan: MeetingPlan): GraphEvent {
    const rng = this.rng;
    const owner =
      plan.organizer.employee ??
      plan.owner ??
      plan.attendees.find((a) => a.who.employee)?.who.employee;
    if (!owner) throw new Error(`Meeting "${plan.subject}" has no internal participant`);
    const ownerIsOrganizer = plan.organizer.employee === owner;

    const id = `AAMkA${rng.base64url(134)}=`;
    const changeKey = `${rng.base64url(27)}A==`;
    const iCalUId = `040000008200E00074C5B7101A82E00800000000${rng.hex(16).toUpperCase()}000000000000000010000000${rng.hex(32).toUpperCase()}`;
    const lastTouched = Math.min(plan.day, this.anchor);
    const createdDay = lastTouched - rng.int(1, 20);
    const createdSeconds = rng.int(6 * 3600, 20 * 3600);
    const createdDateTime = utcInstant(createdDay, createdSeconds, rng.digits(7));
    // Cancelling or changing an occurrence touches the item shortly before that occurrence.
    const touchedDays = [
      ...(plan.cancelledDays ?? []),
      ...(plan.exceptions ?? []).map((exception) => exception.originalDay),
      ...(plan.isCancelled ? [plan.day] : []),
    ];
    const modifiedDay = touchedDays.length
      ? Math.max(createdDay, Math.min(this.anchor - 1, Math.max(...touchedDays) - 1))
      : createdDay;
    const lastModifiedDateTime = utcInstant(
      modifiedDay,
      modifiedDay === createdDay ? createdSeconds + rng.int(0, 600) : rng.int(6 * 3600, 20 * 3600),
      rng.digits(7),
    );
    const answeredAt = (): string =>
      utcInstant(
        Math.min(createdDay + rng.int(1, 3), this.anchor),
        rng.int(6 * 3600, 22 * 3600),
        rng.digits(7),
      );

    const status = (response: AttendeePlan['response']): ResponseStatus =>
      response === 'none' || response === 'notResponded' || response === 'organizer'
        ? { response, time: NEVER_RESPONDED }
        : { response, time: answeredAt() };
    const attendees: Attendee[] = plan.attendees.map((attendee) => ({
      type: attendee.type,
      status: status(attendee.response),
      emailAddress: { name: attendee.who.displayName, address: attendee.who.address },
    }));
    if (plan.room) {
      attendees.push({
        type: 'resource',
        status: { response: 'accepted', time: answeredAt() },
        emailAddress: { name: plan.room.displayName, address: plan.room.mail },
      });
    }
    const ownerAttendee = plan.attendees.find((attendee) => attendee.who.employee === owner);
    const responseStatus: ResponseStatus = ownerIsOrganizer
      ? { response: 'organizer', time: NEVER_RESPONDED }
      : (attendees[plan.attendees.indexOf(ownerAttendee as AttendeePlan)]?.status ?? {
          response: 'none',
          time: NEVER_RESPONDED,
        });

    const joinUrl = plan.online
      ? `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${rng.base64url(48)}%40thread.v2/0?context=%7b%22Tid%22%3a%22${plan.organizer.employee ? this.tenantId : rng.guid()}%22%2c%22Oid%22%3a%22${plan.organizer.employee?.id ?? rng.guid()}%22%7d`
      : undefined;
    const meetingId = `${rng.digits(3)} ${rng.digits(3)} ${rng.digits(3)} ${rng.digits(3)}`;
    const passcode = rng.base64url(6).replace(/[-_]/g, 'x');
    const teamsText = joinUrl
      ? `\r\n________________________________________________________________________________\r\nMicrosoft Teams meeting\r\nJoin on your computer, mobile app or room device\r\nClick here to join the meeting<${joinUrl}>\r\nMeeting ID: ${meetingId}\r\nPasscode: ${passcode}\r\nDownload Teams | Join on the web\r\nLearn More | Meeting options\r\n________________________________________________________________________________`
      : '';
    const bodyPreview = `${plan.agenda.replace(/\n/g, '\r\n')}${teamsText}`.slice(0, 255);
    const agendaHtml = plan.agenda
      .split('\n')
      .map((line) => `<div>${line ? escapeHtml(line) : '<br>'}</div>`)
      .join('\r\n');
    const teamsHtml = joinUrl
      ? `\r\n<div style="width:100%">________________________________________________________________________________</div>\r\n<div style="margin-bottom:24px"><span style="font-size:24px; font-weight:700">Microsoft Teams meeting</span></div>\r\n<div><span style="font-size:20px; font-weight:600">Join on your computer, mobile app or room device</span></div>\r\n<div><a href="${escapeHtml(joinUrl)}" target="_blank" rel="noreferrer noopener">Click here to join the meeting</a></div>\r\n<div><span style="font-size:14px">Meeting ID: </span><span style="font-size:16px">${meetingId}</span><br><span style="font-size:14px">Passcode: </span><span style="font-size:16px">${passcode}</span></div>\r\n<div style="width:100%">________________________________________________________________________________</div>`
      : '';
    const body = {
      contentType: 'html' as const,
      content: `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n${agendaHtml}${teamsHtml}\r\n</body>\r\n</html>\r\n`,
    };

    const teamsLocation = { displayName: 'Microsoft Teams Meeting', locationType: 'default' };
    const places: Array<{
      displayName: string;
      locationType: string;
      uniqueId: string;
      uniqueIdType: string;
    }> = [];
    if (plan.room) {
      places.push({
        displayName: plan.room.displayName,
        locationType: 'conferenceRoom',
        uniqueId: plan.room.mail,
        uniqueIdType: 'directory',
      });
    }
    if (plan.place) {
      places.push({ ...plan.place, uniqueId: plan.place.displayName, uniqueIdType: 'private' });
    }
    if (plan.online)
      places.push({
        ...teamsLocation,
        uniqueId: teamsLocation.displayName,
        uniqueIdType: 'private',
      });
    const location =
      places.length === 0
        ? { displayName: '', locationType: 'default', uniqueIdType: 'unknown' }
        : places.length === 1
          ? (places[0] as (typeof places)[number])
          : {
              displayName: places.map((place) => place.displayName).join('; '),
              locationType: 'default',
              uniqueIdType: 'unknown',
            };

    const allDay = plan.allDayDays !== undefined;
    const startMinutes = allDay ? 0 : plan.startMinutes;
    const endDay = allDay ? plan.day + (plan.allDayDays ?? 1) : plan.day;
    const endMinutes = allDay ? 0 : plan.startMinutes + plan.durationMinutes;
    const asUtc = Boolean(plan.utcTimes) && !plan.recurrence && !allDay;
    const timeOf = (day: Day, minutes: number): { dateTime: string; timeZone: string } => {
      if (!asUtc) return { dateTime: localDateTime(day, minutes), timeZone: plan.timeZone };
      const offset = utcOffsetMinutes(plan.timeZone, day, minutes);
      return { dateTime: localDateTime(day, minutes - offset), timeZone: 'UTC' };
    };

    const recurrence = plan.recurrence ? this.recurrenceOf(plan) : null;
    const exceptionOccurrences = (plan.exceptions ?? []).map((exception) => ({
      originalStartDate: isoDate(exception.originalDay),
      start: timeOf(exception.day, exception.startMinutes),
      end: timeOf(exception.day, exception.startMinutes + exception.durationMinutes),
      ...(exception.attendees
        ? {
            attendees: exception.attendees.map((attendee) => ({
              type: attendee.type,
              status: status(attendee.response),
              emailAddress: { name: attendee.who.displayName, address: attendee.who.address },
            })),
          }
        : {}),
    }));

    const event: GraphEvent = {
      '@odata.etag': `W/"${changeKey}"`,
      id,
      createdDateTime,
      lastModifiedDateTime,
      changeKey,
      categories: plan.categories ?? [],
      originalStartTimeZone: plan.timeZone,
      originalEndTimeZone: plan.timeZone,
      iCalUId,
      subject: plan.isCancelled && !ownerIsOrganizer ? `Canceled: ${plan.subject}` : plan.subject,
      bodyPreview,
      sensitivity: plan.sensitivity ?? 'normal',
      isAllDay: allDay,
      isCancelled: plan.isCancelled ?? false,
      isOrganizer: ownerIsOrganizer,
      responseRequested: true,
      seriesMasterId: null,
      showAs:
        plan.showAs ?? (responseStatus.response === 'tentativelyAccepted' ? 'tentative' : 'busy'),
      type: recurrence ? 'seriesMaster' : 'singleInstance',
      webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
      isOnlineMeeting: plan.online,
      onlineMeetingProvider: plan.online ? 'teamsForBusiness' : 'unknown',
      isDraft: false,
      responseStatus,
      body,
      start: timeOf(plan.day, startMinutes),
      end: timeOf(endDay, endMinutes),
      location,
      locations: places.map(({ displayName, locationType }) => ({ displayName, locationType })),
      recurrence,
      attendees,
      organizer: {
        emailAddress: { name: plan.organizer.displayName, address: plan.organizer.address },
      },
      onlineMeeting: joinUrl ? { joinUrl } : null,
      ...(plan.cancelledDays?.length
        ? { cancelledOccurrences: plan.cancelledDays.map(isoDate) }
        : {}),
      ...(exceptionOccurrences.length ? { exceptionOccurrences } : {}),
    };

    const key = plan.calendarId ? `${owner.id}/${plan.calendarId}` : owner.id;
    (this.events[key] ??= []).push(event);

    const occurrences = this.occurrencesOf(plan);
    if (!plan.isCancelled) {
      for (const person of EventSink.internalPeople(plan)) {
        if (person.declined) continue;
        this.instancesByEmployee.set(
          person.employee.id,
          (this.instancesByEmployee.get(person.employee.id) ?? 0) + occurrences.length,
        );
        this.totalInstances += occurrences.length;
      }
    }
    return event;
  }
}
