// Small building blocks shared by the parts that plan meetings.
import type { DayOfWeek, RecurrencePattern, ResponseType } from '../graph-types.js';
import { type Day, dayOfWeekName, isWeekend, nextWorkday } from './calendar-days.js';
import type { EventSink } from './events.js';
import type {
  ExternalCompany,
  ExternalContact,
  AttendeePlan,
  Employee,
  Participant,
} from './model.js';
import type { ExternalWorld } from './companies.js';
import type { Organisation } from './organisation.js';
import type { Random } from './random.js';

export interface GenerationContext {
  seed: number;
  anchor: Day;
  historyStart: Day;
  /** End of the tenant window (exclusive): three months after the anchor. */
  horizon: Day;
  org: Organisation;
  world: ExternalWorld;
  sink: EventSink;
}

export function attendee(
  who: Participant,
  response: ResponseType = 'accepted',
  type: AttendeePlan['type'] = 'required',
): AttendeePlan {
  return { who, type, response };
}

export function contactParticipant(contact: ExternalContact): Participant {
  return { displayName: contact.displayName, address: contact.email, kind: 'external' };
}

export function companyContacts(company: ExternalCompany): ExternalContact[] {
  return company.contacts.filter((contact) => !contact.personalDomain);
}

/** A meeting start on a half-hour grid between `earliest` and `latest` (minutes after midnight). */
export function startTime(rng: Random, earliest = 9 * 60, latest = 16 * 60): number {
  return earliest + 30 * rng.int(0, Math.floor((latest - earliest) / 30));
}

export function weekly(days: DayOfWeek[], interval = 1): RecurrencePattern {
  return { type: 'weekly', interval, daysOfWeek: days, firstDayOfWeek: 'sunday' };
}

/** The first workday on or after `day` that is also on or after `notBefore`. */
export function workdayFrom(day: Day, notBefore = -Infinity): Day {
  return nextWorkday(Math.max(Math.round(day), Math.ceil(notBefore)));
}

/** A workday chosen uniformly in [from, to]. */
export function randomWorkday(rng: Random, from: Day, to: Day): Day {
  const day = rng.int(Math.round(from), Math.max(Math.round(from), Math.round(to)));
  return isWeekend(day) ? day + (dayOfWeekName(day) === 'saturday' ? 2 : 1) : day;
}

/** Whether the employee is on staff (and can meet) on that day. */
export function isActive(employee: Employee, day: Day): boolean {
  return (
    employee.mail !== null &&
    day >= employee.hireDay &&
    (employee.leaveDay === undefined || day <= employee.leaveDay)
  );
}

/** A mixed set of answers for a larger meeting, as real invitations collect them. */
export function crowdResponse(rng: Random): ResponseType {
  return rng.weighted([
    ['accepted', 62],
    ['tentativelyAccepted', 10],
    ['none', 18],
    ['notResponded', 4],
    ['declined', 6],
  ] as const);
}

/** The Participant form of an employee (for meeting attendee lists). */
export function employeeParticipant(employee: Employee): Participant {
  if (!employee.mail) throw new Error(`${employee.displayName} has no mailbox and cannot meet`);
  return { displayName: employee.displayName, address: employee.mail, employee, kind: 'employee' };
}
