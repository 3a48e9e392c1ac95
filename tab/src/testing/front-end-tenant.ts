// The simulator tenant the browser tests run on: a small Contoso whose history is laid out
// around today, with one clear answer for each question the tests ask.
//   Acme (acme.com): Diego knows Dana and Sam well (weekly one-on-ones and calls), Megan met Dana once.
//   Northwind Traders: Lee meets Nora every other week (the misspelled search finds it).
//   Fabrikam: only the Sales EMEA group (Alex, Nestor) meets them; that group is not tracked at
//   first, so the admin test tracks it and watches its calendars sync.
import type { GraphEvent, TenantFile } from '@warmpath/sim';

export const TENANT_ID = '7d1c4b8e-2f3a-4c5d-9e6f-0a1b2c3d4e5f';
/** A subject the UI must never show (the API should not even return it). */
export const SECRET_SUBJECT = 'Confidential: Acme price increase';

const user = (id: string, displayName: string, mail: string, jobTitle: string) => ({
  id,
  displayName,
  givenName: displayName.split(' ')[0]!,
  surname: displayName.split(' ')[1]!,
  mail,
  userPrincipalName: mail,
  jobTitle,
  department: 'Sales',
  companyName: 'Contoso',
  officeLocation: 'Seattle',
  accountEnabled: true,
  businessPhones: [],
  mobilePhone: null,
  preferredLanguage: 'en-US',
  usageLocation: 'US',
  userType: 'Member',
});

export const USERS = {
  adele: user(
    'a0000000-0000-4000-8000-000000000001',
    'Adele Vance',
    'adele.vance@contoso.com',
    'Account Executive',
  ),
  diego: user(
    'a0000000-0000-4000-8000-000000000002',
    'Diego Siciliani',
    'diego.siciliani@contoso.com',
    'Sales Director',
  ),
  megan: user(
    'a0000000-0000-4000-8000-000000000003',
    'Megan Bowen',
    'megan.bowen@contoso.com',
    'Marketing Manager',
  ),
  lee: user(
    'a0000000-0000-4000-8000-000000000004',
    'Lee Gu',
    'lee.gu@contoso.com',
    'Partner Manager',
  ),
  alex: user(
    'a0000000-0000-4000-8000-000000000005',
    'Alex Wilber',
    'alex.wilber@contoso.com',
    'Sales Manager EMEA',
  ),
  nestor: user(
    'a0000000-0000-4000-8000-000000000006',
    'Nestor Wilke',
    'nestor.wilke@contoso.com',
    'Account Executive EMEA',
  ),
};

export const EXTERNAL = {
  dana: { name: 'Dana Lee', address: 'dana.lee@acme.com' },
  sam: { name: 'Sam Ortiz', address: 'sam.ortiz@acme.com' },
  nora: { name: 'Nora North', address: 'nora.north@northwindtraders.com' },
  kim: { name: 'Kim Akers', address: 'kim.akers@fabrikam.com' },
};

export const GROUPS = {
  customerFacing: {
    id: 'b0000000-0000-4000-8000-000000000001',
    displayName: 'Customer Facing',
    mail: 'customer-facing@contoso.com',
  },
  salesEmea: {
    id: 'b0000000-0000-4000-8000-000000000002',
    displayName: 'Sales EMEA',
    mail: 'sales-emea@contoso.com',
  },
};

type Person = { name: string; address: string };
const asPerson = (u: { displayName: string; mail: string }): Person => ({
  name: u.displayName,
  address: u.mail,
});

