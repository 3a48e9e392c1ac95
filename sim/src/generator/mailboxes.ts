// Mailboxes that are not people (rooms, a shared mailbox, equipment) and every mailbox's settings.
import type { DayOfWeek, GraphUser, MailboxSettings } from '../graph-types.js';
import { WEEKDAYS } from './calendar-days.js';
import { mailLocalPart } from './mail-addresses.js';
import type { Employee, Office, Participant, RoomMailbox } from './model.js';
import { isRemote } from './offices.js';
import type { Random } from './random.js';

export function buildRooms(employees: Employee[], rng: Random, domain: string): RoomMailbox[] {
  const headcount = new Map<string, { office: Office; count: number }>();
  for (const employee of employees) {
    if (isRemote(employee.office)) continue;
    const entry = headcount.get(employee.office.key) ?? { office: employee.office, count: 0 };
    entry.count++;
    headcount.set(employee.office.key, entry);
  }
  const rooms: RoomMailbox[] = [];
  for (const { office, count } of [...headcount.values()]) {
    const roomCount = Math.min(office.roomNames.length, Math.max(1, Math.ceil(count / 12)));
    for (const name of office.roomNames.slice(0, roomCount)) {
      const cityCode = office.key.slice(0, 3);
      rooms.push({
        id: rng.guid(),
        displayName: `Conf Room ${name} (${office.city})`,
        mail: `rm-${cityCode}-${mailLocalPart(name.replace(/\s+/g, ''))}@${domain}`,
        office,
        capacity: rng.pick([4, 6, 8, 10, 12, 16, 20]),
      });
    }
  }
  return rooms;
}

export function specialMailbox(
  rng: Random,
  displayName: string,
  address: string,
): { user: GraphUser; participant: Participant } {
  const user: GraphUser = {
    id: rng.guid(),
    businessPhones: [],
    displayName,
    givenName: null,
    surname: null,
    jobTitle: null,
    mail: address,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    userPrincipalName: address,
    department: null,
    companyName: null,
    // Shared and resource mailboxes have no sign-in of their own.
    accountEnabled: false,
    usageLocation: 'US',
    userType: 'Member',
  };
  return { user, participant: { displayName, address, kind: 'shared' } };
}

export function personalMailboxSettings(employee: Employee, rng: Random): MailboxSettings {
  const office = employee.office;
  const start = rng.weighted([
    ['08:00:00.0000000', 3],
    ['08:30:00.0000000', 3],
    ['09:00:00.0000000', 4],
    ['07:30:00.0000000', 1],
  ] as const);
  const end = start.startsWith('07')
    ? '16:00:00.0000000'
    : start.startsWith('08:00')
      ? '17:00:00.0000000'
      : start.startsWith('08:30')
        ? '17:30:00.0000000'
        : '18:00:00.0000000';
  const days: DayOfWeek[] = rng.chance(0.06)
    ? ['monday', 'tuesday', 'wednesday', 'thursday']
    : [...WEEKDAYS];
  return {
    timeZone: employee.timeZone,
    language: { locale: office.locale, displayName: office.languageName },
    workingHours: {
      daysOfWeek: days,
      startTime: start,
      endTime: end,
      timeZone: { name: employee.timeZone },
    },
    userPurpose: { value: 'user' },
    dateFormat: office.dateFormat,
    timeFormat: office.timeFormat,
  };
}

export function resourceMailboxSettings(
  office: Office,
  purpose: 'room' | 'shared' | 'equipment',
): MailboxSettings {
  return {
    timeZone: office.windowsTimeZone,
    language: { locale: office.locale, displayName: office.languageName },
    workingHours: {
      daysOfWeek: [...WEEKDAYS],
      startTime: '08:00:00.0000000',
      endTime: '18:00:00.0000000',
      timeZone: { name: office.windowsTimeZone },
    },
    userPurpose: { value: purpose },
    dateFormat: office.dateFormat,
    timeFormat: office.timeFormat,
  };
}