let counter = 0;
function meeting(options: {
  organizer: Person;
  attendees: Person[];
  start: Date;
  minutes: number;
  subject: string;
  weeklyFor?: number;
}): GraphEvent {
  counter += 1;
  const end = new Date(options.start.getTime() + options.minutes * 60_000);
  const iso = (date: Date) => date.toISOString().slice(0, 19);
  const event: GraphEvent = {
    id: `evt-front-end-${counter}`,
    subject: options.subject,
    start: { dateTime: iso(options.start), timeZone: 'UTC' },
    end: { dateTime: iso(end), timeZone: 'UTC' },
    isOnlineMeeting: true,
    onlineMeetingProvider: 'teamsForBusiness',
    sensitivity: 'normal',
    showAs: 'busy',
    organizer: { emailAddress: options.organizer },
    attendees: options.attendees.map((person) => ({
      type: 'required',
      status: { response: 'accepted', time: options.start.toISOString() },
      emailAddress: person,
    })),
  };
  if (options.weeklyFor) {
    const startDate = options.start.toISOString().slice(0, 10);
    const last = new Date(options.start.getTime() + (options.weeklyFor - 1) * 7 * 86_400_000);
    event.recurrence = {
      pattern: {
        type: 'weekly',
        interval: 1,
        daysOfWeek: [
          ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][
            options.start.getUTCDay()
          ]!,
        ],
        firstDayOfWeek: 'sunday',
      },
      range: {
        type: 'endDate',
        startDate,
        endDate: last.toISOString().slice(0, 10),
        recurrenceTimeZone: 'UTC',
      },
    } as GraphEvent['recurrence'];
  }
  return event;
}

function daysAgo(days: number, hour = 15): Date {
  const date = new Date();
  date.setUTCHours(hour, 0, 0, 0);
  return new Date(date.getTime() - days * 86_400_000);
}

export function frontEndTenant(): TenantFile {
  counter = 0;
  const { adele, diego, megan, lee, alex, nestor } = USERS;
  const { dana, sam, nora, kim } = EXTERNAL;
  return {
    organization: {
      id: TENANT_ID,
      displayName: 'Contoso',
      verifiedDomains: [
        {
          name: 'contoso.com',
          isDefault: true,
          isInitial: false,
          type: 'Managed',
          capabilities: 'Email',
        },
      ],
    },
    // the simulator makes the first user a Global Administrator
    users: [adele, diego, megan, lee, alex, nestor],
    groups: [
      {
        ...GROUPS.customerFacing,
        description: 'Everyone who meets customers',
        mailNickname: 'customer-facing',
        mailEnabled: true,
        securityEnabled: false,
        groupTypes: ['Unified'],
        visibility: 'Private',
        members: [adele.id, diego.id, megan.id, lee.id],
      },
      {
        ...GROUPS.salesEmea,
        description: 'Sales in Europe',
        mailNickname: 'sales-emea',
        mailEnabled: true,
        securityEnabled: false,
        groupTypes: ['Unified'],
        visibility: 'Private',
        members: [alex.id, nestor.id],
      },
    ],
    events: {
      [diego.id]: [
        meeting({
          organizer: asPerson(diego),
          attendees: [dana],
          start: daysAgo(84),
          minutes: 30,
          subject: SECRET_SUBJECT,
          weeklyFor: 12,
        }),
        meeting({
          organizer: asPerson(diego),
          attendees: [dana, sam],
          start: daysAgo(20, 17),
          minutes: 60,
          subject: 'Acme renewal',
        }),
        meeting({
          organizer: asPerson(diego),
          attendees: [sam],
          start: daysAgo(9, 16),
          minutes: 30,
          subject: 'Acme follow-up',
        }),
      ],
      [megan.id]: [
        meeting({
          organizer: asPerson(megan),
          attendees: [
            dana,
            asPerson(adele),
            asPerson(lee),
            asPerson(diego),
            { name: 'Guest', address: 'guest@example.org' },
          ],
          start: daysAgo(150),
          minutes: 90,
          subject: 'Industry round table',
        }),
      ],
      [lee.id]: [
        meeting({
          organizer: asPerson(lee),
          attendees: [nora],
          start: daysAgo(70, 14),
          minutes: 45,
          subject: 'Northwind partnership',
          weeklyFor: 10,
        }),
      ],
      [alex.id]: [
        meeting({
          organizer: asPerson(alex),
          attendees: [kim, asPerson(nestor)],
          start: daysAgo(40, 10),
          minutes: 30,
          subject: 'Fabrikam EMEA',
          weeklyFor: 6,
        }),
      ],
    },
  } as TenantFile;
}
